"""What the page says about itself: the headline, the publication date and the outlet.

Read from the page's own lines (发布日期, 来源：, a headline followed by its date line,
a copyright footer) or from the HTML metadata a reader found (trafilatura names:
title, date, sitename, hostname). Page furniture words: data/rules/nonclaims.yaml.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Iterable, Iterator, Mapping

from ..extraction.literal_scan import (COMPILED as SCAN_COMPILED, Literals, char_table, folded_near,
                                       opening_with)
from ..regex_cache import regex
from ..rules import RULES_DIR, MetadataRuleError, RuleError, alternation, load_yaml, nonclaims, words
from .organisations import organisation_rules
from .text_view import CJK, head_lines, simplified

PAGE_FACTS_FILE = RULES_DIR / "page_facts.yaml"


@dataclass(frozen=True, slots=True)
class PageRules:
    labelled_date: re.Pattern        # 发布日期: (the date, in any form, follows its end)
    label_ends: tuple[tuple[str, tuple[int, ...]], ...]  # (a label's last two characters,
                                     # how far before them the labels so ending start)
    front_title: frozenset[str]      # front matter keys of the title
    front_date: frozenset[str]       # front matter keys of the date
    html_date: re.Pattern            # a date in an HTML page's markup (group: the value)
    site_split: re.Pattern           # the separators before a site name
    site_tail: re.Pattern            # a tail that is a site name
    site_max: int
    title_furniture: tuple[str, ...]
    lead_max: int
    lead_min: int


@cache
def page_rules() -> PageRules:
    """page_facts.yaml, validated, with its regexes built (once)."""
    d = load_yaml(PAGE_FACTS_FILE, MetadataRuleError)
    where = PAGE_FACTS_FILE.name
    labels = words(d.get("date_labels"), f"{where}: date_labels")
    seps = words(d.get("site_separators"), f"{where}: site_separators")
    ends = words(d.get("site_endings"), f"{where}: site_endings")
    front = d.get("front_matter") or {}
    meta_names = words(d.get("html_date_meta"), f"{where}: html_date_meta")
    if not (labels and seps and ends and meta_names and isinstance(front, dict)):
        raise MetadataRuleError(f"{where}: needs date_labels, site_separators, site_endings, "
                                "html_date_meta, front_matter")
    names = alternation(meta_names)
    attr = r"""(?:name|property|itemprop|http-equiv)\s*=\s*["']?(?:""" + names + r""")["'\s/>]"""
    if any(len(w) < 2 for w in labels):
        raise MetadataRuleError(f"{where}: date_labels must be two characters or more")
    lo, hi = int(d.get("lead_title_min", 8)), int(d.get("lead_title_max", 30))
    if not 0 < lo < hi:
        raise MetadataRuleError(f"{where}: lead_title_min must be below lead_title_max")
    return PageRules(
        label_ends=tuple((end, tuple(sorted({len(w) - 2 for w in labels if w.endswith(end)})))
                         for end in sorted({w[-2:] for w in labels})),
        labelled_date=re.compile(f"(?:{alternation(labels)})" + r"\s*[:：]?\s*(?=[\d〇零○一二三四五六七八九])"),
        front_title=frozenset(k.lower() for k in words(front.get("title"), where)),
        front_date=frozenset(k.lower() for k in words(front.get("date"), where)),
        html_date=re.compile(
            r"<meta\b(?=[^>]*?" + attr + r""")[^>]*?\bcontent\s*=\s*["']?([^"'>]+)"""
            r"""|<time\b[^>]*?\bdatetime\s*=\s*["']?([^"'>]+)"""
            r'|"datePublished"\s*:\s*"([^"]+)"', re.IGNORECASE),
        site_split=re.compile("|".join(re.escape(x) for x in seps)),
        site_tail=re.compile(f"(?:{alternation(ends)})$"),
        site_max=int(d.get("site_max_chars", 16)),
        title_furniture=words(d.get("title_furniture"), f"{where}: title_furniture"),
        lead_max=hi,
        lead_min=lo,
    )


@cache
def _furniture() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(keys that mark a meta line, words that mark a furniture line)."""
    try:
        nc = nonclaims()
        keys, lines = tuple(nc.furniture_keys), tuple(nc.furniture_lines)
    except (RuleError, KeyError, TypeError):
        keys, lines = ("发布日期", "发布时间", "来源", "浏览", "阅读", "作者"), ("欢迎来到", "首页 >")
    return keys, lines + page_rules().title_furniture


# ---------------------------------------------------------------- dates

# A pattern that opens with a lookbehind is tried at every character; a lookahead for its
# first character in front (implied by the pattern, so the matches are the same) lets the
# engine pass over the rest at once: find_published 0.27 -> 0.17 s on the bench corpus.
_BARE_DATE = re.compile(r"(?=[12])(?<![\d.])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
# _BARE_DATE.search as two searches that open with their century, each a literal the
# engine finds by a fast scan (a pattern opening with a class or a lookaround is tried at
# every character: 180 instructions a character of a head); the character before it is
# looked at behind the century. No place can start both, so the first is the earlier.
_BARE_DATE_BY_CENTURY = tuple(
    re.compile(rf"({c}(?<![\d.]{c})\d{{2}})[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?![\d.])") for c in ("19", "20"))


def bare_date(s: str) -> re.Match | None:
    """_BARE_DATE.search(s), the same match (tests/test_reading_fast_paths.py)."""
    found = [m for m in (p.search(s) for p in _BARE_DATE_BY_CENTURY) if m is not None]
    return min(found, key=lambda m: m.start()) if found else None
_DATELINE = regex("page_facts.dateline", rf"(新华社|中新社|本报|人民网|新华网|央视网|光明网)?[{CJK}]{{0,8}}?"
                       rf"(?<!\d)(\d{{1,2}})月(\d{{1,2}})日电")
YEAR_NEAR = re.compile(r"(?=[12])(?<![\d.])((?:19|20)\d{2})年")
# 06.06.2014 10:48 (day.month.year, as the mirrored pages print their date)
_DMY_DATE = re.compile(r"(?=\d)(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])")
# the digits of 二〇一九年一月二十三日
_HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
# Any one date as pages write it, whatever the line around it: 2019-01-23, 2019/1/23,
# 2019.01.23, 2019年1月23日, 22.01.2019, 二〇一九年一月二十三日 (one alternative each, in
# this order of groups: ymd, dmy, han)
_ANY_DATE = regex("page_facts.any_date", 
    r"(?=[\d〇零○一二三四五六七八九])(?:"
    r"(?<![\d.])((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
    r"|(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])"
    r"|([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})[日号])?)")


def may_hold_date(s: str) -> bool:
    """False when _ANY_DATE cannot match in `s`: each of its forms writes a year 19xx/20xx
    in digits, or holds 年 and then 月 (二〇一九年一月). The pattern opens with a lookahead
    tried at every character (~150 instructions a character of a line), these are C-level
    finds (tests/test_reading_fast_paths.py holds the answers equal)."""
    return "20" in s or "19" in s or ("年" in s and "月" in s)


def labelled_dates(zone: str, r: PageRules) -> Iterator[re.Match]:
    """What `r.labelled_date.finditer(zone)` gives, the pattern tried only where a label
    can start: a label's last two characters (日期, 时间), found by str.find, and as far
    before them as the labels so ending are long. The alternation opens with a class the
    engine tested at every character (about 100 instructions a character of a head);
    tests/test_reading_fast_paths.py holds the two equal."""
    starts: set[int] = set()
    for end, backs in r.label_ends:
        at = zone.find(end)
        while at >= 0:
            starts.update(at - b for b in backs if at >= b)
            at = zone.find(end, at + 1)
    pos = 0
    for s in sorted(starts):
        if s >= pos:
            m = r.labelled_date.match(zone, s)
            if m:
                yield m
                pos = m.end() if m.end() > s else s + 1


def iso_date(year: int | str, month: int | str | None = None,
             day: int | str | None = None) -> str | None:
    """A valid date as ISO text (yyyy-mm-dd, or yyyy-mm / yyyy when vaguer), else None.

    >>> iso_date(2014, 2, 7)
    '2014-02-07'
    >>> iso_date("2021", "2", "30") is None
    True
    >>> iso_date(2019, 11)
    '2019-11'
    """
    try:
        y = int(year)
        if not 1900 <= y <= 2100:
            return None
        if month is None:
            return f"{y:04d}"
        m = int(month)
        if day is None:
            return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
        return dt.date(y, m, int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def parse_date(value: str) -> str | None:
    """Read a date written as 2021-12-30, 2014-2-7, 2021/12/30, 2021年12月30日, 2021-12,
    2021 or an ISO timestamp; return ISO text or None.

    >>> parse_date("2021-12-30T17:34:18+08:00")
    '2021-12-30'
    >>> parse_date("2019年11月")
    '2019-11'
    >>> parse_date("soon") is None
    True
    """
    s = str(value).strip()
    m = re.match(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s)
    if m:
        return iso_date(*m.groups())
    m = re.match(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})月?$", s)
    if m:
        return iso_date(*m.groups())
    m = re.match(r"^((?:19|20)\d{2})年?$", s)
    return iso_date(m.group(1)) if m else None


def _han_number(s: str) -> int:
    """十二 -> 12, 二十三 -> 23, 三十 -> 30, 九 -> 9 (month and day numerals)."""
    if "十" not in s:
        return _HAN_DIGITS.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_HAN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_HAN_DIGITS.get(ones, 0) if ones else 0)


def date_at(m: re.Match) -> str | None:
    """The ISO date of an _ANY_DATE match (None when it is no calendar date).

    >>> [date_at(_ANY_DATE.search(s)) for s in ("2019-1-23", "22.01.2019", "二〇一九年一月二十三日",
    ...                                          "二〇二三年十二月")]
    ['2019-01-23', '2019-01-22', '2019-01-23', '2023-12']
    """
    if m.group(1):
        return iso_date(m.group(1), m.group(2), m.group(3))
    if m.group(4):
        return iso_date(m.group(6), m.group(5), m.group(4))
    year = "".join(str(_HAN_DIGITS[c]) for c in m.group(7))
    return iso_date(year, _han_number(m.group(8)), _han_number(m.group(9)) if m.group(9) else None)


def read_date(s: str, start: int = 0, end: int | None = None) -> str | None:
    """The first date written in s[start:end], in any of the forms pages use.

    >>> read_date("【字体: 】【2014年2月7日】 【阅读: 次】"), read_date("06.10.2014 17:21")
    ('2014-02-07', '2014-10-06')
    >>> read_date("二〇二一年十二月十六日王耀生"), read_date("1997-2021 版权所有") is None
    ('2021-12-16', True)
    """
    if not may_hold_date(s[start:end]):
        return None
    for m in _ANY_DATE.finditer(s, start, len(s) if end is None else end):
        d = date_at(m)
        if d:
            return d
    return None


_DATE_CHAR = re.compile("[0-9〇零○]")
_TIME_OR_SPACE = re.compile(r"[\d:：\s.,，、|｜()（）【】\[\]-]+")
# Neither a date nor _TIME_OR_SPACE holds a Latin letter, so a line with four is no date
# line, whatever its date: a link's date (/2022/10/30/) is let go before _ANY_DATE, tried at
# every character, and the sub (the bench pages' tails: is_date_line 9.6 -> 2.3 M on every
# 7th bench file, desc33)
_FOUR_LATIN = re.compile(r"[A-Za-z](?:[^A-Za-z]*[A-Za-z]){3}")


def is_date_line(line: str) -> bool:
    """A line that is a date and little else (a time, a name of up to three characters, a
    source label): page furniture, never a headline.

    >>> is_date_line("二〇一四年十月六日 17:21"), is_date_line("2021-12-16王耀生")
    (True, True)
    >>> is_date_line("2019年5月31日，中共中央召开主题教育工作会议")
    False
    """
    m = (_ANY_DATE.search(line) if may_hold_date(line) and not _FOUR_LATIN.search(line)
         else None)
    if m is None or date_at(m) is None:
        return False
    rest = _TIME_OR_SPACE.sub("", line[:m.start()] + line[m.end():])
    return len(rest) <= 3


def front_matter(text: str) -> dict[str, str]:
    """The key: value lines of a front matter block (--- … ---) opening the text.

    >>> front_matter("---\\ntitle: 标题\\ndate: 2019-01-23\\n---\\n正文")
    {'title': '标题', 'date': '2019-01-23'}
    >>> front_matter("正文")
    {}
    """
    head = text.lstrip("\ufeff")[:3000]
    if not head.startswith(("---", "+++")):
        return {}
    out: dict[str, str] = {}
    for line in head.splitlines()[1:]:
        if line.strip() in ("---", "+++", "..."):
            return out
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            out[key.strip().lower()] = value.strip().strip("\"'")
    return {}  # never closed: not front matter


def markup_date(source: str) -> str | None:
    """The date an HTML page's markup gives (meta tags, <time datetime>, JSON-LD), as
    written there, or None.

    >>> markup_date('<meta name="PubDate" content="2019-01-23 10:02">')
    '2019-01-23 10:02'
    >>> markup_date('<meta content="2021-12-30T08:00:00+08:00" property="article:published_time"/>')
    '2021-12-30T08:00:00+08:00'
    >>> markup_date('<li><a href="/n/1.html">2024-03-05 两会新闻中心开放</a></li>') is None
    True
    """
    for m in page_rules().html_date.finditer(source):
        value = next(g for g in m.groups() if g)
        if parse_date(value):
            return value.strip()
    return None


def _html_get(html_meta: Mapping | None, *keys: str) -> str | None:
    if not html_meta:
        return None
    for k in keys:
        v = html_meta.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def find_published(text: str, html_meta: Mapping | None, simp: str | None = None
                   ) -> tuple[str | None, str | None]:
    raw = _html_get(html_meta, "published", "date", "pubdate", "article:published_time",
                    "datePublished")
    if raw and parse_date(raw):
        return parse_date(raw), "html"
    r = page_rules()
    fm = front_matter(text)
    for key in r.front_date:
        if key in fm and parse_date(fm[key]):
            return parse_date(fm[key]), "text"
    simp = simp if simp is not None else simplified(text)
    head, foot = simp[:1500], simp[-600:]
    for zone in (head, foot):  # 发布日期:2021-12-30, 发布时间：二〇一九年一月二十三日
        for m in labelled_dates(zone, r):
            d = _ANY_DATE.match(zone, m.end())
            if d and date_at(d):
                return date_at(d), "text"
    m = bare_date(head)  # 001: 【2014-2-7】
    if m and iso_date(*m.groups()):
        return iso_date(*m.groups()), "text"
    top = head[:300]   # 22.01.2019  16:13 under the headline: its ".19" or ".20" first (the
    # pattern opens with a lookaround, tried at every character)
    m = _DMY_DATE.search(top) if ".20" in top or ".19" in top else None
    if m and iso_date(m.group(3), m.group(2), m.group(1)):
        return iso_date(m.group(3), m.group(2), m.group(1)), "text"
    # a header line, short (2021年12月30日 10:02) or of page furniture (【2014年2月7日】 【阅读: 次】)
    for line in head_lines(head, 12):
        if not may_hold_date(line) or not _DATE_CHAR.search(line):
            continue  # no date can be read in it (both branches below ask may_hold_date)
        if _is_meta_line(line):  # a date line, or one of 【…】, 来源, 阅读 …
            d = read_date(line)
        elif len(line.strip()) <= 40:  # a short line: a date written with 年
            d = next((date_at(m) for m in _ANY_DATE.finditer(line)
                      if not m.group(4) and "年" in m.group(0) and date_at(m)), None
                     ) if "年" in line and may_hold_date(line) else None
        else:
            continue
        if d:
            return d, "text"
    # 新华社北京6月30日电: only with a year close by (the literal 日电 first: a cheap test)
    m = _DATELINE.search(head) if "日电" in head else None
    if m:
        years = [int(y.group(1)) for y in YEAR_NEAR.finditer(
            simp, max(0, m.start() - 100), m.end() + 100)]
        if years and iso_date(years[0], m.group(2), m.group(3)):
            return iso_date(years[0], m.group(2), m.group(3)), "text"
    tail = simp[-120:]  # a signature date closing the report: （2021年12月30日）, 二〇一九年一月
    dated_to = 0   # where the tail's last date match ends
    for m in _ANY_DATE.finditer(tail) if may_hold_date(tail) else ():
        dated_to = m.end()
        # 2021年12月30日, 二〇一九年一月, a 2021-12-30 line; not a bare 22.01.2019 (below); the
        # calendar check last (a link's date, the bench pages' tail, is on no date line)
        if not m.group(4) and (m.group(7) or "年" in m.group(0)
                               or is_date_line(_line_at(tail, m.start()))) and date_at(m):
            return date_at(m), "text"
    # … a bare 22.01.2019 or 2019-01-23 only on a line of its own (a dateline moved to the end).
    # A line's date is a match in the tail too (its ends are line breaks, which the pattern's
    # lookarounds accept), so the tail's matches reach into the last lines when one of them
    # holds a date (the bench pages' last date is in a link above them: desc33)
    for line in tail.splitlines()[-3:] if dated_to > last_lines_start(tail, 3) else ():
        if is_date_line(line):
            return read_date(line), "text"
    return None, None


def last_lines_start(s: str, n: int) -> int:
    """Where the last `n` (>= 1) lines of `s` (as splitlines cuts them) start."""
    return len(s) - sum(map(len, s.splitlines(True)[-n:]))


def _line_at(s: str, pos: int) -> str:
    return s[s.rfind("\n", 0, pos) + 1:(s.find("\n", pos) + 1 or len(s) + 1) - 1]


def detect_published(text: str, html_meta: dict | None = None) -> str | None:
    """The publication date as ISO yyyy-mm-dd: html metadata first, then a labelled date
    (发布日期/发布时间/时间：2021-12-30), a bare header date (【2014-2-7】), a short
    header line with 2021年12月30日, a dateline with a year close by (新华社北京6月30日电
    alone gives None), a closing signature date.

    >>> detect_published("标题\\n发布日期:2021-12-30 17:34:18  浏览次数:997")
    '2021-12-30'
    >>> detect_published("【字体: 】【2014-2-7】 【阅读: 次】")
    '2014-02-07'
    >>> detect_published("新华社北京6月30日电 记者从……") is None
    True
    >>> detect_published("新华社北京2021年6月30日电")  # a full date on a short header line
    '2021-06-30'
    >>> detect_published("2021年新华社北京6月30日电 记者")
    '2021-06-30'
    >>> detect_published("省委组织部划拨700万元党费\\n\\n22.01.2019  16:13\\n\\n近日，")
    '2019-01-22'
    >>> detect_published("---\\ntitle: 某报告\\ndate: 2019-01-23\\n---\\n正文")
    '2019-01-23'
    >>> detect_published("某某报告\\n二〇一九年一月\\n正文")
    '2019-01'
    """
    return find_published(text, html_meta)[0]


# ---------------------------------------------------------------- title

_PHONE = re.compile(r"\d{3,4}-\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)|\d{3,4}-\d{3,4}-\d{4}")
_META_LINE = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|【")


_SPACES = re.compile(r"\s+")


def _flat(line: str) -> str:
    """`line` without its spaces: _SPACES.sub("", line) as str.split cuts it (both take
    the spaces str.isspace says; one C pass, a fifth of the sub's cost: desc33)."""
    return "".join(line.split())


@cache
def _furniture_regexes() -> tuple[re.Pattern, re.Pattern]:
    """(any furniture word, flattened and lower-cased; any meta key): one search each."""
    keys, lines = _furniture()
    flat_words = dict.fromkeys(_flat(w).lower() for w in lines)
    return (re.compile("|".join(map(re.escape, flat_words)) or "(?!)"),
            re.compile("|".join(map(re.escape, keys)) or "(?!)"))


@cache
def _furniture_scans() -> tuple[Literals, Literals, bytes] | None:
    """_furniture_regexes' two word sets as literal scans, and a table that skips nothing
    (Literals.occurs); None when a word is empty (the alternation matches anywhere then)."""
    keys, lines = _furniture()
    flat_words = list(dict.fromkeys(_flat(w).lower() for w in lines))
    if "" in flat_words or "" in keys:
        return None
    return Literals(flat_words), Literals(keys), char_table("")


def _furniture_found(which: int, s: str) -> bool:
    """Whether `s` holds a furniture word (which=0; `s` flattened and lower-cased) or a meta
    key (1: 发布日期, 来源：, 浏览 …). With the build by the compiled scans: a search for an
    alternation of 30-60 words tried each at every character (describe −2.5 M on every 7th
    bench file, desc33)."""
    scans = _furniture_scans() if SCAN_COMPILED else None
    if scans is not None:
        return scans[which].occurs(s, scans[2])
    return bool(_furniture_regexes()[which].search(s))


def _is_furniture(line: str) -> bool:
    flat = _flat(line)
    if _furniture_found(0, flat.lower()):
        return True
    if _furniture_found(1, line) or flat.startswith("首页") or ">" in flat or "»" in flat:
        return True
    if _PHONE.search(flat):
        return True
    tokens = line.split()
    return len(tokens) >= 4 and all(len(t) <= 6 for t in tokens)  # a menu bar


def _is_meta_line(line: str) -> bool:
    return bool(_META_LINE.search(line) or _furniture_found(1, line) or is_date_line(line))


def _title_candidate(line: str, *, min_chars: int = 5, max_chars: int = 60) -> bool:
    flat = _flat(line)
    if not (min_chars <= len(flat) <= max_chars):
        return False
    if len(re.findall(f"[{CJK}]", flat)) < max(3, len(flat) // 2):
        return False  # mostly ASCII or digits: news center, 029-85385207
    if flat[-1] in "。；：:;，,":
        return False
    return not _is_furniture(line) and not is_date_line(line)


def _is_site_name(s: str) -> bool:
    """A listed outlet (人民网, 中国共产党新闻网) or a short name ending in 网/网站."""
    flat = _flat(simplified(s))
    return flat in organisation_rules().outlets.values() or (
        len(flat) <= 8 and flat.endswith(("网", "网站")))


def clean_html_title(title: str) -> str | None:
    """Drop the site name an HTML <title> carries.

    >>> clean_html_title("用心用情用力书写初心答卷_旗帜网")
    '用心用情用力书写初心答卷'
    >>> clean_html_title("回头看，主题教育成果“大检阅”--时政--人民网")
    '回头看，主题教育成果“大检阅”'
    >>> clean_html_title("人民网") is None
    True
    """
    t = re.sub(r"\s+", " ", title).strip()
    if _is_site_name(t):
        return None  # <title>人民网</title>: the site, no headline
    parts = [p.strip() for p in re.split(r"\s*(?:_|\||｜|--|－|\s-\s)\s*", t) if p.strip()]
    if parts and len(_flat(parts[0])) >= 5:
        return parts[0]
    return t or None


# A line wholly in brackets is a column, a note or a time stamp above or below the story,
# never its headline: 【深入开展…主题教育】, (在…指引下——新时代新作为新篇章),
# （《新闻联播》 20221001 19:00）, (责编:…)
_BANNER = re.compile(r"【[^【】]{4,40}】|[（(][^（）()]{4,60}[）)]")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[*_`~]+|<[^>]+>")
_MD_MARKUP_OPENS = re.compile(r"[\[*_`~<]")   # the characters a _MD_MARKUP match opens with


def strip_site(line: str) -> str:
    """A headline without the site that carries it (标题_人民网, 标题-新华网, 标题|某某网).

    >>> strip_site("全国公务用车整治情况排行榜_人民网")
    '全国公务用车整治情况排行榜'
    >>> strip_site("强化宗旨意识 深植为民情怀--时政--新华网")
    '强化宗旨意识 深植为民情怀'
    >>> strip_site("广州分公司:我为群众办实事出实招见实效")
    '广州分公司:我为群众办实事出实招见实效'
    """
    r = page_rules()
    out = line.strip()
    view = simplified(out)  # 標題_人民網 ends in a site like 标题_人民网
    if len(view) != len(out):
        view = out
    dropped = False
    while True:
        parts = list(r.site_split.finditer(view))
        if not parts:
            return out
        last = parts[-1]
        tail = view[last.end():].strip(" -－_|｜")
        head_end = len(view[:last.start()].rstrip(" -－_|｜"))
        flat_tail = _flat(tail)
        is_site = (not flat_tail or len(flat_tail) <= r.site_max
                   and (bool(r.site_tail.search(flat_tail)) or "." in flat_tail
                        or flat_tail in organisation_rules().outlets.values()))
        # once the site is gone, a short tail before it is its channel: 标题--时政--人民网
        is_channel = dropped and len(flat_tail) <= 6
        if not (is_site or is_channel) or len(_flat(view[:head_end])) < 4:
            return out
        out, view, dropped = out[:head_end], view[:head_end], True


def _link_text(g: re.Match) -> str:
    """What _MD_MARKUP leaves of its match: a link's text, nothing of other markup."""
    return g.group(1) or ""


def without_markup(s: str) -> str:
    """_MD_MARKUP.sub(_link_text, s): `s` itself when no match can open in it (a sub
    costs six times a search for those characters, and headlines hold none: desc33)."""
    return _MD_MARKUP.sub(_link_text, s) if _MD_MARKUP_OPENS.search(s) else s


def _line_pairs(written: list[str], heads: list[str], at: Iterable[int]) -> list[tuple[str, str]]:
    """(as written, simplified) of the lines at `at`, stripped; one string for both when
    the view is the text (`heads is written`: _markdown_title then matches it once)."""
    if heads is written:
        return [(a, a) for a in (written[i].strip() for i in at)]
    return [(written[i].strip(), heads[i].strip()) for i in at]


def _markdown_title(lines: list[tuple[str, str]]) -> str | None:
    """The top heading of a markdown text (the fewest #), without its markup; `lines` are
    (as written, simplified) pairs."""
    best: str | None = None
    top = 7   # the fewest # of a heading kept so far: a later one with as many or more is
    # neither the top heading nor the first of its level, so it is not looked at (a
    # heading's level is its run of #, as _MD_HEADING reads it; 7 or more is none)
    for line, simp in lines:
        # line[:1], not startswith: a method call parses its arguments (~200 instructions a
        # line, and most of the 60 lines are no heading)
        if line[:1] != "#" or len(line) - len(line.lstrip("#")) >= top:
            continue
        h = heading_parts(line)
        if h:
            text = without_markup(h[1]).strip()
            hs = heading_parts(simp) if simp is not line else h
            view = (text if hs is h else without_markup(hs[1]).strip()
                    ) if hs else text
            if len(_flat(text)) >= 2 and not _is_furniture(view):
                best, top = text, len(h[0])
    return strip_site(best) if best is not None else None


def heading_parts(line: str) -> tuple[str, str] | None:
    """_MD_HEADING.match(line)'s two groups (the #s, the heading), or None. A line of 1-6
    #s, a space and a heading that ends in neither a space nor a # is read without the
    pattern, whose lazy heading tries the trailing `\\s*#*\\s*$` after every character
    (the bench pages' top headings: find_title −2.4 M on every 7th file, desc33): the
    spaces run to the heading (\\s+ is greedy and the rest always matches), which the tail
    then holds whole (a rest of the tail would end in its last character)."""
    k = len(line) - len(line.lstrip("#"))
    rest = line[k:].lstrip()
    if (0 < k <= 6 and rest and len(rest) < len(line) - k and rest[-1] != "#"
            and not rest[-1].isspace() and "\n" not in rest):
        return line[:k], rest
    m = _MD_HEADING.match(line)
    return (m.group(1), m.group(2)) if m else None


def find_title(text: str, html_meta: Mapping | None, simp: str | None = None
               ) -> tuple[str | None, str | None]:
    raw = _html_get(html_meta, "title")
    if raw and clean_html_title(raw):
        return clean_html_title(raw), "html"
    h1 = _html_get(html_meta, "headline")  # <title> is the site's name only: the page's <h1>
    if h1 and _title_candidate(simplified(h1)):
        return strip_site(h1), "html"
    fm = front_matter(text)
    for key in page_rules().front_title:
        if fm.get(key):
            return strip_site(fm[key]), "text"
    # the rules read the simplified view (本文來源 is furniture like 本文来源), the headline
    # is reported as written
    written = head_lines(text, 60)
    simp_text = simp if simp is not None else simplified(text)
    heads = written if simp_text is text else head_lines(simp_text, 60)
    if heads is not written and (len(heads) != len(written)
                                 or any(len(a) != len(b) for a, b in zip(heads, written))):
        heads = written
    # only a line that opens with # can be a heading: those lines found compiled, and their
    # pairs alone made (most of the 60 are none, and a step and a strip for each cost more
    # than the heading's own regexes: desc33); the rest only when there is no heading
    heading_at = opening_with(written, "#") if SCAN_COMPILED else range(len(written))
    md = _markdown_title(_line_pairs(written, heads, heading_at))
    if md:
        return md, "text"
    lines = _line_pairs(written, heads, range(len(written)))
    # 【深入开展“不忘初心、牢记使命”主题教育】, (…): a column banner above the story, no headline
    nonempty = [(ln, sl) for ln, sl in lines if ln and not _BANNER.fullmatch(sl)]
    candidates: list[int] = []
    for i, (line, sline) in enumerate(nonempty):
        if len(_flat(line)) > 60:
            break  # the body has started
        if not _title_candidate(sline):
            continue
        candidates.append(i)
        nxt = nonempty[i + 1][1] if i + 1 < len(nonempty) else ""
        repeated = any(_flat(ln) == _flat(line) for ln, _ in nonempty[i + 1:i + 6])
        if (nxt and _is_meta_line(nxt) and not _title_candidate(nxt)) or repeated:
            return strip_site(line), "text"  # headline followed by 发布日期… or printed twice (001)
    if not candidates or len(candidates) >= 4:
        return None, None  # nothing, or a run of photo captions (003)
    return strip_site(nonempty[candidates[0]][0]), "text"


# A dateline opening the first paragraph: 现代快报讯(记者 …), 本报11月18日讯(…), 据新华社北京6月4日电
_DATELINE_LEAD = regex("page_facts.dateline_lead", rf"^(?:据)?[{CJK}\w]{{0,16}}?(?:讯|电)\s*(?:[(（][^)）]{{0,30}}[)）])?\s*")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE_END = re.compile(r"[，,、：:]")
# a leading time clause says nothing about the report: 近日，/ 12月22日下午，/ 今年以来，
_TIME_LEAD = re.compile(r"^[^，,。]{0,12}?(?:日|月|年|以来|前夕|期间|之际|午|晚|近日|日前|近期|当天|"
                        r"今天|目前)\s*[，,]\s*")


def lead_title(text: str) -> str | None:
    """A readable name for a report without a headline: its first sentence, cut at a
    clause end within lead_title_max characters (else cut there, with …).

    >>> lead_title("现代快报讯(记者 张三)12月22日下午，无锡市委党史学习教育领导小组办公室举行新闻发布会，"
    ...            "公布验收评估情况。")
    '无锡市委党史学习教育领导小组办公室举行新闻发布会…'
    >>> lead_title("Annual report 2021: volunteers and donations of the district committee")
    'Annual report 2021: volunteer…'
    >>> lead_title("△会议现场\\n第二批党的群众路线教育实践活动历时近9个月，迎来结点。")
    '第二批党的群众路线教育实践活动历时近9个月，迎来结点'
    """
    r = page_rules()
    for raw in head_lines(text, 80):
        line = without_markup(raw).strip().lstrip("#").strip()
        if (len(_flat(line)) < 2 * r.lead_min or len(line) < 100 and _is_furniture(line)
                or len(re.findall(f"[{CJK}]", line)) < r.lead_min):
            continue
        if not _SENTENCE_END.search(line) and len(_flat(line)) < 40:
            continue  # a photo caption or a subheading, not the first sentence
        line = _TIME_LEAD.sub("", _DATELINE_LEAD.sub("", line, count=1), count=1)
        m = _SENTENCE_END.search(line)
        sentence = (line[:m.start()] if m else line).strip(" “”\"'\u3000")
        if len(sentence) < r.lead_min:
            continue
        if len(sentence) <= r.lead_max:
            return sentence
        cut = [c.start() for c in _CLAUSE_END.finditer(sentence, 0, r.lead_max)]
        cut = [c for c in cut if c >= max(r.lead_min, r.lead_max // 2)]
        return (sentence[:cut[-1]] if cut else sentence[:r.lead_max - 1]) + "…"
    # no sentence at all (a list, a table, another language): the first line, shortened
    for raw in head_lines(text, 80):
        line = " ".join(without_markup(raw).strip().lstrip("#").split())
        if line:
            return line if len(line) <= r.lead_max else line[:r.lead_max - 1] + "…"
    return None


def detect_title(text: str, html_meta: dict | None = None) -> str | None:
    """The headline as written: html_meta['title'] when given (site name dropped), else the
    first plausible line before the body, preferring one followed by a 发布日期/来源 line
    or printed twice. Skips page furniture (欢迎来到, 联系电话, 首页 >, news center, phone
    numbers), lines under 5 or over 60 characters, and gives None for a run of four or
    more short lines with no such signal (photo captions).

    >>> detect_title("您好,欢迎来到某某网\\n029-85385207\\n首页 > 新闻中心\\n用心用情用力书写初心答卷\\n"
    ...              "发布日期:2021-12-30   来源:旗帜网\\n" + "正文" * 40)
    '用心用情用力书写初心答卷'
    >>> detect_title("x", {"title": "标题很长一点_人民网"})
    '标题很长一点'
    """
    return find_title(text, html_meta)[0]


# ---------------------------------------------------------------- source

_SOURCE_LABEL = regex("page_facts.source_label", rf"(?<![{CJK}])(?:稿件|新闻|信息|文章)?来源\s*[:：]\s*"
                           r"([^\s|｜【】\[\]()（）<>《》,，。;；:：]{2,24})")
_AGENCY_NAMES = ("新华社", "中新社", "中国新闻社")
_AGENCY = re.compile(f"({'|'.join(_AGENCY_NAMES)})" + r"[^\n。]{0,12}?电")
# _AGENCY.search as one search per agency, each opening with its name, a literal the engine
# scans for fast (the alternation was tried at every character of the head: 9 M
# instructions on 100 bench files); no two names start alike, so the earliest is its match
_AGENCY_EACH = tuple(re.compile(f"({a})" + r"[^\n。]{0,12}?电") for a in _AGENCY_NAMES)


def agency_dateline(s: str) -> re.Match | None:
    """_AGENCY.search(s), the same match (tests/test_reading_fast_paths.py)."""
    found = [m for m in (p.search(s) for p in _AGENCY_EACH) if m is not None]
    return min(found, key=lambda m: m.start()) if found else None
_OUTLET_XUN = regex("page_facts.outlet_xun", rf"([{CJK}]{{2,8}}?(?:日报|晚报|时报|报|网))讯")
_HOST = re.compile(r"(?<![\w.@-])((?:[a-z0-9-]+\.)+(?:com|net|org|cn|gov|edu))(?:\.cn)?(?![\w-])",
                   re.I)
FOOTER_MARK = re.compile(r"copyright|版权|©|icp|all rights|主办", re.I)
# has_footer_mark: the Chinese marks by `in`, the Latin ones tried only where one can start
# (before the characters re.I matches to i; tests/test_reading_fast_paths.py checks the set):
# a case-blind alternation is tried at every character, three times as slow on a footer.
# Those places are found by str.find, one pass per character: a class finditer tested
# every character in the regex engine (~100 instructions each of a 1,500-character foot;
# has_footer_mark 20.9 -> 13.1 M on the first 100 bench files, desc30)
_FOOTER_MARK_CJK = ("版权", "©", "主办")
_FOOTER_MARK_LATIN = re.compile(r"copyright|icp|all rights", re.IGNORECASE)
# Every Latin mark holds an i, at these places (copyright and all rights: 5, icp: 0), and
# these are the characters re.I matches to i: a mark starts as far before one of them, so
# only those places are tried (every 7th bench foot: 1,162 i against 2,837 c and a; the cost
# being the Python step and the match call per place: desc32)
_FOOTER_MARK_I = "Ii\u0130\u0131"
_FOOTER_MARK_I_AT = [5, 0]
# With the build, the marks are compared at those places compiled (literal_scan.folded_near),
# where the Python step and two match calls an i were ~8,000 instructions (every 7th bench
# foot: has_footer_mark 14.4 -> 7.7 M, desc33). re.I reads an ASCII letter in either case and
# these characters as the letter after them (tests/test_page_lines_scans.py checks every
# code point against the pattern)
_FOOTER_MARK_WORDS = _FOOTER_MARK_LATIN.pattern.split("|")
_FOOTER_MARK_FOLDS = "\u0130i\u0131i\u017fs"
_NOT_A_SOURCE = frozenset({"本站", "本网", "原创", "本站原创", "网络", "互联网"})


def has_footer_mark(text: str) -> bool:
    """Whether FOOTER_MARK occurs in `text` (the same answer, faster).

    >>> has_footer_mark("Copyright © 1997-2021"), has_footer_mark("ICP备案"), has_footer_mark("正文")
    (True, True, False)
    """
    if any(w in text for w in _FOOTER_MARK_CJK):
        return True
    if SCAN_COMPILED:
        return folded_near(text, _FOOTER_MARK_I, _FOOTER_MARK_I_AT, _FOOTER_MARK_WORDS,
                           _FOOTER_MARK_FOLDS)
    latin = _FOOTER_MARK_LATIN.match
    for c in _FOOTER_MARK_I:
        at = text.find(c)
        while at >= 0:
            for k in _FOOTER_MARK_I_AT:
                if at >= k and latin(text, at - k):
                    return True
            at = text.find(c, at + 1)
    return False


def outlet_for_host(host: str) -> str | None:
    """The outlet a web host belongs to (longest listed domain that the host ends with).

    >>> outlet_for_host("www.people.com.cn")
    '人民网'
    >>> outlet_for_host("cpc.people.com.cn")
    '中国共产党新闻网'
    >>> outlet_for_host("ahszgw.gov.cn") is None
    True
    """
    host = host.lower().strip(".")
    best = None
    for dom, name in organisation_rules().outlets.items():
        if (host == dom or host.endswith("." + dom)) and (best is None or len(dom) > len(best[0])):
            best = (dom, name)
    return best[1] if best else None


def find_source(text: str, html_meta: Mapping | None, simp: str | None = None
                ) -> tuple[str | None, str | None]:
    simp = simp if simp is not None else simplified(text)
    zones = (simp[:1500], simp[-800:]) if len(simp) > 2300 else (simp,)
    for zone in zones:
        for m in (_SOURCE_LABEL.finditer(zone) if "来源" in zone else ()):
            value = m.group(1).strip("-－—·")
            if value and value not in _NOT_A_SOURCE and re.search(f"[{CJK}]|\\.", value):
                return (outlet_for_host(value) or value) if "." in value else value, "text"
    raw = _html_get(html_meta, "source", "sitename", "site_name", "og:site_name")
    if raw:
        return raw, "html"
    host = _html_get(html_meta, "hostname")
    if host:
        return outlet_for_host(host) or re.sub(r"^www\.", "", host.lower()), "html"
    head = simp[:1500]
    m = agency_dateline(head)
    if m:
        return m.group(1), "text"
    bao_xun = "报讯" in head   # 本报讯 below is looked for only where 报讯 is written
    for m in (_OUTLET_XUN.finditer(head) if bao_xun or "网讯" in head else ()):
        if m.group(1) != "本报":
            return m.group(1), "text"
    foot = simp[-1500:]
    for line in reversed(foot.splitlines()) if has_footer_mark(foot) else ():
        if "." in line and has_footer_mark(line):   # no "." in a line: no host in it
            for h in _HOST.finditer(line):
                host = h.group(0).lower()
                return outlet_for_host(host) or re.sub(r"^www\.", "", host), "text"
    if bao_xun and "本报讯" in head:
        return "本报", "text"
    return None, None


def detect_source(text: str, html_meta: dict | None = None) -> str | None:
    """The outlet: 来源：XX in the header or footer, else html metadata (source, sitename,
    hostname), else a news agency dateline (新华社…电), XX报讯 / XX网讯, a copyright
    footer's domain (mapped to an outlet name when listed), else 本报 for 本报讯.

    >>> detect_source("发布日期:2021-12-30   浏览次数:997   来源:旗帜网\\n正文")
    '旗帜网'
    >>> detect_source("正文\\nCopyright © 1997-2021 by www.people.com.cn. all rights reserved")
    '人民网'
    >>> detect_source("资金来源：财政拨款") is None
    True
    """
    return find_source(text, html_meta)[0]
