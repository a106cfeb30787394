"""The report-metadata passes made cheaper (issue 23) answer exactly as before: the date
patterns with a lookahead for their first character in front match what the plain
patterns matched, has_footer_mark says what FOOTER_MARK.search says, the campaign and
local aliases found in one pass are what the two regexes found apart, and a manifest
that names the organisation spares the search whose answer it replaced."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import numpy  # noqa: F401  (loaded: text_view and organisations take their numpy paths
              # where the compiled scans are not taken)
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extraction import literal_scan
from etl.reading import campaigns as camp
from etl.reading import organisations as org
from etl.reading import page_facts as pf
from etl.reading import text_view
from etl.reading.text_view import simplified, squeezed

ROOT = Path(__file__).resolve().parents[1]


BENCH = ROOT.parent / "shared" / "bench_corpus"
# a clean clone elsewhere (CI) has only the bundled reports: 4 bare dates, 2 labelled
# dates and no agency dateline among them, so the counts asked for are theirs there
BENCH_HERE = BENCH.is_dir()


def _bundled_and_bench(every: int) -> list[Path]:
    """The bundled reports and every `every`-th bench file (when the bench corpus is here)."""
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    if BENCH_HERE:
        paths += sorted(BENCH.iterdir())[::every]
    return paths


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


@settings(max_examples=600, deadline=None)
@given(date_text)
def test_no_date_where_may_hold_date_says_none_can_be(s):
    # may_hold_date spares the _ANY_DATE search: it must never say no where a date is
    if not pf.may_hold_date(s):
        assert pf._ANY_DATE.search(s) is None
        assert not pf.is_date_line(s) and pf.read_date(s) is None


def test_may_hold_date_on_the_forms_and_the_bundled_reports():
    for s in ("2019-1-23", "x 1.2.2019", "1999年1月2日", "3.4.1998", "二〇一九年一月", "九九九九年十月"):
        assert pf.may_hold_date(s) and pf._ANY_DATE.search(s), s
    assert not pf.may_hold_date("1.习近平签署主席令；30日")
    lines = [ln for p in _bundled_and_bench(9) for ln in p.read_text(encoding="utf-8").splitlines()]
    spared = [ln for ln in lines if not pf.may_hold_date(ln)]
    assert all(pf._ANY_DATE.search(ln) is None for ln in spared)
    assert len(spared) > len(lines) // 2    # most lines need no search


@settings(max_examples=400, deadline=None)
@given(date_text)
def test_bare_date_by_century_is_the_first_bare_date(s):
    before = re.compile(BEFORE["_BARE_DATE"])
    for t in (s, s + s, "1" + s, "." + s, "12019-1-2 " + s, ".2020-1-2" + s, s + "1919.12.1"):
        a, b = pf.bare_date(t), before.search(t)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), t


def test_bare_date_by_century_on_the_bundled_and_bench_reports():
    before = re.compile(BEFORE["_BARE_DATE"])
    found = 0
    for p in _bundled_and_bench(3):
        text = simplified(p.read_text(encoding="utf-8"))
        for t in (text[:1500], text):
            a, b = pf.bare_date(t), before.search(t)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), p.name
            found += b is not None
    assert found > (10 if BENCH_HERE else 3)


label_text = st.lists(st.sampled_from(["发布日期", "日期", "时间", "发布时间", "发稿", "发", "布", ":", "：", " ",
                                        "\n", "2019", "-", "1", "二〇", "x", "发布日期：时间 2"]),
                      max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(label_text)
def test_labelled_dates_from_the_label_ends_are_the_finditer(s):
    r = pf.page_rules()
    assert _found_labels(pf.labelled_dates(s, r)) == _found_labels(r.labelled_date.finditer(s))


def _found_labels(ms) -> list:
    return [(m.span(), m.group()) for m in ms]


def test_labelled_dates_and_agency_on_the_bundled_and_bench_reports():
    r = pf.page_rules()
    labels = agencies = 0
    for p in _bundled_and_bench(3):
        text = simplified(p.read_text(encoding="utf-8"))
        for zone in (text[:1500], text[-600:], text):
            want = _found_labels(r.labelled_date.finditer(zone))
            assert _found_labels(pf.labelled_dates(zone, r)) == want, p.name
            labels += len(want)
            a, b = pf.agency_dateline(zone), pf._AGENCY.search(zone)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), p.name
            agencies += b is not None
    assert labels > 10 and agencies >= 1 if BENCH_HERE else labels >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["新华社", "中新社", "中国新闻社", "中国", "新华", "北京", "电", "。", "\n", "6月30日"]),
                max_size=20).map("".join))
def test_agency_dateline_is_the_alternations_search(s):
    a, b = pf.agency_dateline(s), pf._AGENCY.search(s)
    assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_date_patterns_match_as_before_on_the_bundled_reports():
    for p in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for name, before in BEFORE.items():
            assert _found(getattr(pf, name), text) == _found(re.compile(before), text), (p.name, name)


def test_the_footer_marks_can_start_only_where_has_footer_mark_looks():
    # every character re.I matches to i is looked for, and each mark has an i at a place
    # looked back from
    i = re.compile("i", re.IGNORECASE)
    for code in range(0x110000):
        ch = chr(code)
        if i.match(ch):
            assert ch in pf._FOOTER_MARK_I, hex(code)
    for mark in pf._FOOTER_MARK_LATIN.pattern.split("|"):
        assert any(mark[k:k + 1] == "i" for k in pf._FOOTER_MARK_I_AT), mark


@settings(max_examples=400, deadline=None)
@given(footer_text)
def test_has_footer_mark_says_what_the_pattern_says(s):
    assert pf.has_footer_mark(s) == bool(pf.FOOTER_MARK.search(s))


def test_has_footer_mark_on_the_bundled_reports_line_by_line():
    for p in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            assert pf.has_footer_mark(line) == bool(pf.FOOTER_MARK.search(line)), line


# ---- the campaign and local aliases found in one pass (campaigns.aliases_in)

def _apart(view: str) -> tuple[tuple, tuple]:
    """What find_campaign and find_tags found before: each rule's own regex, apart."""
    r = camp.campaign_rules()
    return (tuple((m.start(), m.end(), m.group()) for m in r.regex.finditer(view)),
            tuple((m.start(), m.end(), m.group()) for m in r.local_regex.finditer(view)))


