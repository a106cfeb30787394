"""Serving the dashboard safely (issue 22, items 4, 5, 6, 9, 10, 11, 12, 13): a server
bound beyond this machine without login is read-only, on/off settings take clear values
only, only a verified e-mail makes an editor and readers see editors as a hash, the
upload limit is the server's too and readers never see tracebacks, names cannot hide
bidi overrides, bare URLs stay text, uploads run in a worker with a time budget, odd
but honest file names keep their extension, and a broken store gets one Chinese line."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit import config as st_config
from test_app_access import AUTH, EDITOR, buttons, can_upload, fingerprint, infos
from test_app_store import copy_store, ok, open_page

from etl.reading.safe_text import strip_invisible
from etl.store import Store
from pages import _access, _markdown, _upload_worker, _uploads

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


@pytest.fixture
def store(monkeypatch, tmp_path):
    path = copy_store(tmp_path)
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    monkeypatch.setenv("REPORT_FIGURES_UPLOADS", str(tmp_path / "uploads"))
    for var in ("REPORT_FIGURES_READONLY", "REPORT_FIGURES_EDITORS",
                "REPORT_FIGURES_ALLOW_ANONYMOUS_WRITES"):
        monkeypatch.delenv(var, raising=False)
    return path


@pytest.fixture
def address():
    """Set server.address as `--server.address` would, restored afterwards."""
    before = st_config.get_option("server.address")

    def set_to(value):
        st_config.set_option("server.address", value)
    yield set_to
    st_config.set_option("server.address", before)


# ------------------------------------------------------------------ item 4: fail closed

@pytest.mark.parametrize("bound", ["0.0.0.0", "192.168.1.20", None])
def test_served_beyond_localhost_without_login_is_read_only(store, address, bound):
    address(bound)
    before = fingerprint(store)
    at = open_page("upload")
    assert not can_upload(at) and "u_go" not in buttons(at)
    assert "对网络开放" in infos(at)
    assert "对网络开放" in " ".join(c.value for c in at.sidebar.caption)
    assert fingerprint(store) == before


def test_anonymous_writes_on_a_network_only_when_asked(store, address, monkeypatch):
    address("0.0.0.0")
    monkeypatch.setenv("REPORT_FIGURES_ALLOW_ANONYMOUS_WRITES", "1")
    assert can_upload(open_page("upload"))
    address("127.0.0.1")
    monkeypatch.delenv("REPORT_FIGURES_ALLOW_ANONYMOUS_WRITES")
    assert can_upload(open_page("upload"))


@pytest.mark.parametrize("value", ["y", "2", "enabled", "ture", "只读"])
def test_unclear_readonly_values_are_read_only_and_say_so(store, monkeypatch, value):
    monkeypatch.setenv("REPORT_FIGURES_READONLY", value)
    at = open_page("upload")
    assert not can_upload(at)
    assert "REPORT\\_FIGURES\\_READONLY" in infos(at) or "REPORT_FIGURES_READONLY" in infos(at)
    assert "无法识别" in infos(at)


@pytest.mark.parametrize("value, writable", [("0", True), ("off", True), ("No", True), ("", True),
                                             ("1", False), ("YES", False), (" true ", False)])
def test_clear_readonly_values(store, monkeypatch, value, writable):
    monkeypatch.setenv("REPORT_FIGURES_READONLY", value)
    assert _access.current().can_write is writable


# ------------------------------------------------------------ item 5: verified editors

@pytest.mark.parametrize("verified", [None, "false", "true", 0, 1, "yes"])
def test_only_a_true_email_verified_makes_an_editor(store, monkeypatch, verified):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", EDITOR)
    user = {"is_logged_in": True, "email": EDITOR}
    if verified is not None:
        user["email_verified"] = verified
    at = open_page("upload", secrets=AUTH, user=user)
    assert not can_upload(at) and "没有确认这个邮箱" in infos(at)


def test_readers_see_editors_as_a_hash_not_an_email(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_EDITORS", EDITOR)
    s = Store(store)
    cid = s.query_df("SELECT claim_id FROM claims WHERE text = '1069名'")["claim_id"][0]
    s.add_correction(cid, "value", 1070, who=EDITOR, why="原文")
    s.close()
    at = open_page("corrections", secrets=AUTH, user={"is_logged_in": False})
    shown = at.dataframe[-1].value["更正人"].tolist()
    assert EDITOR not in shown and shown[0].startswith("编辑者 #")
    editor = {"is_logged_in": True, "email": EDITOR, "email_verified": True}
    at = open_page("corrections", secrets=AUTH, user=editor)
    assert EDITOR in at.dataframe[-1].value["更正人"].tolist()


# --------------------------------------------------------- items 6, 11: server settings

def test_server_upload_limit_is_the_apps_and_errors_show_no_details():
    assert CONFIG["server"]["maxUploadSize"] == _uploads.MAX_MB
    assert CONFIG["client"]["showErrorDetails"] == "none"
    # and that value is one this Streamlit knows (it hides type, message and traceback)
    assert "none" in {o.value for o in st_config.ShowErrorDetailsConfigOptions}


def test_read_only_never_renders_the_uploader(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "1")
    for page in ("upload", "overview", "corrections"):
        assert not can_upload(open_page(page))


@pytest.mark.parametrize("name", ["report\x00.exe.txt", "payload.exe", "a.sh"])
def test_a_tampered_file_name_is_refused_with_a_message(store, name):
    at = open_page("upload")
    at.file_uploader(key="u_files").set_value([(name, b"x", "text/plain")]).run()
    assert not at.exception
    at.button(key="u_go").click().run()
    assert not at.exception
    assert [e.value for e in at.error] and all("已拒绝" in e.value for e in at.error)
    assert not (Path(store).parent / "uploads").exists()


# ------------------------------------------------------------------ item 13: file names

@pytest.mark.parametrize("name, saved", [("😀.txt", "upload.txt"), ("《》.docx", "《》.docx"),
                                         ("报告\u202egpj.txt", "报告gpj.txt")])
def test_symbol_file_names_keep_their_extension(name, saved):
    assert _uploads.safe_name(name) == saved
    assert _uploads.problem(name, 10) is None


def test_an_emoji_named_report_is_uploaded(store):
    at = open_page("upload")
    text = "2022年向困难党员发放慰问金12.5万元。".encode()
    at.file_uploader(key="u_files").set_value([("😀.txt", text, "text/plain")]).run()
    at.button(key="u_go").click().run()
    ok(at)
    assert "已处理 1 个文件" in at.success[0].value
    assert [p.name for p in (Path(store).parent / "uploads").iterdir()] == ["upload.txt"]


# ------------------------------------------------------- item 2: uploads in a worker

def test_an_upload_over_its_time_budget_is_stopped_and_said(store, monkeypatch):
    monkeypatch.setattr(_uploads, "BUDGET_S", 0.5)
    at = open_page("upload")
    text = ("发放慰问金27万元6600余名干部职工参加" * 20000).encode()
    at.file_uploader(key="u_files").set_value([("long.txt", text, "text/plain")]).run()
    at.button(key="u_go").click().run()
    assert not at.exception
    [err] = [e.value for e in at.error]
    assert "时间超过上限" in err and "已中止" in err
    assert not list((Path(store).parent / "uploads").iterdir())      # not kept


def test_the_worker_reports_progress_and_results(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("发放慰问金27万元。", encoding="utf-8")
    b.write_text("走访慰问干部职工1069名。", encoding="utf-8")
    seen = []
    done = _upload_worker.process_files([a, b], max_mb=10, budget_s=300,
                                        on_progress=lambda n, total: seen.append((n, total)))
    assert seen == [(1, 2), (2, 2)]
    assert [done[str(p)].report.doc for p in (a, b)] == ["a.txt", "b.txt"]


# ----------------------------------------------------------- items 9, 10: shown text

def test_invisible_characters_leave_titles_and_names():
    assert strip_invisible("关于\u202e慰问\u200b工作\u2066的\u2069报告\ufeff") == "关于慰问工作的报告"
    shown = _markdown.escape_markdown("报告\u202egpj.exe")
    assert "\u202e" not in shown and "gpj" in shown


def test_format_character_list_is_complete():
    import sys
    import unicodedata
    cf = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    assert strip_invisible(cf) == ""


def test_stored_titles_carry_no_bidi_override(tmp_path):
    from etl.pipeline import process_file
    f = tmp_path / "r.txt"
    f.write_text("关于\u202e慰问\u200b工作的报告\n发放慰问金27万元。\n", encoding="utf-8")
    done = process_file(f)
    assert done.report.title and not any(ch in done.report.title for ch in "\u202e\u200b")


@pytest.mark.parametrize("text", ["https://evil.example/login", "http://x.cn", "www.evil.cn",
                                  "联系 wang@example.org", "javascript:alert(1)"])
def test_bare_urls_never_become_links(text):
    md = _markdown.escape_markdown(f"详见{text}。")
    plain = md.replace("\\", "")
    for trigger in ("http:", "https:", "www.", "javascript:"):
        assert trigger not in plain.lower()
    assert "@" not in plain or plain[plain.index("@") - 1] == _markdown.WJ
    assert plain.replace(_markdown.WJ, "") == f"详见{text}。"


# ----------------------------------------------------------- item 12: page messages

def test_a_corrupt_store_gets_one_chinese_line_and_no_path(monkeypatch, tmp_path):
    bad = tmp_path / "secret-server-folder" / "figures.duckdb"
    bad.parent.mkdir()
    bad.write_bytes(b"garbage" * 4000)
    monkeypatch.setenv("REPORT_FIGURES_DB", str(bad))
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "数据库文件已损坏" in shown
    page = " ".join(str(x.value) for x in [*at.get("markdown"), *at.error, *at.caption, *at.info])
    assert "secret-server-folder" not in page and "IOException" not in page


# ------------------------------------------------------------------ item 7: the README

def test_the_dask_recipe_gives_security_advice():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Scale: more cores, a Dask cluster"):readme.index("## Serving it to a team")]
    for needed in ("runs whatever code", "private network", "--protocol tls", "--tls-ca-file",
                   "tls://scheduler:8786", "REQUIRE_ENCRYPTION"):
        assert needed in section, needed
