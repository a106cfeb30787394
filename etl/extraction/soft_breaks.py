"""Line breaks that are not breaks: where a report's text goes on over a newline.

A newline ends a sentence for the rules (text_spans), which is right for a report that
writes a paragraph a line. Two kinds of text break lines inside sentences, and then a
subject, a sentence and even a figure (2 / 68.9万平方米) are cut at every line's end:

- HTML source. A newline inside a page's text is white space, as any other; a browser
  shows none between two CJK characters and a space elsewhere (CSS Text, segment
  breaks). Pages written by hand or saved from Word wrap their source every 70-80
  characters.
- A hard-wrapped text file: a PDF's or an e-paper's text saved as .txt, every line cut
  at the same width. The whole report is then lines of one width, and the lines that
  reach it end mid-sentence.

The development reports saved these ways read 0.80-0.89 strict F1 against 0.977 as
written (bench/wrapped_reports.py; bench/RESULTS.md, "Reports whose lines are cut").
`normalize` drops these newlines from the view it matches on (with the white space
around them), through the same offset map as a page's tags, so offsets still point
into the file as written. Only the two shapes above are touched: a text file with a
paragraph a line, or any line shorter than its document's full width, keeps its break.
"""
from __future__ import annotations

from typing import Final

# A hard-wrapped document: at least this many lines reach its full width (within
# _slack of it, the most lines of any width do), and they hold at least this share of the text in its lines of CJK
# text wider than MIN_WIDTH; no more than this share of them is wider still (an
# unbreakable web address may be); and at least this share of them ends inside a sentence.
MIN_FULL: Final = 4
MIN_WIDTH: Final = 20          # display cells (a CJK character is two)
FULL_SHARE: Final = 0.5
WIDER_SHARE: Final = 0.05
OPEN_SHARE: Final = 0.5
# Where a full line may end its paragraph: the same marks as pdf_paragraphs.SENTENCE_ENDS,
# and after one of them a closing quote or bracket
SENTENCE_ENDS: Final = frozenset("。！？；：…!?;:")
CLOSERS: Final = frozenset("”’」』）)】》\"'")


def _width(line: str) -> int:
    """Display cells of a line: 2 for a character of three or four UTF-8 bytes (CJK
    text and its punctuation), 1 for ASCII (a Latin letter or a digit is half a CJK
    character in the fixed-width text a wrapper counts in)."""
    return (len(line.encode("utf-8", "surrogatepass")) + len(line)) // 2


def _mostly_cjk(line: str, width: int) -> bool:
    # at least half of the cells are wide characters
    return 2 * (width - len(line)) >= len(line)