def _alias_pieces() -> list[str]:
    r = camp.campaign_rules()
    words = [*r.lookup, *r.local]
    # the words, their halves (a cut alias is no alias), the overlapping pair's pieces
    return words + [w[:len(w) // 2] for w in words] + [w[len(w) // 2:] for w in words] + list(
        r.both_overlaps) + ["做合格党员突击", "党员突击队", "。", "\n", "x"]


def test_the_rules_have_an_overlap_to_guard_against():
    # 学党章党规学系列讲话，做合格党员 (a campaign's slogan) and 党员突击队 (a local drive):
    # a text holding both joined must be matched apart, and is
    r = camp.campaign_rules()
    assert "学党章党规学系列讲话，做合格党员突击队" in r.both_overlaps
    assert camp.overlaps(["ab"], ["bc", "xaby", "q"]) == ("abc", "xaby")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_alias_pieces()), max_size=12).map("".join))
def test_aliases_in_one_pass_find_what_the_two_regexes_found(view):
    camp._aliases_in.cache_clear()
    assert camp.aliases_in(view) == _apart(view)


def test_aliases_in_one_pass_on_the_bundled_and_bench_reports():
    paths = _bundled_and_bench(7)
    one_pass = 0
    for p in paths:
        view = squeezed(simplified(p.read_text(encoding="utf-8")))
        camp._aliases_in.cache_clear()
        assert camp.aliases_in(view) == _apart(view), p.name
        one_pass += not any(o in view for o in camp.campaign_rules().both_overlaps)
    assert one_pass == len(paths)  # none of them holds the overlap: the one-pass path ran


def test_describe_does_not_look_for_an_organisation_the_manifest_names(monkeypatch):
    from etl.reading import describe as desc
    text = (ROOT / "data" / "corpus").glob("*.txt").__next__().read_text(encoding="utf-8")
    manifest = {"r.txt": {"organisation": "中央和国家机关工委"}}
    want = desc.describe(text, "r.txt", manifest=manifest)

    def no(*a, **k):
        raise AssertionError("find_organisation called")

    monkeypatch.setattr(desc, "find_organisation", no)
    got = desc.describe(text, "r.txt", manifest=manifest)
    assert got == want and got["organisation"] == "中央和国家机关工委"
    assert got["meta_source"]["organisation"] == "manifest"


# ---- organisation shapes remembered by their groups (organisations._shape, _place_inside)

