"""Sentence and clause lookups by local search agree with the full list of separators,
including the fallback for stretches longer than the search reach."""
from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extraction import text_spans
from etl.extraction.text_spans import (_CLAUSE_END, _SENTENCE_END, Boundaries, _ends, line_ends_of,
                                       _thousands)

ALPHABET = "发放慰问金元人 \n。！？；!?;，,：:0123456789、"


def reference(text: str, pos: int, clause: bool) -> tuple[int, int]:
    ends = _ends(_CLAUSE_END if clause else _SENTENCE_END, text)
    i = bisect_right(ends, pos)
    lo, hi = i - 1, i
    if clause:
        while lo >= 0 and _thousands(text, ends[lo]):
            lo -= 1
        while hi < len(ends) and _thousands(text, ends[hi]):
            hi += 1
    s = ends[lo] if lo >= 0 else 0
    e = ends[hi] if hi < len(ends) else len(text)
    if not clause:
        while s < e and text[s] in " \t\r\n\u00a0\u3000":
            s += 1
        while e > s and text[e - 1] in " \t\r\n\u00a0\u3000":
            e -= 1
    return s, e


@pytest.mark.parametrize("reach", [3, 400])
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=60), data=st.data())
def test_local_search_matches_full_list(reach, text, data):
    # several offsets on one Boundaries, in any order: the last sentence and clause
    # found are reused for an offset inside them
    positions = data.draw(st.lists(st.integers(0, len(text) - 1), min_size=1, max_size=6))
    old = text_spans._REACH
    text_spans._REACH = reach
    try:
        b = Boundaries(text)
        for pos in positions:
            assert b.sentence(pos) == reference(text, pos, clause=False)
            assert b.clause(pos) == reference(text, pos, clause=True)
    finally:
        text_spans._REACH = old


def test_real_sentence_with_thousands_comma():
    text = "其中，帮助1,200名学生完成学业，发放助学金120万元。下一句"
    b = Boundaries(text)
    s, e = b.clause(text.index("1,200"))
    assert text[s:e] == "帮助1,200名学生完成学业，"
    s, e = b.sentence(text.index("120万元"))
    assert text[s:e] == "其中，帮助1,200名学生完成学业，发放助学金120万元。"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n。", max_size=60))
def test_line_ends_are_the_offsets_after_each_break(text):
    assert line_ends_of(text) == [i + 1 for i, ch in enumerate(text) if ch == "\n"]
