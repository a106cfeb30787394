"""Reports in, figures stored: read -> extract -> describe -> store. The one route from
a file to the store: `etl run`, `etl check` on files and the dashboard's upload all go
through `store_files`, and `etl extract` reads a file the same way (`read_claims`), so
the offsets it prints are the offsets the store holds.

`process_file` is pure work on one file (no database) and is what runs on a Dask
cluster; `process_files` is the same work on a few files at a time, stage by stage (a
worker process's task: STAGE_FILES); `store_files` drives them over many files in worker
processes (`in_workers`) and is the only place that writes to the store, so there is
always one writer. A file that cannot be read, or that trips a bug, is recorded with its
reason and the batch goes on.

Offsets index the file's decoded text (`Document.raw_text`: an HTML page's source, a
text file with its CRLFs); that text is what the store keeps as `Report.text`. The
metadata is read from the page's main text (`Document.text`) and its HTML metadata.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .claim import Claim, content_hash_and_utf8
from .read_ahead import ReadAhead
from .report import Report
# the batch schedule's figures, imported from here by tests and bench scripts
from .run_batches import BATCH_FILES, BATCH_SECONDS, FIRST_BATCH, FIRST_SECONDS, BatchSchedule, hold_back  # noqa: F401

if TYPE_CHECKING:
    from .process_ahead import ProcessAhead
    from .reading.ingest import Document
    from .store import PreparedClaims, Store


@dataclass(slots=True)
class Processed:
    path: str
    report: Report | None = None
    claims: list[Claim] = field(default_factory=list)
    reason: str | None = None          # why the file was skipped (None when read)
    warnings: tuple[str, ...] = ()
    # for_store=True: the claims as the store writes them (and `claims` left empty)
    prepared: PreparedClaims | None = None
    failed: bool = False               # read, but its claims broke the store's rules (a bug)
    # the report's metadata left to the writer (a one-worker run, `described`): the report
    # has none yet, nor the prepared claims their signature
    to_describe: ToDescribe | None = None

    @property
    def ok(self) -> bool:
        return self.report is not None

    def __reduce__(self):
        # from a worker process to the writer, a stored report's text crosses once: as
        # the UTF-8 its report id was hashed from (`prepared.text_utf8`, which the store
        # keeps), decoded on the writer's side, not encoded again for the pickle
        # (bench/RESULTS.md, proc35)
        fields = (self.path, self.report, self.claims, self.reason, self.warnings, self.prepared, self.failed,
                  self.to_describe)
        if self.report is None or self.prepared is None or self.prepared.text_utf8 is None:
            return Processed, fields
        return _with_text_from_utf8, (self.path, replace(self.report, text=""), *fields[2:])


def _with_text_from_utf8(path: str, report: Report, claims: list[Claim], reason: str | None,
                         warnings: tuple[str, ...], prepared: PreparedClaims, failed: bool,
                         to_describe: ToDescribe | None = None) -> Processed:
    report.text = prepared.text_utf8.decode()
    return Processed(path, report, claims, reason, warnings, prepared, failed, to_describe)


@dataclass(slots=True)
class ToDescribe:
    """What describe reads besides the report's text, when a worker leaves it to the writer:
    the page's main text (None: the report's text, as for every format but HTML), its HTML
    metadata, and extraction's simplified view of the text (None: none made; for a text in
    simplified characters it is the text itself, `simp_is_text`, and is not sent again)."""
    text: str | None
    html_meta: dict[str, str]
    simp: str | None
    simp_is_text: bool = False

    @classmethod
    def of(cls, doc: Document, simp: str | None) -> ToDescribe:
        same = simp is not None and simp == doc.raw_text
        return cls(None if doc.text is doc.raw_text else doc.text, doc.html_meta, None if same else simp, same)


@dataclass(slots=True)
class FileOutcome:
    """What became of one file: stored (new / updated / unchanged), skipped or failed."""
    path: str
    status: str                        # new, updated, unchanged, skipped, failed
    report_id: str | None = None
    claims: int = 0
    mentions: int = 0
    reason: str | None = None          # why it was skipped or failed


@dataclass(slots=True)
class RunSummary:
    files_seen: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    claims: int = 0
    mentions: int = 0
    chars: int = 0
    by_campaign: Counter = field(default_factory=Counter)          # campaign -> claims
    seconds: float = 0.0
    run_id: str | None = None
    files: list[FileOutcome] = field(default_factory=list)        # in the order they were saved
    corrections_moved: int = 0         # corrected figures found again (new id) in edited text
    report_edits_moved: int = 0        # report edits that followed their file to its new text
    # corrections whose figure is nowhere now: (file, figure in its context, field, new value, who)
    orphaned: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def table(self) -> str:
        """The end-of-run summary a user reads."""
        rate = self.chars / self.seconds if self.seconds else 0.0
        lines = [
            "Run summary",
            f"  files seen        {self.files_seen}",
            f"  read              {self.files_read}" + (f" ({self.files_unchanged} unchanged in the store)" if self.files_unchanged else ""),
            f"  skipped           {len(self.skipped)}",
            f"  claims found      {self.claims}  (of {self.mentions} numeric mentions)",
            f"  time              {self.seconds:.1f} s  ({rate / 1e3:,.0f} k chars/s)",
        ]
        if self.by_campaign:
            lines.append("  claims by campaign")
            width = max(len(k) for k in self.by_campaign)
            for name, n in self.by_campaign.most_common():
                lines.append(f"    {name:<{width}}  {n}")
        if self.skipped:
            lines.append("  skipped files")
            for path, reason in self.skipped:
                lines.append(f"    {path}: {reason}")
        if self.corrections_moved or self.report_edits_moved:
            lines.append(f"  followed edits    {self.corrections_moved} corrected figure(s) found again "
                         f"in edited text, {self.report_edits_moved} report edit(s) moved with their file")
        if self.orphaned:
            lines.append(f"  corrections that match no figure now: {len(self.orphaned)} "
                         f"(kept; listed on the 更正 page)")
            for doc, where, fld, new, who in self.orphaned[:20]:
                lines.append(f"    {doc}: {where}  {fld} -> {new}  ({who})")
            if len(self.orphaned) > 20:
                lines.append(f"    … and {len(self.orphaned) - 20} more")
        return "\n".join(lines)


@cache
def _manifest(path: str) -> dict:
    from .reading.manifest import load_manifest
    return load_manifest(path)


def manifest_path_for(paths: Iterable[str | Path]) -> Path | None:
    """data/manifest.csv beside the bundled corpus, or manifest.csv in a given folder."""
    for p in paths:
        p = Path(p)
        if not p.is_dir():      # one stat a path (a run given 1,424 files: 17 -> 9 ms of its start)
            continue
        for cand in (p / "manifest.csv", p.parent / "manifest.csv"):
            if cand.is_file():
                return cand
    default = Path(__file__).resolve().parent.parent / "data" / "manifest.csv"
    return default if default.is_file() else None


def read_claims(doc: Document) -> list[Claim]:
    """Every numeric mention of a read document, with offsets into its decoded text
    (`doc.raw_text`; an HTML page is read through its tags)."""
    return read_claims_and_view(doc)[0]


def read_claims_and_view(doc: Document) -> tuple[list[Claim], str | None]:
    """(read_claims(doc), the simplified view of `doc.text` when extraction learnt it:
    for describe, which reads `doc.text`; None when that is not the text extraction read
    (an HTML page's main text) or extraction did not learn its view)."""
    from .extraction.extract import extract_text_and_view
    # None: decide by looking (a .txt full of tags is markup too)
    markup = True if doc.format == "html" else None
    claims, view = extract_text_and_view(doc.raw_text, doc.name, markup=markup)
    return claims, view if doc.text is doc.raw_text else None


# the report's fields a reader sees as names (etl/reading/safe_text.py)
_SHOWN_NAMES = ("title", "source", "organisation", "campaign", "region")


def process_file(path: str | Path, *, manifest: str | None = None, max_mb: float = 20.0,
                 for_store: bool = False) -> Processed:
    """Read, extract and describe one file. Never raises for a user's file.

    for_store: also validate the claims and turn them into the store's Arrow table
    (`prepared`), so that this work happens in the worker, not in the one writer."""
    return _process_group(iter([path]), 1, manifest=manifest, max_mb=max_mb, for_store=for_store)[0]


# `etl run` with one worker takes its files this many at a time through each stage in
# turn (read them all, extract each, describe each, then hash and prepare each): a
# report's extraction evicts describe's, the table's and the reading's working sets from
# the caches (1 MB of L2 a core here), so one file through every stage paid each stage's
# cache misses again (bench/RESULTS.md, desc34 and stage34). A group also ends once its
# texts hold STAGE_CHARS characters, so that large files are not held by the dozen.
STAGE_FILES = 16
STAGE_CHARS = 2_000_000


def process_files(paths: Iterable[str | Path], *, manifest: str | None = None, max_mb: float = 20.0,
                  for_store: bool = False, group: int | None = None, describe: bool = True) -> Iterator[Processed]:
    """process_file over `paths`, in order, `group` (STAGE_FILES) files at a time stage by
    stage. `describe=False` (with for_store): the reports' metadata is left to the
    caller (`Processed.to_describe`, `described`)."""
    it = iter(paths)
    while True:
        done = _process_group(it, group or STAGE_FILES, manifest=manifest, max_mb=max_mb,
                              for_store=for_store, describe=describe)
        if not done:
            return
        done.reverse()          # handed out from the end: none is held once it is given
        while done:
            yield done.pop()


@dataclass(slots=True)
class _InProgress:
    """One file on its way through the stages; `done` once it has its result."""
    path: str
    doc: Document | None = None
    claims: list[Claim] | None = None
    simp: str | None = None
    meta: dict | None = None
    done: Processed | None = None


def _process_group(paths: Iterator[str | Path], most: int, *, manifest: str | None, max_mb: float,
                   for_store: bool, describe: bool = True) -> list[Processed]:
    """The next files of `paths` (up to `most`, or STAGE_CHARS characters of text) read in
    a row, then extracted, described and made reports, each stage over all of them
    before the next; a file that fails at a stage leaves the group there with its
    reason and the others go on. [] once `paths` is done. `describe=False`: see
    process_files."""
    from .reading.ingest import ReadError, read_document

    def read(f: _InProgress) -> None:
        doc = read_document(f.path, max_mb=max_mb)
        if isinstance(doc, ReadError):
            f.done = Processed(f.path, reason=doc.reason)
        else:
            f.doc = doc

    def extract(f: _InProgress) -> None:
        f.claims, f.simp = read_claims_and_view(f.doc)

    def describe_one(f: _InProgress) -> None:
        doc = f.doc
        f.meta = _metadata(doc.text, doc.name, doc.html_meta, manifest, f.simp)

    def finish(f: _InProgress) -> None:
        doc, text = f.doc, f.doc.raw_text
        report_id, utf8 = content_hash_and_utf8(text)
        report = Report(report_id=report_id, doc=doc.name, path=f.path, format=doc.format,
                        encoding=doc.encoding, text=text, **(f.meta or {}))
        done = Processed(f.path, report, f.claims, warnings=tuple(doc.warnings))
        # the text's UTF-8 goes with the store's claims: the writer stores those bytes
        f.done = _prepared(done, utf8, signed=describe) if for_store else done
        if not describe and f.done.ok:
            f.done.to_describe = ToDescribe.of(doc, f.simp)
        f.doc = f.claims = f.meta = None

    files: list[_InProgress] = []
    chars = 0
    for path in paths:
        f = _InProgress(str(path))
        _guarded(read, f)
        files.append(f)
        chars += len(f.doc.raw_text) if f.doc is not None else 0
        if len(files) >= most or chars >= STAGE_CHARS:
            break
    stages = (extract, describe_one, finish) if describe or not for_store else (extract, finish)
    for stage in stages:
        for f in files:
            if f.done is None:
                _guarded(stage, f)
    return [f.done for f in files]


def _guarded(stage, f: _InProgress) -> None:
    """stage(f); a bug must not stop the batch: it becomes this file's reason."""
    try:
        stage(f)
    except Exception as exc:
        f.done = _internal_error(f.path, exc)
        f.doc = f.claims = f.meta = None


def _internal_error(path: str, exc: Exception) -> Processed:
    return Processed(path, reason=f"internal error while processing: {type(exc).__name__}: {exc}")


def _metadata(text: str, name: str, html_meta: dict[str, str], manifest: str | None,
              simp: str | None) -> dict:
    """describe's answer for a report, its shown names cleaned."""
    from .reading.describe import describe
    from .reading.safe_text import strip_invisible
    meta = describe(text, name, html_meta=html_meta, manifest=_manifest(manifest) if manifest else None,
                    simp=simp)
    for key in _SHOWN_NAMES:      # no bidi overrides or zero-width characters in names
        if isinstance(meta.get(key), str):
            meta[key] = strip_invisible(meta[key])
    return meta


def described(res: Processed, manifest: str | None = None) -> Processed:
    """A result whose worker left its report's metadata to the writer (`to_describe`),
    described and its claims signed; a bug is the file's reason, as in the worker. With
    one worker the run's own process does this: it is idle most of a run, and describe
    was a seventh of the worker's instructions (bench/RESULTS.md, desc35)."""
    todo = res.to_describe
    if todo is None:
        return res
    try:
        report = res.report
        meta = _metadata(report.text if todo.text is None else todo.text, report.doc, todo.html_meta,
                         manifest, report.text if todo.simp_is_text else todo.simp)
        for key, value in meta.items():
            setattr(report, key, value)
        res.prepared.sign(report)
    except Exception as exc:
        return _internal_error(res.path, exc)
    res.to_describe = None
    return res


def iter_processed(paths: list[Path], *, workers: int = 1, manifest: str | None = None,
                   max_mb: float = 20.0, for_store: bool = False) -> Iterator[Processed]:
    """process_file over `paths`, in order, STAGE_FILES at a time stage by stage: in this
    process with one worker, else in `workers` processes (`in_workers`)."""
    if workers <= 1:
        yield from process_files(paths, manifest=manifest, max_mb=max_mb, for_store=for_store)
        return
    yield from in_workers(paths, workers, manifest=manifest, max_mb=max_mb, for_store=for_store)


def in_workers(paths: list[Path], workers: int, *, manifest: str | None = None, max_mb: float = 20.0,
               for_store: bool = False, describe: bool = True) -> ProcessAhead[Path, Processed]:
    """process_file over `paths` in `workers` processes (started now), STAGE_FILES a
    task, the results in order, a bounded amount ahead (READ_AHEAD_FILES, READ_AHEAD_BYTES).
    `describe=False`: see process_files."""
    from functools import partial

    work = partial(_process_task, manifest=manifest, max_mb=max_mb, for_store=for_store, describe=describe)
    return file_workers(paths, work, workers, initializer=_warm_worker, lost=_lost_file)


def file_workers(paths: list[Path], work, workers: int, *, initializer, lost) -> ProcessAhead:
    """`work` over `paths` in `workers` processes (started now), STAGE_FILES files a task,
    a bounded amount ahead (READ_AHEAD_FILES, READ_AHEAD_BYTES of the files' bytes): the
    workers of `etl run` and `etl extract --workers`."""
    from .process_ahead import ProcessAhead, start_method    # here: `etl extract` reads through this module
    if start_method() == "fork":
        # load jieba's dictionary once, here: forked workers share it instead of each
        # spending a second of CPU loading its own (on two cores that is felt)
        from .extraction import segmenter
        segmenter.warm_up()
    return ProcessAhead(paths, work, workers=workers, group=STAGE_FILES, depth=READ_AHEAD_FILES,
                        weight=file_bytes, budget=READ_AHEAD_BYTES, initializer=initializer, lost=lost)


def _lost_file(path: Path, reason: str) -> Processed:
    """A file whose worker process died reading it (tried again alone, it died again):
    failed, with the reason, and the run goes on (etl/process_ahead.py)."""
    return Processed(str(path), reason=f"not read: {reason}; the other files went on", failed=True)


def _process_task(paths: list[Path], *, manifest: str | None, max_mb: float, for_store: bool,
                  describe: bool = True) -> list[Processed]:
    """A worker's task. Its cycle collector waits, as a run's writer does (COLLECT_AFTER):
    the task ends with a collection once that many objects were made since the last."""
    done = list(process_files(paths, manifest=manifest, max_mb=max_mb, for_store=for_store,
                              describe=describe))
    if gc.get_count()[0] >= COLLECT_AFTER:
        gc.collect(1)
    return done


def file_bytes(path: str | Path) -> int:
    """A file's size, the weight of what is sent ahead to workers (0 when it cannot be read)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _warm_worker() -> None:
    from .extraction import segmenter
    from .store.arrow_lists import lists_without_pandas
    gc.disable()          # collected between tasks (`_process_task`)
    segmenter.warm_up()
    # a worker converts lists to Arrow and never uses pandas: it need not import it
    lists_without_pandas()


def reading_in_a_process() -> bool:
    """Does a one-worker run read its files in a process of its own (`in_workers`), or in
    a thread (ReadAhead)? A process where it is forked from a process of one thread
    (milliseconds, with this process's modules and dictionary; `process_ahead.start_method`):
    a thread's work holds the writer's GIL (etl/process_ahead.py). A spawned process
    would import everything and load the dictionary again (about a second, before its
    first file), which a short run would feel. And a process with other threads (the
    dashboard's server, storing an upload) is not forked for one worker: the child
    could wait forever on a lock another thread held, an allocator's among them."""
    from .process_ahead import one_thread, start_method
    return start_method() == "fork" and one_thread()


def run(paths: Iterable[str | Path], db: str | Path, *, workers: int = 1, progress: bool | None = None,
        max_mb: float = 20.0, processed: Iterable[Processed] | None = None,
        batch_size: int = BATCH_FILES, batch_seconds: float = BATCH_SECONDS,
        batch_rows: int | None = None) -> RunSummary:
    """Store every report under `paths` (files or folders) in the store at `db`."""
    from .reading.ingest import iter_report_paths

    paths = list(paths)
    files = list(iter_report_paths(paths))
    man = manifest_path_for(paths)
    return store_files(files, db, workers=workers, progress=progress, max_mb=max_mb,
                       processed=processed, manifest=str(man) if man else None,
                       label=" ".join(str(p) for p in paths), batch_size=batch_size,
                       batch_seconds=batch_seconds, batch_rows=batch_rows)


def store_files(files: list[Path], store: Store | str | Path, *, workers: int = 1, progress: bool | None = None,
                max_mb: float = 20.0, processed: Iterable[Processed] | None = None,
                manifest: str | None = None, label: str = "",
                batch_size: int = BATCH_FILES, batch_seconds: float = BATCH_SECONDS,
                batch_rows: int | None = None) -> RunSummary:
    """Read, extract, describe and store `files`: the one way files reach the store.

    Reports are saved in batches over one held connection (Store.holding): the first
    of FIRST_BATCH files, then each adding what the claims table's last row group lacks
    or a whole one (`batch_rows`, DuckDB's row group), or of `batch_size` files or
    `batch_seconds`, whichever comes first; the run's tail in pieces (etl/run_batches.py).
    Each report is all or nothing (a batch's new reports go in as one transaction), so a
    kill mid-run loses the batch being read and the one in flight, and the next run
    redoes them. One run at a time per store file (`run_lock`). `processed` lets
    another executor (Dask) supply the results of process_file. Every file gets a
    `FileOutcome` in the summary, and a row in the store's run_files table. `store` is a
    Store or the path of one (opened once the lock is held)."""
    from .store import Store

    t0 = time.perf_counter()
    schedule = BatchSchedule(first_files=min(FIRST_BATCH, batch_size), files=batch_size,
                             seconds=batch_seconds)
    if batch_rows is not None:
        schedule.rows = batch_rows
    options = dict(workers=workers, progress=progress, max_mb=max_mb, processed=processed,
                   manifest=manifest, label=label)
    if isinstance(store, Store) and store.memory:
        return _store_files(files, store, t0, schedule, **options)
    with run_lock(store.path if isinstance(store, Store) else store):
        # a path: the schema is made on the run's one held connection (no extra open)
        store = store if isinstance(store, Store) else Store(store, migrate_on_hold=True)
        return _store_files(files, store, t0, schedule, **options)


class RunBusy(RuntimeError):
    """Another `etl run` (or upload) is writing to the same store."""


@contextmanager
def run_lock(db: str | Path):
    """One run per store at a time: two runs would both write every report. The lock
    is an OS file lock beside the store (filelock: flock on Unix, msvcrt on Windows;
    the OS lets go if the process dies); a second file names the holder for the message."""
    from filelock import FileLock, Timeout

    lock_path = Path(str(db) + ".run.lock")
    holder_path = Path(str(db) + ".run.lock.pid")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            holder = holder_path.read_text(encoding="utf-8").strip()
        except OSError:
            holder = ""
        raise RunBusy(f"another `etl run` ({holder or 'another process'}) is writing to {db}; "
                      f"wait for it to finish, or give this run another --db") from None
    try:
        try:
            holder_path.write_text(f"PID {os.getpid()}", encoding="utf-8")
        except OSError:
            pass                     # only the message would miss the PID
        yield
    finally:
        lock.release()


# How far the reading runs ahead of the writer: the save of a whole row group of claims
# (~600 bench files) lasts as long as reading 150-250 files, and 64 files left the reader
# waiting 0.2-0.35 s a run (bench/RESULTS.md, end31). Bounded by the files' text, so that
# 20 MB files are not held by the dozen; 8 M characters of text and their claims are ~60
# MB held (7.6 bytes a character, text and Arrow table). Worker processes are bounded by
# the files' bytes, known before they are read: 24 MB is 8 M characters of Chinese text.
READ_AHEAD_CHARS = 8_000_000
READ_AHEAD_BYTES = 24_000_000
READ_AHEAD_FILES = 1024
# Files handed to the writer at a time (or what the read-ahead's latency, 0.2 s, made):
# each hand-over wakes the writer, which takes the GIL from the reading thread. 8 at a
# time, the reading thread waited for the GIL 520-630 times a bench corpus run (0.12 s
# blocked); 64: 55-66 times, 0.055 s (bench/RESULTS.md, writer33)
READ_AHEAD_CHUNK = 64


# The cycle collector, paused for a run, runs after a batch once the objects made since
# it last ran (net of those freed: `gc.get_count()`, which counts the garbage in cycles
# too) pass this: not every few hundred allocations (describe, the Arrow tables and the
# save set it off nearly once a file), and not after every batch either: what a batch's
# collection found on the bench corpus was nothing, after it traversed the extraction's
# new memo entries (~145 k objects a run, 0.05-0.07 s of the writer's GIL). So the
# garbage in cycles stays below this many objects (bench/RESULTS.md, writer33).
COLLECT_AFTER = 250_000


def _text_chars(res: Processed) -> int:
    return len(res.report.text) if res.report is not None else 0


def _store_files(files, store, t0, schedule: BatchSchedule, *, workers, progress, max_mb, processed,
                 manifest, label) -> RunSummary:
    summary = RunSummary(files_seen=len(files))
    # The cycle collector is paused for the run (COLLECT_AFTER). Paused before the
    # reading starts, so that extract_text's own pause cannot leave it running.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    # The files are read while the store saves: in worker processes (one worker: one
    # process, or a thread where processes are dear: `reading_in_a_process`), started
    # before the store opens, so that the first files are read meanwhile (from the run's
    # start to its first file 0.07-0.15 s before; bench/RESULTS.md, writer33).
    reader: ProcessAhead | ReadAhead | None = None
    collector = None
    try:
        if processed is not None or not files:
            results: Iterable[Processed] = processed if processed is not None else ()
        elif workers > 1 or reading_in_a_process():
            # one worker: the run's own process describes the reports (`described`);
            # more: each describes its own, or the one writer would hold them back
            results = reader = in_workers(files, max(1, workers), manifest=manifest, max_mb=max_mb,
                                          for_store=True, describe=workers > 1)
        else:
            results = reader = ReadAhead(
                iter_processed(files, manifest=manifest, max_mb=max_mb, for_store=True),
                depth=READ_AHEAD_FILES, chunk=READ_AHEAD_CHUNK, weight=_text_chars, budget=READ_AHEAD_CHARS)
        # one write connection for the whole run, the run's log included (it steps aside
        # for the dashboard); opening and closing the file costs a checkpoint each time
        with store.holding():
            summary.run_id = store.begin_run(label)
            _run(results, store, t0, summary, n_files=len(files),
                 progress=progress, schedule=schedule, collect=paused, manifest=manifest)
            if paused:
                # the run's cycles, collected beside the closing checkpoint (which lets
                # go of the GIL), not after it when the collector starts again; started
                # only now, as the store closes, or it would hold the GIL first
                collector = threading.Thread(target=gc.collect, args=(1,), name="etl-collect")
                collector.start()
    finally:
        if collector is not None:
            collector.join()
        if reader is not None:
            reader.close()
        if paused:
            gc.enable()
    return summary


def _run(results: Iterable[Processed], store, t0, summary: RunSummary, *, n_files, progress,
         schedule: BatchSchedule, collect: bool = False, manifest: str | None = None) -> None:
    from .rules import rules_version

    run_id = summary.run_id
    version = rules_version()
    bar = _progress(n_files, progress)
    batch: list[Processed] = []
    skipped: list[dict] = []
    rows = 0                                    # the batch's mentions: the claims table's rows
    seen = seen_rows = 0                        # files and mentions read so far
    last_flush = time.perf_counter()
    schedule.tail = store.claims_tail_rows()
    # the first batch's claims, when they begin the claims table's row group: the batch
    # that completes it writes them again (etl/run_batches.py, `rewrite`)
    carried: list[tuple[str, object]] = []

    def flush(upto: int | None = None) -> None:
        """Save the batch (its first `upto` reports; the rest start the next batch)."""
        nonlocal last_flush, rows, carried
        saving = batch[:upto] if upto is not None else list(batch)
        added = 0
        if saving:
            fills = carried and schedule.tail + sum(r.prepared.n_mentions for r in saving) == schedule.rows
            statuses = store.save_reports([(r.report, r.prepared, r.path) for r in saving],
                                          rules_version=version, run_id=run_id,
                                          rewrite=carried if fills else None)
            for res, outcome in zip(saving, statuses):
                n = res.prepared.n_claims
                summary.files_read += 1
                summary.files_unchanged += outcome == "unchanged"
                summary.claims += n
                summary.mentions += res.prepared.n_mentions
                summary.chars += len(res.report.text)
                summary.by_campaign[res.report.campaign or "(none)"] += n
                summary.files.append(FileOutcome(res.path, outcome, res.report.report_id, n,
                                                 res.prepared.n_mentions))
                added += res.prepared.n_mentions if outcome != "unchanged" else 0
            del batch[:len(saving)]
            rows = sum(r.prepared.n_mentions for r in batch)
            new = [r for r, outcome in zip(saving, statuses) if outcome == "new"]
            carried = ([(r.report.report_id, r.prepared) for r in new]
                       if schedule.first() and schedule.tail == 0 and 0 < added < schedule.rows
                       and sum(r.prepared.n_mentions for r in new) == added else [])
        schedule.saved_batch(len(saving), added)
        if skipped:
            store.record_files(run_id, skipped)
            skipped.clear()
        if collect and gc.get_count()[0] >= COLLECT_AFTER:     # the run's cycles, now and then
            gc.collect(1)
        last_flush = time.perf_counter()

    def shaped_flush() -> None:
        """Save the batch; past its goal of rows, without the reports that make the excess
        (they start the next batch), so that it adds exactly its goal (etl/run_batches.py).
        When none of its reports make the excess, it waits for the next file, unless the
        file cap or the time limit closed it."""
        goal = schedule.goal()
        if schedule.first() or rows <= goal:
            return flush()
        held = hold_back([r.prepared.n_mentions for r in batch], rows - goal)
        if held is None:
            if len(batch) < schedule.files and time.perf_counter() - last_flush <= schedule.seconds:
                return
            return flush()
        back = set(held)
        keep = [r for i, r in enumerate(batch) if i not in back]
        batch[:] = keep + [batch[i] for i in held]
        flush(len(keep))

    status = "failed"
    try:
        for res in results:
            bar.update(1)
            if res.to_describe is not None:
                res = described(res, manifest)
            if res.ok and res.prepared is None:     # supplied by another executor
                res = _prepared(res)
            if not res.ok:
                reason = res.reason or "unknown reason"
                summary.skipped.append((res.path, reason))
                file_status = "failed" if res.failed else "skipped"
                skipped.append({"path": res.path, "status": file_status, "reason": reason})
                summary.files.append(FileOutcome(res.path, file_status, reason=reason))
            else:
                batch.append(res)
                rows += res.prepared.n_mentions
                seen_rows += res.prepared.n_mentions
            seen += 1
            rows_left = (n_files - seen) * seen_rows / seen
            if schedule.full(len(batch), rows, time.perf_counter() - last_flush, rows_left):
                shaped_flush()
            store.step_aside_if_readers()
        flush()
        _follow_edits(store, summary)
        status = "finished"
    finally:
        bar.close()
        summary.seconds = time.perf_counter() - t0
        store.finish_run(run_id, status, files_seen=summary.files_seen, files_read=summary.files_read,
                         files_skipped=len(summary.skipped), claims_written=summary.claims,
                         seconds=summary.seconds)


def _follow_edits(store: Store, summary: RunSummary) -> None:
    """Corrections and report edits whose figure or report changed id follow it
    (etl/store/anchors.py); the ones that find nothing are named in the summary."""
    followed = store.follow_edits()
    summary.corrections_moved = followed.corrections_moved
    summary.report_edits_moved = followed.report_edits_moved
    for r in followed.orphans:
        where = f"…{r.anchor_before or ''}[{r.anchor_text or ''}]{r.anchor_after or ''}…"
        summary.orphaned.append((str(r.doc or r.path or "?"), " ".join(where.split()),
                                 str(r.field), str(r.new_value), str(r.who)))


def _prepared(res: Processed, text_utf8: bytes | None = None, *, signed: bool = True) -> Processed:
    """A result with plain claims made ready for the store (claims then dropped);
    `text_utf8`: the report text's UTF-8, when the caller has it; `signed=False`: see
    prepare_claims."""
    from .store import BadClaims, prepare_claims
    try:
        prep = prepare_claims(res.report, res.claims, text_utf8=text_utf8, signed=signed)
    except BadClaims as e:   # a bug, not the user's file: reported per file, the rest goes on
        return Processed(res.path, reason=f"not stored: {e.problems[0]}", failed=True)
    return Processed(res.path, res.report, [], warnings=res.warnings, prepared=prep)


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, progress: bool | None):
    show = progress if progress is not None else (total >= 20 and sys.stderr.isatty())
    if not show:
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, unit="file", desc="reports", file=sys.stderr)
