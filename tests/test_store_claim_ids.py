"""The claims table has no key (schema migration 4, issue 23): claim ids stay unique by
construction, and a store made with the keyed table is migrated without losing a row.

Why no key: claim_id hashes report id + span, spans are distinct within a report
(prepare_claims checks), a report's claims are replaced inside the transaction that
writes its `reports` row, and that table's key makes two writers of one report collide.
These tests prove each of those, on file stores, with re-runs of the real pipeline.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from test_store import TEXT_A2, report_a, report_b

from etl.pipeline import run
from etl.store import MIGRATIONS, SCHEMA_VERSION, Store, prepare_claims
from etl.store import schema as schema_module

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def duplicate_ids(path: Path) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT claim_id, count(*) FROM claims GROUP BY claim_id "
                           "HAVING count(*) > 1 UNION ALL SELECT report_id || ':' || start || ':' "
                           "|| \"end\", count(*) FROM claims GROUP BY report_id, start, \"end\" "
                           "HAVING count(*) > 1").fetchall()
    finally:
        con.close()


def claims_rows(path: Path) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * FROM claims ORDER BY claim_id").fetchall()
    finally:
        con.close()


def claims_keys(path: Path) -> tuple[list, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        keys = con.execute("SELECT constraint_type FROM duckdb_constraints() WHERE table_name = "
                           "'claims' AND constraint_type <> 'NOT NULL'").fetchall()
        indexes = con.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'claims'").fetchall()
        return keys, indexes
    finally:
        con.close()


def test_a_new_store_has_claims_without_key_or_index(store_path):
    Store(store_path)
    assert claims_keys(store_path) == ([], [])
    con = duckdb.connect(str(store_path), read_only=True)
    not_null = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'claims' "
                           "AND NOT is_nullable").fetchall()
    con.close()
    assert not_null == [("report_id",)]


@pytest.mark.slow
def test_re_runs_edits_renames_and_copies_never_duplicate_a_claim_id(tmp_path):
    folder, db = tmp_path / "reports", tmp_path / "s.duckdb"
    shutil.copytree(CORPUS, folder)
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html"))
    first = run([folder], db)
    stored = claims_rows(db)
    assert first.files_read >= 2 and len(stored) > 20
    assert run([folder], db).files_unchanged == first.files_read       # a re-run: same rows
    assert claims_rows(db) == stored
    # one file edited (its figure changed), one renamed, one copied under a second name
    edited = files[0]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("。", "，共计1234名同志参加。", 1), encoding="utf-8")
    files[1].rename(folder / ("renamed_" + files[1].name))
    shutil.copy(files[2], folder / ("copy_" + files[2].name))
    run([folder], db)
    run([folder], db)
    assert duplicate_ids(db) == []
    con = duckdb.connect(str(db), read_only=True)
    n_reports, n_claims_said, n_claims = con.execute(
        "SELECT (SELECT count(*) FROM reports), (SELECT sum(n_claims) FROM reports), "
        "(SELECT count(*) FROM claims)").fetchone()
    orphans = con.execute("SELECT count(*) FROM claims WHERE report_id NOT IN "
                          "(SELECT report_id FROM reports)").fetchone()[0]
    con.close()
    assert n_reports == first.files_read          # the copy is the same report, the rename too
    assert n_claims == n_claims_said and orphans == 0


def test_two_writers_of_one_report_cannot_both_commit(store_path):
    """The guard the key used to be: both transactions insert the same report's claims;
    the reports table's key lets only the first commit."""
    s = Store(store_path)
    r, claims = report_a()
    prep = prepare_claims(r, claims)
    first, second = duckdb.connect(str(store_path)), duckdb.connect(str(store_path))
    first.begin()
    second.begin()
    assert s._save(first, r, prep, "a.txt", None) == "new"
    assert s._save(second, r, prep, "copy-of-a.txt", None) == "new"
    first.commit()
    with pytest.raises(duckdb.TransactionException):
        second.commit()
    # the same for the bulk insert of fresh reports
    rb, claims_b = report_b()
    prep_b = prepare_claims(rb, claims_b)
    first.begin()
    second.begin()
    s._insert_fresh(first, [(rb, prep_b, "b.txt")], None, None)
    with pytest.raises(duckdb.Error):
        s._insert_fresh(second, [(rb, prep_b, "b2.txt")], None, None)
        first.commit()
        second.commit()
    first.close()
    second.close()
    assert duplicate_ids(store_path) == []
    assert len(claims_rows(store_path)) == len(claims) + len(claims_b)


