"""对比: one metric (what a figure measures: 资金发放, 服务帮扶对象, 参与人数 … from
data/rules/metrics.yaml), optionally narrowed by subject words such as 慰问金 or
干部职工, compared across campaigns, organisations, levels or years, as bars, dots or a
timeline. A metric may span unit classes (服务帮扶对象: 人, 人次, 户), so it is charted one
unit at a time (the most common first). Repeated figures count once. The chart
downloads as PNG/SVG/PDF and its data as CSV/Excel, or goes into the briefing.

The chart itself is built by etl.views.compare.compare_chart (pure), which `python -m etl export-chart --metric-id …` calls too: the same options give
the same figure."""
import streamlit as st

from etl.views import compare, marks, sources
from etl.views import queries as q
from etl.views.compare import AGG_ZH, ALL_UNITS, CHART_ZH, CompareOptions
from etl.views.labels import COUNTED_ZH, DIMENSION_ZH, metric_ids, metric_option
from pages import _access, _data, _download, _picks, _ui, _url
from pages._markdown import escape_markdown


def main() -> None:
    st.title("对比")
    base = _ui.shared_filters()
    if note := _ui.filter_note(base):
        st.caption("侧栏筛选：" + escape_markdown(note))

    c1, c2, c3 = st.columns([3, 4, 2])
    # the subject words come first in the script (they narrow the counts beside each
    # metric) but sit second on the page
    _url.bind("terms", "c_terms")
    raw_terms = c2.text_input("主体关键词（可选）", key="c_terms", placeholder="如：慰问金　或：干部职工 党员",
                              help="在该指标内只看主体含这些词的数字；多个词用空格或逗号分开，含任一词即可")
    terms = compare.split_terms(raw_terms)
    # one scan: figures per metric, unit and class (the picker's counts, the units)
    breakdown = _data.query(q.metric_units(base.but(subject_terms=terms)))
    counts = breakdown.groupby("metric")["n"].sum().astype(int).to_dict()
    _url.bind("metric", "c_metric", options=metric_ids())
    metric = c1.selectbox(
        "指标", metric_ids(), key="c_metric",
        format_func=lambda m: f"{metric_option(m)}（{counts.get(m, 0):,}）",
        help="每个数字衡量的是什么（data/rules/metrics.yaml）；括号里是数字个数，"
             "下级指标缩进在上级之下，只含它自己的数字")
    pick = CompareOptions(metric=metric, terms=terms)
    units = compare.units_from(breakdown, metric)
    if units.empty:
        _ui.no_match()
        if not any(counts.values()) and _data.n_reports():
            st.caption("数据库中的数字还没有指标：请运行 `python -m etl run` 重建数据库。")
        return
    n_by_unit = dict(zip(units["unit"], units["n"]))
    _url.bind("unit", f"c_unit_{metric}", options=compare.choices_for(pick, units))
    unit = c3.selectbox("计量单位", compare.choices_for(pick, units), key=f"c_unit_{metric}",
                        format_func=lambda u: "全部量词（个、家、支…）" if u == ALL_UNITS
                        else f"{u}（{n_by_unit.get(u, 0):,}）",
                        help="一个指标可能有几种计量单位（如 人、人次、户），每次画一种；默认是最常见的")
    cls = compare.unit_class_of(units, unit, pick)
    cls_key = cls or "mixed"

    d1, d2, d3, d4 = st.columns([4, 2, 3, 1.4])
    _url.bind("by", "c_dim", options=q.DIMENSIONS)
    _url.bind("chart", "c_chart", options=CHART_ZH)      # before 汇总方式, which reads it
    _url.bind("agg", f"c_agg_{metric}_{cls_key}", options=AGG_ZH)
    _url.bind("log", f"c_log_{metric}_{cls_key}", "bool")
    dim = d1.radio("按…对比", q.DIMENSIONS, format_func=DIMENSION_ZH.get, horizontal=True,
                   key="c_dim")
    aggs = list(AGG_ZH)
    agg = d2.selectbox("汇总方式", aggs, format_func=AGG_ZH.get, key=f"c_agg_{metric}_{cls_key}",
                       index=aggs.index(compare.default_agg(cls)),
                       disabled=st.session_state.get("c_chart") == "dots",
                       help="点图画出每个数字，不汇总")
    chart_type = d3.radio("图表", list(CHART_ZH), format_func=CHART_ZH.get, horizontal=True,
                          key="c_chart")
    log = d4.checkbox("对数刻度", value=cls == "money", key=f"c_log_{metric}_{cls_key}")

    opts = CompareOptions(metric=metric, terms=terms, unit=unit, dim=dim, agg=agg,
                          chart=chart_type, log=log)
    dup = _data.dup_source()
    _data.prefetch(compare.compare_queries(base, opts, dup, units))    # side by side, into the cache
    chart = compare.compare_chart(base, opts, _data.query, dup, units=units)
    if chart is None:
        _ui.no_match()
        return
    for n in chart.notes:
        st.caption(n)
    event = st.plotly_chart(chart.fig, key="c_chart_fig", on_select="rerun", selection_mode="points",
                            config=_picks.chart_config(_download.PLOTLY_CONFIG))
    behind_mark(base, opts, units, chart, dup, event)
    item = briefing_item(base, opts)
    _download.chart_downloads(chart, key="c_dl", item=item)
    st.caption(sources.dup_caption(dup))
    with st.expander("图表数据"):
        st.dataframe(chart.data.df, hide_index=True, width="stretch", key="c_data")
        _download.table_downloads(chart.data, key="c_data_dl", sheet="数据",
                                  item={**{k: v for k, v in item.items() if k != "chart"},
                                        "table": "compare"})
    if chart.ledger is not None:
        ledger_panel(chart.ledger)


