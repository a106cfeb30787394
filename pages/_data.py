"""The ONLY Streamlit cache wrappers: one read-only Store per path (st.cache_resource)
and query results (st.cache_data).

The Store opens a short-lived connection per query by design, so `etl run` can write
while the dashboard is open. Cached results are keyed by the store file's signature
(mtime and size of the file and its WAL), so a write from outside makes them stale by
itself; writes from the dashboard also call `clear()`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from etl.store import Store
from etl.views import queries as q
from etl.views import sources
from pages import _access, _config


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # read-only: never creates or migrates the file; the ETL and the Upload page write
    return Store(path, read_only=True, lock_timeout=10.0)


@st.cache_data(show_spinner=False, max_entries=1000)
def _query(path: str, signature: tuple, sql: str, params: tuple) -> pd.DataFrame:
    return _store(path).query_df(sql, list(params))


def db_path() -> Path:
    return _config.db_path()


def store_exists() -> bool:
    return db_path().is_file()


def query(qp: q.Query) -> pd.DataFrame:
    """Run a (sql, params) pair from etl.views.queries, cached until the store changes.
    The caller gets its own copy (cache_data returns a fresh unpickled frame)."""
    path = db_path()
    sql, params = qp
    return _query(str(path), _config.store_signature(path), sql, tuple(params))


def prefetch(qps: list[q.Query]) -> None:
    """Run independent queries side by side, into the cache, so that the page's own
    calls to `query` find them there. DuckDB releases the GIL, so a page whose four
    queries each scan a million claims waits for the slowest, not for their sum."""
    from concurrent.futures import ThreadPoolExecutor

    from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

    ctx = get_script_run_ctx()

    def one(qp: q.Query) -> None:
        add_script_run_ctx(ctx=ctx)    # st.cache_data needs the session's context
        query(qp)

    with ThreadPoolExecutor(max_workers=len(qps) or 1) as pool:
        list(pool.map(one, qps))      # re-raises a query's error here


def writable_store() -> Store:
    """A read-write Store for the Upload, Corrections and Checks pages (creates the file
    and schema when missing). Not cached: writes are rare and must not hold a handle.
    PermissionError when the access policy (pages._access) makes this session
    read-only: the store is then never opened for writing."""
    _access.require_write()
    return Store(db_path(), lock_timeout=15.0)


def clear() -> None:
    """Forget cached results after the dashboard wrote to the store."""
    _query.clear()


def n_reports() -> int:
    """Reports in the store; 0 when the file does not exist yet."""
    if not store_exists():
        return 0
    return int(query(("SELECT count(*) AS n FROM reports_effective", ()))["n"].iloc[0])


def dup_source() -> q.DupSource | None:
    """Where a duplicates module put `dup_group`, if anywhere and if it has run (the
    detection is etl.views.sources.dup_source, which the command-line exports use too)."""
    return sources.dup_source(query)
