"""The test store the dashboard tests share, and checks of the dashboard's SQL on it.

`app_store()` builds, once per process, a store from the five bundled reports (through
etl.pipeline.run, the code path of `python -m etl run`) plus two hostile ones: a report
file whose text is full of HTML and markdown, and a hand-made report whose metadata
(title, organisation, campaign, subject) is HTML. Tests that write use `copy_store()`.
"""
from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import shared_builds
from store_reads import reports_df

from etl.claim import Claim, content_hash
from etl.report import Report
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
# A report file as a user might upload it: HTML and markdown in plain text.
XSS_FILE_TEXT = (
    f"{XSS_SCRIPT}关于*慰问*工作的[报告](javascript:alert(1))\n"
    f"发布时间：2021-06-01　来源：{XSS_IMG}\n"
    "    四个空格开头的行 :smile: :streamlit: a -- b -> c $x^2$ `code` ~~删除~~ :red[红色]\n"
    "# 不是标题\n"
    "1. 不是列表 | 表格 | > 引用 \\ 反斜杠 &lt;实体&gt;\n"
    f"今年以来，中央和国家机关工委向{XSS_IMG}困难职工发放慰问金27万元，{XSS_SCRIPT}"
    "走访慰问干部职工1069名。\n"
)
XSS_TITLE = f"{XSS_SCRIPT}恶意标题"
XSS_ORG = f"{XSS_IMG}单位"
XSS_CAMPAIGN = "<b>活动</b>"
XSS_SUBJECT = f"{XSS_SCRIPT}慰问金"


APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_page(page: str = "overview", *, secrets: dict | None = None, user: dict | None = None,
              **state):
    """Run the app in AppTest (optionally with secrets, a logged-in user and session
    state), switch to `page`, and check that it rendered without errors."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets:
        at.secrets.update(secrets)
    if user is not None:
        at.user = user
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    ok(at)
    return at


def ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture
def db(monkeypatch, tmp_path):
    """The shared read-only test store, for the app."""
    path = app_store()
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    monkeypatch.setenv("REPORT_FIGURES_UPLOADS", str(tmp_path / "uploads"))
    return path


def _hostile_report() -> tuple[Report, list[Claim]]:
    """A report whose metadata is HTML (the extractor would never produce it, but a
    manifest or an outlet's page title could)."""
    sentence = f"向困难职工发放{XSS_SUBJECT}88万元。"
    text = f"{XSS_TITLE}\n{sentence}\n"
    start = text.index("88万元")
    report = Report(report_id=content_hash(text), doc="hostile.txt", path="hostile.txt",
                    format="txt", encoding="utf-8", text=text, title=XSS_TITLE,
                    published="2022-03-01", year=2022, source=XSS_IMG, organisation=XSS_ORG,
                    level="provincial", region="安徽", campaign=XSS_CAMPAIGN)
    s0 = text.index(sentence)
    claim = Claim(doc="hostile.txt", start=start, end=start + 4, text="88万元", is_claim=True,
                  value=Decimal(880000), unit="元", unit_class="money", approx="exact",
                  subject=XSS_SUBJECT, sentence=sentence, sentence_start=s0,
                  sentence_end=s0 + len(sentence), reason="test", metric="funds_disbursed",
                  metric_evidence=f"主体含“{XSS_SUBJECT}”")
    return report, [claim]


def _build_app_store(root: Path) -> None:
    from etl.pipeline import run

    extra = root / "extra"
    extra.mkdir()
    (extra / "xss_report.txt").write_text(XSS_FILE_TEXT, encoding="utf-8")
    db = root / "figures.duckdb"
    summary = run([CORPUS, extra], db, progress=False)
    assert summary.files_read == 6, summary.table()
    report, claims = _hostile_report()
    store = Store(db)
    store.save_report(report, claims, path=str(extra / "hostile.txt"))
    store.close()


@functools.cache
def app_store() -> Path:
    """Path of the shared test store (do not write to it). Built once per test session,
    whatever the number of pytest workers; each process reads its own copy of it."""
    built = shared_builds.once("app-store", _build_app_store) / "figures.duckdb"
    root = Path(tempfile.mkdtemp(prefix="rf-app-store-"))
    atexit.register(shutil.rmtree, root, True)
    return shared_builds.private_copy(built, root)


def copy_store(dest_dir: Path) -> Path:
    """A private copy of the shared store for a test that writes."""
    return shared_builds.private_copy(app_store(), dest_dir)


def use_writable_copy(monkeypatch, tmp_path: Path) -> Path:
    """Points the dashboard at a private copy of the store, with its own upload folder
    and no access limits set (each test sets the ones it exercises)."""
    path = copy_store(tmp_path)
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    monkeypatch.setenv("REPORT_FIGURES_UPLOADS", str(tmp_path / "uploads"))
    for var in ("REPORT_FIGURES_READONLY", "REPORT_FIGURES_EDITORS"):
        monkeypatch.delenv(var, raising=False)
    return path


# --------------------------------------------------------------------------- tests

def test_store_holds_the_bundled_and_hostile_reports():
    store = Store(app_store(), read_only=True)
    counts = store.counts()
    assert counts["reports"] == 7
    docs = set(reports_df(store)["doc"])
    assert {"xss_report.txt", "hostile.txt", "000_35e2ab27f9b7f4d4.txt"} <= docs


def test_fast_view_equals_claims_effective(tmp_path):
    """etl.views.queries reads claims_effective through a faster equivalent; it must give
    the same rows, also for corrected claims."""
    from etl.views import queries as q

    db = copy_store(tmp_path)
    store = Store(db)
    cid = store.query_df("SELECT claim_id FROM claims WHERE text = '27万元' LIMIT 1")["claim_id"][0]
    store.add_correction(cid, "value", "280000", who="测试", why="fast view")
    store.add_correction(cid, "subject", "慰问金（更正）", who="测试")
    fast = store.query_df(f"SELECT * FROM {q.FAST_VIEW} AS ce ORDER BY claim_id")
    view = store.query_df(f"SELECT * FROM {q.VIEW} ORDER BY claim_id")
    assert sorted(fast.columns) == sorted(view.columns)
    pd.testing.assert_frame_equal(fast[view.columns].reset_index(drop=True), view,
                                  check_dtype=False)
    row = fast[fast["claim_id"] == cid].iloc[0]
    assert row["value"] == 280000 and row["corrected"] and row["subject"] == "慰问金（更正）"


def test_filters_with_not_known_values():
    """（未标注） in a filter selects NULLs; values are bound parameters."""
    from etl.views import queries as q
    from etl.views.labels import NONE_LABEL

    store = Store(app_store(), read_only=True)
    sql, params = q.count(q.Filters(campaign=(NONE_LABEL,)))
    n_none = int(store.query_df(sql, list(params))["n"][0])
    direct = int(store.query_df("SELECT count(*) AS n FROM claims_effective WHERE is_claim "
                                "AND campaign IS NULL")["n"][0])
    assert n_none == direct > 0
    sql, params = q.count(q.Filters(text="50%_'; DROP TABLE claims; --"))
    assert int(store.query_df(sql, list(params))["n"][0]) == 0


def test_repeated_figures_count_once_with_figure_groups(tmp_path):
    """When the checks group a figure repeated by two reports, Compare and Overview
    totals count it once."""
    from etl.views import queries as q

    db = copy_store(tmp_path)
    store = Store(db)
    pair = ("WHERE text = '27万元' AND subject = '慰问金' AND doc IN "
            "('000_35e2ab27f9b7f4d4.txt', '002_75a48a2a2127064a.txt')")
    assert len(store.query_df(f"SELECT claim_id FROM claims {pair}")) == 2   # 000 and 002 repeat it
    with store.writing() as con:
        con.execute("INSERT INTO figure_groups SELECT claim_id, 'g27', 2, "
                    f"row_number() OVER (ORDER BY claim_id) = 1, 'test' FROM claims {pair}")
    f = q.Filters(unit_class=("money",), unit="元", subject_terms=("慰问金",))
    once = store.query_df(*_sql(q.compare(f, "campaign", "sum", q.DupSource("figure_groups"))))
    each = store.query_df(*_sql(q.compare(f, "campaign", "sum", None)))
    a = once.set_index("grp")["y"]["党史学习教育"]
    b = each.set_index("grp")["y"]["党史学习教育"]
    assert b - a == 270000
    assert once.set_index("grp")["n_mentions"]["党史学习教育"] == each.set_index("grp")["n_figures"]["党史学习教育"]


def _sql(qp):
    return qp[0], list(qp[1])


def test_filter_options_count_each_report_once_per_field():
    from etl.views import queries as q

    store = Store(app_store(), read_only=True)
    opts = store.query_df(*_sql(q.filter_options()))
    assert set(opts["field"]) == {"campaign", "organisation", "year", "level"}
    per_field = opts.groupby("field")["n"].sum()
    assert (per_field == store.counts()["reports"]).all()
    campaigns = dict(zip(opts[opts["field"] == "campaign"]["value"], opts[opts["field"] == "campaign"]["n"]))
    assert campaigns.get("党史学习教育", 0) >= 1


def test_view_columns_list_every_claim_column_and_the_correction_marks():
    from etl.store import CLAIM_COLUMNS
    from etl.views import queries as q

    cols = set(Store(app_store(), read_only=True).query_df(*_sql(q.view_columns()))["column_name"])
    assert set(CLAIM_COLUMNS) <= cols
    assert {"corrected", "corrected_fields", "campaign", "organisation", "year"} <= cols


def test_dup_columns_find_the_groups_table_and_the_checks_fill_it(tmp_path):
    from etl.checks.run import run_checks, save_results
    from etl.views import queries as q

    store = Store(copy_store(tmp_path))
    before = store.query_df(*_sql(q.dup_columns()))
    with_groups = before[before["has_dup"]]["table_name"].tolist()
    assert "figure_groups" in with_groups            # the table exists from the schema on
    save_results(store, run_checks(store))
    after = store.query_df(*_sql(q.dup_columns())).set_index("table_name")
    assert bool(after.loc["figure_groups", "has_claim_id"]) and bool(after.loc["figure_groups", "has_dup"])
    assert store.query_df("SELECT count(*) AS n FROM figure_groups")["n"][0] > 0   # 27万元 is in two reports


def test_corrections_query_lists_the_latest_first_with_who_and_the_report(tmp_path):
    from etl.views import queries as q

    store = Store(copy_store(tmp_path))
    assert store.query_df(*_sql(q.corrections())).empty
    cid = store.query_df("SELECT claim_id FROM claims WHERE text = '27万元' AND is_claim LIMIT 1")["claim_id"][0]
    store.add_correction(cid, "subject", "慰问金（更正）", who="王编辑", why="核对原文")
    store.add_correction(cid, "value", 280000, who="李编辑", why="")
    rows = store.query_df(*_sql(q.corrections()))
    assert rows["who"].tolist() == ["李编辑", "王编辑"]
    assert rows["field"].tolist() == ["value", "subject"]
    assert rows["new_value"].tolist() == ["280000", "慰问金（更正）"]
    assert rows["text"].tolist() == ["27万元", "27万元"] and rows["report"].notna().all()