def test_remembered_shapes_are_what_the_groups_give_afresh():
    from etl.reading import organisations as org
    r = org.organisation_rules()
    sh = r.shapes
    seen = 0
    for p in sorted((ROOT / "data" / "corpus").glob("*.txt")):
        zone = squeezed(simplified(p.read_text(encoding="utf-8")))[:sh.scan_chars]
        for m in org._names(sh.placed, sh.placed_here, zone):
            groups = m.group("chain", "scope", "organ", "agency", "office")
            fresh = org.shape_facts(*groups, r)
            assert org._shape(m, r) == fresh and org._shape(m, r) == fresh, m.group()
            if groups[0]:
                assert org._place_inside(groups[0], r) == org._known_place_inside(groups[0], r)
            seen += 1
    assert seen > 50 and org._shape_memo


def test_remembered_shapes_are_forgotten_with_other_rules():
    from etl.reading import organisations as org
    org.find_organisation("日前，下花园区人民法院开展案款发放。", None)
    assert org._shape_memo and org._memo_rules[0] is org.organisation_rules()
    other = org._OrgRules(**{f: getattr(org.organisation_rules(), f)
                             for f in org._OrgRules.__dataclass_fields__})
    org._same_rules(other)
    assert not org._shape_memo and not org._inside_memo
    org.find_organisation("日前，下花园区人民法院开展案款发放。", None)   # back to the rules in use
    assert org._memo_rules[0] is org.organisation_rules()


def test_alias_matches_kept_are_forgotten_with_other_rules(monkeypatch):
    view = "开展党史学习教育，争当最强党支部"
    first = camp.aliases_in(view)
    assert [a for _, _, a in first[0]] == ["党史学习教育"] and [a for _, _, a in first[1]] == ["最强党支部"]
    r = camp.campaign_rules()
    other = camp._CampaignRules(**{f: getattr(r, f) for f in camp._CampaignRules.__dataclass_fields__
                                   if f not in ("local", "local_regex", "both_regex")},
                                local={}, local_regex=None, both_regex=None)
    monkeypatch.setattr(camp, "campaign_rules", lambda: other)
    assert camp.aliases_in(view) == (first[0], ())   # the same view read with the other rules


# ---- unit names found from the unit words back (organisations._unit_names)

def _unit_pieces() -> list[str]:
    from etl.reading import organisations as org
    sh = org.organisation_rules().shapes
    return [*sh.unit_anchors, *sh.generic_units, "韶钢", "松山", "天津", "北京师范", "通过", "帮助",
            "的", "在", "，", "。", "\n", "生", "毕业", "x", "2", "有限", "集", "医"]


def _unit_names_as_before(zone: str) -> list:
    from etl.reading import organisations as org
    sh = org.organisation_rules().shapes
    return [(m.span(), m.group("name")) for m in org._names(sh.unit, sh.unit_here, zone)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_unit_pieces()), max_size=16).map("".join))
def test_unit_names_from_their_words_back_are_what_the_unit_regex_found(zone):
    from etl.reading import organisations as org
    sh = org.organisation_rules().shapes
    got = [(m.span(), m.group("name")) for m in org._unit_names(zone, sh)]
    assert got == _unit_names_as_before(zone)


def test_unit_names_from_their_words_back_on_the_bundled_and_bench_reports():
    from etl.reading import organisations as org
    sh = org.organisation_rules().shapes
    paths = _bundled_and_bench(5)
    seen = 0
    for p in paths:
        text = simplified(p.read_text(encoding="utf-8"))
        for zone in (text[:sh.scan_chars], text):   # the head the finder reads, and a whole text
            want = _unit_names_as_before(zone)
            assert [(m.span(), m.group("name")) for m in org._unit_names(zone, sh)] == want, p.name
            seen += len(want)
    assert seen > 2      # the bundled reports alone hold 4 unit names


# ---- quoted tags searched one quotation mark at a time (campaigns.quoted_tags)

def _tag_regex_as_before() -> re.Pattern:
    """The one alternation of the quotation marks find_tags ran before, from the rules."""
    from etl.rules import alternation, load_yaml, words
    g = load_yaml(camp.CAMPAIGNS_FILE, ValueError).get("generic_tags") or {}
    follow = words(g.get("followed_by"), "generic_tags") or ("活动",)
    lo, hi = int(g.get("min_chars", 2)), int(g.get("max_chars", 12))
    quoted = "|".join(f"{o}([^{o}{c}\\n]{{{lo},{hi}}}){c}"
                      for o, c in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"')))
    return re.compile(f"(?:{quoted})(?={alternation(follow)})")


def _tags_as_before(s: str) -> list:
    return [(m.start(), next(g for g in m.groups() if g)) for m in _tag_regex_as_before().finditer(s)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("“”「」『』\"\n，x") + ["最强党支部", "三结对", "红", "党建品牌", "创建",
                                                          "活动", "行动", "工程", "活", "”活动"]),
                max_size=24).map("".join))
