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
from etl.extraction.text_spans import Boundaries


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


_CUE_TEXT = st.text(alphabet="每人均户共计合累总增加长提高上升扩大翻下降减少缩压回落了为达到至的年度任务占完成一单亩天日可能最 ，/",
                    max_size=14)


@settings(max_examples=500, deadline=None)
@given(_CUE_TEXT)
def test_a_text_without_a_gate_character_matches_no_qualifier_pattern(text):
    p = qualifiers._patterns()
    for gate, pattern in ((p.per_gate, p.per), (p.aggregate_gate, p.aggregate),
                          (p.up_gate, p.up), (p.down_gate, p.down)):
        if not qualifiers._any_in(gate, text):
            assert pattern.search(text) is None, (text, pattern.pattern)
    # the long reach: an average, a 每, or a one with the word after it
    if not (qualifiers._any_in(p.long_gate, text)
            or (qualifiers._any_in(p.one_gate, text) and qualifiers._any_in(p.one_then_gate, text))):
        assert p.per_long.search(text) is None, (text, p.per_long.pattern)


def test_every_cue_word_holds_a_gate_character():
    p, q = qualifiers._patterns(), rules.qualifiers()
    for gate, words in ((p.per_gate, ["每", *q.per_average]), (p.long_gate, ["每", *q.per_long_average]),
                        (p.one_then_gate, q.per_one_then), (p.aggregate_gate, q.aggregate),
                        (p.up_gate, q.increase), (p.down_gate, q.decrease)):
        assert all(qualifiers._any_in(gate, w) for w in words)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789一二三十百千万亿两〇零人名元的年０９²①٣߀a％𝟎𠀀",
               min_size=1, max_size=5))
def test_number_like_words(w):
    want = w[0].isdigit() or w[-1].isdigit() or w[-1] in phrases._NUMERAL_CHARS
    assert phrases._number_like(w) == want


def test_no_cjk_ideograph_is_a_digit():
    # (`phrases._digit` answers False for the block without asking)
    assert not any(chr(c).isdigit() for c in range(0x4E00, 0xA000))


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
    assert tried > 500


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
    from etl.extraction.classify import _letter_code
    assert (bool(s) and _letter_code(ord(s[0]))) is (re.match(r"[A-Za-z]", s) is not None)


def _code_by_slices(m, view):
    """classify._code as it was, with a one-character slice either side."""
    from etl.extraction.classify import _NUMERALS, _model_name_head
    def letter(s):
        return bool(s) and ("A" <= s[0] <= "Z" or "a" <= s[0] <= "z")
    before = view[m.start - 1:m.start] if m.start else ""
    after = view[m.end:m.end + 1]
    if before == "@" or after == "@" or (before and before in "._-" and letter(view[m.start - 2:m.start - 1])):
        return False, "meta", "e-mail or address"
    if letter(before) or (m.unit is None and letter(after)):
        return False, "name", "code"
    if before and before in _NUMERALS.minus_signs and m.start >= 2 and _model_name_head(view[m.start - 2]):
        return False, "name", "model name (歼-20, 北溪-2)"
    return None


@given(st.lists(st.sampled_from(["A", "g", "5", "20", "-", "−", "歼", "北溪", "_", ".", "@", "万元", "为", "个",
                                 "\U00020000", "年", " ", "Z", "3.5"]), max_size=14).map("".join))
def test_the_code_rule_by_code_points_is_the_rule_by_slices(view):
    from etl.extraction.classify import _code
    from etl.extraction.scanner import scan
    b = Boundaries(view)
    for m in scan(view):
        assert _code(m, view, b) == _code_by_slices(m, view)


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


# --- classify, metrics, qualifiers, roles and the claim record (speed17k) -------------

def test_classify_constants_are_the_rule_files():
    from etl.extraction import classify as cl
    w, nc = rules.classify_words(), rules.nonclaims()
    assert (cl._ORDINAL_UNITS, cl._ANNIVERSARY_UNITS, cl._ORDINAL_BEFORE, cl._ORDINAL_LIST_JOINERS,
            cl._RANK_UNITS, cl._RANK_BEFORE, cl._ISSUE_UNITS, cl._PHASE_UNITS, cl._SESSION_UNITS,
            cl._WINDOW_AFTER, cl._ANNIVERSARY_BEFORE, cl._ANNIVERSARY_AFTER, cl._NEAR_WINDOW_UNITS,
            cl._DATE_NEXT, cl._REGULATION_UNITS, cl._REGULATION_HEADS, cl._REGULATION_ISSUERS,
            cl._FREQUENCY_AFTER, cl._FREQUENCY_UNITS, cl._TALLY_UNITS, cl._ARTICLE_ONES,
            cl._ARTICLE_KEEP_CLASSES) == (
        w.ordinal_units, w.anniversary_units, w.ordinal_before, w.ordinal_list_joiners,
        w.rank_units, w.rank_before, w.issue_units, w.phase_units, w.session_units,
        w.window_after, w.anniversary_before, w.anniversary_after, w.near_window_units,
        w.date_next, w.regulation_units, w.regulation_heads, w.regulation_issuers,
        w.frequency_after, w.frequency_units, w.tally_units, w.article_ones,
        w.article_keep_classes)
    assert cl._AGE_UNITS == nc.age_units
    assert cl._INNER_SUFFIX == frozenset(rules.approx().inner_suffix)


def _slice_read_lists():
    from etl.extraction import classify as cl
    w = rules.classify_words()
    return [w.window_after, w.window_after[:3], w.anniversary_before, w.anniversary_after,
            w.regulation_heads, w.regulation_issuers, w.frequency_after, w.session_heads,
            w.phase_heads_after, w.phase_heads_before, w.tally_verbs, w.duration_after,
            w.kept_up_by], cl._WORD_REACH


def test_the_word_lists_read_by_a_slice_fit_in_it():
    """_starts_with / _ends_with read a slice of _WORD_REACH characters: every word of
    the lists they read must be shorter or as long, and none empty."""
    lists, reach = _slice_read_lists()
    for words in lists:
        assert words and all(0 < len(x) <= reach for x in words), words


_CLASSIFY_ALPHABET = "来以间前后建党成立诞辰华诞规定中央省委一次工程项目夺获内之他她年第届，, 0"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_CLASSIFY_ALPHABET, max_size=14), st.integers(min_value=0, max_value=16))
def test_the_slice_reads_are_startswith_and_endswith(text, at):
    from etl.extraction import classify as cl
    at = min(at, len(text))
    lists, _ = _slice_read_lists()
    for words in lists:
        assert cl._starts_with(text, words, at) == text.startswith(words, at)
        assert cl._ends_with(text, words, at) == text.endswith(words, 0, at)
    for word in ("第", "前", "以来", "届"):
        assert cl._starts_at(text, word, at) == text.startswith(word, at)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="“\"「‘『《》”ab，万元12", max_size=90), st.integers(min_value=0, max_value=95))
def test_an_opener_before_is_the_slice_search(text, pos):
    from etl.extraction import classify as cl
    pos = min(pos, len(text))
    want = any(op in text[max(0, pos - 40):pos] for op in rules.classify_words().quote_openers)
    assert cl._opener_before(text, pos) == want
    assert cl._opener_before(text, pos) == want       # the places of this view, kept


def test_opener_places_follow_the_view():
    from etl.extraction import classify as cl
    assert cl._opener_before("《书》10本", 3)
    assert not cl._opener_before("这是10本书", 2)      # another view: its own places
    assert cl._opener_before("《书》10本", 3)


def test_stop_tables_are_the_regex_classes_they_replaced():
    from etl.extraction import metrics as mt
    for pattern, table in ((r"[，,：:;；。！？!?\n]", mt._CLAUSE_STOPS),
                           (r"[。！？!?;；\n]", mt._SENT_STOPS),
                           (r"[0-9０-９，,、：:;；。！？!?\s（(“”\"<]", mt._NEAR_STOPS)):
        rx = re.compile(pattern)
        assert all(bool(table[c]) == (rx.match(chr(c)) is not None) for c in range(0x10000))
        assert not any(rx.match(chr(c)) for c in range(0x10000, 0x110000, 97))
        for text in ("", "发放慰问金", "为151名困难党员，送去", "共 12人。", "\u3000党员\n干部"):
            m = rx.search(text)
            assert mt._first_stop(text, table) == (m.start() if m else len(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="发放慰问金为向对名困难党员群众参加活动，。 12\u3000和", max_size=40),
       st.text(alphabet="发放慰问金为向对名困难党员群众参加活动，。 12\u3000和", max_size=40))
def test_metric_features_are_those_of_finditer(before, after):
    from etl.extraction import metrics as mt
    for uc in ("money", "people", "person_times"):
        model = mt._model(uc)
        windows = mt._windows("困难党员", "发放慰问金" + before, before, after)
        got = mt._features(model, windows)
        want: list = []
        for i, lex in enumerate(model.lexicons):
            text = windows[i]
            if lex is None or not text:
                continue
            if i in (mt._BEFORE, mt._AFTER, mt._ADJACENT):
                mo = lex.pattern.search(text)
                if mo is not None:
                    word = mo.group()
                    want += [(i, mid, word[::-1] if i == mt._BEFORE else word) for mid in lex.metrics_of[word]]
                continue
            seen: set = set()
            for mo in lex.pattern.finditer(text):
                for mid in lex.metrics_of[mo.group()]:
                    if mid not in seen:
                        seen.add(mid)
                        want.append((i, mid, mo.group()))
        # less what the backing rules drop (a general noun, an act of volunteers alone)
        assert got == mt._backed(want, windows[4])
        assert all(lex is None or lex.pattern.groups == 0 for lex in model.lexicons)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="占比为完成达到年度任务总数的 \n，12", max_size=20))
