"""Downloads in a real browser (issue 7): the Compare page's PNG button gives the
chart as a 2400 px PNG, made on Streamlit's download thread through the one Chromium
of the server process; 加入简报 then 简报 gives a PowerPoint with that chart."""
from __future__ import annotations

import io
import re

import pytest
from app_runs import rerun, wait_idle
from PIL import Image
from playwright.sync_api import expect
from test_dashboard_browser import shot

pytestmark = pytest.mark.browser


def test_compare_chart_downloads_and_goes_into_the_briefing(app_url, page, tmp_path):
    page.goto(app_url + "/compare")
    wait_idle(page)
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="PNG", exact=True).click()
    download = dl.value
    assert download.suggested_filename == "资金发放：按专项活动合计（对数刻度）.png"
    img = Image.open(io.BytesIO(open(download.path(), "rb").read()))
    assert img.width == 2400 and img.height > 600
    with page.expect_download(timeout=60_000) as dl:
        page.get_by_role("button", name="SVG", exact=True).click()
    assert "资金发放：按专项活动合计（对数刻度）</text>" in open(dl.value.path(), encoding="utf-8").read()

    with rerun(page):
        page.get_by_role("button", name=re.compile("加入简报")).first.click()
        # a toast, gone after 4 s: looked for while the run goes on, not after it
        expect(page.get_by_text(re.compile("已加入简报"))).to_be_visible()
    with rerun(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="简报").click()
    expect(page.get_by_text("资金发放：按专项活动合计").first).to_be_visible()
    shot(page, "briefing")
    with page.expect_download(timeout=90_000) as dl:
        page.get_by_role("button", name=re.compile("下载 PowerPoint")).click()
    from pptx import Presentation
    prs = Presentation(dl.value.path())
    titles = [next(s for s in sl.shapes if s.name == "标题").text_frame.text for sl in prs.slides]
    assert titles == ["数据简报", "资金发放：按专项活动合计（对数刻度）"]