def test_quoted_tags_one_mark_at_a_time_are_what_the_alternation_found(s):
    assert list(camp.quoted_tags(s)) == _tags_as_before(s)


def test_quoted_tags_on_the_bundled_and_bench_reports():
    paths = _bundled_and_bench(5)
    seen = 0
    for p in paths:
        s = simplified(p.read_text(encoding="utf-8"))
        want = _tags_as_before(s)
        assert list(camp.quoted_tags(s)) == want, p.name
        seen += len(want)
    assert seen > 10


# ---- paragraph breaks found from the spaces (text_view.paragraphs)

_PARA_BREAK_BEFORE = re.compile(r"[。！？!?…”][ \t\u3000\xa0]+")


def _paragraphs_as_before(s: str) -> str:
    return _PARA_BREAK_BEFORE.sub(lambda m: m.group()[0] + "\n" * (len(m.group()) - 1), s)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(list("。！？!?…”“ \t\u3000\xa0\n文x.")), max_size=30).map("".join))
def test_paragraphs_from_the_spaces_are_what_the_regex_gave(s):
    from etl.reading.text_view import paragraphs
    paragraphs.cache_clear()
    assert paragraphs(s) == _paragraphs_as_before(s)


def test_paragraphs_from_the_spaces_on_the_bundled_and_bench_reports():
    from etl.reading.text_view import paragraphs
    paths = _bundled_and_bench(5)
    changed = 0
    for p in paths:
        s = simplified(p.read_text(encoding="utf-8"))
        want = _paragraphs_as_before(s)
        assert paragraphs(s) == want, p.name
        changed += want != s
    assert changed > 1   # the bundled reports alone: 3 have paragraph breaks


# ---- the views by code point in numpy (text_view.squeeze, text_view.has_traditional)

def _squeeze_plain(text: str) -> str:
    return text_view._SQUEEZE.sub("", text)


view_text = st.text(alphabet=st.sampled_from(
    list(text_view._SQUEEZE_CHARS) + list("主题教育不忘初心國機關\n\x00。a1") + ["\U0001F600", "\ud800",
                                                                        "\udfff", "\U00020000"]),
    max_size=400)


@contextmanager
def _scans(compiled: bool):
    """text_view's paths with the compiled scans taken (the scans' Python source, when there
    is no build) or not (numpy's, loaded in this process)."""
    was = literal_scan.COMPILED
    literal_scan.COMPILED = compiled
    try:
        yield
    finally:
        literal_scan.COMPILED = was


@settings(max_examples=400, deadline=None)
@given(view_text)
def test_squeeze_in_numpy_drops_what_the_regex_drops(text):
    # long enough for the numpy path (and the short path below it); NULs at the end, lone
    # surrogates and characters outside the BMP come through as they were; the same by
    # the compiled scan
    for compiled in (False, True):
        with _scans(compiled):
            for t in (text, text * 3 + "x" * 200, "x" * 200 + text + "\x00"):
                assert text_view.squeeze(t) == _squeeze_plain(t)
                assert type(text_view.squeeze(t)) is str


def test_squeeze_in_numpy_on_the_bundled_and_bench_reports():
    for compiled in (False, True):
        with _scans(compiled):
            for p in _bundled_and_bench(7):
                view = text_view.paragraphs(simplified(p.read_text(encoding="utf-8")))
                assert text_view.squeeze(view) == _squeeze_plain(view), p.name


@settings(max_examples=300, deadline=None)
@given(view_text)
def test_has_traditional_says_what_the_class_search_says(text):
    for compiled in (False, True):   # numpy's look-up, the compiled one
        with _scans(compiled):
            assert text_view.has_traditional(text) == bool(text_view._traditional().search(text))


def test_has_traditional_on_every_code_point_of_the_blocks_and_the_reports():
    pattern = text_view._traditional()
    for compiled in (False, True):
        with _scans(compiled):
            for code in (*range(0x3000, 0xA100), 0x20000, 0x2F800, 0x10FFFF, 0xD800):
                ch = chr(code)
                assert text_view.has_traditional("正文" + ch) == bool(pattern.search(ch)), hex(code)
            for p in _bundled_and_bench(7):
                text = p.read_text(encoding="utf-8")
                assert text_view.has_traditional(text) == bool(pattern.search(text)), p.name


# ---- the simplified view extraction has already made, handed to describe (describe27, describe28)