def test_a_window_without_de_holds_no_share(text):
    # the gate in find_qualifiers: a share closes on 的 or follows a part verb (占…比重达,
    # 占…近六成), so a window with neither character holds none
    p = qualifiers._patterns()
    if "的" not in text and "占" not in text:
        assert p.share.search(text) is None


def test_a_claim_built_in_one_call_is_the_keyword_dataclass():
    from etl.extraction.extract import _new_full_claim
    got = _new_full_claim("d.txt", 3, 8, "27万元", Decimal(270000), None, "元", "money", "exact",
                          "慰问金", "发放慰问金27万元。", 0, 10, "人", "共计", None, None, "quantity",
                          "funds_disbursed", "主体含“慰问金”")
    want = Claim("d.txt", 3, 8, "27万元", True, value=Decimal(270000), unit="元", unit_class="money",
                 approx="exact", subject="慰问金", sentence="发放慰问金27万元。", sentence_start=0,
                 sentence_end=10, per="人", aggregate="共计", reason="quantity",
                 metric="funds_disbursed", metric_evidence="主体含“慰问金”")
    assert {f.name: getattr(got, f.name) for f in fields(Claim)} == \
        {f.name: getattr(want, f.name) for f in fields(Claim)}


def test_units_are_inferred_only_when_a_claim_has_none():
    claims = extract_text("划拨2.2亿。省委划拨2.2亿元资金。", "d.txt")
    assert [(c.text, c.unit) for c in claims if c.is_claim] == [("2.2亿", "元"), ("2.2亿元", "元")]


@pytest.mark.parametrize("text, want", [("发放慰问金27万元", True), ("发放慰问金。27万元", False),
                                        ("首页|新闻", False), ("", False), ("完成！", False)])
def test_a_headline_has_no_full_stop(text, want):
    R = roles.counting_rules()
    got = roles._is_headline(text, (0, len(text)), R)
    stripped = text.strip()
    plain = bool(stripped) and len(stripped) <= R.headline_max_chars and "|" not in stripped \
        and frozenset("。！？!?").isdisjoint(stripped)
    assert got is plain is want


def test_a_figures_periods_are_found_once_and_are_those_of_its_sentence():
    from etl.extraction.text_spans import Boundaries
    view = "2023年发放慰问金50万元。去年发放50万元，今年发放50万元。"
    claims = extract_text(view, "d.txt")
    R = roles.counting_rules()
    b = Boundaries(view)
    figs = [roles.Fig(k, c, c.start, c.end, b.sentence(c.start), b.clause(c.start), b.line(c.start),
                      False, view) for k, c in enumerate(claims) if c.is_claim]
    for f in figs:
        s = view[f.sent[0]:f.start]
        want = frozenset(set(R.period_re.findall(s)) | set(roles._YEAR.findall(s)))
        assert f.periods is None
        assert roles._periods(f, view, R) == want
        assert roles._periods(f, view, R) is f.periods        # kept, not found again
    assert roles._other_period(figs[0], figs[1], view, R)

# --- the words of a phrase read from the window it lies in (speed17s) -------------------

def _clean_subs_agree(window: str) -> int:
    """For a window whose forward cut is not in doubt, every span of it on token
    boundaries (without 其) gets from `slice_within` the tokens cutting it alone gives;
    the number of spans compared."""
    from etl.extraction import segmenter
    from etl.extraction import subject_words as sw
    fwd = segmenter.cut_forward(window)
    if not window or segmenter.doubtful(fwd):
        return 0
    toks = sw._tokens_of(window, True)
    assert toks == sw._tokens_of(window, False)      # not in doubt: the same both ways
    bounds = [0]
    for w, _c in toks:
        bounds.append(bounds[-1] + len(w))
    compared = 0
    for a in range(len(bounds)):
        for b in range(a + 1, len(bounds)):
            text = window[bounds[a]:bounds[b]]
            if "其" in text:
                continue
            got = sw.slice_within(window, toks, text)
            if got is None:
                continue        # (not where it first occurs, or a group head first)
            assert got == sw._tokens_of(text, True) == sw._tokens_of(text, False), (window, text)
            compared += 1
    return compared


def test_a_phrase_within_a_clean_window_has_the_windows_words_on_the_reports():
    compared = 0
    for text in _corpus_texts():
        for lo in range(0, len(text) - 8, 19):
            compared += _clean_subs_agree(text[lo:lo + 8 + lo % 25])
    assert compared > 3_000


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("党员干部职工群众服务中心小组活动点会其中人民币赞助商会参学率"
                             "的和与等为“”《》（）、，。0123 "), min_size=1, max_size=30))
def test_a_phrase_within_a_clean_window_has_the_windows_words(window):
    _clean_subs_agree(window)


def test_only_phrases_look_in_the_recent_windows():
    from etl.extraction import subject_words as sw
    sw.tokens("组织干部职工参加志愿服务活动", True)
    assert sw.within_clean("干部职工") == sw._tokens_of("干部职工", True)
    assert sw.within_clean("其人数") is None        # 其: always cut
    assert sw.within_clean("部职") is None          # not on word boundaries


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("党员干部职工群众服务中心小组活动点会人民币赞助商参学率的和与等其")
               + list(")）”’\"」》"), max_size=20))
def test_a_head_class_from_the_tokens_at_hand_is_the_head_class(phrase):
    # info's miss hands head_class the phrase's tokens: the same class, kept the same way,
    # whether or not a closing mark is stripped first
    from etl.extraction import subject_words as sw
    sw._HEAD_CACHE.clear()
    want = sw.head_class(phrase)
    sw._HEAD_CACHE.clear()
    got = sw.head_class_cut(phrase, sw.tokens(phrase, True, True))
    assert got == want
    assert sw._HEAD_CACHE[phrase] == want
    assert sw.head_class_cut(phrase, ()) == want      # a phrase known: its memo answers


_STOP_SAMPLE = "".join(sorted(rules.phrase_chars().stop_chars))[:12]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("党员干部的和12 a") + list(_STOP_SAMPLE) + ["\U00020000"], max_size=30),
       st.integers(-3, 35), st.integers(-3, 35))
def test_the_stop_look_ups_are_the_regexes_they_replaced(text, lo, hi):
    from etl.extraction.subject_words import STOP_RE, last_stop, stop_in
    m = STOP_RE.search(text, lo, hi)
    assert stop_in(text, lo, hi) == (m.start() if m else -1)
    last = phrases._LAST_STOP.match(text)
    assert last_stop(text) == (last.end() - 1 if last else -1)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=list("党员 \u00a0、和及与或的,") + ["\U00020000"], min_size=1, max_size=12))
def test_the_edge_look_up_is_the_set_it_replaced(text):
    from etl.extraction import subjects
    for k in range(len(text)):
        assert subjects._edge(text, k) == (text[k] in subjects._EDGE_CHARS)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("被向对党员干部《》<>〈〉的") + ["\U00020000"], min_size=1, max_size=12),
       st.data())
def test_the_title_and_preposition_features_are_the_slices_they_replaced(view, data):
    from etl.extraction import subject_features as sf
    lo = data.draw(st.integers(0, len(view) - 1))
    hi = data.draw(st.integers(lo + 1, len(view)))
    start = data.draw(st.integers(hi, len(view)))
    c = sf.Candidate(lo, hi)
    sf.features(c, view, start, start, "people", (0, len(view)), (0, len(view)))
    # the expressions they replaced
    want = set()
    before = view[max(0, lo - 1):lo]
    if before in sf._TITLE_OPEN or view[hi:hi + 1] in sf._TITLE_CLOSE:
        want.add("in_title")
    if hi <= start and before and before in sf._PREPOSITIONS or hi <= start and view[max(0, lo - 2):lo - 1] in sf._PREPOSITIONS and before in sf._TITLE_OPEN:
        want.add("prep_object")
    if hi < start and view[hi] in sf._PREPOSITIONS and sf.prep_with_object(view, hi, start):
        want.add("prep_actor")      # (the character, then the word it starts: refit28)
    assert {k for k in ("in_title", "prep_object", "prep_actor") if k in c.feats} == want

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


# --- the scan: forms tried per character, the unit class, spans by length, numerals --

def _word_texts() -> list[str]:
    """Every listed slogan, name and word, alone and between characters that make or
    break it (the dispatch regexes must find them where the full list did)."""
    nc = rules.nonclaims()
    words = [*nc.slogans, *nc.names, *nc.words, *rules.numerals().half_words]
    return ["，".join(words), "".join(words), "".join("和" + w + "3个" for w in words)]


def _unpruned_table(scanner) -> dict:
    """The dispatch regexes as they were: every alternative of the character's kind, the
    units as a bare prefix tree."""
    _, parts = scanner._alternatives()
    bare, classed = rules.alternation(rules.units()), scanner._unit_alternation(list(rules.units()))
    by: dict = {}
    out = {}
    for ch in scanner._dispatch()[1]:
        names = scanner._forms_at(ch, [n for n, _ in parts])
        if names not in by:
            alts = [p.replace(classed, bare) for n, p in parts if n in names]
            k = len(scanner._DIGIT_PUNCT)
            if [n for n in names[:k] if n in scanner._DIGIT_PUNCT] == list(scanner._DIGIT_PUNCT):
                alts = [scanner._DIGIT_PUNCT_GUARD + "(?:" + "|".join(alts[:k]) + ")", *alts[k:]]
            by[names] = re.compile("(?:" + "|".join(alts) + ")")
        out[ch] = by[names]
    return out


