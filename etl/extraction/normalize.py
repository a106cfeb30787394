"""The view of a report that the rules match on, with a way back to the original.

Matching happens on simplified, half-width text (萬 -> 万, １２３ -> 123), so the rule
files need one spelling only. OpenCC's t2s conversion keeps the length of almost every
line, so offsets carry over unchanged; where a line would change length it is
converted character by character instead, and the view stays the same length as the
original. Only markup (HTML source given to `extract`) and the pinyin glosses of
scraped mirror copies (2.5萬(wàn)元, 會(huì)議: dropped, so figures and words read whole)
make a shorter view; then an index map leads back to the raw text.
"""
from __future__ import annotations

from typing import Final

import hashlib
import html
import importlib.util
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..regex_cache import regex
from .soft_breaks import markup_soft_breaks, wrapped_breaks
from .text_spans import after_sorted, char_table, first_marked, line_ends_of, walks_compiled

# Full-width ASCII forms to ASCII, except the full-width comma: "，" is the Chinese
# comma, and turning it into "," would glue 3，500 into a thousands separator.
_HALF: Final = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_HALF[0x3000] = 0x20   # ideographic space
# Zero-width and soft characters that scraped pages leave inside figures (27\u200b万元)
# read as a space, which the number patterns allow where it can occur.
for _c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _HALF[_c] = 0x20


