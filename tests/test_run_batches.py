"""The batches `etl run` saves in (etl/run_batches.py, issue 23): the first small and
early, every later one adding exactly what the claims table's last DuckDB row group lacks
or a whole row group, which DuckDB writes straight to the database file and its closing
checkpoint leaves alone. The DuckDB behaviour the schedule is shaped for is checked here
too: if a DuckDB upgrade changes it, the schedule must follow."""
from __future__ import annotations

from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from etl import pipeline
from etl.run_batches import FIRST_BATCH, ROW_GROUP_ROWS, BatchSchedule, hold_back
from etl.store import Store, writes
from store_reads import store_rows, stored_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def test_the_first_batch_goes_by_files_the_later_ones_by_rows():
    plan = BatchSchedule(first_files=64, first_seconds=10, rows=1000, files=500, seconds=60)
    # the first batch: 64 files, whatever their rows, or what 10 s gave
    assert not plan.full(63, 10**6, 0.0)
    assert plan.full(64, 1, 0.0)
    assert plan.full(3, 30, 10.5)
    plan.saved_batch(64, 2000)
    # later: what fills the last row group (2,000 rows saved: 1,000 lacked), not 64
    # files, nor 10 s; then whole row groups
    assert plan.goal() == 1000
    assert not plan.full(64, 999, 0.0)
    assert not plan.full(200, 999, 30.0)
    assert plan.full(65, 1000, 0.0)
    # ... or the file cap, or the time limit
    assert plan.full(500, 10, 0.0)
    assert plan.full(2, 10, 60.5)
    plan.saved_batch(3, 300)          # a batch the time limit closed
    assert plan.goal() == 700
    plan.saved_batch(10, 700)
    assert plan.goal() == 1000


def test_the_runs_tail_is_saved_in_pieces_as_it_comes():
    """Once the files left look unlikely to fill the row group (even at twice the rows
    expected), every `tail_files` files are saved: little is left after the last file."""
    plan = BatchSchedule(first_files=64, rows=1000, files=500, seconds=60, tail_files=10)
    assert not plan.full(10, 100, 0.0, rows_left=0)       # the first batch goes by files only
    plan.saved_batch(64, 2000)                            # goal: a whole row group, 1,000
    assert not plan.full(10, 300, 0.0, rows_left=400)     # 300 + 2 * 400 may still fill it
    assert plan.full(10, 300, 0.0, rows_left=300)         # 300 + 2 * 300 < 1000: the tail
    assert not plan.full(9, 300, 0.0, rows_left=0)        # fewer files than a piece
    assert not plan.full(10, 300, 0.0)                    # no estimate: as before


def test_a_run_saves_its_tail_in_pieces(numbered, tmp_path, monkeypatch):
    saved: list[int] = []
    real = Store.save_reports

    def spy(self, batch, **kw):
        saved.append(len(batch))
        return real(self, batch, **kw)
    monkeypatch.setattr(Store, "save_reports", spy)
    monkeypatch.setattr(pipeline, "BatchSchedule", partial(BatchSchedule, tail_files=10))
    db = tmp_path / "s.duckdb"
    pipeline.run([numbered], db, progress=False, batch_rows=10**6)
    assert saved == [FIRST_BATCH, 10, 10, 10, 6]
    monkeypatch.setattr(pipeline, "BatchSchedule", BatchSchedule)
    saved.clear()
    whole = tmp_path / "whole.duckdb"                     # pieces of 64: the tail in one
    pipeline.run([numbered], whole, progress=False, batch_rows=10**6)
    assert saved == [FIRST_BATCH, 100 - FIRST_BATCH]
    assert stored_tables(db) == stored_tables(whole)


def test_a_save_without_reports_does_not_end_the_first_batch():
    """Ten seconds of skipped files save their log rows, but the dashboard still has no
    report: the next batch is still the small first one."""
    plan = BatchSchedule(first_files=64, rows=1000)
    plan.saved_batch(0, 0)
    assert plan.full(64, 64, 0.0)


def test_hold_back_finds_reports_that_make_the_excess_latest_first():
    assert hold_back([5, 3, 2, 7], 0) == []
    assert hold_back([5, 3, 2, 7], 7) == [3]
    assert hold_back([5, 3, 2, 7], 5) == [1, 2]           # not [0]: the later ones
    assert hold_back([5, 3, 2, 7], 12) == [1, 2, 3]
    assert hold_back([4, 6, 8], 5) is None
    assert hold_back([1, 1, 1, 1], 2, window=2) == [2, 3]
    assert hold_back([1, 1, 1, 1], 3, window=2) is None


