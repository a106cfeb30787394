"""Bare URLs and e-mail addresses in a report stay text in the browser (issue 22,
item 10): GitHub-flavoured markdown would make them links; pages/_markdown.py breaks
them with a word joiner, and this checks the rendered page has no such link."""
from __future__ import annotations

import pytest
from app_runs import add_file, rerun
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TEXT = ("详见 https://evil.example/login 或 www.evil-example.cn，联系 boss@evil.example。"
        "2023年共为困难职工发放慰问金9.9万元。")


def test_bare_urls_in_a_report_are_not_links(app_url, page, tmp_path):
    f = tmp_path / "链接测试.txt"
    f.write_text(TEXT, encoding="utf-8")
    page.goto(app_url + "/upload")
    add_file(page, f)
    with rerun(page):
        page.get_by_role("button", name="保存并提取数字").click()
    expect(page.get_by_text("已处理 1 个文件")).to_be_visible()
    with rerun(page):
        page.get_by_role("button", name="查看刚上传的报告").click()
    body = page.locator('[data-testid="stMarkdown"]').filter(has_text="慰问金9.9万元")
    expect(body.first).to_be_visible(timeout=30_000)
    expect(body.first).to_contain_text("evil.example/login")        # the text is shown
    assert page.locator("main a[href*='evil']").count() == 0         # but nothing links there
