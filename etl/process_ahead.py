"""Work done on a few items at a time in worker processes, a bounded amount ahead of its
consumer, the results handed out in order.

`etl run` saves in one process (the one writer) while files are read and extracted in
others (etl/pipeline.py, `in_workers`). With one worker that work used to run in a
thread of the writer's process (etl/read_ahead.py), and every DuckDB statement of the
writer had to take the GIL back from it several times (a check for signals between the
statement's tasks; a statement waited 15-60 ms for that beside an extracting thread,
against 0.2 ms alone): the save of a whole row group took 1.0-1.3 s of wall for 0.45 s
of CPU and ran on past the last file read (bench/RESULTS.md, proc35). In a process of
its own the work never holds the writer's GIL.

The work goes out in groups (`group` items a task: a worker takes its files through
each stage in turn, etl/pipeline.py) and at most `depth` items and `budget` of their
`weight` (a run: the files' bytes) are sent out and not yet handed to the consumer, so
that a slow save holds a bounded amount of results (at least one group, however
heavy). A worker process ignores Ctrl-C (the consumer's process stops the pool), and
ends itself when the process that started it is gone (killed: nothing would take its
results). A worker that dies costs only the item that kills it (`lost`).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Callable, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# how often a worker looks whether the process that started it is still there
PARENT_CHECK_S = 1.0


def start_method() -> str:
    """How the workers are started: the platform's default, except that on Linux a
    process with no other thread forks them even where the default is a fork server
    (Python 3.14 and later). A fork takes milliseconds and the workers share this
    process's modules and loaded dictionary; the default changed because a fork copies
    only the calling thread, so a lock another thread held stays held in the child, and
    with no other thread there is none. macOS keeps its default (spawn): its system
    libraries are not safe across a fork."""
    default = multiprocessing.get_start_method()
    if default != "fork" and sys.platform.startswith("linux") and one_thread():
        return "fork"
    return default


def one_thread() -> bool:
    """Whether this process runs one thread, its libraries' own threads counted (DuckDB's);
    False where that cannot be seen (no /proc)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class ProcessAhead(Generic[T, R]):
    """`work(group)` for consecutive groups of `items`, in `workers` processes (started
    at once, so a caller can open its own resources while they begin), the results of
    each group handed out in order. `initializer` runs once in each worker. An exception
    raised by `work` is raised in the consumer, after the results before it; `close()`
    (or the end of a `with` block) cancels the groups not yet begun and waits for the
    workers to finish the ones they are on.

    A worker that dies (a crash in a library, killed for its memory) takes the groups in
    flight with it. With `lost`, the work goes on in fresh workers: the group being waited
    for is done again an item at a time, so that only the item that kills its worker
    again is given up, as `lost(item, reason)`; the groups after it are sent again whole.
    Without, BrokenProcessPool is raised."""

    def __init__(self, items: Iterable[T], work: Callable[[list[T]], list[R]], *, workers: int = 1,
                 group: int = 16, depth: int = 1024, weight: Callable[[T], int] | None = None,
                 budget: int = 0, initializer: Callable[[], None] | None = None,
                 lost: Callable[[T, str], R] | None = None) -> None:
        self._items: Iterator[T] | None = iter(items)
        self._work = work
        self._group = max(1, group)
        self._depth = max(1, depth)
        self._weight = weight
        self._budget = budget if weight is not None else 0
        self._lost = lost
        self._sent: deque[tuple[Future, list[T], int]] = deque()   # (task, its items, their weight)
        self._held_items = self._held_weight = 0
        self._workers = max(1, workers)
        self._initializer = initializer
        self._pool = self._new_pool()
        try:
            self._send()
        except BaseException:
            self.close()
            raise

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context(start_method()),
                                   initializer=_worker_start, initargs=(os.getpid(), self._initializer))

    def _room(self) -> bool:
        return not self._sent or (self._held_items < self._depth
                                  and (self._budget <= 0 or self._held_weight < self._budget))

    def _send(self) -> None:
        """Send out groups while there is room (and items)."""
        while self._items is not None and self._room():
            chunk = list(islice(self._items, self._group))
            if not chunk:
                self._items = None
                return
            weight = sum(map(self._weight, chunk)) if self._budget else 0
            self._sent.append((self._submit(chunk), chunk, weight))
            self._held_items += len(chunk)
            self._held_weight += weight

    def _submit(self, chunk: list[T]) -> Future:
        try:
            return self._pool.submit(self._work, chunk)
        except BrokenProcessPool:
            if self._lost is None:
                raise
            # a worker died since the last look: this group is done again with the others
            task: Future = Future()
            task.set_exception(BrokenProcessPool("a worker died before this group was sent"))
            return task

    def __iter__(self) -> Iterator[R]:
        try:
            while self._sent:
                task, chunk, weight = self._sent.popleft()
                self._held_items -= len(chunk)
                self._held_weight -= weight
                self._send()            # before waiting: the workers go on meanwhile
                try:
                    done = task.result()
                except BrokenProcessPool:
                    if self._lost is None:
                        raise
                    done = self._after_a_crash(chunk)
                yield from done
        finally:
            self.close()

    def _after_a_crash(self, chunk: list[T]) -> list[R]:
        """`chunk`'s results, its worker (or another) having died: a fresh pool does it an
        item at a time, then takes the groups sent after it again."""
        self._replace_pool()
        done: list[R] = []
        for item in chunk:
            try:
                done.extend(self._pool.submit(self._work, [item]).result())
            except BrokenProcessPool:
                done.append(self._lost(item, "its worker process stopped abruptly (it crashed or was "
                                             "killed), also when it was done alone"))
                self._replace_pool()
        self._sent = deque((self._submit(items), items, weight)
                           for _, items, weight in self._sent)
        return done

    def _replace_pool(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._new_pool()

    def close(self) -> None:
        self._items = None
        self._sent.clear()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessAhead[T, R]:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _worker_start(parent: int, initializer: Callable[[], None] | None) -> None:
    # Ctrl-C reaches the whole process group: the consumer's process stops the pool,
    # and a worker that raised KeyboardInterrupt too would only print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with_parent, args=(parent,), daemon=True, name="etl-parent-watch").start()
    if initializer is not None:
        initializer()


def _end_with_parent(parent: int) -> None:
    """A worker whose starter was killed would wait for work forever (it holds the task
    queue's other end itself). Where workers are forked or spawned, the starter is their
    parent, and a worker is adopted when it dies. Where they come from a fork server
    (Linux's default from Python 3.14) the server is their parent, and it stays while
    its children do: so the starter itself is looked for too (watching for the starter
    as parent ended every such worker at its start)."""
    first = os.getppid()
    while os.getppid() == first and _alive(parent):
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True         # Windows: os.kill(pid, 0) would end the process, not look for it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True         # a process of another user took the number: not ours to judge
    return True
