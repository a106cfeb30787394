"""The figures behind a clicked chart mark.

Plotly reports a click as a selected point: its trace (`curve_number`), its index in
the trace (`point_index`) and its x and y as drawn. This module turns such a point of
one of the dashboard's charts back into what the mark stands for (a group, a year, a
single figure's value), and picks those figures out of the rows that list every figure
of the chart (`queries.compare_ledger` for 对比, the claims of a campaign and class for
总览), so the page can list them and open each one's sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from etl.views.compare import group_labels
from etl.views.labels import DIMENSION_ZH, UNIT_CLASS_ZH, unit_class_zh
from etl.views.text import plotly_text, shorten

AXIS_LABEL = 24         # charts._labels: category labels are drawn escaped and cut to this


@dataclass(frozen=True)
class Pick:
    """What a clicked mark stands for."""
    group: str                      # the group's label, as the chart's data table names it
    year: int | None = None         # a timeline's point: that year only
    value: float | None = None      # a dot: the figure's value as charted (base units / scale)


def points(event: Any) -> list[dict]:
    """The selected points of a `st.plotly_chart(on_select=...)` result (or its dict)."""
    if event is None:
        return []
    sel = event.get("selection") if isinstance(event, dict) else getattr(event, "selection", None)
    if sel is None:
        return []
    pts = sel.get("points") if isinstance(sel, dict) else getattr(sel, "points", None)
    return [dict(p) for p in (pts or [])]


def _index(point: dict) -> int | None:
    i = point.get("point_index", point.get("point_number"))
    return int(i) if isinstance(i, (int, float)) else None


def _drawn(labels) -> dict[str, str]:
    """A category label as plotly reports it (escaped, shortened) -> the label."""
    return {plotly_text(shorten(v, AXIS_LABEL)): str(v) for v in labels}


def compare_pick(point: dict, chart_type: str, data: pd.DataFrame, dim: str) -> Pick | None:
    """The 对比 chart's clicked point -> its group (and year, or value). `data` is the
    chart's data table (Chart.data.df: one row per bar, per timeline point or per dot,
    the group in the column named after the dimension)."""
    by = DIMENSION_ZH[dim]
    if chart_type == "bar":
        i = _index(point)
        if i is None or not 0 <= i < len(data):
            return None
        return Pick(str(data[by].iloc[i]))
    if chart_type == "timeline":
        try:
            year = int(point["x"])
        except (KeyError, TypeError, ValueError):
            return None
        if dim == "year":
            return Pick(str(year), year=year)
        names = list(dict.fromkeys(str(v) for v in data[by]))   # one trace per group, in order
        curve = int(point.get("curve_number", 0))
        return Pick(names[curve], year=year) if 0 <= curve < len(names) else None
    if chart_type == "dots":
        group = _drawn(data[by]).get(str(point.get("y")))
        try:
            value = float(point["x"])
        except (KeyError, TypeError, ValueError):
            return None
        return Pick(group, value=value) if group is not None else None
    return None


def behind(rows: pd.DataFrame, pick: Pick, dim: str, div: float) -> pd.DataFrame:
    """The rows of `queries.compare_ledger` (column grp, value in base units) that the
    mark stands for: the group's figures, or the dot's figure (`div` the chart's scale)."""
    if rows.empty:
        return rows
    labels = pd.Series(group_labels(rows["grp"], dim), index=rows.index)
    out = rows[labels == pick.group]
    if pick.value is not None:
        charted = out["value"].astype(float) / div
        out = out[(charted - pick.value).abs() <= 1e-6 * max(1.0, abs(pick.value))]
    return out


def overview_pick(point: dict, data: pd.DataFrame) -> tuple[str, str] | None:
    """The 总览 chart's clicked bar segment -> (campaign, unit class). `data` is its data
    table: 专项活动, 合计（个）, then one column per class in the traces' order."""
    campaign = _drawn(data["专项活动"]).get(str(point.get("y")))
    class_cols = [c for c in data.columns if c not in ("专项活动", "合计（个）")]
    zh_to_code = {unit_class_zh(c): c for c in UNIT_CLASS_ZH}
    classes = [zh_to_code.get(str(c).removesuffix("（个）")) for c in class_cols]
    curve = int(point.get("curve_number", -1))
    if campaign is None or not 0 <= curve < len(classes) or classes[curve] is None:
        return None
    return campaign, str(classes[curve])
