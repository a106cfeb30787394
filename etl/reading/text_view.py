"""The views of a report's text that the metadata rules match on.

Matching runs on a simplified view (OpenCC t2s keeps the length), so a report in
traditional script gives the same simplified canonical names; the squeezed view drops
quotation marks and spaces, so “不忘初心、牢记使命”主题教育 and 不忘初心牢记使命主题教育 match alike.
"""
from __future__ import annotations

import re
import sys
from functools import cache, lru_cache, wraps
from typing import Callable, TypeVar

from ..extraction import literal_scan
from ..extraction.text_spans import first_marked
from ..regex_cache import regex

_Answer = TypeVar("_Answer")
CJK = "\u4e00-\u9fff"
# Quotation marks, brackets, spaces, 、 and · carry no meaning for a campaign name:
# “不忘初心、牢记使命”主题教育 and 不忘初心牢记使命主题教育 are the same words.
_SQUEEZE_CHARS = "“”\"'‘’「」『』《》〈〉【】 \t\r\u3000\xa0、·・"
_SQUEEZE = re.compile(f"[{re.escape(_SQUEEZE_CHARS)}]+")
# Paragraph breaks inside one physical line (002 is a single line: 。 + space): a run of
# these spaces right after one of these sentence ends.
_BREAK_SPACES = " \t\u3000\xa0"
_SENTENCE_ENDS = "。！？!?…”"


@cache
def _t2s():
    import opencc  # imported on first use: no work at import time
    return opencc.OpenCC("t2s")


@cache
def _traditional_chars() -> str | None:
    """The characters t2s changes (found by converting the CJK blocks once), or None when
    the conversion does not line up (then every text is converted)."""
    block = "".join(map(chr, range(0x3400, 0xA000)))
    conv = _t2s().convert(block)
    if len(conv) != len(block):
        return None
    return "".join(sorted({a for a, b in zip(block, conv) if a != b}))


@cache
def _traditional() -> re.Pattern:
    """The characters t2s changes, as one class: has_traditional's search until numpy pays
    (tests/test_reading_fast_paths.py holds the two ways equal)."""
    chars = _traditional_chars()
    return regex("text_view.traditional", "[" + chars + "]" if chars is not None else "")


@cache
def _traditional_table() -> bytes:
    return literal_scan.char_table(_traditional_chars() or "")


@cache
def numpy_lib():
    import numpy  # on first use only, and only once numpy_pays() says so
    return numpy


# `etl run` starts without numpy (etl/lean_imports.py: its import is 0.08-0.11 s of CPU, a
# fifth of a one-file run's start). The numpy paths save about 135 instructions a character
# on the regex paths (bench/RESULTS.md, desc23i), so its import pays once a process has read
# about 1.7 M characters: below this many, the str and regex paths (the same answers) are
# taken. The compiled scans (literal_scan) cost less than the numpy paths, numpy's import
# aside (describe on the bench corpus: 7,373 -> 5,896 M instructions, desc30), so with the
# compiled build numpy is never taken up, nor used when loaded.
NUMPY_AFTER_CHARS = 2_000_000
_chars_read = [0]


def numpy_pays(n: int) -> bool:
    """Whether to take the numpy paths for a text of `n` characters: never with the
    compiled build; else numpy is loaded already, or the texts read so far in this
    process (n included) add up to NUMPY_AFTER_CHARS."""
    if literal_scan.COMPILED:
        return False
    if "numpy" in sys.modules:
        return True
    _chars_read[0] += n
    return _chars_read[0] >= NUMPY_AFTER_CHARS


@cache
def char_table(chars: str):
    """A lookup table over every code point, True for `chars` (numpy bools, 1.1 MB of which
    only the pages a text's characters fall in are ever read)."""
    np = numpy_lib()
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in chars]] = True
    return table


def code_points(text: str):
    """The code points of `text` as a numpy uint32 array, in one C copy.

    >>> code_points("a中😀").tolist(), code_points("").tolist()
    ([97, 20013, 128512], [])
    """
    np = numpy_lib()
    return np.array(text).reshape(1).view(np.uint32)[:len(text)]


# the last text whose code points were asked for, and them: has_traditional reads a report's
# and squeezed the same ones again (kept by identity, read-only)
_last_points: list = [None, None]


def text_points(text: str):
    """code_points(text), kept for the last text asked for (read-only)."""
    if text is not _last_points[0]:
        points = code_points(text)
        points.flags.writeable = False
        _last_points[:] = [text, points]
    return _last_points[1]