def test_each_character_tries_only_the_forms_that_can_start_with_it():
    """A listed-word form (slogan, name, word, half share) is left out of the regex of a
    character none of its words is matched from, and the unit tree stands behind a class
    of its first characters: at every position of the reports, the forms and the word
    lists, the same match (span, form, every group both regexes have) as every
    alternative of the character's kind with the bare unit tree."""
    from etl.extraction import scanner
    _, table = scanner._dispatch()
    full = _unpruned_table(scanner)
    assert any(len(table[ch].groupindex) < len(full[ch].groupindex) for ch in table)
    tried = matched = 0
    for text in _scan_texts() + _word_texts():
        for i, ch in enumerate(text):
            if ch not in table:
                continue
            a, b = table[ch].match(text, i), full[ch].match(text, i)
            assert (a is None) == (b is None), (ch, text[i:i + 20])
            tried += 1
            if a is None or b is None:
                continue
            matched += 1
            ga, gb = a.groupdict(), b.groupdict()
            assert (a.span(), a.lastgroup) == (b.span(), b.lastgroup), (ch, text[i:i + 20])
            assert all(ga.get(k) == v for k, v in gb.items()), (ch, text[i:i + 20])
    assert tried > 1_500 and matched > 500


def test_the_unit_class_holds_every_units_first_character():
    from etl.extraction import scanner
    words = list(rules.units())
    classed = re.compile(scanner._unit_alternation(words))
    bare = re.compile(rules.alternation(words))
    for w in words:
        for text in (w, w + "人", w[:-1] + "x", "x" + w):
            a, b = classed.match(text), bare.match(text)
            assert (a and a.group()) == (b and b.group()), text


def test_a_quantitys_number_and_unit_spans_follow_from_their_lengths():
    """scan reads the number's span and the unit's end from the lengths of the groups:
    the number opens a quantity, and only a suffix follows its unit."""
    from etl.extraction import scanner
    next_start, table = scanner._dispatch()
    seen = 0
    for text in _scan_texts():
        pos = 0
        while (at := next_start.search(text, pos)) is not None:
            m = table[text[at.start()]].match(text, at.start())
            if m is None:
                pos = at.start() + 1
                continue
            pos = m.end()
            if m.lastgroup != "qty":
                continue
            num, unit, osfx = m.group("num", "unit", "osfx")
            assert m.span("num") == (m.start(), m.start() + len(num))
            if unit:
                assert m.end("unit") == m.end() - len(osfx or "")
                seen += 1
    assert seen > 200


@given(st.text(alphabet="0123456789.,一二三四五六七八九十百千万亿两零余多几点廿 ", max_size=8))
@settings(max_examples=300, deadline=None)
def test_a_cached_numeral_is_the_numeral_read_afresh(s):
    from etl.extraction import numerals
    assert numerals.parse_numeral(s) == numerals._read(s)
    assert numerals.parse_numeral(s) == numerals._read(s)     # the second read is the cache's


def test_the_numeral_cache_stays_bounded():
    from etl.extraction import numerals
    for i in range(numerals._READINGS_KEPT + 10):
        assert numerals.parse_numeral(str(i)).value == i
    assert 0 < len(numerals._READINGS) <= numerals._READINGS_KEPT


@given(st.text(alphabet="0123456789.万亿萬億多", min_size=1, max_size=10))
@settings(max_examples=500, deadline=None)
def test_a_decimal_then_big_units_is_read_as_the_walk_reads_it(s):
    """27万, 1.5亿, 4.78万亿 are read without the walk over tokens, to the same reading
    (value, its digits, chinese); any other shape is left to the walk."""
    from etl.extraction import numerals
    got = numerals._decimal_then_big(s)
    assert got is None or (got == numerals._parse(s) and str(got.value) == str(numerals._parse(s).value))


@pytest.mark.parametrize("s", ["27万", "1.5亿", "4.78万亿", "0.50萬", "12億", "3.14159万"])
def test_the_common_numerals_with_a_big_unit_take_the_short_read(s):
    from etl.extraction import numerals
    got = numerals._decimal_then_big(s)
    assert got is not None and got == numerals._parse(s) and str(got.value) == str(numerals._parse(s).value)
    assert numerals._decimal_then_big(s[:-1] + "多" + s[-1]) is None     # 27多万: the walk


def test_a_reading_is_built_as_the_dataclass_builds_it():
    from etl.extraction import numerals
    r = numerals.Reading(Decimal(5))
    assert (r.value, r.value_max, r.inner_approx, r.chinese) == (Decimal(5), None, None, False)
    r = numerals.Reading(Decimal(2), Decimal(3), "over", True)
    assert (r.value, r.value_max, r.inner_approx, r.chinese) == (Decimal(2), Decimal(3), "over", True)
    assert r == numerals.Reading(Decimal(2), Decimal(3), "over", True) and hash(r) == hash(
        numerals.Reading(Decimal(2), Decimal(3), "over", True))


@given(st.lists(st.sampled_from(["共", "<b>", "</b>", "30", "条", "&nbsp;", "，", "人", "<p>", "\n"]),
                max_size=20).map("".join), st.data())
def test_one_raw_span_is_the_walk_of_raw_spans(raw, data):
    """`raw_span` (two bisections) maps a span as the walk of `raw_spans` does."""
    from etl.extraction.normalize import normalize
    t = normalize(raw, markup=True)
    n = len(t.text)
    start = data.draw(st.integers(min_value=0, max_value=n))
    end = data.draw(st.integers(min_value=start, max_value=n))
    assert t.raw_span(start, end) == t.raw_spans([(start, end)])[0]


@given(st.text(alphabet=list("首页 >当前位置版权所有上一篇相关阅读扫一扫关于我们\n新闻12") + ["\U00020000"], max_size=40),
       st.integers(min_value=0, max_value=42), st.integers(min_value=0, max_value=42))
def test_the_furniture_walk_is_an_in_per_word(text, start, end):
    """The first-character walk of `furniture_line` answers what an `in` per word did."""
    from etl.extraction.text_spans import _holds_word
    words = tuple(rules.nonclaims().furniture_lines)
    end = min(end, len(text))
    for ws in (words, ("\U00020000首",), ()):
        assert _holds_word(text, start, end, ws) is any(w in text[start:end] for w in ws)


def test_the_function_character_table_is_the_set():
    from etl.extraction import segmenter
    assert all(ord(c) < 0x10000 for c in segmenter._FUNCTION_CHARS)
    assert {chr(c) for c in range(0x10000) if segmenter._FUNCTION_TABLE[c]} == set(segmenter._FUNCTION_CHARS)
    assert chr(segmenter._QI) == "其"


@given(st.text(alphabet=list("浏览次数量阅读点击访问发布日期时间：:来源编辑责任更新表\n12") + ["\U00020000"], max_size=30),
       st.integers(min_value=0, max_value=32), st.integers(min_value=0, max_value=32))
def test_the_furniture_key_walk_is_the_regex_search(view, lo, hi):
    """The walk finds what the alternation's search found: leftmost, then longest."""
    from etl.extraction import classify
    assert classify._KEY_TABLE       # every key starts in the plane: the walk is used
    hit = classify._FURNITURE_KEY.search(view, lo, hi)
    assert classify._furniture_key(view, lo, min(hi, len(view))) == (hit.group() if hit else None)


@given(st.text(alphabet="0123456789.,１２٣ a", max_size=8))
def test_the_plain_decimal_check_is_the_regex(s):
    from etl.extraction import numerals
    assert numerals._plain_decimal(s) is bool(s.isascii() and numerals._PLAIN_DECIMAL.fullmatch(s))


def test_a_form_other_than_a_quantity_spans_its_match():
    """scan takes a non-quantity form's span as (the scan position, the match's end)."""
    from etl.extraction.scanner import _matchers, scan
    view = "2021年12月30日，第八届，(一)是，www.example.com，10:30，一是"
    next_start, matchers = _matchers()[:2]     # the full regexes (the lean ones match alike)
    spans = []
    pos = 0
    while (at := next_start(view, pos)) is not None:
        m = matchers[view[at.start()]](view, at.start())
        if m is None:
            pos = at.start() + 1
            continue
        if m.lastgroup not in ("qty", "pctw", "half"):
            spans.append(m.span())
        pos = m.end()
    assert spans and [(x.start, x.end) for x in scan(view) if x.form != "qty"] == spans


# --- metrics, roles, qualifiers, tables (tailspeed24) ------------------------------------

def _old_hint_lines(view: str) -> list[tuple[int, int]]:
    """tables._text_tables' line search as it was: the hint regex through the view."""
    from etl.extraction import tables
    lines: list[tuple[int, int]] = []
    line_end = -1
    for m in tables._HINT.finditer(view):
        p = m.start()
        if p < line_end:
            continue
        ls = view.rfind("\n", 0, p) + 1
        le = view.find("\n", p)
        if le < 0:
            le = len(view)
        lines.append((ls, le))
        line_end = le
    return lines


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab \t|\n\u3000\u00a0年", max_size=60))
def test_hint_lines_are_the_lines_the_regex_finds(view):
    from etl.extraction import tables
    assert tables._hint_lines(view) == _old_hint_lines(view)


def test_hint_lines_on_the_corpus():
    from etl.extraction import tables
    for text in _corpus_texts():
        assert tables._hint_lines(text) == _old_hint_lines(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="运动员派出所动员总研发经费资金投入的均x|", max_size=24))
def test_masking_by_word_tests_is_masking_by_the_regex(text):
    from etl.extraction import metrics as mt
    b = mt._backing()
    assert b.hiding is not None and b.hiding_words      # the rules list a few today
    assert mt._masked(b.hiding, b.hiding_words, text) == mt._masked(b.hiding, (), text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="每均共合计人元的 \U0001f600a", max_size=14))
