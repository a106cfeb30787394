"""Chinese names for the store's codes and how numbers are written on screen and in
exported charts and tables.

Codes stay English in the store and in code; everything a user reads comes from here,
so a label is changed in one place: the pages, `python -m etl export-chart` and
`briefing` all import it. No streamlit, no plotly.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

NONE_LABEL = "（未标注）"      # stands for NULL in filters and chart categories
NO_SUBJECT = "—（未识别）"    # a figure whose subject extraction found nothing
EMPTY_VALUE = "—"             # an empty old or new value in the corrections log

UNIT_CLASS_ZH: dict[str, str] = {
    "money": "金额", "people": "人数", "person_times": "人次", "orgs": "单位/组织",
    "items": "事项", "events": "活动/场次", "percent": "比例", "duration": "时长",
    "other": "其他",
}

APPROX_ZH: dict[str, str] = {
    "exact": "精确", "about": "约", "over": "余/以上", "under": "近",
    "at_most": "不超过", "at_least": "至少", "range": "范围",
}
LEVEL_ZH: dict[str, str] = {
    "central": "中央", "provincial": "省级", "municipal": "市级", "county": "县级",
    "unit": "基层单位",
}
KIND_ZH: dict[str, str] = {
    "date": "日期", "year": "年份", "ordinal": "序数", "slogan": "口号/提法",
    "list_marker": "序号", "anniversary": "周年", "meta": "网页信息", "name": "名称",
    "other": "其他",
}
FIELD_ZH: dict[str, str] = {
    "value": "数值", "value_max": "上限", "unit": "单位", "unit_class": "类别",
    "subject": "主体", "is_claim": "是否为数字陈述", "kind": "非陈述类型",
    "approx": "近似", "metric": "指标", "counted": "计入合计", "role": "作用",
}
# What a money, people or person-times figure is in its report (GUIDE-counting.md).
ROLE_ZH: dict[str, str] = {
    "total": "总数", "part": "分项", "restatement": "重复陈述", "rate": "人均或单价",
    "change": "增减量", "plan": "计划目标", "context": "背景情况",
}
# Why a sum leaves a figure out: its role, a user's correction, or that another
# report (or the same report's people) already gives it. The role reasons are the
# issue's words; etl/views/queries.py puts them into the SQL.
LEFT_OUT_ZH: dict[str, str] = {
    "restatement": "重复陈述", "part": "分项已含于总数", "rate": "人均或单价",
    "change": "增减量", "plan": "计划目标", "context": "背景情况",
    "by_hand": "人工排除", "other_report": "其他报告已报告同一数字",
    "overlap": "可能与同一报告中更大的人数重叠",
}
COUNTED_ZH = "计入"
DIMENSION_ZH: dict[str, str] = {
    "campaign": "专项活动", "organisation": "单位", "level": "层级", "year": "年份",
}

# Highlight colours per class: light background, dark text (Report page and charts
# use the same hue so a reader can match them).
CLASS_BG: dict[str, str] = {
    "money": "#ffe0b2", "people": "#cfe3ff", "person_times": "#e6dcff",
    "orgs": "#d4f1da", "items": "#fff3a6", "events": "#ffd6d6",
    "percent": "#c9f0f0", "duration": "#ecdccb", "other": "#e4e4e4",
}
CLASS_COLOR: dict[str, str] = {
    "money": "#e67e00", "people": "#1f6fd1", "person_times": "#7b4fd6",
    "orgs": "#2e9b4a", "items": "#b59a00", "events": "#d33b3b",
    "percent": "#178f8f", "duration": "#8a5a2b", "other": "#777777",
}


# ------------------------------------------------------------------------ metrics
# What a figure measures (data/rules/metrics.yaml, etl/extraction/metrics.py): the Chinese names
# come from the taxonomy itself, so a new metric needs no label here.
CHILD_MARK = "└ "


def metric_zh(code: Any) -> str:
    """资金发放 for funds_disbursed; （未标注） for NULL; an unknown id as itself."""
    if _missing(code):
        return NONE_LABEL
    m = _metrics_by_id().get(str(code))
    return m.zh if m else str(code)


def metric_ids() -> list[str]:
    """Every metric id in the taxonomy's order, each parent followed by its children."""
    from etl.extraction.metrics import metrics
    ms = metrics()
    ids = {m.id for m in ms}
    out: list[str] = []
    for m in ms:
        if m.parent in ids:
            continue                          # listed under its parent
        out.append(m.id)
        out += [c.id for c in ms if c.parent == m.id]
    return out


def metric_option(code: Any) -> str:
    """A picker's label: children indented under their parent (└ 捐款筹资)."""
    m = _metrics_by_id().get(str(code)) if not _missing(code) else None
    if m is not None and m.parent:
        return f"\u3000{CHILD_MARK}{m.zh}"
    return metric_zh(code)


def metric_evidence_zh(evidence: Any, corrected: bool = False) -> str:
    """The words that decided a figure's metric; a corrected metric says so first."""
    ev = "" if _missing(evidence) else str(evidence)
    if corrected:
        return "✎ 人工更正" + (f"（自动判定的依据：{ev}）" if ev else "")
    return ev


def _metrics_by_id() -> dict:
    from etl.extraction.metrics import by_id
    return by_id()


def unit_class_zh(code: Any) -> str:
    return UNIT_CLASS_ZH.get(code, NONE_LABEL if _missing(code) else str(code))


def approx_zh(code: Any) -> str:
    return APPROX_ZH.get(code, "" if _missing(code) else str(code))


