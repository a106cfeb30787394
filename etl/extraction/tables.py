"""Figures in tables: for a figure in a table cell, its column header, the unit the
header (or a 单位：万元 line above the table) gives, and the row label.

Public notices (公示) are often tables, and a bare 36.5 in a column headed 总额(万元) is
36.5万元 of whatever the header or the row names. Tables reach the extractor in two shapes:

    text      one row per line: markdown pipes (| a | b |, trafilatura's table rows),
              tab-separated cells (a .docx row, see reading/ingest.py) or columns
              aligned with two or more spaces; offsets are view offsets
    markup    <table>/<tr>/<td> in HTML source (the view shows each cell on a line of
              its own, so the rows are read from the source); offsets are raw offsets

`read_tables` finds them and tells each mention in a cell what the table says about it;
text with no pipe, tab, double space or <table> costs a few substring searches. The
header and row words are data (data/rules/tables.yaml).
"""
from __future__ import annotations

from typing import Final

import html
import re
from bisect import bisect_right
from decimal import Decimal
from functools import cache

from .. import rules
from ..claim import COUNTED_CLASSES, Claim
from ..rules import Unit
from .classify import classify
from .normalize import NormText, to_simplified
from .scanner import Mention
from .text_spans import Boundaries


class TableRules:
    """data/rules/tables.yaml."""

    __slots__ = ("serial_headers", "total_labels", "subtotal_labels", "measure_headers",
                 "implied_units", "unit_line", "unit_line_reach", "spaced_min_rows",
                 "spaced_max_cell")

    def __init__(self, d: dict) -> None:
        def words(key: str) -> frozenset[str]:
            return frozenset(rules.words(d.get(key), f"tables.yaml: {key}", rules.RuleError))

        self.serial_headers = frozenset(w.lower() for w in words("serial_headers"))
        self.total_labels = words("total_labels")
        self.subtotal_labels = words("subtotal_labels")
        self.measure_headers = words("measure_headers")
        implied = d.get("implied_units") or {}
        if not isinstance(implied, dict):
            raise rules.RuleError("tables.yaml: implied_units: expected a mapping")
        units = rules.units()
        for word, unit in implied.items():
            if str(unit) not in units:
                raise rules.RuleError(f"tables.yaml: implied_units: {word}: unknown unit {unit}")
        self.implied_units: dict[str, str] = {str(k): str(v) for k, v in implied.items()}
        labels = rules.words(d.get("unit_labels"), "tables.yaml: unit_labels", rules.RuleError)
        if not labels:
            raise rules.RuleError("tables.yaml: unit_labels: expected a list of words")
        # 单位：万元 / （单位：元）: the label, a colon, the unit
        self.unit_line = re.compile("(?:" + rules.alternation(labels) + r")\s*[:：]\s*([^\s,，。;；:：()（）]{1,6})")
        self.unit_line_reach = int(d.get("unit_line_reach", 2))
        self.spaced_min_rows = int(d.get("spaced_min_rows", 3))
        self.spaced_max_cell = int(d.get("spaced_max_cell", 24))


@cache
def table_rules() -> TableRules:
    return TableRules(rules.load_yaml(rules.RULES_DIR / "tables.yaml"))


class Cell:
    """One cell of a table and what its table says about it."""

    __slots__ = ("start", "end", "view", "written", "row", "col", "colspan", "markup", "table",
                 "header", "noun", "noun_view", "unit", "row_label", "row_label_view",
                 "row_kind", "serial", "header_row")

    def __init__(self, start: int, end: int, view: str, written: str, row: int, col: int,
                 colspan: int, markup: bool, table: int) -> None:
        self.start = start          # the cell's content: view offsets (text tables) or
        self.end = end              # raw offsets (markup tables)
        self.view = view            # its text on the simplified view, blanks stripped
        self.written = written      # … and as written
        self.row = row
        self.col = col
        self.colspan = colspan
        self.markup = markup
        self.table = table          # which table of the report
        self.header = ""            # the column header as written
        self.noun = ""              # the header without its unit: 慰问金 of 慰问金(元)
        self.noun_view = ""
        self.unit = ""              # the unit the header or the table gives (written, view)
        self.row_label = ""         # the row's first word cell as written: 张某某, 合计
        self.row_label_view = ""
        self.row_kind = "data"      # header | data | total | subtotal
        self.serial = False         # in a 序号 column
        self.header_row = False


