"""The Recognizers-Text Chinese specs (NumberModel, PercentModel, CurrencyModel) run
against our extractor, one pytest case per spec case.

The translation between their conventions and ours lives in tests/recognizers_adapter.py
(every exception there has its reason). Cases known to fail are data:
tests/golden/recognizers_expected_fail.yaml. Exactly those are xfailed, strictly, so a fix
shows up as XPASS -> failure and someone must move the entry. Per-group pass rates:
bench/recognizers_report.py.

Ids are ``<model>-<index>-<group>-<input>``; pytest escapes the Chinese unless run with
``-o disable_test_id_escaping_and_forfeit_all_rights_to_community_support=true``.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recognizers_adapter as ra  # noqa: E402

CASES = ra.load_cases()
EXPECTED_FAIL = ra.load_expected_fail()
REASON_PREFIXES = {  # what an expected failure in each group may be called
    "plain": ("GAP:", "CONVENTION:", "UPSTREAM:"),
    "C": ("GAP:",),
    "notsupported": ("GAP:", "CONVENTION:", "UPSTREAM:"),
    "A": ("A:",),
    "D": ("D:",),
}


def _params():
    for c in CASES:
        entry = EXPECTED_FAIL.get(c.key)
        marks = ()
        if entry is not None:
            marks = pytest.mark.xfail(strict=True, reason=f"[{entry['group']}] {entry['reason']}")
        yield pytest.param(c, id=c.test_id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_spec_case(case: ra.Case) -> None:
    o = ra.evaluate(case)
    assert o.passed, f"{case.file} #{case.index} {case.input!r}: {o.describe()}"


# --- the adapter and the expectation file themselves ----------------------------------
def test_expected_fail_entries_name_real_cases() -> None:
    by_key = {c.key: c for c in CASES}
    for key, entry in EXPECTED_FAIL.items():
        assert key in by_key, f"no spec case {key}"
        case = by_key[key]
        assert entry["group"] == case.group, (key, entry["group"], case.group)
        reason = entry.get("reason") or ""
        allowed = REASON_PREFIXES.get(case.group, ("GAP:", f"{case.group}:"))
        assert reason.startswith(allowed), f"{key}: reason must start with {allowed}: {reason!r}"


def test_spans_translate_to_their_text() -> None:
    """Our reading of their offsets: Input[Start:End+1], full-width -> ASCII, lower-cased,
    equals their Text for every result (README, section (a))."""
    for c in CASES:
        for r, e in zip(c.raw["Results"], c.results):
            assert c.input[e.start:e.end].translate(ra.FULLWIDTH).lower() == r["Text"], (c.test_id, r)


def test_table_sizes_match_readme() -> None:
    groups = Counter(c.group for c in CASES)
    assert len(CASES) == 552
    assert sum(c.negative for c in CASES) == 47
    assert groups["A"] == 21
    assert sum(n for g, n in groups.items() if g.startswith("B-")) == 82
    assert groups["C"] == 15
    assert groups["D"] == 23
    assert sum(c.notsupported_python for c in CASES) == 12
    assert len({c.key for c in CASES}) == len(CASES)   # Input is unique per file
