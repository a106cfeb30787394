"""The shortcuts extraction takes for speed give what the plain code would."""
from __future__ import annotations

import gc
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import rules
from etl.claim import Claim
from etl.extraction import phrases, qualifiers, roles
from etl.extraction.extract import extract_text, new_claim
from etl.extraction.subject_words import starts_at


@pytest.mark.parametrize("args, kw", [
    (("d.txt", 3, 8, "27万元", True), {"sentence": "发放慰问金27万元。", "sentence_start": 0,
                                       "sentence_end": 10, "reason": "unit"}),
    (("d.txt", 0, 4, "2021", False, "year", Decimal(2021)), {"reason": "year"}),
])
def test_new_claim_is_the_dataclass_with_defaults(args, kw):
    want = Claim(*args, **kw)
    kind = args[5] if len(args) > 5 else None
    value = args[6] if len(args) > 6 else None
    got = new_claim(*args[:5], kind, value, kw["reason"], kw.get("sentence", ""),
                    kw.get("sentence_start"), kw.get("sentence_end"))
    # every field set (a field new_claim forgot would raise here) and equal
    assert {f.name: getattr(got, f.name) for f in fields(Claim)} == \
        {f.name: getattr(want, f.name) for f in fields(Claim)}
    assert got == want


@pytest.mark.parametrize("enabled", [True, False])
def test_extract_text_leaves_the_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        claims = extract_text("发放慰问金27万元，吸引55个部门的6600余名干部职工。", "d.txt")
        assert gc.isenabled() is enabled
        assert [c.text for c in claims if c.is_claim] == ["27万元", "55个", "6600余名"]
        with pytest.raises(TypeError):
            extract_text(None, "d.txt")     # type: ignore[arg-type]
        assert gc.isenabled() is enabled    # also when extraction raises
    finally:
        (gc.enable if was else gc.disable)()


# --- shortcuts in the subject finder and the role step (speed17d) ----------------------

_CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def _corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(_CORPUS.glob("*.txt"))]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="其中包括含有万元、。ab", max_size=12), st.text(alphabet="其中包含ab", max_size=4),
       st.integers(min_value=0, max_value=16))
def test_starts_at_is_startswith(text, word, at):
    assert starts_at(text, word, at) == text.startswith(word, at)


def _finditer_starts(view: str, R: roles.CountingRules) -> list[int]:
    return [m.start() for m in R.marker_re.finditer(view)]


def test_marker_starts_are_the_regex_matches_on_the_reports():
    R = roles.counting_rules()
    texts = _corpus_texts()
    assert any(_finditer_starts(t, R) for t in texts)      # the reports do use 其中/包括
    for text in texts:
        assert roles._marker_starts(text, R) == _finditer_starts(text, R)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="其中包括含有全部万元、。", max_size=30))
def test_marker_starts_with_overlapping_marker_words(text):
    # words that overlap one another (其中 / 中有 / 其中包括): the regex's leftmost,
    # non-overlapping matches, whatever the words
    d = {"part_markers": ["其中", "中有", "其中包括", "包括", "括含"]}
    R = roles.CountingRules(d)
    assert roles._marker_starts(text, R) == _finditer_starts(text, R)


def test_a_window_without_a_fund_word_names_no_fund():
    """money_noun_before skips cutting the words of a window that holds no fund word:
    the words it would have cut name no fund there either."""
    checked = with_fund = 0
    for text in _corpus_texts():
        for hi in range(60, len(text), 7):
            seg_lo = hi - 60
            seg = text[seg_lo:hi]
            found = phrases._fund_in(seg, seg_lo, False)
            if not phrases._has_money_head(seg):
                assert found is None, seg
                checked += 1
            elif found is not None:
                with_fund += 1
    assert checked > 100 and with_fund > 100


_CUE_TEXT = st.text(alphabet="每人均户共计合累总增加长提高上升扩大翻下降减少缩压回落了为达到至的年度任务占完成 ，/", max_size=14)


@settings(max_examples=500, deadline=None)
@given(_CUE_TEXT)
def test_a_text_without_a_gate_character_matches_no_qualifier_pattern(text):
    p = qualifiers._patterns()
    for gate, pattern in ((p.per_gate, p.per), (p.aggregate_gate, p.aggregate),
                          (p.up_gate, p.up), (p.down_gate, p.down)):
        if not qualifiers._any_in(gate, text):
            assert pattern.search(text) is None, (text, pattern.pattern)


def test_every_cue_word_holds_a_gate_character():
    p, q = qualifiers._patterns(), rules.qualifiers()
    for gate, words in ((p.per_gate, ["每", *q.per_average]), (p.aggregate_gate, q.aggregate),
                        (p.up_gate, q.increase), (p.down_gate, q.decrease)):
        assert all(qualifiers._any_in(gate, w) for w in words)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789一二三十百千万亿两人名元的年", min_size=1, max_size=5))
def test_number_like_words(w):
    want = w[0].isdigit() or w[-1].isdigit() or w[-1] in phrases._NUMERAL_CHARS
    assert phrases._number_like(w) == want
    assert phrases._number_like(w) == want      # memoised


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="党员干部一丁龥\u4dff\u9fff\ua000，。12ab 、", max_size=24))
def test_bigrams_are_the_pairs_of_adjacent_chinese_characters(text):
    want = frozenset(text[i] + text[i + 1] for i in range(len(text) - 1)
                     if "\u4e00" <= text[i] <= "\u9fff" and "\u4e00" <= text[i + 1] <= "\u9fff")
    assert roles._bigrams(text) == want
