"""The store's tables, their columns and the `claims_effective` view.

Tables follow the records: a column per `Claim` field (plus claim_id, report_id) and per
`Report` field. A field added to a record later gets its (nullable) column on the next
open (`sync_record_columns`), so it never needs a hand migration; anything else is a
frozen migration, appended and never edited. `claims_effective` applies the latest
correction per (claim, field) and joins the report's metadata: the dashboard and the
exports read it.

A user's edits of a report's metadata (title, published, organisation, level, campaign)
and its deletion live in `report_edits`; `reports_edited` applies the latest edit per
(report, field) to every report, with a `deleted` flag, and `reports_effective` is the
reports not deleted. Everything that shows a report reads `reports_effective` (and
`claims_effective`, which joins it), so an edit shows at once everywhere and a deleted
report's claims are gone from every chart, table, check and export.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..claim import FIELD_TYPES, Claim
from ..report import Report

# Fields a user may correct. `metric` (what a figure measures, an id from
# data/rules/metrics.yaml) is checked against the taxonomy; its `metric_evidence` is not
# correctable: a corrected metric shows as corrected, with the original evidence.
CORRECTABLE_FIELDS: tuple[str, ...] = ("value", "value_max", "unit", "unit_class", "subject",
                                       "is_claim", "kind", "approx", "metric", "counted")
# The correctable fields that hold true/false.
BOOLEAN_FIELDS: tuple[str, ...] = ("is_claim", "counted")
# Columns the claims table has beyond the Claim fields (besides claim_id, report_id).
# `metric` was one before it became a Claim field (issue 10); listing it is harmless.
EXTRA_CLAIM_COLUMNS: dict[str, str] = {"metric": "VARCHAR"}
# Report metadata joined into claims_effective (prefixed report_ if a Claim field has the name).
VIEW_REPORT_COLUMNS: tuple[str, ...] = ("doc", "title", "published", "year", "source",
                                        "organisation", "level", "region", "campaign")
# Report fields a user may edit (report_edits.field); "deleted" ("true"/"false") records a
# deletion or a restore in the same audit table.
EDITABLE_REPORT_FIELDS: tuple[str, ...] = ("title", "published", "organisation", "level", "campaign")
REPORT_EDIT_FIELDS: tuple[str, ...] = EDITABLE_REPORT_FIELDS + ("deleted",)
# Characters of text kept on each side of a corrected figure (corrections.anchor_before /
# anchor_after), so the correction can find its figure again after the report is edited.
ANCHOR_CONTEXT = 20

# Frozen migrations: (version, name, statements). Append, never edit: a store created by
# an older version is brought forward step by step without losing data. Columns for
# fields later added to `Claim` / `Report` are also added automatically by
# `sync_record_columns` (nullable), so a new record field never needs a hand migration.
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "initial schema", [
        """CREATE TABLE reports (
            report_id VARCHAR PRIMARY KEY,
            doc VARCHAR, path VARCHAR, format VARCHAR, encoding VARCHAR, text VARCHAR,
            title VARCHAR, published VARCHAR, year INTEGER, source VARCHAR,
            organisation VARCHAR, level VARCHAR, region VARCHAR, campaign VARCHAR,
            campaign_evidence VARCHAR, tags VARCHAR[], meta_source JSON,
            n_chars INTEGER, n_claims INTEGER, ingested_at TIMESTAMP,
            rules_version VARCHAR, content_sig VARCHAR)""",
        """CREATE TABLE report_files (
            path VARCHAR PRIMARY KEY, doc VARCHAR, report_id VARCHAR NOT NULL,
            seen_at TIMESTAMP)""",
        "CREATE INDEX report_files_report_idx ON report_files(report_id)",
        """CREATE TABLE claims (
            claim_id VARCHAR PRIMARY KEY, report_id VARCHAR NOT NULL,
            doc VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
            is_claim BOOLEAN, kind VARCHAR, value DOUBLE, value_max DOUBLE,
            unit VARCHAR, unit_class VARCHAR, approx VARCHAR, subject VARCHAR,
            sentence VARCHAR, sentence_start INTEGER, sentence_end INTEGER,
            per VARCHAR, aggregate VARCHAR, change VARCHAR, share_of VARCHAR,
            reason VARCHAR, metric VARCHAR)""",
        "CREATE INDEX claims_report_idx ON claims(report_id)",
        "CREATE SEQUENCE corrections_id_seq START 1",
        """CREATE TABLE corrections (
            id BIGINT PRIMARY KEY DEFAULT nextval('corrections_id_seq'),
            claim_id VARCHAR NOT NULL, report_id VARCHAR, start INTEGER, "end" INTEGER,
            field VARCHAR NOT NULL, old_value VARCHAR, new_value VARCHAR,
            who VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, why VARCHAR)""",
        "CREATE INDEX corrections_claim_idx ON corrections(claim_id)",
        """CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
            status VARCHAR, args VARCHAR, files_seen INTEGER DEFAULT 0,
            files_read INTEGER DEFAULT 0, files_skipped INTEGER DEFAULT 0,
            files_failed INTEGER DEFAULT 0, claims_written BIGINT DEFAULT 0,
            seconds DOUBLE, pid INTEGER)""",
        """CREATE TABLE run_files (
            run_id VARCHAR NOT NULL, path VARCHAR NOT NULL, status VARCHAR,
            reason VARCHAR, report_id VARCHAR, n_claims INTEGER, "at" TIMESTAMP,
            PRIMARY KEY (run_id, path))""",
    ]),
    (2, "checks: findings and duplicate groups (etl/checks, issue 6)", [
        """CREATE TABLE check_runs (
            run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP,
            n_reports INTEGER, n_claims BIGINT, n_findings INTEGER, counts JSON,
            stats JSON, seconds DOUBLE, rules_version VARCHAR)""",
        """CREATE TABLE findings (
            finding_id VARCHAR PRIMARY KEY, run_id VARCHAR, type VARCHAR NOT NULL,
            severity VARCHAR NOT NULL, rule VARCHAR, detail VARCHAR NOT NULL,
            report_ids VARCHAR[], data JSON)""",
        """CREATE TABLE finding_claims (
            finding_id VARCHAR NOT NULL, pos INTEGER NOT NULL, claim_id VARCHAR,
            report_id VARCHAR, doc VARCHAR, start INTEGER, "end" INTEGER, text VARCHAR,
            role VARCHAR, PRIMARY KEY (finding_id, pos))""",
        # one row per claim that shares its figure with claims of other reports; a
        # claim without a row is a group of its own (see the claim_dup_groups view)
        """CREATE TABLE figure_groups (
            claim_id VARCHAR PRIMARY KEY, dup_group VARCHAR NOT NULL, dup_size INTEGER,
            dup_primary BOOLEAN, run_id VARCHAR)""",
        # every claim with its duplicate group: join on claim_id and count a figure once
        # with `WHERE dup_primary` or `count(DISTINCT dup_group)`
        """CREATE VIEW claim_dup_groups AS
            SELECT c.claim_id, coalesce(g.dup_group, c.claim_id) AS dup_group,
                   coalesce(g.dup_size, 1) AS dup_size, coalesce(g.dup_primary, true) AS dup_primary
            FROM claims c LEFT JOIN figure_groups g ON g.claim_id = c.claim_id""",
    ]),
    (3, "report edits and deletions; corrections anchored by their figure's text (issues 19, 22)", [
        "CREATE SEQUENCE report_edits_id_seq START 1",
        """CREATE TABLE report_edits (
            id BIGINT PRIMARY KEY DEFAULT nextval('report_edits_id_seq'),
            report_id VARCHAR NOT NULL, path VARCHAR, field VARCHAR NOT NULL,
            old_value VARCHAR, new_value VARCHAR,
            who VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL, why VARCHAR)""",
        "CREATE INDEX report_edits_report_idx ON report_edits(report_id)",
        # where the corrected figure was: its file, its text and 20 characters either side
        # (frozen here; ANCHOR_CONTEXT is the same number for new corrections)
        "ALTER TABLE corrections ADD COLUMN path VARCHAR",
        "ALTER TABLE corrections ADD COLUMN anchor_text VARCHAR",
        "ALTER TABLE corrections ADD COLUMN anchor_before VARCHAR",
        "ALTER TABLE corrections ADD COLUMN anchor_after VARCHAR",
        "ALTER TABLE corrections ADD COLUMN moved_from VARCHAR",
        "ALTER TABLE corrections ADD COLUMN moved_at TIMESTAMP",
        """UPDATE corrections SET path = r.path,
            anchor_text = substr(r.text, corrections.start + 1, corrections."end" - corrections.start),
            anchor_before = substr(r.text, greatest(corrections.start - 19, 1),
                                   corrections.start - greatest(corrections.start - 20, 0)),
            anchor_after = substr(r.text, corrections."end" + 1, 20)
            FROM reports r WHERE r.report_id = corrections.report_id""",
    ]),
    # The claims table without its primary key and report_id index (issue 23). Ids are
    # unique by construction: claim_id hashes report id + span, spans are distinct
    # within a report (prepare_claims checks), a report's claims are replaced under its
    # `reports` row (whose primary key makes two writers of one report conflict), so
    # the key guarded nothing; keeping it cost a third of a run's insert and a store
    # file 1.6 times the size. Look-ups by claim_id on 1M claims become column scans,
    # 70-130 ms instead of 1-17 ms (bench/RESULTS.md). DuckDB cannot
    # drop a key in place: the table is copied (in its row order, columns added since
    # migration 1 included), replaced, and report_id made NOT NULL again.
    (4, "claims without the primary key and report index (issue 23)", [
        "CREATE TABLE claims_v4 AS SELECT * FROM claims",
        "DROP TABLE claims",
        "ALTER TABLE claims_v4 RENAME TO claims",
        "ALTER TABLE claims ALTER COLUMN report_id SET NOT NULL",
    ]),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

_TYPE_MAP = {"str": "VARCHAR", "int": "INTEGER", "bool": "BOOLEAN", "Decimal": "DOUBLE",
             "float": "DOUBLE", "list[str]": "VARCHAR[]", "dict[str,str]": "JSON"}


def _sql_type(annotation: Any) -> str:
    """DuckDB type for a dataclass annotation string: 'Decimal | None' -> DOUBLE."""
    a = str(annotation).replace(" ", "").replace("|None", "").replace("None|", "")
    return _TYPE_MAP.get(a, "VARCHAR")


CLAIM_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Claim))
REPORT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Report))
CLAIM_COLUMNS: tuple[str, ...] = ("claim_id", "report_id") + CLAIM_FIELDS + tuple(
    c for c in EXTRA_CLAIM_COLUMNS if c not in CLAIM_FIELDS)
REPORT_EXTRA_COLUMNS: tuple[str, ...] = ("n_chars", "n_claims", "ingested_at",
                                         "rules_version", "content_sig")

_ARROW_TYPES = {"VARCHAR": pa.string(), "INTEGER": pa.int64(), "BOOLEAN": pa.bool_(),
                "DOUBLE": pa.float64()}


def claim_column_types() -> dict[str, str]:
    types = {"claim_id": "VARCHAR", "report_id": "VARCHAR"}
    # Claim's own annotations say Any (a native class in the compiled build): its
    # FIELD_TYPES say what each field holds
    types.update({name: _sql_type(t) for name, t in FIELD_TYPES})
    for c, t in EXTRA_CLAIM_COLUMNS.items():
        types.setdefault(c, t)
    return types


def ident(name: str) -> str:
    """Quote an identifier that comes from our own record definitions."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return '"' + name + '"'


