"""Team serving (issue 9) against a real server: with an [auth] section in
.streamlit/secrets.toml (read from the server's working folder, as in production), an
anonymous visitor reads, sees the read-only note instead of the uploader, and gets a
登录 button that starts Streamlit's OIDC login (/auth/login). The identity provider
itself is not reachable here, so the flow is followed only that far."""
from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

import pytest
from app_runs import wait_idle
from e2e_server import PortTaken, free_port, streamlit_server
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


SECRETS = """[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-only-not-a-secret-0123456789abcdef"
client_id = "report-figures-test"
client_secret = "test-only"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.fixture
def auth_app(served_store, tmp_path):
    """The secrets name the server's own address, so its port is chosen first; if another
    process takes it before the server binds it, another port is tried."""
    (tmp_path / ".streamlit").mkdir()
    env = dict(os.environ, REPORT_FIGURES_DB=str(served_store),
               REPORT_FIGURES_UPLOADS=str(tmp_path / "uploads"),
               REPORT_FIGURES_EDITORS="editor@example.org")
    env.pop("REPORT_FIGURES_READONLY", None)
    for attempt in range(3):
        port = free_port()
        (tmp_path / ".streamlit" / "secrets.toml").write_text(SECRETS.format(port=port), encoding="utf-8")
        with ExitStack() as stack:
            try:
                url = stack.enter_context(
                    streamlit_server(env, tmp_path, tmp_path / f"streamlit-{attempt}.log", port=port))
            except PortTaken:
                continue
            yield url
            return
    pytest.fail("three free ports were taken before the server could bind them")


def test_with_auth_configured_a_visitor_reads_and_can_log_in(auth_app, page):
    page.goto(auth_app + "/upload")
    wait_idle(page)
    expect(page.get_by_text("只读：登录后，编辑者才能上传报告和更正数字。")).to_be_visible()
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    login = page.locator('[data-testid="stSidebar"]').get_by_role("button", name="登录")
    expect(login).to_be_visible()
    with page.expect_request(lambda r: "/auth/login?provider=" in r.url, timeout=20_000):
        login.click()
