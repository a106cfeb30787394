"""An iterator filled by a thread of its own, a few items ahead of its consumer.

`etl run` with one worker reads, extracts and describes files (Python, which holds the
GIL) in this thread while the writer's DuckDB statements run in the caller's (DuckDB
lets go of the GIL while it opens the file, inserts, commits and checkpoints), so on a
machine with a second core the save no longer adds to the wall time, and the first
file is read while the store opens.

Items cross in chunks: the consumer mostly waits for the producer, and a queue handing
over one item at a time wakes it (a lock, a thread switch, the GIL taken back) once per
file. That was 0.03-0.04 s of CPU per 300 bench files between the two threads, for a
consumer that does nothing with a file until its batch is saved (bench/RESULTS.md, run28).

How far ahead is bounded by what the items weigh (a run: the characters of the files'
text), not only by their count: the save of a whole row group of claims (~600 bench
files) takes as long as reading 150-250 files, and a count deep enough for that would
hold gigabytes of 20 MB files (bench/RESULTS.md, end31).
"""
from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Generic, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


@dataclass(slots=True)
class _Raised:
    exc: BaseException


class ReadAhead(Generic[T]):
    """`items` in order, produced by a thread (started at once) up to `depth` items and
    `budget` of their `weight` ahead (at least one item, however heavy).

    The thread hands items over `chunk` at a time, or fewer once the oldest has waited
    `latency` seconds (looked at as each item is made, so a slow file holds back at most
    the one made before it), or when it must wait for room (so the consumer is never
    left waiting for items the producer holds back).
    An exception in the thread is raised in the consumer after the items made before
    it. `close()` (or the end of a `with` block) stops the thread; it waits for the item
    being made to be finished (a file being extracted), and nothing after it is made."""

    def __init__(self, items: Iterator[T], depth: int = 64, chunk: int = 8,
                 latency: float = 0.2, weight: Callable[[T], int] | None = None,
                 budget: int = 0) -> None:
        self._depth = max(1, depth)
        self._chunk = max(1, min(chunk, self._depth))
        self._latency = latency
        self._weight = weight
        self._budget = budget if weight is not None else 0
        # chunks handed over: (items, how many, their weight); the room is counted below
        self._q: queue.Queue = queue.Queue()
        self._room = threading.Condition()
        self._held_items = 0                  # handed over and not yet taken by the consumer
        self._held_weight = 0
        self._ready: deque = deque()
        self._stop = threading.Event()
        self._items = items
        self._thread = threading.Thread(target=self._produce, name="etl-read-ahead", daemon=True)
        self._thread.start()

    def _full(self, n: int = 0, weight: int = 0) -> bool:
        """No room for more, with `n` items of `weight` made and not yet handed over?"""
        return self._held_items + n >= self._depth or (
            self._budget > 0 and self._held_weight + weight >= self._budget)

    def _wait_for_room(self) -> bool:
        """Block until the consumer has taken enough; False once it is gone."""
        with self._room:
            while self._full() and not self._stop.is_set():
                self._room.wait(0.1)
        return not self._stop.is_set()

    def _put(self, chunk: list, n: int, weight: int) -> None:
        with self._room:
            self._held_items += n
            self._held_weight += weight
        self._q.put((chunk, n, weight))

    def _produce(self) -> None:
        pending: list = []
        weight = 0                       # of the pending items
        since = 0.0
        try:
            items = iter(self._items)
            while True:
                if self._stop.is_set():        # a consumer that is gone takes nothing more
                    return
                # read without the lock: the consumer only makes room, so a stale figure
                # errs towards waiting, and the wait looks again under the lock
                if self._full(len(pending), weight):
                    if pending:          # hand over what is made before waiting for room
                        self._put(pending, len(pending), weight)
                        pending, weight = [], 0
                    if not self._wait_for_room():
                        return
                item = next(items, _DONE)
                if item is _DONE:
                    break
                if not pending:
                    since = time.monotonic()
                pending.append(item)
                weight += self._weight(item) if self._weight is not None else 0
                if len(pending) >= self._chunk or time.monotonic() - since >= self._latency:
                    self._put(pending, len(pending), weight)
                    pending, weight = [], 0
            self._put(pending + [_DONE], len(pending), weight)
        except BaseException as exc:   # handed to the consumer (after what came before), which raises it
            self._put(pending + [_Raised(exc)], len(pending), weight)

    def __iter__(self) -> ReadAhead[T]:
        return self

    def __next__(self) -> T:
        if self._stop.is_set():
            raise StopIteration
        if not self._ready:
            chunk, n, weight = self._q.get()
            self._ready.extend(chunk)
            with self._room:
                self._held_items -= n
                self._held_weight -= weight
                self._room.notify()
        item = self._ready.popleft()
        if item is _DONE:
            self.close()
            raise StopIteration
        if isinstance(item, _Raised):
            self.close()
            raise item.exc
        return item

    def close(self) -> None:
        self._stop.set()
        with self._room:
            self._room.notify()
        self._thread.join()

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
