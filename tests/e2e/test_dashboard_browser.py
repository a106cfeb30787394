"""Every page in a real browser: it renders, one widget per page changes what is shown,
hostile report text stays characters (no alert dialog, no injected element), and a
screenshot of each page lands in tests/screenshots/ for a human to look at."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_runs import add_file, click_first_row, pick, rerun, search, wait_idle
from playwright.sync_api import Page, expect
from test_app_store import XSS_SCRIPT

from etl.store import Store

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"] .main-svg'
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"     # git-ignored


def shot(page: Page, name: str) -> None:
    """A screenshot for a human to look at, once the app is idle and its fonts are in."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait_idle(page)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def rid(store, doc: str) -> str:
    return Store(store, read_only=True).query_df(
        "SELECT report_id FROM reports WHERE doc = ?", [doc])["report_id"][0]


def test_overview_and_shared_filter(app_url, served_store, page):
    # the test store's 7 reports, and any the upload tests added if they ran first
    reports = Store(served_store, read_only=True).counts()["reports"]
    assert reports >= 7
    page.goto(app_url)
    wait_idle(page)
    page.locator(CHART).first.wait_for()
    expect(page.get_by_text("各专项活动的数字个数（按类别）")).to_be_visible()
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="报告").first
    expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text(f"{reports:,}")
    # the headline: a total per metric (资金发放 …), then the biggest figures of a class
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="资金发放").first).to_contain_text("万元")
    pick(page, "类别", "人数")
    expect(page.locator('[data-testid="stDataFrame"]').last).to_be_visible()
    shot(page, "overview")
    # the shared sidebar filter
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    with rerun(page):
        page.get_by_role("option", name="党史学习教育", exact=True).click()
    page.keyboard.press("Escape")
    expect(metric.locator('[data-testid="stMetricValue"]')).to_have_text("2")
    shot(page, "overview_filtered")


def test_explore_search(app_url, page):
    page.goto(app_url + "/explore")
    wait_idle(page)
    grid = page.locator('[data-testid="stDataFrame"]')
    before = page.get_by_text(re.compile(r"共 [\d,]+ 个数字")).inner_text()
    search(page, "搜索主体或句子", "慰问金")
    expect(page.get_by_text(re.compile(r"共 [\d,]+ 个数字"))).not_to_have_text(before)
    expect(page.get_by_role("button", name=re.compile("下载 CSV"))).to_be_visible()
    click_first_row(page, grid)
    expect(page.get_by_text("选中的数字")).to_be_visible()
    expect(page.get_by_role("button", name="更正这个数字")).to_be_visible()
    shot(page, "explore")
    with rerun(page):
        page.get_by_role("button", name="更正这个数字").click()
    expect(page.get_by_role("button", name="保存更正")).to_be_visible()


def test_explore_opens_the_report_at_the_figure(app_url, page):
    page.goto(app_url + "/explore")
    wait_idle(page)
    search(page, "搜索主体或句子", "慰问金")
    click_first_row(page, page.locator('[data-testid="stDataFrame"]'))
    with rerun(page):
        page.get_by_role("button", name="在报告中查看").click()
    expect(page.get_by_text("数字详情")).to_be_visible()
    picked = page.get_by_role("combobox", name="选择一个数字（编号与正文中的上标一致）")
    expect(picked).to_have_value(re.compile("慰问金"))
    expect(page.locator('[data-testid="stMarkdown"]', has_text="◀").first).to_be_visible()
    assert re.search(r"/report\?report=[0-9a-f]+&start=\d+", page.url), page.url


