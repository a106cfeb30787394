"""The shortcuts extraction takes for speed give what the plain code would."""
from __future__ import annotations

import gc
import re
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

# --- the scan's look-ahead guards ---------------------------------------------------

_FORMS = ("2021-12-30 12:30发布，1+1，3/4，0.5/1，13800000000，400-800-1234，4008001234，"
          "(010)12345678，010-12345678-12，1,200.5万元，6 600人，6\u2009600人，12 345，"
          "2021年12月30日，4月27日，9月下旬，2013年下半年，二〇二一年，30日，十二月，"
          "一是，其二，(一)，( 1 )，①，\n1、\n一、\n2. 第八届，十九大，四中全会，"
          "百分之四十五，三分之二，1.5.3版，2021.12.30，3-5人，20%-30%，10:00-12:00，"
          "第一书记，双百行动，工会进万家，G20峰会，一年一次，五四红旗，共计1,234,567元")


def _scan_texts() -> list[str]:
    from etl.extraction.normalize import normalize
    root = Path(__file__).resolve().parents[1] / "data" / "corpus"
    return [_FORMS] + [normalize(p.read_text(encoding="utf-8"), markup=None).text
                       for p in sorted(root.iterdir()) if p.is_file()]


def test_the_scan_guards_change_no_match():
    """Each dispatch regex and the same regex without its look-ahead guards match alike
    (span, form and every group) at every position where a form can start."""
    from etl.extraction import scanner
    guards = (scanner._AR_GUARD, scanner._DATE_GUARD, scanner._LIST_GUARD,
              scanner._DIGIT_PUNCT_GUARD)
    _, table = scanner._dispatch()
    plain = {}
    for ch, pat in table.items():
        src = pat.pattern
        assert any(g in src for g in guards) or ch in "h(w①半"    # 半: the half share has no guard
        for g in guards:
            src = src.replace(g, "")
        plain[ch] = re.compile(src)
    tried = 0
    for text in _scan_texts():
        for i, ch in enumerate(text):
            if ch not in table:
                continue
            a, b = table[ch].match(text, i), plain[ch].match(text, i)
            assert (a and (a.span(), a.lastgroup, a.groups())) == (b and (b.span(), b.lastgroup, b.groups())), \
                (ch, text[i:i + 20])
            tried += 1
    assert tried > 1_000


@pytest.mark.parametrize("word, before", [("工会进万家", "工会进"), ("第一书记", "第"), ("G20", "G")])
def test_an_anchored_word_starts_at_its_numeral(word, before):
    """工会进万家 is matched from its 万, and only after 工会进 (the look-behind now
    follows the numeral)."""
    from etl import rules
    from etl.extraction import scanner
    chars = set(rules.numerals().all_chars) | set("0123456789")
    rx = re.compile(scanner._anchored([word], chars, ""))
    k = len(before)
    assert rx.match("和" + word, k + 1).group() == word[k:]
    assert rx.match("和x" + word[k:], 2) is None


def test_glosses_of_both_brackets_come_in_text_order():
    from etl.extraction.normalize import gloss_spans, normalize
    raw = "筹集2.5萬（wàn）元，會(huì)議（yì），会场(app)，一百(yī bǎi)人"
    assert [raw[s:e] for s, e in gloss_spans(raw)] == ["（wàn）", "(huì)", "（yì）", "(yī bǎi)"]
    assert normalize(raw).text == "筹集2.5万元，会议，会场(app)，一百人"


@pytest.mark.parametrize("raw, view", [
    ("全國政協機關77名局級幹部", "全国政协机关77名局级干部"),      # traditional only
    ("共计１２３人（其中　５人）", "共计123人(其中 5人)"),             # rare full-width forms only
    ("共计123人（其中5人）；完成！", "共计123人(其中5人);完成!"),       # common punctuation only
    ("發放４，５６５元", "发放4,565元"),                                # both, and a full-width thousands comma
])
def test_the_one_search_for_rare_characters_converts_what_it_should(raw, view):
    from etl.extraction.normalize import normalize
    assert normalize(raw).text == view


def test_the_rare_character_class_is_t2s_and_the_full_width_forms_not_replaced_first():
    """Over every code point of the Basic Multilingual Plane: the one search's class holds
    exactly the characters t2s changes and the full-width forms that the replaces
    before it leave."""
    from etl.extraction import normalize as nz
    trad = set(nz._traditional_chars().pattern[1:-1])
    rest = set(nz._HALF_CHAR) - set(nz._COMMON_FULLWIDTH)
    rare = nz._rare_chars()
    block = "".join(map(chr, range(0x10000)))
    assert {m.group() for m in rare.finditer(block)} == trad | rest
    assert trad and rest and not rest & set("（）；：？！\u3000")


_VIEW_CHARS = ["全國", "會議", "萬", "发放", "人", "，", "１", "２", "３", "４", "５", "0", "（", "）", "；",
               "\u3000", "－", "％", "＋", "～", "Ａ", "\u200b", "\u00ad", "吒", "乾", "\n", " ", "5"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_VIEW_CHARS), max_size=24).map("".join))