def test_the_defaults_fill_a_row_group():
    plan = BatchSchedule()
    assert plan.first_files == FIRST_BATCH and plan.rows == ROW_GROUP_ROWS
    # a new report's claims go in as one transaction up to a whole batch past the row group
    assert writes.FRESH_CLAIMS >= 2 * ROW_GROUP_ROWS - 1


@pytest.fixture(scope="module")
def numbered(tmp_path_factory) -> Path:
    """100 distinct small reports: the bundled five, each numbered so every text differs,
    and with 0-12 lines of one figure more, so that their mentions vary as real ones do."""
    d = tmp_path_factory.mktemp("numbered")
    texts = [p.read_text(encoding="utf-8") for p in CORPUS]
    for i in range(100):
        extra = "".join(f"第{k}项完成{k + 2}个。\n" for k in range(i * 7 % 13))
        (d / f"r{i:03d}.txt").write_text(f"第{i}号通报\n" + extra + texts[i % len(texts)], encoding="utf-8")
    return d


def test_a_run_saves_a_small_first_batch_then_batches_of_rows(numbered, tmp_path, monkeypatch):
    saved: list[list[int]] = []           # each batch: its reports' mentions
    real = Store.save_reports

    def spy(self, batch, **kw):
        saved.append([prep.n_mentions for _, prep, _ in batch])
        return real(self, batch, **kw)
    monkeypatch.setattr(Store, "save_reports", spy)
    rows = 700
    summary = pipeline.run([numbered], tmp_path / "s.duckdb", progress=False, batch_rows=rows)
    assert summary.files_read == 100
    assert len(saved[0]) == FIRST_BATCH
    # every later batch but the last ends the claims table on a whole "row group": the
    # first fills the one the first batch began, the next ones add whole ones
    total = sum(saved[0])
    assert total % rows
    for batch in saved[1:-1]:
        total += sum(batch)
        assert total % rows == 0
    assert len(saved) >= 4 and sum(saved[-1]) > 0
    assert sum(map(sum, saved)) == summary.mentions
    # a second run into the store goes on from its last row group
    saved.clear()
    pipeline.run([numbered], tmp_path / "s.duckdb", progress=False, batch_rows=rows)
    assert sum(map(sum, saved)) == summary.mentions


def test_rows_batches_store_what_file_batches_store(numbered, tmp_path):
    by_files, by_rows = tmp_path / "files.duckdb", tmp_path / "rows.duckdb"
    pipeline.run([numbered], by_files, progress=False, batch_size=7, batch_rows=10**9)
    pipeline.run([numbered], by_rows, progress=False, batch_rows=500)
    again = pipeline.run([numbered], by_rows, progress=False, batch_rows=500)
    assert stored_tables(by_files) == stored_tables(by_rows)
    assert {f.status for f in again.files} == {"unchanged"}
    assert len(store_rows(by_rows, "SELECT 1 FROM claims")) == again.mentions


def _log_after(tmp_path: Path, name: str, inserts: list[int]) -> int:
    """Bytes of log left by one transaction of `inserts` (row counts) into a table keyed
    and indexed like the claims, after a first committed row."""
    db = tmp_path / f"{name}.duckdb"
    con = duckdb.connect(str(db))
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("CREATE TABLE t (id VARCHAR PRIMARY KEY, report_id VARCHAR NOT NULL, sentence VARCHAR)")
    con.execute("CREATE INDEX t_report ON t(report_id)")
    con.execute("INSERT INTO t VALUES ('x', 'r', 's')")
    con.execute("CHECKPOINT")
    start = 0
    con.begin()
    for n in inserts:
        ids = [f"{i:012d}" for i in range(start, start + n)]
        v = pa.table({"id": ids, "report_id": [i[:8] for i in ids], "sentence": [i * 4 for i in ids]})
        con.execute("INSERT INTO t SELECT * FROM v")
        start += n
    con.commit()
    wal = Path(str(db) + ".wal")
    size = wal.stat().st_size if wal.exists() else 0
    con.close()
    return size