def test_quick_gate_is_the_set_test(tail):
    p = qualifiers._patterns()
    assert qualifiers._holds_none(tail, p.quick_table, p.quick) == p.quick.isdisjoint(tail)


@pytest.mark.parametrize("before, unit_class, after", [
    ("每人", "money", ""), ("共计", "money", ""), ("同比增长", "percent", ""),
    ("补贴标准", "money", "/人/月"), ("完成年度任务的", "percent", ""), ("发放", "money", "")])
def test_kept_qualifier_records_equal_new_ones(before, unit_class, after):
    got = qualifiers.find_qualifiers(before, unit_class, after)
    again = qualifiers.find_qualifiers(before, unit_class, after)
    assert got == again == qualifiers.Qualifiers(got.per, got.aggregate, got.change, got.share_of)

def _backward_by_slices(text: str, max_len: int = 6) -> list[str]:
    """Backward maximum matching as it was written first: at each end, every start
    behind it looked up afresh, the longest word first (the reference for `cut_backward`,
    which finds each start's words once)."""
    from etl.extraction import segmenter as seg
    out: list[str] = []
    run_end = -1
    i = len(text)
    while i > 0:
        best, word = i - 1, ""
        for j in range(max(0, i - max_len), i - 1):
            if seg._count(text[j:i]):
                best, word = j, text[j:i]
                break
        c = ord(text[best])
        if best == i - 1 and seg._CJK_LO <= c <= seg._CJK_HI and not seg._FUNCTION_TABLE[c]:
            if run_end < 0:
                run_end = i
        else:
            if run_end >= 0:
                out.append(text[i:run_end])
                run_end = -1
            out.append(word if best < i - 1 else text[best])
        i = best
    if run_end >= 0:
        out.append(text[0:run_end])
    out.reverse()
    return out


def test_the_backward_cut_is_the_one_by_slices_on_the_reports():
    from etl.extraction.segmenter import cut_backward
    compared = 0
    for text in _corpus_texts():
        for lo in range(0, len(text) - 8, 23):
            window = text[lo:lo + 6 + lo % 31]
            assert cut_backward(window) == _backward_by_slices(window), window
            assert cut_backward(window, 4) == _backward_by_slices(window, 4), window
            compared += 1
    assert compared > 1_000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("中华人民共和国服务中心赞助商会人民币参学率电动汽车充电量党的十九大其"
                             "的和与、，。0123 a"), min_size=1, max_size=30))
def test_the_backward_cut_is_the_one_by_slices(text):
    from etl.extraction.segmenter import cut_backward
    assert cut_backward(text) == _backward_by_slices(text)


def _noted_then_backward(text: str, max_len: int = 6) -> tuple[list[int], list[str]]:
    """The word lengths a forward cut notes (as it noted them), and the backward cut
    that reuses them."""
    from etl.extraction import segmenter as seg
    noted = [-1] * len(text)
    fwd = seg.cut_forward(text, max_len, noted)
    assert fwd == seg.cut_forward(text, max_len)      # noting changes nothing of the cut
    return list(noted), seg.cut_backward(text, max_len, noted)


def test_the_backward_cut_after_a_forward_one_is_the_one_by_slices_on_the_reports():
    """`tokens` hands the backward cut the word lengths the forward cut found: each
    noted start holds what `_word_lengths` reads there, and the cut is the reference's."""
    from etl.extraction import segmenter as seg
    compared = noted_starts = 0
    for text in _corpus_texts():
        for lo in range(0, len(text) - 8, 23):
            window = text[lo:lo + 6 + lo % 31]
            for max_len in (6, 4):
                noted, bwd = _noted_then_backward(window, max_len)
                assert bwd == _backward_by_slices(window, max_len), window
                for j, got in enumerate(noted):
                    if got >= 0:        # (-1: no word starts there in the forward cut)
                        assert got == seg._word_lengths(window, j, len(window), max_len), (window, j)
                        noted_starts += got > 0
            compared += 1
    assert compared > 1_000 and noted_starts > 1_000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("中华人民共和国服务中心赞助商会人民币参学率电动汽车充电量党的十九大其"
                             "的和与、，。0123 a"), min_size=1, max_size=30))
def test_the_backward_cut_after_a_forward_one_is_the_one_by_slices(text):
    assert _noted_then_backward(text)[1] == _backward_by_slices(text)


def _doubt_and_unknown_agree(text: str, max_len: int = 6) -> tuple[bool, int]:
    """A forward cut that notes its word lengths says whether it is in doubt as
    `doubtful` walking the words says it (a copy of the list is not the cut's, so it is
    walked); the unknown words `settle` counts from the noted lengths, of the forward and
    of the backward cut, are those the dictionary lacks, each word looked up whole (as
    `_cut_cost` counted them). Returns (in doubt, unknown words of the forward cut)."""
    from etl.extraction import segmenter as seg
    noted = [-1] * len(text)
    fwd = seg.cut_forward(text, max_len, noted)
    walked = seg.doubtful(list(fwd))
    assert seg.doubtful(fwd) == walked, text
    if max_len != 6:
        return walked, -1
    bwd = seg.cut_backward(text, 6, noted)
    unknown = [sum(1 for w in cut if len(w) > 1 and seg._CJK_LO <= ord(w[0]) <= seg._CJK_HI
                   and not seg.is_word(w)) for cut in (fwd, bwd)]
    assert seg._unknown_words(fwd, text, noted) == unknown[0], text
    assert seg._unknown_words(bwd, text, noted) == unknown[1], text
    return walked, unknown[0]


def test_the_forward_cut_knows_its_doubt_and_unknown_words_on_the_reports():
    doubtful = unknown = compared = 0
    for text in _corpus_texts():
        for lo in range(0, len(text) - 8, 17):
            window = text[lo:lo + 4 + lo % 37]
            for max_len in (6, 4):
                walked, n = _doubt_and_unknown_agree(window, max_len)
                doubtful += walked
                unknown += n > 0
            compared += 1
    assert compared > 1_000 and doubtful > 300 and unknown > 100


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("中华人民共和国服务中心赞助商会人民币参学率电动汽车充电量党的十九大其"
                             "子女家属的和与、，。0123 a"), min_size=1, max_size=30))
def test_the_forward_cut_knows_its_doubt_and_unknown_words(text):
    _doubt_and_unknown_agree(text)
    _doubt_and_unknown_agree(text, 4)


def test_a_window_with_a_long_unknown_run_asks_the_dictionary():
    """A run of single characters longer than max_len may still be a word (none of its
    prefixes of up to max_len characters is one); a run as long as max_len cannot."""
    from etl.extraction import segmenter as seg
    for run in ("一丛丛", "一人传虚"):      # words in which no shorter word starts anywhere
        max_len = len(run) - 1
        noted = [-1] * len(run)
        fwd = seg.cut_forward(run, max_len, noted)
        assert fwd == [run] and seg.is_word(run)
        assert not seg.doubtful(fwd) and not seg.doubtful(list(fwd))
        noted = [-1] * (len(run) + 1)
        fwd = seg.cut_forward(run + "丛", max_len, noted)     # no word: a run in doubt
        assert seg.doubtful(fwd) and seg.doubtful(list(fwd))


def _cue_tail_agrees(tail: str) -> bool:
    """`_own_role`'s test for a cue's first character in the text before a figure, by
    table, is the set's `isdisjoint` it replaced; returns whether one is there."""
    from etl.extraction.text_spans import first_in
    R = roles.counting_rules()
    got = first_in(tail, 0, len(tail), R.cue_table, R.cue_chars) >= 0
    assert got == (not R.cue_chars.isdisjoint(tail)), tail
    return got


def test_the_cue_characters_by_table_are_the_set_on_the_reports():
    R = roles.counting_rules()
    found = tried = 0
    for text in _corpus_texts():
        for p in range(0, len(text), 3):
            found += _cue_tail_agrees(text[max(0, p - R.change_window - 4):p])
            tried += 1
    assert tried > 3_000 and 100 < found < tried


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("增长减少平均同比下降补助资金，。0a ") + ["\U00020000"], max_size=14))
def test_the_cue_characters_by_table_are_the_set(tail):
    _cue_tail_agrees(tail)


def _last_marker_by_matches(before: str, R) -> tuple[int, str]:
    """`roles._last_marker` as written before its search first: every match walked."""
    best, word = -1, ""
    for m in R.marker_re.finditer(before):
        w = m.group()
        if not any(roles._covers(before, m.start(), len(w), n) for n in R.part_marker_not):
            best, word = m.start(), w
    return best, word


def test_the_last_marker_is_the_one_of_every_match_on_the_reports():
    R = roles.counting_rules()
    found = tried = 0
    for text in _corpus_texts():
        for p in range(0, len(text), 3):
            before = text[max(0, p - 60):p]
            want = _last_marker_by_matches(before, R)
            assert roles._last_marker(before, R) == want, before
            found += want[0] >= 0
            tried += 1
    assert tried > 3_000 and found > 30


def _crossing_by_slices(text: str, start: int, end: int, max_len: int = 4) -> str | None:
    """`segmenter.crosses_word` as a look-up of every span of up to max_len characters
    that overlaps text[start:end] without lying inside it or ending where it starts."""
    from etl.extraction import segmenter as seg
    for a in range(max(0, start - max_len + 1), start + 1):
        for b in range(max(end, a + 2), min(len(text), a + max_len) + 1):
            if (a < start or b > end) and a < end and b > start and not (a < start and b <= start) \
                    and seg.is_word(text[a:b]):
                return text[a:b]
    return None


