"""Who may write: the dashboard's one access policy (issue 9). Every page asks here
before it offers a write path (upload, corrections, re-running the checks), and
pages._data.writable_store() refuses without it, so the store is never opened for
writing when the policy says no.

    REPORT_FIGURES_READONLY=1           read-only for everyone (a public or team view);
                                          a value other than 1/0 true/false yes/no on/off
                                          is read-only too, with a note saying why
    Streamlit auth configured           ([auth] in .streamlit/secrets.toml, st.login)
      and REPORT_FIGURES_EDITORS          only logged-in users whose e-mail is listed
                                          (comma-separated, case-insensitive) may write;
                                          everyone else reads
    neither, served on 127.0.0.1        local single user: writes allowed (as before)
    neither, any other server.address   read-only (anyone on the network could write),
                                          unless REPORT_FIGURES_ALLOW_ANONYMOUS_WRITES=1

Two fail-closed cases: REPORT_FIGURES_EDITORS set without auth configured (an editors
list nobody can be checked against) is read-only, and so is an e-mail the provider
has not marked verified (only `email_verified` True counts). Reading st.secrets / st.user happens on every call (not at
import), so tests and a running server see the current configuration.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from pages._markdown import escape_markdown

READONLY_ENV = "REPORT_FIGURES_READONLY"
EDITORS_ENV = "REPORT_FIGURES_EDITORS"
ANONYMOUS_WRITES_ENV = "REPORT_FIGURES_ALLOW_ANONYMOUS_WRITES"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")
# Addresses only this machine can reach. Streamlit with no address listens on every
# interface, so an unset address is not local.
_LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1", "[::1]")

NOTES = {
    "readonly": "这是只读看板：可以查看、筛选和下载，不能上传报告或更正数字。",
    "anonymous": "只读：登录后，编辑者才能上传报告和更正数字。",
    "viewer": "只读：当前账号没有编辑权限。需要上传或更正时，请联系管理员把你的邮箱加入编辑者名单。",
    "unverified": "只读：登录服务没有确认这个邮箱，不能据此授予编辑权限。",
    "misconfigured": "只读：设置了编辑者名单（REPORT_FIGURES_EDITORS），但没有配置登录，无法确认身份。",
    "exposed": "只读：看板对网络开放（server.address 不是 127.0.0.1），又没有配置登录，任何能访问的人都"
               "不能上传或更正。需要时请配置登录，或由管理员设置 REPORT_FIGURES_ALLOW_ANONYMOUS_WRITES=1。",
    "bad_flag": "只读：环境变量 {name} 的值“{value}”无法识别（可用 1/0、true/false、yes/no、on/off），"
                "为安全起见按只读处理。",
}


@dataclass(frozen=True)
class Access:
    can_write: bool
    mode: str                  # local | editor | readonly | anonymous | viewer | unverified
                               # | misconfigured | exposed | bad_flag
    email: str | None = None   # the logged-in user's, when auth is configured
    detail: tuple[str, str] = ("", "")     # bad_flag: the variable and its value

    @property
    def note(self) -> str:
        """A short Chinese note saying why this dashboard is read-only ("" if not)."""
        if self.can_write:
            return ""
        if self.mode == "bad_flag":
            return NOTES["bad_flag"].format(name=self.detail[0], value=self.detail[1][:20])
        return NOTES.get(self.mode, NOTES["readonly"])


class BadFlag(ValueError):
    """An on/off environment variable with a value that is neither."""

    def __init__(self, name: str, value: str):
        super().__init__(f"{name}={value!r}")
        self.name, self.value = name, value


def _flag(name: str) -> bool:
    """An on/off environment variable: only clear values count (1/0, true/false,
    yes/no, on/off, any case); anything else raises BadFlag, so that a typo never
    means the permissive choice."""
    raw = os.environ.get(name, "")
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadFlag(name, raw)


def served_locally() -> bool:
    """Whether Streamlit listens only on this machine (server.address)."""
    try:
        address = st.get_option("server.address")
    except Exception:          # noqa: BLE001 - no config: Streamlit's default, every interface
        address = None
    return str(address or "").strip().lower() in _LOCAL_ADDRESSES


def editors() -> frozenset[str]:
    """The e-mail addresses in REPORT_FIGURES_EDITORS, lower-cased."""
    raw = os.environ.get(EDITORS_ENV, "")
    return frozenset(e.lower() for e in re.split(r"[\s,;，；]+", raw) if "@" in e)


def auth_section() -> Mapping | None:
    """The [auth] section of .streamlit/secrets.toml, or None when auth is not set up
    (no secrets file is not an error: reading it must never fail a page)."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get("auth")
    except Exception:          # noqa: BLE001 - a broken secrets file means "not configured"
        return None
    return section if isinstance(section, Mapping) and len(section) else None