def _simplified_by_itself(text: str) -> str:
    """simplified() as before: its own traditional test, then OpenCC."""
    return text_view._t2s().convert(text) if text_view.has_traditional(text) else text


def test_simplified_from_extraction_is_the_view_made_alone():
    # as `etl run` reads a report: extraction first, which hands describe the view of the
    # same text; each report also in traditional script (s2t), where the view is t2s
    import opencc

    from etl.pipeline import read_claims_and_view
    from etl.reading.ingest import read_document
    s2t = opencc.OpenCC("s2t").convert
    used = traditional = 0
    paths = _bundled_and_bench(5)       # the bundled reports alone in a clone without the bench
    for p in paths:
        doc = read_document(p)
        for text in (doc.text, s2t(doc.text)):
            doc_t = doc if text is doc.text else type(doc)(doc.path, doc.name, doc.format,
                                                           doc.encoding, text, text)
            _, view = read_claims_and_view(doc_t)
            want = _simplified_by_itself(text)
            if view is not None:
                assert view == want, p.name
                used += 1
            assert text_view.simplified_given(text, view) == want, p.name
            traditional += want != text
    # the view was handed over for many texts, on both scripts (each report is read twice)
    assert used >= len(paths) // 2 and traditional >= len(paths) // 2


def test_describe_with_extractions_view_is_describe_alone():
    from etl.pipeline import read_claims_and_view
    from etl.reading.describe import describe
    from etl.reading.ingest import read_document
    for p in _bundled_and_bench(25):
        doc = read_document(p)
        _, view = read_claims_and_view(doc)
        assert describe(doc.text, doc.name, html_meta=doc.html_meta, simp=view) == \
            describe(doc.text, doc.name, html_meta=doc.html_meta), p.name


def test_simplified_from_normalize_is_of_its_own_text():
    from etl.extraction.normalize import normalize
    one, other = "全國政協機關開展主題教育", "二〇二一年的普通文本"
    assert normalize(one, markup=None).raw_simplified == "全国政协机关开展主题教育"
    assert normalize(other, markup=None).raw_simplified is other


def test_simplified_from_normalize_of_a_page_looks_in_its_tags_too():
    # the view of a page is its text without tags: a traditional character inside a tag
    # (short and kept, or long and looked at anew each time) is in the page all the same
    from etl.extraction.normalize import normalize
    body = "<p>全国政协机关开展主题教育</p><p>二〇二一年</p>"
    plain = body + "<p><strong>普通</strong></p>"
    assert normalize(plain, markup=True).raw_simplified is plain
    for tag in ('<img alt="國徽">', '<img alt="國徽" src="' + "x" * 80 + '">'):
        for _ in range(2):          # the tag new, then seen before
            page = body + tag
            assert normalize(page, markup=True).raw_simplified is None, tag
    assert normalize(plain, markup=True).raw_simplified is plain


def test_pipeline_hands_no_view_for_a_text_extraction_did_not_read(tmp_path):
    # an HTML page: extraction reads its source, describe its main text
    from etl.pipeline import read_claims_and_view
    from etl.reading.ingest import read_document
    page = tmp_path / "a.html"
    page.write_text("<html><body><article><p>全国政协机关开展主题教育，参加12人。</p></article></body></html>",
                    encoding="utf-8")
    doc = read_document(page)
    assert doc.text is not doc.raw_text
    assert read_claims_and_view(doc)[1] is None


# ---- placed names tried only where one can start (organisations._placed_names)

NAME_PIECES = ["市委组织部", "区", "县人民法院", "的", "在", "和", "，", "。", " ", "\n", "公司", "中共",
               "中共中央", "省", "市", "全省", "全市", "中央", "国家", "街道党工委", "社区", "自治区", "地区",
               "帮助", "成都市", "州市", "局", "委员会", "领导小组办公室", "党支部", "书记", "天津市",
               "安徽省政府", "“", "、", "2021年", "abc", "\U0001F600", "\x00"]


def _placed_both(zone: str) -> None:
    sh = org.organisation_rules().shapes
    slow = [(m.span(), m.groups()) for m in org._names(sh.placed, sh.placed_here, zone)]
    assert [(m.span(), m.groups()) for m in org._placed_names(zone, sh)] == slow, zone[:80]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=80).map("".join))
def test_placed_names_from_the_candidates_are_the_boundary_scans(text):
    _placed_both(text)                      # short: the scan itself
    _placed_both(text * 4 + "。" * 200)     # long: the candidates in numpy
    _placed_both("中共" + text * 4 + "x" * 200 + "中共")


