"""The instruction counting of bench/run_instructions.py and bench/instruction_ratio.py:
valgrind's summary read from recorded output (the suite never runs valgrind)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from run_instructions import instructions_of  # noqa: E402

# the end of `valgrind --tool=callgrind --collect-atstart=no --toggle-collect=_operator_call`
CALLGRIND = """==27418== Callgrind, a call-graph generating cache profiler
==27418== Command: /root/.pyenv/versions/3.11.7/bin/python3.11 t.py
==27418==
==27418== For interactive control, run 'callgrind_control -h'.
==27418==
==27418== Events    : Ir
==27418== Collected : 18606187
==27418==
==27418== I   refs:      18,606,187
"""

# the end of `valgrind --tool=cachegrind --cache-sim=no` on a process with threads, whose
# own stderr holds a number that looks like a count
CACHEGRIND = """==31007== Cachegrind, a cache and branch-prediction profiler
==31007== Command: python -m etl run in --db x.duckdb --workers 1
==31007==
1,424 files, I refs: 12 (a line of the program's own)
==31007== Warning: set address range perms: large range [0x59c8d000, 0x99c8d000) (noaccess)
==31007==
==31007== I   refs:        4,164,611,893
"""


@pytest.mark.parametrize("stderr, count", [(CALLGRIND, 18_606_187), (CACHEGRIND, 4_164_611_893)])
def test_the_count_is_valgrinds_summary(stderr, count):
    assert instructions_of(stderr) == count


def test_no_summary_is_no_count():
    # valgrind stopped before its summary (the program failed, valgrind missing)
    assert instructions_of("==1== Command: python x.py\nTraceback (most recent call last):\n") is None
    assert instructions_of("") is None


def test_the_spread_takes_every_nth_file_in_name_order(tmp_path):
    # instruction_ratio.py counts, and extract_bench.py --every times, the same files
    from extract_bench import corpus_paths
    for name in ("b.md", "a.txt", "c.txt", "d.md", "e.html", "f.txt"):
        (tmp_path / name).write_text("1", encoding="utf-8")
    assert [p.name for p in corpus_paths(tmp_path, every=2)] == ["a.txt", "c.txt", "f.txt"]
    assert [p.name for p in corpus_paths(tmp_path, files=2)] == ["a.txt", "b.md"]
