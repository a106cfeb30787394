"""The 对比 page's chart: one metric across campaigns, organisations, levels or years,
as bars, dots or a timeline, with its data table."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from etl.extraction.metrics import by_id as metric_by_id
from etl.views import charts
from etl.views import queries as q
from etl.views.labels import (COUNTED_ZH, DIMENSION_ZH, NONE_LABEL, ROLE_ZH, UNIT_CLASS_ZH,
                              approx_zh, axis_unit, how_drawn, level_zh, metric_ids, metric_zh,
                              scale, subject_zh)
from etl.views.model import Chart, Table
from etl.views.sources import Runner, as_list, source, sources_sql

AGG_ZH = {"sum": "合计", "max": "最大值", "avg": "平均值", "median": "中位数", "count": "数字个数"}
CHART_ZH = {"bar": "柱状图", "dots": "点图", "timeline": "时间线"}
ALL_UNITS = "__all__"
MIXED_OK = ("orgs", "items", "events")     # counters (个/家/支) may be added up together
DEFAULT_AGG = {"percent": "max", "duration": "max", "other": "max"}   # a sum of % means nothing
TOP_GROUPS = 30
COLUMNS_ZH = {"label": "分组", "y": "数值", "n_figures": "数字个数", "n_approx": "其中约数",
              "n_corrected": "其中已更正", "text": "原文", "approx": "近似", "subject": "主体",
              "report": "报告", "year": "年份"}


@dataclass(frozen=True)
class CompareOptions:
    """What the Compare page's widgets say. None = the page's default.

    `metric` (an id from data/rules/metrics.yaml) is the page's primary choice: a
    metric may span unit classes (people_reached: 人, 人次, 户), so it is charted one
    unit at a time. `unit_class` narrows further; without a metric it is the older way
    to pick figures (every figure of a class, e.g. all money), which the command line
    and briefing specs still accept (money when neither is given)."""
    unit_class: str | None = None
    terms: tuple[str, ...] = ()
    unit: str | None = None          # ALL_UNITS for every counter of the selection
    dim: str = "campaign"
    agg: str | None = None
    chart: str = "bar"
    log: bool | None = None
    metric: str | None = None

    def resolved(self, cls: str | None = None) -> "CompareOptions":
        """Defaults filled in; `cls` is the unit class of the charted unit (None when
        the unit spans several counter classes), which decides the aggregate (a sum of
        percentages means nothing) and the log axis (money)."""
        unit_class = self.unit_class if (self.unit_class or self.metric) else "money"
        cls = cls if cls is not None else unit_class
        agg = self.agg or default_agg(cls)
        log = (cls == "money") if self.log is None else bool(self.log)
        return CompareOptions(unit_class, tuple(self.terms), self.unit, self.dim, agg,
                              self.chart, log, self.metric)

    def name(self) -> str:
        """What is charted, in Chinese: the metric's name, else the unit class's."""
        if self.metric:
            return metric_zh(self.metric)
        return UNIT_CLASS_ZH.get(self.unit_class or "money", str(self.unit_class))

    def selection(self, base: q.Filters) -> q.Filters:
        """The sidebar filters narrowed to this metric / class and subject words."""
        return base.but(unit_class=(self.unit_class,) if self.unit_class else (),
                        metric=(self.metric,) if self.metric else (),
                        subject_terms=tuple(self.terms))


def default_agg(unit_class: str | None) -> str:
    return DEFAULT_AGG.get(unit_class or "", "sum")


def split_terms(raw: str | list | tuple | None) -> tuple[str, ...]:
    """Subject words as typed: separated by spaces, commas (，、) or semicolons."""
    if raw is None:
        return ()
    if isinstance(raw, (list, tuple)):
        raw = " ".join(str(x) for x in raw)
    return tuple(t for t in re.split(r"[\s,，、;；]+", str(raw)) if t)


def unit_choices(unit_class: str, units: list[str]) -> list[str]:
    """The unit picker's options for a unit class, the default first (every counter
    together for counter classes)."""
    return ([ALL_UNITS] if unit_class in MIXED_OK and len(units) > 1 else []) + units


def unit_rows(base: q.Filters, o: CompareOptions, run: Runner) -> pd.DataFrame:
    """The units of the options' selection, most common first: unit, n, classes."""
    r = o.resolved()
    df = run(q.unit_counts(r.selection(base)))
    df = df.loc[[isinstance(u, str) for u in df["unit"]]].reset_index(drop=True)
    df["classes"] = [tuple(as_list(c)) for c in df["classes"]]
    return df


