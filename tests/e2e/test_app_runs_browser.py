"""The wait every browser test relies on (app_runs.py): its reading of Streamlit's
messages, checked on messages made by this Streamlit's own protobuf classes, and its
count on the running app: one finished run per page load and per click."""
from __future__ import annotations

import pytest
from app_runs import RUN_COUNTER, rerun, runs_finished, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _status(page, msg) -> int:
    return page.evaluate("bytes => window.__rfFinishedStatus(new Uint8Array(bytes).buffer)",
                         list(msg.SerializeToString()))


def test_the_counter_reads_script_finished_and_nothing_else(page):
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    page.evaluate(RUN_COUNTER)
    for status in range(4):               # successfully, compile error, early for a rerun, fragment
        msg = ForwardMsg(hash="a" * 32, script_finished=status)
        msg.metadata.delta_path[:] = [0, 300]
        assert _status(page, msg) == status
    long = ForwardMsg(hash="b" * 32)      # fields before a varint 6 inside a long message
    long.delta.new_element.markdown.body = "第6段，" * 400
    long.metadata.delta_path[:] = [1, 6]
    assert _status(page, long) == -1
    running = ForwardMsg()
    running.session_status_changed.script_is_running = True
    assert _status(page, running) == -1


def test_one_run_is_counted_per_load_and_per_click(app_url, page):
    page.goto(app_url + "/compare")
    wait_idle(page)
    assert runs_finished(page) == 1
    with rerun(page):
        page.locator('[data-testid="stRadioOption"]', has_text="年份").click()
    assert runs_finished(page) == 2
    assert "by=year" in page.url, page.url        # the run's address is in when the wait ends
    expect(page.locator('[data-testid="stPlotlyChart"] .gtitle', has_text="按年份")).to_be_visible()
