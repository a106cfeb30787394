"""`etl run` under the accidents of real use: killed mid-batch (SIGKILL), started twice
at once, and re-run. The store stays readable and consistent, and finishing the job
gives exactly the rows of a clean run."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.pipeline import FIRST_BATCH
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
# enough reports that a run seen past its first batch still has two batches to save
# (64, then 128, then the rest): a kill there lands mid-run even on a loaded machine
N_REPORTS = 300


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory) -> Path:
    """N_REPORTS distinct reports: the bundled five, each numbered so every text differs."""
    d = tmp_path_factory.mktemp("reports")
    texts = [p.read_text(encoding="utf-8") for p in CORPUS]
    for i in range(N_REPORTS):
        (d / f"r{i:03d}.txt").write_text(f"第{i}号通报\n" + texts[i % len(texts)], encoding="utf-8")
    return d


def etl_run(folder: Path, db: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "etl", "run", str(folder), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def consistent(db: Path) -> dict:
    """Every stored report has exactly its own claims, and counts match."""
    store = Store(db, read_only=True)
    rows = store.query_df(
        "SELECT r.report_id, r.n_claims, count(c.claim_id) AS stored FROM reports r "
        "LEFT JOIN claims c USING (report_id) GROUP BY r.report_id, r.n_claims")
    assert (rows["n_claims"] == rows["stored"]).all()
    orphans = store.query_df("SELECT count(*) AS n FROM claims c ANTI JOIN reports r USING (report_id)")
    assert int(orphans["n"][0]) == 0
    return store.counts()


def files_done(proc: subprocess.Popen, total: int, at_least: int, seconds: float) -> int:
    """Reads the run's progress bar (stderr) until it shows at_least files of total:
    the bar moves before a file is saved, and the first batch is saved at FIRST_BATCH
    files, so past it some reports are surely stored and the rest are not yet."""
    import re
    seen, buf, deadline = 0, "", time.time() + seconds
    while time.time() < deadline and seen < at_least and proc.poll() is None:
        chunk = os.read(proc.stderr.fileno(), 4096).decode("utf-8", "replace")
        if not chunk:
            break
        buf = (buf + chunk)[-400:]
        counts = re.findall(rf"(\d+)/{total}\b", buf)
        seen = max([seen, *map(int, counts)])
    return seen


def test_kill_mid_run_then_finish_equals_clean_run(many_reports, tmp_path):
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    assert etl_run(many_reports, clean_db).wait(timeout=600) == 0
    clean = consistent(clean_db)

    proc = subprocess.Popen([sys.executable, "-m", "etl", "run", str(many_reports), "--db",
                             str(killed_db), "--progress"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    past_first = FIRST_BATCH + 6
    assert files_done(proc, N_REPORTS, past_first, seconds=300) >= past_first, \
        "the progress bar never passed the first batch"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    partial = consistent(killed_db)           # readable and consistent after the kill
    assert partial["reports"] < clean["reports"], "the run finished before the kill: nothing tested"

    rerun = etl_run(many_reports, killed_db)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert consistent(killed_db) | {"runs": 0} == clean | {"runs": 0}
    runs = Store(killed_db, read_only=True).query_df("SELECT status FROM runs ORDER BY started_at")
    assert list(runs["status"]) == ["interrupted", "finished"]


def test_two_runs_at_once_one_refuses_clearly(many_reports, tmp_path):
    db = tmp_path / "twice.duckdb"
    a = etl_run(many_reports, db)
    time.sleep(0.3)
    b = etl_run(many_reports, db)
    out_b, err_b = b.communicate(timeout=600)
    out_a, err_a = a.communicate(timeout=600)
    codes = sorted([a.returncode, b.returncode])
    assert codes == [0, 3], (err_a, err_b)
    refused = err_b if b.returncode == 3 else err_a
    assert "another `etl run`" in refused and "Traceback" not in refused
    consistent(db)


def test_rerun_is_idempotent(tmp_path):
    db = tmp_path / "again.duckdb"
    for _ in range(2):
        res = subprocess.run([sys.executable, "-m", "etl", "run", "--db", str(db)], cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
    first = consistent(db)
    # the same report saved under another name is the same report
    copy_dir = tmp_path / "copies"
    copy_dir.mkdir()
    (copy_dir / "renamed.txt").write_bytes(CORPUS[0].read_bytes())
    subprocess.run([sys.executable, "-m", "etl", "run", str(copy_dir), "--db", str(db)], cwd=ROOT,
                   capture_output=True, text=True, timeout=300, check=True)
    assert consistent(db) | {"runs": 0} == first | {"runs": 0}


def test_the_dashboard_can_read_while_a_run_writes(many_reports, tmp_path):
    """A run keeps one write connection, but steps aside whenever a reader waits: the
    dashboard sees reports arrive during the run, not only after it."""
    db = tmp_path / "live.duckdb"
    Store(db)                                   # the file exists before the run starts
    proc = etl_run(many_reports, db)
    seen, waits = [], []
    try:
        reader = Store(db, read_only=True, lock_timeout=20)
        while proc.poll() is None and not any(0 < n < N_REPORTS for n in seen):
            t = time.perf_counter()
            seen.append(reader.counts()["reports"])
            waits.append(time.perf_counter() - t)
            time.sleep(0.1)
        still_running = proc.poll() is None
    finally:
        out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert still_running and any(0 < n < N_REPORTS for n in seen), seen
    assert max(waits) < 15, waits


def test_run_lock_refuses_a_second_holder_and_names_the_first(tmp_path):
    from etl.pipeline import RunBusy, run_lock

    db = tmp_path / "locked.duckdb"
    with run_lock(db):
        with pytest.raises(RunBusy, match=f"PID {os.getpid()}"):
            with run_lock(db):
                pass
    with run_lock(db):      # released: the next run gets it
        pass