class TableFigure:
    """What a mention's cell says about it."""

    __slots__ = ("cell", "bare", "subject", "subject_view", "table", "index")

    def __init__(self, cell: Cell, bare: bool, subject: str | None, subject_view: str | None,
                 table: int) -> None:
        self.cell = cell
        self.bare = bare                    # the cell holds the figure and nothing else
        self.subject = subject              # as written, from the header or the row label
        self.subject_view = subject_view
        self.table = table                  # which table (for totals)
        self.index = -1                     # the claim's index in the report's claims


_HINT: Final = re.compile(r"[\t|]|(?<=\S) {2,}(?=\S)")
_MARKUP_TABLE: Final = re.compile(r"<table\b", re.I)
_TABLE_TAG: Final = re.compile(r"<(/?)(table|tr|td|th)\b([^<>]{0,2000})>", re.I)
_SPAN_ATTR: Final = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?(\d+)", re.I)
_ANY_TAG: Final = re.compile(r"<[^<>]{0,2000}>")
_BLANKS: Final = re.compile(r"\s+")
_SPACED_SPLIT: Final = re.compile(r" {2,}")
_PIPE_RULE: Final = re.compile(r"^\s*:?-{2,}:?\s*$")
_YEAR: Final = re.compile(r"(?:19|20)\d\d(?:年度?)?")
_FIGURE_CHARS: Final = re.compile(r"[\d.,%万亿余多约近超逾 ]")
_HEADER_UNIT: Final = re.compile(r"^(.*?)\s*[(\[【]\s*(?:单位\s*[:：]\s*)?([^()\[\]【】]{1,8}?)\s*[)\]】]\s*$")
_HEADER_SLASH: Final = re.compile(r"^(.*?)\s*[/／]\s*(\S{1,4})$")
_SENTENCE_MARKS: Final = frozenset("。，；！？")
_TABLE_GAP: Final = 400      # characters before a markup table searched for a 单位 line


class Tables:
    """The cells of a report's tables, looked up by a mention's span."""

    __slots__ = ("view_cells", "view_starts", "raw_cells", "raw_starts", "ntables")

    def __init__(self, view_cells: list[Cell], raw_cells: list[Cell], ntables: int) -> None:
        view_cells.sort(key=lambda c: c.start)
        raw_cells.sort(key=lambda c: c.start)
        self.view_cells = view_cells
        self.view_starts = [c.start for c in view_cells]
        self.raw_cells = raw_cells
        self.raw_starts = [c.start for c in raw_cells]
        self.ntables = ntables

    def cell_at(self, vs: int, ve: int, rs: int, re_: int) -> Cell | None:
        """The cell whose content holds the view span [vs, ve) or the raw span [rs, re_)."""
        k = bisect_right(self.view_starts, vs) - 1
        if k >= 0 and self.view_cells[k].end >= ve:
            return self.view_cells[k]
        k = bisect_right(self.raw_starts, rs) - 1
        if k >= 0 and self.raw_cells[k].end >= re_:
            return self.raw_cells[k]
        return None


def find_tables(norm: NormText) -> Tables | None:
    """The tables of a text (None when it has none: the usual case, and a cheap one)."""
    view = norm.text
    view_cells: list[Cell] = []
    raw_cells: list[Cell] = []
    n = 0
    if "|" in view or "\t" in view or "  " in view:
        n = _text_tables(view, norm, view_cells, n)
    if norm.to_raw is not None and _MARKUP_TABLE.search(norm.raw) is not None:
        n = _markup_tables(norm.raw, raw_cells, n)
    if not view_cells and not raw_cells:
        return None
    return Tables(view_cells, raw_cells, n)