def test_placed_names_from_the_candidates_on_the_bundled_and_bench_reports():
    for p in _bundled_and_bench(3):
        view = text_view.paragraphs(simplified(p.read_text(encoding="utf-8")))
        _placed_both(view[:3000])
        _placed_both(view[-3000:])


def _placed_by_find(zone: str) -> None:
    """The starts str.find gives (a process without numpy) try what the boundary scan tried."""
    sh = org.organisation_rules().shapes
    slow = [(m.span(), m.groups()) for m in org._names(sh.placed, sh.placed_here, zone)]
    fast = org._names_at(sh.placed_here, zone, org._placed_starts(zone, sh))
    assert [(m.span(), m.groups()) for m in fast] == slow, zone[:80]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=80).map("".join))
def test_placed_names_from_str_find_are_the_boundary_scans(text):
    _placed_by_find(text)
    _placed_by_find("中共" + text * 4 + "x" * 200 + "中共")


def test_placed_names_from_str_find_on_the_bundled_and_bench_reports():
    sh = org.organisation_rules().shapes
    for p in _bundled_and_bench(3):
        view = text_view.paragraphs(simplified(p.read_text(encoding="utf-8")))
        for zone in (view[:3000], view[-3000:]):
            _placed_by_find(zone)
            if len(zone) > 1:  # the numpy candidates and these: the same starts
                assert org._placed_starts(zone, sh) == org._placed_candidates(zone, sh), p.name


# ---- the squeezed view from the code points has_traditional read (text_view.squeezed)

break_text = st.text(alphabet=st.sampled_from(
    list(text_view._SQUEEZE_CHARS) + list("。！？!?…”主题教育國\n\x00a") + ["\U0001F600", "\ud800"]),
    max_size=300)


@settings(max_examples=400, deadline=None)
@given(break_text, break_text)
def test_squeezed_is_the_paragraph_view_squeezed(a, b):
    for compiled in (False, True):
        with _scans(compiled):
            for simp in (a, a * 3 + b):
                text_view.has_traditional(b)        # another text's code points kept in between
                text_view.squeezed.cache_clear()
                assert text_view.squeezed(simp) == text_view._SQUEEZE.sub("", text_view.paragraphs(simp))
                text_view.has_traditional(simp)     # and this text's own
                text_view.squeezed.cache_clear()
                assert text_view.squeezed(simp) == text_view._SQUEEZE.sub("", text_view.paragraphs(simp))


def test_squeezed_on_the_bundled_and_bench_reports():
    for compiled in (False, True):
        with _scans(compiled):
            for p in _bundled_and_bench(7):
                simp = simplified(p.read_text(encoding="utf-8"))
                text_view.squeezed.cache_clear()
                assert (text_view.squeezed(simp)
                        == text_view._SQUEEZE.sub("", text_view.paragraphs(simp))), p.name


# ---- numpy only once it pays (text_view.numpy_pays): the same descriptions either way

_DESCRIBE_FRESH = """
import json, sys
from pathlib import Path
from etl.reading import text_view
from etl.reading.describe import describe
text_view.NUMPY_AFTER_CHARS = int(sys.argv[1])
out = [describe(p.read_text(encoding="utf-8"), p.name) for p in sorted(Path("data/corpus").glob("*.txt"))]
print(json.dumps({"numpy": "numpy" in sys.modules, "out": out}, ensure_ascii=False, default=str))
"""


def test_describe_takes_numpy_up_only_once_it_pays_and_answers_alike():
    import json
    import os
    import subprocess
    import sys

    from etl.extraction.native import PURE_ENV
    from etl.reading.describe import describe
    # this process: the compiled scans with the build, else the numpy paths
    here = [describe(p.read_text(encoding="utf-8"), p.name)
            for p in sorted((ROOT / "data" / "corpus").glob("*.txt"))]
    here = json.loads(json.dumps(here, ensure_ascii=False, default=str))
    compiled = literal_scan.COMPILED
    # never (the regex paths), at once (the numpy paths: never with the compiled build, whose
    # scans cost less), and at once from the source (REPORT_FIGURES_PURE: the numpy paths)
    for after, pure, loaded in ((10**9, "", False), (1, "", not compiled), (1, "1", True)):
        env = {**os.environ, PURE_ENV: pure}
        res = subprocess.run([sys.executable, "-c", _DESCRIBE_FRESH, str(after)], cwd=ROOT,
                             capture_output=True, text=True, timeout=300, env=env)
        assert res.returncode == 0, res.stderr
        got = json.loads(res.stdout)
        assert got["numpy"] is loaded
        assert got["out"] == here


