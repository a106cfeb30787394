"""From any figure to its sentence in one click, and page state in the URL (issue 20,
points 1, 2 and 4), in a real browser: a clicked bar lists its figures, a row opens the
report with the figure highlighted and scrolled into view (its box inside the reader's
scrolling box and the window), the sidebar filters survive the trip, a copied address
reopens the same chart, /overview opens 总览, 核查 puts a duplicate's sentences side
by side, and an HTML report reads as text. Its own server, on a store copy with one
long HTML report added and the checks run."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from app_runs import click_first_row, rerun, settled_box, wait_idle
from e2e_server import streamlit_server
from playwright.sync_api import Page, expect
from test_dashboard_browser import CHART, shot

from etl.store import Store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SELECTED = "[data-selected-figure]"        # set by pages/_reader.py once it has scrolled
TEXT_BOX = ".st-key-r_text_box"

PARAGRAPH = ('<p style="text-indent:2em"><span style="font-size:16px">第{i}段：党史学习教育开展以来，'
             "机关党委组织党员干部深入基层调研，听取群众意见建议，推动解决一批急难愁盼问题。</span></p>\n")
HTML_REPORT = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某局“我为群众办实事”工作综述'
               "</title></head><body><h1>某某局“我为群众办实事”工作综述</h1>"
               '<p class="meta">发布时间：2021-07-01 来源：某某局</p>\n'
               + "".join(PARAGRAPH.format(i=i) for i in range(1, 40))
               + '<p style="text-indent:2em"><span style="color:#333">今年以来，局机关党委向困难职工'
               "发放慰问金<b>35万元</b>，走访慰问老党员212名。</span></p></body></html>")


@pytest.fixture(scope="module")
def nav_store(browser_ready, tmp_path_factory):
    from test_app_store import copy_store

    from etl.checks.run import run_checks, save_results
    from etl.pipeline import run
    root = tmp_path_factory.mktemp("nav-store")
    db = copy_store(root)
    folder = root / "html"
    folder.mkdir()
    (folder / "html_report.html").write_text(HTML_REPORT, encoding="utf-8")
    assert run([folder], db, progress=False).files_read == 1
    store = Store(db)
    save_results(store, run_checks(store))
    return db


@pytest.fixture(scope="module")
def nav_url(nav_store, tmp_path_factory):
    env = dict(os.environ, REPORT_FIGURES_DB=str(nav_store),
               REPORT_FIGURES_UPLOADS=str(tmp_path_factory.mktemp("nav-uploads")))
    with streamlit_server(env, ROOT, tmp_path_factory.mktemp("nav-log") / "streamlit.log") as url:
        yield url


def click_bar(page: Page, n: int = 0) -> None:
    """Click the n-th bar of the chart (inside the plot area: a long bar on a log axis
    starts far left of it), once the page is idle and the chart has stopped moving."""
    wait_idle(page)
    page.locator(CHART).first.wait_for()
    bb = settled_box(page, page.locator('[data-testid="stPlotlyChart"] .bars path').nth(n))
    plot = page.locator('[data-testid="stPlotlyChart"] .nsewdrag').first.bounding_box()
    right = min(bb["x"] + bb["width"], plot["x"] + plot["width"]) - 8
    with rerun(page):
        page.mouse.click(max(right, plot["x"] + 4), bb["y"] + bb["height"] / 2)


def open_first_row(page: Page, table: str) -> None:
    """Click the first row of `table`'s grid and wait for the report page it opens."""
    click_first_row(page, page.locator(f"{table} [data-testid='stDataFrame']").first)
    page.wait_for_url(re.compile(r"/report\?"))
    wait_idle(page)


def assert_in_view(page: Page, expected_text: str | None = None) -> None:
    """The selected figure is highlighted, inside the reader's box and the window."""
    mark = page.locator(SELECTED)
    expect(mark).to_have_count(1, timeout=30_000)
    if expected_text:
        expect(mark).to_have_text(expected_text)
    m, box = settled_box(page, mark), page.locator(TEXT_BOX).bounding_box()   # scrolling ends
    vh = page.viewport_size["height"]
    assert box["y"] - 1 <= m["y"] and m["y"] + m["height"] <= box["y"] + box["height"] + 1, (m, box)
    assert 0 <= m["y"] and m["y"] + m["height"] <= vh, (m, vh)
    style = mark.evaluate("e => getComputedStyle(e).backgroundColor + '|' + getComputedStyle(e).color")
    assert "rgba(0, 0, 0, 0)" not in style.split("|")[0], style     # highlighted


