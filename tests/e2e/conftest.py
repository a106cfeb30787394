"""Browser tests: a Streamlit server on a free port against a copy of the test store,
driven by Playwright with Debian's Chromium (no `playwright install`). Skipped when
/usr/bin/chromium (or playwright) is missing. Screenshots go to tests/screenshots/.
Waiting for the app: app_runs.py (never a fixed sleep)."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from app_runs import RUN_COUNTER
from e2e_server import streamlit_server

from etl.exports import render

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:               # for test_app_store (the shared test store)
    sys.path.insert(0, str(TESTS))

CHROMIUM = "/usr/bin/chromium"
SHOTS = TESTS / "screenshots"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_ready():
    if not os.path.exists(CHROMIUM):
        # the reason the dashboard gives for its export buttons too (etl/exports/render.py)
        pytest.skip(f"no {CHROMIUM}: browser tests skipped. {render.HOW_TO}")
    pw = pytest.importorskip("playwright.sync_api")
    pw.expect.set_options(timeout=20_000)      # a busy CI box renders plotly slowly


@pytest.fixture(scope="session")
def served_store(browser_ready, tmp_path_factory):
    from test_app_store import copy_store
    return copy_store(tmp_path_factory.mktemp("e2e-store"))


@pytest.fixture(scope="session")
def app_url(served_store, tmp_path_factory):
    env = dict(os.environ, REPORT_FIGURES_DB=str(served_store),
               REPORT_FIGURES_UPLOADS=str(tmp_path_factory.mktemp("e2e-uploads")))
    with streamlit_server(env, ROOT, tmp_path_factory.mktemp("e2e-log") / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser_ctx(browser_ready):
    from playwright.sync_api import sync_playwright
    profile = tempfile.mkdtemp(prefix="rf-pw-profile-")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROME_ARGS,
            viewport={"width": 1400, "height": 1500}, locale="zh-CN")
        ctx.add_init_script(RUN_COUNTER)       # every page counts its finished runs (app_runs)
        yield ctx
        ctx.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_ctx):
    """A tab that fails the test if any script dialog (alert) opens."""
    pg = browser_ctx.new_page()
    pg.set_default_timeout(30_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield pg
    pg.close()
    assert not dialogs, f"a script ran in the page: alert {dialogs}"
