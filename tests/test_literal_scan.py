"""The compiled literal scans (etl/extraction/literal_scan.py) find what the regexes they
stand in for find: on hypothesis strings, and on the bundled reports and every 5th bench
report, in simplified and traditional script, with words at the text's two ends."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extraction import literal_scan
from etl.extraction.literal_scan import Literals, char_table, without_chars
from etl.reading import campaigns as camp
from etl.reading import organisations as org
from etl.reading import text_view
from etl.rules import alternation

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench_corpus"


def _regex_hits(pattern: re.Pattern, text: str, start: int = 0, end: int | None = None):
    return [(m.start(), m.end(), m.group())
            for m in pattern.finditer(text, start, len(text) if end is None else end)]


WORDS = ["主题教育", "主题", "题教", "教育", "不忘初心牢记使命", "不忘初心", "初心", "😀a", "😀",
         "ab", "abcd", "b", "“主题"]
PIECES = [*WORDS, "主", "题", "教", "育", "的", "a", "c", "d", "“", "\n", " ", "😀", "\x00"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 12), st.integers(-1, 40))
def test_find_is_the_alternations_finditer(pieces, start, end):
    text = "".join(pieces)
    # WORDS hold one-character words (every character tried), LONGER none (reach 2),
    # LONGEST only words of 3+ characters, with a character at two places of a head and
    # one beyond the plane in a head (reach 3: steps of up to 3 characters)
    for words in (WORDS, LONGER, LONGEST, FEW_SHORT):
        pattern = re.compile(alternation(words))
        got = Literals(words).find(text, start, end)
        want = _regex_hits(pattern, text, start, len(text) if end < 0 else min(end, len(text)))
        assert got == want, words


SKIPPED = "、 《\x00"   # left out by `occurs` (no word holds one)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "、", "《", "主、题", "不忘初心、牢记使命", "a 😀"]), max_size=30))
def test_occurs_is_a_find_in_the_text_without_the_skipped_characters(pieces):
    text = "".join(pieces)
    skip = char_table(SKIPPED)
    for words in (WORDS, LONGER, LONGEST, FEW_SHORT):
        words = [w for w in words if not set(w) & set(SKIPPED)]
        scan = Literals(words)
        assert scan.occurs(text, skip) == bool(scan.find(without_chars(text, skip))), words


def test_occurs_on_the_campaign_aliases_of_the_bundled_and_bench_reports():
    r = camp.campaign_rules()
    skip = char_table(text_view._SQUEEZE_CHARS)
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt")) + (
        sorted(BENCH.iterdir())[::5] if BENCH.is_dir() else [])
    held = 0
    for p in paths:
        view = text_view.paragraphs(text_view.simplified(p.read_text(encoding="utf-8")))
        for cut in (view, view[len(view) // 2:]):
            want = bool(r.both_scan.find(without_chars(cut, skip)))
            assert r.both_scan.occurs(cut, skip) == want, p.name
            held += want
    assert held > 3


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "、", "《", "主、题", "不忘初心、牢记使命", "a 😀", "四风", "四、风"]),
                max_size=30))
def test_any_written_skipping_is_a_find_in_the_text_without_the_skipped_characters(pieces):
    text = "".join(pieces)
    skip = char_table(SKIPPED)
    for words in (WORDS, ["四风"], ["主题", "😀a", "ab"], []):
        words = [w for w in words if not set(w) & set(SKIPPED)]
        want = bool(Literals(words).find(without_chars(text, skip))) if words else False
        assert literal_scan.any_written_skipping(text, words, skip) == want, words


def test_the_alias_scan_and_the_short_aliases_say_what_the_joint_scan_says():
    """campaigns._alias_view asks the aliases of 3+ characters and the shorter ones apart."""
    r = camp.campaign_rules()
    scanned = [w for g in r.alias_scan.groups for w in g]
    assert r.short_aliases and sorted([*r.short_aliases, *scanned]) == sorted(
        w for g in r.both_scan.groups for w in g)
    assert r.alias_scan.reach >= 3
    skip = char_table(text_view._SQUEEZE_CHARS)
    short_only = 0
    for text in [*_texts(), "开展纠“四风”工作", "纠四、风", "四风"]:
        view = text_view.paragraphs(text_view.simplified(text))
        for cut in (view, view[len(view) // 2:]):
            long_ = r.alias_scan.occurs(cut, skip)
            short = literal_scan.any_written_skipping(cut, r.short_aliases, skip)
            assert (long_ or short) == r.both_scan.occurs(cut, skip)
            short_only += short and not long_
    assert short_only >= 3


LONGER = [w for w in WORDS if len(w) > 1 and ord(w[1]) < 0x10000]
LONGEST = ["主题教育", "不忘初心牢记使命", "题教育", "教育主", "主主题", "a😀b", "abcd"]
# two short words among longer ones, inside them too: the longer words' own scan is taken
# where neither is written in the window (Literals.longer)
FEW_SHORT = ["主题教育", "不忘初心牢记使命", "题教育", "a😀b", "abcd", "初心", "主题"]


def test_the_scan_steps_by_the_shortest_words_head():
    assert Literals(WORDS).reach == 1 and Literals(LONGER).reach == 2
    longest = Literals(LONGEST)
    assert longest.reach == 3
    # 1 + the last place a character stands at among the heads (主 at 0, 1 and 2)
    assert [longest.last_at[ord(c)] for c in "不忘初主的"] == [1, 2, 3, 3, 0]
    assert Literals(["一二三四五六七八九十"]).reach == 8 and Literals([]).find("一二三") == []
    few = Literals(FEW_SHORT)
    assert sorted(few.short) == ["主题", "初心"] and few.reach == 2
    assert few.longer is not None and few.longer.reach == 3 and few.longer.longer is None
    assert Literals(WORDS).longer is None and Literals(LONGEST).longer is None   # too many short; none


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.integers(0, 12), st.integers(-1, 40))
def test_every_is_a_find_from_each_place(pieces, start, end):
    text = "".join(pieces)
    stop = len(text) if end < 0 else min(end, len(text))
    for words in (WORDS, LONGER, LONGEST, FEW_SHORT):
        want = sorted(((at, w) for w in set(words) for at in range(max(0, start), stop)
                       if text.startswith(w, at, stop)), key=lambda hit: (hit[0], -len(hit[1])))
        assert Literals(words).every(text, start, end) == want, words


def _paragraphs_by_runs(text: str) -> str:
    text_view.paragraphs.cache_clear()
    was = literal_scan.COMPILED
    literal_scan.COMPILED = False   # text_view's own loop over text_view._breaks
    try:
        return text_view.paragraphs(text)
    finally:
        literal_scan.COMPILED = was
        text_view.paragraphs.cache_clear()


def _paragraph_breaks(text: str) -> str:
    spaces, ends = text_view._break_tables()
    return literal_scan.paragraph_breaks(text, text_view._BREAK_SPACES, spaces, ends)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("。！？!?…”“ \t\u3000\xa0\n文x.") + ["😀", "\x00"]),
                max_size=30).map("".join))
def test_paragraph_breaks_are_text_views_runs(text):
    assert _paragraph_breaks(text) == _paragraphs_by_runs(text)


def test_paragraph_breaks_on_the_reports_and_the_text_kept_without_one():
    changed = 0
    for text in _texts():
        simp = text_view.simplified(text)
        got = _paragraph_breaks(simp)
        assert got == _paragraphs_by_runs(simp)
        changed += got != simp
    assert changed > 10
    plain = "不忘初心。牢记使命" * 40
    assert _paragraph_breaks(plain) is plain


def test_unit_and_committee_words_found_alike_by_the_scan_and_by_find(monkeypatch):
    sh = org.organisation_rules().shapes
    zones = [t[:3000] for t in map(text_view.simplified, _texts())]
    answers = {}
    for compiled in (True, False):
        monkeypatch.setattr(org, "SCAN_COMPILED", compiled)
        org._places_kept.clear()
        answers[compiled] = [([m.span() for m in org._unit_names(z, sh)],
                              [m.span() for m in org._committees(z, sh)],
                              org._word_places(z, sh)) for z in zones]
    org._places_kept.clear()
    assert answers[True] == answers[False]
    # hits to compare: the bundled reports alone give 4 zones with unit words and 8 with
    # committees (a clean clone has no bench corpus beside it); with it, dozens
    with_bench = BENCH.is_dir()
    assert sum(bool(units) for units, _, _ in answers[True]) > (10 if with_bench else 3)
    assert sum(bool(committees) for _, committees, _ in answers[True]) > (3 if with_bench else 6)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "、", "《", "》", "\t", "\u3000", "\xa0", "·"]), max_size=40))
def test_without_chars_is_the_squeeze_regex(pieces):
    text = "".join(pieces)
    assert without_chars(text, char_table(text_view._SQUEEZE_CHARS)) == text_view._SQUEEZE.sub("", text)


def test_without_chars_keeps_the_text_object_when_nothing_is_dropped():
    text = "不忘初心牢记使命" * 40
    assert without_chars(text, char_table("、")) is text


def test_a_table_beyond_the_plane_and_too_many_first_characters_are_refused():
    for bad in (lambda: char_table("😀"), lambda: Literals(chr(0x4E00 + k) for k in range(256))):
        try:
            bad()
        except ValueError:
            continue
        raise AssertionError("accepted")


@cache
def _texts() -> list[str]:
    """Real report texts: the bundled reports and every 5th bench report, each also in
    traditional script and each with a listed word at either end (hits at the ends)."""
    import opencc
    s2t = opencc.OpenCC("s2t").convert
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    if BENCH.is_dir():
        paths += sorted(BENCH.iterdir())[::5]
    out = []
    for p in paths:
        text = p.read_text(encoding="utf-8", errors="replace")
        out += [text, s2t(text), "主题教育" + text + "北京市", "党史学习教育" + text + "我为群众办实事"]
    return out


def test_campaign_aliases_found_as_the_alternations_find_them():
    r = camp.campaign_rules()
    for text in _texts():
        for view in (text, text_view.squeeze(text_view.paragraphs(text_view.simplified(text)))):
            assert r.scan.find(view) == _regex_hits(r.regex, view)
            assert r.local_scan.find(view) == _regex_hits(r.local_regex, view)
            assert r.both_scan.find(view) == _regex_hits(r.both_regex, view)


def test_organisation_aliases_and_places_found_as_the_alternations_find_them():
    r = org.organisation_rules()
    n = 0
    for text in _texts():
        simp = text_view.simplified(text)
        assert r.place_scan.words(simp) == r.place_regex.findall(simp)
        tail = max(0, len(simp) - 800)
        for start, end in ((0, 3000), (tail, len(simp))):
            assert r.scan.find(simp, start, end) == _regex_hits(r.regex, simp, start, end)
        n += bool(r.place_scan.words(simp))
    assert n >= 4


def test_the_squeezed_view_as_the_regex_makes_it():
    table = char_table(text_view._SQUEEZE_CHARS)
    for text in _texts():
        view = text_view.paragraphs(text_view.simplified(text))
        assert without_chars(view, table) == text_view._SQUEEZE.sub("", view)


def test_callers_take_the_scan_or_the_regex_alike(monkeypatch):
    # campaigns and organisations take the scans when the build runs, else the regexes
    texts = _texts()[:40]
    answers = {}
    for compiled in (True, False):
        monkeypatch.setattr(camp, "SCAN_COMPILED", compiled)
        monkeypatch.setattr(org, "SCAN_COMPILED", compiled)
        camp._aliases_in.cache_clear()
        answers[compiled] = [(camp.aliases_in(camp.squeeze(t)), org._places_in(t),
                              org._listed_hits(t, 0, 3000)) for t in texts]
    camp._aliases_in.cache_clear()
    assert answers[True] == answers[False]
    assert any(a[0][0] for a in answers[True]) and any(a[1] for a in answers[True])


def test_the_scan_is_compiled_when_the_build_runs():
    from etl.extraction import native
    assert literal_scan.COMPILED == native.compiled_status()[0]


NAME_PIECES = ["市委组织部", "区", "县人民法院", "的", "在", "和", "，", "。", " ", "\n", "公司", "中共",
               "中共中央", "省", "市", "全省", "全市", "中央", "国家", "街道党工委", "社区", "自治区",
               "成都市", "州市", "局", "委员会", "党支部", "天津市", "安徽省政府", "“", "、", "2021年",
               "abc", "\U0001F600", "\x00", "推动", "个", "中", "国", "全", "共", "松山", "党委"]


def _starts_both(zone: str) -> None:
    """placed_starts: ascending, within the starts str.find gives (every place lo..hi
    before a suffix, every scope word's first character), and the names tried there are
    the boundary scan's."""
    sh = org.organisation_rules().shapes
    table = org._name_table(sh)
    got = literal_scan.placed_starts(zone, table.kinds, *sh.place_chars, table.suffixes,
                                     table.scopes, table.prefixes)
    assert got == sorted(set(got)), zone[:80]
    assert set(got) <= set(org._placed_starts(zone, sh)), zone[:80]
    slow = [(m.span(), m.groups()) for m in org._names(sh.placed, sh.placed_here, zone)]
    assert [(m.span(), m.groups()) for m in org._names_at(sh.placed_here, zone, got)] == slow, zone[:80]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=80).map("".join))