def test_a_bar_click_lists_its_figures_and_a_row_opens_the_sentence(nav_url, page):
    tabs = len(page.context.pages)
    page.goto(nav_url + "/compare?campaign=" + "党史学习教育")
    wait_idle(page)
    with rerun(page):
        page.locator(".st-key-c_dl_basket, [data-testid='stButton']").filter(has_text="加入简报").first.click()
        # a toast, gone after 4 s: looked for while the run goes on, not after it
        expect(page.get_by_text(re.compile("已加入简报"))).to_be_visible()
    click_bar(page, 0)
    panel = page.locator(".st-key-c_behind")
    expect(page.get_by_text(re.compile(r"^图中选中：党史学习教育"))).to_be_visible()
    expect(panel).to_be_visible()
    shot(page, "compare_bar_clicked")
    open_first_row(page, ".st-key-c_behind")
    assert_in_view(page)
    # the same tab and session: the sidebar filter is still set, and in the address
    assert len(page.context.pages) == tabs
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first) \
        .to_contain_text("党史学习教育")
    expect(page).to_have_url(re.compile(r"campaign="))
    shot(page, "report_scrolled_from_bar")
    # ... and the briefing basket is still there
    with rerun(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="简报").click()
    expect(page.get_by_text(re.compile(r"^1\.\s*图\s+资金发放"))).to_be_visible()


