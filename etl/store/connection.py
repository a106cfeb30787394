"""Connections to the store file: DuckDB's locking, transactions, and a held writer.

Why it looks the way it does:

* **Short-lived connections.** DuckDB lets ONE process open a file read-write, or MANY
  processes open it read-only, never both at once. The dashboard is a separate process
  and must stay usable while ``etl run`` writes, so neither side keeps a connection:
  `reading()` / `writing()` open, yield, close. On a lock conflict they retry with
  backoff for up to ``lock_timeout`` seconds, then raise `StoreBusy`. A reader that is
  waiting leaves a small marker file next to the database (``<db>.wait-<pid>-<tid>``);
  a long write checks for markers between reports and steps aside for a moment, so it
  does not starve the dashboard. ``":memory:"`` keeps one connection for the object's
  life (tests).
* **A held writer for a run** (`holding`): reopening per batch checkpointed the file
  each time; one held connection checkpoints per 256 MB of log and at the end. A run
  opens the file once: its schema (`migrate_on_hold`), its log and its reports all go
  over that connection.
* **One transaction per report.** A killed process loses at most the transaction in
  flight; DuckDB's WAL holds only committed transactions and is replayed on open.
* **Parameterised SQL only** for values. Identifiers in generated SQL come from the
  record definitions and fixed whitelists, never from callers. File paths in
  ``COPY ... TO`` cannot be bound parameters, so `sql_path` quotes them (see there).
"""
from __future__ import annotations

import glob
import os
import random
import re
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa

from . import schema

DEFAULT_PATH = "data/figures.duckdb"


class StoreBusy(RuntimeError):
    """Another process holds a conflicting lock on the store file for longer than
    ``lock_timeout`` (DuckDB: one read-write process OR many read-only ones)."""


def is_lock_error(exc: BaseException) -> bool:
    msg = str(exc)
    return "Could not set lock" in msg or "Conflicting lock" in msg


def _is_config_clash(exc: BaseException) -> bool:
    # Same process already has this file open with the other read_only setting.
    return "different configuration" in str(exc)


def sql_path(path: str | Path) -> str:
    """A file path as a single-quoted SQL string literal, for ``COPY ... TO``.

    Why not a bound parameter: DuckDB's COPY takes its target as part of the statement,
    not as an expression, so ``COPY t TO ?`` is rejected. The path is therefore made
    absolute, checked for characters that have no business in it (NUL, newlines), and
    embedded with single quotes doubled, which is the only escape a standard SQL string
    literal has (DuckDB does not treat backslashes specially in '...').
    """
    s = str(Path(path).resolve())
    if any(ch in s for ch in ("\x00", "\n", "\r")):
        raise ValueError(f"refusing export path with control characters: {s!r}")
    return "'" + s.replace("'", "''") + "'"


def norm_path(path: str | Path) -> str:
    return os.path.normpath(str(path))


@contextmanager
def registered(con, data: pa.Table) -> Iterator[str]:
    """An Arrow table visible to SQL on `con` under a fresh name, for one statement's use."""
    view = f"_bulk_{uuid.uuid4().hex[:12]}"
    con.register(view, data)
    try:
        yield view
    finally:
        con.unregister(view)


def insert_arrow(con, table_name: str, cols: list[str], data: pa.Table,
                 verb: str = "INSERT INTO", computed: dict[str, str] | None = None) -> None:
    """Rows of an Arrow table into a table as one scan (row-wise executemany is slow).
    `computed`: columns not in `data`, each made by an SQL expression over its columns."""
    computed = computed or {}
    names = ", ".join(schema.ident(c) for c in cols)
    values = ", ".join(computed[c] if c in computed else schema.ident(c) for c in cols)
    with registered(con, data) as view:
        con.execute(f"{verb} {schema.ident(table_name)} ({names}) SELECT {values} FROM {view}")