_WRAPPED_BREAK: Final = re.compile(r"[ \t\r]*\n")    # a hard-wrapped line's end (soft_breaks)


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Where the pieces of a shorter view came from. Piece k starts at view[k] in the
    view and at raw[k] in the original; a text piece maps one to one, while an entity
    or a tag shown as one character covers raw[k]..raw_end[k]."""
    view: list[int]
    raw: list[int]
    raw_end: list[int]
    literal: list[bool]     # True for text copied as is

    def start(self, i: int) -> int:
        k = bisect_right(self.view, i) - 1
        return self.raw[k] + (i - self.view[k] if self.literal[k] else 0)

    def end(self, i: int) -> int:
        """The raw offset just after view character i - 1 (an entity ends whole)."""
        k = bisect_right(self.view, i - 1) - 1
        return self.raw[k] + (i - self.view[k]) if self.literal[k] else self.raw_end[k]


@dataclass(frozen=True, slots=True)
class NormText:
    raw: str                    # the text as read; offsets in claims point here
    text: str                   # simplified, half-width view used for matching
    to_raw: OffsetMap | None = None  # None when view and raw line up one to one
    markup: bool = False        # the raw text is markup (its spans hold tags and entities)
    # OpenCC's t2s of `raw` (`raw` itself when it holds no traditional character), when
    # normalize learnt it on the way, else None: describe reads a report's simplified view
    # and searched every character for the same class again (bench/RESULTS.md, describe27)
    raw_simplified: str | None = None
    # where the view's lines end (text_spans.line_ends_of), when normalize found them
    line_ends: list[int] | None = None

    def written(self, start: int, end: int) -> str:
        """view[start:end] as the report writes it: the raw span (traditional stays
        traditional, a gloss inside stays), or the view's text where markup was cut.

        >>> normalize("召開會(huì)議12次").written(2, 4)
        '會(huì)議'
        """
        if self.to_raw is None:
            return self.raw[start:end]
        if self.markup:
            return self.text[start:end]
        rs, re_ = self.raw_span(start, end)
        written = self.raw[rs:re_]
        # a newline inside the span is a hard-wrapped line's (the view has none there:
        # a break of the view ends the sentence): no part of the subject it cuts
        return _WRAPPED_BREAK.sub("", written) if "\n" in written else written

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that view[start:end] came from: `raw_spans` of
        the one span, both of its pieces found by bisection (a claim's sentence spans
        many pieces of a marked-up text, which the walk of `raw_spans` steps through
        one by one; tests/test_extraction_speed_paths.py holds the two equal)."""
        m = self.to_raw
        if m is None:
            return start, end
        view = m.view
        # text_spans.after_sorted: bisect_right compiled (the bisect module's C function
        # called from compiled code goes through a generic call and rich comparisons)
        k = after_sorted(view, start) - 1
        j = after_sorted(view, end - 1) - 1
        if j < k:
            j = k
        return (m.raw[k] + (start - view[k] if m.literal[k] else 0),
                m.raw[j] + (end - view[j]) if m.literal[j] else m.raw_end[j])

    def raw_spans(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """`raw_span` of many spans in one walk along the map, for spans in text order
        (mentions are); the first, and one out of order, is found by bisection.

        >>> t = normalize("<p>共<b>30</b>条，&nbsp;5人</p>", markup=True)
        >>> [t.raw[s:e] for s, e in t.raw_spans([(2, 4), (2, 5), (6, 9), (2, 3)])]
        ['30', '30</b>条', '&nbsp;5人', '3']
        """
        m = self.to_raw
        if m is None:
            return spans
        view, raw, raw_end, literal = m.view, m.raw, m.raw_end, m.literal
        n = len(view)
        out: list[tuple[int, int]] = []
        k = -1
        for start, end in spans:
            if k < 0 or view[k] > start:
                k = after_sorted(view, start) - 1
            while k + 1 < n and view[k + 1] <= start:
                k += 1
            j, last = k, end - 1
            while j + 1 < n and view[j + 1] <= last:
                j += 1
            out.append((raw[k] + (start - view[k] if literal[k] else 0),
                        raw[j] + (end - view[j]) if literal[j] else raw_end[j]))
        return out


@cache
def _t2s():
    import opencc  # imported lazily: loading the dictionaries costs time
    return opencc.OpenCC("t2s").convert


@cache
def _traditional_chars() -> re.Pattern:
    """The characters t2s changes, as one character class (built once from the CJK
    block): searching for it is much cheaper than converting a simplified text. The
    class is kept in the cache, keyed by OpenCC's installed files: a start then loads
    neither OpenCC nor converts the block (about 0.015 s of CPU)."""
    from .. import file_cache
    changed: str = file_cache.built("opencc", "t2s_changed", _opencc_key(), _changed_chars)
    if not changed:               # cannot line up: convert every text
        return re.compile("")
    return regex("normalize.traditional", "[" + changed + "]")


def _changed_chars() -> str:
    """The characters of the CJK block that t2s changes ("" if it changes a length)."""
    block = "".join(map(chr, range(0x3400, 0xA000)))
    conv = _t2s()(block)
    if len(conv) != len(block):
        return ""
    return "".join(sorted({a for a, b in zip(block, conv) if a != b}))


def _opencc_key() -> str:
    """Names OpenCC as installed (where, and its native library's size and time),
    found without importing it."""
    spec = importlib.util.find_spec("opencc")
    places = spec.submodule_search_locations if spec is not None else None
    if not places:
        return "no-opencc"
    where = Path(list(places)[0]).resolve()
    stamps = [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
              for p in sorted((where / "clib").glob("*opencc*"))]
    return hashlib.sha1(f"{where}|{'|'.join(stamps)}".encode()).hexdigest()[:20]


@cache
def _rare_chars() -> re.Pattern:
    """The characters t2s changes and the full-width forms other than those replaced
    first (_COMMON_FULLWIDTH), as one class: a text with none of them needs neither
    conversion, and this one search is all its view costs besides the replaces."""
    trad = _traditional_chars().pattern
    if not trad:
        return re.compile("")     # t2s cannot be checked: every text is converted
    rest = "".join(c for c in _HALF_CHAR if c not in _COMMON_FULLWIDTH)
    return regex("normalize.rare", trad[:-1] + re.escape(rest) + "]")


def _has_rare(text: str) -> bool:
    """_rare_chars().search(text) is not None; in the compiled build by `first_marked` on
    `_rare_table` (about 30 instructions a character against the regex's 61: the class
    is a few thousand characters in many ranges)."""
    table = _rare_table() if walks_compiled() else b""
    if not table:
        return _rare_chars().search(text) is not None
    return first_marked(text, 0, table) >= 0


@cache
def _rare_table() -> bytes:
    """_rare_chars' class as a table by code point (b"" when it is empty: every text is
    converted). Every character of it lies in the Basic Multilingual Plane (the CJK
    block t2s was run on, the full-width forms); tests/test_extraction_speed_paths.py
    holds the table to the class over the plane."""
    if not _rare_chars().pattern:
        return b""
    trad = _traditional_chars().pattern
    return char_table(trad[1:-1] + "".join(c for c in _HALF_CHAR if c not in _COMMON_FULLWIDTH))


def _raw_simplified(raw: str, text: str, view: str | None) -> str | None:
    """NormText.raw_simplified: OpenCC's t2s of `raw` as it stands, when normalize has
    just learnt it: the view of `text` (`view`, None when t2s changed its length) when
    `text` is `raw`; else (`text` made by strip_tokens) `raw` itself when neither `text`
    (every character of `raw` outside the tokens is in it as written) nor the tokens
    hold a traditional character; else None.

    >>> normalize("全國政協").raw_simplified, normalize("<p>全國</p>", markup=True).raw_simplified
    ('全国政协', None)
    """
    if text is raw:
        return view
    if view is text and not _stripped_traditional[0]:
        return raw
    return None


def to_simplified(text: str) -> str:
    """Traditional to simplified with the length kept (so offsets carry over).

    >>> to_simplified("全國政協機關77名局級幹部")
    '全国政协机关77名局级干部'
    """
    return _simplified_view(text)[0]


def _simplified_view(text: str) -> tuple[str, bool]:
    """(to_simplified(text), whether that is OpenCC's t2s of it as it stands)."""
    if not _traditional_chars().search(text):
        return text, True      # most reports are simplified already: skip the conversion
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out, True
    lines = text.split("\n")
    fixed = []
    for line in lines:
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else o for o, c in [(o, convert(o)) for o in line])
        fixed.append(conv)
    return "\n".join(fixed), False


