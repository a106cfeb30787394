"""对比: one metric (a unit class plus subject words such as 慰问金 or 干部职工) compared
across campaigns, organisations, levels or years, as bars, dots or a timeline; the chart
downloads as PNG/SVG/PDF and its data as CSV/Excel, or goes into the briefing.

The chart itself is built by pages._figures.compare_chart (pure), which
`python -m etl export-chart` calls too: the same options give the same figure."""
import streamlit as st

from pages import _data, _download, _figures, _ui
from pages import _queries as q
from pages._figures import AGG_ZH, ALL_UNITS, CHART_ZH, DEFAULT_AGG, CompareOptions
from pages._labels import DIMENSION_ZH, UNIT_CLASS_ZH, unit_class_zh
from pages._markdown import escape_markdown


def main() -> None:
    st.title("对比")
    base = _ui.shared_filters()
    if note := _ui.filter_note(base):
        st.caption("侧栏筛选：" + escape_markdown(note))

    c1, c2, c3 = st.columns([2, 4, 2])
    cls = c1.selectbox("类别", list(UNIT_CLASS_ZH), format_func=unit_class_zh, key="c_class")
    raw_terms = c2.text_input("主体关键词（可填多个，用空格或逗号分开；留空＝该类全部数字）",
                              key="c_terms", placeholder="如：慰问金　或：干部职工 党员")
    terms = _figures.split_terms(raw_terms)
    units = _figures.units_of(base, CompareOptions(unit_class=cls, terms=terms), _data.query)
    if not units:
        _ui.no_match()
        return
    unit = c3.selectbox("计量单位", _figures.unit_choices(cls, units), key=f"c_unit_{cls}",
                        format_func=lambda u: "全部量词" if u == ALL_UNITS else u)

    d1, d2, d3, d4 = st.columns([4, 2, 3, 1.4])
    dim = d1.radio("按…对比", q.DIMENSIONS, format_func=DIMENSION_ZH.get, horizontal=True,
                   key="c_dim")
    aggs = list(AGG_ZH)
    agg = d2.selectbox("汇总方式", aggs, format_func=AGG_ZH.get, key=f"c_agg_{cls}",
                       index=aggs.index(DEFAULT_AGG.get(cls, "sum")),
                       disabled=st.session_state.get("c_chart") == "dots",
                       help="点图画出每个数字，不汇总")
    chart_type = d3.radio("图表", list(CHART_ZH), format_func=CHART_ZH.get, horizontal=True,
                          key="c_chart")
    log = d4.checkbox("对数刻度", value=cls == "money", key=f"c_log_{cls}")

    opts = CompareOptions(unit_class=cls, terms=terms, unit=unit, dim=dim, agg=agg,
                          chart=chart_type, log=log)
    dup = _data.dup_source()
    chart = _figures.compare_chart(base, opts, _data.query, dup, units=units)
    if chart is None:
        _ui.no_match()
        return
    for n in chart.notes:
        st.caption(n)
    st.plotly_chart(chart.fig, key="c_chart_fig", config=_download.PLOTLY_CONFIG)
    item = briefing_item(base, opts)
    _download.chart_downloads(chart, key="c_dl", item=item)
    st.caption(_figures.dup_caption(dup))
    with st.expander("图表数据"):
        st.dataframe(chart.data.df, hide_index=True, width="stretch", key="c_data")
        _download.table_downloads(chart.data, key="c_data_dl", sheet="数据",
                                  item={**{k: v for k, v in item.items() if k != "chart"},
                                        "table": "compare"})


def briefing_item(base: q.Filters, o: CompareOptions) -> dict:
    """This chart as a briefing item (the spec `python -m etl briefing` reads)."""
    item = {"chart": "compare", "metric": o.unit_class, "subject": list(o.terms),
            "unit": "all" if o.unit == ALL_UNITS else o.unit, "by": o.dim, "agg": o.agg,
            "type": o.chart, "log": bool(o.log)}
    if flt := _download.filters_dict(base):
        item["filters"] = flt
    return item


_ui.run(main)
