"""The 核查 page (pages/checks.py), headless with AppTest against a checked store."""
from __future__ import annotations

from pathlib import Path

import pytest
from store_reads import last_check_run
from streamlit.testing.v1 import AppTest
from test_app_store import copy_store

from etl.checks.run import run_checks, save_results
from etl.store import Store

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "checks.py")
# Until app.py registers the page, a minimal app runs it the way app.py runs every page:
# through st.navigation, inside _ui.app_running().
HARNESS = f"""
import streamlit as st
from pages import _ui
nav = st.navigation([st.Page({PAGE!r}, title="核查", url_path="checks")])
with _ui.app_running():
    nav.run()
"""


@pytest.fixture
def db(monkeypatch, tmp_path):
    path = copy_store(tmp_path)
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    (tmp_path / "checks_app.py").write_text(HARNESS, encoding="utf-8")
    return path


def open_checks(db) -> AppTest:
    at = AppTest.from_file(str(Path(db).parent / "checks_app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_before_any_check_the_page_offers_to_run_one(db):
    at = open_checks(db)
    assert at.title[0].value == "核查"
    assert any("还没有核查结果" in i.value for i in at.info)
    at.button(key="ck_run").click().run()
    assert not at.exception
    assert any("核查完成" in s.value for s in at.success)
    assert last_check_run(Store(db, read_only=True)) is not None


def test_findings_are_listed_with_links_to_the_report_page(db):
    store = Store(db)
    save_results(store, run_checks(store))
    at = open_checks(db)
    text = "\n".join(m.value for m in at.markdown)
    assert "与 002 均报告慰问金 27万元" in text
    # a duplicate shows each report's sentence, the figure highlighted, side by side,
    # each with a same-tab button to the report (no link that opens a new tab)
    assert "](report?" not in text
    marked = [m.value for m in at.markdown if ':color[27万元]{background=' in m.value]
    assert len(marked) >= 2 and any("慰问金" in m for m in marked)
    assert len([b for b in at.button if b.label == "在报告中查看"]) >= 2
    assert [m.value for m in at.metric][:1] == ["0"]          # 数字冲突
    at.multiselect(key="ck_types").set_value(["arithmetic_ok"]).run()
    text = "\n".join(m.value for m in at.markdown)
    assert "122名 × 每人1000元" in text and "均报告慰问金" not in text


def test_a_stale_result_is_flagged(db):
    store = Store(db)
    save_results(store, run_checks(store))
    cid = store.query_df("SELECT claim_id FROM claims WHERE text = '27万元' LIMIT 1")["claim_id"][0]
    store.add_correction(cid, "value", 250000, who="测试")
    at = open_checks(db)
    assert any("可能已过时" in w.value for w in at.warning)
