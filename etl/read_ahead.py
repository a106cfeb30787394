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
"""
from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


@dataclass(slots=True)
class _Raised:
    exc: BaseException


class ReadAhead(Generic[T]):
    """`items` in order, produced by a thread (started at once) up to `depth` ahead.

    The thread hands items over `chunk` at a time, or fewer once the oldest has waited
    `latency` seconds (looked at as each item is made, so a slow file holds back at most
    the one made before it).
    An exception in the thread is raised in the consumer after the items made before
    it. `close()` (or the end of a `with` block) stops the thread; it waits for the item
    being made to be finished (a file being extracted), and nothing after it is made."""

    # deep enough to go on reading through the save of a whole batch (256 files; the
    # save of one takes as long as reading 30-50 files), small enough for memory
    def __init__(self, items: Iterator[T], depth: int = 64, chunk: int = 8,
                 latency: float = 0.2) -> None:
        self._chunk = max(1, min(chunk, depth))
        self._latency = latency
        self._q: queue.Queue = queue.Queue(maxsize=max(1, depth // self._chunk))
        self._ready: deque = deque()
        self._stop = threading.Event()
        self._items = items
        self._thread = threading.Thread(target=self._produce, name="etl-read-ahead", daemon=True)
        self._thread.start()

    def _put(self, item) -> bool:
        while not self._stop.is_set():     # a consumer that is gone takes nothing more
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        pending: list = []
        since = 0.0
        try:
            for item in self._items:
                if not pending:
                    since = time.monotonic()
                pending.append(item)
                if len(pending) >= self._chunk or time.monotonic() - since >= self._latency:
                    if not self._put(pending):
                        return
                    pending = []
            pending.append(_DONE)
        except BaseException as exc:   # handed to the consumer (after what came before), which raises it
            pending.append(_Raised(exc))
        self._put(pending)

    def __iter__(self) -> ReadAhead[T]:
        return self

    def __next__(self) -> T:
        if self._stop.is_set():
            raise StopIteration
        if not self._ready:
            self._ready.extend(self._q.get())
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
        self._thread.join()

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
