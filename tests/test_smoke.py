"""Smoke test of a whole install, as a user meets it: `run`, `check`, `export` and
`export-chart` on the bundled reports, then every page of the dashboard under AppTest.

It runs in the full suite and alone in `make lowest`, which installs the lowest
versions pyproject.toml allows (so a lower bound that does not work fails here: issue 21
found datasketch 1.6, streamlit 1.50-1.53 and duckdb 1.2 failing). Only the standard
library, pytest and the app's own dependencies are used.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
APP = str(ROOT / "app.py")
PAGES = ["overview", "explore", "compare", "briefing", "checks", "report", "upload", "corrections"]


def cli(*args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, check=False,
                       text=True, timeout=900)
    assert r.returncode == 0, (args, r.stderr[-3000:])
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    return r


@pytest.fixture(scope="module")
def smoke_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("smoke") / "smoke.duckdb"
    cli("run", str(CORPUS), "--db", str(db))
    cli("check", "--db", str(db), "-o", os.devnull)
    return db


def test_run_check_export(smoke_store, tmp_path):
    from etl.store import Store
    store = Store(smoke_store, read_only=True)
    assert store.query_df("SELECT count(*) AS n FROM reports")["n"][0] == len(list(CORPUS.iterdir()))
    assert store.query_df("SELECT count(*) AS n FROM check_runs")["n"][0] == 1
    cli("export", "--db", str(smoke_store), "--out", str(tmp_path / "export"))
    assert (tmp_path / "export" / "claims.csv").stat().st_size > 1000
    assert list((tmp_path / "export").rglob("*.parquet"))
    cli("export-chart", "--db", str(smoke_store), "--metric-id", "funds_disbursed", "--format",
        "csv,xlsx,json", "--out", str(tmp_path / "chart"))
    assert len(list((tmp_path / "chart").iterdir())) == 3


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(smoke_store, monkeypatch, tmp_path, page):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("REPORT_FIGURES_DB", str(smoke_store))
    monkeypatch.setenv("REPORT_FIGURES_UPLOADS", str(tmp_path / "uploads"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{page}: nothing rendered"