def _slack(full: int) -> int:
    """How far short of the full width a full line may end: a wrapper does not split a
    number or a Latin word, and 。，may not start a line, so lines end a little early."""
    return max(4, full // 8)


def _ends_sentence(line: str) -> bool:
    i = len(line) - 1
    while i > 0 and line[i] in CLOSERS:
        i -= 1
    return line[i] in SENTENCE_ENDS


def _wide(c: str) -> bool:
    """CJK text or the punctuation it is set with: a CJK character, a full-width form,
    and the general punctuation Chinese text uses at full width (“ ” — …), as _width
    counts them (three or four bytes in UTF-8)."""
    return ord(c) >= 0x2000


def _table_row(line: str) -> bool:
    """A line laid out in columns (| cells, tabs, runs of spaces inside it): never a
    wrapped line. One | is a separator a page's line may hold (文件名称 | 标题); blanks
    before the text are an indent."""
    inner = line.strip()
    return line.count("|") > 1 or "\t" in inner or "  " in inner or "\u3000\u3000" in inner


# the general punctuation Chinese text sets at full width, whose width is ambiguous
_QUOTES: Final = "“”‘’—…"


def _width_narrow_quotes(line: str) -> int:
    """_width with “ ” ‘ ’ — … one cell each, as a wrapper that takes their ambiguous
    width as narrow counts them."""
    return _width(line) - _quotes(line)


def _quotes(line: str) -> int:
    n = 0
    for q in _QUOTES:
        n += line.count(q)
    return n


# A wrapper counts in display cells (a PDF's or a terminal's text: a CJK character two,
# a digit one; “ ” two or one) or in characters (a CJK character and a half-width comma
# one each): each count is tried, and the document's is the one in which more of its
# full lines end within a CJK character of the full width (TIGHT: 2 cells, 1 character).
MEASURES: Final = (_width, _width_narrow_quotes, len)
TIGHT: Final = (2, 2, 1)
# How much shorter than the full width a line that goes on may be, besides what starts
# the next line: a layout (in cells) moves a character down with the 。or ， that may not
# start a line; a count of characters (`fold`) fills every line to the last one.
PUSHED_DOWN: Final = (2, 2, 0)
# Marks no line starts with: a line that does began where a wrapper cut blindly (a
# line of `fold`, the second half of ……), so the line before goes on
NO_LINE_START: Final = frozenset("，。、；：？！…”’）」』】》,.;:?!)")


def full_width(lines: list[str]) -> tuple[int, int]:
    """(which of MEASURES, the width every full line reaches in it) for a hard-wrapped
    text; (0, 0) when the text is not hard-wrapped."""
    cells: list[int] = []
    narrow: list[int] = []
    chars: list[int] = []
    open_ends: list[bool] = []
    for ln in lines:
        t = ln.rstrip()
        if len(t) * 2 < MIN_WIDTH or _table_row(t):
            continue
        w = _width(t)
        if _mostly_cjk(t, w):
            cells.append(w)
            narrow.append(w - _quotes(t))
            chars.append(len(t))
            open_ends.append(not _ends_sentence(t))
    if len(cells) < MIN_FULL:
        return 0, 0
    found = (0, 0)
    found_n = 0
    for k, widths in enumerate((cells, narrow, chars)):
        full = _full_in(widths, open_ends, MIN_WIDTH if k < 2 else MIN_WIDTH // 2)
        if not full:
            continue
        n = 0
        for w in widths:
            if full - TIGHT[k] <= w <= full:
                n += 1
        if n > found_n:
            found, found_n = (k, full), n
    return found


def _full_in(line_widths: list[int], open_ends: list[bool], least: int) -> int:
    """The full width of lines of these widths (in one of MEASURES), 0 when they are not
    a hard-wrapped text's; `open_ends`: whether each line ends inside a sentence."""
    widths = sorted(w for w in line_widths if w >= least)
    if len(widths) < MIN_FULL:
        return 0
    # the width with the most lines in [width - slack, width] (the larger on a tie)
    best, best_n, lo = 0, 0, 0
    for hi, w in enumerate(widths):
        while widths[lo] < w - _slack(w):
            lo += 1
        if hi + 1 - lo >= best_n:
            best, best_n = w, hi + 1 - lo
    low = best - _slack(best)
    wider = full_mass = total = open_full = 0
    for i, w in enumerate(line_widths):
        if w < least:
            continue
        total += w
        if w > best:
            wider += 1
        elif w >= low:
            full_mass += w
            if open_ends[i]:
                open_full += 1
    if best_n < MIN_FULL or full_mass < FULL_SHARE * total or wider > WIDER_SHARE * best_n \
            or open_full < OPEN_SHARE * best_n:
        return 0
    return best


def wrapped_breaks(raw: str, ends: list[int]) -> list[tuple[int, int]]:
    """The spans of `raw` (a plain text whose lines end at `ends`,
    text_spans.line_ends_of) to read as nothing: in a hard-wrapped text, each full
    line's newline (with the blanks before it) that goes on into the next line, in text
    order. A line goes on when it reaches the full width (what starts the next line
    would not have fitted on it, or the next line starts with a mark no line starts
    with) and the next line is not blank or indented (a new paragraph) or a table's
    row; where the text marks no paragraph by a blank line or an indent, only when it
    does not end a sentence either (pdf_paragraphs does the same for a PDF's lines).
    Two Latin words keep their break."""
    if len(ends) < MIN_FULL or not _evenly_cut(raw, ends):
        return []
    lines = raw.split("\n")
    k, full = full_width(lines)
    if not full:
        return []
    measure = MEASURES[k]
    room = full - PUSHED_DOWN[k]
    short = full - _slack(full)
    set_apart = _sets_paragraphs_apart(lines)
    out: list[tuple[int, int]] = []
    pos = 0
    for i in range(len(lines) - 1):
        ln, nxt = lines[i], lines[i + 1]
        end = pos + len(ln)             # the newline
        pos = end + 1
        t = ln.rstrip()
        if not t or not nxt or nxt[0].isspace() or _table_row(t) or _table_row(nxt):
            continue
        w = measure(ln[:-1] if ln[-1] == "\r" else ln)      # a blank the wrapper kept counts
        # a wrapper ends a line early only when what comes next does not fit: one CJK
        # character (or two, where 。，may not start a line), or a number or a word
        if nxt[0] in NO_LINE_START:
            if w < short or w > full:
                continue
        elif w > full or w + measure(_first_word(nxt)) <= room or (_ends_sentence(t) and not set_apart):
            continue
        if t[-1].isascii() and t[-1].isalpha() and nxt[0].isascii() and nxt[0].isalpha():
            continue
        out.append((end - (len(ln) - len(t)), pos))
    return out


def _first_word(line: str) -> str:
    """What a wrapper keeps whole at the start of a line: a run of ASCII letters, digits
    and marks (a number, a word), else one character."""
    j = 0
    while j < len(line) and line[j].isascii() and not line[j].isspace():
        j += 1
    return line[:max(j, 1)]


def _sets_paragraphs_apart(lines: list[str]) -> bool:
    """Does the text mark its paragraphs, by a blank line or an indent, at least twice?
    Then a full line that ends a sentence goes on into a next line that is neither: its
    paragraph goes on (and the sentence before a figure may name what it counts)."""
    marks = 0
    seen_text = False
    for ln in lines:
        if not ln.strip():
            if seen_text:
                marks += 1
                seen_text = False
        else:
            seen_text = True
            if ln[0].isspace():
                marks += 1
        if marks >= 2:
            return True
    return False


def _evenly_cut(raw: str, ends: list[int]) -> bool:
    """A cheap first look at the lines' lengths and last characters (every text is
    looked at): half the text is in lines at least half as long as the longest tenth,
    few lines are much longer, and many end inside a sentence. A report written a
    paragraph a line fails it: its lines end sentences."""
    lengths: list[int] = []
    open_ends = 0
    start = 0
    least = MIN_WIDTH // 2
    for e in ends:
        n = e - 1 - start
        if n >= least:
            lengths.append(n)
            last = raw[e - 3] if raw[e - 2] == "\r" else raw[e - 2]
            if last not in SENTENCE_ENDS and last not in CLOSERS:
                open_ends += 1
        start = e
    if len(raw) - start >= least:
        lengths.append(len(raw) - start)
    if len(lengths) < MIN_FULL or open_ends < MIN_FULL or 5 * open_ends < 2 * len(lengths):
        return False
    lengths.sort()
    top = lengths[(len(lengths) - 1) * 9 // 10]
    near = total = longer = 0
    for w in lengths:
        total += w
        if 2 * w >= top and 4 * w <= 5 * top:
            near += w
        elif 2 * w > 3 * top:
            longer += 1
    return 2 * near >= total and longer <= max(1, len(lengths) // 20)


def joined(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` without the spans (wrapped_breaks'), for what reads a text without offsets
    (a report's metadata): a hard-wrapped text as its paragraphs."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


# tags whose text keeps its newlines (a browser shows them as they are)
_KEEPS_NEWLINES: Final = ("<pre", "<textarea", "<listing", "<plaintext", "<xmp")


def markup_soft_breaks(raw: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """In an HTML source whose tags and entities are `spans` (text order): each run of
    white space holding a newline inside the page's text, between two characters of
    which one is CJK text, in text order (a browser shows nothing there; between two
    words it shows a space, and the newline is kept as the break it already is). A
    newline next to a tag is left alone (the tag says whether it is a break), and so is
    the text of <pre> and <textarea>."""
    out: list[tuple[int, int]] = []
    keep = False
    prev_end = 0
    for s, e in spans + [(len(raw), len(raw))]:
        if not keep and s - prev_end > 2:
            _soft_in(raw, prev_end, s, out)
        if e > s and raw[s] == "<":
            head = raw[s:s + 10].lower()
            if head.startswith(_KEEPS_NEWLINES):
                keep = True
            elif keep and head.startswith("</") and ("<" + head[2:]).startswith(_KEEPS_NEWLINES):
                keep = False
        prev_end = e
    return out


def _soft_in(raw: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    """The soft newlines of raw[a:b], a stretch of text between two tags."""
    i = raw.find("\n", a, b)
    while i >= 0:
        s, e = i, i + 1
        while s > a and raw[s - 1] in " \t\r":
            s -= 1
        while e < b and raw[e] in " \t\r\n":
            e += 1
        if s > a and e < b and (_wide(raw[s - 1]) or _wide(raw[e])):
            out.append((s, e))
        i = raw.find("\n", e, b)
