"""What the checks keep in the store (migration 2) and how the dashboard reads it:
findings with their claims, the last run, and claim_dup_groups for counting a
figure once."""
from __future__ import annotations

import duckdb  # noqa: F401  (tests may import it; etl/ may not)
import pandas as pd
from store_reads import findings_df, last_check_run
from test_app_store import copy_store

from etl.checks.run import run_checks, save_results
from etl.store import Store


def checked_store(tmp_path) -> Store:
    store = Store(copy_store(tmp_path))
    save_results(store, run_checks(store))
    return store


def test_findings_and_groups_are_saved_and_read_back(tmp_path):
    store = checked_store(tmp_path)
    f = findings_df(store)
    assert set(f["type"]) == {"duplicate", "arithmetic_ok"}
    # the test store adds xss_report.txt (中央和国家机关工委, 2021) to the bundled reports:
    # it repeats 000's 慰问金27万元 and 1069名干部职工
    dup = f[f["detail"].str.contains("慰问金 27万元")].iloc[0]
    assert [c["text"] for c in dup["claims"]] == ["27万元", "27万元", "27万元"]
    assert all(c["report_id"] in list(dup["report_ids"]) for c in dup["claims"])
    run = last_check_run(store)
    assert run["n_findings"] == len(f) and run["counts"]["duplicate"] == 4
    assert findings_df(store, types=["arithmetic_ok"])["detail"].str.contains("122名 × 每人1000元").all()


def test_claim_dup_groups_counts_each_figure_once(tmp_path):
    store = checked_store(tmp_path)
    g = store.query_df("SELECT c.text, c.doc, g.dup_group, g.dup_size, g.dup_primary "
                       "FROM claim_dup_groups g JOIN claims_effective c USING (claim_id) WHERE c.is_claim")
    assert len(g) == store.counts()["claims"]          # every claim has a group (its own when alone)
    grouped = g[g["dup_size"] > 1]
    assert sorted(grouped["text"]) == sorted(["27万元"] * 3 + ["55个"] * 2 + ["6600余名", "6600余人"]
                                             + ["1069名"] * 2)
    assert grouped.groupby("dup_group")["dup_primary"].sum().eq(1).all()
    n_figures = store.query_df("SELECT count(DISTINCT dup_group) AS n FROM claim_dup_groups g "
                               "JOIN claims_effective c USING (claim_id) WHERE c.is_claim")["n"][0]
    assert n_figures == len(g) - 5


def test_the_dashboard_finds_the_groups(tmp_path):
    """pages._data.dup_source() looks for a relation with claim_id and dup_group."""
    from etl.views import queries as q
    store = checked_store(tmp_path)
    df = store.query_df(*q.dup_columns())
    have = df[df["has_dup"] & df["has_claim_id"]]["table_name"].tolist()
    assert {"figure_groups", "claim_dup_groups"} <= set(have)


def test_a_new_run_replaces_the_old_results(tmp_path):
    store = checked_store(tmp_path)
    first = set(findings_df(store)["finding_id"])
    save_results(store, run_checks(store))
    assert set(findings_df(store)["finding_id"]) == first    # ids are stable across runs
    assert len(store.query_df("SELECT * FROM check_runs")) == 2


def test_checks_read_corrected_values(tmp_path):
    """A correction changes what is compared: 002's 27万元 corrected to 25万元 is no
    longer in the 27万元 group."""
    store = Store(copy_store(tmp_path))
    cid = store.query_df("SELECT claim_id FROM claims WHERE text = '27万元' AND doc LIKE '002%'")["claim_id"][0]
    store.add_correction(cid, "value", 250000, who="测试", why="typo in 002")
    result = run_checks(store)
    groups = [f for f in result.findings if f.type == "duplicate" and "27万元" in f.detail]
    assert groups and not any(c.claim_id == cid for f in groups for c in f.claims)


def test_an_older_store_gets_the_tables_on_open(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.close()
    Store(db)                            # migrates an empty file to the current schema
    names = set(Store(db, read_only=True).query_df("SELECT table_name FROM duckdb_tables()")["table_name"])
    assert {"findings", "finding_claims", "figure_groups", "check_runs"} <= names
    assert last_check_run(Store(db, read_only=True)) is None


def test_checks_leave_the_store_file_free_while_they_run(tmp_path):
    store = Store(copy_store(tmp_path))
    with store.analysis() as a:
        a.table("ck_copy", f"SELECT claim_id FROM {a.src}.claims")
        a.release()
        other = Store(store.path, lock_timeout=1.0)     # a writer gets in meanwhile
        other.add_correction(a.df("SELECT claim_id FROM ck_copy LIMIT 1")["claim_id"][0], "subject",
                             "慰问金", who="测试")
    assert isinstance(findings_df(store), pd.DataFrame)
