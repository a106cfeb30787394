"""总览: reports, figures, campaigns and organisations at a glance; totals per unit
class; the biggest figures with their sentence and report. The chart downloads as
PNG/SVG/PDF, the tables as CSV/Excel; both can go into the briefing (etl/views/overview.py
builds them, as `python -m etl export-chart --chart overview` does)."""
import pandas as pd
import streamlit as st

from etl.views import overview
from etl.views import queries as q
from etl.views.labels import SUMMABLE, UNIT_CLASS_ZH, fmt_number, unit_class_zh
from etl.views.overview import TOTAL_UNIT
from pages import _data, _download, _ui
from pages._markdown import escape_markdown


def main() -> None:
    st.title("总览")
    f = _ui.shared_filters()
    if note := _ui.filter_note(f):
        st.caption("当前筛选：" + escape_markdown(note))
    dup = _data.dup_source()
    # the page's queries at once (the class is the one the selectbox below will show)
    _data.prefetch(overview.overview_queries(f, st.session_state.get("ov_class", "money"), dup))
    summary = _data.query(q.report_summary(f)).iloc[0]
    if int(summary["reports"]) == 0:
        _ui.no_match()
        return
    groups = _data.query(q.overview_groups(f, dup))
    mentions = int(groups["n"].sum())
    figs = groups[groups["is_claim"].fillna(False).astype(bool)]

    c = st.columns(5)
    c[0].metric("报告", f"{int(summary['reports']):,}")
    c[1].metric("数字陈述", f"{int(figs['n'].sum()):,}", help=f"全部 {mentions:,} 处数字中被判定为数字陈述的")
    c[2].metric("专项活动", f"{int(summary['campaigns']):,}")
    c[3].metric("单位", f"{int(summary['organisations']):,}")
    years = "—"
    if pd.notna(summary["first_year"]):
        y0, y1 = int(summary["first_year"]), int(summary["last_year"])
        years = str(y0) if y0 == y1 else f"{y0}–{y1}"
    c[4].metric("年份", years)

    st.subheader("按类别合计")
    st.caption("重复报道的同一数字只计一次。" if dup is not None else
               "每份报告的数字各计一次：多份报告重复报道同一数字时会重复相加。")
    cols = st.columns(3) + st.columns(3)     # two rows: long totals are not cut off
    for col, cls in zip(cols, SUMMABLE):
        value, help_ = _total(figs, cls)
        col.metric(UNIT_CLASS_ZH[cls], value, help=help_)

    chart = overview.overview_chart(f, _data.query, dup)
    flt = _download.filters_dict(f)
    if chart is not None:
        st.plotly_chart(chart.fig, key="ov_chart", config=_download.PLOTLY_CONFIG)
        _download.chart_downloads(chart, key="ov_dl", item={"chart": "overview", **_with(flt)})

    st.subheader("最大的数字")
    present = [c for c in UNIT_CLASS_ZH if c in set(figs["unit_class"])]
    cls = st.selectbox("类别", present, format_func=unit_class_zh, key="ov_class",
                       index=present.index("money") if "money" in present else 0)
    big = overview.biggest_table(f, cls, _data.query, dup)
    value_col = next(c for c in big.df.columns if str(c).startswith("数值"))
    st.dataframe(big.df, hide_index=True, width="stretch", key="ov_big",
                 column_config={"句子": st.column_config.TextColumn(width="large"),
                                value_col: st.column_config.NumberColumn(format="localized")})
    _download.table_downloads(big, key="ov_big_dl", sheet="最大的数字",
                              item={"table": "biggest", "class": cls, **_with(flt)})


def _with(flt: dict) -> dict:
    return {"filters": flt} if flt else {}


def _total(figs: pd.DataFrame, cls: str) -> tuple[str, str | None]:
    """(metric value, help line) for one class: the sum in its unit and how many
    figures went into it."""
    part = figs[figs["unit_class"] == cls]
    unit = TOTAL_UNIT.get(cls)
    used = part[part["unit"] == unit] if unit else part
    if used.empty:
        return "—", "没有这一类的数字"
    total = used["total"].sum()
    if cls == "money":
        value = f"{fmt_number(total / 1e4)} 万元"
    elif unit:
        value = f"{fmt_number(total)} {unit}"
    else:
        value = fmt_number(total)
    n, n_approx = int(used["n"].sum()), int(used["n_approx"].fillna(0).sum())
    help_ = f"{n:,} 个数字相加，其中约数 {n_approx:,} 个"
    if not unit:
        help_ += "；量词不一：" + "、".join(str(u) for u in used["unit"].dropna().unique()[:8])
    others = part[part["unit"] != unit] if unit else part.iloc[0:0]
    if not others.empty:
        help_ += "；未计入其他单位：" + "、".join(str(u) for u in others["unit"].dropna().unique()[:5])
    return value, escape_markdown(help_)


_ui.run(main)
