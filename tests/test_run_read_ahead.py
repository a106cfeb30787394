"""With one worker, where worker processes are dear (`pipeline.reading_in_a_process`),
`etl run` reads and extracts the next files in a thread of their own while the store
saves the last ones (etl/read_ahead.py, issue 23): same results, same order, errors still
raised, and nothing left running when the run stops early. The runs here take that path
whatever the platform; tests/test_run_process_ahead.py has the process's (and a run that
stores what the files hold, either way)."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from etl import pipeline
from etl.read_ahead import ReadAhead
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def _threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name == "etl-read-ahead"}


@pytest.fixture
def in_a_thread(monkeypatch):
    monkeypatch.setattr(pipeline, "reading_in_a_process", lambda: False)


def test_order_and_every_item_kept():
    assert list(ReadAhead(iter(range(100)), depth=3)) == list(range(100))
    assert list(ReadAhead(iter([]))) == []
    assert not _threads()


def test_items_cross_in_chunks_in_order():
    """The consumer is woken once a chunk, not once an item (the end is the last chunk's)."""
    gen = ReadAhead(iter(range(100)), depth=16, chunk=8)
    gets = []
    real_get = gen._q.get
    gen._q.get = lambda: gets.append(1) or real_get()
    assert list(gen) == list(range(100))
    assert len(gets) == 13 and not _threads()      # 100 items and the end, 8 a chunk


def test_a_slow_next_item_does_not_hold_back_the_ones_made():
    """Past `latency`, a part chunk is handed over: the consumer sees 0 and 1 while the
    producer still waits (for the consumer) to make 2."""
    seen = threading.Event()

    def items():
        yield 0
        time.sleep(0.05)
        yield 1
        assert seen.wait(5), "the first items were held back in their chunk"
        yield 2
    got = []
    for x in ReadAhead(items(), chunk=8, latency=0.01):
        got.append(x)
        if x == 1:
            seen.set()
    assert got == [0, 1, 2] and not _threads()


def test_an_error_in_the_producer_is_raised_in_the_consumer():
    def items():
        yield 1
        raise RuntimeError("broken producer")
    got = []
    with pytest.raises(RuntimeError, match="broken producer"):
        for x in ReadAhead(items()):
            got.append(x)
    assert got == [1] and not _threads()


def test_a_consumer_that_stops_early_stops_the_producer():
    made = []

    def items():
        for i in range(10_000):
            made.append(i)
            yield i
    gen = ReadAhead(items(), depth=2)
    assert next(gen) == 0
    gen.close()            # what a failing save does to the run's loop
    assert not _threads()
    n = len(made)
    time.sleep(0.05)
    assert len(made) == n < 10     # no more items are made once the consumer is gone


def test_the_read_ahead_is_bounded_by_what_its_items_weigh():
    """Past `budget` of weight held, the producer waits; one item however heavy."""
    def run(weight: int) -> tuple[int, list[int]]:
        made = []

        def items():
            for i in range(1000):
                made.append(i)
                yield i
        gen = ReadAhead(items(), depth=100, chunk=1, weight=lambda x: weight, budget=35)
        assert next(gen) == 0
        time.sleep(0.2)
        n = len(made)
        return n, [0, *gen]
    n, got = run(10)
    assert n == 5 and got == list(range(1000))      # 0 taken, 1-4 held: 40 >= 35
    n, got = run(100)
    assert n == 2 and got == list(range(1000))      # 0 taken, 1 held, however heavy
    assert not _threads()


def test_an_empty_folder_is_a_finished_run_with_nothing_in_it(in_a_thread, tmp_path):
    d = tmp_path / "nothing"
    d.mkdir()
    db = tmp_path / "s.duckdb"
    summary = pipeline.run([d], db, workers=1, progress=False)
    assert (summary.files_seen, summary.files_read, summary.claims, summary.files) == (0, 0, 0, [])
    store = Store(db, read_only=True)
    assert store.query_df("SELECT status FROM runs").status.tolist() == ["finished"]
    assert store.query_df("SELECT count(*) AS n FROM claims").n[0] == 0
    assert not _threads()


def test_a_save_that_fails_stops_the_reading_thread(in_a_thread, tmp_path, monkeypatch):
    d = tmp_path / "reports"
    d.mkdir()
    for i, p in enumerate(CORPUS[:2] * 3):
        (d / f"{i}.txt").write_bytes(p.read_bytes())

    def broken(self, *a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(Store, "save_reports", broken)
    with pytest.raises(OSError, match="disk full"):
        pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False, batch_size=1)
    assert not _threads()
    monkeypatch.undo()
    store = Store(tmp_path / "s.duckdb", read_only=True)
    assert store.query_df("SELECT status FROM runs").status.tolist() == ["failed"]


def test_the_reading_thread_starts_before_the_store_opens(in_a_thread, tmp_path, monkeypatch):
    """The first files are read while the store opens and makes its schema (a few
    statements, which let go of the GIL): the reading thread no longer waits for them
    (bench/RESULTS.md, writer33)."""
    from etl.store.connection import Connection
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_bytes(CORPUS[0].read_bytes())
    events = []
    real_open, real_reader = Connection._hold_open, pipeline.ReadAhead

    def hold_open(self):
        events.append("store opened")
        real_open(self)

    def reader(items, **k):
        events.append("thread started")
        return real_reader(items, **k)
    monkeypatch.setattr(Connection, "_hold_open", hold_open)
    monkeypatch.setattr(pipeline, "ReadAhead", reader)
    summary = pipeline.run([d], tmp_path / "s.duckdb", workers=1, progress=False)
    assert events == ["thread started", "store opened"]
    assert Store(tmp_path / "s.duckdb", read_only=True).query_df("SELECT count(*) AS n FROM reports").n[0] == 1
    assert summary.files_read == 1 and not _threads()


def test_a_store_that_cannot_open_stops_the_reading_thread(in_a_thread, tmp_path, monkeypatch):
    """The thread started before the store opened is stopped when it does not open
    (busy, say): the error is the store's, and nothing is left running."""
    from etl.store import StoreBusy
    from etl.store.connection import Connection

    def busy(self):
        raise StoreBusy("held by another process")
    monkeypatch.setattr(Connection, "_hold_open", busy)
    with pytest.raises(StoreBusy):
        pipeline.run(CORPUS[:3], tmp_path / "s.duckdb", workers=1, progress=False)
    assert not _threads()
