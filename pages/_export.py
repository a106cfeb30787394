"""Downloads of what a table shows: CSV (UTF-8 with BOM, so Excel shows Chinese) and
Excel. Pure: DataFrame in, bytes out."""
from __future__ import annotations

import io

import pandas as pd

# A cell starting with one of these is run as a formula by spreadsheet programs
# (CSV injection); report text is data, so such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse_formulas(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark: Excel opens it with the Chinese intact."""
    return _defuse_formulas(df).to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(df: pd.DataFrame, sheet: str = "数字明细") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        _defuse_formulas(df).to_excel(xw, sheet_name=sheet, index=False)
        ws = xw.sheets[sheet]
        for i, col in enumerate(df.columns, start=1):   # readable widths, capped
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(width * 1.6, 60)
    return buf.getvalue()
