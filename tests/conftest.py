"""Shared fixtures. Keep them tiny and explicit (no global patching).

`make test` runs the suite on one pytest worker per core (pytest-xdist, `-n auto
--dist loadgroup`); the hooks below keep that safe and cheap:
- the browser tests share one Streamlit server and one Chromium (session fixtures in
  tests/e2e/conftest.py), so they all run on one worker (xdist group "browser");
- a module whose tests share a module-scoped fixture (a store built by `etl run`, a
  corpus extracted once) keeps those tests on one worker, which builds it once;
- what the whole session builds once (the dashboard tests' store) is built by the first
  worker that needs it and shared through a folder every worker sees (shared_builds.py).
A plain `pytest` (no -n) runs everything in one process, as before.
"""
from __future__ import annotations

import os

import pytest
import shared_builds

E2E = os.path.join(os.path.dirname(os.path.abspath(__file__)), "e2e") + os.sep


@pytest.fixture(scope="session", autouse=True)
def _session_dir(tmp_path_factory):
    """The folder this run's workers share: the parent of each worker's own base
    temporary folder under xdist (popen-gw0, popen-gw1, ...), else the base folder."""
    base = tmp_path_factory.getbasetemp()
    shared_builds.SESSION_DIR = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    yield
    shared_builds.SESSION_DIR = None


@pytest.hookimpl(tryfirst=True)      # before xdist reads the groups (it renames the ids by them)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if str(item.fspath).startswith(E2E):
            item.add_marker(pytest.mark.xdist_group("browser"))
            continue
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info is not None else ()
        if any(fd[-1].scope in ("module", "class") for fd in defs if fd):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture
def fresh_store():
    """An empty in-memory store (one connection for the object's life)."""
    from etl.store import Store
    store = Store(":memory:")
    yield store
    store.close()


@pytest.fixture
def store_path(tmp_path):
    """Path for a file-backed store in a fresh temporary folder (not created yet)."""
    return tmp_path / "figures.duckdb"
