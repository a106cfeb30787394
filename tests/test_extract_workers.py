"""`etl extract --workers N` (etl/extract_workers.py): the files read and extracted in N
processes write the very bytes and messages one process writes, in the same order; a
file that kills its worker is skipped with that reason and the rest is written."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from badfiles import make_bad_files
from etl import cli, pipeline
from etl.process_ahead import start_method

from worker_helpers import copy_reports

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def run_extract(*args):
    return subprocess.run([sys.executable, "-m", "etl", "extract", *map(str, args)],
                          capture_output=True, cwd=ROOT, timeout=300)


def _mixed_folder(tmp_path: Path) -> Path:
    """The bundled reports (simplified and traditional) among files that cannot be read,
    more files than one worker's task (16), so that several tasks and both workers count."""
    d = tmp_path / "mixed"
    d.mkdir()
    expected = make_bad_files(d)
    (d / "huge_line.txt").unlink()         # test_cli_extract reads its 50 MB on its own
    assert len(expected) > 10
    for k in range(3):
        for p in CORPUS:
            (d / f"{k}_{p.name}").write_bytes(p.read_bytes())
    return d


def test_any_number_of_workers_writes_the_same_lines_and_messages(tmp_path):
    d = _mixed_folder(tmp_path)
    outs = {}
    for workers in (1, 2, 0):
        out = tmp_path / f"w{workers}.jsonl"
        res = run_extract(d, "-o", out, "--workers", workers)
        assert res.returncode == 0, res.stderr.decode()
        outs[workers] = (out.read_bytes(), res.stderr)
    lines, messages = outs[1]
    assert lines.count(b"\n") > 1000 and b": skipped: " in messages and b"Traceback" not in messages
    assert outs[2] == outs[1]
    assert outs[0] == outs[1]
    # to stdout, a report's lines at a time, and the claims only
    res = run_extract(d, "--workers", 2)
    assert res.returncode == 0 and res.stdout == lines
    only = [run_extract(d, "--claims-only", "--workers", w).stdout for w in (1, 2)]
    assert only[0] == only[1] and 0 < only[0].count(b"\n") < lines.count(b"\n")
    assert b'"is_claim": false' not in only[0]


def test_nothing_readable_in_workers_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    res = run_extract(tmp_path / "empty.txt", tmp_path / "binary.txt", "--workers", 2)
    assert res.returncode == 1 and res.stdout == b""
    assert res.stderr.decode().splitlines()[-1] == "nothing could be read"


def test_a_file_that_kills_its_worker_is_skipped_and_the_rest_written(tmp_path, monkeypatch, capsys):
    if start_method() != "fork":
        pytest.skip("workers are not forked here: the patched reading would not reach them")
    d = tmp_path / "reports"
    copy_reports(CORPUS, d)
    victim = str(d / CORPUS[2].name)
    real = pipeline.read_claims

    def crashing(doc):
        if doc.path == victim:
            os._exit(11)         # as a fault in a parsing library would: the process is gone
        return real(doc)

    expected = tmp_path / "expected.jsonl"
    assert cli.main(["extract", *[str(d / p.name) for p in CORPUS if p != CORPUS[2]],
                     "-o", str(expected)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(pipeline, "read_claims", crashing)     # the forked workers' too
    before = {p.pid for p in multiprocessing.active_children()}
    out = tmp_path / "w2.jsonl"
    assert cli.main(["extract", str(d), "-o", str(out), "--workers", "2"]) == 0
    assert {p.pid for p in multiprocessing.active_children()} <= before
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{victim}: skipped: not read: its worker process stopped abruptly")
    assert out.read_bytes() == expected.read_bytes()