# ------------------------------------------------------------------ text tables

def _text_tables(view: str, norm: NormText, out: list[Cell], n: int) -> int:
    """Tables written one row per line; returns the number of tables found so far."""
    lines = _hint_lines(view)
    group: list[tuple[int, int]] = []
    for ls, le in lines:
        if group and ls != group[-1][1] + 1:
            n = _text_group(view, norm, group, out, n)
            group = []
        group.append((ls, le))
    if group:
        n = _text_group(view, norm, group, out, n)
    return n


def _hint_lines(view: str) -> list[tuple[int, int]]:
    """The (start, end) of each line holding a _HINT match, in order. Every match starts
    with a tab, a bar or two spaces: the lines holding one are found by `str.find` and
    only they are searched (a match never spans a line break, and the line break on each
    side of a line is a blank to the lookarounds, as the line's ends are). The regex
    through a whole report cost about 4 M instructions for each report it ran on
    (callgrind, 100 bench files)."""
    lines: list[tuple[int, int]] = []
    n = len(view)
    nxt = [view.find(k) for k in _HINT_STARTS]    # the next place of each, -1: none left
    pos = 0
    while True:
        p = -1
        for j in range(len(_HINT_STARTS)):
            q = nxt[j]
            if 0 <= q < pos:
                q = nxt[j] = view.find(_HINT_STARTS[j], pos)
            if q >= 0 and (p < 0 or q < p):
                p = q
        if p < 0:
            return lines
        ls = view.rfind("\n", 0, p) + 1
        le = view.find("\n", p)
        if le < 0:
            le = n
        if _HINT.search(view, ls, le) is not None:
            lines.append((ls, le))
        pos = le + 1


_HINT_STARTS: Final = ("\t", "|", "  ")    # what a _HINT match starts with


def _style(line: str) -> str:
    s = line.strip()
    if s.startswith("|") or s.count("|") >= 2:
        return "pipe"
    if "\t" in s:
        return "tab"
    return "spaced"


def _text_group(view: str, norm: NormText, group: list[tuple[int, int]], out: list[Cell],
                n: int) -> int:
    """Consecutive candidate lines: split into runs of one style, each a table if it
    looks like one."""
    if len(group) < 2:
        return n
    run: list[tuple[int, int]] = []
    style = ""
    for ls, le in group:
        st = _style(view[ls:le])
        if run and st != style:
            n = _text_table(view, norm, run, style, out, n)
            run = []
        style = st
        run.append((ls, le))
    return _text_table(view, norm, run, style, out, n)


def _split(view: str, ls: int, le: int, style: str) -> list[tuple[int, int]]:
    """The content spans of a line's cells (blanks and \\r trimmed)."""
    spans: list[tuple[int, int]] = []
    if style == "pipe" or style == "tab":
        sep = "|" if style == "pipe" else "\t"
        a = ls
        while True:         # str.find: a long line is split at C speed
            i = view.find(sep, a, le)
            if i < 0:
                spans.append((a, le))
                break
            spans.append((a, i))
            a = i + 1
        if style == "pipe":
            line = view[ls:le].strip()
            if line.startswith("|") and spans:
                spans = spans[1:]
            if line.endswith("|") and spans:
                spans = spans[:-1]
    else:
        text = view[ls:le]
        lead = len(text) - len(text.lstrip(" "))
        a = ls + lead
        for m in _SPACED_SPLIT.finditer(view, a, le):
            spans.append((a, m.start()))
            a = m.end()
        spans.append((a, le))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and view[a] in " \t\r\u00a0":
            a += 1
        while b > a and view[b - 1] in " \t\r\u00a0":
            b -= 1
        out.append((a, b))
    return out