def test_the_view_is_t2s_then_every_full_width_form_halved(raw):
    """What normalize's replaces and its one search make is the plain computation: t2s,
    a full-width thousands comma, then every full-width form to its half-width one."""
    from etl.extraction import normalize as nz
    plain = nz._FW_THOUSANDS.sub(",", nz.to_simplified(raw)).translate(nz._HALF)
    assert nz.normalize(raw).text == plain


@pytest.mark.parametrize("text, start, end, want", [
    ("正文27万元\n首页 > 新闻 12条\n", 7, 19, True),
    ("正文27万元\n首页 > 新闻 12条\n", 0, 7, False),
    ("当前位置：首页\n共5人", 8, 11, False),     # the word is on the line before
    ("共5人，相关阅读", 0, 6, False),           # the word starts past the end given
])
def test_a_furniture_line_is_a_line_holding_a_listed_word(text, start, end, want):
    import re as re_
    from etl import rules
    from etl.extraction.text_spans import Boundaries
    words = tuple(rules.nonclaims().furniture_lines)
    assert Boundaries(text).furniture_line(start, end, words) is want
    # the same answer as the regex alternation of the words it replaced
    assert (re_.compile(rules.alternation(words)).search(text, start, end) is not None) is want


@pytest.mark.parametrize("s", ["", "A", "z", "G2", "@", "[", "`", "{", "Ａ", "é", "5", "万", " "])
def test_the_latin_letter_check_is_the_regex_it_replaced(s):
    from etl.extraction.classify import _ascii_letter
    assert _ascii_letter(s) is (re.match(r"[A-Za-z]", s) is not None)


def test_sentence_and_clause_walks_agree_with_the_separator_regexes():
    """The walks to the nearest separator each way find what a search of the
    separator class finds, at every offset of real reports (thousands commas, line
    breaks and pages without punctuation included)."""
    from etl.extraction import text_spans as ts
    texts = _scan_texts() + ["无标点" * 300 + "，1,200名。" + "长" * 900, "", "。", "a\nb"]
    for text in texts:
        b = ts.Boundaries(text)
        n = len(text)
        for pos in range(0, n + 1, 7):
            for table, pat in ((ts._SENTENCE_TABLE, ts._SENTENCE_END), (ts._CLAUSE_TABLE, ts._CLAUSE_END)):
                m = pat.search(text[::-1], n - pos, n - pos + ts._REACH)
                want = (0 if pos <= ts._REACH else None) if m is None else n - m.start()
                assert b._start_before(table, pos) == want, (pos, text[max(0, pos - 10):pos])
                m = pat.search(text, pos, pos + ts._REACH)
                want = (n if pos + ts._REACH >= n else None) if m is None else m.end()
                assert b._end_after(table, pos) == want, (pos, text[pos:pos + 10])


def _plain_clause_cue(before: str) -> str:
    ap = rules.approx()
    tail = before[-ap.clause_window:]
    for word, kind in ap.clause_cue.items():
        if word in tail:
            return kind
    return "exact"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*rules.approx().clause_cue, "保额", "可达", "，", "为", "最", "少"]),
                max_size=8).map("".join))
def test_the_clause_cues_read_once_are_the_rule_files(before):
    from etl.extraction import extract
    assert extract._clause_cue(before) == _plain_clause_cue(before)
    assert (extract._MONEY_WORDS, extract._PEOPLE_WORDS) == rules.implied_units()


def test_the_scanner_rules_read_once_are_the_rule_files():
    from etl.extraction import scanner
    n, w = rules.numerals(), rules.classify_words()
    assert scanner._HALF_UNITS == scanner._half_units()
    assert scanner._MINUS_AFTER == n.minus_after
    assert (scanner._RANK_BEFORE, scanner._RANK_ALONE_NEXT) == (w.rank_before, w.rank_alone_next)
    assert scanner._RANGE_SEPARATORS == rules.approx().range_separators
    assert (dict(scanner._SMALL_UNITS), dict(scanner._BIG_UNITS)) == (dict(n.small_units), dict(n.big_units))


def test_a_bracket_skipped_by_the_scan_starts_no_form():
    """At "(" the scan enters the regex only when a digit, 一…十 or a blank follows: over
    every code point after the bracket, with tails that close a marker or a phone number,
    a match exists only where the test lets the regex in."""
    from etl.extraction import scanner
    _, table = scanner._dispatch()
    tails = ["", ")", "1)", "一)", "0) ", "10)12345678", " )", "二 )是", "1 2)"]
    let_in = 0
    for cp in range(0x10000):
        x = chr(cp)
        if 0xD800 <= cp < 0xE000:
            continue
        view = "(" + x
        if scanner._bracket_may_open(view + ")", 0):
            let_in += 1
            continue
        for tail in tails:
            assert table["("].match("(" + x + tail, 0) is None, (x, tail)
    assert let_in > 20
    assert not scanner._bracket_may_open("(", 0) and scanner._bracket_may_open("(一)", 0)