def looked_up(table, points):
    """table[points]: take() in clip mode (the code points are all in range, so nothing is
    clipped) runs two to three times as fast as numpy's fancy indexing."""
    return table.take(points, mode="clip")


def has_traditional(text: str) -> bool:
    """Whether `text` holds a character t2s changes: with the compiled build, each
    character looked up in a table by its code point (text_spans.first_marked, ~30
    instructions a character); else once numpy pays, the same in numpy (0.046 s on the
    bench corpus), before that the regex search for the class, which tests them one by
    one in the engine (0.067 s, ~60 instructions a character)."""
    chars = _traditional_chars()
    if chars is None:
        return True
    if literal_scan.COMPILED:   # every character t2s changes is in the basic plane
        return first_marked(text, 0, _traditional_table()) >= 0
    if not numpy_pays(len(text)):
        return bool(_traditional().search(text))
    return bool(looked_up(char_table(chars), text_points(text)).any())


def kept_by_identity(fn: Callable[[str], _Answer]) -> Callable[[str], _Answer]:
    """`fn`'s answers for the last _KEPT_TEXTS texts it was given, found by identity (`is`):
    a whole report, which an lru_cache would hash (siphash over every character, once per
    text object: describe hashed the simplified and the squeezed view of every report,
    13 M instructions on /tmp/b100, desc30). describe hands the same objects from one
    finder to the next; an equal text passed as another object is answered anew, alike.
    The memo holds the texts, so no other object can take one's id while it is kept."""
    kept: list[tuple[str, _Answer]] = []

    @wraps(fn)
    def cached(text: str) -> _Answer:
        for seen, answer in kept:
            if seen is text:
                return answer
        answer = fn(text)
        kept.insert(0, (text, answer))
        del kept[_KEPT_TEXTS:]
        return answer

    cached.cache_clear = kept.clear  # type: ignore[attr-defined]  (as lru_cache's)
    return cached


_KEPT_TEXTS = 4


@lru_cache(maxsize=32)
def simplified(text: str) -> str:
    """The simplified-script view of `text` (OpenCC t2s, same length for these texts);
    a text with no traditional character is its own view.

    >>> simplified("全國政協機關")
    '全国政协机关'
    """
    if not text:
        return text
    if not has_traditional(text):
        return text
    return _t2s().convert(text)


def simplified_given(text: str, view: str | None) -> str:
    """The simplified view of `text`: `view` when the caller has it (extraction's,
    `NormText.raw_simplified`: `etl run` extracts a report, then describes the same text),
    counted as simplified() counts a text, so numpy is taken up alike; else
    simplified(text)."""
    if view is None or not text:
        return simplified(text)
    if numpy_pays(len(text)):
        numpy_lib()
    return view


def squeeze(text: str) -> str:
    """Drop quotation marks, brackets, spaces, 、 and · (the campaign-matching view).

    A long text is squeezed by the compiled scan when the build runs, else in numpy once
    it is loaded: its code points looked up in a table of the dropped characters, the
    others kept and decoded (one pass of each, where a str.replace per character present
    took a count and a copy each: 0.170 -> 0.089 s on the bench corpus;
    tests/test_reading_fast_paths.py holds it equal to the regex).

    >>> squeeze("“不忘初心、牢记使命”主题教育")
    '不忘初心牢记使命主题教育'
    """
    if len(text) < 200:
        return _SQUEEZE.sub("", text)
    if literal_scan.COMPILED or "numpy" not in sys.modules:  # squeezed() decides alike
        if literal_scan.COMPILED:   # one compiled pass: 106 -> 43 M on /tmp/b100 (describe28)
            return literal_scan.without_chars(text, squeeze_table())
        for c in _SQUEEZE_CHARS:  # one C-level pass per character beats the regex
            if c in text:
                text = text.replace(c, "")
        return text
    points = code_points(text)
    drop = looked_up(char_table(_SQUEEZE_CHARS), points)
    if not drop.any():
        return text
    # utf-32 holds every code point as itself; surrogatepass: a lone surrogate stays as it was
    return points[~drop].tobytes().decode("utf-32-le", "surrogatepass")


@cache
def squeeze_table() -> bytes:
    """The characters the squeeze drops, as a char_table (literal_scan)."""
    return literal_scan.char_table(_SQUEEZE_CHARS)