def test_the_word_across_a_figure_is_the_one_by_slices_on_the_reports():
    from etl.extraction import segmenter as seg
    found = tried = 0
    for text in _corpus_texts():
        for p in range(0, len(text) - 1, 5):
            for size in (1, 2, 3, 4, 5):
                want = _crossing_by_slices(text, p, p + size)
                assert seg.crosses_word(text, p, p + size) == want, (text[p - 4:p + size + 4], size)
                found += want is not None
                tried += 1
    assert tried > 10_000 and found > 500


def _nearest_verb_by_matches(pattern, clause_rev: str, name_heads) -> tuple[int, int] | None:
    """`metrics._nearest_verb` as written before its search first: every match walked."""
    for mo in pattern.finditer(clause_rev):
        heads = name_heads.get(mo.group())
        if heads is None or not clause_rev.startswith(heads, mo.end()):
            return mo.span()
    return None


def test_the_nearest_verb_is_the_one_of_every_match_on_the_reports():
    from etl.extraction import metrics
    found = tried = 0
    for unit_class in ("people", "money", "person_times"):
        model = metrics._model(unit_class)
        pattern = model.lexicons[metrics._BEFORE].pattern
        heads = dict(model.name_heads)
        # a made-up name tail for every verb, so that passing over a match is tried too
        for mo in pattern.finditer("".join(_corpus_texts())[::-1]):
            heads.setdefault(mo.group(), ("织组", "的"))
        for text in _corpus_texts():
            rev = text[::-1]
            for p in range(0, len(rev), 11):
                clause = rev[p:p + 40]
                for names in (model.name_heads, heads):
                    want = _nearest_verb_by_matches(pattern, clause, names)
                    got = metrics._nearest_verb(pattern, clause, names)
                    assert (got.span() if got else None) == want, clause
                    found += want is not None
                    tried += 1
    assert tried > 3_000 and found > 300


def test_the_memoised_log_counts_are_the_logs_of_the_counts():
    """`settle` compares two cuts by the log of the product of their words' counts; the
    memo gives each word's log as computed afresh, the second time too."""
    from math import log

    from etl.extraction import segmenter as seg
    words = ["电动汽车", "充电", "量", "充", "电量", "党", "的", "十九大", "参学率", "其", "a"]
    want = 0.0
    for w in words:
        c = seg._count(w)
        if c > 1:
            want += log(c)
    assert any(seg._count(w) > 1 for w in words) and any(seg._count(w) <= 1 for w in words)
    assert seg._log_count(words) == want
    assert seg._log_count(words) == want      # from the memo


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=list("“”‘’「」\"'《》（）党员的") + ["\U00020000"], min_size=1, max_size=1))
def test_the_open_quote_look_up_is_the_pairs_it_replaced(ch):
    from etl.extraction import subject_words as sw
    assert sw._opens_quote(ch) == (ch in sw._OPEN_QUOTES)
    assert all(sw._opens_quote(k) for k in sw._OPEN_QUOTES)


def _listed_by_slices(phrase: str, shortest: int = 1) -> str:
    """The head lists' class of the longest listed word `phrase` ends on, every length
    from the longest head down sliced and looked up (as `listed_head` was written)."""
    from etl.extraction.subject_words import HEADS
    for k in range(min(len(phrase), max(map(len, HEADS))), shortest - 1, -1):
        cls = HEADS.get(phrase[-k:])
        if cls is not None:
            return cls
    return ""


_HEAD_SAMPLE = "".join(sorted({ch for w in rules.subject_rules()["attribute_nouns"] for ch in w}))[:20]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("党员干部职工群众人民志愿者资金慰问金项目活动企业单位的和" + _HEAD_SAMPLE),
               max_size=10))
def test_the_head_look_ups_by_last_character_are_the_slices(phrase):
    from etl.extraction import subject_words as sw
    assert sw.listed_head(phrase) == _listed_by_slices(phrase)
    two = _listed_by_slices(phrase, 2)
    assert sw._ends_on_noun_head(phrase) == (two in sw._THING_CLASSES if two else False)
    if phrase and phrase == phrase.rstrip(")）”’\"」》") and _listed_by_slices(phrase):
        assert sw.head_class(phrase) == _listed_by_slices(phrase)


def test_the_head_look_ups_by_last_character_on_every_listed_head():
    from etl.extraction import subject_words as sw
    for w in sw.HEADS:
        for text in (w, "党员" + w, w[1:]):
            assert sw.listed_head(text) == _listed_by_slices(text), text

def _lean_agrees(scanner, table, text: str) -> tuple[int, int]:
    """At every digit and numeral of `text` where `_positional` allows the lean (or the
    dated, or the marked) regex, it matches as the character's full one (span, form,
    every group); (tried, used)."""
    lean, dated = scanner._lean_dispatch()
    narrower = {scanner.LEAN: lean, scanner.DATED: dated, scanner.MARKED: scanner._marked_dispatch()}
    tried = used = 0
    for i, ch in enumerate(text):
        if ch not in lean:
            continue
        tried += 1
        level = scanner._positional(text, i)
        if level == scanner.FULL:
            continue
        used += 1
        a, b = table[ch].match(text, i), narrower[level][ch].match(text, i)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), (ch, text[i:i + 20])
        if a is not None and b is not None:
            ga = a.groupdict()
            assert all(ga[k] == v for k, v in b.groupdict().items()), (ch, text[i:i + 20])
            assert all(v is None for k, v in ga.items() if k not in b.re.groupindex), (ch, text[i:i + 20])
    return tried, used


def test_the_lean_regex_matches_as_the_full_one_where_no_positional_form_can_start():
    """Where `_positional` finds none of the characters a date, list marker, ordinal,
    percent word or digit-punctuation form needs (or, after a digit run, only a date's),
    the regex without those forms (but the date) finds what the full one does: every
    position of the reports and the word lists."""
    from etl.extraction import scanner
    _, table = scanner._dispatch()
    lean, dated = scanner._lean_dispatch()
    assert lean and all(not (set(p.groupindex) & scanner._POSITIONAL) for p in lean.values())
    assert dated and all(set(p.groupindex) & scanner._POSITIONAL == {"date"} for p in dated.values())
    marked = scanner._marked_dispatch()
    assert marked and all(set(p.groupindex) & scanner._POSITIONAL == {"list_marker"} for p in marked.values())
    tried = used = 0
    for text in _scan_texts() + _word_texts():
        t, u = _lean_agrees(scanner, table, text)
        tried, used = tried + t, used + u
    assert used > 1_000 and tried - used > 100


@given(st.lists(st.sampled_from(list("0123456789一二三四五六七八九十百千万亿两〇零余多几点第")
                                + list("年月日号分之是其、.-/:+()大中全会万元个人次% \u00a0\n，。约近超")
                                + ["①", "百分之", "三分之一", "2023年", "4月27日", "十九大", "一是",
                                   "1、", "2.", "5G", "工会进万家"]), max_size=14).map("".join))
@settings(max_examples=1500, deadline=None)
def test_the_lean_regex_matches_as_the_full_one_on_mixed_text(text):
    from etl.extraction import scanner
    _lean_agrees(scanner, scanner._dispatch()[1], text)


@pytest.mark.parametrize("text, pos, level", [
    ("共27万元", 1, "LEAN"), ("2023年", 0, "DATED"), ("3、", 0, "MARKED"), ("12:30", 0, "FULL"),
    ("13800000000", 0, "FULL"), ("十九大", 0, "FULL"), ("三分之一", 0, "FULL"), ("一是", 0, "FULL"),
    ("四中全会", 0, "FULL"), ("五百余万人", 0, "LEAN"), ("4月27日", 0, "DATED"), ("4月7分", 0, "DATED"),
    ("二〇二一年", 0, "FULL"), ("下降2个百分点", 2, "LEAN"), ("3.5万元", 0, "LEAN"),
    ("2021.12.30", 0, "FULL"), ("7.2025年", 0, "FULL"), ("3.", 0, "MARKED"), ("百分之五", 0, "FULL"),
    ("10.习近平", 0, "MARKED"), ("2021.", 0, "MARKED"), ("3.分之一", 0, "FULL"), ("3、5分之一", 2, "FULL"),
    ("3 分之一", 0, "FULL"), ("5分钟", 0, "FULL"), ("三又三分之一", 0, "FULL")])
def test_positional_sees_the_forms_characters(text, pos, level):
    from etl.extraction import scanner
    assert scanner._positional(text, pos) == getattr(scanner, level)


def _plain_continuations(scanner, pat: re.Pattern) -> re.Pattern:
    """`pat` with the number's continuations in their plain form (look-behinds first)."""
    lf, plain = dict(scanner._alternatives()[1]), dict(scanner._alternatives(False)[1])
    src = pat.pattern
    for name in lf:
        if lf[name] != plain[name] and lf[name] in src:
            src = src.replace(lf[name], plain[name])
    return re.compile(src)


def _same_matches(a: re.Pattern, b: re.Pattern, text: str, i: int) -> None:
    ma, mb = a.match(text, i), b.match(text, i)
    assert (ma and (ma.span(), ma.lastgroup, ma.groups())) == (mb and (mb.span(), mb.lastgroup, mb.groups())), \
        text[i:i + 20]


