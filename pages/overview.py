"""总览: reports, figures, campaigns and organisations at a glance; the total of each
metric (资金发放, 服务帮扶对象, 参与人数 …, counting each fact once); the biggest figures with their sentence and report. The chart downloads as
PNG/SVG/PDF, the tables as CSV/Excel; both can go into the briefing (etl/views/overview.py
builds them, as `python -m etl export-chart --chart overview` does)."""
import pandas as pd
import streamlit as st

from etl.views import marks, overview
from etl.views import queries as q
from etl.views.labels import UNIT_CLASS_ZH, unit_class_zh
from pages import _data, _download, _picks, _ui, _url
from pages._markdown import escape_markdown


def main() -> None:
    st.title("总览")
    f = _ui.shared_filters()
    if note := _ui.filter_note(f):
        st.caption("当前筛选：" + escape_markdown(note))
    dup = _data.dup_source()
    _url.bind("biggest", "ov_class", options=UNIT_CLASS_ZH)     # 最大的数字's class
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

    st.subheader("按指标合计")
    heads = overview.headline(_data.query(q.metric_totals(f, dup)))
    if heads.empty:
        st.caption("筛选范围内没有可相加的金额、人数或人次。")
    else:
        st.caption("每个指标只加它计入的数字：" + q.how_summed(["people"]) +
                   ("" if dup is not None else "（尚未运行核查：多份报告重复报道的同一数字会重复相加。）"))
        shown = heads.head(6)
        cols = st.columns(3) + (st.columns(3) if len(shown) > 3 else [])
        for col, r in zip(cols, shown.itertuples()):
            col.metric(r.label if r.unit_class == "money" else f"{r.label}（{r.unit}）", r.value,
                       help=escape_markdown(r.how))
        if len(heads) > len(shown):
            with st.expander(f"全部 {len(heads)} 项指标合计"):
                st.dataframe(pd.DataFrame({"指标": heads["label"], "计量单位": heads["unit"],
                                           "合计": heads["value"], "说明": heads["how"]}),
                             hide_index=True, width="stretch", key="ov_heads")

    chart = overview.overview_chart(f, _data.query, dup)
    flt = _download.filters_dict(f)
    if chart is not None:
        event = st.plotly_chart(chart.fig, key="ov_chart", on_select="rerun", selection_mode="points",
                                config=_picks.chart_config(_download.PLOTLY_CONFIG))
        _download.chart_downloads(chart, key="ov_dl", item={"chart": "overview", **_with(flt)})
        behind_bar(f, chart, event, dup)

    st.subheader("最大的数字")
    present = [c for c in UNIT_CLASS_ZH if c in set(figs["unit_class"])]
    cls = st.selectbox("类别", present, format_func=unit_class_zh, key="ov_class",
                       index=present.index("money") if "money" in present else 0)
    big = overview.biggest_table(f, cls, _data.query, dup)
    value_col = next(c for c in big.df.columns if str(c).startswith("数值"))
    _picks.open_on_row(big.keys, big.df, key="ov_big",
                       column_config={"句子": st.column_config.TextColumn(width="large"),
                                      value_col: st.column_config.NumberColumn(format="localized")})
    _download.table_downloads(big, key="ov_big_dl", sheet="最大的数字",
                              item={"table": "biggest", "class": cls, **_with(flt)})


def behind_bar(f: q.Filters, chart, event, dup) -> None:
    """A clicked bar segment (one campaign, one class): its figures, largest first."""
    picks = (marks.overview_pick(pt, chart.data.df) for pt in marks.points(event))
    pick = next((p for p in picks if p), None)
    if pick is None:
        st.caption("点击图中的一段柱子，列出它背后的数字。")
        return
    campaign, cls = pick
    rows = _data.query(q.explore(f.but(campaign=(campaign,), unit_class=(cls,)), "value_desc", 500))
    rows = rows.assign(report=rows["title"].fillna(rows["doc"]))
    _picks.figures_panel(rows, title=f"{campaign} · {unit_class_zh(cls)}", key="ov_behind")
    if dup is not None:
        st.caption("图中多份报告重复报道的同一数字只计一次；这里列出每一处。")


def _with(flt: dict) -> dict:
    return {"filters": flt} if flt else {}


_ui.run(main)