def _text_table(view: str, norm: NormText, run: list[tuple[int, int]], style: str,
                out: list[Cell], n: int) -> int:
    R = table_rules()
    rows: list[list[tuple[int, int]]] = []
    rule_after = -1         # a markdown |---| row: the rows above it are the header
    for ls, le in run:
        cells = _split(view, ls, le, style)
        if style == "pipe" and cells and all(_PIPE_RULE.match(view[a:b]) for a, b in cells):
            rule_after = len(rows)
            continue
        rows.append(cells)
    unit = ""
    # a first row that only gives the unit (表1 …  单位：万元) is no header
    if rows and len(rows[0]) <= 2:
        for a, b in rows[0]:
            found = _unit_in(view[a:b], R)
            if found:
                unit = found
                rows = rows[1:]
                rule_after -= 1
                break
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return n
    if style == "spaced":
        width = len(rows[0])
        if len(rows) < R.spaced_min_rows or any(len(r) != width for r in rows):
            return n
        for r in rows:
            for a, b in r:
                if b - a > R.spaced_max_cell or not _SENTENCE_MARKS.isdisjoint(view[a:b]):
                    return n
    if not any(any(_is_figure(view[a:b]) for a, b in r) for r in rows[1:]):
        return n
    if not unit:
        unit = _unit_above(view, run[0][0], R)
    width = max(len(r) for r in rows)
    grid: list[list[Cell]] = []
    for i, r in enumerate(rows):
        shift = width - len(r)      # a short row lost cells on the left (merged above)
        row: list[Cell] = []
        for j, (a, b) in enumerate(r):
            if norm.to_raw is None:
                written = norm.raw[a:b]
            else:
                ra, rb = norm.raw_span(a, b)
                written = _plain(norm.raw[ra:rb])
            row.append(Cell(a, b, view[a:b], written, i, j + shift, 1, False, n))
        grid.append(row)
    header_rows = 1 if rule_after == 1 or _looks_like_header(grid[0]) else 0
    _describe(grid, header_rows, unit, R)
    for row in grid:
        out.extend(row)
    return n + 1


def _unit_above(view: str, start: int, R: TableRules) -> str:
    """A 单位：万元 line among the few non-blank lines above a text table."""
    pos, seen = start, 0
    while pos > 0 and seen < R.unit_line_reach:
        ls = view.rfind("\n", 0, pos - 1) + 1
        line = view[ls:pos]
        pos = ls
        if not line.strip():
            continue
        seen += 1
        found = _unit_in(line, R)
        if found:
            return found
    return ""


def _unit_in(text: str, R: TableRules) -> str:
    m = R.unit_line.search(text)
    if m is None:
        return ""
    unit = m.group(1)
    return unit if unit in rules.units() else ""


# ---------------------------------------------------------------- markup tables

def _markup_tables(raw: str, out: list[Cell], n: int) -> int:
    """<table> elements of HTML source. Only cells that hold no table of their own are
    kept (a page laid out in a table is not a table of figures)."""
    # per open table: its start and rows; each row a list of
    # [content start, content end, colspan, rowspan, holds a table]
    stack: list[tuple[int, list[list[list[int]]]]] = []
    open_cell: list[list[int] | None] = []
    for m in _TABLE_TAG.finditer(raw):
        closing, tag = m.group(1) == "/", m.group(2).lower()
        if tag == "table":
            if not closing:
                outer = open_cell[-1] if open_cell else None
                if outer is not None:
                    outer[4] = 1                # the cell holds a table
                stack.append((m.start(), []))
                open_cell.append(None)
            elif stack:
                _close_cell(open_cell, m.start())
                start, rows = stack.pop()
                open_cell.pop()
                n = _markup_table(raw, start, rows, out, n)
            continue
        if not stack:
            continue
        rows = stack[-1][1]
        if tag == "tr":
            _close_cell(open_cell, m.start())
            if not closing:
                rows.append([])
            continue
        # td / th
        _close_cell(open_cell, m.start())
        if closing:
            continue
        if not rows:
            rows.append([])
        colspan = rowspan = 1
        for a in _SPAN_ATTR.finditer(m.group(3)):
            v = max(1, min(int(a.group(2)), 50))
            if a.group(1).lower() == "colspan":
                colspan = v
            else:
                rowspan = v
        cell = [m.end(), -1, colspan, rowspan, 0]
        rows[-1].append(cell)
        open_cell[-1] = cell
    return n


