"""How findings are worded: short report labels and figures written the Chinese way.

Every finding's detail is one sentence a reader can check against the text, so the
numbers in it are written as a report would write them (27万元, 6600余人, 95.5%).
"""
from __future__ import annotations

import math
import re
from pathlib import PurePath

_NUMBERED = re.compile(r"^(\d+)_[0-9a-f]{6,}$")


def doc_label(doc: str | None) -> str:
    """A report's short name: the number of a numbered corpus file, else the stem.

    >>> doc_label("000_35e2ab27f9b7f4d4.txt")
    '000'
    >>> doc_label("uploads/呼伦贝尔市直机关.docx")
    '呼伦贝尔市直机关'
    """
    if not doc:
        return "？"
    stem = PurePath(str(doc)).stem
    m = _NUMBERED.match(stem)
    return m.group(1) if m else stem


def _trim(x: float, digits: int = 4) -> str:
    s = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def fmt_figure(value: float | None, unit: str | None) -> str:
    """A base-unit value with its unit, scaled to 万/亿 the way reports write it.

    >>> fmt_figure(270000, "元"), fmt_figure(122000, "元"), fmt_figure(1536115, "元")
    ('27万元', '12.2万元', '153.6115万元')
    >>> fmt_figure(6600, "人"), fmt_figure(95.47, "%"), fmt_figure(2.2e8, "元")
    ('6600人', '95.47%', '2.2亿元')
    """
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return "？"
    unit = unit or ""
    v = float(value)
    if unit == "%":
        return _trim(v, 2) + "%"
    if abs(v) >= 1e8:
        return _trim(v / 1e8) + "亿" + unit
    if abs(v) >= 1e5 or (abs(v) >= 1e4 and unit in ("元", "人次")):
        return _trim(v / 1e4) + "万" + unit
    return _trim(v, 2) + unit


def fmt_interval(lo: float, hi: float, unit: str | None) -> str:
    """What a written figure allows, open ends as 以上/以下.

    >>> fmt_interval(121500, 122500, "元"), fmt_interval(6600, 6700, "人"), fmt_interval(45, 1e300, "%")
    ('12.15～12.25万元', '6600～6700人', '45%以上')
    """
    if hi >= 1e299:
        return f"{fmt_figure(lo, unit)}以上"
    if lo <= 0 and hi > 0 and lo == 0:
        return f"{fmt_figure(hi, unit)}以下"
    if lo == hi:
        return fmt_figure(lo, unit)
    a, b = fmt_figure(lo, unit), fmt_figure(hi, unit)
    for suffix in ("亿" + (unit or ""), "万" + (unit or ""), unit or ""):
        if suffix and a.endswith(suffix) and b.endswith(suffix):
            return f"{a[:-len(suffix)]}～{b}"      # 12.15～12.25万元
    return f"{a}～{b}"


def quote(text: str) -> str:
    """A span as written, in Chinese quotes."""
    return f"“{text}”"


def join_labels(labels: list[str]) -> str:
    """'000 与 002' / '000、002 与 003'."""
    labels = list(dict.fromkeys(labels))
    if len(labels) <= 1:
        return "".join(labels)
    return "、".join(labels[:-1]) + " 与 " + labels[-1]