def test_duckdb_writes_a_transaction_of_a_row_group_straight_to_the_file(tmp_path):
    """What the schedule is for (DuckDB 2.0.1): a transaction that adds ROW_GROUP_ROWS
    rows to a table, in any number of INSERTs, leaves (almost) nothing in the log; one
    row fewer goes through the log (~50 bytes a row here)."""
    third = ROW_GROUP_ROWS // 3
    whole = _log_after(tmp_path, "whole", [third, third, ROW_GROUP_ROWS - 2 * third])
    short = _log_after(tmp_path, "short", [third, third, ROW_GROUP_ROWS - 2 * third - 1])
    assert short > 20 * ROW_GROUP_ROWS
    assert whole < short / 20


def test_the_batch_that_completes_the_row_group_writes_the_first_batchs_claims_again(numbered, tmp_path,
                                                                                       monkeypatch):
    """The first batch's claims begin the claims table's row group through the log; the
    batch that completes it deletes and inserts them again with its own, so that the row
    group is one transaction's (which DuckDB writes straight to the file). Only that batch
    carries them, and the store holds what batches of files store."""
    calls: list[tuple[list[str], list[str] | None]] = []
    real = Store.save_reports

    def spy(self, batch, **kw):
        rewrite = kw.get("rewrite")
        calls.append(([r.report_id for r, _, _ in batch], None if rewrite is None else [r for r, _ in rewrite]))
        return real(self, batch, **kw)
    monkeypatch.setattr(Store, "save_reports", spy)
    db = tmp_path / "rows.duckdb"
    # the first 64 reports hold 6,226 mentions: a "row group" of 7,000 is begun by them
    pipeline.run([numbered], db, progress=False, batch_rows=7000)
    assert len(calls) >= 3
    assert calls[0][1] is None
    assert calls[1][1] == calls[0][0]                     # every report of the first batch is new
    assert all(rewrite is None for _, rewrite in calls[2:])
    calls.clear()
    again = pipeline.run([numbered], db, progress=False, batch_rows=7000)
    assert {f.status for f in again.files} == {"unchanged"}
    assert all(rewrite is None for _, rewrite in calls)    # nothing new: nothing carried
    by_files = tmp_path / "files.duckdb"
    pipeline.run([numbered], by_files, progress=False, batch_size=7, batch_rows=10**9)
    assert stored_tables(db) == stored_tables(by_files)


def test_a_run_that_never_completes_the_row_group_writes_no_claims_twice(numbered, tmp_path, monkeypatch):
    rewrites: list = []
    real = Store.save_reports

    def spy(self, batch, **kw):
        rewrites.append(kw.get("rewrite"))
        return real(self, batch, **kw)
    monkeypatch.setattr(Store, "save_reports", spy)
    pipeline.run([numbered], tmp_path / "s.duckdb", progress=False, batch_rows=10**6)
    assert len(rewrites) == 2 and rewrites == [None, None]


def test_duckdb_writes_a_row_group_straight_to_the_file_beside_a_delete(tmp_path):
    """What the rewrite relies on (DuckDB 2.0.1): a transaction that deletes committed rows of
    a table (shaped like the claims: no key, no index) and adds ROW_GROUP_ROWS rows to it
    leaves (almost) nothing in the log, and closing the file drops the row group the
    delete emptied: one row group is left."""
    db = tmp_path / "t.duckdb"
    con = duckdb.connect(str(db))
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("CREATE TABLE t (report_id VARCHAR NOT NULL, sentence VARCHAR)")
    first = 5000
    rows = lambda a, b: pa.table({"report_id": [f"r{i // 100:06d}" for i in range(a, b)],  # noqa: E731
                                  "sentence": [f"{i:012d}" * 4 for i in range(a, b)]})
    v = rows(0, first)
    con.execute("INSERT INTO t SELECT * FROM v")
    wal = Path(str(db) + ".wal")
    logged = wal.stat().st_size
    assert logged > 20 * first                            # a first batch: through the log
    con.begin()
    con.execute("DELETE FROM t WHERE report_id < ?", [f"r{first // 100:06d}"])
    v = rows(0, ROW_GROUP_ROWS)
    con.execute("INSERT INTO t SELECT * FROM v")
    con.commit()
    assert wal.stat().st_size - logged < logged / 4
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        groups = con.execute("SELECT DISTINCT row_group_id FROM pragma_storage_info('t')").fetchall()
        assert len(groups) == 1
        assert con.execute("SELECT count(*), count(DISTINCT sentence) FROM t").fetchone() == (ROW_GROUP_ROWS,) * 2
    finally:
        con.close()