def test_compare_switches_dimension(app_url, page):
    page.goto(app_url + "/compare")
    wait_idle(page)
    title = '[data-testid="stPlotlyChart"] .gtitle'
    expect(page.locator(title, has_text="资金发放：按专项活动合计")).to_be_visible()
    with rerun(page):
        page.locator('[data-testid="stRadioOption"]', has_text="年份").click()
    # the old chart can linger while the new one draws (RECIPES pitfall 7)
    expect(page.locator(title, has_text="资金发放：按年份合计")).to_be_visible()
    expect(page.locator(title)).to_have_count(1)
    expect(page.locator('[data-testid="stPlotlyChart"] .xtitle, [data-testid="stPlotlyChart"] .ytitle')
           .filter(has_text="资金发放（元，对数刻度）")).to_have_count(1)
    assert page.locator('[data-testid="stPlotlyChart"] .bars path').count() >= 3
    shot(page, "compare")
    with rerun(page):
        page.locator('[data-testid="stRadioOption"]', has_text="点图").click()
    page.locator('[data-testid="stPlotlyChart"] .scatterlayer .point').first.wait_for()
    shot(page, "compare_dots")
    # another metric: the unit picker offers its units, the most common first
    page.get_by_role("combobox", name="指标").click()
    with rerun(page):
        page.get_by_role("option", name=re.compile("^服务帮扶对象")).click()
    expect(page.locator(title, has_text="服务帮扶对象：按年份的每个数字")).to_be_visible()
    expect(page.get_by_role("combobox", name="计量单位")).to_have_value(re.compile("^人"))
    shot(page, "compare_metric")


def test_report_shows_hostile_text_as_characters(app_url, served_store, page):
    page.goto(app_url + f"/report?report={rid(served_store, 'xss_report.txt')}")
    text = page.locator('[data-testid="stVerticalBlock"] [data-testid="stMarkdown"]').filter(
        has_text="今年以来")
    expect(text.first).to_be_visible()
    expect(page.get_by_text(XSS_SCRIPT).first).to_be_visible()        # shown as characters
    assert page.locator("img[src='x']").count() == 0                  # nothing injected
    assert page.locator("main script").count() == 0
    shot(page, "report_hostile")
    with rerun(page):
        page.locator('[data-testid="stCheckbox"]', has_text="显示编号").click()   # a toggle
    expect(page.get_by_text("⁷")).to_have_count(0)


def test_report_highlighting(app_url, served_store, page):
    page.goto(app_url + f"/report?report={rid(served_store, '000_35e2ab27f9b7f4d4.txt')}")
    mark = page.locator(".stMarkdownColoredBackground", has_text="27万元")
    expect(mark.first).to_be_visible()
    box = page.get_by_role("combobox", name="选择一个数字（编号与正文中的上标一致）")
    wait_idle(page)
    box.click()
    box.fill("27万元")                              # the combobox filters as you type
    with rerun(page):
        page.get_by_role("option", name=re.compile("27万元 · 慰问金")).first.click()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    expect(box).to_have_value(re.compile("27万元 · 慰问金"))
    shot(page, "report")


def test_checks_link_opens_the_report_at_the_figure(app_url, served_store, page):
    """The 核查 page links to report?report=<id>&start=<offset> (pages/checks.py)."""
    from pages.checks import report_link
    store = Store(served_store, read_only=True)
    ref = store.query_df("SELECT report_id, start FROM claims WHERE text = '1069名' LIMIT 1").iloc[0]
    page.goto(app_url + "/" + report_link({"report_id": ref["report_id"], "start": ref["start"]}))
    box = page.get_by_role("combobox", name="选择一个数字（编号与正文中的上标一致）")
    expect(box).to_have_value(re.compile(r"1069名"))
    expect(page.locator(".stMarkdownColoredBackground", has_text="1069名").first).to_be_visible()
    expect(page.get_by_text(re.compile("^上下文："))).to_be_visible()
    shot(page, "report_link")


def test_upload_a_report(app_url, page, tmp_path):
    page.goto(app_url + "/upload")
    f = tmp_path / "浏览器上传.txt"
    f.write_text("2023年共为困难职工发放慰问金8.8万元，慰问老党员66名。", encoding="utf-8")
    add_file(page, f)
    with rerun(page):
        page.get_by_role("button", name="保存并提取数字").click()
    expect(page.get_by_text("已处理 1 个文件")).to_be_visible(timeout=60_000)
    shot(page, "upload")


def test_corrections_search(app_url, page):
    page.goto(app_url + "/corrections")
    search(page, re.compile("查找要更正的数字"), "27万元")
    expect(page.get_by_role("button", name="保存更正")).to_be_visible()
    shot(page, "corrections")
