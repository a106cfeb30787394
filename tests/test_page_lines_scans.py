"""The compiled scans describe's page facts take (literal_scan.nth_end, opening_with,
folded_near; desc33) give what the Python they replace gives: head_lines the first lines
of splitlines, find_title the same heading, has_footer_mark what FOOTER_MARK.search says.
Each is checked through both paths (page_facts.SCAN_COMPILED and literal_scan.COMPILED
set either way; without a build the scans' Python source runs)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extraction import literal_scan
from etl.reading import page_facts as pf
from etl.reading import text_view

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench_corpus"   # absent in a clean clone (CI)


def _reports(every: int) -> list[Path]:
    """The bundled reports and every `every`-th bench file when the bench corpus is here."""
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    if BENCH.is_dir():
        paths += sorted(BENCH.iterdir())[::every]
    return paths


@contextmanager
def _compiled_paths(taken: bool):
    """page_facts and text_view with the compiled scans' paths taken or not."""
    was = pf.SCAN_COMPILED, literal_scan.COMPILED
    pf.SCAN_COMPILED = literal_scan.COMPILED = taken
    try:
        yield
    finally:
        pf.SCAN_COMPILED, literal_scan.COMPILED = was


# ---- the offset after the n-th newline, and head_lines by it

def _nth_end_by_hand(text: str, ch: str, n: int) -> int:
    seen = 0
    for i, c in enumerate(text):
        if c == ch:
            seen += 1
            if seen == n:
                return i + 1
    return 0 if n <= 0 else -1


line_text = st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["正", "x", " "]),
                               st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", "\x1c", ""])),
                     max_size=40).map(lambda parts: "".join(c * k + e for k, c, e in parts))


@settings(max_examples=500, deadline=None)
@given(line_text, st.integers(0, 30))
def test_nth_end_is_after_the_nth_newline(text, n):
    assert literal_scan.nth_end(text, "\n", n) == _nth_end_by_hand(text, "\n", n)


@settings(max_examples=500, deadline=None)
@given(line_text, st.sampled_from([0, 1, 2, 7, 60]))
def test_head_lines_either_way_are_the_first_of_splitlines(text, n):
    for taken in (True, False):
        with _compiled_paths(taken):
            assert text_view.head_lines(text, n) == text.splitlines()[:n], taken


# ---- the lines that open with a character once str.strip has dropped their spaces

heading_text = st.lists(st.tuples(
    st.lists(st.sampled_from([" ", "\t", "\u3000", "\xa0", "\x1f", "\x85", "\u200b", "\u2003"]), max_size=3
             ).map("".join),
    st.sampled_from(["#", "##", "", "x", "标题", "#标题", "＃"])), max_size=20).map(
    lambda ls: [a + b for a, b in ls])


@settings(max_examples=500, deadline=None)
@given(heading_text)
def test_opening_with_is_strip_then_the_first_character(lines):
    assert literal_scan.opening_with(lines, "#") == [i for i, ln in enumerate(lines)
                                                      if ln.strip()[:1] == "#"]


def test_opening_with_skips_every_space_strip_drops():
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    lines = [s + "#" for s in spaces] + [chr(c) + "#" for c in range(0x3000)
                                         if not chr(c).isspace()]
    assert literal_scan.opening_with(lines, "#") == [
        i for i, ln in enumerate(lines) if ln.strip()[:1] == "#"]


def test_find_title_either_way_on_the_reports():
    seen = 0
    for p in _reports(3):
        text = p.read_text(encoding="utf-8")
        with _compiled_paths(True):
            got = pf.find_title(text, None)
        with _compiled_paths(False):
            assert got == pf.find_title(text, None), p.name
        seen += got[0] is not None
    assert seen > 0


# ---- the Latin footer marks compared case-blind where an i stands

def test_the_folds_are_what_re_ignorecase_reads_as_the_marks_letters():
    letters = sorted(set("".join(pf._FOOTER_MARK_WORDS)) - {" "})
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in letters:
        read_as = set(re.findall(letter, every, re.IGNORECASE))
        folded = {letter, letter.upper()} | {pf._FOOTER_MARK_FOLDS[j] for j in
                                             range(0, len(pf._FOOTER_MARK_FOLDS), 2)
                                             if pf._FOOTER_MARK_FOLDS[j + 1] == letter}
        assert read_as == folded, letter
        for ch in read_as:      # the scan itself says so, one character against the letter
            assert literal_scan.folded_near(ch, ch, [0], [letter], pf._FOOTER_MARK_FOLDS), hex(ord(ch))


footer_text = st.lists(st.sampled_from(list("cCiIaAİıKſ©版权 x.oOpPyYrRgGhHtTlLsS") + [
    "copyright", "ICP", "all rights", "Copyr", "ALL RİGHTS", "ıcp", "all rıghtſ", "cOpYrIgHt", "ic"]),
    max_size=12).map("".join)


@settings(max_examples=800, deadline=None)
@given(footer_text)
def test_has_footer_mark_either_way_says_what_the_pattern_says(s):
    for taken in (True, False):
        with _compiled_paths(taken):
            assert pf.has_footer_mark(s) == bool(pf.FOOTER_MARK.search(s)), (taken, s)


def test_has_footer_mark_either_way_on_the_reports_feet():
    marked = 0
    for p in _reports(5):
        foot = p.read_text(encoding="utf-8")[-1500:]
        for s in [foot] + foot.splitlines():
            want = bool(pf.FOOTER_MARK.search(s))
            for taken in (True, False):
                with _compiled_paths(taken):
                    assert pf.has_footer_mark(s) == want, (p.name, taken, s)
            marked += want
    assert marked > 0