def test_the_continuations_written_literal_first_match_as_the_plain_ones():
    """The number's continuations opening with the character they take (a space before
    its look-behind, a numeral before the words that own it) match as the plain form:
    every dispatch regex, at every position of the reports and the word lists."""
    from etl.extraction import scanner
    lf, plain = dict(scanner._alternatives()[1]), dict(scanner._alternatives(False)[1])
    assert [n for n in lf if lf[n] != plain[n]] == ["qty"]
    assert "(?<=点)[ \\u00a0]" in plain["qty"] and "[ \\u00a0](?<=点.)" in lf["qty"]
    _, table = scanner._dispatch()
    pats = {*table.values(), *scanner._lean_dispatch()[0].values(), *scanner._lean_dispatch()[1].values(),
            *scanner._marked_dispatch().values()}
    pairs = {p: _plain_continuations(scanner, p) for p in pats}
    assert sum(a.pattern != b.pattern for a, b in pairs.items()) >= 5
    owned = "装机5000万千瓦，800千伏，3 千米，下降2个百分点，一百 米，7 万5 千4 百，十 余 万，四百 点 五"
    tried = 0
    for text in _scan_texts() + _word_texts() + [owned]:
        for i, ch in enumerate(text):
            if ch in table:
                _same_matches(table[ch], pairs[table[ch]], text, i)
                tried += 1
    assert tried > 1_500


@given(st.lists(st.sampled_from(list("0123456789一二三四五六七八九十百千万亿两〇零余多几点")
                                + ["千瓦", "千米", "百米", "百分点", "千伏", " ", "\u00a0", "万元", "个", "人",
                                   "十 五", "7 万5 千", "2023 十大", "，", "1,200", "6 600"]),
                max_size=12).map("".join))
@settings(max_examples=1500, deadline=None)
def test_the_continuations_written_literal_first_match_as_the_plain_ones_on_figures(text):
    from etl.extraction import scanner
    _, table = scanner._dispatch()
    for i, ch in enumerate(text):
        if ch in table:
            _same_matches(table[ch], _plain_continuations(scanner, table[ch]), text, i)


def test_the_decimal_test_by_code_point_is_isdecimal():
    from etl.extraction import scanner
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        assert scanner._decimal_at("a" + chr(cp), 1) == chr(cp).isdecimal(), hex(cp)
    assert scanner._decimal_at("\U000104a0", 0)      # an astral digit (Osmanya zero)


def test_the_flag_table_holds_the_sets():
    from etl.extraction import scanner
    for chars, bit in ((scanner._DIGIT_NEXT, scanner._F_DIGIT_NEXT), (scanner._DATE_ENDS, scanner._F_DATE_END),
                       (scanner._NUMERAL_NEAR, scanner._F_NUMERAL_NEAR), (scanner._PERCENT_RUN, scanner._F_PERCENT_RUN)):
        assert {chr(c) for c in range(0x10000) if scanner._FLAGS[c] & bit} == set(chars)


@given(st.text(alphabet=list("萬会議元()（）wànhuìyī bǎiapp2.5，") , max_size=40))
def test_the_bracket_walk_finds_what_the_gloss_search_found(raw):
    """Finding each bracket and matching there gives the regex search's glosses."""
    from etl.extraction import normalize
    for bracket, pattern in (("(", normalize._GLOSS_HALF), ("（", normalize._GLOSS_FULL)):
        assert normalize._bracket_matches(raw, bracket, pattern) == [m.span() for m in pattern.finditer(raw)]


@given(st.lists(st.integers(min_value=-5, max_value=40), max_size=30).map(sorted),
       st.integers(min_value=-8, max_value=45))
def test_after_sorted_is_bisect_right(a, x):
    from bisect import bisect_right
    from etl.extraction.text_spans import after_sorted
    assert after_sorted(a, x) == bisect_right(a, x)


@given(st.text(alphabet=list("首页 >当前位置版权所有上一篇相关阅读扫一扫关于我们\n新闻12") + ["\U00020000"], max_size=60),
       st.lists(st.tuples(st.integers(min_value=0, max_value=62), st.integers(min_value=0, max_value=62)), max_size=6))
def test_the_furniture_places_answer_as_the_walk(text, spans):
    """`furniture_line` by the words' places in the whole text answers what the walk
    along the one line did, for any span (not only whole lines)."""
    from etl.extraction.text_spans import Boundaries, _holds_word
    words = tuple(rules.nonclaims().furniture_lines)
    for ws in (words, ("\U00020000首",), ("一扫", "扫一扫", "上一")):
        b = Boundaries(text)
        for start, end in spans:
            end = min(end, len(text))
            assert b._holds(start, end, ws) is _holds_word(text, start, end, ws)


def test_the_pinyin_opener_check_is_the_class():
    from etl.extraction import normalize as nz
    for c in [chr(k) for k in range(0x300)] + ["萬", "（", "\U00020000"]:
        assert nz._opens_pinyin(c, 0) is (re.match(f"[{nz._PINYIN}]", c) is not None)
    assert nz._opens_pinyin("a", 1) is False


@given(st.lists(st.tuples(st.sampled_from(["dist", "fit", "rank", "k:left", "k:recent", "hc:people",
                                           "x:people:k:rel", "no_weight_here"]),
                          st.sampled_from([0.0, 1.0, 0.1, 0.7, 3.3])), max_size=14),
       st.dictionaries(st.sampled_from(["dist", "fit", "rank", "k:left", "k:recent", "hc:people",
                                        "x:people:k:rel"]),
                       st.floats(-3, 3, allow_nan=False), max_size=7))
def test_the_slotted_features_score_as_the_dict_summed_in_insertion_order(sets, weights):
    """A candidate's features in slots give the dict the trace reads (names, values,
    order, a feature set again keeping its place) and the score the dict gave, bit for
    bit: weights times values added in insertion order, a name without a weight skipped.
    The score is summed as features are added (cand30): asked after every set, and again
    under other weights, it is still the dict's."""
    from etl.extraction import subject_features as sf
    from etl.extraction import subjects

    def dict_score(want: dict[str, float], weights: dict[str, float]) -> float:
        s = 0.0
        for f, v in want.items():
            w = weights.get(f)
            if w is not None:
                s += w * v
        return s

    saved = dict(subjects._WEIGHTS)
    try:
        subjects.use_weights(weights)
        c = sf.Candidate(0, 1)
        want: dict[str, float] = {}
        for name, v in sets:
            c.set(sf.slot(name), v)
            want[name] = v
            assert c.score().hex() == dict_score(want, weights).hex()
            assert c.get(sf.slot(name), -1.0) == v
        assert list(c.feats.items()) == list(want.items())
        assert c.score().hex() == dict_score(want, weights).hex()
        other = {f: w * 0.5 - 1.0 for f, w in weights.items()}
        subjects.use_weights(other)
        assert c.score().hex() == dict_score(want, other).hex()
    finally:
        subjects.use_weights(saved)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["set", "add", "setdefault"]),
                          st.sampled_from([0, 1, 5, 28, 29, 58, 59, 60, 61, 75, 140, 200, 300])),
                max_size=20))
def test_the_slot_mask_says_what_the_slot_list_holds(ops):
    """`Candidate.has` reads a bit for the first slots (`_MASKED`) and scans the list
    beyond: after any mix of set, add (of a slot not yet set) and setdefault, it answers
    as membership in `slots` for every slot, below the mask's bound, at it and past it,
    and the lists keep the first-set order."""
    from etl.extraction import subject_features as sf
    c = sf.Candidate(0, 1)
    order: list[int] = []
    for op, s in ops:
        if op == "add" and s in order:
            op = "set"
        getattr(c, op)(s, 1.0)
        if s not in order:
            order.append(s)
    assert c.slots == order
    for s in [0, 1, 5, 28, 29, 58, 59, 60, 61, 75, 140, 200, 300]:
        assert c.has(s) == (s in order), s
    assert sf._MASKED <= 61     # bits past 61 would make the mask a long integer


def test_the_figure_suffix_and_blank_tables_are_the_sets_they_replaced():
    """`phrases._figure_suffix` and `text_spans._blank` test a character by a table of the
    plane: over every code point (and one beyond the plane) the answer is membership in
    the set and the string of blanks they replaced."""
    from etl.extraction import phrases, text_spans
    for cp in [*range(0xD800), *range(0xE000, 0x10000), 0x20000, 0x10FFFF]:
        view = "年" + chr(cp)
        assert phrases._figure_suffix(view, 1) == (chr(cp) in phrases._FIGURE_SUFFIX_CHARS), hex(cp)
        assert text_spans._blank(view, 1) == (chr(cp) in " \t\r\n\u00a0\u3000"), hex(cp)
    assert phrases._FIGURE_SUFFIX_CHARS and all(ord(c) < 0x10000 for c in text_spans._BLANKS)


def test_the_start_and_rare_tables_are_the_classes_they_walk_for():
    """`scanner._start_table` and `normalize._rare_table` mark exactly the characters their
    regex classes match, over every code point (none beyond the plane matches: the walk
    never marks one there)."""
    from etl.extraction import normalize, scanner
    for table, pat in ((scanner._start_table(), scanner._dispatch()[0]),
                       (normalize._rare_table(), normalize._rare_chars())):
        assert len(table) == 0x10000 and any(table)
        for cp in [*range(0xD800), *range(0xE000, 0x10000)]:
            assert bool(table[cp]) == (pat.match(chr(cp)) is not None), hex(cp)
        for cp in (0x10000, 0x20000, 0x2A6D6, 0x10FFFF):
            assert pat.match(chr(cp)) is None, hex(cp)


def _walk_texts() -> list[str]:
    # the bundled reports raw and as views, and characters beyond the plane among marked ones
    from etl.extraction.normalize import normalize
    raws = [p.read_text(encoding="utf-8") for p in sorted(_CORPUS.iterdir()) if p.is_file()]
    return [*raws, *(normalize(r, markup=None).text for r in raws),
            "𠀀3𠀁個萬\U0010ffff二０", "", "𠀀"]


