"""bench/pdf_reports.py runs end to end (on the bundled reports, one layout): it prints
the figures bench/RESULTS.md quotes, so it must not rot unnoticed."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"


@pytest.mark.skipif(not (EVAL / "gold-dev.jsonl").is_file(), reason="needs ../shared/eval")
def test_the_pdf_benchmark_scores_the_bundled_reports(browser_ready):
    done = subprocess.run([sys.executable, "bench/pdf_reports.py", "--only", "bundled", "--layouts", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("bundled (5 reports) as text: strict F1 1.000")
    printed, read = lines[1], lines[2]
    assert "as printed" in printed and "strict F1 1.000" not in printed
    assert "strict F1 1.000" in read and "gold spans carried 254/254" in read
