"""The store: one embedded DuckDB file holding reports, claims, corrections and runs.

This is the ONLY module that imports duckdb (STYLE.md §6). Everything else talks to
`Store` in `Report` / `Claim` records, DataFrames and plain dicts.

Design notes (why it looks the way it does):

* **Short-lived connections.** DuckDB lets ONE process open a file read-write, or MANY
  processes open it read-only, never both at once. The dashboard is a separate process
  and must stay usable while ``etl run`` writes, so neither side keeps a connection:
  `reading()` / `writing()` open, yield, close. On a lock conflict they retry with
  backoff for up to ``lock_timeout`` seconds, then raise `StoreBusy`. A reader that is
  waiting leaves a small marker file next to the database (``<db>.wait-<pid>-<tid>``);
  `save_reports` checks for markers between reports and steps aside for a moment, so a
  long batch does not starve the dashboard. ``":memory:"`` keeps one connection for the
  object's life (tests).
* **Idempotent by content.** ``report_id`` is the hash of the text, ``claim_id`` is
  ``claim_id(report_id, start, end)``. Saving the same thing twice writes nothing new;
  the same text under another file name is one report with two `report_files` rows.
* **One transaction per report.** A killed process loses at most the report in flight;
  DuckDB's WAL holds only committed transactions and is replayed on the next open.
* **Corrections live apart from claims** and key on ``claim_id``, which is stable for
  the same text and span, so they survive re-extraction. The `claims_effective` view
  applies the latest correction per (claim, field); the dashboard and exports read it.
* **Parameterised SQL only** for values. Identifiers in generated SQL come from the
  record definitions and fixed whitelists, never from callers. File paths in
  ``COPY ... TO`` cannot be bound parameters, so `_sql_path` quotes them (see there).
"""
from __future__ import annotations

import dataclasses
import glob
import hashlib
import json
import math
import os
import random
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterable, Iterator

import duckdb
import pandas as pd
import pyarrow as pa

from etl.claim import APPROX_KINDS, NON_CLAIM_KINDS, UNIT_CLASSES, Claim, claim_id, content_hash
from etl.report import Report

__all__ = ["Store", "StoreBusy", "open_store", "CORRECTABLE_FIELDS", "SCHEMA_VERSION"]

DEFAULT_PATH = "data/figures.duckdb"

# Fields a user may correct. `metric` (what a figure measures, an id from
# data/rules/metrics.yaml) is checked against the taxonomy; its `metric_evidence` is not
# correctable: a corrected metric shows as corrected, with the original evidence.
CORRECTABLE_FIELDS: tuple[str, ...] = ("value", "value_max", "unit", "unit_class", "subject",
                                       "is_claim", "kind", "approx", "metric")
# Columns the claims table has beyond the Claim fields (besides claim_id, report_id).
# `metric` was one before it became a Claim field (issue 10); listing it is harmless.
EXTRA_CLAIM_COLUMNS: dict[str, str] = {"metric": "VARCHAR"}
# Report metadata joined into claims_effective (prefixed report_ if a Claim field has the name).
VIEW_REPORT_COLUMNS: tuple[str, ...] = ("doc", "title", "published", "year", "source",
                                        "organisation", "level", "region", "campaign")
RUN_STATUSES = ("running", "finished", "failed", "interrupted")
RUN_FILE_STATUSES = ("read", "skipped", "unchanged", "failed")
RUN_COUNTS = ("files_seen", "files_read", "files_skipped", "files_failed", "claims_written")
SAVE_STATUSES = ("new", "updated", "unchanged")
_FRESH_CLAIMS = 20000    # claims per transaction when bulk-inserting new reports (a commit syncs the log)

# ---------------------------------------------------------------------------- schema

# Frozen migrations: (version, name, statements). Append, never edit: a store created by
# an older version is brought forward step by step without losing data. Columns for
# fields later added to `Claim` / `Report` are also added automatically by
# `_sync_record_columns` (nullable), so a new record field never needs a hand migration.
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
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

_TYPE_MAP = {"str": "VARCHAR", "int": "INTEGER", "bool": "BOOLEAN", "Decimal": "DOUBLE",
             "float": "DOUBLE", "list[str]": "VARCHAR[]", "dict[str,str]": "JSON"}


def _sql_type(annotation: Any) -> str:
    """DuckDB type for a dataclass annotation string: 'Decimal | None' -> DOUBLE."""
    a = str(annotation).replace(" ", "").replace("|None", "").replace("None|", "")
    return _TYPE_MAP.get(a, "VARCHAR")


