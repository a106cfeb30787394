"""Team serving (issue 9) against a real server: with an [auth] section in
.streamlit/secrets.toml (read from the server's working folder, as in production), an
anonymous visitor reads, sees the read-only note instead of the uploader, and gets a
登录 button that starts Streamlit's OIDC login (/auth/login). The identity provider
itself is not reachable here, so the flow is followed only that far."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_dashboard_browser import wait_idle

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

SECRETS = """[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-only-not-a-secret-0123456789abcdef"
client_id = "report-figures-test"
client_secret = "test-only"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.fixture
def auth_app(served_store, tmp_path):
    port = _free_port()
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(SECRETS.format(port=port), encoding="utf-8")
    env = dict(os.environ, REPORT_FIGURES_DB=str(served_store),
               REPORT_FIGURES_UPLOADS=str(tmp_path / "uploads"),
               REPORT_FIGURES_EDITORS="editor@example.org")
    env.pop("REPORT_FIGURES_READONLY", None)
    log = open(tmp_path / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"streamlit did not come up; see {log.name}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_with_auth_configured_a_visitor_reads_and_can_log_in(auth_app, page):
    page.goto(auth_app + "/upload")
    wait_idle(page)
    expect(page.get_by_text("只读：登录后，编辑者才能上传报告和更正数字。")).to_be_visible()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    login = page.locator('[data-testid="stSidebar"]').get_by_role("button", name="登录")
    expect(login).to_be_visible()
    with page.expect_request(lambda r: "/auth/login?provider=" in r.url, timeout=20_000):
        login.click()