def utcnow() -> datetime:
    """Naive UTC timestamp (all TIMESTAMP columns are UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def claims_schema() -> pa.Schema:
    """The claims table's columns as an Arrow schema."""
    types = claim_column_types()
    return pa.schema([(c, _ARROW_TYPES.get(types[c], pa.string())) for c in CLAIM_COLUMNS])


def prepared_schema() -> pa.Schema:
    """What PreparedClaims.table holds: the claims table's columns but claim_id, which
    the insert computes (CLAIM_ID_SQL)."""
    return pa.schema([f for f in claims_schema() if f.name != "claim_id"])


# `etl.claim.claim_id` in SQL, the same strings (tests/test_store_sig_scheme.py): DuckDB
# hashes a table's ids in C as it inserts it, at half the CPU of a sha1 call per claim in
# Python, and on the writer's thread (DuckDB lets go of the GIL), not the reader's.
CLAIM_ID_SQL = """left(sha1(concat(report_id, ':', "start", ':', "end")), 20)"""


_REPORT_EXTRA_TYPES = {"n_chars": pa.int64(), "n_claims": pa.int64(), "ingested_at": pa.timestamp("us"),
                       "rules_version": pa.string(), "content_sig": pa.string()}


def reports_schema() -> pa.Schema:
    """The reports table's columns as an Arrow schema (meta_source as its JSON text).
    Typed columns also keep pyarrow from guessing types, which imports pandas."""
    types = {f.name: _sql_type(f.type) for f in dataclasses.fields(Report)}
    arrow = dict(_ARROW_TYPES, **{"VARCHAR[]": pa.list_(pa.string()), "JSON": pa.string()})
    return pa.schema([(c, arrow[types[c]]) for c in REPORT_FIELDS] + list(_REPORT_EXTRA_TYPES.items()))


