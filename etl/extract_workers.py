"""`etl extract --workers N`: the files read, extracted and written as JSON Lines in N
worker processes, each file's lines handed back in the files' order, so that the output
is byte for byte what one process writes (tests/test_extract_workers.py).

The work goes out as in `etl run` (etl/process_ahead.py): STAGE_FILES files a task, at
most READ_AHEAD_FILES files and READ_AHEAD_BYTES of their bytes sent ahead of the writer
(a file's lines are about four times its bytes on the bench corpus), Ctrl-C and a killed
command leave no worker behind, and a file that kills its worker is skipped with that
reason while the others go on.

One worker (the default) stays in the command's own process (etl/cli.py): handing the
lines to another process to write would copy them through a pipe, which costs what the
file's own write does.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .process_ahead import ProcessAhead


@dataclass(frozen=True, slots=True)
class FileLines:
    """What one file gave: its JSON Lines, or why it was skipped (and what to warn of)."""
    path: str                       # as the command names it on stderr
    lines: bytes = b""
    warnings: tuple[str, ...] = ()
    skipped: str | None = None      # why it could not be read; None when it was


def file_lines(paths: list[Path], workers: int, *, max_mb: float,
               claims_only: bool) -> ProcessAhead[Path, FileLines]:
    """A FileLines for each of `paths`, in order, from `workers` processes (started now)."""
    from .pipeline import file_workers
    work = partial(_task, max_mb=max_mb, claims_only=claims_only)
    return file_workers(paths, work, workers, initializer=_start_worker, lost=_lost)


def _task(paths: list[Path], *, max_mb: float, claims_only: bool) -> list[FileLines]:
    """A worker's task: what etl/cli.py's _extract_here does with each file, its lines encoded."""
    from .extraction.claim_jsonl import claims_jsonl
    from .pipeline import COLLECT_AFTER, read_claims
    from .reading.ingest import CYCLIC_FORMATS, ReadError, read_documents

    done: list[FileLines] = []
    cyclic = False
    for path, doc in read_documents(paths, max_mb=max_mb):
        cyclic = cyclic or path.suffix.lower() in CYCLIC_FORMATS
        if isinstance(doc, ReadError):
            done.append(FileLines(str(doc.path), skipped=doc.reason))
            continue
        claims = read_claims(doc)
        if claims_only:
            claims = [c for c in claims if c.is_claim]
        done.append(FileLines(str(doc.path), claims_jsonl(claims), tuple(doc.warnings)))
        del claims
    # the collector waits in a worker (_start_worker): a Word or PDF parser's cycles, or
    # enough new objects since the last collection, are collected between tasks
    if cyclic or gc.get_count()[0] >= COLLECT_AFTER:
        gc.collect(1)
    return done


def _start_worker() -> None:
    from .extraction import segmenter
    gc.disable()
    segmenter.warm_up()


def _lost(path: Path, reason: str) -> FileLines:
    return FileLines(str(path), skipped=f"not read: {reason}; the other files went on")
