"""Issue 20 in a real browser: Streamlit's own English words come out in Chinese (the
upload box, the multiselect's "Select all"), and the briefing basket survives a reload
(the page address holds it) and the 简报 page previews the deck."""
from __future__ import annotations

import re

import pytest
from app_runs import rerun, wait_idle
from playwright.sync_api import expect
from test_dashboard_browser import shot

pytestmark = pytest.mark.browser


def visible_text(page, selector: str) -> str:
    return " ".join(page.locator(selector).all_inner_texts())


def test_the_upload_box_speaks_chinese(app_url, page):
    page.goto(app_url + "/upload")
    wait_idle(page)
    box = page.locator('[data-testid="stFileUploaderDropzone"]')
    expect(box).to_contain_text("浏览文件")
    expect(box).to_contain_text("每个文件不超过")
    # the page's observer translates each text as it is drawn: wait for the last of them
    english = re.compile(r"Drag and drop|Browse files|\bUpload\b|per file")
    expect(page.locator('[data-testid="stFileUploader"]')).not_to_contain_text(english)
    text = visible_text(page, '[data-testid="stFileUploader"]')
    assert not english.search(text), text
    shot(page, "upload-zh")


def test_select_all_is_chinese(app_url, page):
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("combobox", name="专项活动").click()
    expect(page.get_by_role("option", name="全选")).to_be_visible()
    expect(page.get_by_role("option", name="Select all")).to_have_count(0)
    page.keyboard.press("Escape")


def test_the_basket_survives_a_reload_and_the_deck_is_previewed(app_url, page):
    page.goto(app_url + "/compare")
    wait_idle(page)
    with rerun(page):
        page.get_by_role("button", name=re.compile("加入简报")).first.click()
        # a toast, gone after 4 s: looked for while the run goes on, not after it
        expect(page.get_by_text(re.compile("已加入简报"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]brief=[A-Za-z0-9_-]+"))
    page.reload()                                  # a new session: only the address remains
    wait_idle(page)
    with rerun(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="简报").click()
    expect(page.get_by_text("资金发放：按专项活动合计（对数刻度）").first).to_be_visible()
    expect(page.get_by_text("幻灯片预览")).to_be_visible()
    expect(page.get_by_text("第 2 页 · 图表")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(1)   # the slide's chart
    shot(page, "briefing-preview")
    # and the address still holds it after the page change
    expect(page).to_have_url(re.compile(r"/briefing\?.*brief="))


def test_streamlit_words_that_come_and_go_are_chinese_too(app_url, page):
    """"Stop" (while a script runs) and a failed download's reason appear only now and
    then; the page's observer translates them whenever they are added or changed."""
    page.goto(app_url)
    wait_idle(page)
    page.evaluate("""() => {
        const b = document.createElement('button'); b.id = 'rf-stop'; b.textContent = 'Stop';
        const e = document.createElement('div'); e.id = 'rf-fail';
        e.textContent = 'Failed to generate file for download';
        const m = document.createElement('div'); m.id = 'rf-mine';
        m.setAttribute('data-testid', 'stMarkdownContainer'); m.textContent = 'Stop';
        document.body.append(b, e, m);
    }""")
    expect(page.locator("#rf-stop")).to_have_text("停止")
    expect(page.locator("#rf-fail")).to_contain_text("下载文件生成失败")
    expect(page.locator("#rf-mine")).to_have_text("Stop")       # text a page wrote stays as written