# ---- a tail with no date holds no date line (find_published, desc33)

tail_text = st.lists(st.sampled_from(list("0129.-/ 年月日x\n\r\x1c\u2028") + ["2019", "22.01.2019", "二〇一九年一月",
                                                                         "2021-12-30", "20", "19"]),
                     max_size=16).map("".join)


@settings(max_examples=1500, deadline=None)
@given(tail_text)
def test_a_date_line_among_the_last_lines_is_reached_by_a_tail_match(tail):
    dated_to = max((m.end() for m in pf._ANY_DATE.finditer(tail)), default=0)
    if any(pf.is_date_line(line) for line in tail.splitlines()[-3:]):
        assert dated_to > pf.last_lines_start(tail, 3), tail


@settings(max_examples=300, deadline=None)
@given(tail_text, st.integers(1, 5))
def test_last_lines_start_where_the_last_lines_do(s, n):
    assert s[pf.last_lines_start(s, n):].splitlines() == s.splitlines()[-n:]


def test_a_bare_date_on_the_last_line_is_still_read():
    assert pf.detect_published("标题\n" + "正文" * 1000 + "\n22.01.2019") == "2019-01-22"
    assert pf.detect_published("标题\n" + "正文" * 1000 + "\n2019-01-23 10:02\n") == "2019-01-23"
    # a date in a line above the last three, and one on the last line; one three lines up
    assert pf.detect_published("标题\n" + "正文" * 1000 + "\n22.01.2019\n---\n(更新)") == "2019-01-22"
    assert pf.detect_published("标题\n" + "正文" * 1000 + "\n见/2019/01/02/x\n\n---\n22.01.2019") == "2019-01-22"


# ---- a line with four Latin letters is no date line (is_date_line, desc33)

def _is_date_line_as_before(line: str) -> bool:
    m = pf._ANY_DATE.search(line) if pf.may_hold_date(line) else None
    if m is None or pf.date_at(m) is None:
        return False
    return len(pf._TIME_OR_SPACE.sub("", line[:m.start()] + line[m.end():])) <= 3


date_line = st.lists(st.sampled_from(list("0129.-/: 年月日号〇一二十xaZ王【】") + [
    "2019-01-23", "22.01.2019", "二〇一九年一月二十三日", "10:02", "http", "ab", "PM", "https://a.cn/2022/10/30/"]),
    max_size=10).map("".join)


@settings(max_examples=1500, deadline=None)
@given(date_line)
def test_is_date_line_as_before(line):
    assert pf.is_date_line(line) == _is_date_line_as_before(line), line


def test_is_date_line_as_before_on_the_reports_lines():
    for p in _reports(9):
        text = p.read_text(encoding="utf-8")
        for line in text[:3000].splitlines() + text[-600:].splitlines():
            assert pf.is_date_line(line) == _is_date_line_as_before(line), (p.name, line)


# ---- the furniture words and meta keys by literal scans (page_facts._furniture_found, desc33)

furniture_text = st.lists(st.sampled_from(list("发布日期来源浏览：:版权 x首页>") + list(pf._furniture()[0])
                                          + [pf._flat(w).lower() for w in pf._furniture()[1]]),
                          max_size=8).map("".join)


@settings(max_examples=1000, deadline=None)
@given(furniture_text)
def test_furniture_found_either_way_is_the_regex_search(s):
    words_re, keys_re = pf._furniture_regexes()
    for taken in (True, False):
        with _compiled_paths(taken):
            assert pf._furniture_found(0, s.lower()) == bool(words_re.search(s.lower())), (taken, s)
            assert pf._furniture_found(1, s) == bool(keys_re.search(s)), (taken, s)


def test_furniture_found_on_the_reports_lines():
    words_re, keys_re = pf._furniture_regexes()
    for p in _reports(9):
        for line in p.read_text(encoding="utf-8")[:4000].splitlines():
            flat = pf._flat(line).lower()
            with _compiled_paths(True):
                assert pf._furniture_found(0, flat) == bool(words_re.search(flat)), (p.name, line)
                assert pf._furniture_found(1, line) == bool(keys_re.search(line)), (p.name, line)


# ---- a markdown heading read without its pattern where the pattern's reading is plain (desc33)

heading_line = st.lists(st.sampled_from(["#", "######", "#######", " ", "\t", "\u3000", "\xa0", "标题", "x",
                                         "\n", "\r", "*", "\x1c"]), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(heading_line)
def test_heading_parts_are_the_patterns_groups(line):
    m = pf._MD_HEADING.match(line)
    assert pf.heading_parts(line) == ((m.group(1), m.group(2)) if m else None), repr(line)


markup_text = st.lists(st.sampled_from(list("[]()*_`~<>x 标\t\u3000\xa0\x1c\x85\u2028")
                                       + ["[链接](http://a)", "<p>"]), max_size=12).map("".join)


@settings(max_examples=1500, deadline=None)
@given(markup_text)
def test_without_markup_and_flat_are_the_subs(s):
    assert pf.without_markup(s) == pf._MD_MARKUP.sub(pf._link_text, s), repr(s)
    assert pf._flat(s) == pf._SPACES.sub("", s), repr(s)


def test_flat_drops_every_space_the_pattern_drops():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert pf._flat(every) == pf._SPACES.sub("", every)