def _close_cell(open_cell: list[list[int] | None], at: int) -> None:
    cell = open_cell[-1] if open_cell else None
    if cell is not None:
        if cell[1] < 0:
            cell[1] = at
        open_cell[-1] = None


def _markup_table(raw: str, start: int, rows: list[list[list[int]]], out: list[Cell],
                  n: int) -> int:
    R = table_rules()
    rows = [r for r in rows if r]
    if len(rows) < 2:
        return n
    grid: list[list[Cell]] = []
    taken: set[tuple[int, int]] = set()
    nested = False
    for i, r in enumerate(rows):
        row: list[Cell] = []
        col = 0
        for s, e, colspan, rowspan, holds in r:
            while (i, col) in taken:
                col += 1
            if e < 0:
                e = s
            if holds:
                nested = True
            written = _plain(raw[s:e])
            view = _view(written)
            cell = Cell(s, e, view, written, i, col, colspan, True, n)
            for di in range(rowspan):
                for dj in range(colspan):
                    taken.add((i + di, col + dj))
            col += colspan
            if not holds:
                row.append(cell)
        grid.append(row)
    if nested or max(len(r) for r in grid) < 2:
        return n
    if not any(any(_is_figure(c.view) for c in r) for r in grid[1:]):
        return n
    header_rows = 0
    if _looks_like_header(grid[0]):
        header_rows = 1
        # a grouped header (2022年 over 人数 | 金额): the next row is a header too
        if any(c.colspan > 1 for c in grid[0]) and len(grid) > 2 and _looks_like_header(grid[1]):
            header_rows = 2
    unit = ""
    before = _plain(raw[max(0, start - _TABLE_GAP):start])
    if before:
        unit = _unit_in(_view(before.splitlines()[-1] if "\n" in before else before[-60:]), R)
    _describe(grid, header_rows, unit, R)
    for row in grid:
        out.extend(row)
    return n + 1


def _plain(fragment: str) -> str:
    """Markup to its text: tags out, entities decoded, blanks squeezed."""
    if "<" in fragment:
        fragment = _ANY_TAG.sub(" ", fragment)
    if "&" in fragment:
        fragment = html.unescape(fragment)
    return _BLANKS.sub(" ", fragment).strip()


def _view(written: str) -> str:
    """The matching view of a cell's text (simplified, half-width brackets)."""
    return to_simplified(written).replace("（", "(").replace("）", ")").replace("：", ":")


# ------------------------------------------------------------------ what cells say

def _is_figure(text: str) -> bool:
    """A cell that is a number (with at most a short unit): 36.5, 1,200, 约300, 27万元."""
    t = text.strip()
    if not t or not any("0" <= ch <= "9" for ch in t):
        return False
    return len(_FIGURE_CHARS.sub("", t)) <= 2


def _is_year(text: str) -> bool:
    return _YEAR.fullmatch(text.strip()) is not None


def _looks_like_header(row: list[Cell]) -> bool:
    """A first row of labels: no cell is a number other than a year."""
    words = [c for c in row if c.view]
    return len(words) >= 2 and not any(_is_figure(c.view) and not _is_year(c.view) for c in words)


def _split_header(written: str, view: str) -> tuple[str, str, str]:
    """(noun as written, noun on the view, unit on the view) of a header:
    慰问金(元) -> 慰问金, 慰问金, 元; 资金/万元 -> 资金, 资金, 万元; 姓名 -> 姓名, 姓名, ''."""
    units = rules.units()
    for pat in (_HEADER_UNIT, _HEADER_SLASH):
        m = pat.match(view)
        if m is not None and m.group(2).strip() in units:
            k = len(m.group(1))
            return written[:k].strip(), m.group(1).strip(), m.group(2).strip()
    return written, view, ""