def _ident(name: str) -> str:
    """Quote an identifier that comes from our own record definitions."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return '"' + name + '"'


CLAIM_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Claim))
REPORT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Report))
CLAIM_COLUMNS: tuple[str, ...] = ("claim_id", "report_id") + CLAIM_FIELDS + tuple(
    c for c in EXTRA_CLAIM_COLUMNS if c not in CLAIM_FIELDS)
REPORT_EXTRA_COLUMNS: tuple[str, ...] = ("n_chars", "n_claims", "ingested_at",
                                         "rules_version", "content_sig")

_ARROW_TYPES = {"VARCHAR": pa.string(), "INTEGER": pa.int64(), "BOOLEAN": pa.bool_(),
                "DOUBLE": pa.float64()}


def _claim_column_types() -> dict[str, str]:
    types = {"claim_id": "VARCHAR", "report_id": "VARCHAR"}
    types.update({f.name: _sql_type(f.type) for f in dataclasses.fields(Claim)})
    for c, t in EXTRA_CLAIM_COLUMNS.items():
        types.setdefault(c, t)
    return types


# ----------------------------------------------------------------------------- errors

class StoreBusy(RuntimeError):
    """Another process holds a conflicting lock on the store file for longer than
    ``lock_timeout`` (DuckDB: one read-write process OR many read-only ones)."""


def _is_lock_error(exc: BaseException) -> bool:
    msg = str(exc)
    return "Could not set lock" in msg or "Conflicting lock" in msg


def _is_config_clash(exc: BaseException) -> bool:
    # Same process already has this file open with the other read_only setting.
    return "different configuration" in str(exc)


# ---------------------------------------------------------------------------- helpers

def _utcnow() -> datetime:
    """Naive UTC timestamp (all TIMESTAMP columns are UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _sql_path(path: str | Path) -> str:
    """A file path as a single-quoted SQL string literal, for ``COPY ... TO``.

    Why not a bound parameter: DuckDB's COPY takes its target as part of the statement,
    not as an expression, so ``COPY t TO ?`` is rejected. The path is therefore made
    absolute, checked for characters that have no business in it (NUL, newlines), and
    embedded with single quotes doubled, which is the only escape a standard SQL string
    literal has (DuckDB does not treat backslashes specially in '...').
    """
    s = str(Path(path).resolve())
    if any(ch in s for ch in ("\x00", "\n", "\r")):
        raise ValueError(f"refusing export path with control characters: {s!r}")
    return "'" + s.replace("'", "''") + "'"


def _decimal(x: float | None) -> Decimal | None:
    """A stored DOUBLE back as the plainest Decimal: 270000.0 -> Decimal('270000')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if float(x).is_integer():
        return Decimal(int(x))
    return Decimal(repr(float(x)))


def _number_text(x: Any) -> str:
    """Canonical text for a number stored in corrections.old/new_value: no exponent."""
    d = x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else str(x))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _value_text(field: str, v: Any) -> str | None:
    """A current (effective) value as text for corrections.old_value."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if field in ("value", "value_max"):
        return _number_text(v)
    if field == "is_claim":
        return "true" if v else "false"
    return str(v)


def _norm_path(path: str | Path) -> str:
    return os.path.normpath(str(path))


def _claims_table(report_id: str, claims: list[Claim]) -> pa.Table:
    """The claims as one Arrow table with the claims table's columns (bulk insert and
    signature both use it; building it column-wise keeps 100k claims well under 1 s)."""
    types = _claim_column_types()
    cols = list(CLAIM_COLUMNS)
    present = [c for c in cols[2:] if c in CLAIM_FIELDS]
    rows = list(map(attrgetter(*present), claims)) if present else []
    columns = list(zip(*rows)) if rows else [()] * len(present)
    data: dict[str, Any] = {
        "claim_id": [claim_id(report_id, c.start, c.end) for c in claims],
        "report_id": [report_id] * len(claims),
    }
    for name, vals in zip(present, columns):
        if types[name] == "DOUBLE":
            vals = [None if v is None else float(v) for v in vals]
        data[name] = list(vals)
    for name in cols[2:]:
        data.setdefault(name, [None] * len(claims))
    return pa.Table.from_pydict(data, schema=claims_schema())


def claims_schema() -> pa.Schema:
    """The claims table's columns as an Arrow schema (what PreparedClaims.table holds)."""
    types = _claim_column_types()
    return pa.schema([(c, _ARROW_TYPES.get(types[c], pa.string())) for c in CLAIM_COLUMNS])


def _content_sig(report: Report, table: pa.Table) -> str:
    """Hash of everything a save would write, except names (doc/path), which may differ
    when the same text arrives under another file name."""
    h = hashlib.sha1()
    meta = {k: v for k, v in report.to_dict().items() if k not in ("doc", "path", "text")}
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode())
    body = table.drop_columns(["doc"]).sort_by([("start", "ascending"), ("end", "ascending")])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, body.schema) as writer:
        writer.write_table(body)
    h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


def validate_claims(report: Report, claims: list[Claim]) -> list[str]:
    """Problems that make a batch of claims unsavable, one line each ([] if fine).

    The offset invariant ``report.text[start:end] == claim.text`` is the one every
    page relies on; enums are checked so the store never holds values the dashboard's
    filters cannot show.
    """
    problems: list[str] = []
    text, n = report.text, len(report.text)
    if report.report_id != content_hash(text):
        # claim ids, dedup of renamed files and corrections all rest on this
        problems.append(f"report_id {report.report_id!r} is not content_hash(text) "
                        f"({content_hash(text)!r})")
    seen: dict[tuple[int, int], int] = {}
    enums = (("unit_class", UNIT_CLASSES), ("approx", APPROX_KINDS), ("kind", NON_CLAIM_KINDS))
    for i, c in enumerate(claims):
        start, end, ctext = c.start, c.end, c.text
        bad = []
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= n):
            bad.append(f"span outside the report text (length {n})")
        elif text[start:end] != ctext:
            bad.append(f"text != report.text[start:end] ({text[start:end]!r})")
        j = seen.setdefault((start, end), i)
        if j != i:
            bad.append(f"same span as claim #{j}")
        for name, allowed in enums:
            v = getattr(c, name)
            if v is not None and v not in allowed:
                bad.append(f"{name} {v!r} not in {allowed}")
        for name in ("value", "value_max"):
            v = getattr(c, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float, Decimal))
                                  or not math.isfinite(v)):
                bad.append(f"{name} {v!r} is not a finite number (Decimal, int or float)")
        if bad:
            problems.append(f"claim #{i} {ctext!r} [{start}:{end}]: " + "; ".join(bad))
            if len(problems) >= 20:
                problems.append("... (stopped after 20 bad claims)")
                break
    return problems


class BadClaims(ValueError):
    """Claims that break the offset invariant or an enum; `problems` has one line each."""

    def __init__(self, doc: str, problems: list[str]):
        super().__init__(f"{doc}: {len(problems)} bad claim(s), nothing saved:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True, slots=True)
class PreparedClaims:
    """A report's claims as the store writes them: validated, one Arrow table with
    the claims table's columns, and the content signature. Making it touches no
    database, so worker processes make it and the one writer only inserts (an Arrow
    table also crosses between processes far cheaper than a list of Claims)."""
    table: pa.Table
    sig: str
    n_claims: int       # rows with is_claim (the rest are non-claim mentions)

    @property
    def n_mentions(self) -> int:
        return self.table.num_rows


def prepare_claims(report: Report, claims: list[Claim]) -> PreparedClaims:
    """Validate and convert; BadClaims (a ValueError) names the bad claims."""
    problems = validate_claims(report, claims)
    if problems:
        raise BadClaims(report.doc, problems)
    table = _claims_table(report.report_id, claims)
    return PreparedClaims(table, _content_sig(report, table), sum(c.is_claim for c in claims))


def _check_correction(field: str, new_value: Any) -> str | None:
    """Validate a correction; return the text stored in corrections.new_value."""
    if field not in CORRECTABLE_FIELDS:
        raise ValueError(f"cannot correct field {field!r}: correctable fields are "
                         f"{', '.join(CORRECTABLE_FIELDS)}")
    if field == "is_claim":
        if not isinstance(new_value, bool):
            raise ValueError(f"is_claim must be True or False, got {new_value!r}")
        return "true" if new_value else "false"
    if new_value is None:
        if field == "value":
            # a claim without a value is meaningless; flip is_claim instead
            raise ValueError("value cannot be cleared; correct is_claim to False instead")
        return None
    if field in ("value", "value_max"):
        if isinstance(new_value, bool) or not isinstance(new_value, (int, float, Decimal, str)):
            raise ValueError(f"{field} must be a number, got {new_value!r}")
        try:
            d = Decimal(str(new_value).strip().replace(",", "")) if isinstance(new_value, str) \
                else Decimal(repr(new_value) if isinstance(new_value, float) else new_value)
        except InvalidOperation:
            raise ValueError(f"{field} must be a number in base units (e.g. 270000 for "
                             f"27万元), got {new_value!r}") from None
        if not d.is_finite():
            raise ValueError(f"{field} must be a finite number, got {new_value!r}")
        return _number_text(d)
    if not isinstance(new_value, str):
        raise ValueError(f"{field} must be text, got {type(new_value).__name__} {new_value!r}")
    v = new_value.strip()
    allowed = {"unit_class": UNIT_CLASSES, "approx": APPROX_KINDS, "kind": NON_CLAIM_KINDS}
    if field in allowed and v not in allowed[field]:
        raise ValueError(f"{field} must be one of {', '.join(allowed[field])}; got {new_value!r}")
    if field == "metric":
        from etl.extraction.metrics import by_id
        if v not in by_id():
            raise ValueError(f"metric must be an id from data/rules/metrics.yaml "
                             f"({', '.join(by_id())}); got {new_value!r}")
    if not v:
        raise ValueError(f"{field} cannot be blank; pass None to clear it")
    return v


_READ_ONLY_SQL = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*"
                            r"(select|with|from|values|table|describe|show|summarize|explain|pivot|unpivot)\b",
                            re.IGNORECASE | re.DOTALL)