def migrate(con) -> None:
    """Create or migrate the schema on `con` (inside a transaction). Idempotent: on an
    up-to-date store it reads only. A new store (no table at all) gets the schema the
    migrations end in as one script (`fresh_schema_script`), the same catalog."""
    empty = con.execute("SELECT count(*) = 0 FROM duckdb_tables() WHERE database_name = current_database() "
                        "AND schema_name = current_schema()").fetchone()[0]
    script = fresh_schema_script() if empty else ""
    if script:
        con.execute(script)
        now = utcnow()
        con.execute("INSERT INTO schema_version VALUES " + ", ".join(["(?, ?, ?)"] * len(MIGRATIONS)),
                    [x for version, name, _ in MIGRATIONS for x in (version, name, now)])
        return
    _migrate_steps(con)


def _migrate_steps(con) -> None:
    """The migrations one by one, then the record columns and the views."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    for version, name, statements in MIGRATIONS:
        if version <= current:
            continue
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, utcnow()])
    sync_record_columns(con)
    ensure_view(con)


# A new store's schema in one script instead of its 60-odd statements one by one (the
# migrations, the columns added since, the views and their signatures): 0.03-0.04 s of
# CPU at the start of a first `etl run`, against about 0.01 s (bench/RESULTS.md).
def fresh_schema_script() -> str:
    """The statements that make an empty database what `_migrate_steps` makes of it
    (schema_version's rows aside), read from the catalog of a database migrated step
    by step, and checked by running them on another empty one: "" if that catalog
    differs. Kept in the parsed-data cache, keyed by this module's source, the
    migrations, the record columns and DuckDB's version, so it is built again
    whenever one of them changes."""
    import duckdb

    from .. import file_cache
    report_types = {f.name: _sql_type(f.type) for f in dataclasses.fields(Report)}
    key = hashlib.sha1(b"|".join([
        Path(__file__).read_bytes(), repr(MIGRATIONS).encode(), repr(claim_column_types()).encode(),
        repr(report_types).encode(), duckdb.__version__.encode()])).hexdigest()[:20]
    script: str = file_cache.built("schema", "fresh", key, _fresh_script)
    return script


def _fresh_script() -> str:
    import duckdb

    stepwise, check = duckdb.connect(":memory:"), duckdb.connect(":memory:")
    try:
        _migrate_steps(stepwise)
        script = "\n".join(catalog_statements(stepwise))
        check.execute(script)
        return script if catalog(check) == catalog(stepwise) else ""
    finally:
        stepwise.close()
        check.close()


_HERE = "database_name = current_database() AND schema_name = current_schema()"


def catalog_statements(con) -> list[str]:
    """CREATE statements for the sequences, tables, indexes and views of `con`'s schema
    (views in the order they were made, each after what it reads), and the views'
    comments (their definitions' signatures, see ensure_view)."""
    out = [r[0] for r in con.execute(f"SELECT sql FROM duckdb_sequences() WHERE {_HERE} ORDER BY sequence_name").fetchall()]
    out += [r[0] for r in con.execute(f"SELECT sql FROM duckdb_tables() WHERE {_HERE} ORDER BY table_oid").fetchall()]
    out += [r[0] for r in con.execute(f"SELECT sql FROM duckdb_indexes() WHERE {_HERE} ORDER BY index_oid").fetchall()]
    views = con.execute(f"SELECT view_name, sql, comment FROM duckdb_views() WHERE {_HERE} AND NOT internal "
                        "ORDER BY view_oid").fetchall()
    out += [sql for _, sql, _ in views]
    out += [f"COMMENT ON VIEW {ident(name)} IS '{comment}';" for name, _, comment in views
            if comment is not None and re.fullmatch(r"[0-9a-f]+", comment)]    # our signatures only
    return out


def catalog(con) -> dict[str, list[tuple]]:
    """What a store's schema is, for comparing two: every table, column, constraint,
    index, view (with its comment) and sequence, by name."""
    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(r) for r in con.execute(sql).fetchall())
    return {
        "tables": rows(f"SELECT table_name, sql FROM duckdb_tables() WHERE {_HERE}"),
        "columns": rows(f"SELECT table_name, column_index, column_name, data_type, column_default, is_nullable "
                        f"FROM duckdb_columns() WHERE {_HERE}"),
        "constraints": rows(f"SELECT table_name, constraint_type, constraint_text, "
                            f"list_sort(constraint_column_names)::VARCHAR FROM duckdb_constraints() WHERE {_HERE}"),
        "indexes": rows(f"SELECT index_name, table_name, sql FROM duckdb_indexes() WHERE {_HERE}"),
        "views": rows(f"SELECT view_name, sql, comment FROM duckdb_views() WHERE {_HERE} AND NOT internal"),
        "sequences": rows(f"SELECT sequence_name, start_value, min_value, max_value, increment_by, cycle "
                          f"FROM duckdb_sequences() WHERE {_HERE}"),
    }


def columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
        "AND schema_name = current_schema() ORDER BY column_index", [table]).fetchall()]