# ---- the whole-text views kept by identity, not hashed (text_view.kept_by_identity, desc30)

def test_views_are_kept_by_identity_and_answered_alike_for_an_equal_text():
    calls: list[str] = []

    @text_view.kept_by_identity
    def view(text: str) -> str:
        calls.append(text)
        return text.upper()

    a = "".join(["ab", "c"])
    b = "".join(["a", "bc"])          # equal to a, another object
    assert a == b and a is not b
    assert view(a) == view(a) == "ABC" and len(calls) == 1      # the same object: kept
    assert view(b) == "ABC" and len(calls) == 2                 # an equal one: made anew
    others = ["".join(["x", str(i)]) for i in range(text_view._KEPT_TEXTS)]
    for t in others:
        view(t)
    view(a)                                                     # pushed out by newer texts
    assert len(calls) == 3 + text_view._KEPT_TEXTS
    view.cache_clear()
    view(others[-1])
    assert len(calls) == 4 + text_view._KEPT_TEXTS


def test_the_squeezed_view_and_its_aliases_are_made_once_per_report():
    first = sorted((ROOT / "data" / "corpus").glob("*.txt"))[0]
    simp = simplified(first.read_text(encoding="utf-8"))
    text_view.squeezed.cache_clear()
    view = text_view.squeezed(simp)
    assert text_view.squeezed(simp) is view     # find_campaign and find_tags read one view
    assert camp.aliases_in(view) is camp.aliases_in(view)


# ---- the top markdown heading, deeper headings skipped once one is kept (desc30)

def _markdown_title_as_before(lines):
    heads = []
    for line, simp in lines:
        m = pf._MD_HEADING.match(line) if line.startswith("#") else None
        if m:
            text = pf._MD_MARKUP.sub(lambda g: g.group(1) or "", m.group(2)).strip()
            ms = pf._MD_HEADING.match(simp) if simp is not line else m
            view = pf._MD_MARKUP.sub(lambda g: g.group(1) or "", ms.group(2)).strip() if ms else text
            if len(pf._flat(text)) >= 2 and not pf._is_furniture(view):
                heads.append((len(m.group(1)), text))
    if not heads:
        return None
    top = min(level for level, _ in heads)
    return pf.strip_site(next(text for level, text in heads if level == top))


heading_lines = st.lists(st.tuples(
    st.text(alphabet=st.sampled_from("#"), max_size=8),
    st.sampled_from(["", " ", "\t"]),
    st.sampled_from(["标题一", "第二个标题", "欢迎来到某某网", "x", "**加粗标题**", "标题_人民网", "#", " 标题 ##"])),
    max_size=12).map(lambda ls: [(a + b + c).strip() for a, b, c in ls])


@settings(max_examples=500, deadline=None)
@given(heading_lines)
def test_markdown_title_is_the_top_heading_as_before(lines):
    pairs = [(ln, ln) for ln in lines]
    assert pf._markdown_title(pairs) == _markdown_title_as_before(pairs)
    traditional = [(ln, ln.replace("标题", "標題")) for ln in lines]   # a view of its own
    assert pf._markdown_title(traditional) == _markdown_title_as_before(traditional)


def test_markdown_title_on_the_bundled_and_bench_reports():
    seen = 0
    for p in _bundled_and_bench(5):
        text = p.read_text(encoding="utf-8")
        lines = [(a.strip(), a.strip()) for a in text_view.head_lines(text, 60)]
        got = pf._markdown_title(lines)
        assert got == _markdown_title_as_before(lines), p.name
        seen += got is not None
    if BENCH_HERE:      # the bundled reports hold no markdown heading; the bench pages do
        assert seen > 100


# ---- the lead's end from the lines that are not blank, by one regex (text_view.lead_end,
# desc30, desc32)

def _lead_end_as_before(view, min_body=60, max_lines=15):
    pos, seen, n = 0, 0, len(view)
    while pos <= n:
        nl = view.find("\n", pos)
        end = n if nl < 0 else nl
        line = view[pos:end].strip()
        if line:
            seen += 1
            if len(line) >= min_body:
                return end
            if seen >= max_lines:
                break
        pos = end + 1
    return min(len(view), 600)


# spaces str.strip drops that do not end a line (\r, \x0b, \x1c, \x85, \u2028, the
# ideographic space), within a line and at its ends
lead_text = st.lists(st.tuples(st.integers(0, 80), st.sampled_from(["正", " ", "\u3000", "x\r", "\x1c正"]),
                               st.sampled_from(["\n", "\n\n", " \n", "", "\x0b", "\x85\n", "\u2028"])),
                     max_size=40).map(lambda parts: "".join(c * k + e for k, c, e in parts))


