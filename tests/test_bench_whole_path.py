"""bench/whole_path.py, the issue-23 benchmark, run end to end on the bundled reports (one
round, this tree against itself): every row it promises is printed, and the commands'
outputs agree (`--workers 2` and one process; this tree and the same tree as `--before`)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_row_is_printed_and_the_outputs_agree():
    done = subprocess.run([sys.executable, "bench/whole_path.py", "--rounds", "1", "--corpus", "data/corpus",
                           "--before", str(ROOT)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    for row in ("| regex scan |", "| extraction alone (in process) |", "| `etl extract DIR -o FILE` | after |",
                "| `etl extract --workers 2` | before |", "| `etl run --workers 1` | after |",
                "| `etl run --workers 2` | before |", "against extraction's first sight",
                "| `etl run` (new store) | after |", "| save to the store |", "| **the whole run (process CPU)** |"):
        assert row in out, row
    assert "same output yes: the two trees' `etl extract` files" in out
    assert "same output yes: after's `etl extract --workers 2`" in out
    assert "same store  the same rows in " in out
