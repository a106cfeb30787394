"""Tables out: CSV (UTF-8 with BOM, so Excel shows Chinese) and Excel workbooks (one
sheet per table, readable column widths, numbers stored as numbers, a 说明 sheet with
each table's title and source line). Pure: DataFrames in, bytes out.

The dashboard's downloads, the briefing pack and the command line all write tables
through here.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

from etl.views.text import defuse_formula, display_width
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
MAX_WIDTH = 60
NOTES_SHEET = "说明"
# Numeric columns that are labels, not quantities: no thousands separator (2,021).
_PLAIN_NUMBERS = ("年份", "年", "编号")


def _defuse_formulas(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(defuse_formula)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark: Excel opens it with the Chinese intact."""
    return _defuse_formulas(df).to_csv(index=False).encode("utf-8-sig")


@dataclass
class Sheet:
    """One table for a workbook: the frame, its title and source line (plain text)."""
    df: pd.DataFrame
    name: str = ""
    title: str = ""
    source: str = ""


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A legal, unique Excel sheet name: at most 31 characters, none of []:*?/\\.

    >>> sheet_name("慰问金：按专项活动合计 [2021/2022]", set())
    '慰问金：按专项活动合计 _2021_2022_'
    >>> sheet_name("说明", {"说明"})
    '说明 (2)'
    """
    base = _SHEET_BAD.sub("_", wanted or "").strip(" '") or "表"
    base = base[:31]
    name, i = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    return name


def _is_plain(col: object) -> bool:
    return any(str(col) == p or str(col).endswith(p) for p in _PLAIN_NUMBERS)


def _number_format(s: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        return None
    vals = s.dropna()
    if pd.api.types.is_integer_dtype(s) or (len(vals) and (vals == vals.round()).all()):
        return "#,##0"
    return "#,##0.00"


def _width(df: pd.DataFrame, col) -> float:
    sample = df[col].head(300)
    if pd.api.types.is_numeric_dtype(sample) and not pd.api.types.is_bool_dtype(sample):
        cells = [f"{v:,.2f}" for v in sample.dropna().astype(float)]
    else:
        cells = ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in sample]
    w = max([display_width(col)] + [display_width(c) for c in cells]) + 2
    return float(min(max(w, 6), MAX_WIDTH))


def _write_sheet(xw: pd.ExcelWriter, sheet: Sheet, name: str) -> None:
    from openpyxl.styles import Alignment, Font

    df = sheet.df.reset_index(drop=True)
    _defuse_formulas(df).to_excel(xw, sheet_name=name, index=False)
    ws = xw.sheets[name]
    ws.freeze_panes = "A2"
    for i, col in enumerate(df.columns, start=1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = _width(df, col)
        head = ws.cell(row=1, column=i)
        head.font = Font(bold=True)
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        fmt = None if _is_plain(col) else _number_format(df[col])
        if fmt:
            for row in ws.iter_rows(min_row=2, max_row=len(df) + 1, min_col=i, max_col=i):
                row[0].number_format = fmt


def _write_notes(xw: pd.ExcelWriter, sheets: list[tuple[str, Sheet]], name: str,
                 about: str = "") -> None:
    from openpyxl.styles import Alignment, Font

    rows = [{"工作表": n, "标题": s.title, "行数": len(s.df), "数据来源": s.source}
            for n, s in sheets]
    pd.DataFrame(rows, columns=["工作表", "标题", "行数", "数据来源"]).pipe(_defuse_formulas) \
        .to_excel(xw, sheet_name=name, index=False, startrow=2 if about else 0)
    ws = xw.sheets[name]
    if about:
        # the briefing's title comes from the user or a report: text, never a formula
        ws.cell(row=1, column=1, value=defuse_formula(about)).font = Font(bold=True)
    for letter, width in zip("ABCD", (24, 40, 8, 90)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in "BD")


def workbook_bytes(sheets: list[Sheet], about: str = "", notes: bool = True) -> bytes:
    """One workbook, one sheet per table (in order), then a 说明 sheet listing each
    sheet's title and source line. Every data sheet re-reads with pd.read_excel as the
    frame that went in (formula-like text aside: it gets a leading apostrophe)."""
    buf = io.BytesIO()
    taken: set[str] = set()
    named = []
    for s in sheets:
        name = sheet_name(s.name or s.title, taken | {NOTES_SHEET})
        taken.add(name)
        named.append((name, s))
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for name, s in named:
            _write_sheet(xw, s, name)
        if not named:                         # an empty workbook is not a valid file
            pd.DataFrame({"说明": ["没有表格"]}).to_excel(xw, sheet_name="表", index=False)
        if notes and (named or about):
            _write_notes(xw, named, NOTES_SHEET, about)
    return buf.getvalue()


def to_excel_bytes(df: pd.DataFrame, sheet: str = "数字明细", *, title: str = "",
                   source: str = "") -> bytes:
    """One table as a workbook: the data sheet first (so pd.read_excel(file) reads it),
    a 说明 sheet with its title and source line when given."""
    return workbook_bytes([Sheet(df, sheet, title or sheet, source)], notes=bool(title or source))
