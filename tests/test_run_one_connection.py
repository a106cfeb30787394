"""`etl run` writes over one connection to the store file (issue 23): the schema, the
run's log, the reports and the end of the run, where it used to open and close the file
four times (each close a checkpoint). What a run stores is unchanged: reports without
figures, empty and broken files, re-runs."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import pipeline
from etl.store import SCHEMA_VERSION, Store
from store_reads import store_rows, stored_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_bytes(CORPUS[0].read_bytes())
    (d / "b.txt").write_bytes(CORPUS[1].read_bytes())
    (d / "no_figures.txt").write_text("支部开展主题党日活动，党员同志积极参加。\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return d


@pytest.fixture
def connects(monkeypatch) -> list[str]:
    """Every duckdb.connect of a file, by path."""
    seen: list[str] = []
    real = duckdb.connect

    def counting(database=":memory:", *args, **kwargs):
        seen.append(str(database))
        return real(database, *args, **kwargs)
    monkeypatch.setattr(duckdb, "connect", counting)
    return seen


def test_a_run_into_a_new_store_opens_the_file_once(folder, tmp_path, connects):
    db = tmp_path / "new" / "figures.duckdb"
    summary = pipeline.run([folder], db, progress=False)
    assert connects == [str(db)]
    assert summary.files_read == 3 and len(summary.skipped) == 2
    store = Store(db, read_only=True)
    version = store.query_df("SELECT max(version) AS v FROM schema_version").v[0]
    assert version == SCHEMA_VERSION
    runs = store.query_df("SELECT status, files_read, files_skipped, claims_written FROM runs")
    assert runs.to_dict("records") == [{"status": "finished", "files_read": 3, "files_skipped": 2,
                                        "claims_written": summary.claims}]


def test_a_run_into_an_existing_store_opens_it_once(folder, tmp_path, connects):
    db = tmp_path / "figures.duckdb"
    Store(db)
    connects.clear()
    pipeline.run([folder], db, progress=False)
    assert connects == [str(db)]


def counts(db: Path) -> dict:
    store = Store(db, read_only=True)
    return store.query_df(
        "SELECT (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM claims) AS claims, "
        "(SELECT count(DISTINCT claim_id) FROM claims) AS ids, "
        "(SELECT count(*) FROM report_files) AS files").to_dict("records")[0]


def test_zero_claims_empty_and_broken_files_and_a_rerun(folder, tmp_path):
    db = tmp_path / "figures.duckdb"
    first = pipeline.run([folder], db, progress=False)
    after_first = counts(db)
    second = pipeline.run([folder], db, progress=False)
    assert counts(db) == after_first                        # a re-run adds no rows
    assert after_first["claims"] == after_first["ids"] == first.mentions > 0
    assert after_first["reports"] == after_first["files"] == 3
    statuses = {Path(f.path).name: f.status for f in second.files}
    assert statuses == {"a.txt": "unchanged", "b.txt": "unchanged", "no_figures.txt": "unchanged",
                        "empty.txt": "skipped", "broken.docx": "skipped"}

    store = Store(db, read_only=True)
    quiet = store.query_df("SELECT n_claims FROM reports WHERE doc = 'no_figures.txt'")
    assert quiet.n_claims.tolist() == [0]                   # stored, with no claims
    files = store.query_df("SELECT run_id, path, status, reason FROM run_files ORDER BY run_id, path")
    for run_id in (first.run_id, second.run_id):            # every file, every run
        rows = files[files.run_id == run_id]
        by_name = {Path(p).name: (s, r) for p, s, r in zip(rows.path, rows.status, rows.reason)}
        assert set(by_name) == {"a.txt", "b.txt", "no_figures.txt", "empty.txt", "broken.docx"}
        assert by_name["empty.txt"][0] == by_name["broken.docx"][0] == "skipped"
        assert "docx" in by_name["broken.docx"][1]


def test_a_batch_of_only_skipped_files_saves_nothing_and_finishes(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    db = tmp_path / "figures.duckdb"
    summary = pipeline.run([d], db, progress=False)
    assert summary.files_read == 0 and len(summary.skipped) == 1
    assert counts(db) == {"reports": 0, "claims": 0, "ids": 0, "files": 0}
    assert Store(db, read_only=True).query_df("SELECT status FROM runs").status.tolist() == ["finished"]


def test_a_failing_run_is_still_closed_as_failed(folder, tmp_path, monkeypatch):
    db = tmp_path / "figures.duckdb"

    def broken(*a, **k):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(Store, "save_reports", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        pipeline.run([folder], db, progress=False)
    runs = Store(db, read_only=True).query_df("SELECT status FROM runs")
    assert runs.status.tolist() == ["failed"]


def test_nothing_to_follow_gives_an_empty_list(tmp_path):
    store = Store(tmp_path / "figures.duckdb")
    followed = store.follow_edits()
    assert (followed.corrections_moved, followed.report_edits_moved, followed.orphans) == (0, 0, [])


def test_a_batch_cut_into_small_transactions_stores_the_same(folder, tmp_path, monkeypatch):
    """A run saves up to pipeline.BATCH_FILES files at a time, cut into transactions of
    up to writes.FRESH_CLAIMS claims. Both are tuning figures: at their smallest (one file
    per batch, every report its own transaction) the store holds the same rows."""
    from etl.store import writes

    big, small = tmp_path / "big.duckdb", tmp_path / "small.duckdb"
    pipeline.run([folder], big, progress=False)
    monkeypatch.setattr(writes, "FRESH_CLAIMS", 1)
    pipeline.run([folder], small, progress=False, batch_size=1)
    small_rerun = pipeline.run([folder], small, progress=False, batch_size=1)

    assert stored_tables(big) == stored_tables(small)
    assert len(store_rows(small, "SELECT 1 FROM claims")) == small_rerun.mentions > 0
    assert {f.status for f in small_rerun.files} == {"unchanged", "skipped"}
