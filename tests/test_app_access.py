"""Read-only mode and team serving (issue 9): the one access policy (pages/_access.py)
in each of its modes, with AppTest.

  default              no READONLY, no auth: a local single user may write (as before)
  READONLY=1           no upload widget, no correction form or button, no re-check; the
                       store file is never opened for writing
  auth configured      ([auth] in secrets, st.login): only logged-in users listed in
                       REPORT_FIGURES_EDITORS write; a login button in the sidebar
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from store_reads import corrections_for
from streamlit.testing.v1 import AppTest
from test_app_pages import _claim, _rid
from test_app_store import ok, open_page, use_writable_copy

from etl.store import Store

AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback",
                 "cookie_secret": "test-only-not-a-secret",
                 "client_id": "dashboard", "client_secret": "test-only",
                 "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}}
EDITOR = "editor@example.org"
NOTE = "只读"


@pytest.fixture
def store(monkeypatch, tmp_path):
    return use_writable_copy(monkeypatch, tmp_path)


visit = open_page


def fingerprint(path: Path) -> tuple:
    """The store file's bytes and whether a WAL exists: a write changes one of them."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest(), Path(str(path) + ".wal").exists()


def infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def can_upload(at: AppTest) -> bool:
    return len(at.get("file_uploader")) > 0


def has_correction_form(at: AppTest, cid: str) -> bool:
    return any(w.key == f"k_value_{cid}" for w in at.text_input)


def buttons(at: AppTest) -> set:
    return {b.key for b in at.button}


# ------------------------------------------------------------------------- default

def test_default_local_user_may_write_and_sees_no_login(store):
    at = visit("upload")
    assert can_upload(at) and at.button(key="u_go")
    assert not any(k and k.startswith("auth_") for k in buttons(at))
    cid = _claim(store, "27万元")
    at = visit("corrections", fix_claim_id=cid)
    assert has_correction_form(at, cid)
    at = visit("report", report_id=_rid(store, "000_35e2ab27f9b7f4d4.txt"))
    assert "r_fix" in buttons(at)


# ----------------------------------------------------------------------- read-only

@pytest.mark.parametrize("page", ["overview", "explore", "compare", "briefing", "checks", "report",
                                  "upload", "corrections"])
def test_read_only_every_page_renders_and_nothing_is_written(store, monkeypatch, page):
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "1")
    before = fingerprint(store)
    state = {"report_id": _rid(store, "000_35e2ab27f9b7f4d4.txt"),
             "fix_claim_id": _claim(store, "27万元")}
    at = visit(page, **state)
    assert "只读看板" in " ".join(c.value for c in at.sidebar.caption)
    assert not can_upload(at)
    assert not ({"u_go", "r_fix", "ck_run"} & buttons(at))
    assert not has_correction_form(at, state["fix_claim_id"])
    assert fingerprint(store) == before


def test_read_only_upload_and_corrections_say_so(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "true")
    at = visit("upload")
    assert "只读看板" in infos(at) and not can_upload(at)
    cid = _claim(store, "1069名")
    at = visit("corrections", fix_claim_id=cid)
    assert NOTE in infos(at)
    assert at.dataframe[0].value["内容"].iloc[0] == "1069名"      # the current values still show
    assert not at.get("form") and not has_correction_form(at, cid)
    at = visit("report", report_id=_rid(store, "000_35e2ab27f9b7f4d4.txt"))
    assert "r_fix" not in buttons(at)
    assert "只读看板：不能更正" in " ".join(c.value for c in at.caption)


def test_read_only_never_creates_a_missing_store(monkeypatch, tmp_path):
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv("REPORT_FIGURES_DB", str(missing))
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "1")
    at = visit("upload")
    assert not can_upload(at) and "只读看板" in infos(at)
    at = visit("overview")
    assert "只读看板" in infos(at) and "打开左侧的 **上传** 页面" not in infos(at)
    assert not missing.exists()


