"""The view of a report that the rules match on, with a way back to the original.

Matching happens on simplified, half-width text (萬 -> 万, １２３ -> 123), so the rule
files need one spelling only. OpenCC's t2s conversion keeps the length of almost every
line, so offsets carry over unchanged; where a line would change length it is
converted character by character instead, and the view stays the same length as the
original. Only markup (HTML source given to `extract`) makes a shorter view; then an
index map leads back to the raw text.
"""
from __future__ import annotations

import html
import re
from array import array
from dataclasses import dataclass
from functools import cache

# Full-width ASCII forms to ASCII, except the full-width comma: "，" is the Chinese
# comma, and turning it into "," would glue 3，500 into a thousands separator.
_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if c != 0xFF0C}
_HALF[0x3000] = 0x20   # ideographic space


@dataclass(frozen=True, slots=True)
class NormText:
    raw: str                    # the text as read; offsets in claims point here
    text: str                   # simplified, half-width view used for matching
    to_raw: array | None = None  # view index -> raw index; None when they coincide

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if self.to_raw is None:
            return start, end
        return self.to_raw[start], self.to_raw[end - 1] + 1


@cache
def _t2s():
    import opencc  # imported lazily: loading the dictionaries costs time
    return opencc.OpenCC("t2s").convert


@cache
def _traditional_chars() -> re.Pattern:
    """The characters t2s changes, as one character class (built once from the CJK
    block): searching for it is much cheaper than converting a simplified text."""
    block = "".join(map(chr, range(0x3400, 0xA000)))
    conv = _t2s()(block)
    if len(conv) != len(block):   # cannot line up: convert every text
        return re.compile("")
    changed = sorted({a for a, b in zip(block, conv) if a != b})
    return re.compile("[" + "".join(changed) + "]")


def to_simplified(text: str) -> str:
    """Traditional to simplified with the length kept (so offsets carry over).

    >>> to_simplified("全國政協機關77名局級幹部")
    '全国政协机关77名局级干部'
    """
    if not _traditional_chars().search(text):
        return text      # most reports are simplified already: skip the conversion
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        conv = convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else o for o, c in ((o, convert(o)) for o in line))
        fixed.append(conv)
    return "\n".join(fixed)


def normalize(raw: str, *, markup: bool = False) -> NormText:
    """The matching view of `raw`; with markup=True, HTML tags, comments, scripts and
    styles are dropped and entities decoded, keeping a map back to `raw`."""
    if markup:
        text, to_raw = strip_markup(raw)
    else:
        text, to_raw = raw, None
    view = to_simplified(text)
    if _FULLWIDTH_RUN.search(view):   # translate is slow per character: only where needed
        view = _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_HALF), view)
    return NormText(raw, view, to_raw)


_FULLWIDTH_RUN = re.compile("[\uff01-\uff0b\uff0d-\uff5e\u3000]+")


_MARKUP = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<[A-Za-z/!?][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);",
    re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|td|th|table|h[1-6]|section|article|header|footer|nav|title|blockquote|pre|dd|dt)\b", re.I)


def strip_markup(raw: str) -> tuple[str, array]:
    """Visible text of an HTML source and, for each of its characters, the raw offset.

    >>> t, m = strip_markup("<p>共&nbsp;30条</p><script>var x=5;</script>")
    >>> t.strip(), m[t.index("3")]
    ('共\\xa030条', 10)
    """
    parts: list[str] = []
    to_raw = array("i")
    pos = 0
    for m in _MARKUP.finditer(raw):
        if m.start() > pos:
            chunk = raw[pos:m.start()]
            parts.append(chunk)
            to_raw.extend(range(pos, m.start()))
        tok = m.group()
        if tok.startswith("&"):
            ch = html.unescape(tok)
            parts.append(ch)
            to_raw.extend([m.start()] * len(ch))
        elif _BLOCK.match(tok):
            parts.append("\n")       # a block boundary ends a sentence
            to_raw.append(m.start())
        pos = m.end()
    if pos < len(raw):
        parts.append(raw[pos:])
        to_raw.extend(range(pos, len(raw)))
    return "".join(parts), to_raw
