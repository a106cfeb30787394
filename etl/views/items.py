"""Briefing items: a small dict naming a chart or a table and its options (what the 简报
page collects and what a briefing spec file lists), e.g.

    {"chart": "compare", "metric_id": "funds_disbursed", "subject": ["慰问金"],
     "by": "campaign", "filters": {"campaign": ["党史学习教育"]}}

`build(item, run)` turns one into a Chart or Table with the page's own code; see
ITEM_KEYS for every key. The pages call it with their cached query runner, the command
line (`python -m etl export-chart` / `briefing`) with a Store's `query_df`: same SQL,
same builder, same titles, so an exported chart is the chart on screen.
"""
from __future__ import annotations

from etl.extraction.metrics import by_id as metric_by_id
from etl.views import queries as q
from etl.views.compare import (AGG_ZH, ALL_UNITS, CHART_ZH, CompareOptions, compare_chart,
                               split_terms)
from etl.views.explore import ExploreOptions, explore_table
from etl.views.labels import (DIMENSION_ZH, NONE_LABEL, UNIT_CLASS_ZH, metric_ids, metric_zh,
                              unit_class_zh)
from etl.views.model import Chart, Table
from etl.views.overview import biggest_table, overview_chart
from etl.views.sources import Runner, dup_source, filter_note
from etl.views.text import plotly_text

SHARED = ("campaign", "organisation", "year")     # the sidebar filters every item carries


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
