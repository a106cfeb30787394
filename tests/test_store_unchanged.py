"""A re-run's unchanged reports (etl/store/writes.py): looked up for the whole batch and
touched in one transaction, writing what the report-by-report path writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.pipeline import process_file
from etl.store import Store
from etl.store.writes import ReportWrites
from store_reads import store_rows, stored_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def items():
    done = [process_file(p, for_store=True) for p in CORPUS]
    return [(d.report, d.prepared, d.path) for d in done]


def _two_saves(db: Path, items, rules: tuple[str, str]) -> tuple[list[str], str]:
    st = Store(db)
    with st.holding():
        first = st.begin_run("first")
        assert set(st.save_reports(items, rules_version=rules[0], run_id=first)) == {"new"}
        again = st.begin_run("again")
        return st.save_reports(items, rules_version=rules[1], run_id=again), again


def _written(db: Path, run_id: str) -> list:
    return stored_tables(db) + [
        store_rows(db, f"SELECT path, status, reason, report_id, n_claims FROM run_files "
                       f"WHERE run_id = '{run_id}' ORDER BY path"),
        store_rows(db, "SELECT count(*) FROM report_files WHERE seen_at > (SELECT min(ingested_at) FROM reports)")]


def test_unchanged_reports_are_touched_at_once_as_one_by_one(items, tmp_path, monkeypatch):
    one_by_one = tmp_path / "each.duckdb"
    with monkeypatch.context() as m:
        m.setattr(ReportWrites, "_unchanged", lambda self, prepared, rest: [])
        statuses, each_run = _two_saves(one_by_one, items, ("v1", "v2"))
    assert set(statuses) == {"unchanged"}

    def no_save(*a, **k):
        raise AssertionError("an unchanged report saved on its own")
    monkeypatch.setattr(ReportWrites, "_save", no_save)
    at_once = tmp_path / "once.duckdb"
    statuses, once_run = _two_saves(at_once, items, ("v1", "v2"))
    assert statuses == ["unchanged"] * len(items)
    assert {r[0] for r in store_rows(at_once, "SELECT rules_version FROM reports")} == {"v2"}
    assert _written(at_once, once_run) == _written(one_by_one, each_run)
    assert store_rows(at_once, "SELECT count(*) FROM report_files")[0][0] == len(items)


def test_a_changed_or_moved_report_is_not_taken_for_unchanged(items, tmp_path):
    db = tmp_path / "s.duckdb"
    st = Store(db)
    st.save_reports(items)
    report, prep, path = items[0]
    moved = [(report, prep, str(Path(path).with_name("elsewhere.txt")))]   # known text, new file
    swapped = [(items[1][0], items[1][1], path)]                          # the file holds other text
    assert st._unchanged(moved + swapped + items[2:], list(range(len(items)))) == list(range(2, len(items)))
