"""A new store gets its schema as one script (etl/store/schema.py fresh_schema_script):
the same catalog as the migrations run one by one, and an old store still migrates
step by step (issue 23)."""
from __future__ import annotations

import duckdb
import pytest

from etl.store import Store, schema


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("REPORT_FIGURES_CACHE", str(d))
    return d


def stepwise(path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.begin()
    schema._migrate_steps(con)
    con.commit()
    return con


def versions(con) -> list[tuple]:
    return con.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()


def test_a_new_store_has_the_catalog_the_migrations_make(tmp_path, cache):
    assert schema.fresh_schema_script()          # the script is in use on this DuckDB
    Store(tmp_path / "new.duckdb")                # creates the schema (the script)
    old = stepwise(tmp_path / "steps.duckdb")
    new = duckdb.connect(str(tmp_path / "new.duckdb"))
    got, want = schema.catalog(new), schema.catalog(old)
    for part in want:
        assert got[part] == want[part], part
    assert versions(new) == versions(old) == [(v, n) for v, n, _ in schema.MIGRATIONS]
    assert new.execute("SELECT count(DISTINCT applied_at) FROM schema_version").fetchone()[0] == 1


def test_reopening_a_new_store_changes_nothing(tmp_path, cache):
    path = tmp_path / "new.duckdb"
    Store(path)

    def oids():
        with duckdb.connect(str(path)) as con:
            return (con.execute("SELECT view_name, view_oid FROM duckdb_views() WHERE NOT internal "
                                "ORDER BY 1").fetchall(),
                    con.execute("SELECT table_name, table_oid FROM duckdb_tables() ORDER BY 1").fetchall())
    before = oids()
    Store(path)                     # migrate on an up-to-date store: reads only
    assert oids() == before


def test_the_script_is_built_once_and_read_from_the_cache(cache, monkeypatch):
    first = schema.fresh_schema_script()
    assert list((cache / "schema").glob("fresh.*.pickle"))
    monkeypatch.setattr(schema, "_fresh_script", lambda: pytest.fail("built again"))
    assert schema.fresh_schema_script() == first


def test_another_claim_column_is_another_script(cache, monkeypatch):
    first = schema.fresh_schema_script()
    types = schema.claim_column_types()
    monkeypatch.setattr(schema, "claim_column_types", lambda: {**types, "new_field": "VARCHAR"})
    second = schema.fresh_schema_script()
    assert second != first and "new_field" in second and "new_field" not in first


def test_without_the_script_a_new_store_is_made_step_by_step(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(schema, "fresh_schema_script", lambda: "")
    Store(tmp_path / "new.duckdb")
    old = stepwise(tmp_path / "steps.duckdb")
    with duckdb.connect(str(tmp_path / "new.duckdb")) as new:
        assert schema.catalog(new) == schema.catalog(old)


def test_a_script_that_would_make_another_catalog_is_not_used(cache, monkeypatch):
    real = schema.catalog_statements
    monkeypatch.setattr(schema, "catalog_statements", lambda con: real(con)[:-1])   # a comment lost
    assert schema._fresh_script() == ""


def test_a_store_of_an_older_schema_still_migrates_step_by_step(tmp_path, cache):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for version, name, statements in schema.MIGRATIONS[:2]:
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO reports (report_id, doc) VALUES ('r1', 'a.txt')")
    con.close()
    Store(path)
    old = stepwise(tmp_path / "steps.duckdb")
    with duckdb.connect(str(path)) as con:
        assert schema.catalog(con) == schema.catalog(old)
        assert con.execute("SELECT report_id, doc FROM reports").fetchall() == [("r1", "a.txt")]
        assert versions(con) == versions(old)