def _describe(grid: list[list[Cell]], header_rows: int, unit: str, R: TableRules) -> None:
    """Fill each cell's header, unit, row label and row kind."""
    # column -> (header as written, noun, noun on the view, unit)
    heads: dict[int, tuple[str, str, str, str]] = {}
    for hr in range(header_rows):
        for c in grid[hr]:
            c.header_row = True
            if not c.view:
                continue
            noun, noun_view, u = _split_header(c.written, c.view)
            for col in range(c.col, c.col + c.colspan):
                old = heads.get(col)
                if old is None:
                    heads[col] = (c.written, noun, noun_view, u)
                elif noun_view or u:
                    # a lower header row names the column; an upper one's unit stays
                    heads[col] = (c.written, noun or old[1], noun_view or old[2], u or old[3])
    serial_cols = {col for col, h in heads.items() if h[2].lower().replace(" ", "") in R.serial_headers}
    body = grid[header_rows:]
    if not heads and body:
        # no header: a first column counting 1, 2, 3 … is serial numbers
        firsts = [r[0] for r in body if r and r[0].col == 0 and r[0].view]
        if len(firsts) >= 2 and all(c.view == str(k + 1) for k, c in enumerate(firsts)):
            serial_cols.add(0)
    for r in body:
        label = label_view = ""
        for c in r:
            if c.view and not _is_figure(c.view):
                label, label_view = c.written, c.view
                break
        key = label_view.replace(" ", "")
        kind = "total" if key in R.total_labels else "subtotal" if key in R.subtotal_labels else "data"
        for c in r:
            h = heads.get(c.col)
            if h is not None:
                c.header, c.noun, c.noun_view, c.unit = h
            if not c.unit:
                c.unit = unit
            if not c.unit and h is not None:
                c.unit = R.implied_units.get(h[2].replace(" ", ""), "")
            c.row_label, c.row_label_view, c.row_kind = label, label_view, kind
            c.serial = c.col in serial_cols


def _subject(cell: Cell, R: TableRules) -> tuple[str | None, str | None]:
    """What a bare figure in the cell counts: the header's noun, unless it only names a
    measure (金额, 人数) or a year; then the row label (not a 合计 label)."""
    noun = cell.noun_view.replace(" ", "")
    if _is_year(noun) or _is_figure(noun):
        noun = ""         # a column per year names no thing
    if noun and noun not in R.measure_headers:
        return cell.noun, cell.noun_view
    if cell.row_label and cell.row_kind == "data":
        return cell.row_label, cell.row_label_view
    if noun:              # a 合计 of 金额: the measure is all the table says
        return cell.noun, cell.noun_view
    return None, None


# ------------------------------------------------------------------ the hook

def read_tables(norm: NormText, bounds: Boundaries, mentions: list[Mention],
                raw_spans: list[tuple[int, int]],
                decisions: list[tuple[bool, str | None, str]]) -> list[TableFigure | None] | None:
    """For each mention, what its table cell says (None outside tables; None for the
    whole list when the text has no table). Updates the mentions and decisions the
    table decides: a serial number is a list marker, a year in a header row a year,
    and a bare figure under a header with a unit takes that unit."""
    tables = find_tables(norm)
    if tables is None:
        return None
    R = table_rules()
    units = rules.units()
    view = norm.text
    out: list[TableFigure | None] = []
    for i, m in enumerate(mentions):
        rs, re_ = raw_spans[i]
        cell = tables.cell_at(m.start, m.end, rs, re_)
        if cell is None:
            out.append(None)
            continue
        written = view[m.start:m.end]
        rest = cell.view.replace(written.strip(), "", 1) if written.strip() else cell.view
        bare = not any(ch.isalnum() for ch in rest)
        if bare and m.form == "qty" and cell.serial and m.unit is None:
            decisions[i] = (False, "list_marker", "table: serial number")
            out.append(None)
            continue
        if bare and cell.header_row:
            if m.form == "qty" and m.unit is None and _is_year(written):
                decisions[i] = (False, "year", "table: year in a header")
            out.append(None)
            continue
        if bare and m.form == "qty" and m.unit is None and cell.unit and m.value is not None:
            _take_unit(m, units[cell.unit], view)
            # the classifier decides again with the unit (年龄(岁) is an age, not a claim)
            d = classify(m, view, bounds)
            decisions[i] = (True, None, "table: unit from the header") if d[0] else d
        subject, subject_view = _subject(cell, R) if bare else (None, None)
        out.append(TableFigure(cell, bare, subject, subject_view, cell.table))
    return out


