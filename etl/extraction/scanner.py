"""Find every numeric mention on the matching view with one compiled regex.

The regex is built from the rule files (units, approximation words, slogans) and
tries, at each position, the forms that must win over a plain quantity: URLs, dates,
phone numbers, list markers, ordinals, slogans; then a quantity (number + unit).
A Chinese numeral counts only when a unit follows it (or it carries 万/亿), so the
一 of 统一 or 一切 never becomes a candidate; Arabic digits always do.

`scan` returns `Mention`s in text order with view offsets; `etl.extraction.classify` decides
what each one is.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Final

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .. import rules
from ..regex_cache import regex
from . import segmenter
from .numerals import Reading, parse_numeral
from .text_spans import char_table, first_marked, walks_compiled
from ..rules import Unit, alternation

SP: Final = r"[ \u00a0]?"
SP2: Final = r"[ \u00a0]{0,2}"     # inside 分之 (三分  之一: copies from PDF)


@dataclass(slots=True)
class Mention:
    start: int                 # view offsets of the whole span: prefix, number, unit, suffix
    end: int
    form: str                  # the pattern that found it: qty, date, slogan, list_marker ...
    num_start: int = 0         # the number alone
    num_end: int = 0
    reading: Reading | None = None
    unit: Unit | None = None
    prefix: str = ""           # approximation word before the number, inside the span
    approx: str = "exact"
    value: Decimal | None = None
    value_max: Decimal | None = None
    kind: str | None = None    # preset for forms that are never claims (date, slogan ...)
    range_only: bool = False   # kept only as the first end of a range (三至五次)

    # written out (the dataclass keeps it): the generated __init__ would run as
    # interpreted code even in the compiled build, once for every mention
    def __init__(self, start: int, end: int, form: str, num_start: int = 0, num_end: int = 0,
                 reading: Reading | None = None, unit: Unit | None = None, prefix: str = "",
                 approx: str = "exact", value: Decimal | None = None,
                 value_max: Decimal | None = None, kind: str | None = None,
                 range_only: bool = False) -> None:
        self.start, self.end, self.form = start, end, form
        self.num_start, self.num_end = num_start, num_end
        self.reading, self.unit, self.prefix, self.approx = reading, unit, prefix, approx
        self.value, self.value_max, self.kind, self.range_only = value, value_max, kind, range_only

    @property
    def unit_written(self) -> str | None:
        return self.unit.written if self.unit else None


# An optional group of more than one character is written (?:X|), not (?:X)?: the
# regex engine runs the second as a repeat, allocating its context on every entry (the
# scan enters several at each figure), and the first as a branch with an empty last
# alternative, the same matches in the same order (scan's regex -15 %, callgrind)

# Look-aheads that every match of the forms after them satisfies, so they change no
# match and only let the engine give up early (tests/test_extraction_speed_paths.py
# holds each form with and without its guard to the same matches)
_AR_GUARD: Final = r"(?=\d++[, \u2009\u202f]\d{3})"
_DATE_GUARD: Final = r"(?=[\d〇零○一二三四五六七八九十]{1,4}[年月日号])"
_LIST_GUARD: Final = r"(?=.{0,3}[是其(①-⑳、.])"
# The Arabic forms (`ar` in `_alternatives`) as a continuation of a number (3万5000),
# opened by the digit each of them starts with: the engine passes over an alternative
# that opens with a character class in one test, where one opening with a look-ahead
# or a repeat is entered at every character after a number. Same matches, same order:
# (?<!\d) before the first digit is (?<!\d\d) after it, \d+ is \d\d*.
_AR_NEXT: Final = (r"\d(?:(?=\d*+[, \u2009\u202f]\d{3})(?:\d*(?:,\d{3})+(?:\.\d+|)(?![\d,])"
                   r"|(?<!\d\d)\d{0,2}(?:[ \u2009\u202f]\d{3})+(?![\d.]))|\d*(?:\.\d+|))")


@cache
def _pattern() -> re.Pattern:
    """The whole scan as one regex: at each position, the first alternative of
    `_alternatives` that matches (scan runs the same alternatives through `_dispatch`)."""
    first_class, parts = _alternatives()
    return re.compile(f"(?={first_class})(?:" + "|".join(p for _, p in parts) + ")")


@cache
def _alternatives(literal_first: bool = True) -> tuple[str, list[tuple[str, str]]]:
    """(a class of the characters every alternative starts with, the alternatives as
    (name, named group) in the order they are tried). `literal_first`: the number's
    continuations written to open with the character they take (`_space_after`,
    `_numeral_not_owned`); False gives the plain form they are tested against."""
    n = rules.numerals()
    digits = re.escape("".join(n.digits))
    small = re.escape("".join(n.small_units) + "".join(n.tens))
    big = re.escape("".join(n.big_units))
    cn = f"[{digits}{small}{big}]"
    # 1,200.5 and the thin-space thousands of scraped copies (6 600); then plain digits
    # The two grouped forms open with a look-ahead that both imply (a digit run, then a
    # separator and three digits): most numbers fail it at once instead of trying each
    # form (scan -7% of its regex instructions, callgrind); same matches, same order.
    ar = (_AR_GUARD + r"(?:\d+(?:,\d{3})+(?:\.\d+|)(?![\d,])"
          r"|(?<!\d)\d{1,3}(?:[ \u2009\u202f]\d{3})+(?![\d.]))|\d+(?:\.\d+|)")
    # 千 of 千瓦/千米/千克/千伏 belongs to the unit, not the number (5000万千瓦, 800千伏):
    # a unit that starts with a multiplier and keeps its value (factor 1) owns it
    owned = [w for w, u in rules.units().items()
             if w[0] in n.small_units or w[0] in n.big_units if u.factor == 1]
    # the continuations' pieces (tried at every character after a number): a numeral
    # that no unit owns, a space after one of these
    numeral = _numeral_not_owned(cn, owned, literal_first)
    multiplier = _numeral_not_owned(f"[{small}]", owned, literal_first)
    after_numeral = _space_after(f"[{digits}{small}{big}余多几]", literal_first)
    after_point = _space_after("点", literal_first)
    after_one_digit = _space_after(r"(?<![\d.,])\d", literal_first)
    after_multiplier = _space_after(f"[{small}{big}]", literal_first)
    # … and, inside a figure, a space before 万 or 多万 (scraped copies: 30 多万个); the
    # pinyin glosses of mirror copies (2.5萬(wàn)元) are not in the view (normalize)
    ar_next = _AR_NEXT if literal_first else ar
    cont = (rf"(?:{ar_next}|{numeral}|[余多几](?=[ \u00a0]?[{small}{big}])|点(?={SP}[{digits}])"
            rf"|[ \u00a0](?=[余多几]?[{big}])"
            # one space between the characters of a Chinese numeral (一百 五 十 二, 十 余 万,
            # 四百 点 五, 二十六 点三三)
            rf"|{after_numeral}(?=[{digits}{small}{big}]|[余多几][ \u00a0]?[{small}{big}]|点{SP}[{digits}])"
            # … and around the digits of a mixed figure (7 万5 千4 百, 7万 5千 4百): a space
            # before a multiplier, or after one when a digit and a smaller multiplier follow
            rf"|{after_point}(?=[{digits}])"
            rf"|{after_one_digit}(?=(?:{multiplier}))"     # one digit: not 2023 十大
            rf"|{after_multiplier}(?=\d[ \u00a0]?(?:{multiplier})))")
    unit = _unit_alternation(list(rules.units()))
    isfx = "".join(rules.approx().inner_suffix)
    ap = rules.approx()
    osfx_words = [w for w in ap.outer_suffix if w not in ap.outer_suffix_at_end]
    # 多/余 after the unit only where the figure ends (10天多。, 七年多来; not 3年多数), and
    # after a bare 万/亿 whose noun is no unit (14亿多中国人民): approx.yaml
    at_end = "|".join(re.escape(w) for w in ap.outer_suffix_at_end)
    osfx = (alternation(osfx_words)
            + rf"|(?:{at_end})(?=[，。；、,.;:：\s)）{re.escape(ap.figure_end_words)}]|$)"
            + rf"|(?<=[{re.escape(ap.multiplier_suffix_after)}]){re.escape(ap.multiplier_suffix)}"
            + rf"(?![{re.escape(ap.multiplier_suffix_not_before)}])")
    # the number of a percent or a fraction word: a space may stand next to a multiplier
    # or around 点 (百分之五 十, 一 百二 十点 五), never between two digits (三分之一 二是)
    num_p = (rf"(?:{ar}|{cn}(?:{cn}|(?<=[{small}{big}])[ \u00a0](?={cn})|[ \u00a0](?=[{small}{big}]))*"
             rf"(?:{SP}点{SP}[{digits}]+|))")
    seps = "".join(re.escape(c) for c in rules.approx().range_separators if len(c) == 1)

    nc = rules.nonclaims()
    numeral_chars = set(n.all_chars) | set("0123456789")
    has_num = lambda w: any(c in numeral_chars for c in w)  # noqa: E731
    guarded = [w for w in nc.slogans if w in nc.slogan_not_before and has_num(w)]
    plain_slogans = [w for w in nc.slogans if w not in nc.slogan_not_before and has_num(w)]
    # a listed slogan is no slogan when a number follows its 又: 十一又十四分之一 is a number
    mixed = rf"{SP}又{SP}[{digits}{small}{big}\d]"
    tail = rf"(?![{digits}{small}{big}\d]|{mixed})"
    slogan_alts = [_anchored(plain_slogans, numeral_chars, tail)]
    for w in guarded:
        stop = re.escape(nc.slogan_not_before[w] + "".join(n.all_chars)) + r"\d"
        slogan_alts.append(_anchored([w], numeral_chars, rf"(?![{stop}]|{mixed})"))
    names_alt = _anchored([w for w in nc.names if has_num(w)], numeral_chars, rf"(?![\d{digits}])")
    # a listed word that opens with 万/亿 (万家) is a count after an approximation word
    # (超万家, 上万家): the word alternative stands back there and the quantity reads it
    word_list = [w for w in nc.words if has_num(w)]
    big_first = [w for w in word_list if w[0] in n.big_units]
    prefix_ends = re.escape("".join(sorted({w[-1] for w in rules.approx().prefix})))
    words_alt = "|".join(a for a in (
        _anchored([w for w in word_list if w not in big_first], numeral_chars, ""),
        f"(?<![{prefix_ends}])(?:{alternation(big_first)})" if big_first else "") if a)
    cn_list = "一二三四五六七八九十"
    # 前三 with no unit, ending its phrase (位列全球前三。): a rank, read by classify
    cw = rules.classify_words()
    rank_next = "".join(re.escape(c) for c in sorted(cw.rank_alone_next))
    rank = rf"(?<={re.escape(cw.rank_before)}.)(?=[{rank_next}])"
    # what may follow a Chinese numeral that opens a quantity: a continuation, an inner
    # suffix or a unit (after a space), a range separator, a rank's next character. Most
    # numerals the scan stops at are in words (一 of 进一步, 两 of 两国): the look-ahead
    # turns them away in one test, where the four ways on were each entered and failed
    unit_firsts = "".join(re.escape(c) for c in sorted({w[0] for w in rules.units()}))
    cn_next = (rf"(?=[\d{digits}{small}{big}余多几点 \u00a0{re.escape(isfx)}{seps}{rank_next}{unit_firsts}])"
               if literal_first else "")
    parts: list[str] = [
        r"(?P<url>(?<![A-Za-z0-9])(?:https?://[!-~]+|www\.[!-~]+))",
        r"(?P<dt>(?<!\d)(?:19|20)\d{2}[-/.](?:1[0-2]|0?[1-9])[-/.](?:3[01]|[12]\d|0?[1-9])"
        r"(?:[ T\u00a0]+\d{1,2}:\d{2}(?::\d{2}|)|)(?![\d.]))",
        # phone numbers; a digit run followed by a unit is an amount (13000000000元)
        r"(?P<phone>(?<![\d-])(?:0\d{2,3}-\d{7,8}(?:-\d{1,4}|)|\(0\d{2,3}\)\s?\d{7,8}|1[3-9]\d{9}"
        rf"|400-?\d{{3}}-?\d{{4}})(?![\d.-])(?!{SP}[万亿]|{SP}(?:{unit})))",
        r"(?P<time>(?<![\d:])(?:[01]?\d|2[0-4]):[0-5]\d(?::[0-5]\d|)(?![\d:]))",
        r"(?P<plus>(?<![\d.])\d+(?:\+\d+)+(?![\d.]))",
        r"(?P<frac>(?<![\d/.])\d+/\d+(?![\d/]))",
        rf"(?P<slogan>{'|'.join(slogan_alts)})",
        rf"(?P<name>{names_alt})",
        # 百分之四十五, 三分之二, 千分之三, 万分之三, and a whole number before 又 (三又三分之一,
        # a mixed number, not a share); before the listed words, whose 万分 of
        # 万分荣幸 would take 万分之三 (the lookahead, a plain character run, rules out
        # most numbers before the number patterns are tried)
        rf"(?P<pctw>(?:(?P<pwd>[百千万]){SP}分{SP}之{SP}(?P<pwn>{num_p})|(?=[\d.,{digits}{small}{big}点又 \u00a0]{{1,24}}分{SP2}之)(?:(?P<fw>(?>{num_p})){SP}又{SP}|)(?P<fd>(?>{num_p})){SP}分{SP2}之{SP}(?P<fn>{num_p}))"
        rf"(?:(?P<posfx>{osfx})|))",
        # 一半, 半数, 过半数: a half as a share, read from 半 (the characters before 半 are
        # lookbehinds; numerals.yaml half_share)
        rf"(?P<half>{_half_alternation(n)}(?:(?P<hsfx>{osfx})|))",
        rf"(?P<word>{words_alt})",
        # dates: 2021年12月30日, 4月27日, 9月下旬, 2013年下半年, 30日
        # every form ends its number with 年, 月, 日 or 号 within four characters: the
        # look-ahead says so first, so an amount fails it at once (same matches)
        r"(?P<date>" + _DATE_GUARD + r"(?:(?:\d{4}|[〇零○一二三四五六七八九]{4})年(?:(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
        r"(?:(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])[日号]|)|)"
        r"(?:上半年|下半年|年初|年底|年末|初|底|末|度|)"
        r"|(?<![\d.])(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
        r"(?:(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])[日号]|)"
        r"(?:上旬|中旬|下旬|初|底|末|份|中|)"
        r"|(?<![\d.])(?:3[01]|[12]\d|0?[1-9])[日号](?![\d元])))",
        # list markers: 一是, 其二, (一), (1), ①, and 1、 / 一、 / 1. after a break
        # every form reaches 是, 其, a bracket, a circled number, 、 or . within four
        # characters: the look-ahead rules out an amount at once (same matches)
        rf"(?P<list_marker>{_LIST_GUARD}(?:(?<![^\n。；;:：，,！？!?\s])(?:[{cn_list}]{{1,3}}是|其[{cn_list}](?![他它中余实次]))"
        rf"|\({SP}(?:[{cn_list}]{{1,3}}|\d{{1,2}}){SP}\)"
        r"|[①-⑳]"
        rf"|(?<![^\n。；;:：！？!?\s])(?:\d{{1,2}}|[{cn_list}]{{1,3}})、"
        rf"|(?<![^\n \t\u00a0\u3000])\d{{1,2}}\.(?![\d.])"
        # an item number glued to the year it opens with (7.2025年我国…, 12.2023年度…):
        # no decimal of years has four places starting 19 or 20, and the year is a date
        r"|(?<![\d.])\d{1,2}\.(?=(?:19|20)\d{2}年)))",
        # ordinals: 第八届, 十九大, 四中全会
        rf"(?P<ordinal>第{SP}(?:{ar}|{cn}+)(?:{unit}|)"
        r"|(?:十[一二三四五六七八九]|二十[一二三四五六七八九]?)大(?![学型量力批幅家会众概多])"
        rf"|[{cn_list}]中全会)",
        rf"(?P<qty>(?P<num>(?:{ar}){cont}*|{cn}{cn_next}(?:{cont}+|(?=[{isfx}]?{SP}(?:{unit}))|(?={SP}[{seps}]{SP}{cn}+[{isfx}]?{SP}(?:{unit}))|{rank}))"
        rf"(?:{SP}(?P<isfx>[{isfx}](?={SP}(?:{unit})))|)(?:{SP}(?P<unit>{unit})|)(?:(?P<osfx>{osfx})|))",
    ]
    # Every alternative starts with one of these characters. A lookahead on them lets
    # the engine reject an ordinary character with one test instead of one per
    # alternative, and keeping the set small (numerals, 第, brackets) keeps the scan fast.
    first = set(n.all_chars) | set("0123456789第(①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳hw半")
    first_class = "[" + "".join(re.escape(c) for c in sorted(first)) + "]"
    named = [(re.match(r"\(\?P<(\w+)>", p).group(1), p) for p in parts]  # type: ignore[union-attr]
    return first_class, named


# The continuations of a number are tried at every character after it (a loop of
# nine alternatives): the regex engine passes over an alternative that opens with a
# character or a class in one test when the text does not start with it, but enters one
# that opens with a look-around. Written to open with the character they take, the
# digit quantities' regex costs 13 % fewer instructions (callgrind, bench positions).

def _space_after(behind: str, literal_first: bool) -> str:
    """A space after `behind` (a pattern of one character): `(?<=behind)[ \u00a0]`, or
    the same with the space taken first and the look-behind spanning both."""
    if literal_first:
        return rf"[ \u00a0](?<={behind}.)"
    return rf"(?<={behind})[ \u00a0]"


def _numeral_not_owned(cls: str, owned: list[str], literal_first: bool) -> str:
    """A numeral of `cls` (a class of unescaped Chinese characters) that does not open a
    unit owning it (千瓦, 百分点) or 百米: `(?!owned)(?!百米)[cls]`, or alternatives that
    each open with the numeral they take (an alternation, to be grouped where it is not
    one already): the class less the characters that open such a word, then each of
    those with the rest of its words in a negative look-ahead (千(?!瓦|米…)), so that
    万 of 27万 is taken in one test, with no look-ahead entered."""
    words = [*owned, "百米"]
    if not literal_first:
        return (f"(?!{alternation(owned)})" if owned else "") + f"(?!百米){cls}"
    rests: dict[str, list[str]] = {}
    for w in words:
        if w[0] in cls:
            rests.setdefault(w[0], []).append(w[1:])
    plain = cls
    for c in rests:
        plain = plain.replace(c, "")
    return "|".join([plain] + [f"{c}(?!{alternation(r)})" for c, r in sorted(rests.items())])


def _unit_alternation(words: list[str]) -> str:
    """The units as a prefix tree behind a class of their first characters: the tree's
    root has a branch per first character (131), which the regex engine tries one by one
    wherever a unit may stand, mostly to find none (after 统一's 一, before a number's
    end); the class rejects those places with one test. Same matches."""
    firsts = "".join(re.escape(c) for c in sorted({w[0] for w in words}))
    return f"(?=[{firsts}]){_leaf_class_tree(words)}" if words else "(?!)"


def _leaf_class_tree(words: list[str]) -> str:
    """`rules.alternation(words)` with, at each node of the prefix tree, the branches that
    are one character ending a word and nothing more (件, 项, 名 …: 90 of the root's 131)
    joined into one character class, put first. The engine walks a node's branches one
    by one, each in its own part of the program, so a unit at the end of the root (项, 首)
    passed over 130 branches and touched their memory; the class is one table test. The
    branches of a node start with different characters, so at most one can match at a
    place and their order changes no match; the empty branch (a shorter word ends here)
    stays last (tests/test_extraction_speed_paths.py holds it to `alternation`)."""
    trie = rules.prefix_trie(words)

    def build(node: dict) -> str:
        leaves = [ch for ch, sub in sorted(node.items()) if ch and list(sub) == [""]]
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items())
                    if ch and list(sub) != [""]]
        if len(leaves) > 1:
            branches.insert(0, "[" + "".join(re.escape(c) for c in leaves) + "]")
        elif leaves:
            branches.insert(0, re.escape(leaves[0]))
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + "|)"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


@cache
def _word_firsts() -> dict[str, frozenset[str]]:
    """The characters each listed-word alternative (slogan, name, word, half) can start
    with: a word is matched from its first numeral (`_anchored`), a half share from 半.
    `_dispatch` leaves these alternatives out of the regex of a character none of them
    starts with, where they could only be entered and fail: the slogans, the words and
    the half share at a digit, all four at a numeral no listed word starts with, the half
    share everywhere but at 半. (Coarser than one regex per set of forms: each regex costs
    about 0.1 G instructions to compile at start-up, and a regex per subset made twelve.)"""
    n = rules.numerals()
    nc = rules.nonclaims()
    numeral_chars = set(n.all_chars) | set("0123456789")

    def anchors(words) -> frozenset[str]:
        return frozenset(next(c for c in w if c in numeral_chars)
                         for w in words if any(c in numeral_chars for c in w))

    return {"slogan": anchors(nc.slogans), "name": anchors(nc.names),
            "word": anchors(nc.words), "half": frozenset("半")}


# Which alternatives can start with a character of each kind; every other alternative
# fails at once there. A character not listed below (a Chinese numeral) can start any
# alternative but these, which start with ASCII only (digits, or http/www).
_ASCII_ONLY: Final = frozenset(("url", "dt", "phone", "time", "plus", "frac"))
_DIGIT_NEVER: Final = frozenset(("url", "ordinal"))     # url: h or w; ordinal: 第 or a numeral
_ONLY: Final = {"(": ("phone", "list_marker"),           # (010)..., (一) (1)
                "h": ("url",), "w": ("url",), "第": ("ordinal",), "半": ("half",)}
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@cache
def _dispatch() -> tuple[re.Pattern, dict[str, re.Pattern]]:
    """(a search for the next character an alternative can start with, for each such
    character a regex of only the alternatives that can start with it, in order).

    The same matches as `_pattern().finditer`, without its cost: the search skips
    ordinary text at C speed (one character class, which the regex engine scans for
    directly, where the lookahead of `_pattern` is tried at every position), and at a
    digit or a numeral only the alternatives that can start there are tried."""
    first_class, parts = _alternatives()
    firsts = _word_firsts()
    by_names: dict[tuple[str, ...], re.Pattern] = {}
    table: dict[str, re.Pattern] = {}
    for ch in re.findall(r"\\.|[^\[\]]", first_class[1:-1]):
        ch = ch[-1]
        names = _forms_at(ch, [name for name, _ in parts])
        if "0" <= ch <= "9":
            # at a digit: only a name can start (G20, 5G); not worth its own regex per digit
            names = tuple(name for name in names if name not in firsts or name == "name")
        elif not any(ch in words for words in firsts.values()):
            names = tuple(name for name in names if name not in firsts)     # 两, 零, 百 …
        else:
            names = tuple(name for name in names if name != "half" or ch in firsts[name])
        pat = by_names.get(names)
        if pat is None:
            alts = [p for name, p in parts if name in names]
            lead = [name for name in names[:len(_DIGIT_PUNCT)] if name in _DIGIT_PUNCT]
            if len(lead) == len(_DIGIT_PUNCT):
                # the five forms that open a digit's list all need a digit run followed by
                # -/.:+ or ten digits: one look-ahead rules them out for a plain number
                # (most digits), where each form was entered and failed on its own
                k = len(_DIGIT_PUNCT)
                alts = [_DIGIT_PUNCT_GUARD + "(?:" + "|".join(alts[:k]) + ")", *alts[k:]]
            # kept compiled in the cache: these alternations are most of a start's compiling
            pat = by_names[names] = regex(f"scanner.dispatch.{len(by_names)}", "(?:" + "|".join(alts) + ")")
        table[ch] = pat
    return re.compile(first_class), table


def _forms_at(ch: str, names: list[str]) -> tuple[str, ...]:
    """The alternatives that can start with `ch` by its kind (a bracket, a circled number,
    a digit, a numeral), before the listed words are looked at (`_word_firsts`)."""
    if ch in _ONLY:
        return _ONLY[ch]
    if ch in _CIRCLED:
        return ("list_marker",)
    if "0" <= ch <= "9":
        return tuple(name for name in names if name not in _DIGIT_NEVER)
    return tuple(name for name in names if name not in _ASCII_ONLY)


Matcher = Callable[[str, int], re.Match[str] | None]


@cache
def _matchers() -> tuple[Matcher, dict[str, Matcher], dict[str, Matcher], dict[str, Matcher],
                         dict[str, Matcher]]:
    """`_dispatch`, `_lean_dispatch` and `_marked_dispatch` as bound methods (the search,
    each regex's match, the lean regexes', the dated ones' and the marked ones'): the
    scan calls them about 29,000 times per 100 reports, and a method call looks the
    method up on the pattern's type every time."""
    next_start, table = _dispatch()
    lean, dated = _lean_dispatch()
    return (next_start.search, {ch: pat.match for ch, pat in table.items()},
            {ch: pat.match for ch, pat in lean.items()}, {ch: pat.match for ch, pat in dated.items()},
            {ch: pat.match for ch, pat in _marked_dispatch().items()})


@cache
def _start_table() -> bytes:
    """`_dispatch`'s search class as a table by code point: the characters it has a
    regex for (all in the Basic Multilingual Plane; tests/test_extraction_speed_paths.py
    holds the table to the class's search over the plane). The compiled scan walks it
    (`first_marked`): about 29,500 searches per 100 reports each made a match object
    and asked it for its start."""
    return char_table(frozenset(_dispatch()[1]))


# The forms that need a character of their own near their start: a digit run then
# -/.:+ or ten digits (dt, phone, time, plus, frac), 分 within 25 (pctw), 年月日号
# within five (date), 是其(、. or a circled number within four (list_marker), 大 or 中
# within four (ordinal: 十九大, 四中全会; 第 has its own regex). Where `_positional`
# finds none of them, only the listed words and a quantity can start.
_POSITIONAL: Final = frozenset(("dt", "phone", "time", "plus", "frac", "pctw", "date",
                                "list_marker", "ordinal"))
# which regex `_positional` lets the scan use
FULL: Final = 0
LEAN: Final = 1
DATED: Final = 2
MARKED: Final = 3


@cache
def _lean_dispatch() -> tuple[dict[str, re.Pattern], dict[str, re.Pattern]]:
    """For each digit and numeral, its dispatch regex without the `_POSITIONAL` forms,
    and for each digit the same with the date form kept. The same match as
    `_dispatch`'s wherever `_positional` says LEAN or DATED (the forms left out cannot
    match there); at a plain quantity the full regex spends about as much on entering
    and failing those forms as on the quantity itself (callgrind, 100 bench files:
    16,800 instructions a digit quantity, 9,200 with the lean regex; a year 6,400 with
    the dated one, against 10,200)."""
    _, parts = _alternatives()
    _, table = _dispatch()
    forms = [name for name, _ in parts]
    by_names: dict[tuple[str, ...], re.Pattern] = {}
    lean: dict[str, re.Pattern] = {}
    dated: dict[str, re.Pattern] = {}
    for ch, pat in table.items():
        if ch in _ONLY or ch in _CIRCLED:
            continue
        for out, keep in ((lean, ""), (dated, "date")):
            if keep and not "0" <= ch <= "9":
                continue
            # the forms of the character's own regex (its groups), in order, less these
            names = tuple(name for name in forms if name in pat.groupindex
                          and (name not in _POSITIONAL or name == keep))
            got = by_names.get(names)
            if got is None:
                alts = [p for name, p in parts if name in names]
                got = by_names[names] = regex(f"scanner.lean.{len(by_names)}", "(?:" + "|".join(alts) + ")")
            out[ch] = got
    return lean, dated


@cache
def _marked_dispatch() -> dict[str, re.Pattern]:
    """For each digit, its dispatch regex without the `_POSITIONAL` forms but the list
    marker: the same match as `_dispatch`'s wherever `_positional` says MARKED (a digit
    run before 、, or before a point no digit follows: 1、 3. 10.), where the full regex
    entered the five digit-punctuation forms behind their guard, which a point passes,
    and the date and percent words (about 8,800 instructions a marker, callgrind)."""
    _, parts = _alternatives()
    _, table = _dispatch()
    forms = [name for name, _ in parts]
    by_names: dict[tuple[str, ...], re.Pattern] = {}
    marked: dict[str, re.Pattern] = {}
    for ch, pat in table.items():
        if not "0" <= ch <= "9":
            continue
        names = tuple(name for name in forms if name in pat.groupindex
                      and (name not in _POSITIONAL or name == "list_marker"))
        got = by_names.get(names)
        if got is None:
            alts = [p for name, p in parts if name in names]
            got = by_names[names] = regex(f"scanner.marked.{len(by_names)}", "(?:" + "|".join(alts) + ")")
        marked[ch] = got
    return marked


_DIGIT_NEXT: Final = frozenset("-/.:+、〇零○一二三四五六七八九十")
_DATE_ENDS: Final = frozenset("年月日号")
_NUMERAL_NEAR: Final = frozenset("年月日号是其(、.大中①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")


def _positional(view: str, p: int) -> int:
    """Which `_POSITIONAL` forms can start at the digit or numeral view[p]: FULL (any),
    LEAN (none), DATED (a digit: the date only) or MARKED (a digit: the list marker
    only, before 、 or a point no digit follows). Each needs a character of its own
    where this looks (tests/test_extraction_speed_paths.py). At a digit, the character
    after its run of digits: -/.:+ (or a run of ten) for the digit-punctuation forms,
    、 or . for a list marker, 年月日号 or a Chinese digit for a date (its guard), but a
    decimal point between digits (3.5) only opens a date of four digits (2021.12.30) or
    an item number before a year (7.2025年); at a numeral, the five characters from it
    (list marker, ordinal, date). The percent words at either: `_percent_may_open`.
    Characters are tested by code point in `_FLAGS` (a set look-up made a string of
    each and hashed it: 86 M instructions per 100 texts, against 100 M saved)."""
    n = len(view)
    flags = _FLAGS
    c = ord(view[p])
    level = LEAN
    if 48 <= c <= 57:
        j = p + 1
        while j < n and _decimal_at(view, j):
            j += 1
        if j - p >= 10:
            return FULL
        if j < n:
            d = ord(view[j])
            if d == 46:     # "."
                if j + 1 >= n or not _decimal_at(view, j + 1):
                    level = MARKED      # 3. 10.: no date, time or phone number
                elif j - p == 4 or (j - p <= 2 and view.startswith(("19", "20"), j + 1)):
                    return FULL
            elif d == 0x3001:   # "、"
                level = MARKED
            elif d < 0x10000:
                f = flags[d]
                if f & _F_DIGIT_NEXT:
                    return FULL
                if f & _F_DATE_END:
                    level = DATED
    else:
        for k in range(p, min(n, p + 5)):
            d = ord(view[k])
            if d < 0x10000 and flags[d] & _F_NUMERAL_NEAR:
                return FULL
    return FULL if _percent_may_open(view, p) else level


def _percent_may_open(view: str, p: int) -> bool:
    """The percent words' guard at p: a run of up to 24 of their number's characters
    (digits, numerals, . , 点 又 and a space; 百 of 百分之 is one), then 分."""
    end = min(len(view), p + 25)
    flags = _FLAGS
    k = p
    while k < end:
        c = ord(view[k])
        if c == 0x5206:     # 分
            return k > p
        if (c < 0x10000 and flags[c] & _F_PERCENT_RUN) or _decimal_at(view, k):
            k += 1
        else:
            return False
    return False


def _decimal_at(view: str, j: int) -> bool:
    """view[j] is a decimal digit (\\d, str.isdecimal): below U+0660 only 0-9 are,
    and none is in the CJK blocks U+2E80-U+9FFF, so most characters need no method
    call (tests/test_extraction_speed_paths.py holds it to isdecimal over the BMP)."""
    c = ord(view[j])
    if c < 0x660:
        return 48 <= c <= 57
    if 0x2E80 <= c < 0xA000:
        return False
    return view[j].isdecimal()


_F_DIGIT_NEXT: Final = 1
_F_DATE_END: Final = 2
_F_NUMERAL_NEAR: Final = 4
_F_PERCENT_RUN: Final = 8


def _flag_table() -> bytes:
    """Per code point of the BMP, the bits of the sets `_positional` tests (none of
    their characters lies beyond it)."""
    t = bytearray(0x10000)
    for chars, bit in ((_DIGIT_NEXT, _F_DIGIT_NEXT), (_DATE_ENDS, _F_DATE_END),
                       (_NUMERAL_NEAR, _F_NUMERAL_NEAR), (_PERCENT_RUN, _F_PERCENT_RUN)):
        for ch in chars:
            t[ord(ch)] |= bit
    return bytes(t)


# At "(" only a phone number, (010)…, and a list marker, (一) (1) ( 2 ), can start:
# each needs a digit, one of 一…十 or a blank right after the bracket. Markdown links
# put a bracket before every URL; most brackets are skipped on this test.
_AFTER_BRACKET: Final = frozenset("0123456789一二三四五六七八九十 \u00a0")


def _bracket_may_open(view: str, p: int) -> bool:
    if p + 1 >= len(view):
        return False
    c = view[p + 1]
    return c in _AFTER_BRACKET or c.isdecimal()    # \d: any decimal digit


# The forms that open the alternatives at a digit, each implying a digit run followed by
# one of -/.:+ (2021-12-30, 010-, 12:30, 1+1, 3/4) or ten digits (13800000000, 4008001234)
_DIGIT_PUNCT: Final = ("dt", "phone", "time", "plus", "frac")
_DIGIT_PUNCT_GUARD: Final = r"(?=\d++[-/.:+]|\d{10})"


def _anchored(words, numeral_chars: set[str], tail: str) -> str:
    """An alternation of listed words that starts at their first numeral: 工会进万家
    becomes 万(?<=工会进万)家, so the scan only ever starts on a numeral or a digit."""
    plain = [w for w in words if w[0] in numeral_chars]
    alts = [alternation(plain) + tail] if plain else []
    for w in words:
        if w[0] in numeral_chars:
            continue
        k = next(i for i, c in enumerate(w) if c in numeral_chars)
        # the numeral first, then the look-behind (which then covers it too): an
        # alternative that opens with a literal is skipped by the engine with one
        # comparison where it does not start, one opening with a look-behind is entered
        alts.append(f"{re.escape(w[k])}(?<={re.escape(w[:k + 1])}){re.escape(w[k + 1:])}{tail}")
    return "|".join(alts) if alts else "(?!)"


def scan(view: str) -> list[Mention]:
    """All numeric mentions in the view, in order, ranges merged."""
    units = rules.units()
    not_before = rules.unit_not_before()
    ap = rules.approx()
    prefix_search = _prefix_pattern().search
    prefix_ends = _prefix_last_chars()     # most numbers have no approximation word before them
    minus_signs = rules.numerals().minus_signs
    shortenable = _shortenable_units()     # once a text, not once a unit (functools' wrapper)
    one = Decimal(1)
    out: list[Mention] = []
    next_start, matchers, lean, dated, marked = _matchers()
    walk = walks_compiled()
    starts = _start_table()
    pos = 0
    while True:
        # what _pattern().finditer(view) finds: the next place an alternative matches
        # (compiled: the next character an alternative starts with, by table)
        if walk:
            p = first_marked(view, pos, starts)
            if p < 0:
                break
        else:
            at = next_start(view, pos)
            if at is None:
                break
            p = at.start()
        c = view[p]
        if c == "(" and not _bracket_may_open(view, p):
            pos = p + 1
            continue
        quick = lean.get(c)
        if quick is None:
            found = matchers[c](view, p)
        else:
            level = _positional(view, p)
            if level == LEAN:
                found = quick(view, p)
            elif level == DATED:
                found = dated[c](view, p)
            elif level == MARKED:
                found = marked[c](view, p)
            else:
                found = matchers[c](view, p)
        if found is None:
            pos = p + 1
            continue
        m = found
        pos = m.end()      # never empty: every alternative takes its first character
        form: str = m.lastgroup  # type: ignore[assignment]   # every alternative is a named group
        if form != "qty":
            if form == "pctw":
                men = _percent_words(m, view)
                if men:
                    out.append(men)
                continue
            if form == "half":
                men = _half_share(m, view)
                if men:
                    out.append(men)
                continue
            start, end = p, pos     # m.span(): the match is at p (one method call fewer)
            kind = _PRESET_KIND.get(form)
            if form == "date" and view[end - 1] == "年" and view[start:end - 1].isdigit():
                kind = "year"    # 2021年 alone is a year; 2021年12月30日 a date
            elif form == "list_marker" and view[end - 1] == "." and not _at_line_start(view, start):
                kind = "other"   # 2. mid-line is not a list marker
            out.append(Mention(start, end, form, start, end, kind=kind))
            continue
        num, unit_w, isfx, osfx = m.group("num", "unit", "isfx", "osfx")
        # the number opens the quantity and the unit closes it but for a suffix, so their
        # spans follow from the lengths (two method calls fewer per quantity)
        num_s, num_e, end = p, p + len(num), pos
        reading = parse_numeral(num)
        if reading is None:
            reading = _bare_big(num, view, num_s, unit_w, isfx)
            if reading is None:
                continue
        elif num_s and view[num_s - 1] == "." and _point_opens(view, num_s, num):
            # .5, -.5: a decimal written without its 0 (checked after the match: a point
            # opening an alternative would stop the scan at every full stop of Latin text)
            reading = Reading(Decimal("0." + num), None, None, False)
            num_s -= 1
        unit = None
        if unit_w:
            unit = units[unit_w]
            ue = end - len(osfx) if osfx else end
            blocked = not_before.get(unit_w)
            if blocked and view.startswith(blocked, ue):
                # 3年级, 90年代: the unit belongs to another word; keep the bare number
                unit, end, osfx = None, m.end("isfx") if isfx else num_e, None
            elif not osfx and unit_w in shortenable:
                shorter = _unit_before_word(view, ue, unit_w)
                if shorter:
                    # 6个人员集中区: 个, not 个人 (人员 is a word)
                    unit, end = units[shorter], ue - len(unit_w) + len(shorter)
        range_only = False
        if unit is None and reading.chinese and len(num) < 2:
            # one Chinese numeral with no unit is no number (统一, 一切) unless it
            # opens a range (三至五次) or is a rank (位列全球前三。: classify reads it)
            if _range_follows(view, end):
                range_only = True
            elif not _rank_alone(view, num_s, end):
                continue
        if len(num) == 1 and num in _FINANCIAL:
            continue   # 拾起, 队伍: a lone financial numeral is a character of a word
        if reading.value_max is not None:
            approx = "range"
        else:
            approx = reading.inner_approx or "exact"
        if unit is not None and len(unit_w) >= 2:
            # 2个多小时, 一个半小时: an approximation or a half inside the unit
            for ch in unit_w:
                if ch in ap.inner_suffix and approx == "exact":
                    approx = ap.inner_suffix[ch]
            if unit_w in _HALF_UNITS:
                reading = Reading(reading.value + _HALF, reading.value_max, reading.inner_approx,
                                  reading.chinese)
        if isfx:
            if unit is not None:
                approx = ap.inner_suffix[isfx]
            else:
                end = num_e
        if osfx:
            approx = ap.outer_suffix.get(osfx, approx)
        # the character before the number, made once (a new one-character string each
        # time it was read: the sign, the prefix, 负 and the currency tests read it)
        before = view[num_s - 1] if num_s > 0 else ""
        minus = num_s > 0 and before in minus_signs and _minus_sign(view, num_s - 1, out)
        lead = num_s - 1 if minus else num_s     # 约-4℃: the prefix stands before the sign
        start, prefix = lead, ""
        if lead and (view[lead - 1] if minus else before) in prefix_ends:
            pm = prefix_search(view, max(0, lead - _MAX_PREFIX), lead)
            if pm and not (pm.group() in ap.multiplier_only_prefix and not _bare_multiplier(num)):
                prefix, start = pm.group(), pm.start()
                if approx == "exact":
                    approx = ap.prefix[prefix]
        factor = unit.factor if unit is not None else one
        value, value_max = reading.value, reading.value_max
        if factor != one:
            value = _clean(value * factor)
            if value_max is not None:
                value_max = _clean(value_max * factor)
        if minus or (not prefix and num_s and before == "负"):
            start = min(start, num_s - 1)         # 负3.9%, 增速为-0.3%
            value = -value
            value_max = -value_max if value_max is not None else None
        elif unit is None and num_s and before in _CURRENCY_SIGNS:
            unit = units[_CURRENCY_SIGNS[before]]     # ￥300, $20
            start = min(start, num_s - 1)
        out.append(Mention(start, end, "qty", num_s, num_e, reading, unit, prefix, approx, value,
                       value_max, range_only=range_only))
    return _merge_ranges(out, view)


_HALF: Final = Decimal("0.5")


def _point_opens(view: str, num_s: int, num: str) -> bool:
    """Whether the "." before the digits `num` at `num_s` is their decimal point: the
    digits are plain, and no digit, letter or point stands before it (not 2.2.5, v.5,
    No.5, ../5)."""
    if not (num.isdigit() and num.isascii()):
        return False
    if num_s < 2:
        return True
    c = view[num_s - 2]
    return not (c.isascii() and (c.isalnum() or c in "./_\\"))


@cache
def _shortenable_units() -> frozenset[str]:
    """Units that start with a shorter unit (个人: 个)."""
    units = rules.units()
    return frozenset(u for u in units if any(u[:j] in units for j in range(1, len(u))))


def _unit_before_word(view: str, ue: int, unit_w: str) -> str:
    """The shorter unit to read when the unit ending at `ue` gives its last characters
    to a noun the likeliest cut reads across its end (6个人员集中区: 个|人员, not 个人|员),
    else "". A unit is never split off a word."""
    us = ue - len(unit_w)
    if ue >= len(view) or not segmenter.opens_word(view[ue - 1:ue + 1]):
        return ""      # most units: no word starts on their last character and runs on
    w = segmenter.word_across(view, ue, us)
    if not w or not segmenter.tag(w).startswith("n"):
        return ""
    k = view.find(w, us, ue + len(w))      # where the word starts, inside the unit
    shorter = unit_w[:k - us] if us < k < ue else ""
    return shorter if shorter in rules.units() else ""


@cache
def _half_units() -> frozenset[str]:
    return frozenset(rules.load_yaml(rules.RULES_DIR / "units.yaml").get("half_units") or ())


def _bare_big(num: str, view: str, num_s: int, unit_w: str | None, isfx: str | None) -> Reading | None:
    """超万辆, 近万名, 上万人, 万余名: 万 or 亿 alone, after an approximation word or
    before 余/多 and a unit, is one of them (alone, 万 is no number: 万众一心)."""
    big = _BIG_UNITS
    if unit_w is None or len(num) != 1 or num not in big:
        return None
    if isfx is None and (num_s == 0 or _prefix_pattern().search(
            view, max(0, num_s - _MAX_PREFIX), num_s) is None):
        return None
    return Reading(Decimal(big[num]), None, None, True)


def _minus_sign(view: str, sign: int, before: list[Mention]) -> bool:
    """Is the hyphen at view[sign] a minus sign? At the start of a line or after a blank,
    or after a listed character (为-0.3%, 气温-18℃), and not closing the first end of a
    range (20%-50%); elsewhere it joins a name to a number (歼-20, 北溪-2)."""
    if before and before[-1].end == sign:
        return False
    if sign == 0:
        return True
    prev = view[sign - 1]
    return prev in " \t\n\u00a0" or prev in _MINUS_AFTER


def _at_line_start(view: str, pos: int) -> bool:
    i = blanks_back(view, pos)
    return i == 0 or view[i - 1] == "\n"


def blanks_back(view: str, pos: int) -> int:
    """Where the run of blanks (space, tab, no-break and ideographic space) ending at
    `pos` starts. Walks back over the blanks only, never to the line start, so asking
    for every number of a long line stays linear."""
    i = pos
    while i > 0 and view[i - 1] in " \t\u00a0\u3000":
        i -= 1
    return i


_FINANCIAL: Final = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_CURRENCY_SIGNS: Final = {"￥": "元", "¥": "元", "$": "美元"}

_PRESET_KIND: Final = {
    "url": "meta", "dt": "date", "phone": "meta", "time": "date",
    "plus": "slogan", "frac": None, "slogan": "slogan", "name": "name", "word": "other",
    "date": "date", "list_marker": "list_marker", "ordinal": "ordinal",
}


@cache
def _prefix_pattern() -> re.Pattern:
    """Approximation words that end right where the number starts (searched with
    endpos at the number, so `$` anchors there)."""
    return re.compile("(?:" + alternation(rules.approx().prefix) + ")$")


@cache
def _prefix_last_chars() -> frozenset[str]:
    return frozenset(w[-1] for w in rules.approx().prefix)


_MAX_PREFIX: Final = 4


def _rank_alone(view: str, num_s: int, end: int) -> bool:
    """前三 with no unit, ending its phrase (位列全球前三。排名前五的): a rank."""
    return (num_s > 0 and view.endswith(_RANK_BEFORE, 0, num_s)
            and (end == len(view) or view[end] in _RANK_ALONE_NEXT))


def _range_follows(view: str, pos: int) -> bool:
    """三至五次: the first end of a range has no unit of its own."""
    nxt = view[pos:pos + 2].lstrip(" \u00a0")
    return bool(nxt) and nxt[0] in _RANGE_SEPARATORS


def _has_big(num: str) -> bool:
    return any(c in _BIG_UNITS for c in num)


def _bare_multiplier(num: str) -> bool:
    """上万, 数百, 上百万: a multiplier with no digit before it."""
    return bool(num) and all(c in _SMALL_UNITS or c in _BIG_UNITS for c in num)


# rules read once for the per-mention checks above and in scan (classify and the subject
# modules read theirs so too): a call through functools' cache per mention costs more
# than the lookup it serves
_HALF_UNITS: Final = _half_units()
_MINUS_AFTER: Final[str] = rules.numerals().minus_after
_RANK_BEFORE: Final[str] = rules.classify_words().rank_before
_RANK_ALONE_NEXT: Final[frozenset[str]] = rules.classify_words().rank_alone_next
_RANGE_SEPARATORS: Final[tuple[str, ...]] = rules.approx().range_separators
_SMALL_UNITS: Final = rules.numerals().small_units
_PERCENT_RUN: Final = frozenset("".join(rules.numerals().digits) + "".join(rules.numerals().small_units)
                                + "".join(rules.numerals().tens) + "".join(rules.numerals().big_units)
                                + ".,点又 \u00a0")
_FLAGS: Final = _flag_table()
_BIG_UNITS: Final = rules.numerals().big_units


def _clean(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return Decimal(int(d))
    return d.normalize()


def _percent_words(m: re.Match, view: str) -> Mention | None:
    """百分之四十五 -> 45 %; 三分之二 -> 66.67 %; 千分之三 -> 0.3 %; 百分之二三十 -> 20-30 %."""
    ap = rules.approx()
    end = m.end()
    value_max: Decimal | None = None
    if m.group("pwd"):
        r, n = _longest_numeral(m.group("pwn"))
        if r is None:
            return None
        if n < len(m.group("pwn")):
            end = m.start("pwn") + n     # 百分之七十百分位: the 百 starts another word
        scale = {"百": Decimal(1), "千": Decimal("0.1"), "万": Decimal("0.01")}[m.group("pwd")]
        value = r.value * scale
        if r.value_max is not None:
            value_max = _clean(r.value_max * scale)
    else:
        den, num = parse_numeral(m.group("fd")), parse_numeral(m.group("fn"))
        if den is None or num is None or den.value == 0:
            return None
        if m.group("fw"):
            return _mixed_number(m, view, den.value, num.value)
        value = num.value * 100 / den.value
    osfx = m.group("posfx") if end == m.end() else None
    approx = ap.outer_suffix.get(osfx, "exact") if osfx else "exact"
    if value_max is not None:
        approx = "range"
    unit = rules.units()["%"]
    start = m.start()
    pm = _prefix_pattern().search(view, max(0, start - _MAX_PREFIX), start)
    if pm and pm.group() not in ap.multiplier_only_prefix:
        start = pm.start()
        if approx == "exact":
            approx = ap.prefix[pm.group()]
    return Mention(start, end, "qty", m.start(), end, None, unit, "", approx,
                   _clean(value), value_max)


def _half_alternation(n: rules.Numerals) -> str:
    """一半, 过半数 … as a regex that starts at 半: (?<=一)半, (?<=过)半数 …, then not a
    character that makes another word (一半年, 过半个月)."""
    alts = []
    for w in sorted(n.half_words, key=len, reverse=True):
        k = w.index("半")
        alts.append((f"(?<={re.escape(w[:k])})" if k else "") + re.escape(w[k:]))
    if not alts:
        return "(?!)"
    stop = "".join(re.escape(c) for c in n.half_not_next)
    return "(?:" + "|".join(alts) + f")(?![{stop}])"


def _half_share(m: re.Match, view: str) -> Mention | None:
    """一半以上 -> 50 % (over), 近一半 -> 50 % (under), 过半数 -> 50 % (over)."""
    n = rules.numerals()
    ap = rules.approx()
    word_end = m.start("hsfx") if m.group("hsfx") else m.end()
    # the characters of the word before 半 (一 of 一半, 过 of 过半数) are part of the span
    word = next((w for w in sorted(n.half_words, key=len, reverse=True)
                 if view.startswith(w, word_end - len(w))), None)
    if word is None:
        return None
    start = word_end - len(word)
    if any(view.endswith(a, 0, start) for a in n.half_not_after):
        return None          # 另一半
    approx = n.half_words[word]
    osfx = m.group("hsfx")
    if osfx:
        approx = ap.outer_suffix.get(osfx, approx)
    pm = _prefix_pattern().search(view, max(0, start - _MAX_PREFIX), start)
    if pm and pm.group() not in ap.multiplier_only_prefix:
        start = pm.start()
        if approx == "exact":
            approx = ap.prefix[pm.group()]
    return Mention(start, m.end(), "qty", word_end - len(word), word_end, None, rules.units()["%"], "",
                   approx, n.half_value, None)


def _mixed_number(m: re.Match, view: str, den: Decimal, num: Decimal) -> Mention | None:
    """三又三分之一 = 3.333…, 负一又二分之一 = -1.5: a whole number and a fraction of one,
    a plain number (no unit), not a share in %."""
    whole = parse_numeral(m.group("fw"))
    if whole is None:
        return None
    value = whole.value + num / den
    start = m.start()
    if start and (view[start - 1] == "负" or view[start - 1] in rules.numerals().minus_signs):
        start -= 1
        value = -value
    return Mention(start, m.end(), "qty", m.start(), m.end(), whole, None, "", "exact",
                   _clean(value), None)



def _longest_numeral(s: str) -> tuple[Reading | None, int]:
    """The reading of the longest start of `s` that is a number, and its length."""
    for k in range(len(s), 0, -1):
        r = parse_numeral(s[:k])
        if r is not None:
            return r, k
    return None, 0


def _shared_multiplier(first: str, second: str) -> Decimal:
    """The multiplier written once, after the second end of a range: 万 of 3—5万, 亿 of
    40—50亿, 万 of 二十至三十万, and 千 of 二至三千 when the first end has no
    multiplier at all; 1 when there is none to share."""
    n = rules.numerals()
    if any(c in n.big_units for c in first):
        return Decimal(1)
    k = len(second)
    factor = Decimal(1)
    while k > 0 and second[k - 1] in n.big_units:
        factor *= n.big_units[second[k - 1]]
        k -= 1
    if factor == 1 and k > 0 and second[k - 1] in n.small_units and not any(
            c in n.small_units for c in first):
        factor = Decimal(n.small_units[second[k - 1]])
        k -= 1
    return factor if k > 0 else Decimal(1)


def _may_separate(view: str, lo: int, hi: int, longest: int) -> bool:
    """False when view[lo:hi] stripped of blanks (space, U+00A0) cannot be a range
    separator, the longest of which has `longest` characters: a longer gap is one only
    if strip can shorten it, so a blank must open or close it. Most gaps between two
    figures run for a clause or more, and `_merge_ranges` cut each out of the text to
    strip it (the copies were most of its 6.4 M instructions on 100 bench files,
    callgrind). tests/test_extraction_speed_paths.py holds it to the strip."""
    if hi - lo <= longest:
        return True
    c, d = ord(view[lo]), ord(view[hi - 1])
    return c == 32 or c == 0xA0 or d == 32 or d == 0xA0


def _merge_ranges(ms: list[Mention], view: str) -> list[Mention]:
    """5—10人, 三至五次, 20%-30%: two quantities joined by a range separator become one
    mention with value and value_max, when the second is larger and the units agree."""
    seps = rules.approx().range_separators
    longest = max((len(s) for s in seps), default=0)
    out: list[Mention] = []
    i = 0
    while i < len(ms):
        a = ms[i]
        if i + 1 < len(ms) and a.form == "qty" and ms[i + 1].form == "qty" and \
                _may_separate(view, a.end, ms[i + 1].start, longest):
            b = ms[i + 1]
            gap = view[a.end:b.start].strip(" \u00a0")
            if (gap in seps and a.value is not None and b.value is not None
                    and a.value_max is None and b.value_max is None
                    and (a.unit is None or b.unit is None or a.unit.unit == b.unit.unit)
                    and not (gap in "-－" and a.unit is None and b.unit is None)):
                unit = b.unit or a.unit
                lo = a.value if a.unit is not None or unit is None else _clean(a.value * unit.factor)
                if a.unit is None:
                    # 3—5万元, 40—50亿元, 三至五千元: the multiplier written once, after the
                    # second end, scales both (but 3000到30万元 is 3000 to 300000)
                    k = _shared_multiplier(view[a.num_start:a.num_end], view[b.num_start:b.num_end])
                    if k != 1 and b.value is not None and lo * k < b.value:
                        lo = _clean(lo * k)
                if lo < b.value:
                    out.append(Mention(a.start, b.end, "qty", a.num_start, b.num_end, a.reading,
                                       unit, a.prefix, "range", lo, b.value))
                    i += 2
                    continue
        if not a.range_only:
            out.append(a)   # a Chinese first end that found no second end is dropped
        i += 1
    return out