@kept_by_identity
def _breaks(simp: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each run of spaces right after a sentence end, in text order.

    Found from the spaces, which are rare in these reports (one character in 240 on the
    bench corpus), by str.find: a regex for the sentence end and its spaces tested a
    character class at every character (tests/test_reading_fast_paths.py holds the two
    equal)."""
    starts: list[int] = []
    for c in _BREAK_SPACES:
        at = simp.find(c)
        while at >= 0:
            if at and simp[at - 1] in _SENTENCE_ENDS:   # the first space of a run
                starts.append(at)
            at = simp.find(c, at + 1)
    runs = []
    n = len(simp)
    for start in sorted(starts):
        end = start + 1
        while end < n and simp[end] in _BREAK_SPACES:
            end += 1
        runs.append((start, end))
    return tuple(runs)


@cache
def _break_tables() -> tuple[bytes, bytes]:
    """The spaces of a paragraph break and the sentence ends before one, as char tables."""
    return literal_scan.char_table(_BREAK_SPACES), literal_scan.char_table(_SENTENCE_ENDS)


@kept_by_identity
def paragraphs(simp: str) -> str:
    """`simp` with sentence-final spaces turned into newlines (same length; `simp` itself
    when it has none).

    >>> paragraphs("一。 二！\u3000 三 四")
    '一。\\n二！\\n\\n三 四'
    """
    if literal_scan.COMPILED:   # each space tested compiled: 41.7 -> 21.8 M (every 7th bench file)
        spaces, ends = _break_tables()
        return literal_scan.paragraph_breaks(simp, _BREAK_SPACES, spaces, ends)
    runs = _breaks(simp)
    if not runs:
        return simp
    out: list[str] = []
    pos = 0
    for start, end in runs:
        out += (simp[pos:start], "\n" * (end - start))
        pos = end
    out.append(simp[pos:])
    return "".join(out)


@kept_by_identity
def squeezed(simp: str) -> str:
    """The campaign/tag matching view: paragraphs kept, quotes and spaces dropped
    (squeeze(paragraphs(simp)), made from the code points has_traditional read: the
    paragraph breaks set to newlines there, the dropped characters left out)."""
    if literal_scan.COMPILED or "numpy" not in sys.modules:  # the compiled scan, or no numpy
        return squeeze(paragraphs(simp))
    points = text_points(simp)
    runs = _breaks(simp)
    if runs:
        points = points.copy()
        for start, end in runs:
            points[start:end] = 10   # "\n", never dropped
    drop = looked_up(char_table(_SQUEEZE_CHARS), points)
    if not drop.any():
        return paragraphs(simp)
    return points[~drop].tobytes().decode("utf-32-le", "surrogatepass")


def head_lines(text: str, n: int) -> list[str]:
    """`text.splitlines()[:n]`, without splitting the whole text.

    >>> head_lines("a\\nb\\r\\nc\\n", 2), head_lines("a\\nb", 5)
    (['a', 'b'], ['a', 'b'])
    """
    # a prefix of 1,024 characters first, doubled while it holds too few lines: the 60
    # lines find_title asks for take 1,000-2,000 characters of a report, and each split
    # makes every line of its prefix (4,096 at first: 14.4 -> 7.7 M on every 7th bench file)
    if literal_scan.COMPILED and n > 0:
        # the prefix that ends at the n-th "\n" holds the first n lines whole (other breaks
        # only split it further): one split of what is needed (14 M -> 8 M, desc33)
        end = literal_scan.nth_end(text, "\n", n)
        if end >= 0:
            return text[:end].splitlines()[:n]
    size = 1024
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > n:  # line n+1 starts inside the prefix: the first n are whole
            return lines[:n]
        size *= 2
    return text.splitlines()[:n]


# a line's text without its spaces at either end (what str.strip leaves: \S is the same test
# of a space as strip's); its matches are the lines that are not blank, in order
_LINE_BODY = re.compile(r"\S(?:[^\n]*\S)?")


def lead_end(view: str, *, min_body: int = 60, max_lines: int = 15) -> int:
    """Offset where the lead ends: after the first body paragraph (a line of at least
    `min_body` characters) among the first `max_lines` non-empty lines.

    The lines that are not blank are found by one regex search each, which passes over
    blank lines and a line's characters in C: split lines walked in Python cost ~66,000
    instructions a report, most of them on the blank lines between markdown paragraphs
    (27.1 -> 18.1 M on every 7th bench file, called twice a report; tests/test_reading_fast_paths.py
    holds it equal to the line walk).

    >>> lead_end("标题\\n" + "正" * 70 + "\\n后文")
    73
    """
    seen = 0
    for m in _LINE_BODY.finditer(view):
        if m.end() - m.start() >= min_body:
            end = view.find("\n", m.end())
            return end if end >= 0 else len(view)
        seen += 1
        if seen >= max_lines:
            break
    return min(len(view), 600)
