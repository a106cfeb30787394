"""`etl run` reads, extracts and describes its files in worker processes (one worker: one
process) while its own process saves (etl/process_ahead.py, issue 23): the results in
order, a bounded amount sent ahead, errors raised in the run, and no process left behind,
whether the run ends, fails, or is killed."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from etl import pipeline
from etl.process_ahead import PARENT_CHECK_S, ProcessAhead
from etl.store import Store

from worker_helpers import copy_reports, wait_for

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

pytestmark = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="the tests' work functions reach the workers by fork")


def _children() -> set[int]:
    return {p.pid for p in multiprocessing.active_children()}


def _doubled(group: list[int]) -> list[int]:
    return [2 * x for x in group]


def _noted(folder: str, group: list[int]) -> list[int]:
    Path(folder, f"{group[0]}.done").touch()
    return group


def _fails_at_seven(group: list[int]) -> list[int]:
    if 7 in group:
        raise ValueError("seven")
    return group


def _sigint_ignored(group: list[int]) -> list[bool]:
    return [signal.getsignal(signal.SIGINT) is signal.SIG_IGN for _ in group]


def test_results_come_in_order_whatever_the_groups_and_workers():
    before = _children()
    assert list(ProcessAhead(range(100), _doubled, workers=2, group=7)) == [2 * x for x in range(100)]
    assert list(ProcessAhead([], _doubled)) == []
    assert _children() <= before


def test_what_is_sent_ahead_is_bounded_by_count_and_by_weight(tmp_path):
    from functools import partial
    by_count = tmp_path / "count"
    by_count.mkdir()
    ahead = ProcessAhead(range(100), partial(_noted, str(by_count)), group=4, depth=10)
    # nothing taken yet: 4 + 4 + 4 items reach the depth of 10, and no more go out
    assert wait_for(lambda: len(list(by_count.iterdir())) == 3)
    time.sleep(0.3)
    assert len(list(by_count.iterdir())) == 3
    assert list(ahead) == list(range(100))
    by_weight = tmp_path / "weight"
    by_weight.mkdir()
    ahead = ProcessAhead(range(20), partial(_noted, str(by_weight)), group=1, weight=lambda x: 10, budget=35)
    assert wait_for(lambda: len(list(by_weight.iterdir())) == 4)      # 40 >= 35
    time.sleep(0.3)
    assert len(list(by_weight.iterdir())) == 4
    ahead.close()
    heavy = tmp_path / "heavy"
    heavy.mkdir()
    ahead = ProcessAhead(range(5), partial(_noted, str(heavy)), group=1, weight=lambda x: 100, budget=35)
    assert wait_for(lambda: len(list(heavy.iterdir())) == 1)          # one group, however heavy
    time.sleep(0.3)
    assert len(list(heavy.iterdir())) == 1
    assert list(ahead) == list(range(5))


def test_an_error_in_the_work_is_raised_after_the_results_before_it():
    before = _children()
    got = []
    with pytest.raises(ValueError, match="seven"):
        for x in ProcessAhead(range(20), _fails_at_seven, group=4):
            got.append(x)
    assert got == list(range(4))          # the group holding 7 is 4-7
    assert _children() <= before


def test_a_consumer_that_stops_early_stops_the_workers(tmp_path):
    from functools import partial
    before = _children()
    ahead = ProcessAhead(range(1000), partial(_noted, str(tmp_path)), group=1, depth=4)
    for x in ahead:
        if x == 2:
            break
    ahead.close()
    assert _children() <= before
    assert len(list(tmp_path.iterdir())) < 20


def test_workers_leave_ctrl_c_to_the_run():
    assert all(ProcessAhead(range(3), _sigint_ignored, workers=2, group=1))


def test_a_worker_ends_when_the_process_that_started_it_is_killed(tmp_path):
    pid_file = tmp_path / "worker.pid"
    script = textwrap.dedent(f"""
        import os, time
        from etl.process_ahead import ProcessAhead
        def slow(group):
            open({str(pid_file)!r} + ".tmp", "w").write(str(os.getpid()))
            os.replace({str(pid_file)!r} + ".tmp", {str(pid_file)!r})
            time.sleep(60)
            return group
        ahead = ProcessAhead(range(3), slow, group=1)
        time.sleep(60)
    """)
    starter = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        assert wait_for(pid_file.exists, timeout=30)
        worker = int(pid_file.read_text())
        starter.send_signal(signal.SIGKILL)
        starter.wait(timeout=10)

        def gone() -> bool:
            try:
                state = Path(f"/proc/{worker}/stat").read_text().split(")")[-1].split()[0]
            except OSError:
                return True
            return state in ("Z", "X")      # ended, not yet reaped by whoever adopted it
        assert wait_for(gone, timeout=4 * PARENT_CHECK_S + 5)
    finally:
        if starter.poll() is None:
            starter.kill()


@pytest.mark.parametrize("in_a_process", [True, False], ids=["process", "thread"])
def test_a_one_worker_run_stores_what_the_files_hold(in_a_process, tmp_path, monkeypatch):
    """Either way of reading (a worker process, or a thread where processes are dear)
    stores what the files hold, leaves nothing running, and a re-run finds them unchanged."""
    d = copy_reports(CORPUS[:3], tmp_path / "reports")
    (d / "empty.txt").write_bytes(b"")
    used = []
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: in_a_process)
    hook = "in_workers" if in_a_process else "ReadAhead"
    real = getattr(pipeline, hook)
    monkeypatch.setattr(pipeline, hook, lambda *a, **k: used.append(hook) or real(*a, **k))
    before = _children()
    summary = pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False)
    assert used == [hook] and _children() <= before
    assert not any(t.name == "etl-read-ahead" for t in threading.enumerate())
    assert sorted(f.status for f in summary.files) == ["new", "new", "new", "skipped"]
    direct = [pipeline.process_file(p) for p in sorted(d.glob("*.txt")) if p.stat().st_size]
    store = Store(tmp_path / "s.duckdb", read_only=True)
    n = store.query_df("SELECT count(*) AS n FROM claims").n[0]
    assert n == sum(len(r.claims) for r in direct) == summary.mentions
    again = pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False)
    assert sorted(f.status for f in again.files) == ["skipped", "unchanged", "unchanged", "unchanged"]
    assert Store(tmp_path / "s.duckdb", read_only=True).query_df("SELECT count(*) AS n FROM claims").n[0] == n


def test_the_workers_start_before_the_store_opens(tmp_path, monkeypatch):
    from etl.store.connection import Connection
    d = copy_reports(CORPUS[:1], tmp_path / "reports")
    events = []
    real_open, real_workers = Connection._hold_open, pipeline.in_workers

    def hold_open(self):
        events.append("store opened")
        real_open(self)

    def workers(files, n, **k):
        ahead = real_workers(files, n, **k)
        events.append(f"{len(multiprocessing.active_children())} worker started")
        return ahead
    monkeypatch.setattr(Connection, "_hold_open", hold_open)
    monkeypatch.setattr(pipeline, "in_workers", workers)
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: True)
    summary = pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False)
    assert events == ["1 worker started", "store opened"]
    assert summary.files_read == 1


def test_a_run_that_fails_leaves_no_worker_behind(tmp_path, monkeypatch):
    from etl.store import StoreBusy
    from etl.store.connection import Connection
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: True)
    d = copy_reports(CORPUS[:2], tmp_path / "reports")
    before = _children()

    def broken(self, *a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(Store, "save_reports", broken)
    with pytest.raises(OSError, match="disk full"):
        pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False, batch_size=1)
    assert _children() <= before
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: True)
    assert Store(tmp_path / "s.duckdb", read_only=True).query_df("SELECT status FROM runs").status.tolist() == ["failed"]

    def busy(self):
        raise StoreBusy("held by another process")
    monkeypatch.setattr(Connection, "_hold_open", busy)
    with pytest.raises(StoreBusy):
        pipeline.run([d], tmp_path / "t.duckdb", workers=1, progress=False)
    assert _children() <= before


def test_a_result_crosses_with_its_text_once_and_whole(tmp_path):
    """A worker's result reaches the writer equal to itself; a stored report's text
    travels once, as the UTF-8 its id was hashed from, not also as the text."""
    import pickle
    f = tmp_path / "r.txt"
    text = "某市去年共发放慰问金27万元，惠及1,200户。\r\n𝄞 done，再发放慰问金27万元。" * 50
    f.write_text(text, encoding="utf-8")
    res = pipeline.process_file(f, for_store=True)
    data = pickle.dumps(res)
    back = pickle.loads(data)
    assert back.report == res.report and back.report.text == text
    assert (back.path, back.claims, back.reason, back.warnings, back.failed) == \
        (res.path, res.claims, res.reason, res.warnings, res.failed)
    assert back.prepared.text_utf8 == text.encode() and back.prepared.sig == res.prepared.sig
    assert back.prepared.message == res.prepared.message
    assert data.count(text.encode()) == 1
    assert len(data) < len(pickle.dumps(res.report)) + len(pickle.dumps(res.prepared))
    # results with no stored text, or no report, cross as they are
    plain = pipeline.process_file(f)
    assert pickle.loads(pickle.dumps(plain)) == plain and plain.claims
    skipped = pipeline.Processed(str(f), reason="empty file")
    assert pickle.loads(pickle.dumps(skipped)) == skipped


def _mixed_reports(folder: Path) -> Path:
    """The sample reports (one in traditional characters), one as an HTML page with its
    own title and date, one as markdown: every kind of input describe reads."""
    folder = copy_reports(CORPUS, folder)
    body = CORPUS[1].read_text(encoding="utf-8")
    paras = "".join(f"<p>{line}</p>\n" for line in body.splitlines() if line.strip())
    (folder / "page.html").write_text(
        '<html><head><meta charset="utf-8"><title>用心用情用力书写初心答卷_旗帜网</title>'
        '<meta name="publishdate" content="2021-07-02"></head><body><article>'
        f"{paras}</article></body></html>", encoding="utf-8")
    (folder / "notes.md").write_text("# 党史学习教育工作简报\n\n" + CORPUS[2].read_text(encoding="utf-8"),
                                     encoding="utf-8")
    return folder


def _stored(db: Path) -> tuple:
    store = Store(db, read_only=True)
    reports = store.query_df("SELECT * EXCLUDE (ingested_at) FROM reports ORDER BY report_id")
    claims = store.query_df("SELECT * FROM claims ORDER BY claim_id")
    return repr(reports.to_dict("records")), repr(claims.to_dict("records"))


def test_with_one_worker_the_writer_describes_and_stores_the_same(tmp_path, monkeypatch):
    """A one-worker run's worker leaves describe to the run's own process, which is idle
    most of a run; with more workers each describes its own. Either way the store holds
    the same rows, content signatures included, as a run that reads in a thread."""
    d = _mixed_reports(tmp_path / "reports")
    where = tmp_path / "described-in"
    real = pipeline._metadata

    def noted(*a, **k):
        with open(where, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*a, **k)
    monkeypatch.setattr(pipeline, "_metadata", noted)
    stores = {}
    for name, workers, in_a_process in (("writer", 1, True), ("workers", 2, True), ("thread", 1, False)):
        monkeypatch.setattr(pipeline, "reading_in_a_process", lambda v=in_a_process: v)
        where.write_text("")
        summary = pipeline.run([d], tmp_path / f"{name}.duckdb", workers=workers, progress=False)
        assert summary.files_read == 7 and not summary.skipped
        pids = where.read_text().split()
        assert len(pids) == 7
        assert (set(pids) == {str(os.getpid())}) == (name != "workers")
        stores[name] = _stored(tmp_path / f"{name}.duckdb")
    assert stores["writer"] == stores["thread"] == stores["workers"]
    titles = Store(tmp_path / "writer.duckdb", read_only=True).query_df(
        "SELECT doc, title, published FROM reports WHERE doc = 'page.html'")
    assert titles.title[0].startswith("用心用情用力书写初心答卷") and titles.published[0] == "2021-07-02"


def test_a_report_the_writer_cannot_describe_is_reported_and_the_rest_stored(tmp_path, monkeypatch):
    # the test process has other threads (pytest-xdist's), where a one-worker run reads in a thread
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: True)
    d = copy_reports(CORPUS[:3], tmp_path / "reports")
    real = pipeline._metadata

    def broken(text, name, *a, **k):
        if name == CORPUS[1].name and os.getpid() == parent:
            raise RuntimeError("describe broke")
        return real(text, name, *a, **k)
    parent = os.getpid()
    monkeypatch.setattr(pipeline, "_metadata", broken)
    summary = pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False)
    assert [(f.path, f.status) for f in summary.files if f.status != "new"] == [(str(d / CORPUS[1].name), "skipped")]
    assert "describe broke" in dict(summary.skipped)[str(d / CORPUS[1].name)]
    store = Store(tmp_path / "s.duckdb", read_only=True)
    assert sorted(store.query_df("SELECT doc FROM reports").doc) == [CORPUS[0].name, CORPUS[2].name]
    assert store.query_df("SELECT count(*) AS n FROM claims WHERE doc = ?", [CORPUS[1].name]).n[0] == 0


def _dies_at_seven(group: list[int]) -> list[int]:
    if 7 in group:
        os._exit(3)          # as a crash in a library would: no exception, the process is gone
    return group


def test_a_worker_that_dies_loses_only_the_item_that_kills_it():
    before = _children()
    for workers in (1, 2):
        got = list(ProcessAhead(range(40), _dies_at_seven, workers=workers, group=4,
                                lost=lambda item, reason: ("lost", item, reason)))
        assert [x for x in got if not isinstance(x, tuple)] == [x for x in range(40) if x != 7]
        assert got[7][:2] == ("lost", 7) and "stopped abruptly" in got[7][2]
    assert _children() <= before
    from concurrent.futures.process import BrokenProcessPool
    with pytest.raises(BrokenProcessPool):          # nobody said what a lost item gives
        list(ProcessAhead(range(40), _dies_at_seven, group=4))
    assert _children() <= before


def test_a_file_that_kills_its_worker_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    # the test process has other threads (pytest-xdist's), where a one-worker run reads in a thread
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: True)
    d = copy_reports(CORPUS, tmp_path / "reports")
    victim = str(d / CORPUS[2].name)
    real = pipeline.read_claims_and_view

    def crashing(doc):
        if doc.path == victim:
            os._exit(11)
        return real(doc)
    monkeypatch.setattr(pipeline, "read_claims_and_view", crashing)     # the forked worker's too
    before = _children()
    summary = pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False)
    assert _children() <= before
    assert [(f.path, f.status) for f in summary.files if f.status != "new"] == [(victim, "failed")]
    assert "stopped abruptly" in dict(summary.skipped)[victim]
    store = Store(tmp_path / "s.duckdb", read_only=True)
    assert sorted(store.query_df("SELECT doc FROM reports").doc) == sorted(p.name for p in CORPUS if p != CORPUS[2])
    assert store.query_df("SELECT status FROM run_files WHERE path = ?", [victim]).status.tolist() == ["failed"]


def test_groups_sent_after_the_worker_died_are_done_again():
    """The worker dies before the consumer takes anything: what it sends next goes to a
    broken pool, and is done again too."""
    ahead = ProcessAhead(range(4, 16), _dies_at_seven, group=4, depth=4,
                         lost=lambda item, reason: ("lost", item))
    time.sleep(1.0)           # the first group (4-7) has killed its worker by now
    assert list(ahead) == [4, 5, 6, ("lost", 7)] + list(range(8, 16))
