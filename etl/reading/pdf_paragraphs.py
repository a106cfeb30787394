"""A PDF's text as a report's text: its printed lines joined back into paragraphs, and
the radicals a CJK font's text layer names put back as the ideographs they show.

pypdf gives a PDF's text as it is laid out: one line of text per printed line, so a
sentence, a subject and even a figure (27 / 万元) are cut wherever the line was full,
and every cut reads as a paragraph's end. Many PDF writers also name a glyph by the
lowest code point the font maps to it, so 人 drawn in Noto CJK copies as the Kangxi
radical ⼈ (U+2F08) and 风 as ⻛ (U+2EDB) (etl/exports/pdf_text.py fixes our own
exports the same way). The dev reports printed to PDF by Chromium read 0.61 strict F1
as they came out of pypdf, against 0.98 as text (bench/RESULTS.md, pdf37).

For a PDF the text we read is the original every offset points into, so it is built
here, once. A printed line goes on into the next when it is filled to the text's right
edge and the next line is the same size of type, no further below than lines of a
paragraph are (a paragraph's gap is more), and not indented (a paragraph's first line
is); on a page that sets no paragraph apart by a gap or an indent, and over a page's
end, only when it does not end a sentence either. Where the PDF gives no positions,
the line's width in characters stands in for them. CJK text on both sides is joined
directly, two words or numbers with a space. A page's first or last line that is only a
page number, or that repeats at the top or bottom of other pages (a running header or
footer), is page furniture and left out. Beside that: the space pypdf writes into each
widened gap of a spaced-out justified line is dropped inside CJK words, and —— drawn as
one glyph is ——. Nothing else changes: a short line, a gap, an indent stay breaks.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from statistics import median
from typing import Any

# Where a line may end a paragraph: a sentence's end, a colon before a list, a
# semicolon between items (ASCII forms too: some text layers give them for the wide ones)
SENTENCE_ENDS = frozenset("。！？；：…!?;:")
# A filled line ends within this many ems of the text's right edge (a CJK line breaks
# anywhere, but a figure or a word is not split, and 。，may not start a line)
FILLED_EMS = 2.5
# Without positions: a line this much of the widest lines' width in characters (a
# digit or Latin letter counted half a CJK character)
FILLED_SHARE = 0.8
# A paragraph's next line is at most this much further down than the page's usual
# line pitch; a first line is indented by at least this many ems
PITCH_SLACK = 1.25
INDENT_EMS = 1.0
# A page number as pages print it: - 2 -, — 2 —, 第2页, 2/5, 第 2 页 共 5 页. A bare number
# is one only where the pages' bare numbers count up with the pages (_numbered_pages):
# a report may set a figure on a line of its own (375, then the sentence about it).
_PAGE_NUMBER = re.compile(r"[\-—–－·•]\s*\d{1,4}\s*[\-—–－·•]|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*[/／]\s*\d{1,4}")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_LATIN = re.compile(r"[0-9A-Za-z]")


@dataclass(slots=True)
class Line:
    """A printed line: its text, and where it stands on the page (PDF points, y growing
    upwards; None where the PDF gave no position) and the size of its type."""
    text: str
    x0: float | None = None
    x1: float | None = None      # the right end of its last character (estimated)
    y: float | None = None
    size: float | None = None

    @property
    def placed(self) -> bool:
        return self.x0 is not None and self.x1 is not None and self.y is not None and bool(self.size)


def page_lines(page: Any) -> list[Line]:
    """A pypdf page's text (`extract_text`, with radicals folded) as lines with their
    positions: the pieces pypdf hands its visitor make up that text exactly."""
    pieces: list[tuple[str, Any, Any, Any]] = []

    def seen(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        pieces.append((text, cm, tm, size))
    text = page.extract_text(visitor_text=seen)
    try:
        if "".join(p[0] for p in pieces) == text:       # else a pypdf that reports otherwise
            return _placed_lines(pieces)
    except (TypeError, ValueError, ArithmeticError):
        pass        # a matrix of another shape: the text without positions, not no text
    return [Line(_with_dashes(fold_look_alikes(t))) for t in text.split("\n")]


def _placed_lines(pieces: list[tuple[str, Any, Any, Any]]) -> list[Line]:
    """The lines the pieces make, each placed where its pieces stand."""
    lines: list[Line] = []
    current = Line("")
    parts: list[str] = []
    for piece, cm, tm, size in pieces:
        chunks = piece.split("\n")
        for k, chunk in enumerate(chunks):
            if k:
                current.text = "".join(parts)
                lines.append(current)
                current, parts = Line(""), []
            if not chunk:
                continue
            if chunk[0] == " " and len(chunk) > 1 and parts and _gap_in_a_word(parts[-1][-1], chunk[1]):
                chunk = chunk[1:]
            parts.append(chunk)
            if chunk.strip():
                _place(current, chunk, tuple(cm), tuple(tm), float(size))
    current.text = "".join(parts)
    lines.append(current)
    for line in lines:
        line.text = _with_dashes(fold_look_alikes(line.text))
    return lines


# A shaping engine draws —— (two U+2014) as one two-em dash glyph, and the text layer
# then names it U+2E3A: the report wrote two
_DASHES = {"\u2e3a": "——", "\u2e3b": "———"}


def _with_dashes(text: str) -> str:
    if "\u2e3a" in text or "\u2e3b" in text:
        for one, many in _DASHES.items():
            text = text.replace(one, many)
    return text


def _gap_in_a_word(before: str, after: str) -> bool:
    """Is the space pypdf put before a piece of text (it saw a gap there) one that no
    Chinese text has: between two characters of words or figures, one of them CJK?
    A justified line whose letters were spaced out to fill it has such a gap at every
    letter (国内 外 1000 余 家 企 业), which cut words and subjects. A space the PDF
    draws comes as a piece of its own, and a space beside punctuation (名称 | …) stays."""
    before, after = fold_look_alikes(before), fold_look_alikes(after)     # ⽬ is 目
    return before.isalnum() and after.isalnum() and (_wide(before) or _wide(after))


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _place(line: Line, chunk: str, cm: tuple, tm: tuple, size: float) -> None:
    """Widen the line's extent by a piece of text drawn at text matrix `tm` under
    `cm` (an unrotated page: the x and y scales only)."""
    if len(cm) < 6 or len(tm) < 6:
        return
    sx = cm[0] * tm[0]
    if cm[1] or cm[2] or tm[1] or tm[2] or not sx:
        return          # rotated or skewed text: its extent is not along the line
    x = cm[0] * tm[4] + cm[4]
    y = cm[3] * tm[5] + cm[5]
    em = abs(size * sx)
    end = x + em * _width(chunk.rstrip()) / 2
    if line.x0 is None:
        line.x0, line.y, line.size = x, y, em
    line.x1 = end if line.x1 is None else max(line.x1, end)


def pdf_text(pages: list[list[Line]]) -> str:
    """The report's text from its pages' lines (`page_lines`)."""
    running = _running_lines(pages)
    numbered = _numbered_pages(pages)
    kept = [_without_furniture(page, running if k else set(), numbered.get(k)) for k, page in enumerate(pages)]
    filled_chars = _filled_chars([ln for page in kept for ln in page])
    # a page of a line or two shows no layout of its own: the document's pages share one
    whole = _Page.of([ln for page in kept for ln in page])
    out: list[str] = []
    last: Line | None = None
    last_page: _Page | None = None
    for page in kept:
        if not page:
            continue
        shape = _Page.of(page)
        if shape.right is None:
            shape = whole
        for i, line in enumerate(page):
            if last is not None:
                if i == 0:
                    # over a page's end no gap can be seen: a sentence's end stays a break
                    goes_on = _fills(last, last_page, filled_chars, set_apart=False) and \
                        _continues(last, line, shape, pitch=False)
                    brk = "\n\n"
                else:
                    goes_on = _fills(last, shape, filled_chars) and _continues(last, line, shape, pitch=True)
                    brk = "\n"
                out.append(_joint(last.text, line.text) if goes_on else brk)
            out.append(line.text)
            last = line
        last_page = shape
    return "".join(out)


@dataclass(slots=True)
class _Page:
    left: float | None         # where most lines start
    right: float | None        # the text's right edge
    pitch: float | None        # the usual distance from a line to the next
    # paragraphs are set apart (a gap or an indent on the page): then a filled line is
    # its paragraph's too, however it ends
    set_apart: bool = False

    @staticmethod
    def of(lines: list[Line]) -> _Page:
        placed = [ln for ln in lines if ln.placed and ln.text.strip()]
        if len(placed) < 2:
            return _Page(None, None, None)
        left = float(Counter(round(ln.x0) for ln in placed).most_common(1)[0][0])
        steps = [a.y - b.y for a, b in zip(placed, placed[1:]) if a.y > b.y and abs(a.size - b.size) < 0.5]
        pitch = median(steps) if steps else None
        set_apart = (pitch is not None and any(s > PITCH_SLACK * pitch for s in steps)) or \
            any(ln.x0 >= left + INDENT_EMS * ln.size for ln in placed)
        return _Page(left, _right_edge(placed), pitch, set_apart)


def _right_edge(lines: list[Line]) -> float:
    """Where filled lines end: the furthest end of a line of mostly CJK text, whose
    extent is known (a CJK character is an em wide; a Latin letter, taken as half an
    em, may be more), or of any line where no line is mostly CJK."""
    cjk = [ln.x1 for ln in lines if 2 * sum(map(_wide, ln.text)) >= len(ln.text.strip())]
    return max(cjk or [ln.x1 for ln in lines])


def _fills(line: Line, page: _Page | None, filled_chars: float, *, set_apart: bool = True) -> bool:
    """Is the line filled to the right edge, and not its paragraph's last? Where the
    page sets paragraphs apart, any filled line goes on (the next line says whether it
    is a new paragraph); elsewhere only one that does not end a sentence."""
    text = line.text.rstrip()
    if not text:
        return False
    if line.placed and page is not None and page.right is not None:
        return line.x1 >= page.right - FILLED_EMS * line.size and \
            ((set_apart and page.set_apart) or text[-1] not in SENTENCE_ENDS)
    return text[-1] not in SENTENCE_ENDS and filled_chars > 0 and _width(text) >= FILLED_SHARE * filled_chars


def _continues(line: Line, after: Line, page: _Page, *, pitch: bool) -> bool:
    """Is `after` set as the next line of `line`'s paragraph (the same type, not further
    down than a paragraph's lines are, not indented)?"""
    if not after.text.strip():
        return False
    if not (line.placed and after.placed):
        return True
    if abs(line.size - after.size) >= 0.5:
        return False
    if pitch and page.pitch is not None and not 0 < line.y - after.y <= PITCH_SLACK * page.pitch:
        return False
    return page.left is None or after.x0 < page.left + INDENT_EMS * after.size


