"""Read and extract uploaded files in a worker process, within a time budget. No streamlit.

The dashboard's process serves every reader; an upload that takes a minute and a
gigabyte (a hostile file: megabytes of figures on one line) must do that elsewhere.
`process_files` starts one process (forked from a fork server, which is safe beside the
server's threads and has the pipeline and the segmenter's dictionary loaded once:
pages/_upload_warm.py), which runs etl.pipeline.process_file on each file and sends
back each result as it is done;
the caller sees progress, and when the budget runs out the process is killed, its
memory goes back to the system, and the files not done are reported as such. Only the
results cross back; the one writer (store_files in the page's process) stores them.
"""
from __future__ import annotations

import multiprocessing
import queue
import time
from pathlib import Path
from typing import Callable

from etl.pipeline import Processed, process_file

_POLL_S = 0.25      # how often the page's progress is refreshed while waiting


def _work(paths: list[str], max_mb: float, out) -> None:
    """The worker: one result per file, in order, each sent as soon as it is done."""
    for i, p in enumerate(paths):
        out.put((i, process_file(p, max_mb=max_mb, for_store=True)))
    out.put((-1, None))


def process_files(paths: list[Path], *, max_mb: float, budget_s: float,
                  on_progress: Callable[[int, int], None] | None = None) -> dict[str, Processed]:
    """path -> Processed for each file done within `budget_s` seconds (files not done
    in time are missing from the answer; the worker is stopped)."""
    names = [str(p) for p in paths]
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pages._upload_warm"])    # read when the server first starts
    results = ctx.Queue()
    proc = ctx.Process(target=_work, args=(names, max_mb, results), daemon=True,
                       name="report-figures-upload")
    proc.start()
    deadline = time.monotonic() + budget_s
    done: dict[str, Processed] = {}
    try:
        while len(done) < len(names):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                i, res = results.get(timeout=min(_POLL_S, left))
            except queue.Empty:
                if not proc.is_alive() and results.empty():
                    break       # the worker died (out of memory, killed): the rest failed
                continue
            if i < 0:
                break
            done[names[i]] = res
            if on_progress is not None:
                on_progress(len(done), len(names))
    finally:
        if proc.is_alive():
            proc.join(timeout=0.5 if len(done) == len(names) else 0)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
        results.close()
    return done