@settings(max_examples=600, deadline=None)
@given(lead_text)
def test_lead_end_is_the_line_by_line_walk(view):
    for kw in ({}, {"min_body": 5, "max_lines": 3}, {"min_body": 1, "max_lines": 1}):
        assert text_view.lead_end(view, **kw) == _lead_end_as_before(view, **kw)


def test_a_line_bodys_spaces_are_the_ones_strip_drops():
    # lead_end's regex tells a blank line and a line's ends by \s: the same characters
    assert not [c for c in map(chr, range(0x110000))
                if (re.match(r"\s", c) is not None) != (c.strip() == "")]


def test_lead_end_on_the_bundled_and_bench_reports():
    for p in _bundled_and_bench(5):
        simp = simplified(p.read_text(encoding="utf-8"))
        for view in (text_view.paragraphs(simp), text_view.squeezed(simp)):
            assert text_view.lead_end(view) == _lead_end_as_before(view), p.name


# ---- literals a pattern cannot match without, tested before it (page_facts, desc30)

@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("0129.-_ acomnetgvdu") + ["www", ".com", "2019", "20", "19", "22.01.2019",
                                                              "people.com.cn"]), max_size=12).map("".join))
def test_the_day_month_year_date_and_the_host_need_their_literals(s):
    if pf._DMY_DATE.search(s):          # find_published looks for ".19" or ".20" first
        assert ".19" in s or ".20" in s
    if pf._HOST.search(s):              # find_source tries a footer line with a "." only
        assert "." in s


def test_the_day_month_year_date_gated_by_its_literal_still_reads():
    assert pf.detect_published("标题\n\n22.01.2019  16:13\n\n正文") == "2019-01-22"
    assert pf.detect_source("正文\nCopyright © 1997-2021 by www.people.com.cn") == "人民网"


# ---- the first lines from a prefix doubled until it holds them (text_view.head_lines, desc32)

head_text = st.lists(st.tuples(st.integers(0, 300), st.sampled_from(["正", "x", " "]),
                               st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", ""])),
                     max_size=60).map(lambda parts: "".join(c * k + e for k, c, e in parts))


@settings(max_examples=400, deadline=None)
@given(head_text, st.sampled_from([1, 2, 7, 60]))
def test_head_lines_are_the_first_of_splitlines(text, n):
    # prefixes of 1,024 characters and up cut lines and \r\n pairs anywhere
    assert text_view.head_lines(text, n) == text.splitlines()[:n]


# ---- a file name's stem without a Path (describe.file_stem, desc32)

@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", ".", "/", "年", " ", "md", "..", "_"]), max_size=8).map("".join))
def test_file_stem_is_paths_stem(name):
    from etl.reading.describe import file_stem
    assert file_stem(name) == Path(name).stem, name


# ---- no squeezed view where no alias is written (campaigns._alias_view, desc32)

def _campaign_and_tags(simp: str, title: str | None, view_of) -> tuple:
    was = camp._alias_view
    camp._alias_view = view_of
    try:
        camp._aliases_in.cache_clear()
        return camp.find_campaign(simp, 2021, title), camp.find_tags(simp)
    finally:
        camp._alias_view = was


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_alias_pieces() + ["“", "、", " ", "。 ", "《", "正文"]), max_size=12).map("".join),
       st.sampled_from([None, "党史学习教育动员大会", "学习", "“三结对”活动"]))
def test_campaign_and_tags_are_what_the_squeezed_view_gives(simp, title):
    camp._alias_view.cache_clear()
    assert (_campaign_and_tags(simp, title, camp._alias_view)
            == _campaign_and_tags(simp, title, squeezed))


def test_the_alias_view_is_empty_only_where_the_squeezed_view_holds_no_alias():
    empty = 0
    for p in _bundled_and_bench(5):
        simp = simplified(p.read_text(encoding="utf-8"))
        camp._alias_view.cache_clear()
        camp._aliases_in.cache_clear()
        view, full = camp._alias_view(simp), squeezed(simp)
        assert view in ("", full), p.name
        if view == "":
            assert camp.aliases_in(full) == ((), ()), p.name
            empty += 1
    # the bench corpus's news mostly names no campaign: the squeeze is spared there
    assert empty > (50 if BENCH_HERE and literal_scan.COMPILED else -1)