def behind_mark(base: q.Filters, opts: CompareOptions, units, chart, dup, event) -> None:
    """A clicked bar, dot or timeline point: the figures behind it (for a sum, each
    counted or left out and why), each a click away from its sentence."""
    points = marks.points(event)
    if not points:
        st.caption("点击图中的柱、点或折线上的点，列出它背后的数字。")
        return
    f, o, cls, _ = compare.charted(base, opts, units)
    pick = marks.compare_pick(points[0], o.chart, chart.data.df, o.dim)
    if pick is None:
        return
    sel = f.but(year=(pick.year,)) if pick.year is not None else f
    # the charts draw base units (元), labelled in 万/亿: a dot's x is the figure's value
    rows = marks.behind(_data.query(q.compare_ledger(sel, o.dim, dup)), pick, o.dim, 1.0)
    where = pick.group + (f" · {pick.year} 年" if pick.year is not None and o.dim != "year" else "")
    _picks.figures_panel(rows, title=f"图中选中：{where}", key="c_behind")


def ledger_panel(ledger) -> None:
    """The figures behind the sums: counted (计入) or left out, with the reason; any one
    can be included or excluded by hand (a correction of `counted`, kept with who and why)."""
    df = ledger.df
    counted = int((df["合计"] == COUNTED_ZH).sum())
    with st.expander(f"计入与未计入的数字（{counted:,} 个计入，{len(df) - counted:,} 个未计入）"):
        _picks.open_on_row(ledger.keys, df.drop(columns=["claim_id"]), key="c_ledger",
                           column_config={"报告": st.column_config.TextColumn(width="medium")})
        _download.table_downloads(ledger, key="c_ledger_dl", sheet="计入与未计入")
        if not _access.can_write():
            _access.read_only_caption(st)
            return
        labels = {r.claim_id: f"{r.数字} · {r.主体 or ''} · {r.合计} · {r.报告}" for r in df.itertuples()}
        c1, c2 = st.columns([4, 1.4], vertical_alignment="bottom")
        cid = c1.selectbox("调整一个数字是否计入合计", list(labels), format_func=labels.get,
                           key="c_ledger_pick", index=None, placeholder="选择一个数字")
        if c2.button("去更正", key="c_ledger_fix", icon=":material/edit:", disabled=cid is None):
            _ui.goto_correction(cid)


def briefing_item(base: q.Filters, o: CompareOptions) -> dict:
    """This chart as a briefing item (the spec `python -m etl briefing` reads)."""
    item = {"chart": "compare", "metric_id": o.metric, "subject": list(o.terms),
            "unit": "all" if o.unit == ALL_UNITS else o.unit, "by": o.dim, "agg": o.agg,
            "type": o.chart, "log": bool(o.log)}
    if o.unit_class:
        item["metric"] = o.unit_class
    if flt := _download.filters_dict(base):
        item["filters"] = flt
    return item


_ui.run(main)
