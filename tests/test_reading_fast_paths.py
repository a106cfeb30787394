"""The report-metadata passes made cheaper (issue 23) answer exactly as before: the date
patterns with a lookahead for their first character in front match what the plain
patterns matched, and has_footer_mark says what FOOTER_MARK.search says."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.reading import page_facts as pf

ROOT = Path(__file__).resolve().parents[1]

# the patterns as they were, before the lookahead was put in front
BEFORE = {
    "_BARE_DATE": r"(?<![\d.])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])",
    "YEAR_NEAR": r"(?<![\d.])((?:19|20)\d{2})年",
    "_DMY_DATE": r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])",
    "_ANY_DATE": r"(?<![\d.])((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
                 r"|(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])"
                 r"|([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
                 r"(?:([一二三四五六七八九十]{1,3})[日号])?",
}
date_text = st.lists(st.sampled_from(list("0112290.-/ 年月日号〇零○一二三九十x") + ["19", "20", "2019", "٣"]),
                     max_size=30).map("".join)
footer_text = st.lists(st.sampled_from(list("cCiIaAİıKſ©版权主办 x.") + ["copyright", "ICP", "all rights",
                                                                       "Copyr", "ALL RİGHTS", "ıcp"]),
                       max_size=12).map("".join)


def _found(pattern: re.Pattern, s: str) -> list:
    return [(m.span(), m.groups()) for m in pattern.finditer(s)]


@settings(max_examples=400, deadline=None)
@given(date_text)
def test_date_patterns_match_as_before(s):
    for name, before in BEFORE.items():
        now = getattr(pf, name)
        assert _found(now, s) == _found(re.compile(before), s), name
        for pos in range(len(s) + 1):    # match at a position, as find_published uses it
            a, b = now.match(s, pos), re.compile(before).match(s, pos)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), name


def test_date_patterns_match_as_before_on_the_bundled_reports():
    for p in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for name, before in BEFORE.items():
            assert _found(getattr(pf, name), text) == _found(re.compile(before), text), (p.name, name)


def test_the_footer_marks_can_start_only_where_has_footer_mark_looks():
    first = re.compile("[cia]", re.IGNORECASE)
    for code in range(0x110000):
        ch = chr(code)
        if first.match(ch):
            assert pf._FOOTER_MARK_FIRST.match(ch), hex(code)


@settings(max_examples=400, deadline=None)
@given(footer_text)
def test_has_footer_mark_says_what_the_pattern_says(s):
    assert pf.has_footer_mark(s) == bool(pf.FOOTER_MARK.search(s))


def test_has_footer_mark_on_the_bundled_reports_line_by_line():
    for p in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            assert pf.has_footer_mark(line) == bool(pf.FOOTER_MARK.search(line)), line