def _joint(before: str, after: str) -> str:
    """What stands between a filled line and the next one: nothing between CJK text,
    a space between two words or numbers (the line break was their space)."""
    a, b = before.rstrip(), after.lstrip()
    return " " if a and b and _LATIN.match(a[-1]) and _LATIN.match(b[0]) else ""


def _width(text: str) -> int:
    """Printed width in half-width cells (a CJK character or a wide form: two)."""
    return sum(2 if _wide(c) else 1 for c in text)


def _filled_chars(lines: list[Line]) -> float:
    """The width in cells of a full line: what most lines reach (the 80th percentile of
    the non-empty lines'), 0 with too few lines to tell."""
    widths = sorted(_width(ln.text.rstrip()) for ln in lines if ln.text.strip())
    if len(widths) < 3:
        return 0.0
    return float(widths[int(0.8 * (len(widths) - 1))])


def _running_lines(pages: list[list[Line]]) -> set[str]:
    """A page's first or last line that repeats as the first or last line of another
    page: a running header or footer."""
    if len(pages) < 2:
        return set()
    ends: Counter[str] = Counter()
    for page in pages:
        text = [ln.text.strip() for ln in page if ln.text.strip()]
        ends.update({text[0], text[-1]} if text else set())
    return {t for t, n in ends.items() if n >= 2}