def test_a_biggest_figure_row_opens_its_sentence(nav_url, page):
    page.goto(nav_url + "/overview")
    wait_idle(page)
    expect(page.get_by_role("heading", name="总览")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/overview"))
    expect(page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')).to_have_text(re.compile("总览"))
    big = page.locator(".st-key-ov_big")
    big.wait_for()
    big.scroll_into_view_if_needed()
    open_first_row(page, ".st-key-ov_big")
    assert_in_view(page)


def test_an_overview_bar_segment_lists_its_figures(nav_url, page):
    page.goto(nav_url + "/overview")
    click_bar(page, 0)
    expect(page.locator(".st-key-ov_behind [data-testid='stDataFrame']")).to_be_visible()
    expect(page.get_by_text(re.compile(r"（\d+ 个数字）"))).to_be_visible()


def test_a_copied_url_reopens_the_same_chart(nav_url, page):
    page.goto(nav_url + "/compare")
    wait_idle(page)
    with rerun(page):
        page.locator('[data-testid="stRadioOption"]', has_text="年份").click()
    with rerun(page):
        page.locator('[data-testid="stRadioOption"]', has_text="点图").click()
    title = '[data-testid="stPlotlyChart"] .gtitle'
    expect(page.locator(title, has_text="资金发放：按年份的每个数字")).to_be_visible()
    expect(page).to_have_url(re.compile(r"chart=dots"))
    copied = page.url
    assert "by=year" in copied and "metric=funds_disbursed" in copied
    fresh = page.context.new_page()
    try:
        fresh.goto(copied)
        expect(fresh.locator(title, has_text="资金发放：按年份的每个数字")).to_be_visible()
        expect(fresh.locator('[data-testid="stRadioOption"]', has_text="点图").locator("input")) \
            .to_be_checked()
        fresh.locator('[data-testid="stPlotlyChart"] .scatterlayer .point').first.wait_for()
        shot(fresh, "compare_from_copied_url")
    finally:
        fresh.close()


def test_a_filtered_link_reopens_with_its_filter(nav_url, page):
    page.goto(nav_url + "/explore?campaign=党史学习教育&class=money")
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first) \
        .to_contain_text("党史学习教育")
    expect(page.get_by_text("侧栏筛选：活动：党史学习教育")).to_be_visible()
    expect(page.get_by_text(re.compile(r"共 [\d,]+ 个数字"))).to_be_visible()


def test_checks_show_a_duplicate_side_by_side_and_open_in_the_same_tab(nav_url, page):
    tabs = len(page.context.pages)
    page.goto(nav_url + "/checks")
    wait_idle(page)
    card = page.locator('[data-testid="stVerticalBlockBorderWrapper"], [data-testid="stVerticalBlock"]') \
        .filter(has_text="均报告慰问金 27万元").last
    expect(card).to_be_visible()
    marks = page.locator(".stMarkdownColoredBackground", has_text="27万元")
    expect(marks.first).to_be_visible()
    assert marks.count() >= 2
    a, b = marks.nth(0).bounding_box(), marks.nth(1).bounding_box()
    assert abs(a["y"] - b["y"]) < 120 and abs(a["x"] - b["x"]) > 150, (a, b)   # side by side
    assert page.locator("main a[target=_blank][href*='report?']").count() == 0
    shot(page, "checks_side_by_side")
    with rerun(page):
        page.get_by_role("button", name="在报告中查看").first.click()
    page.wait_for_url(re.compile(r"/report\?"))
    assert len(page.context.pages) == tabs
    assert_in_view(page, "27万元")


def test_an_html_report_reads_as_text_with_the_figure_in_view(nav_url, nav_store, page):
    store = Store(nav_store, read_only=True)
    row = store.query_df("SELECT c.report_id, c.start FROM claims c JOIN reports r USING (report_id) "
                         "WHERE r.doc = 'html_report.html' AND c.text = '35万元'").iloc[0]
    page.goto(nav_url + f"/report?report={row['report_id']}&start={int(row['start'])}")
    box = page.locator(TEXT_BOX)
    expect(box).to_contain_text("走访慰问老党员")
    text = box.inner_text()
    assert "<p" not in text and "<span" not in text and "style=" not in text
    assert_in_view(page, "35万元")           # at the end of a long report: scrolled to
    shot(page, "report_html")


def click_point(page: Page, n: int) -> None:
    wait_idle(page)
    bb = settled_box(page, page.locator('[data-testid="stPlotlyChart"] .scatterlayer .point').nth(n))
    with rerun(page):
        page.mouse.click(bb["x"] + bb["width"] / 2, bb["y"] + bb["height"] / 2)


def test_a_dot_is_one_figure_and_a_timeline_point_one_group_and_year(nav_url, page):
    page.goto(nav_url + "/compare?chart=dots&by=organisation")
    click_point(page, 1)
    expect(page.get_by_text(re.compile(r"^图中选中：.+（1 个数字）$"))).to_be_visible()
    figure = page.locator(".st-key-c_behind [data-testid='stDataFrame']")
    expect(figure).to_be_visible()
    open_first_row(page, ".st-key-c_behind")
    assert_in_view(page)
    page.goto(nav_url + "/compare?chart=timeline&by=organisation")
    click_point(page, 0)
    expect(page.get_by_text(re.compile(r"^图中选中：.+ · \d{4} 年（\d+ 个数字）$"))).to_be_visible()


def test_a_row_of_what_a_sum_counts_opens_its_sentence(nav_url, page):
    page.goto(nav_url + "/compare")
    wait_idle(page)
    page.get_by_text(re.compile(r"^计入与未计入的数字")).click()
    ledger = page.locator(".st-key-c_ledger")
    ledger.wait_for()
    ledger.scroll_into_view_if_needed()
    open_first_row(page, ".st-key-c_ledger")
    assert_in_view(page)


def test_a_report_opened_plainly_scrolls_its_box_not_the_page(nav_url, nav_store, page):
    """Its first figure (here at the end of a long HTML report) is brought into the
    reader's box; the page itself does not jump (the title stays in sight)."""
    rid = Store(nav_store, read_only=True).query_df(
        "SELECT report_id FROM reports WHERE doc = 'html_report.html'")["report_id"][0]
    page.set_viewport_size({"width": 1400, "height": 640})     # a laptop: centring would scroll
    page.goto(nav_url + f"/report?report={rid}")
    mark = page.locator(SELECTED)
    expect(mark).to_have_count(1, timeout=30_000)
    expect(mark).to_have_text("35万元")
    m = settled_box(page, mark)                                # its box has scrolled
    title = page.get_by_role("heading", name="报告", exact=True).bounding_box()
    assert title is not None and title["y"] >= 0, title      # the page did not scroll
    box = page.locator(TEXT_BOX).bounding_box()
    assert box["y"] - 1 <= m["y"] and m["y"] + m["height"] <= box["y"] + box["height"] + 1, (m, box)