def looks_like_markup(text: str) -> bool:
    """Text saved from a web page (a .txt or .md full of <p> and &nbsp;)?

    >>> looks_like_markup("<p>共<strong>30</strong>条</p>"), looks_like_markup("3<5，a>b")
    (True, False)
    """
    hits = _MARKUP_HINT.finditer(text, 0, 200_000)
    return next(hits, None) is not None and next(hits, None) is not None   # two are enough


_MARKUP_HINT: Final = re.compile(r"</?(?:p|div|span|br|strong|b|a|img|table|tr|td|li|ul|h[1-6]|font|section)\b[^<>]{0,200}>"
                          r"|&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|#\d{2,5});", re.I)


def normalize(raw: str, *, markup: bool | None = False) -> NormText:
    """The matching view of `raw`; with markup=True, HTML tags, comments, scripts and
    styles are dropped and entities decoded, keeping a map back to `raw`;
    markup=None decides by looking (see looks_like_markup)."""
    # an HTML file's newlines inside its text are white space; any other text's are
    # breaks unless it is hard-wrapped, a text with tags taken for markup by looking too
    # (it may be writing a paragraph a line; etl/extraction/soft_breaks.py)
    page = markup is True
    line_ends: list[int] | None = None
    if markup is None:
        markup = looks_like_markup(raw)
    glosses = gloss_spans(raw)
    if markup:
        spans = _markup_spans(raw)
        soft = markup_soft_breaks(raw, spans) if page else wrapped_breaks(raw, line_ends_of(raw))
        if soft:
            spans = _merge_spans(spans, soft)
        text, to_raw = strip_tokens(raw, _merge_spans(spans, glosses) if glosses else spans)
    else:
        ends = line_ends_of(raw)
        wraps = wrapped_breaks(raw, ends)
        if glosses or wraps:
            text, to_raw = strip_tokens(raw, _merge_spans(glosses, wraps) if glosses and wraps else glosses or wraps)
        else:
            text, to_raw = raw, None
            line_ends = ends    # the view's breaks stand where the text's do
    # str.translate looks up every character in Python; C-speed replaces of the
    # characters present cost far less: the full-width forms most reports have, then
    # (only in a text one search finds anything else in: a quarter of the reports)
    # t2s and whatever other full-width form a search still finds
    rare = _has_rare(text)
    view, plain = _simplified_view(text) if rare else (text, True)
    raw_simp = _raw_simplified(raw, text, view if plain else None)
    for c in _COMMON_FULLWIDTH:
        view = view.replace(c, _HALF_CHAR[c])
    if rare and _FULLWIDTH.search(view):
        found = set(_FULLWIDTH.findall(view))
        if not found.isdisjoint(_FW_DIGITS) and "，" in view:
            view = _FW_THOUSANDS.sub(",", view)     # ４，５６５: a thousands comma between full-width digits
        for c in found:
            view = view.replace(c, _HALF_CHAR[c])
    return NormText(raw, view, to_raw, bool(markup), raw_simp, line_ends)


# A pinyin gloss a scraped mirror copy puts after a character: 萬(wàn), 會(huì), 一百(yī bǎi).
# A tone mark is required, so a parenthesis of plain letters (app, km) stays text.
_PINYIN: Final = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# The bracket comes first and the character before it is checked after it: a pattern
# that opens with a literal lets the engine skip to the next bracket at memchr speed,
# where one opening with the look-behind was tried at every position (6% of
# extraction's instructions, callgrind on 100 bench files); one pattern per bracket,
# as the class [(（] was still tested at every character.
_GLOSS_HALF: Final = re.compile(rf"\((?<=[\u3400-\u9fff]\()(?=[^)）]{{0,30}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                                rf"[{_PINYIN}]{{1,6}}(?: [{_PINYIN}]{{1,6}}){{0,3}}[)）]")
_GLOSS_FULL: Final = re.compile(rf"（(?<=[\u3400-\u9fff]（)(?=[^)）]{{0,30}}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                                rf"[{_PINYIN}]{{1,6}}(?: [{_PINYIN}]{{1,6}}){{0,3}}[)）]")


