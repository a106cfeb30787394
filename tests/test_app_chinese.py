"""Chinese wherever a user reads (issue 20): the corrections log says 是/否 and —, never
true/false or None; a figure without a subject reads —（未识别）; times are local
(Asia/Shanghai, or REPORT_FIGURES_TZ); Streamlit's own English words are replaced by
the script every page carries; the 使用说明 page; the briefing basket comes back from
the page address in a new session and the 简报 page previews the deck."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from test_app_pages import sql, writable_db  # noqa: F401  (fixture)
from test_app_store import db, ok, open_page  # noqa: F401  (fixture)

from etl.store import Store
from etl.views import basket, ui_text
from etl.views.labels import NO_SUBJECT, local_time

ENGLISH_VALUES = {"True", "False", "true", "false", "None", "nan", "NaN", "<NA>"}


def _cells(df: pd.DataFrame) -> set[str]:
    return {str(v) for col in df.columns for v in df[col].tolist()}


def test_corrections_log_reads_yes_no_dash_and_local_time(writable_db, monkeypatch):  # noqa: F811
    monkeypatch.delenv("REPORT_FIGURES_TZ", raising=False)
    store = Store(writable_db)
    cid = sql(writable_db, "SELECT claim_id FROM claims WHERE text = '27万元' LIMIT 1")["claim_id"][0]
    store.add_correction(cid, "counted", False, who="王审核", why="重复")
    store.add_correction(cid, "subject", None, who="王审核", why="主体不明")
    at = open_page("corrections")
    ok(at)
    hist = at.dataframe[-1].value
    assert "时间（北京时间）" in hist.columns and "时间（UTC）" not in hist.columns
    counted = hist[hist["字段"] == "计入合计"].iloc[0]
    assert (counted["原值"], counted["新值"]) == ("是", "否")
    subject = hist[hist["字段"] == "主体"].iloc[0]
    assert (subject["原值"], subject["新值"]) == ("慰问金", "—")
    assert not _cells(hist[["原值", "新值", "主体"]]) & ENGLISH_VALUES
    at_utc = sql(writable_db, "SELECT \"at\" FROM corrections WHERE claim_id = ?", [cid])["at"][0]
    assert counted[hist.columns[0]] == local_time(at_utc)
    shift = pd.Timestamp(counted[hist.columns[0]]) - pd.Timestamp(at_utc).floor("min")
    assert shift.total_seconds() == 8 * 3600                   # UTC+8


def test_the_time_zone_is_configurable(writable_db, monkeypatch):  # noqa: F811
    store = Store(writable_db)
    cid = sql(writable_db, "SELECT claim_id FROM claims WHERE text = '27万元' LIMIT 1")["claim_id"][0]
    store.add_correction(cid, "counted", False, who="王审核", why="重复")
    monkeypatch.setenv("REPORT_FIGURES_TZ", "UTC")
    hist = open_page("corrections").dataframe[-1].value
    at_utc = sql(writable_db, "SELECT \"at\" FROM corrections")["at"][0]
    assert hist["时间（UTC）"].tolist() == [f"{at_utc:%Y-%m-%d %H:%M}"]


def test_a_figure_without_a_subject_reads_not_recognised(writable_db):  # noqa: F811
    cid = sql(writable_db, "SELECT claim_id FROM claims WHERE text = '27万元' LIMIT 1")["claim_id"][0]
    Store(writable_db).add_correction(cid, "subject", None, who="王审核", why="主体不明")
    at = open_page("explore")
    ok(at)
    df = at.dataframe[0].value
    assert NO_SUBJECT in set(df["主体"]) and not set(map(str, df["主体"])) & ENGLISH_VALUES


def test_every_page_carries_the_script_that_puts_streamlit_words_in_chinese(db):  # noqa: F811
    at = open_page("upload")
    ok(at)
    bodies = [h.proto.body for h in at.get("html")]
    assert any("MutationObserver" in b and "浏览文件" in b and "全选" in b for b in bodies)
    for english in ("Drag and drop files here", "Browse files", "Upload", "Select all", "Stop",
                    "Failed to generate file for download", "10MB per file"):
        zh = ui_text.translate(english)
        assert zh != english and not re.search(r"[A-Za-z]{3,}", zh.replace("Chromium", "")), zh
    assert ui_text.translate("慰问金") == "慰问金"           # what is not Streamlit's stays


def test_the_guide_says_what_each_page_does_and_how_to_start(db):  # noqa: F811
    at = open_page("guide")
    ok(at)
    assert at.title[0].value == "使用说明"
    heads = [h.value for h in at.subheader]
    assert heads == ["各页面做什么", "用自己的报告", "核对一个数字", "导出", "读图须知"]
    text = " ".join(m.value for m in at.markdown)
    for page in ("总览", "数字明细", "对比", "简报", "核查", "报告", "上传", "更正"):
        assert f"**{page}**" in text
    assert "10 MB" in text and "python -m etl run" in text and "对数刻度" in text
    assert "北京时间" in text and "REPORT_FIGURES_TZ" in text


def test_the_basket_comes_back_from_the_address_and_the_deck_is_previewed(db):  # noqa: F811
    from streamlit.testing.v1 import AppTest
    from test_app_store import APP
    items = [{"chart": "compare", "metric_id": "funds_disbursed"},
             {"table": "biggest", "class": "money"}]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["brief"] = basket.encode(items)
    at.run()
    at.switch_page("pages/briefing.py").run()
    ok(at)
    assert at.session_state["briefing_items"] == items
    text = " ".join(m.value for m in at.markdown)
    assert "资金发放：按专项活动合计（对数刻度）" in text and "最大的数字：金额" in text
    assert [s.value for s in at.subheader] == ["幻灯片预览"]
    captions = [c.value for c in at.caption]
    assert {"第 1 页 · 封面", "第 2 页 · 图表", "第 3 页 · 表格"} <= set(captions)
    assert any("刻度：对数刻度" in c for c in captions)          # the slide's source lines


@pytest.mark.parametrize("junk", ["", "not-base64!", basket.encode([{"chart": "x", "table": "y"}]),
                                  "eJwLycgsVgCi4vzcVIXknPzSvBSFpNS8kvjMkqL8YgA",
                                  "A" * 9000])
def test_a_damaged_basket_address_gives_an_empty_basket(junk):
    assert basket.decode(junk) == []