def sync_record_columns(con) -> None:
    """Add (nullable) columns for fields added to Claim / Report since the store was made."""
    have = set(columns(con, "claims"))
    for name, typ in claim_column_types().items():
        if name not in have:
            con.execute(f"ALTER TABLE claims ADD COLUMN {ident(name)} {typ}")
    have = set(columns(con, "reports"))
    for f in dataclasses.fields(Report):
        if f.name not in have:
            con.execute(f"ALTER TABLE reports ADD COLUMN {ident(f.name)} {_sql_type(f.type)}")


def _latest_pivots(fields) -> list[str]:
    """Per field, whether the latest edits set it (has_F) and to what (new_F): the
    columns that put corrections and report edits over the extracted values. Field
    names are our own constants (CORRECTABLE_FIELDS, REPORT_EDIT_FIELDS)."""
    pivots = []
    for f in fields:
        pivots.append(f"bool_or(field = '{f}') AS {ident('has_' + f)}")
        pivots.append(f"max(new_value) FILTER (WHERE field = '{f}') AS {ident('new_' + f)}")
    return pivots


def view_sql(con) -> str:
    claim_cols = columns(con, "claims")
    report_cols = set(columns(con, "reports"))
    fields = [f for f in CORRECTABLE_FIELDS if f in claim_cols]
    pivots = _latest_pivots(fields)
    select = []
    for c in claim_cols:
        q = ident(c)
        if c in fields:
            has, new = f"k.{ident('has_' + c)}", f"k.{ident('new_' + c)}"
            if c in ("value", "value_max"):
                new = f"TRY_CAST({new} AS DOUBLE)"
            elif c in BOOLEAN_FIELDS:
                new = f"({new} = 'true')"
            select.append(f"CASE WHEN coalesce({has}, false) THEN {new} ELSE c.{q} END AS {q}")
        else:
            select.append(f"c.{q}")
    select.append("(k.claim_id IS NOT NULL) AS corrected")
    select.append("coalesce(k.corrected_fields, []::VARCHAR[]) AS corrected_fields")
    for r in VIEW_REPORT_COLUMNS:
        if r not in report_cols:
            continue
        if r in claim_cols:
            if r != "doc":   # claims.doc is the report's doc already
                select.append(f"r.{ident(r)} AS {ident('report_' + r)}")
        else:
            select.append(f"r.{ident(r)}")
    return (
        "CREATE OR REPLACE VIEW claims_effective AS\n"
        "WITH latest AS (\n"
        "  SELECT claim_id, field, new_value FROM corrections\n"
        "  QUALIFY row_number() OVER (PARTITION BY claim_id, field ORDER BY id DESC) = 1\n"
        "), k AS (\n"
        "  SELECT claim_id, list(field ORDER BY field) AS corrected_fields"
        + "".join(",\n    " + p for p in pivots) + "\n"
        "  FROM latest GROUP BY claim_id\n"
        ")\n"
        "SELECT " + ",\n  ".join(select) + "\n"
        "FROM claims c\n"
        "LEFT JOIN k ON k.claim_id = c.claim_id\n"
        "LEFT JOIN reports_effective r ON r.report_id = c.report_id\n"
        # the claims of a deleted report are in no view (an anti-join on the few deleted
        # ids: about as fast as no filter, where an inner join took twice as long)
        "WHERE c.report_id NOT IN (SELECT report_id FROM deleted_report_ids)")