class Connection:
    """Opens the store file for reading or writing; the base of `Store`'s parts."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False,
                 lock_timeout: float = 30.0, migrate_on_hold: bool = False) -> None:
        """migrate_on_hold: create or migrate the schema on the connection `holding()`
        opens, not on one of its own now (a run opens the file once, not twice)."""
        self.memory = str(path) == ":memory:"
        self.path: str | Path = ":memory:" if self.memory else Path(path)
        self.read_only = read_only and not self.memory
        self.lock_timeout = float(lock_timeout)
        self._local = threading.local()      # per-thread open connection + tx depth
        self._mem_lock = threading.RLock()
        self._mem_con: duckdb.DuckDBPyConnection | None = None
        if self.memory:
            self._mem_con = duckdb.connect(":memory:")
        self._migrate_pending = False
        if not self.read_only:
            if not self.memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            if migrate_on_hold and not self.memory:
                self._migrate_pending = True
            else:
                self.init()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, read_only={self.read_only})"

    def close(self) -> None:
        """Only meaningful for ':memory:' (file stores hold no connection)."""
        if self._mem_con is not None:
            self._mem_con.close()
            self._mem_con = None


    def _open(self, write: bool) -> duckdb.DuckDBPyConnection:
        """Open a connection, retrying lock conflicts with backoff up to lock_timeout."""
        path = str(self.path)
        if not write and not self.path.exists():
            raise FileNotFoundError(f"store {path} does not exist yet; build it with "
                                    f"`python -m etl run` first")
        deadline = time.monotonic() + self.lock_timeout
        delay, marker, last = 0.005, None, None
        read_only = not write
        try:
            while True:
                try:
                    return duckdb.connect(path, read_only=read_only)
                except duckdb.IOException as e:
                    if not is_lock_error(e):
                        raise
                    last = e
                except duckdb.ConnectionException as e:
                    if not _is_config_clash(e):
                        raise
                    last = e
                    if read_only and not write:
                        # This process already has the file open read-write (another Store
                        # object, or a thread that is writing): join that instance at once.
                        read_only = False
                        continue
                    # else a read-only connection of this process is open: wait for it
                read_only = not write
                now = time.monotonic()
                if now >= deadline:
                    holder = re.search(r"PID (\d+)", str(last))
                    who = (f"process {holder.group(1)}" if holder else
                           "a read-only connection in this same process"
                           if isinstance(last, duckdb.ConnectionException) else "another process")
                    raise StoreBusy(
                        f"store {path} is busy: {who} holds a "
                        f"conflicting lock (DuckDB allows one writer or many readers). "
                        f"Gave up after {self.lock_timeout:.1f} s waiting to "
                        f"{'write' if write else 'read'}; if `etl run` is writing, try again "
                        f"when it finishes. DuckDB said: {str(last).splitlines()[0]}") from last
                if not write:
                    marker = self._announce_waiting_reader(marker)
                time.sleep(min(delay * (0.5 + random.random()), max(0.0, deadline - now)))
                delay = min(delay * 2, 0.05)
        finally:
            if marker:
                try:
                    os.unlink(marker)
                except OSError:
                    pass

    def _announce_waiting_reader(self, marker: str | None) -> str:
        marker = marker or f"{self.path}.wait-{os.getpid()}-{threading.get_ident()}"
        try:
            Path(marker).touch()
        except OSError:
            pass
        return marker

    def readers_waiting(self) -> bool:
        """True if some reader touched its wait marker within the last 2 seconds."""
        if self.memory:
            return False
        now = time.time()
        for m in glob.glob(glob.escape(str(self.path)) + ".wait-*"):
            try:
                if now - os.path.getmtime(m) < 2.0:
                    return True
            except OSError:
                continue
        return False

    @contextmanager
    def _connection(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        if write and self.read_only:
            raise RuntimeError(f"{self!r} is read-only; open Store(path) to write")
        if self.memory:
            with self._mem_lock:
                yield self._mem_con
            return
        active = getattr(self._local, "con", None)
        if active is not None:                  # nested: reuse this thread's connection
            if write and not self._local.writable:
                raise RuntimeError("cannot write inside reading(); use writing() outside it")
            yield active
            return
        con = self._open(write)
        self._local.con, self._local.writable, self._local.tx = con, write, 0
        try:
            yield con
        finally:
            self._local.con = None
            con.close()

    @contextmanager
    def _session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection WITHOUT a transaction, for several `save_report(con=)`
        calls that each commit on their own. Keep it short: it blocks readers."""
        with self._connection(write=True) as con:
            yield con

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Keep one read-write connection on this thread across many saves (a run).

        Closing the last connection to a DuckDB file checkpoints it, and so does a
        write-ahead log past 16 MB; both rewrite the indexes, so a run that reopened
        the file per batch spent more time checkpointing than extracting. A held
        connection checkpoints per 256 MB of log and at the end, and steps aside
        (closes, lets the waiting readers in, reopens) whenever a reader is waiting:
        see step_aside_if_readers, which the saves call between reports."""
        if self.memory or getattr(self._local, "con", None) is not None:
            yield          # memory stores and nested use: nothing to hold
            return
        self._hold_open()
        try:
            if self._migrate_pending:
                self.init()
                self._migrate_pending = False
            yield
        finally:
            self._hold_close()

    def _hold_open(self) -> None:
        con = self._open(True)
        # checkpoint per 256 MB of log, not per batch: a checkpoint rewrites the indexes
        # and leaves the blocks it replaced free, so at 64 MB a run over the bench corpus
        # checkpointed several times, spent a sixth more on its save and left a store
        # file 76 MB instead of 55 MB (bench/RESULTS.md); memory still stays bounded
        con.execute("SET checkpoint_threshold = '256MB'")
        con.execute("SET threads = 1")   # the writer shares the cores with the extracting workers
        self._local.con, self._local.writable, self._local.tx = con, True, 0
        self._local.held = True

    def _hold_close(self) -> None:
        con, self._local.con, self._local.held = self._local.con, None, False
        con.close()

    def step_aside_if_readers(self) -> None:
        """Inside holding(), between transactions: if a reader is waiting, close the
        held connection until the readers are in, then take it back."""
        if not getattr(self._local, "held", False) or self._tx_depth() != 0:
            return
        # a waiting reader keeps its marker fresh for 2 s: looking 4 times a second is
        # enough, and spares a directory listing per report on a fast run
        now = time.monotonic()
        if now < getattr(self._local, "next_reader_check", 0.0):
            return
        self._local.next_reader_check = now + 0.25
        self._step_aside_now()

    def _step_aside_now(self) -> None:
        if getattr(self._local, "held", False) and self._tx_depth() == 0 and self.readers_waiting():
            self._hold_close()
            try:
                self._let_readers_in()
            finally:
                self._hold_open()

    def _let_readers_in(self, patience: float = 1.0) -> None:
        if getattr(self._local, "held", False):
            self._step_aside_now()     # the held connection must close first
            return
        deadline = time.monotonic() + patience
        time.sleep(0.01)
        while self.readers_waiting() and time.monotonic() < deadline:
            time.sleep(0.01)

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-only connection (waits while a writer holds the file)."""
        with self._connection(write=self.memory) as con:
            yield con

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection inside BEGIN ... COMMIT (ROLLBACK on exception).
        Nested writing() on the same thread joins the outer transaction."""
        with self._connection(write=True) as con, self._tx(con) as c:
            yield c

    def _tx_depth(self) -> int:
        if self.memory:
            return getattr(self, "_mem_tx", 0)
        return getattr(self._local, "tx", 0)

    def _set_tx(self, delta: int) -> None:
        if self.memory:
            self._mem_tx = getattr(self, "_mem_tx", 0) + delta
        else:
            self._local.tx = getattr(self._local, "tx", 0) + delta

    @contextmanager
    def _tx(self, con: duckdb.DuckDBPyConnection | None) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: ours if no connection given; joins the caller's transaction
        if `con` is inside writing(); else BEGIN/COMMIT on the caller's connection."""
        if con is None:
            with self.writing() as c:
                yield c
            return
        if self._tx_depth() > 0:
            yield con
            return
        con.begin()
        self._set_tx(+1)
        try:
            yield con
        except BaseException:
            try:
                con.rollback()
            except duckdb.Error:
                pass
            raise
        else:
            con.commit()
        finally:
            self._set_tx(-1)

    def init(self) -> None:
        """Create or migrate the schema. Idempotent: on an up-to-date store it reads
        only, so it writes nothing."""
        with self.writing() as con:
            schema.migrate(con)