def _take_unit(m: Mention, unit: Unit, view: str) -> None:
    """A bare 36.5 under 总额(万元) is 36.5万元; a 3.2万 under 金额(元) is 3.2万元 (the
    number carries its multiplier, the header its unit)."""
    big = rules.numerals().big_units
    if any(ch in big for ch in view[m.num_start:m.num_end]):
        base = rules.units().get(unit.unit)
        m.unit = base if base is not None and base.factor == 1 else unit
    else:
        m.unit = unit
        if m.value is not None:
            m.value = _clean(m.value * unit.factor)
        if m.value_max is not None:
            m.value_max = _clean(m.value_max * unit.factor)


def _clean(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return Decimal(int(d))
    return d.normalize()


def cell_clause(fig: TableFigure, clause: tuple[int, int]) -> tuple[int, int]:
    """A text table's row is one line: the clause of a figure in it ends at its cell."""
    c = fig.cell
    if c.markup:
        return clause
    return max(clause[0], c.start), min(clause[1], c.end)


def table_roles(claims: list[Claim], figs: list[TableFigure | None]) -> None:
    """A 合计 row is the total of the rows above it in its column (since the last total;
    a 小计 totals the rows since the last 小计 and is a part of the 合计): those rows are
    its parts. Only money, people and person-times figures, of the total's unit class."""
    by_col: dict[tuple[int, int], list[tuple[Claim, TableFigure]]] = {}
    for c, f in zip(claims, figs):
        if f is None or not f.bare or not c.is_claim or c.unit_class not in COUNTED_CLASSES:
            continue
        key = (f.table, f.cell.col)
        by_col.setdefault(key, []).append((c, f))
    for col in by_col.values():
        col.sort(key=lambda cf: cf[1].cell.row)
        since_sub: list[Claim] = []     # data rows since the last 小计 or 合计
        subs: list[Claim] = []          # 小计 rows since the last 合计
        for c, f in col:
            kind = f.cell.row_kind
            if kind == "data":
                since_sub.append(c)
            elif kind == "subtotal":
                _total_of(c, since_sub, "table:小计")
                subs.append(c)
                since_sub = []
            elif kind == "total":
                label = f.cell.row_label
                c.aggregate = c.aggregate or label
                _total_of(c, subs + since_sub, "table:" + label)
                since_sub, subs = [], []


def _total_of(total: Claim, parts: list[Claim], reason: str) -> None:
    """The total row stays what the report-wide roles made it when that is a restatement
    (a headline figure repeated in the table's 合计); its parts point at what it restates."""
    if total.role == "restatement" and total.of_start is not None:
        at: tuple[int | None, int | None] = (total.of_start, total.of_end)
    else:
        total.role, total.counted, total.role_reason = "total", True, reason
        total.of_start = total.of_end = None
        at = (total.start, total.end)
    for p in parts:
        if p.unit_class != total.unit_class:
            continue
        p.role, p.counted, p.role_reason = "part", False, reason
        p.of_start, p.of_end = at
