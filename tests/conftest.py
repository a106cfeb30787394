"""Shared fixtures. Keep them tiny and explicit (no global patching).

`make test` runs the suite on one pytest worker per core (pytest-xdist, `-n auto
--dist loadgroup`); what is below keeps that safe and cheap:
- which tests must share a worker (`work_group`): the browser tests share one Streamlit
  server and one Chromium (session fixtures in tests/e2e/conftest.py); the tests of a
  module with a module- or class-scoped fixture (a store built by `etl run`, a corpus
  extracted once) share that fixture. Every other test goes wherever a worker is free.
  (xdist's own `xdist_group` marks do nothing under pytest 9: xdist renames the test's
  node id to carry the group, which pytest 9 no longer lets it do; hence the scheduler.)
- what the whole session builds once (the dashboard tests' store) is built by the first
  worker that needs it and shared through a folder every worker sees (shared_builds.py).
A plain `pytest` (no -n) runs everything in one process, as before.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
import shared_builds

_SHARED_FIXTURE = re.compile(r"""scope\s*=\s*["'](?:module|class|package|session)["']""")


@functools.cache
def _has_shared_fixture(path: Path) -> bool:
    try:
        return bool(_SHARED_FIXTURE.search(path.read_text(encoding="utf-8")))
    except OSError:
        return False


def work_group(root: Path, nodeid: str) -> str:
    """The unit of work a test is scheduled in: tests with the same group run on one
    worker, one after another."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("tests/e2e/"):
        return "browser"
    if path.endswith(".py") and _has_shared_fixture(root / path):
        return path
    return nodeid


@pytest.hookimpl(optionalhook=True)     # a hook of pytest-xdist's: absent without it
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        """xdist's scope scheduling (largest groups first, then single tests as workers
        come free) with the groups of `work_group`."""
        def _split_scope(self, nodeid: str) -> str:
            return work_group(config.rootpath, nodeid)

    return GroupScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _session_dir(tmp_path_factory):
    """The folder this run's workers share: the parent of each worker's own base
    temporary folder under xdist (popen-gw0, popen-gw1, ...), else the base folder."""
    base = tmp_path_factory.getbasetemp()
    shared_builds.SESSION_DIR = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    yield
    shared_builds.SESSION_DIR = None


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