def units_from(breakdown: pd.DataFrame, metric: str) -> pd.DataFrame:
    """`unit_rows` for one metric, from the per metric, unit and class counts of
    q.metric_units (the Compare page has them already): same rows, same order."""
    keep = [m == metric and isinstance(u, str) for m, u in zip(breakdown["metric"], breakdown["unit"])]
    part = breakdown.loc[keep]
    rows = []
    for unit, g in part.groupby("unit", sort=False):
        classes = tuple(sorted(c for c in g["unit_class"] if isinstance(c, str)))
        rows.append((unit, int(g["n"].sum()), classes))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return pd.DataFrame(rows, columns=["unit", "n", "classes"])


def units_of(base: q.Filters, o: CompareOptions, run: Runner) -> list[str]:
    return unit_rows(base, o, run)["unit"].tolist()


def choices_for(o: CompareOptions, units: pd.DataFrame) -> list[str]:
    """The unit picker's options, the default first. A metric: its most common unit
    first, then the others, and last "every counter" when all its units are counters
    (个/家/支 may be added up; 人 and 人次 may not). A class: as `unit_choices`."""
    names = units["unit"].tolist()
    if not o.metric:
        return unit_choices(o.resolved().unit_class, names)
    classes = {c for cs in units["classes"] for c in cs}
    mixed_ok = len(names) > 1 and classes and classes <= set(MIXED_OK)
    return names + ([ALL_UNITS] if mixed_ok else [])


def unit_class_of(units: pd.DataFrame, unit: str, o: CompareOptions) -> str | None:
    """The unit class of the charted unit: one class, or None when it spans several
    (every counter together, or a unit such as 个 used by items and events alike)."""
    if not o.metric and o.unit_class:
        return o.unit_class
    rows = units if unit == ALL_UNITS else units[units["unit"] == unit]
    classes = {c for cs in rows["classes"] for c in cs}
    return next(iter(classes)) if len(classes) == 1 else None


def group_labels(groups: pd.Series, dim: str) -> list[str]:
    """Chart category names: levels in Chinese, years as text, NULL as （未标注）."""
    out = []
    for g in groups:
        if g is None or (not isinstance(g, str) and pd.isna(g)):
            out.append(NONE_LABEL)
        elif dim == "level":
            out.append(level_zh(g))
        elif dim == "year":
            out.append(str(int(g)))
        else:
            out.append(str(g))
    return out


def _scaled(y: pd.Series, agg: str, div: float) -> pd.Series:
    return y.astype(float) if agg == "count" else y.astype(float) / div


def check_compare(o: CompareOptions) -> None:
    """ValueError naming the option that cannot be understood."""
    if o.metric is not None and o.metric not in metric_by_id():
        raise ValueError(f"unknown metric id {o.metric!r}; one of {', '.join(metric_ids())}")
    if o.unit_class is not None and o.unit_class not in UNIT_CLASS_ZH:
        raise ValueError(f"unknown metric {o.unit_class!r}; one of {', '.join(UNIT_CLASS_ZH)}")
    if o.dim not in q.DIMENSIONS:
        raise ValueError(f"unknown grouping {o.dim!r}; one of {', '.join(q.DIMENSIONS)}")
    if o.agg is not None and o.agg not in AGG_ZH:
        raise ValueError(f"unknown aggregate {o.agg!r}; one of {', '.join(AGG_ZH)}")
    if o.chart not in CHART_ZH:
        raise ValueError(f"unknown chart type {o.chart!r}; one of {', '.join(CHART_ZH)}")


def charted(base: q.Filters, opts: CompareOptions, units: pd.DataFrame
            ) -> tuple[q.Filters, CompareOptions, str | None, str]:
    """What a chart of these options draws: the filters selecting its figures, the
    options with defaults filled in, the charted unit's class and the unit (`units`:
    the selection's units, non-empty). The page uses it to list the figures behind a
    clicked mark."""
    unit = opts.unit if opts.unit is not None else choices_for(opts, units)[0]
    cls = unit_class_of(units, unit, opts)
    o = opts.resolved(cls)
    return o.selection(base).but(unit=None if unit == ALL_UNITS else unit), o, cls, unit