def test_the_scan_walk_finds_each_next_start_the_search_found():
    """From every position of the reports, `first_marked` on the start table finds where
    the scan's regex search for the next start found it (or nothing, as it did)."""
    from etl.extraction import scanner
    from etl.extraction.text_spans import first_marked
    search, table = scanner._dispatch()[0].search, scanner._start_table()
    tried = 0
    for text in _walk_texts():
        for pos in range(-2, len(text) + 2):
            m = search(text, pos)
            assert first_marked(text, pos, table) == (m.start() if m else -1), (pos, text[pos:pos + 20])
            tried += 1
    assert tried > 10_000


def test_the_rare_walk_answers_as_the_rare_search():
    """`normalize._has_rare` (the table walk in the compiled build) answers as the regex
    search for the rare class, on the reports, on each line of them and on short texts."""
    from etl.extraction import normalize
    from etl.extraction.text_spans import first_marked
    search, table = normalize._rare_chars().search, normalize._rare_table()
    texts = [*_walk_texts(), "全國", "４５", "全国", "ａ", "𠀀國"]
    texts += [line for t in _walk_texts() for line in t.split("\n")]
    hits = 0
    for text in texts:
        want = search(text) is not None
        assert normalize._has_rare(text) == want, text[:40]
        assert (first_marked(text, 0, table) >= 0) == want, text[:40]
        hits += want
    assert 0 < hits < len(texts)


def test_a_one_character_word_has_the_token_the_word_memo_gives():
    # subj29: one-character words are kept by code point, not in the word memo
    from etl.extraction import subject_words as sw
    chars = sorted({ch for text in _corpus_texts() for ch in text})
    assert len(chars) > 1_000
    for ch in chars + ["\U00020000", "“", "等", "点"]:
        tok = sw._char_token(ch)
        assert tok == (ch, sw._category(ch)), ch
        assert sw._char_token(ch) is tok        # kept, not made again
    # in a window's words: 点 after a noun is a group head (N), as before the table
    toks = sw._tokens_from(["服务", "点", "的", "“", "身边", "典型", "”"])
    assert toks == (("服务", "N"), ("点", "N"), ("的", sw._category("的")), ("“身边典型”", "Q"))


def _windows(step: int = 23) -> list[str]:
    out = []
    for text in _corpus_texts():
        for lo in range(0, len(text) - 8, step):
            out.append(text[lo:lo + 6 + lo % 19])
    return out


def test_a_window_asked_again_has_the_tokens_of_a_fresh_cut():
    # subj29: the window cut last in a direction is answered without the memo
    from etl.extraction import subject_words as sw
    windows = _windows()
    assert len(windows) > 1_000
    for at_end in (True, False):
        side = 1 if at_end else 0
        for w in windows:
            sw._TOKENS_AT_END.clear()
            sw._TOKENS_AHEAD.clear()
            sw._LAST_CUT[side] = ("", ())
            first = sw.tokens(w, at_end)
            assert sw._LAST_CUT[side][0] == w
            again = sw.tokens("".join(list(w)), at_end)      # an equal string, not the same one
            assert again is first
            assert first == sw._tokens_from(sw.segmenter.cut_forward(w)) or sw.segmenter.doubtful(
                sw.segmenter.cut_forward(w)), w
    sw._LAST_CUT[0] = sw._LAST_CUT[1] = ("", ())
    assert sw.tokens("") == () == sw._tokens_from([])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list("党员的等和ab"), max_size=10), st.lists(st.text(alphabet=list("党员的等a"), max_size=3),
       min_size=1, max_size=3), st.integers(-12, 14), st.integers(-12, 14))
def test_the_bounded_prefix_and_suffix_tests_are_the_methods(text, words, lo, hi):
    # subj29: startswith/endswith with positions, compiled without a call through Python
    from etl.extraction.subject_words import ends_any, ends_at, starts_any
    w = words[0]
    assert ends_at(text, w, lo, hi) == text.endswith(w, lo, hi)
    assert ends_any(text, tuple(words), lo, hi) == text.endswith(tuple(words), lo, hi)
    if lo >= 0:
        assert starts_any(text, tuple(words), lo) == text.startswith(tuple(words), lo)
        assert starts_at(text, w, lo) == text.startswith(w, lo)


def test_a_candidates_kind_is_set_by_its_slot():
    # subj29 (a guard): the kinds passed as slots name the features they named
    from etl.extraction import subjects
    cands: list = []
    c = subjects._add(cands, "党员干部", (0, 4), subjects._K_LEFT)
    assert subjects._add(cands, "党员干部", (0, 4), subjects._K_RIGHT_NP) is c
    assert list(c.feats) == ["k:left", "k:right_np"] and cands == [c]


def test_the_attribute_length_bits_are_the_length_set():
    # subj29: _bare_attributes tests a candidate's length by a bit, not a set look-up
    from etl.extraction import subjects
    for n in range(-3, 200):
        bit = n >= 0 and (subjects._ATTRIBUTE_LENGTH_BITS >> n) & 1 == 1
        assert bit == (n in subjects._ATTRIBUTE_LENGTHS), n


def test_a_new_word_token_is_the_one_kept():
    # subj29 (a guard): the tuple `_token` returns on first sight is the one it keeps
    from etl.extraction import subject_words as sw
    w = "试验性新词" + str(len(sw._TOKEN_CACHE))
    first = sw._token(w)
    assert sw._token(w) is first and first == (w, sw._category(w))


def _category_by_the_five_sets(w: str) -> str:
    """`_category` as it was before one table held its listed words (subj29)."""
    from etl.extraction import subject_words as sw
    if w[0] in sw._QUOTES and len(w) > 2 and w[-1] in sw._QUOTES:
        return "Q"
    if w in sw._JOINERS:
        return "J"
    if w in sw._OPEN:
        return "O"
    if w in sw._CLOSE:
        return "C"
    if w in sw.DETERMINERS:
        return "M"
    if w.isspace() or w in sw._STOP_WORDS or w[0].isdigit() or w[0] in sw.STOP_CHARS or w[0] in sw._QUOTES:
        return "S"
    if w in sw._VERB_WORDS:
        return "V"
    return ""     # (decided past the listed words: the same code both ways)


def test_the_listed_category_table_answers_as_the_five_sets():
    # subj29: joiners, brackets, determiners and stop words by one look-up, not five
    from etl.extraction import subject_words as sw
    words = set(sw._LISTED_CATEGORY) | set(sw._JOINERS) | set(sw._OPEN) | set(sw._CLOSE)
    words |= set(sw.DETERMINERS) | set(sw._STOP_WORDS) | set(sw._VERB_WORDS) | set(sw.STOP_CHARS)
    for text in _corpus_texts():
        words.update(sw.segmenter.cut_forward(text))
    assert len(words) > 2_000
    for w in sorted(w for w in words if w):
        old = _category_by_the_five_sets(w)
        if old:
            assert sw._category(w) == old, w
        else:
            assert w not in sw._LISTED_CATEGORY, w


def test_a_head_classes_slots_are_the_named_ones():
    # subj29: `features` reads a (unit class, head class) pair's slots from one record
    from etl.extraction import subject_features as sf
    heads = sorted(set(sf._KNOWN_HEADS) | {"noun", "unknown", "action", "time", ""})
    classes = sorted(set(sf._FITS) | {"", "money", "no_such_class"})
    assert len(heads) > 10 and len(classes) > 3
    for uc in classes:
        for hc in heads:
            hs = sf.head_slots(uc, hc)
            assert sf.head_slots(uc, hc) is hs
            assert hs.hc == sf.slot("hc:" + hc) and sf.slot_name(hs.hc) == "hc:" + hc
            assert sf.slot_name(hs.crossed) == "x:" + uc + ":" + hc
            expected = sf._FITS.get(uc)
            if expected is not None and hc in sf._KNOWN_HEADS:
                assert hs.fit == (sf.S_FIT if hc in expected else sf.S_MISFIT), (uc, hc)
            else:
                assert hs.fit == -1, (uc, hc)

# --- the scan's unit tree with its one-character leaves as a class (scan29) -----------

def _same_spans(a: re.Pattern, b: re.Pattern, text: str) -> int:
    found = 0
    for pos in range(len(text) + 1):
        x, y = a.match(text, pos), b.match(text, pos)
        assert (x and x.span()) == (y and y.span()), (pos, text[pos:pos + 12])
        found += x is not None
    return found


def test_the_unit_tree_with_leaf_classes_matches_as_the_alternation():
    """`scanner._leaf_class_tree(units)` matches what `rules.alternation(units)` matches,
    at every position of the bundled reports (raw and views) and after every unit."""
    from etl.extraction import scanner
    units = list(rules.units())
    tree = scanner._leaf_class_tree(units)
    assert "[" in tree and tree != rules.alternation(units)
    new, old = re.compile(tree), re.compile(rules.alternation(units))
    found = sum(_same_spans(new, old, t) for t in _walk_texts())
    found += sum(_same_spans(new, old, u + "人次。") for u in units)
    assert found > 4_000


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("abcd", min_size=1, max_size=4), min_size=1, max_size=12),
       st.text("abcde", max_size=30))
def test_leaf_classes_match_as_the_alternation_for_any_words(words, text):
    """The same for made-up word lists: leaves at every depth, words that are prefixes
    of others (the empty last branch), a node of leaves only."""
    from etl.extraction import scanner
    new = re.compile(scanner._leaf_class_tree(words))
    old = re.compile(rules.alternation(words))
    _same_spans(new, old, text + "".join(words))


