"""Shared fixtures. Keep them tiny and explicit (no global patching)."""
from __future__ import annotations

import pytest


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
