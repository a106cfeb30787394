"""数字明细: every claim in a filterable, sortable table; CSV/Excel of what is shown;
select a row to see its fields, open its report or correct it."""
import pandas as pd
import streamlit as st

from pages import _data, _export, _ui
from pages import _queries as q
from pages._labels import (APPROX_ZH, LEVEL_ZH, UNIT_CLASS_ZH, approx_zh, fmt_value,
                           level_zh, unit_class_zh)
from pages._markdown import escape_markdown

ORDER_ZH = {"published_desc": "日期（新→旧）", "published_asc": "日期（旧→新）",
            "value_desc": "数值（大→小）", "value_asc": "数值（小→大）", "doc": "报告文件名"}
LIMITS = (100, 500, 2000, 10000)


def main() -> None:
    st.title("数字明细")
    base = _ui.shared_filters()
    if note := _ui.filter_note(base):
        st.caption("侧栏筛选：" + escape_markdown(note))

    c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
    level = c1.multiselect("层级", list(LEVEL_ZH), format_func=level_zh, key="x_level",
                           placeholder="全部")
    classes = c2.multiselect("类别", list(UNIT_CLASS_ZH), format_func=unit_class_zh,
                             key="x_class", placeholder="全部")
    approx = c3.multiselect("近似", list(APPROX_ZH), format_func=approx_zh, key="x_approx",
                            placeholder="全部")
    text = c4.text_input("搜索主体或句子", key="x_text", placeholder="如：慰问金、干部职工")
    d1, d2, d3 = st.columns([2, 2, 5])
    order = d1.selectbox("排序", list(ORDER_ZH), format_func=ORDER_ZH.get, key="x_order")
    limit = d2.selectbox("最多显示", LIMITS, index=1, key="x_limit",
                         format_func=lambda n: f"{n:,} 行")
    everything = d3.toggle("也显示非数字陈述（日期、序号、口号等）", key="x_all")

    f = base.but(level=tuple(level), unit_class=tuple(classes), approx=tuple(approx),
                 text=text, claims_only=not everything)
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
        })
    b1, b2, _ = st.columns([1, 1, 4])
    b1.download_button("下载 CSV", _export.to_csv_bytes(shown), file_name="数字明细.csv",
                       mime="text/csv", key="x_csv", icon=":material/download:")
    b2.download_button("下载 Excel", lambda: _export.to_excel_bytes(shown), file_name="数字明细.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="x_xlsx", icon=":material/download:")

    picked = event.selection.rows if event is not None else []
    if picked:
        st.subheader("选中的数字")
        full = _data.query(q.claim(str(rows["claim_id"].iloc[picked[0]])))   # every field
        if not full.empty:
            _ui.show_claim(full.iloc[0], key="x_pick")


def table(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with Chinese column names, as downloaded."""
    return pd.DataFrame({
        "原文": rows["text"],
        "数值": [fmt_value(v, c, u) for v, c, u in zip(rows["value"], rows["unit_class"], rows["unit"])],
        "基本数值": rows["value"],
        "计量单位": rows["unit"],
        "类别": rows["unit_class"].map(lambda c: unit_class_zh(c) if isinstance(c, str) else ""),
        "近似": rows["approx"].map(approx_zh),
        "主体": rows["subject"],
        "句子": rows["sentence"],
        "专项活动": rows["campaign"],
        "单位名称": rows["organisation"],
        "层级": rows["level"].map(level_zh),
        "年份": rows["year"].astype("Int64"),
        "日期": rows["published"],
        "报告": rows["title"].fillna(rows["doc"]),
        "已更正": rows["corrected"].map(lambda b: "✎" if b else ""),
    })


_ui.run(main)
