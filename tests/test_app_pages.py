"""AppTest for every page of the dashboard, against a store built from the bundled
reports (tests/test_app_store.py), pointed to by REPORT_FIGURES_DB.

Each test starts a new AppTest session from app.py (absolute path: RECIPES pitfall 4);
the store is built once per process. Tests that write get a private copy.
"""
from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from test_app_store import (  # noqa: F401
    APP,
    XSS_CAMPAIGN,
    XSS_IMG,
    XSS_ORG,
    XSS_SCRIPT,
    XSS_TITLE,
    app_store,
    copy_store,
    db,  # noqa: F401  (fixture)
    ok,
    open_page,
)

from etl.store import Store
from etl.views import ui_text

PAGES = {"overview": "总览", "explore": "数字明细", "compare": "对比", "report": "报告",
         "upload": "上传报告", "corrections": "更正", "guide": "使用说明"}


@pytest.fixture
def writable_db(monkeypatch, tmp_path):
    """A private copy for tests that add corrections or uploads."""
    path = copy_store(tmp_path)
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    monkeypatch.setenv("REPORT_FIGURES_UPLOADS", str(tmp_path / "uploads"))
    return path


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def values(arr) -> list:
    """A plotly array from the JSON spec (plotly 6+ may send numbers as base64)."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"])).tolist()
    return list(arr)


def sql(path, query, params=None):
    return Store(path, read_only=True).query_df(query, params)


# ------------------------------------------------------------------ every page runs

@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders(db, page):
    at = open_page(page)
    assert at.title[0].value == PAGES[page]
    assert [w.key for w in at.sidebar.multiselect] == ["flt_campaign", "flt_org", "flt_year"]


@pytest.mark.parametrize("page", list(PAGES))
def test_missing_store_gives_how_to_not_a_traceback(monkeypatch, tmp_path, page):
    monkeypatch.setenv("REPORT_FIGURES_DB", str(tmp_path / "nothing-here.duckdb"))
    at = open_page(page)
    if page == "upload":            # the one page that works without a store: it makes one
        assert at.button(key="u_go")
        return
    if page == "guide":             # the guide needs no store, and opening it makes none
        assert at.title[0].value == "使用说明"
        assert not (tmp_path / "nothing-here.duckdb").exists()
        return
    text = " ".join(i.value for i in at.info)
    assert "make run" in text and "上传" in text and "python -m etl run" in text
    assert not (tmp_path / "nothing-here.duckdb").exists()      # reading never creates it


def test_empty_store_gives_how_to(monkeypatch, tmp_path):
    path = tmp_path / "empty.duckdb"
    Store(path)                                               # schema only, no reports
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    at = open_page("compare")
    assert "make run" in at.info[0].value


def test_a_store_with_one_report(monkeypatch, tmp_path):
    from test_app_store import CORPUS

    from etl.pipeline import run
    path = tmp_path / "one.duckdb"
    run([CORPUS / "003_3e7bccd1fa082b11.txt"], path, progress=False)
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    at = open_page()
    assert {m.label: m.value for m in at.metric}["报告"] == "1"
    for page in ("explore", "compare", "report", "corrections"):
        at.switch_page(f"pages/{page}.py").run()
        ok(at)
    at.switch_page("pages/compare.py").run()
    at.radio(key="c_chart").set_value("timeline").run()
    ok(at)
    assert len(charts(at)) == 1


# ------------------------------------------------------------------------ overview

def test_overview_figures_match_the_store(db):
    at = open_page()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["报告"] == "7"
    n_claims = sql(db, "SELECT count(*) AS n FROM claims_effective WHERE is_claim")["n"][0]
    assert metrics["数字陈述"] == f"{n_claims:,}"
    # headline figures per metric, each the sum of the figures a sum counts; never `other`
    money = sql(db, "SELECT sum(value) AS s FROM claims_effective WHERE is_claim AND metric = "
                    "'funds_disbursed' AND unit = '元' AND coalesce(counted, true)")["s"][0]
    assert metrics["资金发放"] == f"{money / 1e4:,.2f}".rstrip("0").rstrip(".") + " 万元"
    assert "金额" not in metrics and not any(label.startswith("其他") for label in metrics)
    spec = charts(at)[0]
    assert spec["layout"]["title"]["text"].startswith("各专项活动的数字个数")
    shown = sum(sum(values(t["x"])) for t in spec["data"])
    assert shown == n_claims
    assert any("数据来源" in a["text"] for a in spec["layout"]["annotations"])


def _biggest(at):
    return next(d.value for d in at.dataframe if "数字" in d.value.columns)


def test_overview_biggest_figures_follow_the_class_picker(db):
    at = open_page()
    table = _biggest(at)
    assert table["数字"].iloc[0] == "2000万元"
    at.selectbox(key="ov_class").set_value("people").run()
    ok(at)
    table = _biggest(at)
    top = sql(db, "SELECT text FROM claims_effective WHERE is_claim AND unit_class = 'people' "
                  "AND unit = '人' ORDER BY value DESC LIMIT 1")["text"][0]
    assert table["数字"].iloc[0] == top


def test_shared_filter_applies_and_survives_a_page_change(db):
    at = open_page()
    at.multiselect(key="flt_campaign").set_value(["党史学习教育"]).run()
    ok(at)
    assert {m.label: m.value for m in at.metric}["报告"] == "2"
    at.switch_page("pages/explore.py").run()
    ok(at)
    assert at.session_state["flt_campaign"] == ["党史学习教育"]
    n = sql(db, "SELECT count(*) AS n FROM claims_effective WHERE is_claim AND campaign = '党史学习教育'")["n"][0]
    assert f"共 {n:,} 个数字" in " ".join(c.value for c in at.caption)
    assert set(at.dataframe[0].value["专项活动"]) == {"党史学习教育"}


# ------------------------------------------------------------------------- explore

def test_explore_filters_change_the_table(db):
    at = open_page("explore")
    all_rows = len(at.dataframe[0].value)
    at.multiselect(key="x_class").set_value(["money"]).run()
    ok(at)
    df = at.dataframe[0].value
    assert 0 < len(df) < all_rows and set(df["类别"]) == {"金额"}
    assert all(v.endswith(" 元") or v.endswith("万元") or v.endswith("亿元") for v in df["数值"])
    at.text_input(key="x_text").input("慰问金").run()
    ok(at)
    df = at.dataframe[0].value
    assert len(df) and all("慰问金" in s or "慰问金" in t for s, t in zip(df["主体"], df["句子"]))
    at.selectbox(key="x_order").set_value("value_desc").run()
    values_ = at.dataframe[0].value["基本数值"].tolist()
    assert values_ == sorted(values_, reverse=True)
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel"]


def test_explore_can_show_non_claims(db):
    at = open_page("explore")
    claims = len(at.dataframe[0].value)
    at.toggle(key="x_all").set_value(True).run()
    ok(at)
    n = sql(db, "SELECT count(*) AS n FROM claims_effective")["n"][0]
    assert f"共 {n:,} 个数字" in " ".join(c.value for c in at.caption)
    assert len(at.dataframe[0].value) > claims


# ------------------------------------------------------------------------- compare

def test_compare_bars_equal_a_direct_sql_aggregate(db):
    """The default chart: the first metric (资金发放) in its most common unit, by campaign;
    a bar sums the figures a sum counts (每人1000元 in 003 is a rate, left out)."""
    at = open_page("compare")
    assert at.selectbox(key="c_metric").value == "funds_disbursed"
    assert at.selectbox(key="c_unit_funds_disbursed").value == "元"
    spec = charts(at)[0]
    assert spec["layout"]["xaxis"]["title"]["text"] == "资金发放（元，对数刻度）"
    assert spec["layout"]["xaxis"]["type"] == "log"
    bars = dict(zip(values(spec["data"][0]["y"]), values(spec["data"][0]["x"])))
    expected = sql(db, "SELECT coalesce(campaign, '（未标注）') AS c, sum(value) AS y "
                       "FROM claims_effective WHERE is_claim AND metric = 'funds_disbursed' AND unit = '元' "
                       "AND coalesce(counted, true) GROUP BY 1")
    assert sql(db, "SELECT count(*) AS n FROM claims_effective WHERE metric = 'funds_disbursed' "
                   "AND role = 'rate'")["n"][0] >= 1
    from pages._markdown import plotly_text
    assert bars == pytest.approx({plotly_text(c): y for c, y in zip(expected["c"], expected["y"])})
    assert any("数据来源" in a["text"] for a in spec["layout"]["annotations"])


def test_compare_metric_terms_dimension_and_chart_type(db):
    at = open_page("compare")
    at.selectbox(key="c_metric").set_value("participants").run()
    at.text_input(key="c_terms").input("干部职工").run()
    at.radio(key="c_dim").set_value("year").run()
    ok(at)
    spec = charts(at)[0]
    assert spec["layout"]["yaxis"]["title"]["text"] == "参与人数（人）"
    got = dict(zip(values(spec["data"][0]["x"]), values(spec["data"][0]["y"])))
    # people of one report may be the same persons: a report gives its largest figure
    exp = sql(db, "WITH r AS (SELECT year, report_id, max(value) AS v FROM claims_effective "
                  "WHERE is_claim AND metric = 'participants' AND unit = '人' AND subject ILIKE '%干部职工%' "
                  "AND coalesce(counted, true) GROUP BY 1, 2) "
                  "SELECT CAST(year AS VARCHAR) AS y, sum(v) AS s FROM r GROUP BY 1")
    assert got == pytest.approx(dict(zip(exp["y"], exp["s"])))
    assert "干部职工" in spec["layout"]["title"]["text"]
    at.radio(key="c_chart").set_value("dots").run()
    ok(at)
    dots = charts(at)[0]
    n_dots = sum(len(values(t["x"])) for t in dots["data"])
    n = sql(db, "SELECT count(*) AS n FROM claims_effective WHERE is_claim AND metric = 'participants' "
                "AND unit = '人' AND subject ILIKE '%干部职工%'")["n"][0]
    assert n_dots == n
    symbols = {t["marker"]["symbol"] for t in dots["data"]}
    assert symbols <= {"circle", "circle-open"} and "circle-open" in symbols   # 6600余名 is hollow
    at.radio(key="c_chart").set_value("timeline").run()
    ok(at)
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == "年份"


def test_compare_counts_a_repeated_figure_once(writable_db):
    store = Store(writable_db)
    with store.writing() as con:
        con.execute("INSERT INTO figure_groups SELECT claim_id, 'g27', 2, "
                    "row_number() OVER (ORDER BY claim_id) = 1, 'test' FROM claims "
                    "WHERE text = '27万元' AND doc IN ('000_35e2ab27f9b7f4d4.txt', '002_75a48a2a2127064a.txt')")
    at = open_page("compare")
    spec = charts(at)[0]
    bars = dict(zip(values(spec["data"][0]["y"]), values(spec["data"][0]["x"])))
    each = sql(writable_db, "SELECT sum(value) AS y FROM claims_effective WHERE is_claim AND "
                            "metric = 'funds_disbursed' AND unit = '元' AND campaign = '党史学习教育'")["y"][0]
    assert bars["党史学习教育"] == pytest.approx(each - 270_000)
    assert "只计一次" in " ".join(c.value for c in at.caption)


# -------------------------------------------------------------------------- report

def _rid(path, doc):
    return sql(path, "SELECT report_id FROM reports WHERE doc = ?", [doc])["report_id"][0]


def test_report_highlights_every_number_in_place(db):
    rid = _rid(db, "000_35e2ab27f9b7f4d4.txt")
    at = open_page("report", report_id=rid)
    body = max((m.value for m in at.markdown), key=len)
    assert ':color[27万元]{background="#ffe0b2"}' in body           # money colour
    assert ':color[1069名]{background="#cfe3ff"}' in body            # people colour
    assert 'foreground="#8c8c8c"' in body                            # a non-claim in grey
    n = sql(db, "SELECT count(*) AS n FROM claims_effective WHERE report_id = ?", [rid])["n"][0]
    assert body.count(":color[") == n
    at.toggle(key="r_nonclaims").set_value(False).run()
    body = max((m.value for m in at.markdown), key=len)
    assert 'foreground="#8c8c8c"' not in body


def test_report_figure_picker_shows_its_fields(db):
    rid = _rid(db, "000_35e2ab27f9b7f4d4.txt")
    at = open_page("report", report_id=rid)
    cid = sql(db, "SELECT claim_id FROM claims WHERE report_id = ? AND text = '27万元'", [rid])["claim_id"][0]
    at.selectbox(key="r_claim").set_value(cid).run()
    ok(at)
    fields = dict(zip(at.dataframe[0].value["字段"], at.dataframe[0].value["内容"]))
    assert fields["原文"] == "27万元" and fields["主体"] == "慰问金" and fields["数值"] == "27 万元"
    assert fields["类别"] == "金额"


def test_report_link_to_one_figure(db):
    """The 核查 page links to ?report=<id>&start=<offset>."""
    rid = _rid(db, "000_35e2ab27f9b7f4d4.txt")
    row = sql(db, "SELECT claim_id, start FROM claims WHERE report_id = ? AND text = '1069名'", [rid])
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["report"] = rid
    at.query_params["start"] = str(int(row["start"][0]))
    at.run()
    at.switch_page("pages/report.py").run()
    ok(at)
    assert at.selectbox(key="r_claim").value == row["claim_id"][0]


def _open_link(rid: str, start) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["report"] = rid
    at.query_params["start"] = str(start)
    at.run()
    at.switch_page("pages/report.py").run()
    ok(at)
    return at


def test_report_link_shows_marks_and_quotes_the_figure(db):
    """?report=<id>&start=<offset>: the figure's details, a marker in the text, its
    context beside the details; the URL keeps following the selection."""
    rid = _rid(db, "000_35e2ab27f9b7f4d4.txt")
    row = sql(db, "SELECT claim_id, start FROM claims WHERE report_id = ? AND text = '1069名'", [rid])
    start = int(row["start"][0])
    at = _open_link(rid, start)
    fields = dict(zip(at.dataframe[0].value["字段"], at.dataframe[0].value["内容"]))
    assert fields["原文"] == "1069名" and fields["数字编号"] == row["claim_id"][0]
    body = max((m.value for m in at.markdown), key=len)
    assert body.count("◀") == 1
    assert ':color[1069名]{foreground="#ffffff" background="#1f6fd1"}' in body   # strong people colour
    assert ':color[27万元]{background="#ffe0b2"}' in body                          # the others as before
    context = next(c.value for c in at.caption if c.value.startswith("上下文："))
    assert ':color[1069名]{background="#cfe3ff"}' in context
    assert at.query_params["start"] == str(start)
    # another figure picked: the marker and the URL follow
    cid = _claim(db, "27万元")
    at.selectbox(key="r_claim").set_value(cid).run()
    ok(at)
    body = max((m.value for m in at.markdown), key=len)
    assert ':color[27万元]{foreground="#ffffff" background="#e67e00"}' in body
    new_start = sql(db, "SELECT start FROM claims WHERE claim_id = ?", [cid])["start"][0]
    assert at.query_params["start"] == str(new_start)
    assert at.query_params["report"] == rid


def test_report_link_inside_a_figure_or_outside_every_figure(db):
    rid = _rid(db, "000_35e2ab27f9b7f4d4.txt")
    row = sql(db, "SELECT claim_id, start FROM claims WHERE report_id = ? AND text = '1069名'", [rid])
    at = _open_link(rid, int(row["start"][0]) + 2)            # points into 1069名
    assert at.selectbox(key="r_claim").value == row["claim_id"][0]
    at = _open_link(rid, 1)                                    # the title: no figure there
    assert "没有数字" in at.warning[0].value
    first = sql(db, "SELECT claim_id FROM claims WHERE report_id = ? AND is_claim "
                    "ORDER BY start LIMIT 1", [rid])["claim_id"][0]
    assert at.selectbox(key="r_claim").value == first
    at = _open_link(rid, "abc")                                # not a number: no error either
    assert at.selectbox(key="r_claim").value == first


def test_report_picker_search(db):
    at = open_page("report")
    at.text_input(key="r_search").input("呼伦贝尔").run()
    ok(at)
    assert len(at.selectbox(key="r_pick").options) == 1


# -------------------------------------------------------------------------- upload

def test_upload_stores_reports_and_explains_bad_files(writable_db, tmp_path, monkeypatch):
    from pages import _uploads
    monkeypatch.setattr(_uploads, "MAX_FILES", 3)
    before = Store(writable_db, read_only=True).counts()["reports"]
    at = open_page("upload")
    good = "呼伦贝尔市直机关2022年向困难党员发放慰问金12.5万元，走访慰问老党员320名。".encode()
    at.file_uploader(key="u_files").set_value([
        ("../../etc/passwd.txt", good, "text/plain"),
        ("empty.txt", b"", "text/plain"),
        ("scan.pdf", b"%PDF-1.4 not really a pdf", "application/pdf"),
        ("fourth.txt", good + b"!", "text/plain"),
    ]).run()
    assert "最多处理 3 个" in at.warning[0].value
    at.button(key="u_go").click().run()
    assert not at.exception
    assert "已处理 1 个文件" in at.success[0].value
    errors = [e.value.replace("\\", "") for e in at.error]      # markdown escapes removed
    assert len(errors) == 2 and errors[0].startswith("empty.txt") and "空" in errors[0]
    assert errors[1].startswith("scan.pdf")
    uploads = tmp_path / "uploads"
    assert [p.name for p in uploads.iterdir()] == ["passwd.txt"]     # inside, sanitised
    assert not (tmp_path.parent / "etc").exists()
    assert Store(writable_db, read_only=True).counts()["reports"] == before + 1
    assert "另有 1 个文件" in at.warning[-1].value


# --------------------------------------------------------------------- corrections

def _claim(path, text, doc="000_35e2ab27f9b7f4d4.txt"):
    return sql(path, "SELECT claim_id FROM claims WHERE text = ? AND doc = ?", [text, doc])["claim_id"][0]


def test_correction_is_stored_and_shown_everywhere(writable_db):
    cid = _claim(writable_db, "27万元")
    at = open_page("corrections", fix_claim_id=cid)
    at.text_input(key=f"k_value_{cid}").input("280000")
    at.text_input(key=f"k_subject_{cid}").input("慰问金（更正）")
    at.text_input(key=f"k_who_{cid}").input("王审核")
    at.text_area(key=f"k_why_{cid}").input("原文为28万元")
    at.button[0].click().run()       # the form's submit button
    ok(at)
    assert "已保存更正" in at.success[0].value
    hist = at.dataframe[-1].value
    assert set(hist["字段"]) == {"数值", "主体"} and set(hist["更正人"]) == {"王审核"}
    row = sql(writable_db, "SELECT value, subject, corrected FROM claims_effective WHERE claim_id = ?", [cid])
    assert row["value"][0] == 280000 and row["subject"][0] == "慰问金（更正）" and row["corrected"][0]
    # Explore marks it and shows the new value
    at.switch_page("pages/explore.py").run()
    at.text_input(key="x_text").input("慰问金（更正）").run()
    df = at.dataframe[0].value
    assert df["已更正"].tolist() == ["✎"] and df["数值"].tolist() == ["28 万元"]
    # Report marks it in the text
    at.session_state["report_id"] = _rid(writable_db, "000_35e2ab27f9b7f4d4.txt")
    at.switch_page("pages/report.py").run()
    body = max((m.value for m in at.markdown), key=len)
    assert ':color[27万元]{background="#ffe0b2"}✎' in body


def test_correction_needs_a_name_and_a_number(writable_db):
    cid = _claim(writable_db, "1069名")
    at = open_page("corrections", fix_claim_id=cid)
    at.text_input(key=f"k_value_{cid}").input("一千")
    at.button[0].click().run()
    errors = " ".join(e.value for e in at.error)
    assert "不是数字" in errors and "更正人" in errors
    assert Store(writable_db, read_only=True).counts()["corrections"] == 0


def test_claim_status_and_class_can_be_corrected(writable_db):
    cid = _claim(writable_db, "1069名")
    at = open_page("corrections", fix_claim_id=cid)
    at.radio(key=f"k_isclaim_{cid}").set_value(False)
    at.selectbox(key=f"k_class_{cid}").set_value("person_times")
    at.text_input(key=f"k_who_{cid}").input("李")
    at.button[0].click().run()
    ok(at)
    row = sql(writable_db, "SELECT is_claim, unit_class FROM claims_effective WHERE claim_id = ?", [cid])
    assert not row["is_claim"][0] and row["unit_class"][0] == "person_times"


def test_report_button_opens_the_correction_form_for_that_figure(db):
    rid = _rid(db, "000_35e2ab27f9b7f4d4.txt")
    cid = _claim(db, "27万元")
    at = open_page("report", report_id=rid)
    at.selectbox(key="r_claim").set_value(cid).run()
    at.button(key="r_fix").click().run()
    ok(at)
    assert at.title[0].value == "更正"
    assert at.selectbox(key="k_pick").value == cid
    assert at.text_input(key=f"k_value_{cid}").value == "270000"


# ----------------------------------------------------------------------------- XSS

def _all_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning",
                 "success", "metric", "text"):
        for el in getattr(at, kind):
            parts.append(str(getattr(el, "value", "")))
    return "\n".join(parts)


def _no_html_anywhere(at: AppTest) -> None:
    # the only HTML is the app's own script putting Streamlit's words in Chinese
    assert [h.proto.body for h in at.get("html")] == [ui_text.browser_script()]
    for kind in ("markdown", "caption"):             # headings and alerts have no HTML mode
        for el in getattr(at, kind):
            assert not el.proto.allow_html
    for spec in charts(at):
        raw = json.dumps(spec, ensure_ascii=False)
        assert "<script" not in raw and "<img" not in raw and "<b>活动" not in raw


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_text_renders_as_characters_on_every_page(db, page):
    hostile = _rid(db, "hostile.txt")
    state = {"report_id": _rid(db, "xss_report.txt")} if page == "report" else {}
    at = open_page(page, **state)
    _no_html_anywhere(at)
    text = _all_text(at)
    assert "<script" not in text.replace("\\<script", "")       # only ever escaped
    if page == "report":
        body = max((m.value for m in at.markdown), key=len)
        assert "\\<script\\>alert\\(1\\)\\</script\\>" in body.replace("\\/", "/")
        assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in body
        at.selectbox(key="r_pick").set_value(hostile).run()
        ok(at)
        _no_html_anywhere(at)
        assert at.header[0].value == "\\<script\\>alert\\(1\\)\\<\\/script\\>恶意标题"
    if page == "compare":                     # hostile campaign and organisation as categories
        at.radio(key="c_dim").set_value("organisation").run()
        ok(at)
        _no_html_anywhere(at)
        raw = json.dumps(charts(at)[0], ensure_ascii=False)
        assert "&lt;img src=x onerror=alert(1)&gt;单位" in raw
    if page == "explore":                     # tables hold the text as text
        at.text_input(key="x_text").input("恶意").run()
        at.text_input(key="x_text").input("慰问金").run()
        cells = " ".join(map(str, at.dataframe[0].value["主体"]))
        assert "<script>alert(1)</script>慰问金" in cells
    # the sidebar offers the hostile names as plain options
    assert XSS_ORG in at.multiselect(key="flt_org").options
    assert XSS_CAMPAIGN in at.multiselect(key="flt_campaign").options
    assert XSS_TITLE and XSS_SCRIPT and XSS_IMG


# ------------------------------------------------------------------ what sums count

def test_compare_lists_the_figures_counted_and_left_out_and_leads_to_a_correction(writable_db):
    at = open_page("compare")
    assert any("合计只计每个事实一次" in c.value for c in at.caption)     # how the totals were made
    ledger = next(d.value for d in at.dataframe if "合计" in d.value.columns)
    assert "计入" in set(ledger["合计"]) and "人均或单价" in set(ledger["合计"])     # 003: 每人1000元
    rate = sql(writable_db, "SELECT claim_id FROM claims WHERE text = '1000元' AND role = 'rate'")["claim_id"][0]
    at.selectbox(key="c_ledger_pick").set_value(rate).run()
    at.button(key="c_ledger_fix").click().run()
    ok(at)
    assert at.session_state["fix_claim_id"] == rate


def test_a_figure_is_included_in_sums_by_hand_with_who_and_why(writable_db):
    rate = sql(writable_db, "SELECT claim_id FROM claims WHERE text = '1000元' AND role = 'rate'")["claim_id"][0]
    at = open_page("corrections", fix_claim_id=rate)
    assert at.radio(key=f"k_counted_{rate}").value is False
    at.radio(key=f"k_counted_{rate}").set_value(True)
    at.text_input(key=f"k_who_{rate}").input("王审核")
    at.text_area(key=f"k_why_{rate}").input("这是一笔单独的补助")
    at.button[0].click().run()
    ok(at)
    row = sql(writable_db, "SELECT counted, corrected_fields FROM claims_effective WHERE claim_id = ?", [rate])
    assert row["counted"][0] and list(row["corrected_fields"][0]) == ["counted"]
    fields = at.dataframe[0].value.set_index("字段")["内容"]
    assert fields["作用"] == "人均或单价，计入合计（已更正 ✎）"


# ------------------------------------------------------------------ no browser to draw with

def test_without_chromium_the_chart_buttons_say_what_is_missing_and_how_to_add_it(db, monkeypatch):
    from etl.exports import render
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")   # as on a machine without one
    monkeypatch.setattr(render, "_server", None)                   # none started in this process
    at = open_page("compare")
    ok(at)
    assert len(charts(at)) == 1                                   # the page itself works
    notes = [c.value for c in at.caption if "Chromium" in c.value]
    assert notes and "apt-get install chromium" in notes[0] and "CSV 和 Excel" in notes[0]
    monkeypatch.delenv("BROWSER_PATH")
    if render.browser_path() and not render._no_cjk_font():
        at = open_page("compare")
        assert not [c.value for c in at.caption if "Chromium" in c.value]