def test_placed_starts_give_the_boundary_scans_names(text):
    _starts_both(text)
    _starts_both("中共" + text * 4 + "x" * 200 + "中共")


def test_placed_starts_on_the_reports_fewer_and_the_placed_names_taken_alike(monkeypatch):
    sh = org.organisation_rules().shapes
    table = org._name_table(sh)
    zones = []
    for text in _texts():
        view = text_view.paragraphs(text_view.simplified(text))
        zones += [view[:3000], view[-3000:]]
    fewer = 0
    for zone in zones:
        _starts_both(zone)
        fewer += len(literal_scan.placed_starts(zone, table.kinds, *sh.place_chars, table.suffixes,
                                                table.scopes, table.prefixes)) \
            < len(org._placed_starts(zone, sh))
    assert fewer > len(zones) // 2     # the point of them
    monkeypatch.setattr(org, "SCAN_COMPILED", True)
    for zone in zones[::7]:
        slow = [(m.span(), m.groups()) for m in org._names(sh.placed, sh.placed_here, zone)]
        assert [(m.span(), m.groups()) for m in org._placed_names(zone, sh)] == slow, zone[:80]


def _run_start_as_the_patterns_see_it(zone: str, end: int, lo: int, hi: int) -> int:
    """The first place lo..hi before `end`, at 0 or after a boundary character, from
    which only name characters (the name patterns' class) reach `end`; else -1."""
    sh = org.organisation_rules().shapes
    names = re.compile(f"(?:{org.cjk_class_without(sh.stop + sh.bad)})*")
    for begin in range(max(0, end - hi), end - lo + 1):
        if (begin == 0 or sh.boundary.match(zone, begin - 1)) and names.fullmatch(zone, begin, end):
            return begin
    return -1


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=20).map("".join))
def test_name_run_start_is_the_first_start_a_name_pattern_can_take(text):
    sh = org.organisation_rules().shapes
    kinds = org._name_table(sh).kinds
    for lo, hi in (sh.unit_chars, (1, 3), (0, 2)):
        for end in range(len(text) + 1):
            assert (literal_scan.name_run_start(text, end, lo, hi, kinds)
                    == _run_start_as_the_patterns_see_it(text, end, lo, hi)), (text, end, lo, hi)


