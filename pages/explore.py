"""数字明细: every claim (with its metric and the words that decided it) in a
filterable, sortable table; CSV/Excel of what is shown
(etl.exports.tables, like every table download) or into the briefing; select a row to
see its fields, open its report or correct it."""
import streamlit as st

from etl.views import explore, model
from etl.views import queries as q
from etl.views.labels import (APPROX_ZH, LEVEL_ZH, NONE_LABEL, UNIT_CLASS_ZH, approx_zh, level_zh,
                              metric_ids, metric_option, unit_class_zh)
from pages import _data, _download, _ui, _url
from pages._markdown import escape_markdown

ORDER_ZH = {"published_desc": "日期（新→旧）", "published_asc": "日期（旧→新）",
            "value_desc": "数值（大→小）", "value_asc": "数值（小→大）", "doc": "报告文件名"}
LIMITS = (100, 500, 2000, 10000)


def main() -> None:
    st.title("数字明细")
    base = _ui.shared_filters()
    if note := _ui.filter_note(base):
        st.caption("侧栏筛选：" + escape_markdown(note))

    c1, c2, c5, c3, c4 = st.columns([2, 2, 2.4, 2, 3])
    for name, key, options in (("level", "x_level", LEVEL_ZH), ("class", "x_class", UNIT_CLASS_ZH),
                               ("metrics", "x_metric", metric_ids() + [NONE_LABEL]),
                               ("approx", "x_approx", APPROX_ZH)):
        _url.bind(name, key, "list", options=options)
    _url.bind("q", "x_text")
    _url.bind("order", "x_order", options=ORDER_ZH)
    _url.bind("limit", "x_limit", "int", options=LIMITS)
    _url.bind("all", "x_all", "bool")
    level = c1.multiselect("层级", list(LEVEL_ZH), format_func=level_zh, key="x_level",
                           placeholder="全部")
    classes = c2.multiselect("类别", list(UNIT_CLASS_ZH), format_func=unit_class_zh,
                             key="x_class", placeholder="全部")
    metrics = c5.multiselect("指标", metric_ids() + [NONE_LABEL], format_func=metric_option,
                             key="x_metric", placeholder="全部",
                             help="每个数字衡量的是什么（data/rules/metrics.yaml）；表中“指标依据”列出判定所依据的词")
    approx = c3.multiselect("近似", list(APPROX_ZH), format_func=approx_zh, key="x_approx",
                            placeholder="全部")
    text = c4.text_input("搜索主体或句子", key="x_text", placeholder="如：慰问金、干部职工")
    d1, d2, d3 = st.columns([2, 2, 5])
    order = d1.selectbox("排序", list(ORDER_ZH), format_func=ORDER_ZH.get, key="x_order")
    limit = d2.selectbox("最多显示", LIMITS, index=1, key="x_limit",
                         format_func=lambda n: f"{n:,} 行")
    everything = d3.toggle("也显示非数字陈述（日期、序号、口号等）", key="x_all")

    opts = explore.ExploreOptions(level=tuple(level), unit_class=tuple(classes),
                                   approx=tuple(approx), text=text, order=order, limit=limit,
                                   everything=everything, metric=tuple(metrics))
    f = opts.filters(base)
    total = int(_data.query(q.count(f))["n"].iloc[0])
    if total == 0:
        _ui.no_match()
        return
    rows = _data.query(q.explore(f, order, limit))
    shown = table(rows)
    st.caption(f"共 {total:,} 个数字，显示 {len(rows):,} 个。"
               + ("点击列标题可在已显示的行内排序；全部数据的排序用上面的“排序”。" if total > len(rows) else
                  "点击列标题排序。") + " 选择一行可查看详情。")
    event = st.dataframe(
        shown, hide_index=True, width="stretch", height=480, key="x_table",
        on_select="rerun", selection_mode="single-row",
        column_config={
            "基本数值": st.column_config.NumberColumn(format="localized",
                                                  help="以基本单位计：金额为元"),
            "句子": st.column_config.TextColumn(width="large"),
            "指标依据": st.column_config.TextColumn(help="决定指标的词；✎ 表示指标经人工更正"),
        })
    item = {"table": "explore", "level": list(level), "class": list(classes), "approx": list(approx),
            "text": text, "order": order, "limit": limit, "all": everything}
    if metrics:
        item["metric_id"] = list(metrics)
    if flt := _download.filters_dict(base):
        item["filters"] = flt
    _download.table_downloads(
        model.Table(shown, title=explore.explore_title(opts), source=explore.claims_source(rows, f)),
        key="x_dl", sheet="数字明细", item=item)

    picked = event.selection.rows if event is not None else []
    if picked:
        st.subheader("选中的数字")
        full = _data.query(q.claim(str(rows["claim_id"].iloc[picked[0]])))   # every field
        if not full.empty:
            _ui.show_claim(full.iloc[0], key="x_pick")


table = explore.claims_table        # the rows with Chinese column names, as downloaded


_ui.run(main)