def test_read_only_refuses_a_writable_store_even_if_asked(store, monkeypatch):
    """The last line of defence behind the hidden buttons."""
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "1")
    from pages import _data
    with pytest.raises(PermissionError, match="只读"):
        _data.writable_store()


# ---------------------------------------------------------------- auth + editors

def test_auth_anonymous_user_reads_and_gets_a_login_button(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", EDITOR)
    at = visit("upload", secrets=AUTH, user={"is_logged_in": False})
    assert not can_upload(at) and "登录后" in infos(at)
    login = at.button(key="auth_login_default")
    assert login.label == "登录"
    assert "auth_logout" not in buttons(at)


def test_auth_editor_may_upload_and_correct_as_themself(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", f"someone@example.org, {EDITOR.upper()}")
    user = {"is_logged_in": True, "email": EDITOR, "email_verified": True, "name": "编辑"}
    at = visit("upload", secrets=AUTH, user=user)
    assert can_upload(at)
    assert "auth_logout" in buttons(at) and "auth_login_default" not in buttons(at)
    shown = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")   # markdown escapes
    shown = shown.replace("\u2060", "")          # the word joiner that keeps an e-mail unlinked
    assert "已登录：editor@example.org（编辑者）" in shown
    cid = _claim(store, "1069名")
    at = visit("corrections", secrets=AUTH, user=user, fix_claim_id=cid)
    who = at.text_input(key=f"k_who_{cid}")
    assert who.value == EDITOR and who.disabled
    at.text_input(key=f"k_value_{cid}").input("1070")
    at.button[0].click().run()
    ok(at)
    assert "已保存更正" in at.success[0].value
    [k] = corrections_for(Store(store, read_only=True), cid)
    assert k["who"] == EDITOR and k["new_value"] == "1070"


@pytest.mark.parametrize("user, note", [
    ({"is_logged_in": True, "email": "visitor@example.org"}, "没有编辑权限"),
    ({"is_logged_in": True, "email": EDITOR, "email_verified": False}, "没有确认这个邮箱"),
    ({"is_logged_in": True}, "没有编辑权限"),                       # no e-mail claim at all
])
def test_auth_other_users_read_only(store, monkeypatch, user, note):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", EDITOR)
    before = fingerprint(store)
    at = visit("upload", secrets=AUTH, user=user)
    assert not can_upload(at) and note in infos(at)
    cid = _claim(store, "27万元")
    at = visit("corrections", secrets=AUTH, user=user, fix_claim_id=cid)
    assert not has_correction_form(at, cid) and note in infos(at)
    assert fingerprint(store) == before


def test_auth_without_an_editors_list_nobody_writes(store):
    at = visit("upload", secrets=AUTH, user={"is_logged_in": True, "email": EDITOR})
    assert not can_upload(at) and "没有编辑权限" in infos(at)


def test_read_only_wins_over_the_editors_list(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", EDITOR)
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "1")
    at = visit("upload", secrets=AUTH, user={"is_logged_in": True, "email": EDITOR})
    assert not can_upload(at) and "只读看板" in infos(at)


def test_an_editors_list_without_auth_fails_closed(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", EDITOR)
    at = visit("upload")
    assert not can_upload(at) and "没有配置登录" in infos(at)


def test_named_providers_get_one_login_button_each(store, monkeypatch):
    secrets = {"auth": {"redirect_uri": AUTH["auth"]["redirect_uri"],
                        "cookie_secret": "test-only-not-a-secret",
                        "google": {"client_id": "a", "client_secret": "b",
                                   "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration"},
                        "microsoft": {"client_id": "c", "client_secret": "d",
                                      "server_metadata_url": "https://login.microsoftonline.com/x/v2.0/.well-known/openid-configuration"}}}
    at = visit("overview", secrets=secrets, user={"is_logged_in": False})
    assert {"auth_login_google", "auth_login_microsoft"} <= buttons(at)
