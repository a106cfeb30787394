"""With one worker the reading thread works in stages over a few files at a time (read
and extract them, then describe them, then build their tables: etl/pipeline.py
iter_staged, issue 23): the same results, in the same order, as file by file, and a bad
file in the middle of a stage is reported while the rest of the stage goes on."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl import pipeline
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

_ROWS = {
    "claims": "SELECT * FROM claims ORDER BY claim_id",
    "reports": "SELECT * EXCLUDE (content_sig, ingested_at, rules_version) FROM reports ORDER BY report_id",
    "report_files": "SELECT path, doc, report_id FROM report_files ORDER BY path",
}


def _folder(tmp_path: Path) -> Path:
    """The bundled reports, twice over under other names, with a bad file (bytes that
    decode to nothing) and an empty one in the middle."""
    d = tmp_path / "reports"
    d.mkdir()
    i = 0
    for p in CORPUS * 2:
        (d / f"{i:02d}_{p.name}").write_bytes(p.read_bytes())
        i += 1
        if i == 3:
            (d / f"{i:02d}_bad.docx").write_bytes(b"PK\x03\x04 not really a docx")
            (d / f"{i:02d}_empty.txt").write_bytes(b"")
            i += 1
    return d


def _rows(db: Path) -> dict:
    store = Store(db, read_only=True)
    return {name: store.query_df(sql).astype(str).values.tolist() for name, sql in _ROWS.items()}


def test_staged_results_are_process_file_results_in_order(tmp_path):
    d = _folder(tmp_path)
    paths = sorted(d.iterdir())
    one_by_one = [pipeline.process_file(p, for_store=True) for p in paths]
    staged = list(pipeline.iter_staged(paths, stage_files=4, stage_chars=10**9))
    assert [r.path for r in staged] == [str(p) for p in paths]
    assert [(r.ok, r.reason, r.failed) for r in staged] == [(r.ok, r.reason, r.failed) for r in one_by_one]
    assert sum(not r.ok for r in staged) == 2
    for a, b in zip(staged, one_by_one):
        if a.ok:
            assert a.report == b.report
            assert a.prepared.table.equals(b.prepared.table)
            assert (a.prepared.n_claims, a.prepared.n_mentions) == (b.prepared.n_claims, b.prepared.n_mentions)


def test_a_stage_ends_at_its_characters_too(tmp_path, monkeypatch):
    d = _folder(tmp_path)
    paths = sorted(d.iterdir())
    stages = []
    real = pipeline._finish_stage
    monkeypatch.setattr(pipeline, "_finish_stage", lambda staged, m: stages.append(len(staged)) or real(staged, m))
    got = list(pipeline.iter_staged(paths, stage_files=100, stage_chars=1))
    assert len(got) == len(paths)
    # every file with text ends its stage; the two unreadable ones ride with the next
    assert sum(stages) == len(paths) and max(stages) <= 3 and len([s for s in stages if s]) >= len(paths) - 2


def test_a_describe_that_breaks_in_mid_stage_is_that_files_reason(tmp_path, monkeypatch):
    d = _folder(tmp_path)
    paths = sorted(d.iterdir())
    import etl.reading.describe as describe_mod
    real = describe_mod.describe
    victim = paths[5].name

    def describe(text, name, **k):
        if name == victim:
            raise ValueError("broken describe")
        return real(text, name, **k)
    monkeypatch.setattr(describe_mod, "describe", describe)
    got = list(pipeline.iter_staged(paths, stage_files=8))
    assert [r.path for r in got] == [str(p) for p in paths]
    bad = [r for r in got if not r.ok]
    assert [Path(r.path).name for r in bad if "broken describe" in (r.reason or "")] == [victim]
    assert sum(r.ok for r in got) == len(paths) - 3


def test_a_staged_run_stores_what_a_file_by_file_run_stores(tmp_path, monkeypatch):
    d = _folder(tmp_path)
    monkeypatch.setattr(pipeline, "STAGE_FILES", 1)
    one = pipeline.run([d], tmp_path / "one.duckdb", workers=1, progress=False, batch_size=3)
    monkeypatch.setattr(pipeline, "STAGE_FILES", 4)
    staged = pipeline.run([d], tmp_path / "staged.duckdb", workers=1, progress=False, batch_size=3)
    assert [(f.path, f.status, f.claims, f.mentions, f.reason) for f in staged.files] == \
           [(f.path, f.status, f.claims, f.mentions, f.reason) for f in one.files]
    assert staged.skipped == one.skipped and len(staged.skipped) == 2
    assert _rows(tmp_path / "staged.duckdb") == _rows(tmp_path / "one.duckdb")
    again = pipeline.run([d], tmp_path / "staged.duckdb", workers=1, progress=False, batch_size=3)
    assert {f.status for f in again.files} == {"unchanged", "skipped"}
    assert _rows(tmp_path / "staged.duckdb") == _rows(tmp_path / "one.duckdb")
