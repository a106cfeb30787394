"""The log of runs: what each `etl run` read, skipped or failed, and how it ended."""
from __future__ import annotations

import os
import uuid
from typing import Any, Iterable

import pyarrow as pa

from .connection import Connection, insert_arrow, norm_path
from .schema import ident, utcnow

RUN_STATUSES = ("running", "finished", "failed", "interrupted")
RUN_FILE_STATUSES = ("read", "skipped", "unchanged", "failed")
RUN_COUNTS = ("files_seen", "files_read", "files_skipped", "files_failed", "claims_written")


class RunLog(Connection):
    def begin_run(self, args: str) -> str:
        """Record a run as 'running'; runs left 'running' by a dead process become
        'interrupted'."""
        run_id = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        with self.writing() as con:
            for rid, pid in con.execute("SELECT run_id, pid FROM runs WHERE status = 'running'").fetchall():
                if pid is None or not _pid_alive(pid):
                    con.execute("UPDATE runs SET status = 'interrupted' WHERE run_id = ?", [rid])
            con.execute("INSERT INTO runs (run_id, started_at, status, args, pid) VALUES (?, ?, 'running', ?, ?)",
                        [run_id, utcnow(), args, os.getpid()])
        return run_id

    def record_files(self, run_id: str, rows: Iterable[dict]) -> None:
        """Many run_files rows in one transaction; each dict has path, status and
        optionally reason, report_id, n_claims (e.g. the skipped and failed files)."""
        data = [run_file_row(run_id, r["path"], r["status"], r.get("reason"), r.get("report_id"),
                             r.get("n_claims") or 0) for r in rows]
        if data:
            with self.writing() as con:
                run_files_rows(con, data)

    def finish_run(self, run_id: str, status: str, **counts: Any) -> None:
        """Close a run. counts: files_seen, files_read, files_skipped, files_failed,
        claims_written, and optionally seconds (else computed from started_at)."""
        if status not in RUN_STATUSES:
            raise ValueError(f"run status must be one of {', '.join(RUN_STATUSES)}, got {status!r}")
        unknown = set(counts) - set(RUN_COUNTS) - {"seconds"}
        if unknown:
            raise ValueError(f"unknown run counts {sorted(unknown)}; known: {', '.join(RUN_COUNTS)}, seconds")
        with self.writing() as con:
            row = con.execute("SELECT started_at FROM runs WHERE run_id = ?", [run_id]).fetchone()
            if row is None:
                raise ValueError(f"no run {run_id!r}")
            now = utcnow()
            seconds = counts.pop("seconds", None)
            if seconds is None:
                seconds = (now - row[0]).total_seconds()
            sets = "".join(f", {ident(k)} = ?" for k in counts)   # keys checked above
            con.execute(f"UPDATE runs SET status = ?, finished_at = ?, seconds = ?{sets} WHERE run_id = ?",
                        [status, now, float(seconds), *[int(v) for v in counts.values()], run_id])


def run_file_row(run_id: str, path: str, status: str, reason: str | None = None,
                 report_id: str | None = None, n_claims: int = 0) -> list:
    """One run_files row, its status checked."""
    if status not in RUN_FILE_STATUSES:
        raise ValueError(f"file status must be one of {', '.join(RUN_FILE_STATUSES)}, "
                         f"got {status!r} for {path}")
    return [run_id, norm_path(path), status, reason, report_id, int(n_claims), utcnow()]


def run_files_rows(con, rows: list[list]) -> None:
    """INSERT OR REPLACE run_files rows as one Arrow scan (executemany goes row by
    row, and cost a run more than its claims did)."""
    cols = ["run_id", "path", "status", "reason", "report_id", "n_claims", "at"]
    types = [pa.string(), pa.string(), pa.string(), pa.string(), pa.string(), pa.int32(),
             pa.timestamp("us")]
    data = pa.table([pa.array([r[i] for r in rows], type=t) for i, t in enumerate(types)], names=cols)
    insert_arrow(con, "run_files", cols, data, verb="INSERT OR REPLACE INTO")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, ValueError):
        return False
    return True
