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
from store_reads import stored_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
# enough reports that a run seen past its first batch still has most to save (64, then
# the rest, far below a row group of mentions): a kill there lands mid-run even on a
# loaded machine
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


# Killed between DuckDB writing a batch's row groups to the file and the batch's commit:
# a run whose first batch is one file without figures, then two row groups of mentions
# exactly (15 x 16,000 + 5,760: batches of two row groups, so that the first is written
# before the commit), then one file more
_KILL_AT_ROW_GROUP = """
import os, signal, sys
from etl import pipeline
from etl.run_batches import ROW_GROUP_ROWS
from etl.store import writes
folder, db, mode = sys.argv[1:4]
pipeline.FIRST_BATCH = 1
real = writes.ReportWrites._insert_fresh

def insert_then_die(self, con, items, *args):
    # DuckDB holds up to 5 whole row groups in memory and writes them at the commit,
    # before the commit's log record; one here writes each as it fills, so that state
    # (row groups in the file, no commit) is reached before the commit, where a kill lands
    con.execute("SET write_buffer_row_group_count = 1")
    before = os.path.getsize(db)
    real(self, con, items, *args)
    if mode == "kill" and sum(p.n_mentions for _, p, _ in items) >= 2 * ROW_GROUP_ROWS:
        print("file bytes", before, os.path.getsize(db), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
writes.ReportWrites._insert_fresh = insert_then_die
pipeline.run([folder], db, progress=False, batch_rows=2 * ROW_GROUP_ROWS)
"""


def _numbers_report(i: int, lines: int = 4000) -> str:
    """A report of `lines` lines of four figures each (4 x lines mentions)."""
    body = [f"第{k}项工作：完成投资{(k * 7 + i) % 900 + 100}万元，同比增长{k % 50}.{k % 10}%，"
            f"新建项目{k % 30 + 2}个。" for k in range(lines)]
    return "项目进展通报\n" + "\n".join(body)


@pytest.mark.slow           # 262,000 mentions read three times: 1-4 min
def test_killed_after_a_row_group_is_written_before_its_commit(tmp_path):
    """DuckDB writes a transaction's whole row groups to the file before it logs the
    commit (etl/run_batches.py). Killed between the two, the store holds the batches committed before it
    and none of that batch's rows; the next run finishes the job: the rows of a clean run."""
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "a.txt").write_text("支部开展主题党日活动，党员同志积极参加。\n", encoding="utf-8")
    for i in range(1, 18):
        (folder / f"n{i:02d}.txt").write_text(_numbers_report(i, 1440 if i == 16 else 4000), encoding="utf-8")
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"

    def run(db: Path, mode: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", _KILL_AT_ROW_GROUP, str(folder), str(db), mode],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run(clean_db, "finish").returncode == 0
    killed = run(killed_db, "kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    sizes = [line.split()[2:] for line in killed.stdout.splitlines() if line.startswith("file bytes")]
    before, after = map(int, sizes[0])
    assert after - before > 2_000_000, "no row group was written to the file before the commit"
    partial = consistent(killed_db)
    assert partial["reports"] == 1 and partial["claims"] == 0   # the first batch, before the kill

    finish = run(killed_db, "finish")
    assert finish.returncode == 0, finish.stderr
    assert consistent(killed_db) | {"runs": 0} == consistent(clean_db) | {"runs": 0}
    assert stored_tables(killed_db) == stored_tables(clean_db)
    runs = Store(killed_db, read_only=True).query_df("SELECT status FROM runs ORDER BY started_at")
    assert list(runs["status"]) == ["interrupted", "finished"]
