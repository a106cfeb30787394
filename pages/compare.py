"""对比: one metric (a unit class plus subject words such as 慰问金 or 干部职工) compared
across campaigns, organisations, levels or years, as bars, dots or a timeline."""
import re

import pandas as pd
import streamlit as st

from pages import _charts, _data, _ui
from pages import _queries as q
from pages._labels import (DIMENSION_ZH, NONE_LABEL, UNIT_CLASS_ZH, axis_unit, level_zh, scale,
                           unit_class_zh)
from pages._markdown import escape_markdown

AGG_ZH = {"sum": "合计", "max": "最大值", "avg": "平均值", "median": "中位数", "count": "数字个数"}
CHART_ZH = {"bar": "柱状图", "dots": "点图", "timeline": "时间线"}
ALL_UNITS = "__all__"
MIXED_OK = ("orgs", "items", "events")     # counters (个/家/支) may be added up together
DEFAULT_AGG = {"percent": "max", "duration": "max", "other": "max"}   # a sum of % means nothing
TOP_GROUPS = 30


def main() -> None:
    st.title("对比")
    base = _ui.shared_filters()
    if note := _ui.filter_note(base):
        st.caption("侧栏筛选：" + escape_markdown(note))

    c1, c2, c3 = st.columns([2, 4, 2])
    cls = c1.selectbox("类别", list(UNIT_CLASS_ZH), format_func=unit_class_zh, key="c_class")
    raw_terms = c2.text_input("主体关键词（可填多个，用空格或逗号分开；留空＝该类全部数字）",
                              key="c_terms", placeholder="如：慰问金　或：干部职工 党员")
    terms = tuple(t for t in re.split(r"[\s,，、;；]+", raw_terms) if t)
    f0 = base.but(unit_class=(cls,), subject_terms=terms)
    units = [u for u in _data.query(q.units_of_class(f0))["unit"].tolist() if isinstance(u, str)]
    if not units:
        _ui.no_match()
        return
    options = ([ALL_UNITS] if cls in MIXED_OK and len(units) > 1 else []) + units
    unit = c3.selectbox("计量单位", options, key=f"c_unit_{cls}",
                        format_func=lambda u: "全部量词" if u == ALL_UNITS else u)

    d1, d2, d3, d4 = st.columns([4, 2, 3, 1.4])
    dim = d1.radio("按…对比", q.DIMENSIONS, format_func=DIMENSION_ZH.get, horizontal=True,
                   key="c_dim")
    aggs = list(AGG_ZH)
    agg = d2.selectbox("汇总方式", aggs, format_func=AGG_ZH.get, key=f"c_agg_{cls}",
                       index=aggs.index(DEFAULT_AGG.get(cls, "sum")),
                       disabled=st.session_state.get("c_chart") == "dots",
                       help="点图画出每个数字，不汇总")
    chart = d3.radio("图表", list(CHART_ZH), format_func=CHART_ZH.get, horizontal=True,
                     key="c_chart")
    log = d4.checkbox("对数刻度", value=cls == "money", key=f"c_log_{cls}")

    f = f0.but(unit=None if unit == ALL_UNITS else unit)
    dup = _data.dup_source()
    metric = "、".join(terms) + f"（{UNIT_CLASS_ZH[cls]}）" if terms else UNIT_CLASS_ZH[cls]
    shown_unit = axis_unit(cls, None if unit == ALL_UNITS else unit) or "个"
    if unit == ALL_UNITS:
        shown_unit = "个，混合量词"
    value_title = f"{UNIT_CLASS_ZH[cls]}（{shown_unit}）"
    div = scale(cls)
    source = _ui.source_line(f)

    if chart == "dots":
        df = _data.query(q.compare_points(f, dim, dup))
        df["label"] = _labels(df["grp"], dim)
        df["y"] = df["value"] / div
        fig = _charts.dots(df, title=f"{metric}：按{DIMENSION_ZH[dim]}的每个数字",
                           value_title=value_title, group_title=DIMENSION_ZH[dim],
                           source=source, log=log)
        capped = df.groupby("grp")["n_in_group"].first()
        if (capped > 200).any():
            st.caption("点太多时每组只画最大的 200 个数字。")
        data = df[["label", "text", "y", "approx", "subject", "report"]]
    elif chart == "timeline":
        df = _data.query(q.compare_timeline(f, dim, agg, dup))
        df["label"] = _labels(df["grp"], dim)
        df["y"] = _scaled(df["y"], agg, div)
        vt = "数字个数（个）" if agg == "count" else value_title
        fig = _charts.timeline(df, title=f"{metric}{AGG_ZH[agg]}的年度变化（按{DIMENSION_ZH[dim]}）",
                               value_title=vt, source=source, log=log)
        data = df[["label", "year", "y", "n_figures", "n_approx"]]
    else:
        df = _data.query(q.compare(f, dim, agg, dup, TOP_GROUPS))
        df["label"] = _labels(df["grp"], dim)
        df["y"] = _scaled(df["y"], agg, div)
        vt = "数字个数（个）" if agg == "count" else value_title
        fig = _charts.bar(df, title=f"{metric}：按{DIMENSION_ZH[dim]}{AGG_ZH[agg]}",
                          value_title=vt, group_title=DIMENSION_ZH[dim], source=source,
                          log=log, horizontal=dim != "year")
        if len(df) == TOP_GROUPS:
            st.caption(f"只显示{AGG_ZH[agg]}最大的 {TOP_GROUPS} 组。")
        data = df[["label", "y", "n_figures", "n_approx", "n_corrected"]]

    if df.empty:
        _ui.no_match()
        return
    st.plotly_chart(fig, key="c_chart_fig", config={"displaylogo": False})
    st.caption("重复报道的同一数字只计一次。" if dup is not None else
               "每份报告的数字各计一次：同一数字被几份报告重复报道时会重复计入（去重模块接入后自动只计一次）。")
    with st.expander("图表数据"):
        st.dataframe(data.rename(columns=COLUMNS_ZH), hide_index=True, width="stretch",
                     key="c_data")


COLUMNS_ZH = {"label": "分组", "y": "数值", "n_figures": "数字个数", "n_approx": "其中约数",
              "n_corrected": "其中已更正", "text": "原文", "approx": "近似", "subject": "主体",
              "report": "报告", "year": "年份"}


def _labels(groups: pd.Series, dim: str) -> list[str]:
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


_ui.run(main)
