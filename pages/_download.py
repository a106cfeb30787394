"""Download buttons for charts (PNG, SVG, PDF) and tables (CSV, Excel), and the
briefing basket the 简报 page turns into a PowerPoint and a workbook. Streamlit.

The bytes are made only when a button is clicked (a callable `data`, run by Streamlit
on its own thread after the click; `on_click="ignore"` so the page does not rerun):
drawing a PNG takes ~0.25 s with Chromium running and ~3 s for the first one in a
process. etl.exports.render holds the lock that keeps concurrent sessions apart.
"""
from __future__ import annotations

from functools import partial

import streamlit as st

from etl.exports import render, tables
from etl.views import basket as basket_text
from etl.views import queries as q
from etl.views.model import Chart, Table

BASKET = "briefing_items"      # session_state: the items picked for the briefing
BASKET_PARAM = "brief"         # the page address holds a copy, so a reload keeps the basket
MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DL_ICON = ":material/download:"
# plotly's own camera button saves a screen-resolution PNG without the CJK and source-line
# care of the buttons below; one way to download a chart is less confusing.
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]}


def filters_dict(f: q.Filters) -> dict:
    """The shared sidebar filters as a briefing item's `filters:` (empty ones left out)."""
    out = {}
    for key in ("campaign", "organisation", "year"):
        vals = list(getattr(f, key))
        if vals:
            out[key] = [int(v) if key == "year" and str(v).isdigit() else v for v in vals]
    return out


def basket() -> list[dict]:
    """The items picked for the briefing. A new session (a reload, a copied link) starts
    from the copy in the page address (etl/views/basket.py says why the address)."""
    ss = st.session_state
    if BASKET not in ss:
        ss[BASKET] = basket_text.decode(st.query_params.get(BASKET_PARAM))
    return ss[BASKET]


def keep_basket_in_url() -> None:
    """Write the basket into the page address (app.py, on every run: page changes
    clear the address's parameters, and the callbacks below change the basket)."""
    code = basket_text.encode(basket())
    if code and st.query_params.get(BASKET_PARAM) != code:
        st.query_params[BASKET_PARAM] = code
    elif not code and BASKET_PARAM in st.query_params:
        del st.query_params[BASKET_PARAM]


def _add(item: dict, label: str) -> None:
    items = basket()
    if item in items:
        st.toast(f"已在简报中：{label}", icon=":material/info:")
        return
    items.append(item)
    st.toast(f"已加入简报（共 {len(items)} 项）：{label}", icon=":material/playlist_add:")


def add_button(container, item: dict, label: str, *, key: str) -> None:
    """'加入简报': remembers the item (filters and options, not the data) for the 简报 page."""
    container.button("加入简报", key=key, on_click=_add, args=(item, label),
                     icon=":material/playlist_add:",
                     help="把这张图或表加入简报：在“简报”页面一次下载 PowerPoint 和 Excel")


def _image(fig, fmt: str) -> bytes:
    return render.render(fig, fmt)


def chart_downloads(chart: Chart, *, key: str, item: dict | None = None) -> None:
    """PNG (2400 px wide), SVG and PDF of the chart exactly as drawn, and 加入简报."""
    cols = st.columns([1, 1, 1, 1.3, 2.7])
    ok = render.available()
    why = None if ok else render.HOW_TO
    note = render.missing()         # said in the page, not only in a tooltip
    for col, fmt in zip(cols, ("png", "svg", "pdf")):
        col.download_button(
            fmt.upper(), data=partial(_image, chart.fig, fmt), file_name=f"{chart.name}.{fmt}",
            mime=render.FORMATS[fmt], key=f"{key}_{fmt}", on_click="ignore", icon=DL_ICON,
            disabled=not ok, help=why or f"下载 {fmt.upper()}：标题、单位和数据来源都在图中")
    if item is not None:
        add_button(cols[3], item, chart.title, key=f"{key}_brief")
    if note:
        st.caption(f":material/info: {note}")


def table_downloads(table: Table, *, key: str, item: dict | None = None,
                    sheet: str | None = None) -> None:
    """CSV (UTF-8 with BOM) and Excel of the table as shown, and 加入简报."""
    cols = st.columns([1, 1, 1.3, 3.7])
    cols[0].download_button("下载 CSV", partial(tables.to_csv_bytes, table.df),
                            file_name=f"{table.name}.csv", mime="text/csv", key=f"{key}_csv",
                            on_click="ignore", icon=DL_ICON)
    cols[1].download_button("下载 Excel", partial(tables.to_excel_bytes, table.df,
                                                sheet or table.sheet or "数据", title=table.title,
                                                source=table.source),
                            file_name=f"{table.name}.xlsx", mime=MIME_XLSX, key=f"{key}_xlsx",
                            on_click="ignore", icon=DL_ICON)
    if item is not None:
        add_button(cols[2], item, table.title, key=f"{key}_brief")
