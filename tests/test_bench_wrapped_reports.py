"""bench/wrapped_reports.py runs end to end (on the bundled reports): it prints the
figures bench/RESULTS.md quotes, so it must not rot unnoticed; and its cut reports keep
every gold span on the characters it was on."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT / "bench"))

from wrapped_reports import LAYOUTS, wrapped  # noqa: E402


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda n: n.replace(" ", ""))
def test_each_layout_moves_every_character_to_where_it_is_cut_in(layout):
    text = (ROOT / "data" / "corpus").glob("001_*.txt").__next__().read_text(encoding="utf-8")
    cut, moved = wrapped(text, LAYOUTS[layout])
    assert len(moved) == len(text)
    page = LAYOUTS[layout][0] == ".html"
    for i, c in enumerate(text):
        if page and c in "<>&\"'":
            assert cut[moved[i]] == "&"      # escaped where it stands
        else:
            assert cut[moved[i]] == c
    assert cut.count("\n") > text.count("\n") + 20


@pytest.mark.skipif(not (EVAL / "gold-dev.jsonl").is_file(), reason="needs ../shared/eval")
def test_the_wrapped_benchmark_scores_the_bundled_reports():
    done = subprocess.run([sys.executable, "bench/wrapped_reports.py", "--only", "bundled"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("bundled (5 reports) as written: strict F1 1.000")
    assert len(lines) == 1 + len(LAYOUTS)
    assert all("strict F1 1.000" in ln for ln in lines[1:]), lines