def reports_view_sql(con) -> str:
    """reports_edited: every report with the latest user edit per field applied, the
    fields edited (`edited_fields`) and whether it is deleted. `year` follows an edited
    date; an edited campaign drops the extracted campaign_evidence (no longer its reason)."""
    cols = columns(con, "reports")
    pivots = _latest_pivots(REPORT_EDIT_FIELDS)
    select = []
    for c in cols:
        q = ident(c)
        if c in EDITABLE_REPORT_FIELDS:
            select.append(f"CASE WHEN coalesce(e.{ident('has_' + c)}, false) "
                          f"THEN e.{ident('new_' + c)} ELSE r.{q} END AS {q}")
        elif c == "year":
            select.append("CASE WHEN e.new_published IS NOT NULL "
                          "THEN coalesce(TRY_CAST(left(e.new_published, 4) AS INTEGER), r.year) "
                          "ELSE r.year END AS year")
        elif c == "campaign_evidence":
            select.append("CASE WHEN coalesce(e.has_campaign, false) THEN NULL "
                          "ELSE r.campaign_evidence END AS campaign_evidence")
        else:
            select.append(f"r.{q}")
    select.append("coalesce(e.edited_fields, []::VARCHAR[]) AS edited_fields")
    select.append("coalesce(e.new_deleted = 'true', false) AS deleted")
    return (
        "CREATE OR REPLACE VIEW reports_edited AS\n"
        "WITH latest AS (\n"
        "  SELECT report_id, field, new_value FROM report_edits\n"
        "  QUALIFY row_number() OVER (PARTITION BY report_id, field ORDER BY id DESC) = 1\n"
        "), e AS (\n"
        "  SELECT report_id, list(field ORDER BY field) FILTER (WHERE field <> 'deleted') AS edited_fields"
        + "".join(",\n    " + p for p in pivots) + "\n"
        "  FROM latest GROUP BY report_id\n"
        ")\n"
        "SELECT " + ",\n  ".join(select) + "\n"
        "FROM reports r LEFT JOIN e ON e.report_id = r.report_id")