def auth_configured() -> bool:
    return auth_section() is not None


def providers() -> list[str | None]:
    """The login providers: [None] for a single provider in [auth] itself, else the
    names of [auth.NAME] sections (what st.login(NAME) takes)."""
    section = auth_section()
    if section is None:
        return []
    named = [k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v]
    return named or [None]


def _user() -> dict:
    try:
        return dict(st.user.to_dict())
    except Exception:          # noqa: BLE001 - no user info (e.g. outside a session)
        return {}


def current() -> Access:
    """The policy for this session, now."""
    try:
        if _flag(READONLY_ENV):
            return Access(False, "readonly")
        anonymous_writes = _flag(ANONYMOUS_WRITES_ENV)
    except BadFlag as bad:
        return Access(False, "bad_flag", detail=(bad.name, bad.value))
    allowed = editors()
    if auth_configured():
        user = _user()
        if not user.get("is_logged_in"):
            return Access(False, "anonymous")
        email = str(user.get("email") or "").strip().lower() or None
        if not email or email not in allowed:
            return Access(False, "viewer", email)
        # a listed e-mail counts only when the provider says, with a real True, that it
        # checked it: a missing claim, "false", "true", 0 or 1 are not a verification
        if user.get("email_verified") is not True:
            return Access(False, "unverified", email)
        return Access(True, "editor", email)
    if allowed:
        return Access(False, "misconfigured")
    if not served_locally() and not anonymous_writes:
        return Access(False, "exposed")
    return Access(True, "local")


def shown_editor(who: object, acc: Access | None = None) -> str:
    """Who made a correction, as this session may see it: editors and the local user
    see it as recorded; any other reader sees an e-mail address as a short hash
    (the same editor always gets the same one), and a plain name as it is.

    >>> shown_editor("Wang@Example.org", Access(False, "anonymous"))
    '编辑者 #26a0613c'
    >>> shown_editor("王芳", Access(False, "anonymous")), shown_editor("a@b.cn", Access(True, "local"))
    ('王芳', 'a@b.cn')
    """
    text = "" if who is None else str(who)
    acc = acc or current()
    if acc.can_write or "@" not in text:
        return text
    return "编辑者 #" + hashlib.sha256(text.strip().lower().encode("utf-8")).hexdigest()[:8]


def can_write() -> bool:
    return current().can_write


def require_write() -> None:
    """Raise PermissionError unless this session may write (the last line of defence
    behind every hidden button: pages._data.writable_store calls it)."""
    acc = current()
    if not acc.can_write:
        raise PermissionError(acc.note)


def read_only_note(note: str | None = None) -> None:
    """The short note a page shows where its write path would be."""
    st.info(note or current().note, icon=":material/lock:")


def read_only_caption(container=None) -> None:
    """A one-line version, beside a figure whose 更正 button is not offered."""
    (container or st).caption(":material/lock: 只读看板：不能更正")


def sidebar() -> None:
    """Login / logout in the sidebar, only when Streamlit's auth is configured; a
    read-only marker whenever the dashboard is read-only."""
    acc = current()
    with st.sidebar:
        if auth_configured():
            if acc.mode == "anonymous":
                if any(importlib.util.find_spec(m) is None for m in ("authlib", "httpx")):
                    st.caption("登录需要 Streamlit 的 auth 组件：pip install 'streamlit[auth]'")
                for name in providers():
                    st.button("登录" + (f"（{name}）" if name else ""), key=f"auth_login_{name or 'default'}",
                              on_click=st.login, args=(name,) if name else (),
                              icon=":material/login:")
            else:
                st.caption("已登录：" + escape_markdown(acc.email or "（无邮箱）")
                           + ("（编辑者）" if acc.can_write else "（只读）"))
                st.button("退出登录", key="auth_logout", on_click=st.logout, icon=":material/logout:")
        elif not acc.can_write:
            st.caption(":material/lock: 只读看板")
            if acc.mode in ("exposed", "bad_flag"):   # a setting made it read-only: say which
                st.caption(escape_markdown(acc.note))