def _committees_by_every_start(zone: str) -> list:
    """organisations._committees as it was: every place lo..hi before a committee word
    that opens the zone or follows a boundary, tried in turn."""
    sh = org.organisation_rules().shapes
    lo, hi = sh.unit_chars
    out = []
    for word in sh.committees:
        after = 0
        for pos in [m.start() for m in re.finditer(f"(?={re.escape(word)})", zone)]:
            if pos < after:
                continue
            after = pos + len(word)
            for begin in range(max(0, pos - hi), pos - lo + 1):
                if begin and not sh.boundary.match(zone, begin - 1):
                    continue
                m = sh.committee_here.match(zone, begin)
                if m and m.end("name") == pos:
                    if not org._no_unit_name(m.group("name"), sh):
                        out.append(m.span())
                    break
    return out


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*NAME_PIECES, "韶钢", "党总支", "公司", "推", "基层"]), max_size=24)
       .map("".join))
def test_committees_from_the_run_start_are_those_of_every_start(zone):
    org._places_kept.clear()
    assert ([m.span() for m in org._committees(zone, org.organisation_rules().shapes)]
            == _committees_by_every_start(zone))


def test_committees_from_the_run_start_on_the_reports():
    sh = org.organisation_rules().shapes
    seen = 0
    for text in _texts():
        zone = text_view.simplified(text)[:3000]
        want = _committees_by_every_start(zone)
        assert [m.span() for m in org._committees(zone, sh)] == want
        seen += len(want)
    assert seen > 3
