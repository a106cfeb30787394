"""From a chart mark or a table row to the sentence: the list of figures behind a
clicked mark, and a row click that opens the report at the figure (same tab, so the
sidebar filters and the briefing basket stay)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.views.labels import COUNTED_ZH, fmt_value
from pages import _ui
from pages._markdown import escape_inline

OPEN_HINT = "点击一行，在“报告”页打开这个数字所在的句子（高亮并滚动到该处）。"


def chart_config(config: dict) -> dict:
    """Plotly's config for a clickable chart: a click selects one mark."""
    return {**config, "modeBarButtonsToRemove": [*config.get("modeBarButtonsToRemove", []),
                                                 "select2d", "lasso2d"]}


def figures_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with claim_id, report_id, text, value, unit_class, unit, subject, report,
    published and (for sums) left_out -> the table a user picks from."""
    df = pd.DataFrame({
        "数字": rows["text"],
        "数值": [fmt_value(v, c, u) for v, c, u in zip(rows["value"], rows["unit_class"], rows["unit"])],
        "主体": rows["subject"],
        "报告": rows["report"],
        "日期": rows["published"].fillna(""),
    })
    if "left_out" in rows:
        df.insert(2, "合计", rows["left_out"].fillna(COUNTED_ZH).tolist())
    return df.reset_index(drop=True)


def open_on_row(rows: pd.DataFrame | None, shown: pd.DataFrame, *, key: str, height="auto",
                column_config: dict | None = None) -> None:
    """`shown` as a table whose row click opens that row's figure in the report
    (`rows`: the same rows, in the same order, with report_id and claim_id)."""
    st.caption(OPEN_HINT)
    event = st.dataframe(shown, hide_index=True, width="stretch", key=key, height=height,
                         on_select="rerun", selection_mode="single-row", column_config=column_config)
    picked = event.selection.rows if event is not None else []
    if rows is not None and picked and 0 <= picked[0] < len(rows):
        row = rows.iloc[picked[0]]
        _ui.goto_report(str(row["report_id"]), str(row["claim_id"]))


def figures_panel(rows: pd.DataFrame, *, title: str, key: str) -> None:
    """The figures behind a clicked mark, each a click away from its sentence."""
    rows = rows.reset_index(drop=True)
    st.markdown(f"**{escape_inline(title)}**（{len(rows):,} 个数字）")
    if rows.empty:
        st.caption("这个图形背后没有可列出的数字。")
        return
    open_on_row(rows, figures_table(rows), key=key,
                height="auto" if len(rows) <= 10 else 380)