def _numbered_pages(pages: list[list[Line]]) -> dict[int, str]:
    """page index -> its bare page number line, where the bare numbers at the pages'
    tops or bottoms count up with the pages (on two pages at least, or a lone page's 1)."""
    found: dict[int, dict[int, str]] = {}      # offset (number - index) -> {index: line}
    for k, page in enumerate(pages):
        text = [ln.text.strip() for ln in page if ln.text.strip()]
        for line in {text[0], text[-1]} if text else ():
            if _BARE_NUMBER.fullmatch(line):
                found.setdefault(int(line) - k, {})[k] = line
    best = max(found.values(), key=len, default={})
    return best if len(best) >= 2 or (len(pages) == 1 and found.get(1)) else {}


def _without_furniture(page: list[Line], running: set[str], number: str | None) -> list[Line]:
    """The page's lines without blank ends, and without a page number or a running line
    (not on the first page: a report's title may be its running header too) at its top
    or bottom."""
    lines = list(page)
    for at in (-1, 0, -1, 0):
        while lines and not lines[at].text.strip():
            lines.pop(at)
        if lines:
            text = lines[at].text.strip()
            if text in running or text == number or _PAGE_NUMBER.fullmatch(text):
                lines.pop(at)
    return lines


def fold_look_alikes(text: str) -> str:
    """`text` with each CJK radical (U+2E80-2FDF) a font draws as an ideograph written
    as that ideograph (⼈ -> 人, ⻛ -> 风): data/rules/cjk_radicals.yaml, then Unicode's
    own compatibility mapping (the Kangxi radicals). Same length: one character for one."""
    if not _RADICALS.search(text):
        return text
    table = _fold_table()
    return _RADICALS.sub(lambda m: table.get(m.group(), m.group()), text)


_RADICALS = re.compile("[\u2e80-\u2fdf]")


@cache
def _fold_table() -> dict[str, str]:
    from ..rules import cjk_look_alikes
    table = dict(cjk_look_alikes())
    for cp in range(0x2F00, 0x2FE0):
        c = chr(cp)
        nfkc = unicodedata.normalize("NFKC", c)
        if c not in table and len(nfkc) == 1 and nfkc != c:
            table[c] = nfkc
    return table
