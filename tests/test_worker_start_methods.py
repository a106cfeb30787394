"""How the workers of etl/process_ahead.py are started: forked, from a fork server
(Linux's default from Python 3.14) or spawned (macOS, Windows). Each way they do the
same work and end with the process that started them; `start_method` forks where that
is safe whatever the default. These tests run the work in fresh processes, so they need
no fork of the test process (tests/test_run_process_ahead.py does)."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from etl.cli import main as cli_main
from etl.process_ahead import PARENT_CHECK_S
from etl.store import Store

from worker_helpers import copy_reports, wait_for

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().split(")")[-1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p} - found
        found |= kids
        todo.extend(kids)
    return found


def _ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")      # ended, not yet reaped by whoever adopted it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_workers_end_with_their_starter_however_they_were_started(method):
    # forkserver is Linux's default from Python 3.14: a worker's parent is then the fork
    # server, not the starter (a watch on the parent alone ended every worker at once)
    script = textwrap.dedent(f"""
        import multiprocessing, threading, time
        multiprocessing.set_start_method({method!r})
        from etl.process_ahead import ProcessAhead
        if __name__ == "__main__":
            # a thread of its own: the workers are started the default way (start_method)
            threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
            ahead = iter(ProcessAhead(range(6), list, workers=2, group=1))
            assert [next(ahead) for _ in range(6)] == list(range(6))
            print("ready", flush=True)
            time.sleep(60)
    """)
    starter = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert starter.stdout.readline().strip() == "ready"
        time.sleep(2 * PARENT_CHECK_S)          # the workers outlive a few of their checks
        left = _descendants(starter.pid)
        assert left and not any(map(_ended, left))
        starter.send_signal(signal.SIGKILL)
        starter.wait(timeout=10)
        assert wait_for(lambda: all(map(_ended, left)), timeout=4 * PARENT_CHECK_S + 5)
    finally:
        if starter.poll() is None:
            starter.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_a_process_with_one_thread_forks_its_workers_whatever_the_default():
    # Python 3.14 makes a fork server Linux's default: with no other thread, a fork is
    # safe and the workers share this process's modules and dictionary
    code = textwrap.dedent("""
        import multiprocessing, threading, time
        multiprocessing.set_start_method("forkserver")
        from etl.process_ahead import start_method
        print(start_method())
        threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
        print(start_method())
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["fork", "forkserver"], done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_a_process_with_other_threads_reads_one_workers_files_in_a_thread(tmp_path):
    # the dashboard's server storing an upload: a fork could leave its child waiting on a
    # lock one of the server's threads held (Python 3.12+ warns of it)
    code = textwrap.dedent("""
        import sys, threading, time
        from etl import pipeline
        print(pipeline.reading_in_a_process())
        threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
        print(pipeline.reading_in_a_process())
        def no_process(*a, **k):
            raise AssertionError("a worker process was started")
        pipeline.in_workers = no_process
        summary = pipeline.run([sys.argv[1]], sys.argv[2], workers=1, progress=False)
        print(summary.files_read)
    """)
    d = copy_reports(CORPUS, tmp_path / "reports")
    done = subprocess.run([sys.executable, "-c", code, str(d), str(tmp_path / "s.duckdb")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.stdout.split() == ["True", "False", str(len(CORPUS))], done.stderr


@pytest.mark.parametrize("method", ["forkserver", "spawn"])
def test_workers_not_forked_write_what_forked_ones_write(tmp_path, method):
    # etl extract and etl run with two workers where workers come from a fork server
    # (Linux from Python 3.14) or are spawned (macOS, Windows)
    def command(args: list[str]) -> subprocess.CompletedProcess:
        code = (f"import multiprocessing, sys, threading, time\n"
                f"multiprocessing.set_start_method({method!r})\n"
                # a thread of its own: the workers are started the default way (start_method)
                f"threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
                f"from etl.cli import main\nsys.exit(main({args!r}))")
        return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
    d = copy_reports(CORPUS, tmp_path / "reports")
    forked = tmp_path / "forked.jsonl"
    assert cli_main(["extract", str(d), "-o", str(forked)]) == 0
    out = tmp_path / f"{method}.jsonl"
    done = command(["extract", str(d), "-o", str(out), "--workers", "2"])
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert out.read_bytes() == forked.read_bytes()
    done = command(["run", str(d), "--db", str(tmp_path / "s.duckdb"), "--workers", "2", "--no-progress"])
    assert done.returncode == 0, done.stderr
    store = Store(tmp_path / "s.duckdb", read_only=True)
    assert sorted(store.query_df("SELECT doc FROM reports").doc) == sorted(p.name for p in CORPUS)
    lines = forked.read_text(encoding="utf-8")
    got = store.query_df("SELECT count(*) AS n, count(*) FILTER (WHERE is_claim) AS c FROM claims")
    assert (got.n[0], got.c[0]) == (lines.count("\n"), lines.count('"is_claim": true'))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_a_one_worker_run_forks_its_reader_from_one_thread_under_a_fork_server(tmp_path):
    # `etl run` as a whole command starts its reading worker before the store opens; with
    # pyarrow loaded and nothing else running it is one thread then (etl/arrow_memory.py),
    # so it forks the worker even where a fork server is the default (Python 3.14), and
    # Python 3.12+ has no "multi-threaded ... fork()" warning to give
    code = textwrap.dedent("""
        import multiprocessing, os, runpy, sys
        multiprocessing.set_start_method("forkserver")
        import etl.process_ahead as ahead
        new_pool = ahead.ProcessAhead._new_pool
        def said(self):
            print("workers", ahead.start_method(), len(os.listdir("/proc/self/task")), flush=True)
            return new_pool(self)
        ahead.ProcessAhead._new_pool = said
        sys.argv = ["etl"] + sys.argv[1:]
        runpy.run_module("etl", run_name="__main__")
    """)
    d = copy_reports(CORPUS, tmp_path / "reports")
    done = subprocess.run([sys.executable, "-W", "default::DeprecationWarning", "-c", code, "run", str(d),
                           "--db", str(tmp_path / "s.duckdb"), "--workers", "1", "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "workers fork 1"
    assert "multi-threaded" not in done.stderr
    store = Store(tmp_path / "s.duckdb", read_only=True)
    assert store.query_df("SELECT count(*) AS n FROM reports").n[0] == len(CORPUS)
