"""A user's reports go into a store of their own, never the demo store (issue 21):
`run PATH` and `serve PATH` without --db, REPORT_FIGURES_DB for every command,
REPORT_FIGURES_HOME for where a user's stores live."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import stores
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.delenv("REPORT_FIGURES_DB", raising=False)
    monkeypatch.setenv("REPORT_FIGURES_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, check=False,
                          text=True, timeout=600, env={**os.environ, **(env or {})})


def my_reports(tmp_path: Path, n: int = 2) -> Path:
    folder = tmp_path / "我的 报告"
    folder.mkdir()
    for p in sorted(CORPUS.glob("*.txt"))[:n]:
        shutil.copy(p, folder / p.name)
    return folder


def test_the_demo_and_a_users_folders_get_different_stores(home, tmp_path):
    assert stores.store_for(None) == stores.store_for([str(CORPUS)]) == stores.DEMO_DB
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    sa = stores.store_for([str(a)])
    assert sa.parent == home / "stores" and sa.name.startswith("a-") and sa.suffix == ".duckdb"
    assert sa == stores.store_for([str(a) + "/"])                  # the same folder, the same store
    assert len({sa, stores.store_for([str(b)]), stores.store_for([str(a), str(b)])}) == 3


def test_report_figures_db_overrides_every_default(monkeypatch, tmp_path):
    monkeypatch.setenv("REPORT_FIGURES_DB", str(tmp_path / "team.duckdb"))
    assert stores.default_db() == stores.store_for([str(tmp_path)]) == tmp_path / "team.duckdb"
    from etl.cli import _parser
    for argv in (["export", "--out", "x"], ["check"], ["export-chart", "--out", "x"],
                 ["briefing", "--spec", "s", "--out", "x"]):
        assert _parser().parse_args(argv).db == str(tmp_path / "team.duckdb"), argv


def test_run_on_a_users_folder_leaves_the_demo_store_alone(home, tmp_path):
    folder = my_reports(tmp_path)
    r = cli("run", str(folder), env={"REPORT_FIGURES_HOME": str(home)})
    assert r.returncode == 0, r.stderr
    db = stores.store_for([str(folder)])
    assert f"store: {db}" in r.stderr and db.exists()
    docs = Store(db, read_only=True).query_df("SELECT doc FROM reports")["doc"]
    assert sorted(docs) == sorted(p.name for p in folder.iterdir())    # only the user's reports


def test_export_reads_the_store_report_figures_db_names(tmp_path):
    db = tmp_path / "env.duckdb"
    r = cli("run", str(min(CORPUS.glob("*.txt"))), env={"REPORT_FIGURES_DB": str(db)})
    assert r.returncode == 0 and db.exists(), r.stderr
    r = cli("export", "--out", str(tmp_path / "out"), env={"REPORT_FIGURES_DB": str(db)})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out" / "claims.csv").exists()


def test_serve_builds_and_checks_a_store_of_their_own(home, tmp_path):
    folder = my_reports(tmp_path, n=3)
    r = cli("serve", str(folder), "--build-only", env={"REPORT_FIGURES_HOME": str(home)})
    assert r.returncode == 0, r.stderr
    db = stores.store_for([str(folder)])
    assert f"store: {db}" in r.stderr
    s = Store(db, read_only=True)
    assert s.query_df("SELECT count(*) AS n FROM reports")["n"][0] == 3
    assert s.query_df("SELECT count(*) AS n FROM check_runs")["n"][0] >= 1   # checked too


def test_serve_on_a_missing_folder_says_so(home, tmp_path):
    r = cli("serve", str(tmp_path / "nowhere"), "--build-only")
    assert r.returncode == 1 and "no such file or folder" in r.stderr and "Traceback" not in r.stderr


def test_version():
    r = cli("--version")
    from etl import __version__
    assert r.returncode == 0 and r.stdout.strip() == f"report-figures {__version__}"


def test_serve_starts_the_dashboard_on_that_store(home, tmp_path):
    import socket
    import time
    import urllib.request

    folder = my_reports(tmp_path, n=1)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "etl", "serve", str(folder), "--port", str(port),
                             "--no-browser"], cwd=ROOT, env={**os.environ, "REPORT_FIGURES_HOME": str(home)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(1)
        else:
            pytest.fail("the dashboard did not answer within 300 s")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=60)
    assert stores.store_for([str(folder)]).exists()