def test_a_store_with_the_keyed_claims_table_migrates_without_losing_rows(store_path, monkeypatch):
    # the store as every build before migration 4 made it: claims keyed and indexed
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:3])
    old = Store(store_path)
    old.save_report(*report_a(), path="corpus/a.txt")
    old.save_report(*report_b(), path="corpus/b.txt")
    cid = old.query_df("SELECT claim_id FROM claims WHERE text = '27万元'").claim_id[0]
    old.add_correction(cid, "value", 280000, who="甲", why="原文笔误")
    before = claims_rows(store_path)
    assert claims_keys(store_path) != ([], [])
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS)

    s = Store(store_path)
    assert s.query_df("SELECT max(version) AS v FROM schema_version").v[0] == SCHEMA_VERSION == 4
    assert claims_keys(store_path) == ([], [])
    assert claims_rows(store_path) == before
    corrected = s.query_df("SELECT value, corrected FROM claims_effective WHERE claim_id = ?", [cid])
    assert corrected.value[0] == 280000 and bool(corrected.corrected[0])
    # the migrated table takes saves as before: unchanged stays, a changed text replaces
    assert s.save_report(*report_a(), path="corpus/a.txt") == "unchanged"
    assert s.save_report(*report_a(text=TEXT_A2),
                         path="corpus/a.txt") == "updated"
    assert duplicate_ids(store_path) == []
    with pytest.raises(duckdb.ConstraintException), s.writing() as con:   # report_id: NOT NULL still
        con.execute("INSERT INTO claims (claim_id, report_id) VALUES ('x', NULL)")
    Store(store_path)                                      # opening again migrates nothing
    assert s.query_df("SELECT count(*) AS n FROM schema_version").n[0] == len(MIGRATIONS)


def _rows(path: Path) -> tuple[list, list, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return (con.execute("SELECT * EXCLUDE (ingested_at) FROM reports ORDER BY report_id").fetchall(),
                con.execute("SELECT * FROM claims ORDER BY claim_id").fetchall(),
                con.execute("SELECT * EXCLUDE (seen_at) FROM report_files ORDER BY path").fetchall())
    finally:
        con.close()


def test_an_updated_report_holds_what_a_fresh_save_of_it_holds(tmp_path):
    """The update path (the report's row set without its text, its claims deleted and
    inserted, the file's row updated) ends where a first save of the same input does."""
    import dataclasses
    r, claims = report_a()
    edited = dataclasses.replace(r, title="新的标题", organisation="另一个机关", tags=["主题教育"])
    changed = [dataclasses.replace(c, subject="走访慰问金") if c.text == "27万元" else c for c in claims[:2]]
    again, fresh = Store(tmp_path / "again.duckdb"), Store(tmp_path / "fresh.duckdb")
    assert again.save_report(r, claims, path="corpus/a.txt", rules_version="1") == "new"
    assert again.save_report(edited, changed, path="corpus/a.txt", rules_version="2") == "updated"
    assert fresh.save_report(edited, changed, path="corpus/a.txt", rules_version="2") == "new"
    assert _rows(tmp_path / "again.duckdb") == _rows(tmp_path / "fresh.duckdb")
    assert len(_rows(tmp_path / "again.duckdb")[1]) == 2