def compare_queries(base: q.Filters, opts: CompareOptions, dup: q.DupSource | None,
                    units: pd.DataFrame) -> list[q.Query]:
    """Every query `compare_chart` runs for these options once it has the selection's
    units (independent of each other, so the page can run them side by side: a filter
    change then waits for the slowest, not for their sum)."""
    check_compare(opts)
    if units.empty:
        return []
    f, o, _, _ = charted(base, opts, units)
    if o.chart == "dots":
        return [sources_sql(f, reports_only=False), q.compare_points(f, o.dim, dup)]
    chart = (q.compare_timeline(f, o.dim, o.agg, dup) if o.chart == "timeline"
             else q.compare(f, o.dim, o.agg, dup, TOP_GROUPS))
    return [sources_sql(f, reports_only=False), chart, q.compare_ledger(f, o.dim, dup)]


def compare_chart(base: q.Filters, opts: CompareOptions, run: Runner,
                  dup: q.DupSource | None, units: pd.DataFrame | list[str] | None = None
                  ) -> Chart | None:
    """The Compare page's chart for these options (None: nothing matches). `units`:
    the selection's units (`unit_rows`), when the caller has them already."""
    check_compare(opts)
    if units is None:
        units = unit_rows(base, opts, run)
    elif not isinstance(units, pd.DataFrame):       # a list of units of opts.unit_class
        units = pd.DataFrame({"unit": list(units), "n": 0,
                              "classes": [(opts.resolved().unit_class,)] * len(units)})
    if units.empty:
        return None
    f, o, cls, unit = charted(base, opts, units)
    dim, agg = o.dim, o.agg
    terms, name = o.terms, o.name()
    metric = "、".join(terms) + f"（{name}）" if terms else name
    shown_unit = axis_unit(cls or "", None if unit == ALL_UNITS else unit) or "个"
    # charts draw base units and label them in 万/亿 (27万 on an axis of 元); tables keep
    # the axis unit of their column headers (万元), numbers staying numbers
    base_unit = (None if unit == ALL_UNITS else unit) or ("元" if cls == "money" else "个")
    if unit == ALL_UNITS:
        shown_unit = base_unit = "个，混合量词"
    value_title = f"{name}（{shown_unit}）"
    chart_title = f"{name}（{base_unit}）"
    hover_unit = "" if unit == ALL_UNITS else base_unit
    div = scale(cls or "")
    base_src = source(f, run)
    notes: list[str] = []
    by = DIMENSION_ZH[dim]
    log_mark = "（对数刻度）" if o.log else ""      # a log and a linear slide are told apart

    if o.chart == "dots":
        src = f"{base_src}\n{how_drawn(None, bool(o.log))}"
        df = run(q.compare_points(f, dim, dup))
        # equal values come back in any order: fix it, so a redraw (or an export) is the
        # same (the query breaks ties by claim_id; the stable sort keeps that order)
        df = df.sort_values(["grp", "value", "report", "text", "subject"], kind="stable",
                            ascending=[True, False, True, True, True], na_position="last",
                            ignore_index=True)
        df["label"] = group_labels(df["grp"], dim)
        df["y"] = df["value"].astype(float)
        title = f"{metric}：按{by}的每个数字"
        fig = charts.dots(df, title=title + log_mark, value_title=chart_title, group_title=by, source=src,
                          log=o.log, unit=hover_unit)
        if (df.groupby("grp")["n_in_group"].first() > 200).any():
            notes.append("点太多时每组只画最大的 200 个数字。")
        data = df[["label", "text", "y", "approx", "subject", "report"]].assign(
            approx=df["approx"].map(approx_zh), y=df["y"] / div, subject=df["subject"].map(subject_zh))
        cols = {**COLUMNS_ZH, "label": by, "y": value_title}
    elif o.chart == "timeline":
        src = f"{base_src}\n{how_drawn(AGG_ZH[agg], bool(o.log))}"
        df = run(q.compare_timeline(f, dim, agg, dup))
        # by year there is one series (the metric), not a one-point "line" per year
        df["label"] = metric if dim == "year" else group_labels(df["grp"], dim)
        df["y"] = df["y"].astype(float)
        vt = "数字个数（个）" if agg == "count" else value_title
        title = f"{metric}{AGG_ZH[agg]}的年度变化（按{by}）"
        fig = charts.timeline(df, title=title + log_mark, source=src, log=o.log,
                              value_title="数字个数（个）" if agg == "count" else chart_title,
                              unit="个" if agg == "count" else hover_unit)
        data = df[(["label"] if dim != "year" else []) + ["year", "y", "n_figures", "n_approx"]]
        data = data.assign(y=_scaled(data["y"], agg, div))
        cols = {**COLUMNS_ZH, "label": by, "y": vt if agg == "count" else f"{AGG_ZH[agg]}：{vt}"}
    else:
        src = f"{base_src}\n{how_drawn(AGG_ZH[agg], bool(o.log))}"
        df = run(q.compare(f, dim, agg, dup, TOP_GROUPS))
        df["label"] = group_labels(df["grp"], dim)
        df["y"] = df["y"].astype(float)
        vt = "数字个数（个）" if agg == "count" else value_title
        title = f"{metric}：按{by}{AGG_ZH[agg]}"
        fig = charts.bar(df, title=title + log_mark, source=src, log=o.log, horizontal=dim != "year",
                         value_title="数字个数（个）" if agg == "count" else chart_title,
                         group_title=by, unit="个" if agg == "count" else hover_unit)
        if len(df) == TOP_GROUPS:
            notes.append(f"只显示{AGG_ZH[agg]}最大的 {TOP_GROUPS} 组。")
        data = df[["label", "y", "n_figures", "n_approx", "n_corrected"]]
        data = data.assign(y=_scaled(data["y"], agg, div))
        cols = {**COLUMNS_ZH, "label": by, "y": vt if agg == "count" else f"{AGG_ZH[agg]}：{vt}"}
    if df.empty:
        return None
    ledger = None
    if o.chart != "dots":       # a sum: say how it was made, and list what went in
        how = q.how_summed([cls] if cls else [])
        notes.insert(0, how)
        ledger = ledger_table(run(q.compare_ledger(f, dim, dup)), dim, value_title, div,
                              title=f"{title}（计入与未计入的数字）", source=f"{src}\n{how}")
    table = Table(typed_numbers(data).rename(columns=cols), title=f"{title}（数据）", source=src)
    # the chart's own title names its scale (a log and a linear slide differ); its tables
    # hold numbers, not a drawing, and keep the plain title
    return Chart(fig=fig, title=title + log_mark, source=src, data=table, notes=notes,
                 ledger=ledger)


