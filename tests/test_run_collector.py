"""The cycle collector in `etl run`: paused for the run, run between batches only once
the objects made since it last ran pass `pipeline.COLLECT_AFTER`, and once at the end in
a thread of its own beside the closing checkpoint, so that the collector, started again,
does not begin with the whole run's objects (bench/RESULTS.md, writer33)."""
from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from etl import pipeline

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


@pytest.fixture
def collections():
    """(generation, thread name) of every collection made while the collector is paused
    (the run's own: automatic ones happen only while it runs)."""
    seen: list[tuple[int, str]] = []

    def note(phase, info):
        if phase == "start" and not gc.isenabled():
            seen.append((info["generation"], threading.current_thread().name))
    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def test_one_collection_beside_the_close(tmp_path, collections):
    assert gc.isenabled()
    summary = pipeline.run(CORPUS, tmp_path / "s.duckdb", workers=1, progress=False, batch_size=2)
    assert summary.files_read == len(CORPUS) >= 5
    assert collections == [(1, "etl-collect")]     # not after each of the batches
    assert gc.isenabled() and gc.get_count()[0] < 700
    assert not [t for t in threading.enumerate() if t.name == "etl-collect"]


def test_past_collect_after_a_batch_collects(tmp_path, collections, monkeypatch):
    monkeypatch.setattr(pipeline, "COLLECT_AFTER", 0)
    pipeline.run(CORPUS, tmp_path / "s.duckdb", workers=1, progress=False, batch_size=2)
    assert collections.count((1, "MainThread")) >= 3    # batches of 2 files, 3 of them
    assert collections[-1] == (1, "etl-collect")


def test_a_caller_that_paused_the_collector_keeps_it_paused(tmp_path, collections):
    gc.disable()
    try:
        pipeline.run(CORPUS, tmp_path / "s.duckdb", workers=1, progress=False, batch_size=2)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert collections == []
