"""`etl run` as the whole process ends by os._exit once the run is done (etl/cli.py
`_local_run_done`): the store it leaves is the ordinary exit's, checkpointed (no
write-ahead log left), unlocked for the next run, with the same output and status."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store_reads import stored_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

# the ordinary exit: main() called with argv, so the process tears down as usual
_ORDINARY = "import sys; from etl.cli import main; sys.exit(main(sys.argv[1:]))"
# as `python -m etl run ...`, with a note whether the interpreter's teardown ran
_WHOLE = """
import atexit, runpy, sys
atexit.register(lambda: print("teardown"))
sys.argv = ["etl"] + sys.argv[1:]
runpy.run_module("etl", run_name="__main__")
"""


def _command(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def _run_table(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.lstrip().startswith("time ")]


def test_a_run_ends_without_teardown_and_leaves_the_ordinary_store(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    for p in CORPUS[:3]:
        (d / p.name).write_bytes(p.read_bytes())
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    plain, whole = tmp_path / "plain.duckdb", tmp_path / "whole.duckdb"
    a = _command(_ORDINARY, "run", str(d), "--db", str(plain), "--no-progress")
    b = _command(_WHOLE, "run", str(d), "--db", str(whole), "--no-progress")
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert "teardown" not in b.stdout                       # os._exit: atexit never ran
    assert _run_table(b.stdout) == _run_table(a.stdout) and a.stderr == b.stderr
    assert not Path(str(whole) + ".wal").exists()            # checkpointed at the close
    assert stored_tables(whole) == stored_tables(plain) and len(stored_tables(whole)[0]) > 100
    # the lock went with the process: the next run starts, finds everything unchanged
    again = _command(_WHOLE, "run", str(d), "--db", str(whole), "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "(3 unchanged in the store)" in again.stdout
    assert stored_tables(whole) == stored_tables(plain)


def test_a_run_that_fails_tears_down_as_usual(tmp_path):
    """Nothing readable: status 1, and the ordinary exit (a run that did not finish may
    leave a pool or a thread that the teardown ends)."""
    d = tmp_path / "reports"
    d.mkdir()
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    res = _command(_WHOLE, "run", str(d), "--db", str(tmp_path / "s.duckdb"), "--no-progress")
    assert res.returncode == 1
    assert res.stdout.rstrip().endswith("teardown")