def _like_pattern(text: str) -> str:
    """Substring pattern for ILIKE ... ESCAPE '\\' (user's % and _ match literally)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# ------------------------------------------------------------------------------ store

class Store:
    """The claims store. See the module docstring for the locking model."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False,
                 lock_timeout: float = 30.0) -> None:
        self.memory = str(path) == ":memory:"
        self.path: str | Path = ":memory:" if self.memory else Path(path)
        self.read_only = read_only and not self.memory
        self.lock_timeout = float(lock_timeout)
        self._local = threading.local()      # per-thread open connection + tx depth
        self._mem_lock = threading.RLock()
        self._mem_con: duckdb.DuckDBPyConnection | None = None
        if self.memory:
            self._mem_con = duckdb.connect(":memory:")
        if not self.read_only:
            if not self.memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.init()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    def close(self) -> None:
        """Only meaningful for ':memory:' (file stores hold no connection)."""
        if self._mem_con is not None:
            self._mem_con.close()
            self._mem_con = None

    # ------------------------------------------------------------------ connections

    def _open(self, write: bool) -> duckdb.DuckDBPyConnection:
        """Open a connection, retrying lock conflicts with backoff up to lock_timeout."""
        path = str(self.path)
        if not write and not self.path.exists():
            raise FileNotFoundError(f"store {path} does not exist yet; build it with "
                                    f"`python -m etl run` first")
        deadline = time.monotonic() + self.lock_timeout
        delay, marker, last = 0.005, None, None
        read_only = not write
        try:
            while True:
                try:
                    return duckdb.connect(path, read_only=read_only)
                except duckdb.IOException as e:
                    if not _is_lock_error(e):
                        raise
                    last = e
                except duckdb.ConnectionException as e:
                    if not _is_config_clash(e):
                        raise
                    last = e
                    if read_only and not write:
                        # This process already has the file open read-write (another Store
                        # object, or a thread that is writing): join that instance at once.
                        read_only = False
                        continue
                    # else a read-only connection of this process is open: wait for it
                read_only = not write
                now = time.monotonic()
                if now >= deadline:
                    holder = re.search(r"PID (\d+)", str(last))
                    who = (f"process {holder.group(1)}" if holder else
                           "a read-only connection in this same process"
                           if isinstance(last, duckdb.ConnectionException) else "another process")
                    raise StoreBusy(
                        f"store {path} is busy: {who} holds a "
                        f"conflicting lock (DuckDB allows one writer or many readers). "
                        f"Gave up after {self.lock_timeout:.1f} s waiting to "
                        f"{'write' if write else 'read'}; if `etl run` is writing, try again "
                        f"when it finishes. DuckDB said: {str(last).splitlines()[0]}") from last
                if not write:
                    marker = self._announce_waiting_reader(marker)
                time.sleep(min(delay * (0.5 + random.random()), max(0.0, deadline - now)))
                delay = min(delay * 2, 0.05)
        finally:
            if marker:
                try:
                    os.unlink(marker)
                except OSError:
                    pass

    def _announce_waiting_reader(self, marker: str | None) -> str:
        marker = marker or f"{self.path}.wait-{os.getpid()}-{threading.get_ident()}"
        try:
            Path(marker).touch()
        except OSError:
            pass
        return marker

    def readers_waiting(self) -> bool:
        """True if some reader touched its wait marker within the last 2 seconds."""
        if self.memory:
            return False
        now = time.time()
        for m in glob.glob(glob.escape(str(self.path)) + ".wait-*"):
            try:
                if now - os.path.getmtime(m) < 2.0:
                    return True
            except OSError:
                continue
        return False

    @contextmanager
    def _connection(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if write and self.read_only:
            raise RuntimeError(f"{self!r} is read-only; open Store(path) to write")
        if self.memory:
            with self._mem_lock:
                yield self._mem_con
            return
        active = getattr(self._local, "con", None)
        if active is not None:                  # nested: reuse this thread's connection
            if write and not self._local.writable:
                raise RuntimeError("cannot write inside reading(); use writing() outside it")
            yield active
            return
        con = self._open(write)
        self._local.con, self._local.writable, self._local.tx = con, write, 0
        try:
            yield con
        finally:
            self._local.con = None
            con.close()

    @contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection WITHOUT a transaction, for several `save_report(con=)`
        calls that each commit on their own. Keep it short: it blocks readers."""
        with self._connection(write=True) as con:
            yield con

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Keep one read-write connection on this thread across many saves (a run).

        Closing the last connection to a DuckDB file checkpoints it, and so does a
        write-ahead log past 16 MB; both rewrite the indexes, so a run that reopened
        the file per batch spent more time checkpointing than extracting. A held
        connection checkpoints per 64 MB of log and at the end, and steps aside
        (closes, lets the waiting readers in, reopens) whenever a reader is waiting:
        see step_aside_if_readers, which the saves call between reports."""
        if self.memory or getattr(self._local, "con", None) is not None:
            yield          # memory stores and nested use: nothing to hold
            return
        self._hold_open()
        try:
            yield
        finally:
            self._hold_close()

    def _hold_open(self) -> None:
        con = self._open(True)
        # checkpoint per 64 MB of log, not per batch: cheap enough, and memory stays flat
        con.execute("SET checkpoint_threshold = '64MB'")
        con.execute("SET threads = 1")   # the writer shares the cores with the extracting workers
        self._local.con, self._local.writable, self._local.tx = con, True, 0
        self._local.held = True

    def _hold_close(self) -> None:
        con, self._local.con, self._local.held = self._local.con, None, False
        con.close()

    def step_aside_if_readers(self) -> None:
        """Inside holding(), between transactions: if a reader is waiting, close the
        held connection until the readers are in, then take it back."""
        if getattr(self._local, "held", False) and self._tx_depth() == 0 and self.readers_waiting():
            self._hold_close()
            try:
                self._let_readers_in()
            finally:
                self._hold_open()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-only connection (waits while a writer holds the file)."""
        with self._connection(write=self.memory) as con:
            yield con

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection inside BEGIN ... COMMIT (ROLLBACK on exception).
        Nested writing() on the same thread joins the outer transaction."""
        with self._connection(write=True) as con, self._tx(con) as c:
            yield c

    def _tx_depth(self) -> int:
        if self.memory:
            return getattr(self, "_mem_tx", 0)
        return getattr(self._local, "tx", 0)

    def _set_tx(self, delta: int) -> None:
        if self.memory:
            self._mem_tx = getattr(self, "_mem_tx", 0) + delta
        else:
            self._local.tx = getattr(self._local, "tx", 0) + delta

    @contextmanager
    def _tx(self, con: duckdb.DuckDBPyConnection | None) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: ours if no connection given; joins the caller's transaction
        if `con` is inside writing(); else BEGIN/COMMIT on the caller's connection."""
        if con is None:
            with self.writing() as c:
                yield c
            return
        if self._tx_depth() > 0:
            yield con
            return
        con.begin()
        self._set_tx(+1)
        try:
            yield con
        except BaseException:
            try:
                con.rollback()
            except duckdb.Error:
                pass
            raise
        else:
            con.commit()
        finally:
            self._set_tx(-1)

    # ------------------------------------------------------------------------ schema

    def init(self) -> None:
        """Create or migrate the schema. Idempotent: on an up-to-date store it reads
        only, so it writes nothing."""
        with self.writing() as con:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        "version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
            current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
            for version, name, statements in MIGRATIONS:
                if version <= current:
                    continue
                for sql in statements:
                    con.execute(sql)
                con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, _utcnow()])
            self._sync_record_columns(con)
            self._ensure_view(con)

    @staticmethod
    def _columns(con, table: str) -> list[str]:
        return [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
            "AND schema_name = current_schema() ORDER BY column_index", [table]).fetchall()]

    def _sync_record_columns(self, con) -> None:
        """Add (nullable) columns for fields added to Claim / Report since the store was made."""
        have = set(self._columns(con, "claims"))
        for name, typ in _claim_column_types().items():
            if name not in have:
                con.execute(f"ALTER TABLE claims ADD COLUMN {_ident(name)} {typ}")
        have = set(self._columns(con, "reports"))
        for f in dataclasses.fields(Report):
            if f.name not in have:
                con.execute(f"ALTER TABLE reports ADD COLUMN {_ident(f.name)} {_sql_type(f.type)}")

    def _view_sql(self, con) -> str:
        claim_cols = self._columns(con, "claims")
        report_cols = set(self._columns(con, "reports"))
        fields = [f for f in CORRECTABLE_FIELDS if f in claim_cols]
        pivots = []
        for f in fields:   # field names are our own constants (CORRECTABLE_FIELDS)
            pivots.append(f"bool_or(field = '{f}') AS {_ident('has_' + f)}")
            pivots.append(f"max(new_value) FILTER (WHERE field = '{f}') AS {_ident('new_' + f)}")
        select = []
        for c in claim_cols:
            q = _ident(c)
            if c in fields:
                has, new = f"k.{_ident('has_' + c)}", f"k.{_ident('new_' + c)}"
                if c in ("value", "value_max"):
                    new = f"TRY_CAST({new} AS DOUBLE)"
                elif c == "is_claim":
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
                    select.append(f"r.{_ident(r)} AS {_ident('report_' + r)}")
            else:
                select.append(f"r.{_ident(r)}")
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
            "LEFT JOIN reports r ON r.report_id = c.report_id")

    def _ensure_view(self, con) -> None:
        sql = self._view_sql(con)
        row = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'claims_effective' "
                          "AND schema_name = current_schema()").fetchone()
        sig = hashlib.sha1(sql.encode()).hexdigest()
        if row is None or row[0] != sig:     # only (re)create when the definition changed
            con.execute(sql)
            con.execute(f"COMMENT ON VIEW claims_effective IS '{sig}'")   # hex digest, safe

    # ------------------------------------------------------------------------ saving

    def save_report(self, report: Report, claims: list[Claim], *, path: str,
                    con: duckdb.DuckDBPyConnection | None = None,
                    rules_version: str | None = None) -> str:
        """Store one report and its claims, all or nothing, in one transaction.

        Returns "new" (the report text was not stored before), "updated" (this path now
        holds different text, or the same text's metadata/claims changed) or
        "unchanged" (report and claims identical to what is stored; a new file name
        for known text only adds a report_files row). Raises ValueError, before
        touching the store, if a claim breaks the offset invariant or an enum.
        """
        prep = prepare_claims(report, claims)
        with self._tx(con) as c:
            return self._save(c, report, prep, _norm_path(path), rules_version)

    def _save(self, con, report: Report, prep: PreparedClaims, path: str,
              rules_version: str | None) -> str:
        rid, now = report.report_id, _utcnow()
        table, sig = prep.table, prep.sig
        prev = con.execute("SELECT report_id FROM report_files WHERE path = ?", [path]).fetchone()
        prev_rid = prev[0] if prev else None
        row = con.execute("SELECT content_sig FROM reports WHERE report_id = ?", [rid]).fetchone()

        if row is not None and row[0] == sig:
            status = "unchanged"
            if rules_version is not None:
                con.execute("UPDATE reports SET rules_version = ? WHERE report_id = ? "
                            "AND rules_version IS DISTINCT FROM ?", [rules_version, rid, rules_version])
        else:
            status = "new" if row is None and prev_rid is None else "updated"
            self._upsert_report(con, report, table.num_rows, now, rules_version, sig)
            self._replace_claims(con, rid, table)

        con.execute("INSERT INTO report_files VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE "
                    "SET doc = excluded.doc, report_id = excluded.report_id, seen_at = excluded.seen_at",
                    [path, report.doc, rid, now])
        if prev_rid is not None and prev_rid != rid:
            self._release_old_report(con, prev_rid, path)
            if status == "unchanged":
                status = "updated"   # the file's content changed (to text we already had)
        return status

    def _upsert_report(self, con, report: Report, n_claims: int, now: datetime,
                       rules_version: str | None, sig: str) -> None:
        d = report.to_dict()
        d["meta_source"] = json.dumps(d.get("meta_source") or {}, ensure_ascii=False)
        d["tags"] = list(d.get("tags") or [])
        d.update(n_chars=len(report.text), n_claims=n_claims, ingested_at=now,
                 rules_version=rules_version, content_sig=sig)
        cols = list(REPORT_FIELDS) + list(REPORT_EXTRA_COLUMNS)
        names = ", ".join(_ident(c) for c in cols)
        sets = ", ".join(f"{_ident(c)} = excluded.{_ident(c)}" for c in cols if c != "report_id")
        con.execute(f"INSERT INTO reports ({names}) VALUES ({', '.join('?' * len(cols))}) "
                    f"ON CONFLICT (report_id) DO UPDATE SET {sets}", [d[c] for c in cols])

    def _replace_claims(self, con, rid: str, table: pa.Table) -> None:
        """Make this report's claim rows equal `table`: delete the ones no longer
        produced, update the ones whose fields changed, insert the new ones. Bulk, via
        the Arrow table registered as a view. Rows that did not change are not touched:
        DuckDB rewrites index entries on delete+insert, which costs seconds per 100k
        rows, while an UPDATE of non-key columns is cheap."""
        cols = list(CLAIM_COLUMNS)
        names = ", ".join(_ident(c) for c in cols)
        rest = [_ident(c) for c in cols[2:]]          # everything but claim_id, report_id
        view = f"_new_claims_{uuid.uuid4().hex[:12]}"
        con.register(view, table)
        try:
            con.execute(f"DELETE FROM claims WHERE report_id = ? AND claim_id NOT IN "
                        f"(SELECT claim_id FROM {view})", [rid])
            con.execute(
                f"UPDATE claims SET {', '.join(f'{c} = n.{c}' for c in rest)} FROM {view} n "
                f"WHERE claims.claim_id = n.claim_id AND claims.report_id = ? AND "
                f"({', '.join('claims.' + c for c in rest)}) IS DISTINCT FROM "
                f"({', '.join('n.' + c for c in rest)})", [rid])
            con.execute(f"INSERT INTO claims ({names}) SELECT {names} FROM {view} WHERE claim_id "
                        f"NOT IN (SELECT claim_id FROM claims WHERE report_id = ?)", [rid])
        finally:
            con.unregister(view)

    def _release_old_report(self, con, old_rid: str, path: str) -> None:
        """`path` no longer holds old_rid. Drop old_rid's rows if no file points at it;
        otherwise point its doc/path at a file that still holds it. Corrections are kept."""
        other = con.execute("SELECT path, doc FROM report_files WHERE report_id = ? AND path <> ? "
                            "ORDER BY seen_at DESC, path LIMIT 1", [old_rid, path]).fetchone()
        if other is None:
            con.execute("DELETE FROM claims WHERE report_id = ?", [old_rid])
            con.execute("DELETE FROM reports WHERE report_id = ?", [old_rid])
        else:
            con.execute("UPDATE reports SET path = ?, doc = ? WHERE report_id = ?",
                        [other[0], other[1], old_rid])
            con.execute("UPDATE claims SET doc = ? WHERE report_id = ? AND doc IS DISTINCT FROM ?",
                        [other[1], old_rid, other[1]])

    def save_reports(self, batch: list[tuple[Report, list[Claim] | PreparedClaims, str]], *,
                     rules_version: str | None = None, run_id: str | None = None,
                     max_hold: float = 5.0) -> list[str]:
        """Save many reports: one connection, one transaction per report. Every report
        is validated first (ValueError names the bad ones; nothing is saved). With
        `run_id`, each file's run_files row ("read" or "unchanged") is written in the
        same transaction as its report. Between reports the connection is released
        when a reader is waiting (or after `max_hold` seconds), so the dashboard is not
        starved by a long batch. Claims may come as PreparedClaims (see there)."""
        prepared, bad = [], []
        for report, claims, path in batch:
            try:
                prep = claims if isinstance(claims, PreparedClaims) else prepare_claims(report, claims)
                prepared.append((report, prep, path))
            except ValueError as e:
                bad.append(str(e).splitlines()[0] + " " + "; ".join(str(e).splitlines()[1:3]))
        if bad:
            raise ValueError(f"{len(bad)} report(s) have bad claims, nothing saved:\n  " + "\n  ".join(bad))
        out: list[str | None] = [None] * len(prepared)
        fresh = self._fresh(prepared)
        # Reports whose text and file this store has never seen (the bulk of a first
        # run) go in with set-based inserts, a few thousand claims per transaction, so
        # each report is still all or nothing and a waiting reader gets in between.
        j = 0
        while j < len(fresh):
            chunk, n_claims = [], 0
            while j < len(fresh) and (not chunk or n_claims + prepared[fresh[j]][1].n_mentions <= _FRESH_CLAIMS):
                chunk.append(fresh[j])
                n_claims += prepared[fresh[j]][1].n_mentions
                j += 1
            with self.session() as con, self._tx(con) as c:
                self._insert_fresh(c, [prepared[k] for k in chunk], rules_version, run_id)
            for k in chunk:
                out[k] = "new"
            if j < len(fresh) and self.readers_waiting():
                self._let_readers_in()
        rest = [k for k in range(len(prepared)) if out[k] is None]
        i = 0
        while i < len(rest):
            with self.session() as con:
                opened = time.monotonic()
                while i < len(rest):
                    report, prep, path = prepared[rest[i]]
                    with self._tx(con) as c:
                        status = self._save(c, report, prep, _norm_path(path), rules_version)
                        if run_id is not None:
                            self.record_file(run_id, path, "unchanged" if status == "unchanged"
                                             else "read", report_id=report.report_id,
                                             n_claims=prep.n_mentions, con=c)
                    out[rest[i]] = status
                    i += 1
                    held = time.monotonic() - opened
                    if held > max_hold or (held > 0.05 and self.readers_waiting()):
                        break
            if i < len(rest):
                self._let_readers_in()
        return out

    def _fresh(self, prepared: list[tuple[Report, PreparedClaims, str]]) -> list[int]:
        """Positions of reports that are new in every way: neither their text nor their
        file is stored yet, and no other report of the batch has the same text."""
        rids = [r.report_id for r, _, _ in prepared]
        paths = [_norm_path(p) for _, _, p in prepared]
        with self.reading() as con:
            known_r = {row[0] for row in con.execute(
                "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?))", [rids]).fetchall()}
            known_p = {row[0] for row in con.execute(
                "SELECT path FROM report_files WHERE path IN (SELECT unnest(?))", [paths]).fetchall()}
        seen: set[str] = set()
        fresh = []
        for k, (rid, path) in enumerate(zip(rids, paths)):
            if rid not in known_r and path not in known_p and rid not in seen:
                fresh.append(k)
            seen.add(rid)
        return fresh

    def _insert_fresh(self, con, items: list[tuple[Report, PreparedClaims, str]],
                      rules_version: str | None, run_id: str | None) -> None:
        now = _utcnow()
        cols = list(REPORT_FIELDS) + list(REPORT_EXTRA_COLUMNS)
        reports: dict[str, list] = {c: [] for c in cols}
        for report, prep, _ in items:
            d = report.to_dict()
            d["meta_source"] = json.dumps(d.get("meta_source") or {}, ensure_ascii=False)
            d["tags"] = list(d.get("tags") or [])
            d.update(n_chars=len(report.text), n_claims=prep.n_mentions, ingested_at=now,
                     rules_version=rules_version, content_sig=prep.sig)
            for c in cols:
                reports[c].append(d[c])
        files = {"path": [_norm_path(p) for _, _, p in items], "doc": [r.doc for r, _, _ in items],
                 "report_id": [r.report_id for r, _, _ in items], "seen_at": [now] * len(items)}
        # row-wise executemany is slow in DuckDB: every table goes in as one Arrow scan
        self._insert_arrow(con, "reports", cols, pa.table(reports))
        self._insert_arrow(con, "claims", list(CLAIM_COLUMNS), pa.concat_tables([p.table for _, p, _ in items]))
        self._insert_arrow(con, "report_files", list(files), pa.table(files))
        if run_id is not None:
            self._run_files_rows(con, [[run_id, _norm_path(p), "read", None, r.report_id, prep.n_mentions, now]
                                       for r, prep, p in items])

    @staticmethod
    def _insert_arrow(con, table_name: str, cols: list[str], data: pa.Table,
                      verb: str = "INSERT INTO") -> None:
        names = ", ".join(_ident(c) for c in cols)
        view = f"_bulk_{uuid.uuid4().hex[:12]}"
        con.register(view, data)
        try:
            con.execute(f"{verb} {_ident(table_name)} ({names}) SELECT {names} FROM {view}")
        finally:
            con.unregister(view)

    def _let_readers_in(self, patience: float = 1.0) -> None:
        if getattr(self._local, "held", False):
            self.step_aside_if_readers()     # the held connection must close first
            return
        deadline = time.monotonic() + patience
        time.sleep(0.01)
        while self.readers_waiting() and time.monotonic() < deadline:
            time.sleep(0.01)

    def known_file(self, path: str, *, con=None) -> str | None:
        """The report_id `path` was last stored as (None if never)."""
        sql, params = "SELECT report_id FROM report_files WHERE path = ?", [_norm_path(path)]
        if con is not None:
            row = con.execute(sql, params).fetchone()
        else:
            with self.reading() as c:
                row = c.execute(sql, params).fetchone()
        return row[0] if row else None

    def known_files(self) -> dict[str, str]:
        """Every stored path -> report_id, in one query (a run checks many files)."""
        with self.reading() as con:
            return dict(con.execute("SELECT path, report_id FROM report_files").fetchall())

    # -------------------------------------------------------------------------- runs

    def begin_run(self, args: str) -> str:
        """Record a run as 'running'; runs left 'running' by a dead process become
        'interrupted'."""
        run_id = f"{_utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        with self.writing() as con:
            for rid, pid in con.execute("SELECT run_id, pid FROM runs WHERE status = 'running'").fetchall():
                if pid is None or not _pid_alive(pid):
                    con.execute("UPDATE runs SET status = 'interrupted' WHERE run_id = ?", [rid])
            con.execute("INSERT INTO runs (run_id, started_at, status, args, pid) VALUES (?, ?, 'running', ?, ?)",
                        [run_id, _utcnow(), args, os.getpid()])
        return run_id

    def record_file(self, run_id: str, path: str, status: str, reason: str | None = None,
                    report_id: str | None = None, n_claims: int = 0, *, con=None) -> None:
        if status not in RUN_FILE_STATUSES:
            raise ValueError(f"file status must be one of {', '.join(RUN_FILE_STATUSES)}, got {status!r}")
        with self._tx(con) as c:
            c.execute("INSERT OR REPLACE INTO run_files VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [run_id, _norm_path(path), status, reason, report_id, int(n_claims), _utcnow()])

    def record_files(self, run_id: str, rows: Iterable[dict]) -> None:
        """Many run_files rows in one transaction; each dict has path, status and
        optionally reason, report_id, n_claims (e.g. the skipped and failed files)."""
        data = []
        for r in rows:
            if r["status"] not in RUN_FILE_STATUSES:
                raise ValueError(f"file status must be one of {', '.join(RUN_FILE_STATUSES)}, "
                                 f"got {r['status']!r} for {r['path']}")
            data.append([run_id, _norm_path(r["path"]), r["status"], r.get("reason"),
                         r.get("report_id"), int(r.get("n_claims") or 0), _utcnow()])
        if data:
            with self.writing() as con:
                self._run_files_rows(con, data)

    @staticmethod
    def _run_files_rows(con, rows: list[list]) -> None:
        """INSERT OR REPLACE run_files rows as one Arrow scan (executemany goes row by
        row, and cost a run more than its claims did)."""
        cols = ["run_id", "path", "status", "reason", "report_id", "n_claims", "at"]
        types = [pa.string(), pa.string(), pa.string(), pa.string(), pa.string(), pa.int32(),
                 pa.timestamp("us")]
        data = pa.table([pa.array([r[i] for r in rows], type=t) for i, t in enumerate(types)], names=cols)
        Store._insert_arrow(con, "run_files", cols, data, verb="INSERT OR REPLACE INTO")

    def finish_run(self, run_id: str, status: str, **counts: Any) -> None:
        """Close a run. counts: files_seen, files_read, files_skipped, files_failed,
        claims_written, and optionally seconds (else computed from started_at)."""
        if status not in RUN_STATUSES:
            raise ValueError(f"run status must be one of {', '.join(RUN_STATUSES)}, got {status!r}")
        unknown = set(counts) - set(RUN_COUNTS) - {"seconds"}
        if unknown:
            raise ValueError(f"unknown run counts {sorted(unknown)}; known: {', '.join(RUN_COUNTS)}, seconds")
        with self.writing() as con:
            row = con.execute("SELECT started_at FROM runs WHERE run_id = ?", [run_id]).fetchone()
            if row is None:
                raise ValueError(f"no run {run_id!r}")
            now = _utcnow()
            seconds = counts.pop("seconds", None)
            if seconds is None:
                seconds = (now - row[0]).total_seconds()
            sets = "".join(f", {_ident(k)} = ?" for k in counts)   # keys checked above
            con.execute(f"UPDATE runs SET status = ?, finished_at = ?, seconds = ?{sets} WHERE run_id = ?",
                        [status, now, float(seconds), *[int(v) for v in counts.values()], run_id])

    # ------------------------------------------------------------------- corrections

    def add_correction(self, claim_id: str, field: str, new_value: Any, *, who: str,
                       why: str = "") -> None:
        """Record a user's correction of one field of one claim (validated; ValueError
        with the reason otherwise). The latest correction per field wins."""
        stored = _check_correction(field, new_value)
        if not isinstance(who, str) or not who.strip():
            raise ValueError("who must name the person making the correction")
        with self.writing() as con:
            row = con.execute(f"SELECT report_id, start, \"end\", {_ident(field)} FROM claims_effective "
                              f"WHERE claim_id = ?", [claim_id]).fetchone()
            if row is None:
                raise ValueError(f"no claim with id {claim_id!r}")
            con.execute("INSERT INTO corrections (claim_id, report_id, start, \"end\", field, old_value, "
                        "new_value, who, \"at\", why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [claim_id, row[0], row[1], row[2], field, _value_text(field, row[3]),
                         stored, who.strip(), _utcnow(), why])

    def corrections_for(self, claim_id: str) -> list[dict]:
        with self.reading() as con:
            cur = con.execute("SELECT * FROM corrections WHERE claim_id = ? ORDER BY id", [claim_id])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]

    # ----------------------------------------------------------------------- reading

    def query_df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one read-only query (SELECT/WITH/...) with bound parameters."""
        if not _READ_ONLY_SQL.match(sql):
            raise ValueError("query_df runs read-only queries only (SELECT, WITH, FROM, DESCRIBE ...)")
        with self.reading() as con:
            return con.execute(sql, params).df() if params is not None else con.execute(sql).df()

    _LIST_FILTERS = ("campaign", "organisation", "level", "year", "unit_class", "approx")

    def claims_df(self, *, report_id: str | None = None, doc: str | None = None,
                  campaign: list | None = None, organisation: list | None = None,
                  level: list | None = None, year: list | None = None,
                  unit_class: list | None = None, approx: list | None = None,
                  is_claim: bool | None = None, text: str | None = None,
                  limit: int | None = None) -> pd.DataFrame:
        """Rows of claims_effective (corrections applied), filtered. None or an empty
        list means "no filter" (a cleared multiselect shows everything)."""
        where, params = [], []
        if report_id is not None:
            where.append("report_id = ?"); params.append(report_id)
        if doc is not None:
            where.append("doc = ?"); params.append(doc)
        lists = dict(campaign=campaign, organisation=organisation, level=level, year=year,
                     unit_class=unit_class, approx=approx)
        for col in self._LIST_FILTERS:
            vals = lists[col]
            if vals:
                vals = [int(v) for v in vals] if col == "year" else [str(v) for v in vals]
                where.append(f"list_contains(?, {_ident(col)})"); params.append(vals)
        if is_claim is not None:
            where.append("is_claim = ?"); params.append(bool(is_claim))
        if text:
            where.append("(subject ILIKE ? ESCAPE '\\' OR sentence ILIKE ? ESCAPE '\\' "
                         "OR text ILIKE ? ESCAPE '\\')")
            params += [_like_pattern(text)] * 3
        sql = "SELECT * FROM claims_effective"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY published NULLS LAST, doc, start"
        if limit is not None:
            sql += " LIMIT ?"; params.append(int(limit))
        with self.reading() as con:
            return con.execute(sql, params).df()

    def reports_df(self) -> pd.DataFrame:
        """One row per report (without its text), with the file names it was seen under."""
        with self.reading() as con:
            return con.execute(
                "SELECT r.* EXCLUDE (text, content_sig), coalesce(f.n_files, 0) AS n_files, "
                "f.paths FROM reports r LEFT JOIN (SELECT report_id, count(*) AS n_files, "
                "list(path ORDER BY path) AS paths FROM report_files GROUP BY report_id) f "
                "USING (report_id) ORDER BY r.published NULLS LAST, r.doc").df()

    def report(self, report_id: str) -> Report | None:
        names = ", ".join(_ident(c) for c in REPORT_FIELDS)
        with self.reading() as con:
            row = con.execute(f"SELECT {names} FROM reports WHERE report_id = ?", [report_id]).fetchone()
        if row is None:
            return None
        d = dict(zip(REPORT_FIELDS, row))
        d["tags"] = list(d.get("tags") or [])
        ms = d.get("meta_source")
        d["meta_source"] = json.loads(ms) if isinstance(ms, str) else (ms or {})
        return Report(**d)

    def claims_of(self, report_id: str) -> list[Claim]:
        """The report's claims with corrections applied, in text order."""
        names = ", ".join(_ident(c) for c in CLAIM_FIELDS)
        with self.reading() as con:
            rows = con.execute(f"SELECT {names} FROM claims_effective WHERE report_id = ? "
                               f"ORDER BY start, \"end\"", [report_id]).fetchall()
        out = []
        for r in rows:
            d = dict(zip(CLAIM_FIELDS, r))
            for k in ("value", "value_max"):
                if k in d:
                    d[k] = _decimal(d[k])
            out.append(Claim(**d))
        return out

    def counts(self) -> dict:
        with self.reading() as con:
            row = con.execute(
                "SELECT (SELECT count(*) FROM reports), "
                "(SELECT count(*) FROM claims_effective WHERE is_claim), "
                "(SELECT count(*) FROM claims), (SELECT count(*) FROM corrections), "
                "(SELECT count(*) FROM runs)").fetchone()
        return dict(zip(("reports", "claims", "mentions", "corrections", "runs"), row))

    # ------------------------------------------------------------------------ export

    def export(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the store for other tools (corrections applied):

        - claims/          Parquet, hive-partitioned campaign=.../year=... ('__none__' for
                           NULL; both keys are text so pandas/pyarrow can read it back)
        - reports.parquet, corrections.parquet
        - claims.csv, reports.csv   UTF-8 with BOM so Excel shows Chinese (reports.csv
                           leaves out the full text: Excel cells stop at 32,767 chars)

        Everything is written into a temporary folder inside out_dir first, then moved
        into place, so a failed export never leaves half-written files behind.
        """
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / f".export-tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            (tmp / "claims").mkdir()
            with self.reading() as con:
                con.execute(
                    "COPY (SELECT * EXCLUDE (campaign, year), "
                    "coalesce(campaign, '__none__') AS campaign, "
                    "coalesce(CAST(year AS VARCHAR), '__none__') AS year "
                    f"FROM claims_effective ORDER BY report_id, start) TO {_sql_path(tmp / 'claims')} "
                    "(FORMAT parquet, PARTITION_BY (campaign, year), OVERWRITE_OR_IGNORE)")
                con.execute("COPY (SELECT * EXCLUDE (content_sig) FROM reports ORDER BY report_id) "
                            f"TO {_sql_path(tmp / 'reports.parquet')} (FORMAT parquet)")
                con.execute("COPY (SELECT * FROM corrections ORDER BY id) "
                            f"TO {_sql_path(tmp / 'corrections.parquet')} (FORMAT parquet)")
                con.execute("COPY (SELECT * FROM claims_effective ORDER BY report_id, start) "
                            f"TO {_sql_path(tmp / 'claims.plain.csv')} (HEADER)")
                con.execute("COPY (SELECT * EXCLUDE (text, content_sig) FROM reports ORDER BY report_id) "
                            f"TO {_sql_path(tmp / 'reports.plain.csv')} (HEADER)")
            for name in ("claims", "reports"):
                _add_bom(tmp / f"{name}.plain.csv", tmp / f"{name}.csv")
            written: dict[str, Path] = {}
            for name in ("reports.parquet", "corrections.parquet", "claims.csv", "reports.csv"):
                os.replace(tmp / name, out / name)
                written[name] = out / name
            old = tmp / "claims.old"
            if (out / "claims").exists():
                os.replace(out / "claims", old)
            os.replace(tmp / "claims", out / "claims")
            written["claims"] = out / "claims"
            return {"claims": written.pop("claims"), **written}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # ======================================================================= checks
    # Issue 6 (etl/checks/): a scratch connection for the checks' joins and the tables
    # they write (migration 2: check_runs, findings, finding_claims, figure_groups and
    # the claim_dup_groups view). Methods below this line belong to the checks.

    @contextmanager
    def analysis(self, *, threads: int | None = None) -> Iterator[Any]:
        """A private in-memory DuckDB for a multi-step analysis, with this store
        attached read-only as ``src`` (``main`` for a ":memory:" store). Copy what you
        need into TEMP tables, then call ``release()``: from then on the store file is
        free for writers while the joins run. Yields an object with

            src                        schema to read from: f"{a.src}.claims_effective"
            table(name, sql, params)   CREATE OR REPLACE TEMP TABLE name AS sql
            df(sql, params)            run a query, as a DataFrame
            register(name, frame)      expose a DataFrame / Arrow table as a view
            release()                  detach the store (no-op for ":memory:")

        Names passed to table/register must be plain identifiers; temp tables and
        registrations are dropped on exit.
        """
        from types import SimpleNamespace
        own = not self.memory
        if own:
            if not self.path.exists():
                raise FileNotFoundError(f"store {self.path} does not exist yet; build it with "
                                        f"`python -m etl run` first")
            con = duckdb.connect(":memory:")
            ctx = None
        else:
            ctx = self._connection(write=True)
            con = ctx.__enter__()
        made: list[str] = []
        registered: list[str] = []
        attached = [False]
        try:
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            if own:
                deadline = time.monotonic() + self.lock_timeout
                while True:
                    try:
                        con.execute(f"ATTACH {_sql_path(self.path)} AS src (READ_ONLY)")
                        break
                    except duckdb.Error as e:
                        if not _is_lock_error(e) or time.monotonic() > deadline:
                            raise StoreBusy(f"store {self.path} is busy: {e}") from e
                        time.sleep(0.05)
                attached[0] = True

            def table(name: str, sql: str, params: list | None = None) -> None:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {_ident(name)} AS {sql}",
                            params if params is not None else [])
                if name not in made:
                    made.append(name)

            def df(sql: str, params: list | None = None) -> pd.DataFrame:
                return con.execute(sql, params if params is not None else []).df()

            def register(name: str, frame: Any) -> None:
                _ident(name)
                con.register(name, frame)
                registered.append(name)

            def release() -> None:
                if attached[0]:
                    con.execute("DETACH src")
                    attached[0] = False

            yield SimpleNamespace(src="src" if own else "main", table=table, df=df,
                                  register=register, release=release)
        finally:
            if own:
                con.close()
            else:
                for name in registered:
                    try:
                        con.unregister(name)
                    except duckdb.Error:
                        pass
                for name in made:
                    con.execute(f"DROP TABLE IF EXISTS temp.{_ident(name)}")
                if threads:
                    con.execute("RESET threads")
                ctx.__exit__(None, None, None)

    def save_check_results(self, run: dict, findings: pd.DataFrame, finding_claims: pd.DataFrame,
                           groups: pd.DataFrame) -> None:
        """Replace the stored check results with one run's, in one transaction.

        run: run_id, started_at, finished_at, n_reports, n_claims, seconds, counts (dict),
        stats (dict), rules_version. findings: finding_id, type, severity, rule, detail,
        report_ids (list), data (JSON text). finding_claims: finding_id, pos, claim_id,
        report_id, doc, start, end, text, role. groups: claim_id, dup_group, dup_size,
        dup_primary."""
        f_cols = ["finding_id", "type", "severity", "rule", "detail", "report_ids", "data"]
        fc_cols = ["finding_id", "pos", "claim_id", "report_id", "doc", "start", "end", "text", "role"]
        g_cols = ["claim_id", "dup_group", "dup_size", "dup_primary"]
        views = {"_chk_findings": findings.reindex(columns=f_cols),
                 "_chk_finding_claims": finding_claims.reindex(columns=fc_cols),
                 "_chk_groups": groups.reindex(columns=g_cols)}
        rid = run["run_id"]
        with self.writing() as con:
            for name, frame in views.items():
                con.register(name, frame)
            try:
                con.execute("DELETE FROM finding_claims")
                con.execute("DELETE FROM findings")
                con.execute("DELETE FROM figure_groups")
                con.execute("INSERT INTO findings SELECT finding_id, ? AS run_id, type, severity, rule, "
                            "detail, CAST(report_ids AS VARCHAR[]), CAST(data AS JSON) FROM _chk_findings", [rid])
                con.execute('INSERT INTO finding_claims SELECT finding_id, CAST(pos AS INTEGER), claim_id, '
                            'report_id, doc, CAST(start AS INTEGER), CAST("end" AS INTEGER), text, role '
                            'FROM _chk_finding_claims')
                con.execute("INSERT INTO figure_groups SELECT claim_id, dup_group, CAST(dup_size AS INTEGER), "
                            "CAST(dup_primary AS BOOLEAN), ? FROM _chk_groups", [rid])
                con.execute("INSERT OR REPLACE INTO check_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [rid, run.get("started_at"), run.get("finished_at"), run.get("n_reports"),
                             run.get("n_claims"), len(findings),
                             json.dumps(run.get("counts") or {}, ensure_ascii=False),
                             json.dumps(run.get("stats") or {}, ensure_ascii=False, default=str),
                             run.get("seconds"), run.get("rules_version")])
            finally:
                for name in views:
                    con.unregister(name)

    def findings_df(self, *, types: list | None = None, report_id: str | None = None) -> pd.DataFrame:
        """Stored findings, each with its claims as a list of {doc, start, end, text,
        report_id, claim_id, role} in order; optionally only some types, or only those
        touching one report. High severity first."""
        where, params = [], []
        if types:
            where.append("list_contains(?, f.type)"); params.append([str(t) for t in types])
        if report_id is not None:
            where.append("list_contains(f.report_ids, ?)"); params.append(report_id)
        sql = ("SELECT f.*, c.claims FROM findings f LEFT JOIN ("
               "SELECT finding_id, list({'doc': doc, 'start': start, 'end': \"end\", 'text': text, "
               "'report_id': report_id, 'claim_id': claim_id, 'role': role} ORDER BY pos) AS claims "
               "FROM finding_claims GROUP BY finding_id) c USING (finding_id)")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (" ORDER BY CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 "
                "ELSE 3 END, f.type, f.finding_id")
        with self.reading() as con:
            return con.execute(sql, params).df()

    def last_check_run(self) -> dict | None:
        """The latest check run (counts and stats as dicts), or None if never checked."""
        with self.reading() as con:
            cur = con.execute("SELECT * FROM check_runs ORDER BY finished_at DESC NULLS LAST LIMIT 1")
            row = cur.fetchone()
            if row is None:
                return None
            d = dict(zip([c[0] for c in cur.description], row))
        for k in ("counts", "stats"):
            if isinstance(d.get(k), str):
                d[k] = json.loads(d[k])
        return d


def _add_bom(src: Path, dst: Path) -> None:
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        fo.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(fi, fo, 1 << 20)
    src.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, ValueError):
        return False
    return True


def open_store(path: str | Path = DEFAULT_PATH, *, read_only: bool = False,
               lock_timeout: float = 30.0) -> Store:
    """A Store on `path` (schema created/migrated unless read_only)."""
    return Store(path, read_only=read_only, lock_timeout=lock_timeout)