# --- metrics: the hiding words looked for once over the span of a claim's windows -----

def test_a_span_that_hides_nothing_leaves_every_window_unmasked():
    """Where `metrics.hides_nothing` says so for a span, `assign_metric` with `unmasked`
    decides as without it, for the windows extract cuts around every figure of the
    bundled reports (and `_masked` leaves each as it is); a span holding 运动员 is not
    passed as plain."""
    from etl.extraction import metrics as mt
    from etl.extraction.normalize import normalize
    from etl.extraction.scanner import scan
    b = mt._backing()
    assert b.hiding is not None
    plain = masked = 0
    for raw in _corpus_texts():
        view = normalize(raw, markup=None).text
        bounds = Boundaries(view)
        for m in scan(view)[::3]:
            c0, c1 = bounds.clause(m.start)
            s0 = bounds.sentence(m.start)[0]
            pre_start = max(s0, m.start - 60)
            span = (m.end, min(len(view), m.end + 4))
            lo, hi = min(c0, pre_start, max(0, span[0] - 4)), max(c1, m.end + 40, span[1] + 4)
            cl, pre, post = view[c0:c1], view[pre_start:m.start], view[m.end:m.end + 40]
            beside = view[max(0, span[0] - 4):span[0]] + "|" + view[span[1]:span[1] + 4]
            flag = mt.hides_nothing(view, lo, hi)
            if flag:
                plain += 1
                for t in (cl, pre, post, beside):
                    assert mt._masked(b.hiding, b.hiding_words, t) == t
            else:
                masked += 1
            for cls in ("people", "money", m.unit.unit_class if m.unit else None):
                assert mt.assign_metric(cls, view[span[0]:span[1]], cl, beside, pre, post, unmasked=flag) \
                    == mt.assign_metric(cls, view[span[0]:span[1]], cl, beside, pre, post)
    assert plain > 100
    text = "共有154名运动员参赛"
    assert not mt.hides_nothing(text, 0, len(text))
    assert mt.hides_nothing(text, 0, 6)


# --- the scan's range merge: gaps no strip can shorten to a separator (scan29) ---------

def _check_may_separate(view: str, lo: int, hi: int) -> None:
    from etl.extraction import scanner
    seps = rules.approx().range_separators
    longest = max(len(s) for s in seps)
    if view[lo:hi].strip(" \u00a0") in seps:
        assert scanner._may_separate(view, lo, hi, longest), (lo, hi, view[lo:hi])
    if hi - lo <= longest:
        assert scanner._may_separate(view, lo, hi, longest)


def test_a_gap_ruled_out_as_a_range_separator_strips_to_none():
    """Between every two figures of the bundled reports (raw and views), and for gaps of
    blanks around each separator, `_may_separate` says False only where the stripped gap
    is no separator."""
    from etl.extraction.scanner import scan
    tried = 0
    for view in _walk_texts():
        ms = scan(view)
        for a, b in zip(ms, ms[1:]):
            _check_may_separate(view, a.end, b.start)
            tried += 1
    for sep in rules.approx().range_separators:
        for left in ("", " ", "\u00a0", "   ", "\u00a0 \u00a0\u00a0"):
            for right in ("", " ", "\u00a0\u00a0", "    "):
                view = "3" + left + sep + right + "5人"
                _check_may_separate(view, 1, len(view) - 2)
                tried += 1
    assert tried > 500


@settings(max_examples=400, deadline=None)
@given(st.text(" \u00a0—至到-~～－和x人", max_size=12))
def test_may_separate_never_rules_out_a_separator(gap):
    view = "3" + gap + "5人"
    _check_may_separate(view, 1, 1 + len(gap))


# --- roles and classify read on the view between bounds (scan29, second part) ----------

def _plan_on_slice(before: str, cue_re: re.Pattern, R: roles.CountingRules) -> str:
    # roles._plan as it was: on the clause (or sentence) and the figure's first two
    # characters, copied and joined
    last = None
    for m in cue_re.finditer(before):
        if not any(roles._covers(before, m.start(), m.end() - m.start(), n) for n in R.plan_not):
            last = m
    if last is None:
        return ""
    rest = before[last.end():]
    return "" if any(b in rest for b in R.plan_blockers) else last.group()


def _check_plan(view: str, f_start: int, f_end: int, lo: int, R: roles.CountingRules) -> int:
    hi = min(f_end, f_start + 2)
    said = 0
    for cue_re in (R.plan_re, R.plan_sentence_re):
        want = _plan_on_slice(view[lo:f_start] + view[f_start:f_end][:2], cue_re, R)
        assert roles._plan(view, min(lo, f_start), hi, cue_re, R) == want, (view[lo:f_end], want)
        said += want != ""
    m, old = R.context_re.match(view, f_start, f_end), R.context_re.match(view[f_start:f_end])
    assert (m and m.group()) == (old and old.group())
    return said


def test_plan_cues_read_between_bounds_are_those_of_the_joined_slice():
    """At every figure of the bundled reports' views, from its clause's and its
    sentence's start: `roles._plan` on the view between bounds says what it said on the
    slice joined to the figure's first two characters; so does the context match."""
    from etl.extraction.scanner import scan
    R = roles.counting_rules()
    said = tried = 0
    for view in _walk_texts():
        b = Boundaries(view)
        for m in scan(view):
            for lo in (b.clause(m.start)[0], b.sentence(m.start)[0], 0):
                said += _check_plan(view, m.start, m.end, lo, R)
                tried += 1
    assert tried > 1000 and said > 10


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="计划拟将要目标预计力争投资完成已实现共，。万元5", max_size=24),
       st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=4))
def test_plan_cues_between_bounds_on_made_up_text(text, lo, width):
    start = len(text) // 2
    _check_plan(text, start, min(len(text), start + width), min(lo, len(text)), roles.counting_rules())


def _reduplicated_by_words(view: str, start: int, end: int, u: str) -> bool:
    # classify._idiom's test as first written
    after = view[end:end + 3]
    return (after.startswith(u) or after.startswith("又一" + u[:1])
            or view[start - 2:start] == "一" + u[:1] + "又")


def test_reduplication_by_bounded_finds_is_the_rule_by_words():
    """After every figure of the bundled reports and of made-up reduplications, with
    every classifier of units.yaml, the empty one and a long one."""
    from etl.extraction import classify
    from etl.extraction.scanner import scan
    units = sorted(rules.units()) + ["", "个百分点之多"]
    views = [*_walk_texts(), "一个个", "一个又一个", "一年又一年人", "一个又一", "个又一个"]
    said = 0
    for view in views:
        ends = sorted({m.end for m in scan(view)} | {1, len(view) - 1, len(view)})
        for end in ends:
            if end < 0:
                continue
            for u in units:
                want = _reduplicated_by_words(view, max(0, end - 1), end, u)
                assert classify._reduplicated(view, end, u) == want, (view[end:end + 3], u)
                said += want
    assert said > 100


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="一个又年次人", max_size=10), st.integers(min_value=0, max_value=10),
       st.sampled_from(["个", "年", "次", "个人", "", "又一"]))
def test_reduplication_on_made_up_text(view, end, u):
    from etl.extraction import classify
    end = min(end, len(view))
    assert classify._reduplicated(view, end, u) == _reduplicated_by_words(view, max(0, end - 1), end, u)


def _word_places_by_first(text: str, words: tuple[str, ...]):
    # text_spans.word_places as it was: every word found at each place of its first character
    found = []
    for first in sorted({w[0] for w in words}):
        i = text.find(first)
        while i >= 0:
            for w in words:
                if w[0] == first and text.find(w, i, i + len(w)) == i:
                    found.append((i, i + len(w)))
            i = text.find(first, i + 1)
    found.sort()
    return [s for s, _ in found], [e for _, e in found]


def test_word_places_by_a_later_character_are_those_by_the_first():
    """The furniture words (some found by a later character) in every bundled report, raw
    and as a view, and in lines made of the words and their pieces."""
    from etl.extraction.text_spans import word_places
    words = tuple(rules.nonclaims().furniture_lines)
    texts = [*_walk_texts()[:-3], "".join(words), "".join(w[1:] + w for w in words), "首页 > 首页>前位置当前"]
    hits = 0
    for text in texts:
        got = word_places(text, words)
        assert got == _word_places_by_first(text, words)
        hits += len(got[0])
    assert hits > 2 * len(words)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="当前位置关于我们联系网站地图首页 >扫一", max_size=30))
def test_word_places_on_made_up_text(text):
    from etl.extraction.text_spans import word_places
    words = ("当前位置", "关于我们", "联系我们", "网站地图", "首页 >", "首页>", "扫一扫", "前位", "我们")
    assert word_places(text, words) == _word_places_by_first(text, words)


def test_each_furniture_word_is_found_by_a_character_memchr_finds_cleanly():
    """Where a word has a character beyond ASCII whose low byte is not an ideograph's
    high byte (0x4E-0x9F) nor 0, `_find_plan` finds the word by the first such one."""
    from etl.extraction.text_spans import _find_plan
    words = tuple(rules.nonclaims().furniture_lines)
    plan = _find_plan(words)
    assert sorted(w for ws in plan.values() for w, _ in ws) == sorted(words)
    for ch, ws in plan.items():
        for w, k in ws:
            assert w[k] == ch
            clean = [j for j, c in enumerate(w) if ord(c) > 0x7F and (ord(c) & 0xFF) and not 0x4E <= (ord(c) & 0xFF) <= 0x9F]
            assert k == (clean[0] if clean else 0), w
    assert plan["前"] == [("当前位置", 1)]     # 当 (U+5F53) would send memchr astray
