"""An iterator filled by a thread of its own, a few items ahead of its consumer.

`etl run` with one worker reads, extracts and describes files (Python, which holds the
GIL) in this thread while the writer's DuckDB statements run in the caller's (DuckDB
lets go of the GIL while it opens the file, inserts, commits and checkpoints), so on a
machine with a second core the save no longer adds to the wall time, and the first
file is read while the store opens.
"""
from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Generic, Iterator, TypeVar

T = TypeVar("T")
_DONE = object()


@dataclass(slots=True)
class _Raised:
    exc: BaseException


class ReadAhead(Generic[T]):
    """`items` in order, produced by a thread (started at once) up to `depth` ahead.

    An exception in the thread is raised in the consumer. `close()` (or the end of a
    `with` block) stops the thread; it waits for the item being made to be finished
    (a file being extracted), and nothing after it is made."""

    # deep enough to go on reading through the save of a whole batch (256 files; the
    # save of one takes as long as reading 30-50 files), small enough for memory
    def __init__(self, items: Iterator[T], depth: int = 64) -> None:
        self._q: queue.Queue = queue.Queue(maxsize=depth)
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
        try:
            for item in self._items:
                if not self._put(item):
                    return
            self._put(_DONE)
        except BaseException as exc:   # handed to the consumer, which raises it
            self._put(_Raised(exc))

    def __iter__(self) -> ReadAhead[T]:
        return self

    def __next__(self) -> T:
        if self._stop.is_set():
            raise StopIteration
        item = self._q.get()
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
