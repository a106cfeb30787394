"""报告数字看板 (Report Figures): page config, the shared sidebar filters, navigation.

Run with `make run` (builds data/figures.duckdb from the bundled reports first) or
`streamlit run app.py`; REPORT_FIGURES_DB points the dashboard at another store,
REPORT_FIGURES_READONLY=1 makes it read-only, and with Streamlit's auth configured only
REPORT_FIGURES_EDITORS may write (pages/_access.py; README "Serving it to a team").
Page scripts live in pages/ and are registered here; each page's body runs inside
`_ui.app_running()` so a page started without this script (Streamlit's legacy pages/
mode, see pages/_ui.py) can run it first.
"""
from pathlib import Path

import streamlit as st

from pages import _access, _download, _ui

PAGES = Path(__file__).resolve().parent / "pages"   # absolute: also right when run via runpy

st.set_page_config(page_title="报告数字看板", page_icon=":material/bar_chart:", layout="wide")

nav = st.navigation([
    # the default page is served at "/" only, so it is a hidden twin of 总览, whose own
    # address /overview (the one the menu links to) then opens it, not "Page not found"
    st.Page(PAGES / "overview.py", title="总览", icon=":material/dashboard:", url_path="home",
            default=True, visibility="hidden"),
    st.Page(PAGES / "overview.py", title="总览", icon=":material/dashboard:", url_path="overview"),
    st.Page(PAGES / "explore.py", title="数字明细", icon=":material/table_rows:", url_path="explore"),
    st.Page(PAGES / "compare.py", title="对比", icon=":material/bar_chart:", url_path="compare"),
    st.Page(PAGES / "briefing.py", title="简报", icon=":material/slideshow:", url_path="briefing"),
    st.Page(PAGES / "checks.py", title="核查", icon=":material/fact_check:", url_path="checks"),
    st.Page(PAGES / "report.py", title="报告", icon=":material/article:", url_path="report"),
    st.Page(PAGES / "upload.py", title="上传", icon=":material/upload_file:", url_path="upload"),
    st.Page(PAGES / "corrections.py", title="更正", icon=":material/edit_note:", url_path="corrections"),
    st.Page(PAGES / "guide.py", title="使用说明", icon=":material/help:", url_path="guide"),
])
st.sidebar.caption("报告数字看板 · 报告中的每一个数字")
_ui.chinese_interface()      # Streamlit's own English words in Chinese
_ui.run(_ui.sidebar_filters, needs_data=False)
_access.sidebar()           # login / logout when auth is configured; a read-only marker
_download.keep_basket_in_url()   # the briefing basket survives a reload (?brief=…)
with _ui.app_running():
    nav.run()