def level_zh(code: Any) -> str:
    return LEVEL_ZH.get(code, NONE_LABEL if _missing(code) else str(code))


def kind_zh(code: Any) -> str:
    return KIND_ZH.get(code, "" if _missing(code) else str(code))


def _missing(x: Any) -> bool:
    """None, NaN, pd.NA or NaT (DataFrame cells arrive as any of them)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):   # lists and other non-scalars are not missing
        return False


def axis_unit(unit_class: str, unit: str | None) -> str:
    """The unit an axis is labelled with: money is charted in 万元."""
    if unit_class == "money":
        return "万" + (unit or "元")
    return unit or ""


def scale(unit_class: str, unit: str | None = None) -> float:
    """Divide stored values by this to get the axis unit (元 -> 万元)."""
    return 1e4 if unit_class == "money" else 1.0


def fmt_number(x: Any, digits: int = 2) -> str:
    """Thousands separators, at most `digits` decimals, no trailing zeros: 1,536.12"""
    if _missing(x):
        return ""
    x = float(x)
    s = f"{x:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# Large numbers are read in 万 and 亿, as Chinese reports write them: 1,978,466,843,998
# -> 1.98万亿, 31,216,000 -> 3,121.6万, 6,600 stays 6,600. One rule for axis ticks,
# hovers, bar labels and the value of a figure.
BIG_UNITS: tuple[tuple[float, str], ...] = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))


def big_parts(x: float) -> tuple[float, str]:
    """x split into a number and its 万/亿/万亿 (x = number × that): 270000 -> (27, "万")."""
    for size, word in BIG_UNITS:
        if abs(x) >= size:
            return x / size, word
    return x, ""


def fmt_big(x: Any, digits: int = 2) -> str:
    """A number as a reader says it: 27万, 3,121.6万, 1.98万亿, 6,600, 12.5 (at most
    `digits` decimals after the 万/亿, no trailing zeros); "" for a missing value."""
    if _missing(x):
        return ""
    n, word = big_parts(float(x))
    return fmt_number(n, digits) + word


def fmt_value(value: Any, unit_class: Any, unit: Any, digits: int = 4) -> str:
    """A stored value as a reader expects it: 270000 元 -> '27 万元', 6600 人 -> '6,600 人',
    3.5e9 元 -> '35 亿元' (four decimals kept: a figure is shown, not rounded)."""
    if _missing(value):
        return ""
    u = "" if _missing(unit) else str(unit)
    if unit_class == "money" and u in ("", "元"):
        u = "元"
    n, word = big_parts(float(value))
    return f"{fmt_number(n, digits)} {word}{u}".strip()


def with_scale(title: str, log: bool) -> str:
    """An axis title that says its scale: 资金发放（元） -> 资金发放（元，对数刻度）."""
    if not log:
        return title
    if title.endswith("）"):
        return title[:-1] + "，对数刻度）"
    return title + "（对数刻度）"


def how_drawn(agg: str | None, log: bool) -> str:
    """The line under a chart saying how its values were made and drawn."""
    scale_part = ("刻度：对数刻度（相邻主刻度相差 10 倍，长度不与数值成正比）" if log
                  else "刻度：线性刻度")
    return f"汇总方式：{agg}；{scale_part}" if agg else f"每个点是一个数字，不汇总；{scale_part}"


# ------------------------------------------------------------------ subjects, values, times

def subject_zh(subject: Any) -> str:
    """A figure's subject, or —（未识别） when none was found (never "None")."""
    return NO_SUBJECT if _missing(subject) or not str(subject).strip() else str(subject)


_YES = ("true", "1", "t", "yes")
_NO = ("false", "0", "f", "no")


def correction_value_zh(field: str, value: Any) -> str:
    """An old or new value in the corrections log as a reader reads it: 是/否 for the
    yes/no fields, Chinese names for codes, — for nothing."""
    if _missing(value) or str(value).strip() in ("", "None", "null"):
        return EMPTY_VALUE
    v = str(value)
    if field in ("is_claim", "counted") or isinstance(value, bool):
        if v.lower() in _YES:
            return "是"
        if v.lower() in _NO:
            return "否"
    if field == "metric":
        return metric_zh(v)
    if field == "unit_class":
        return unit_class_zh(v)
    if field == "approx":
        return approx_zh(v) or v
    if field == "role":
        return ROLE_ZH.get(v, v)
    return v


# Times are stored in UTC (etl/store/schema.py utcnow) and shown in the reader's zone:
# Asia/Shanghai unless REPORT_FIGURES_TZ names another (an IANA name: Asia/Hong_Kong, UTC).
TZ_ENV = "REPORT_FIGURES_TZ"
DEFAULT_TZ = "Asia/Shanghai"


def local_zone() -> ZoneInfo:
    """The zone times are shown in (an unknown name falls back to Asia/Shanghai)."""
    try:
        return ZoneInfo(os.environ.get(TZ_ENV, "").strip() or DEFAULT_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TZ)


def local_now() -> datetime:
    return datetime.now(local_zone())


def local_time(ts: Any, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC timestamp (naive = UTC) as local time text; "" when missing."""
    if _missing(ts):
        return ""
    t = pd.Timestamp(ts)
    if t.tzinfo is None:
        t = t.tz_localize(timezone.utc)
    return t.tz_convert(local_zone()).strftime(fmt)


def zone_label() -> str:
    """The zone's name for a column header: 北京时间 for Asia/Shanghai."""
    key = local_zone().key
    return "北京时间" if key == DEFAULT_TZ else key
