"""The store: one embedded DuckDB file holding reports, claims, corrections, runs and
the checks' findings. This package is the only code that imports duckdb; everything
else talks to `Store` in `Report` / `Claim` records, Arrow tables, DataFrames and dicts.

    schema       tables, migrations, the claims_effective view (corrections applied)
    connection   opening the file: locks, retries, transactions, a held writer for runs
    prepared     claims validated and turned into the store's Arrow table (no database)
    arrow_lists  pyarrow converting lists without importing pandas (a run's start)
    writes       saving reports and their claims, idempotent by content
    runs         the log of runs and of the files each one read or skipped
    corrections  a user's fix of one field of one claim, kept through re-extraction
    report_edits a user's edit of a report's metadata, deleting and restoring a report
    anchors      corrections and report edits follow their figure when a report's text changes
    reads        read-only queries with bound parameters
    export       Parquet and CSV for other tools
    analysis     a scratch database for the checks, and the results they save

`Store` is these parts together; each part is a class of its own module, so a reader
finds one job in one file.
"""
from __future__ import annotations

from pathlib import Path

from .analysis import Analysis
from .anchors import Anchors, Followed
from .connection import DEFAULT_PATH, StoreBusy
from .corrections import Corrections
from .export import Export
from .prepared import BadClaims, PreparedClaims, prepare_claims
from .reads import Reads
from .report_edits import ReportEdits
from .runs import RunLog
from .schema import CLAIM_COLUMNS, CORRECTABLE_FIELDS, EDITABLE_REPORT_FIELDS, MIGRATIONS, SCHEMA_VERSION, claims_schema, prepared_schema
from .writes import ReportWrites

__all__ = ["Store", "StoreBusy", "open_store", "BadClaims", "PreparedClaims", "prepare_claims",
           "Followed", "CLAIM_COLUMNS", "CORRECTABLE_FIELDS", "EDITABLE_REPORT_FIELDS", "MIGRATIONS", "SCHEMA_VERSION", "claims_schema", "prepared_schema"]


class Store(ReportWrites, RunLog, Corrections, ReportEdits, Anchors, Reads, Export, Analysis):
    """The claims store on one DuckDB file (or ":memory:"): see the package docstring."""


def open_store(path: str | Path = DEFAULT_PATH, *, read_only: bool = False,
               lock_timeout: float = 30.0) -> Store:
    """A Store on `path` (schema created/migrated unless read_only)."""
    return Store(path, read_only=read_only, lock_timeout=lock_timeout)