def gloss_spans(raw: str) -> list[tuple[int, int]]:
    """Where the pinyin glosses are (the view drops them).

    >>> raw = "筹集资金2.5萬(wàn)元，用于会场(app)"
    >>> [raw[s:e] for s, e in gloss_spans(raw)]
    ['(wàn)']
    """
    # one pass per bracket (a gloss holds no bracket, so the two never overlap and
    # merge in text order)
    half = _bracket_matches(raw, "(", _GLOSS_HALF)
    full = _bracket_matches(raw, "（", _GLOSS_FULL)
    return sorted(half + full) if half and full else half or full


def _bracket_matches(raw: str, bracket: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """What `pattern.finditer(raw)` finds, for a pattern that starts with `bracket`:
    str.find goes from bracket to bracket at memchr speed and the pattern is tried only
    there, where the regex search stepped through every character itself (about 6
    instructions each; callgrind on 100 bench files: 13 M for two searches).
    tests/test_extraction_speed_paths.py holds the two equal."""
    out: list[tuple[int, int]] = []
    i = raw.find(bracket)
    while i >= 0:
        # a gloss opens with a pinyin letter: the other brackets ((1), （2022年）, （记者）)
        # are passed by a compare, without a regex call (about 2,000 instructions each)
        m = pattern.match(raw, i) if _opens_pinyin(raw, i + 1) else None    # the look-behind still sees raw[i - 1]
        if m is None:
            i = raw.find(bracket, i + 1)
        else:
            out.append(m.span())
            i = raw.find(bracket, m.end())
    return out


def _opens_pinyin(raw: str, i: int) -> bool:
    """Is raw[i] one of the letters a gloss starts with (_PINYIN)?"""
    if i >= len(raw):
        return False
    c = ord(raw[i])
    return 0x61 <= c <= 0x7A or (0xE0 <= c <= 0x1DC and raw[i] in _TONED)


_TONED: Final = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"     # _PINYIN beyond a-z


def _merge_spans(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Two lists of spans in text order as one; a span overlapping an earlier one is
    left out (a gloss-like text inside a tag belongs to the tag)."""
    out: list[tuple[int, int]] = []
    end = -1
    for s, e in sorted(a + b):
        if s >= end:
            out.append((s, e))
            end = e
    return out


_FW_THOUSANDS: Final = re.compile("(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")
_FW_DIGITS: Final = frozenset("０１２３４５６７８９")
_HALF_CHAR: Final = {chr(k): chr(v) for k, v in _HALF.items()}
_FULLWIDTH: Final = re.compile("[\uff01-\uff0b\uff0d-\uff5e\u3000\u200b-\u200d\u2060\ufeff\u00ad]")
# replaced in every text (a replace of a character absent costs a few instructions a
# character; the search it saves ~60): the punctuation nearly every report has, and
# the ideographic space and the forms next most often found (bench corpus: in 134,
# 114, 43, 20 and 18 of 1,424 reports)
_COMMON_FULLWIDTH: Final = "（）；：？！\u3000－％＋～"


# Tags and entities are found by two searches, each starting with one literal
# character: the regex engine then skips text at memchr speed instead of testing every
# character against a set (a third of the cost of stripping a page).
_TAG: Final = re.compile(r"<(?:!--.*?-->|(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|[A-Za-z/!?][^>]*>)",
                  re.S | re.I)
_ENTITY: Final = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);")
_BLOCK: Final = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|nav|title|blockquote|pre|dd|dt)\b", re.I)


_TOKEN_VIEW: Final[dict[str, str]] = {}   # tag or entity -> what the view shows for it
# tokens seen with a traditional character in them (<img alt="國徽">; pages seldom have one),
# and whether the last strip_tokens met one (for NormText.raw_simplified: searching each of a page's
# ~220 tokens cost ~1,300 instructions a token; each token is searched once, when new)
_TRADITIONAL_TOKENS: Final[set[str]] = set()
_stripped_traditional: Final[list[bool]] = [False]


def strip_markup(raw: str) -> tuple[str, OffsetMap]:
    """Visible text of an HTML source and the map back to the source.

    >>> t, m = strip_markup("<p>共&nbsp;30条</p><script>var x=5;</script>")
    >>> t.strip(), m.start(t.index("3")), m.end(t.index("条") + 1)
    ('共\\xa030条', 10, 13)
    """
    return strip_tokens(raw, _markup_spans(raw))


def strip_tokens(raw: str, spans: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """`raw` with the spans (tags, entities, glosses; in text order) shown as what
    they stand for, and the map back to `raw`."""
    # one flat loop (a news page holds hundreds of tags); plain list.append calls,
    # which the compiled build turns into direct C calls
    parts: list[str] = []
    views: list[int] = []
    raws: list[int] = []
    raw_ends: list[int] = []
    literals: list[bool] = []
    block = _BLOCK.match
    unescape = html.unescape
    seen = _TOKEN_VIEW
    trad = _TRADITIONAL_TOKENS
    has_trad = _traditional_chars().search
    met_trad = False
    vpos = pos = 0
    for s, e in spans:
        if s > pos:
            parts.append(raw[pos:s]); views.append(vpos); raws.append(pos); raw_ends.append(s); literals.append(True)
            vpos += s - pos
        tok = raw[s:e]
        t = seen.get(tok)
        if t is None:
            # an entity shows as its character, a block tag as a line break (it ends
            # a sentence), any other tag as nothing; pages repeat the same few tags
            t = unescape(tok) if tok[0] == "&" else "\n" if block(tok) else ""
            kept = len(tok) < 64 and len(seen) < 4096
            if kept:
                seen[tok] = t
            if has_trad(tok):
                met_trad = True
                if kept:
                    trad.add(tok)
        elif trad and tok in trad:
            met_trad = True
        if not t:
            pos = e
            continue
        parts.append(t); views.append(vpos); raws.append(s); raw_ends.append(e); literals.append(False)
        vpos += len(t)
        pos = e
    if pos < len(raw) or not parts:
        parts.append(raw[pos:]); views.append(vpos); raws.append(pos); raw_ends.append(len(raw)); literals.append(True)
    omap = OffsetMap(views, raws, raw_ends, literals)
    _stripped_traditional[0] = met_trad
    return "".join(parts), omap


def _tag_kinds() -> bytes:
    """For each ASCII character after a '<': 0 no form starts (a digit, a blank …), 1 only
    a plain tag can (<p>, </strong>, <a href=…>: '<', the character and everything up to
    the next '>'), 2 a comment or a script-like block may too (<!--, <script, <style,
    <noscript, <template: the regex decides)."""
    t = bytearray(128)
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/?!":
        t[ord(ch)] = 2 if ch in "!sSnNtT" else 1
    return bytes(t)


_TAG_KIND: Final = _tag_kinds()
_TAG_BLOCKS: Final = ("!--", "script", "style", "noscript", "template")


def _tag_spans(raw: str) -> list[tuple[int, int]]:
    """What `_TAG.finditer` finds, with the regex entered only where a comment or a
    script-like block may start: two finds per plain tag instead of a match object
    (about 2,500 instructions each on a page of <p> and <strong>)."""
    out: list[tuple[int, int]] = []
    kinds = _TAG_KIND
    i = raw.find("<")
    while i >= 0:
        j = raw.find(">", i + 1)
        if j < 0:
            break           # every form ends with a '>': none here, none later
        c = ord(raw[i + 1])
        if c < 128:
            kind = kinds[c]
            if kind == 0:
                i = raw.find("<", i + 1)
                continue
            if kind == 1:
                out.append((i, j + 1))
                i = raw.find("<", j + 1)
                continue
            # s, n, t or !: a plain tag unless the name is one of the blocks; a
            # non-ASCII letter in it may fold to one under re.I (ſ is s): the regex decides
            head = raw[i + 1:min(j, i + 9)]
            if head.isascii() and not head.lower().startswith(_TAG_BLOCKS):
                out.append((i, j + 1))
                i = raw.find("<", j + 1)
                continue
        m = _TAG.match(raw, i)
        if m is None:
            i = raw.find("<", i + 1)
        else:
            out.append((i, m.end()))
            i = raw.find("<", m.end())
    return out


def _markup_spans(raw: str) -> list[tuple[int, int]]:
    """Tags, comments, script blocks and entities in text order; an entity inside a
    tag (<a href="?a=1&amp;b=2">) belongs to the tag."""
    tags = _tag_spans(raw)
    if "&" not in raw:
        return tags
    out: list[tuple[int, int]] = []
    k, n = 0, len(tags)
    for m in _ENTITY.finditer(raw):
        s, e = m.span()
        while k < n and tags[k][1] <= s:
            out.append(tags[k])
            k += 1
        if k < n and tags[k][0] < e:
            continue    # inside (or overlapping) the next tag: the tag wins, as it starts first
        out.append((s, e))
    out.extend(tags[k:])
    return out
