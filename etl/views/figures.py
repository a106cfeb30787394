"""The dashboard's charts and tables as pure functions: filters and options in, an
Chart or Table (model.py) out. No streamlit, and nothing from the pages package.

The pages call these with `_data.query` (cached) and draw the result; the command line
(`python -m etl export-chart` / `briefing`, etl/cli.py) calls them with a
Store's `query_df`. Same SQL, same builder, same titles: an exported chart is the
chart on screen.

A briefing item is a small dict (what the Briefing page collects and what a briefing
spec file lists), e.g.

    {"chart": "compare", "metric_id": "funds_disbursed", "subject": ["慰问金"],
     "by": "campaign", "filters": {"campaign": ["党史学习教育"]}}

`build(item, run)` turns one into a Chart or Table; see ITEM_KEYS for every key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from etl.views import charts
from etl.views.model import Chart, Table
from etl.views.text import plotly_text, shorten
from etl.views.labels import (DIMENSION_ZH, NONE_LABEL, UNIT_CLASS_ZH, approx_zh, axis_unit,
                        fmt_value, level_zh, metric_evidence_zh, metric_ids, metric_zh, scale,
                        unit_class_zh)
from etl.extraction.metrics import by_id as metric_by_id
from etl.views import queries as q

Runner = Callable[[q.Query], pd.DataFrame]

AGG_ZH = {"sum": "合计", "max": "最大值", "avg": "平均值", "median": "中位数", "count": "数字个数"}
CHART_ZH = {"bar": "柱状图", "dots": "点图", "timeline": "时间线"}
ALL_UNITS = "__all__"
MIXED_OK = ("orgs", "items", "events")     # counters (个/家/支) may be added up together
DEFAULT_AGG = {"percent": "max", "duration": "max", "other": "max"}   # a sum of % means nothing
TOP_GROUPS = 30
OVERVIEW_TITLE = "各专项活动的数字个数（按类别）"
# The unit a class is totalled in; None = every counter of the class (个, 家, 支 ...).
TOTAL_UNIT = {"money": "元", "people": "人", "person_times": "人次"}
COLUMNS_ZH = {"label": "分组", "y": "数值", "n_figures": "数字个数", "n_approx": "其中约数",
              "n_corrected": "其中已更正", "text": "原文", "approx": "近似", "subject": "主体",
              "report": "报告", "year": "年份"}
SHARED = ("campaign", "organisation", "year")     # the sidebar filters every item carries


# ------------------------------------------------------------------- repeated figures

DUP_TABLES = ("figure_groups", "claim_dup_groups")


def dup_source(run: Runner) -> q.DupSource | None:
    """Where a duplicates module put `dup_group`, if anywhere and if it has run (an
    empty grouping means every report's figure counts; see queries.DupSource)."""
    df = run(q.dup_columns())
    have = df[df["has_dup"] & df["has_claim_id"]]["table_name"].tolist()
    if q.VIEW in have:
        return q.DupSource(None, view_only="claims" not in have)
    tables = [t for t in DUP_TABLES if t in have] + sorted(
        t for t in have if t not in DUP_TABLES and t not in ("claims", "corrections"))
    if not tables:
        return None
    n = run((f"SELECT count(*) AS n FROM (SELECT 1 FROM {q.quote(tables[0])} "
             f"WHERE dup_group IS NOT NULL LIMIT 1)", ()))["n"].iloc[0]
    return q.DupSource(tables[0]) if int(n) else None


def dup_caption(dup: q.DupSource | None) -> str:
    return ("重复报道的同一数字只计一次。" if dup is not None else
            "每份报告的数字各计一次：同一数字被几份报告重复报道时会重复计入（去重模块接入后自动只计一次）。")


# ----------------------------------------------------------------------- source line

def filter_note(f: q.Filters) -> str:
    """One line naming the active shared filters (plain text)."""
    parts = []
    for label, vals in (("活动", f.campaign), ("单位", f.organisation), ("年份", f.year)):
        if vals:
            shown = "、".join(str(v) for v in vals[:3]) + ("等" if len(vals) > 3 else "")
            parts.append(f"{label}：{shown}")
    return "；".join(parts)


def _sources_sql(f: q.Filters, *, reports_only: bool) -> q.Query:
    """Reports behind a selection: how many, the biggest three, their organisations
    and dates. reports_only: the filtered reports (whole-store charts), else the reports
    that hold the filtered claims."""
    if reports_only:
        w, p = q.where(f, reports_only=True)
        per = (f"SELECT report_id, coalesce(title, doc) AS name, organisation AS org, published, "
               f"year, coalesce(n_claims, 0) AS n FROM reports WHERE {w}")
    else:
        w, p = q.where(f)
        per = (f"SELECT report_id, any_value(coalesce(title, doc)) AS name, any_value(organisation) AS org, "
               f"any_value(published) AS published, any_value(year) AS year, count(*) AS n "
               f"FROM {q.FAST_VIEW} AS ce WHERE {w} GROUP BY report_id")
    # one pass over `per` for the counts and dates; top-3 lists as small top-N sorts
    return (f"WITH per AS MATERIALIZED ({per}) SELECT count(*) AS n_reports, "
            f"(SELECT list(name) FROM (SELECT name FROM per ORDER BY n DESC, name LIMIT 3)) AS names, "
            f"count(DISTINCT org) AS n_orgs, "
            f"(SELECT list(org) FROM (SELECT org FROM per WHERE org IS NOT NULL GROUP BY org "
            f"ORDER BY sum(n) DESC, org LIMIT 3)) AS orgs, "
            f"min(published) AS first_date, max(published) AS last_date, "
            f"count(*) FILTER (WHERE published IS NULL) AS undated, "
            f"min(year) AS first_year, max(year) AS last_year FROM per",
            tuple(p))


def _list(v) -> list:
    if isinstance(v, str):
        return [v]
    if v is None or not hasattr(v, "__len__"):
        return []
    return [x for x in list(v) if isinstance(x, str) and x]


def source_text(row: dict | pd.Series, note: str = "") -> str:
    """'数据来源：N 份报告：《A》、《B》、《C》 等' and, on a second line, the organisations,
    the dates and the filters. Plain text (escape for the target)."""
    n = int(row["n_reports"] or 0)
    names = _list(row.get("names"))
    shown = "、".join(f"《{shorten(x, 28)}》" for x in names)
    line1 = f"数据来源：{n:,} 份报告" + (("：" + shown + (" 等" if n > len(names) else "")) if shown else "")
    parts = []
    n_orgs, orgs = int(row.get("n_orgs") or 0), _list(row.get("orgs"))
    if n_orgs:
        parts.append(f"{n_orgs:,} 个单位：" + "、".join(shorten(o, 16) for o in orgs)
                     + (" 等" if n_orgs > len(orgs) else ""))
    first, last = row.get("first_date"), row.get("last_date")
    if isinstance(first, str) and isinstance(last, str) and not int(row.get("undated") or 0):
        parts.append(f"报告日期：{first}" + (f" 至 {last}" if last != first else ""))
    elif pd.notna(row.get("first_year")):
        y0, y1 = int(row["first_year"]), int(row["last_year"])
        parts.append(f"报告年份：{y0}" + (f"–{y1}" if y1 != y0 else "") + " 年")
    if note:
        parts.append("筛选：" + note)
    return line1 + ("\n" + "；".join(parts) if parts else "")


def rows_source(rows: pd.DataFrame, note: str = "") -> str:
    """The source line of a table, from its own rows (no query): columns report_id,
    name, org, published and, if known, year."""
    if rows.empty:
        return source_text({"n_reports": 0}, note)
    cols = {"name": ("name", "first"), "org": ("org", "first"),
            "published": ("published", "first"), "n": ("name", "size")}
    if "year" in rows:
        cols["year"] = ("year", "first")
    per = rows.groupby("report_id", sort=False).agg(**cols)
    if "year" not in per:
        per["year"] = pd.to_numeric(per["published"].astype("string").str[:4], errors="coerce")
    per = per.sort_values(["n", "name"], ascending=[False, True])
    orgs = per.dropna(subset=["org"]).groupby("org", sort=False)["n"].sum().sort_values(ascending=False)
    dated = per["published"].dropna().astype(str)
    row = {"n_reports": len(per), "names": per["name"].dropna().astype(str).head(3).tolist(),
           "n_orgs": per["org"].nunique(), "orgs": orgs.index.astype(str)[:3].tolist(),
           "first_date": dated.min() if len(dated) else None,
           "last_date": dated.max() if len(dated) else None,
           "undated": int(per["published"].isna().sum()),
           "first_year": per["year"].min(), "last_year": per["year"].max()}
    return source_text(row, note)


def source(f: q.Filters, run: Runner, *, reports_only: bool = False) -> str:
    """The source line of a chart or table drawn from the selection `f`."""
    df = run(_sources_sql(f, reports_only=reports_only))
    row = df.iloc[0].to_dict() if len(df) else {"n_reports": 0}
    return source_text(row, filter_note(f))


# --------------------------------------------------------------------------- compare

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
    df["classes"] = [tuple(_list(c)) for c in df["classes"]]
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
    unit = opts.unit if opts.unit is not None else choices_for(opts, units)[0]
    cls = unit_class_of(units, unit, opts)
    o = opts.resolved(cls)
    dim, agg = o.dim, o.agg
    f = o.selection(base).but(unit=None if unit == ALL_UNITS else unit)
    terms, name = o.terms, o.name()
    metric = "、".join(terms) + f"（{name}）" if terms else name
    shown_unit = axis_unit(cls or "", None if unit == ALL_UNITS else unit) or "个"
    if unit == ALL_UNITS:
        shown_unit = "个，混合量词"
    value_title = f"{name}（{shown_unit}）"
    div = scale(cls or "")
    src = source(f, run)
    notes: list[str] = []
    by = DIMENSION_ZH[dim]

    if o.chart == "dots":
        df = run(q.compare_points(f, dim, dup))
        # equal values come back in any order: fix it, so a redraw (or an export) is the
        # same (the query breaks ties by claim_id; the stable sort keeps that order)
        df = df.sort_values(["grp", "value", "report", "text", "subject"], kind="stable",
                            ascending=[True, False, True, True, True], na_position="last",
                            ignore_index=True)
        df["label"] = group_labels(df["grp"], dim)
        df["y"] = df["value"] / div
        title = f"{metric}：按{by}的每个数字"
        fig = charts.dots(df, title=title, value_title=value_title, group_title=by, source=src, log=o.log)
        if (df.groupby("grp")["n_in_group"].first() > 200).any():
            notes.append("点太多时每组只画最大的 200 个数字。")
        data = df[["label", "text", "y", "approx", "subject", "report"]].assign(
            approx=df["approx"].map(approx_zh))
        cols = {**COLUMNS_ZH, "label": by, "y": value_title}
    elif o.chart == "timeline":
        df = run(q.compare_timeline(f, dim, agg, dup))
        # by year there is one series (the metric), not a one-point "line" per year
        df["label"] = metric if dim == "year" else group_labels(df["grp"], dim)
        df["y"] = _scaled(df["y"], agg, div)
        vt = "数字个数（个）" if agg == "count" else value_title
        title = f"{metric}{AGG_ZH[agg]}的年度变化（按{by}）"
        fig = charts.timeline(df, title=title, value_title=vt, source=src, log=o.log)
        data = df[(["label"] if dim != "year" else []) + ["year", "y", "n_figures", "n_approx"]]
        cols = {**COLUMNS_ZH, "label": by, "y": vt if agg == "count" else f"{AGG_ZH[agg]}：{vt}"}
    else:
        df = run(q.compare(f, dim, agg, dup, TOP_GROUPS))
        df["label"] = group_labels(df["grp"], dim)
        df["y"] = _scaled(df["y"], agg, div)
        vt = "数字个数（个）" if agg == "count" else value_title
        title = f"{metric}：按{by}{AGG_ZH[agg]}"
        fig = charts.bar(df, title=title, value_title=vt, group_title=by, source=src,
                         log=o.log, horizontal=dim != "year")
        if len(df) == TOP_GROUPS:
            notes.append(f"只显示{AGG_ZH[agg]}最大的 {TOP_GROUPS} 组。")
        data = df[["label", "y", "n_figures", "n_approx", "n_corrected"]]
        cols = {**COLUMNS_ZH, "label": by, "y": vt if agg == "count" else f"{AGG_ZH[agg]}：{vt}"}
    if df.empty:
        return None
    table = Table(_numbers(data).rename(columns=cols), title=f"{title}（数据）", source=src)
    return Chart(fig=fig, title=title, source=src, data=table, notes=notes)


COUNT_COLUMNS = ("n_figures", "n_approx", "n_corrected", "year", "n")


def _numbers(df: pd.DataFrame) -> pd.DataFrame:
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


# -------------------------------------------------------------------------- overview

def overview_counts(groups: pd.DataFrame) -> pd.DataFrame:
    """Figures per campaign and unit class, from the Overview's one-scan query."""
    figs = groups[groups["is_claim"].fillna(False).astype(bool)]
    return (figs.assign(campaign=figs["campaign"].fillna(NONE_LABEL))
            .groupby(["campaign", "unit_class"], as_index=False)["n"].sum()
            .sort_values(["campaign", "unit_class"]))


def overview_chart(f: q.Filters, run: Runner, dup: q.DupSource | None) -> Chart | None:
    """The Overview's chart: claims per campaign, split by unit class."""
    counts = overview_counts(run(q.overview_groups(f, dup)))
    if counts.empty:
        return None
    src = source(f, run, reports_only=True)
    fig = charts.counts_by_class(counts, title=OVERVIEW_TITLE, source=src)
    wide = (counts.assign(unit_class=counts["unit_class"].map(unit_class_zh))
            .pivot_table(index="campaign", columns="unit_class", values="n", aggfunc="sum",
                         fill_value=0, sort=False))
    wide = wide[[unit_class_zh(c) for c in UNIT_CLASS_ZH if unit_class_zh(c) in wide.columns]]
    wide.columns = [f"{c}（个）" for c in wide.columns]
    wide.insert(0, "合计（个）", wide.sum(axis=1))
    data = wide.reset_index().rename(columns={"campaign": "专项活动"})
    data.columns.name = None
    table = Table(_numbers(data), title=f"{OVERVIEW_TITLE}（数据）", source=src)
    return Chart(fig=fig, title=OVERVIEW_TITLE, source=src, data=table)


def overview_queries(f: q.Filters, unit_class: str, dup: q.DupSource | None,
                     limit: int = 10) -> list[q.Query]:
    """Every query the Overview runs for the selection `f` (independent of each other,
    so the page can run them side by side)."""
    return [q.report_summary(f), q.overview_groups(f, dup), _sources_sql(f, reports_only=True),
            q.biggest(f, unit_class, TOTAL_UNIT.get(unit_class), limit, dup)]


def biggest_table(f: q.Filters, unit_class: str, run: Runner, dup: q.DupSource | None,
                  limit: int = 10) -> Table:
    """The Overview's "最大的数字": the largest figures of a class, repeats dropped."""
    unit = TOTAL_UNIT.get(unit_class)
    big = run(q.biggest(f, unit_class, unit, limit, dup))
    if dup is not None:     # repeated figures: keep the first copy
        big = big.assign(_k=big["dup_group"].fillna(big["claim_id"])).drop_duplicates("_k")
    big = big.head(limit)
    shown_unit = axis_unit(unit_class, unit)
    value_col = f"数值（{shown_unit}）" if shown_unit else "数值"
    df = pd.DataFrame({
        "数字": big["text"],
        value_col: big["value"].astype(float) / scale(unit_class),
        "计量单位": big["unit"],
        "近似": big["approx"].map(approx_zh),
        "主体": big["subject"],
        "句子": big["sentence"],
        "报告": big["report"],
        "日期": big["published"].fillna(""),
        "专项活动": big["campaign"],
        "单位": big["organisation"],
        "已更正": big["corrected"].map(lambda b: "✎ 已更正" if b else ""),
    })
    if shown_unit:
        df = df.drop(columns="计量单位")
    title = f"最大的数字：{unit_class_zh(unit_class)}"
    src = rows_source(pd.DataFrame({"report_id": big["report_id"], "name": big["report"],
                                    "org": big["organisation"], "published": big["published"]}),
                      filter_note(f))
    return Table(_numbers(df), title=title, source=src)


# --------------------------------------------------------------------------- explore

@dataclass(frozen=True)
class ExploreOptions:
    level: tuple = ()
    unit_class: tuple = ()
    approx: tuple = ()
    text: str = ""
    order: str = "published_desc"
    limit: int = 500
    everything: bool = False         # also non-claims
    metric: tuple = ()               # metric ids (NONE_LABEL: not assigned)

    def filters(self, base: q.Filters) -> q.Filters:
        return base.but(level=tuple(self.level), unit_class=tuple(self.unit_class),
                        approx=tuple(self.approx), metric=tuple(self.metric), text=self.text,
                        claims_only=not self.everything)


def claims_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Explore's rows with Chinese column names, as shown and downloaded."""
    return pd.DataFrame({
        "原文": rows["text"],
        "数值": [fmt_value(v, c, u) for v, c, u in zip(rows["value"], rows["unit_class"], rows["unit"])],
        "基本数值": rows["value"],
        "计量单位": rows["unit"],
        "类别": rows["unit_class"].map(lambda c: unit_class_zh(c) if isinstance(c, str) else ""),
        "近似": rows["approx"].map(approx_zh),
        "主体": rows["subject"],
        "指标": [metric_zh(m) if isinstance(m, str) else "" for m in rows["metric"]],
        "指标依据": [metric_evidence_zh(e, "metric" in _list(k))
                 for e, k in zip(rows["metric_evidence"], rows["corrected_fields"])],
        "句子": rows["sentence"],
        "专项活动": rows["campaign"],
        "单位名称": rows["organisation"],
        "层级": rows["level"].map(level_zh),
        "年份": rows["year"].astype("Int64"),
        "日期": rows["published"],
        "报告": rows["title"].fillna(rows["doc"]),
        "已更正": rows["corrected"].map(lambda b: "✎" if b else ""),
    })


def claims_source(rows: pd.DataFrame, f: q.Filters) -> str:
    """The source line of Explore's rows (the reports of the rows shown)."""
    return rows_source(pd.DataFrame({"report_id": rows["report_id"],
                                     "name": rows["title"].fillna(rows["doc"]),
                                     "org": rows["organisation"], "published": rows["published"],
                                     "year": rows["year"]}), filter_note(f))


def explore_title(o: ExploreOptions) -> str:
    return "数字明细" + (f"：{o.text}" if o.text else "")


def explore_table(base: q.Filters, o: ExploreOptions, run: Runner) -> Table:
    f = o.filters(base)
    rows = run(q.explore(f, o.order, o.limit))
    return Table(claims_table(rows), title=explore_title(o), source=claims_source(rows, f))


# ------------------------------------------------------------------ briefing items

ITEM_KEYS = {
    "chart": "overview | compare (a chart: one slide, and its data as a sheet)",
    "table": "explore | biggest | overview | compare (a table: one sheet)",
    "title": "optional: replaces the chart's or table's title",
    "filters": "{campaign: [...], organisation: [...], year: [...]} (the sidebar filters)",
    "metric_id": "compare: what is charted, a metric from data/rules/metrics.yaml "
                 "(funds_disbursed, people_reached, participants ... or its Chinese name, "
                 "资金发放); explore: metrics (list)",
    "metric": "compare: unit class (money, people, person_times, orgs, items, events, "
              "percent, duration, other) or its Chinese name; with metric_id it narrows "
              "the metric to one class; alone, every figure of the class (default money)",
    "subject": "compare: subject words, a list or one string (慰问金 / 干部职工 党员)",
    "unit": "compare: 元, 人, 个 ... or 'all' for every counter (default: the most common "
            "unit; for a counter class without metric_id, all)",
    "by": "compare: campaign | organisation | level | year",
    "agg": "compare: sum | max | avg | median | count",
    "type": "compare: bar | dots | timeline",
    "log": "compare: true | false (default: true for money)",
    "class": "explore: unit classes (list); biggest: one unit class",
    "level": "explore: levels (central, provincial, municipal, county, unit)",
    "approx": "explore: exact, about, over, under, at_most, at_least, range",
    "text": "explore: words in the subject or the sentence",
    "order": f"explore: {' | '.join(q.EXPLORE_ORDER)}",
    "limit": "explore: rows (default 500)",
    "all": "explore: also non-claims (default false)",
}
_CLASS_BY_NAME = {**{v: k for k, v in UNIT_CLASS_ZH.items()}, **{k: k for k in UNIT_CLASS_ZH}}


class ItemError(ValueError):
    """A briefing item or command-line option that cannot be understood."""


def _tuple(v) -> tuple:
    if v is None or v == "":
        return ()
    if isinstance(v, (list, tuple)):
        return tuple(v)
    return (v,)


def item_filters(item: dict) -> q.Filters:
    flt = item.get("filters") or {}
    if not isinstance(flt, dict):
        raise ItemError("filters must be a mapping of campaign / organisation / year lists")
    unknown = set(flt) - set(SHARED)
    if unknown:
        raise ItemError(f"unknown filter {sorted(unknown)[0]!r}; use {', '.join(SHARED)}")
    years = []
    for y in _tuple(flt.get("year")):
        if y == NONE_LABEL:
            years.append(y)
            continue
        try:
            years.append(int(y))
        except (TypeError, ValueError):
            raise ItemError(f"year must be a number: {y!r}") from None
    return q.Filters(campaign=tuple(str(c) for c in _tuple(flt.get("campaign"))),
                     organisation=tuple(str(o) for o in _tuple(flt.get("organisation"))),
                     year=tuple(years))


def metric_code(v) -> str:
    """A unit class from its code or Chinese name (the older `metric:` key)."""
    code = _CLASS_BY_NAME.get(str(v).strip())
    if not code:
        hint = (f" ({v!r} is a metric id: use metric_id / --metric-id)"
                if _metric_by_name(v) else "")
        raise ItemError(f"unknown metric {v!r}; one of {', '.join(UNIT_CLASS_ZH)} "
                        f"(or {'、'.join(UNIT_CLASS_ZH.values())}){hint}")
    return code


def _metric_by_name(v) -> str | None:
    s = str(v).strip()
    by = metric_by_id()
    if s in by:
        return s
    return next((m.id for m in by.values() if s in (m.zh, m.en)), None)


def metric_id_code(v) -> str:
    """A metric id (data/rules/metrics.yaml) from its id, Chinese or English name."""
    code = _metric_by_name(v)
    if not code:
        raise ItemError(f"unknown metric id {v!r}; one of {', '.join(metric_ids())} "
                        f"(or {'、'.join(metric_zh(m) for m in metric_ids())})")
    return code


def compare_options(item: dict) -> CompareOptions:
    unit = item.get("unit")
    if isinstance(unit, str) and unit.lower() in ("all", "全部", "全部量词"):
        unit = ALL_UNITS
    log = item.get("log")
    ids = _tuple(item.get("metric_id"))
    if len(ids) > 1:
        raise ItemError(f"compare charts one metric_id at a time, got {list(ids)}")
    metric_id = metric_id_code(ids[0]) if ids else None
    cls = item.get("metric")
    o = CompareOptions(unit_class=metric_code(cls) if cls not in (None, "") else None,
                       terms=split_terms(item.get("subject")),
                       unit=str(unit) if unit not in (None, "") else None,
                       dim=str(item.get("by", "campaign")), agg=item.get("agg") or None,
                       chart=str(item.get("type", "bar")),
                       log=None if log is None else _bool(log), metric=metric_id)
    r = o.resolved()
    for name, value, allowed in (("by", r.dim, q.DIMENSIONS), ("agg", r.agg, tuple(AGG_ZH)),
                                 ("type", r.chart, tuple(CHART_ZH))):
        if value not in allowed:
            raise ItemError(f"unknown {name} {value!r}; one of {', '.join(allowed)}")
    return o


def _bool(v) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "on", "是"):
        return True
    if s in ("0", "false", "no", "off", "否"):
        return False
    raise ItemError(f"not a yes/no value: {v!r}")