REPORTS_EFFECTIVE_SQL = ("CREATE OR REPLACE VIEW reports_effective AS "
                         "SELECT * EXCLUDE (deleted) FROM reports_edited WHERE NOT deleted")
# The reports deleted now (their latest "deleted" edit says true).
DELETED_IDS_SQL = ("CREATE OR REPLACE VIEW deleted_report_ids AS "
                   "SELECT report_id FROM (SELECT report_id, new_value, row_number() OVER "
                   "(PARTITION BY report_id ORDER BY id DESC) AS n FROM report_edits "
                   "WHERE field = 'deleted') WHERE n = 1 AND new_value = 'true'")


def ensure_view(con) -> None:
    """(Re)create the views whose definition changed (reports first: the claims view
    joins them; a view after a recreated one is recreated too, as it reads its columns)."""
    changed = False
    for name, sql in (("reports_edited", reports_view_sql(con)),
                      ("reports_effective", REPORTS_EFFECTIVE_SQL),
                      ("deleted_report_ids", DELETED_IDS_SQL),
                      ("claims_effective", view_sql(con))):
        row = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = ? "
                          "AND schema_name = current_schema()", [name]).fetchone()
        sig = hashlib.sha1(sql.encode()).hexdigest()
        if changed or row is None or row[0] != sig:     # only when the definition changed
            con.execute(sql)
            con.execute(f"COMMENT ON VIEW {ident(name)} IS '{sig}'")   # hex digest, safe
            changed = True