def ledger_table(rows: pd.DataFrame, dim: str, value_title: str, div: float, *, title: str,
                 source: str) -> Table:
    """The figures behind a sum, one row each: the group, the figure as written, its
    value, whether the sum counts it (计入) or why not, its subject, role and report."""
    df = pd.DataFrame({
        DIMENSION_ZH[dim]: group_labels(rows["grp"], dim),
        "数字": rows["text"],
        value_title: rows["value"].astype(float) / div,
        "合计": rows["left_out"].fillna(COUNTED_ZH),
        "主体": rows["subject"].map(subject_zh),
        "作用": rows["role"].map(ROLE_ZH),
        "报告": rows["report"],
        "日期": rows["published"].fillna(""),
        "claim_id": rows["claim_id"],
    })
    return Table(typed_numbers(df), title=title, source=source, sheet="计入与未计入",
                 keys=rows[["claim_id", "report_id"]].reset_index(drop=True))


COUNT_COLUMNS = ("n_figures", "n_approx", "n_corrected", "year", "n")


def typed_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Counts and years as integers, other numbers as floats (DuckDB's HUGEINT sums
    arrive as floats): spreadsheets get numbers, never text."""
    out = df.reset_index(drop=True)
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            continue
        if col in COUNT_COLUMNS or pd.api.types.is_integer_dtype(s):
            out[col] = s.round().astype("Int64")
        else:
            out[col] = s.astype(float)
    return out