def explore_options(item: dict) -> ExploreOptions:
    order = str(item.get("order", "published_desc"))
    if order not in q.EXPLORE_ORDER:
        raise ItemError(f"unknown order {order!r}; one of {', '.join(q.EXPLORE_ORDER)}")
    try:
        limit = int(item.get("limit", 500))
    except (TypeError, ValueError):
        raise ItemError(f"limit must be a number: {item.get('limit')!r}") from None
    return ExploreOptions(level=_tuple(item.get("level")),
                          unit_class=tuple(metric_code(c) for c in _tuple(item.get("class"))),
                          approx=_tuple(item.get("approx")), text=str(item.get("text") or ""),
                          order=order, limit=max(1, min(limit, 100_000)),
                          everything=_bool(item.get("all", False)),
                          metric=tuple(m if m == NONE_LABEL else metric_id_code(m)
                                       for m in _tuple(item.get("metric_id"))))


def build(item: dict, run: Runner, dup: q.DupSource | None | str = "auto") -> Chart | Table | None:
    """One briefing item (see module docstring) as a Chart or a Table; None when
    nothing matches its filters."""
    if not isinstance(item, dict):
        raise ItemError(f"an item must be a mapping, not {type(item).__name__}")
    unknown = set(item) - set(ITEM_KEYS)
    if unknown:
        raise ItemError(f"unknown key {sorted(unknown)[0]!r}; known: {', '.join(ITEM_KEYS)}")
    kind = "chart" if "chart" in item else "table" if "table" in item else None
    if kind is None or ("chart" in item and "table" in item):
        raise ItemError("an item needs exactly one of `chart:` or `table:`")
    what = str(item[kind])
    f = item_filters(item)
    if dup == "auto":
        dup = dup_source(run)
    out: Chart | Table | None
    if what == "compare":
        out = compare_chart(f, compare_options(item), run, dup)
    elif what == "overview":
        out = overview_chart(f, run, dup)
    elif kind == "table" and what == "explore":
        out = explore_table(f, explore_options(item), run)
    elif kind == "table" and what == "biggest":
        cls = metric_code(item.get("class", "money"))
        out = biggest_table(f, cls, run, dup)
    else:
        allowed = "overview, compare" if kind == "chart" else "explore, biggest, overview, compare"
        raise ItemError(f"unknown {kind} {what!r}; one of {allowed}")
    if kind == "table" and isinstance(out, Chart):
        out = out.data
    if out is not None and item.get("title"):
        out.title = str(item["title"])
        if isinstance(out, Chart):
            out.fig.update_layout(title_text=plotly_text(out.title))
    return out


def describe(item: dict) -> str:
    """A one-line description of an item for the Briefing page (plain text)."""
    kind = "图表" if "chart" in item else "表格"
    what = item.get("chart") or item.get("table")
    bits = {"overview": "总览", "compare": "对比", "explore": "数字明细", "biggest": "最大的数字"}
    parts = [f"{kind} · {bits.get(what, what)}"]
    if item.get("metric_id"):
        parts.append("、".join(metric_zh(m) for m in _tuple(item["metric_id"])))
    if item.get("metric"):
        parts.append(unit_class_zh(item["metric"]))
    if item.get("subject"):
        parts.append("、".join(split_terms(item["subject"])))
    if item.get("by"):
        parts.append("按" + DIMENSION_ZH.get(item["by"], str(item["by"])))
    if item.get("class"):
        parts.append("、".join(unit_class_zh(c) for c in _tuple(item["class"])))
    if item.get("text"):
        parts.append(f"“{item['text']}”")
    note = filter_note(item_filters(item))
    if note:
        parts.append(note)
    return " · ".join(parts)

