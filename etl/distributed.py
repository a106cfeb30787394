"""The same run on a Dask cluster: workers extract, write Parquet; the store reads it.

Each task takes a chunk of files, runs `pipeline.process_file` on each (the very code
a serial run uses) and writes one Parquet file of reports and one of claims into a
staging folder (on a real cluster: a folder every worker and the client can reach).
The client streams the parts back in as tasks finish and saves them through the
ordinary single-writer path, so the store ends with the same claims and the same ids
as a serial run. Nothing here schedules work itself: Dask does.

    python -m etl run REPORTS --dask local            # a LocalCluster on this machine
    python -m etl run REPORTS --dask tcp://host:8786  # an existing scheduler
"""
from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .claim import Claim
from .pipeline import Processed, process_file
from .report import Report

_CLAIM_FIELDS = [f.name for f in fields(Claim)]
_REPORT_FIELDS = [f.name for f in fields(Report)]


def process_chunk(paths: list[str], staging: str, manifest: str | None = None,
                  max_mb: float = 20.0) -> dict:
    """Worker side: extract a chunk of files into two Parquet files in `staging`.
    Returns what the client needs to read them back, plus the files that failed."""
    results = [process_file(p, manifest=manifest, max_mb=max_mb) for p in paths]
    part = uuid.uuid4().hex[:12]
    out = Path(staging)
    out.mkdir(parents=True, exist_ok=True)
    ok = [r for r in results if r.ok]
    reports = [_report_row(r) for r in ok]
    claims = [_claim_row(r.report.report_id, r.path, c) for r in ok for c in r.claims]
    rpath, cpath = out / f"reports-{part}.parquet", out / f"claims-{part}.parquet"
    pq.write_table(pa.Table.from_pylist(reports, schema=_report_schema()), rpath)
    pq.write_table(pa.Table.from_pylist(claims, schema=_claim_schema()), cpath)
    return {"reports": str(rpath), "claims": str(cpath), "order": [r.path for r in results],
            "skipped": [(r.path, r.reason) for r in results if not r.ok]}


def read_part(part: dict) -> Iterator[Processed]:
    """Client side: the Processed records of one part, in the chunk's file order."""
    reports = {row["path"]: row for row in pq.read_table(part["reports"]).to_pylist()}
    claims: dict[str, list[Claim]] = {}
    for row in pq.read_table(part["claims"]).to_pylist():
        claims.setdefault(row.pop("_path"), []).append(_claim_from_row(row))
    skipped = dict(part["skipped"])
    for path in part["order"]:
        if path in skipped:
            yield Processed(path, reason=skipped[path])
        else:
            report = _report_from_row(reports[path])
            yield Processed(path, report, claims.get(path, []))


def processed_on_dask(files: list[Path], address: str, *, chunk_size: int = 16,
                      staging: str | None = None, manifest: str | None = None,
                      max_mb: float = 20.0, n_workers: int = 2) -> Iterator[Processed]:
    """Submit chunks to the cluster at `address` ("local" starts a LocalCluster with
    `n_workers` single-threaded processes) and yield results as chunks finish."""
    from dask.distributed import Client, LocalCluster, as_completed

    own_staging = staging is None
    staging = staging or tempfile.mkdtemp(prefix="report-figures-staging-")
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        chunks = [[str(p) for p in files[i:i + chunk_size]] for i in range(0, len(files), chunk_size)]
        futures = [client.submit(process_chunk, chunk, staging, manifest, max_mb, pure=False)
                   for chunk in chunks]
        for fut in as_completed(futures):
            part = fut.result()
            yield from read_part(part)
            for key in ("reports", "claims"):
                Path(part[key]).unlink(missing_ok=True)
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if own_staging:
            shutil.rmtree(staging, ignore_errors=True)


# --- rows ----------------------------------------------------------------------------
# Values travel as text: a Decimal round-trips exactly, so the store gets the very
# same claims as in a serial run.

def _claim_schema() -> pa.Schema:
    cols = [("_path", pa.string()), ("_report_id", pa.string())]
    for name in _CLAIM_FIELDS:
        t = {"start": pa.int64(), "end": pa.int64(), "sentence_start": pa.int64(),
             "sentence_end": pa.int64(), "is_claim": pa.bool_()}.get(name, pa.string())
        cols.append((name, t))
    return pa.schema(cols)


def _report_schema() -> pa.Schema:
    cols = [("path", pa.string())] + [(n, pa.int64() if n == "year" else pa.string())
                                      for n in _REPORT_FIELDS if n != "path"]
    return pa.schema(cols)


def _claim_row(report_id: str, path: str, c: Claim) -> dict:
    row = {"_path": path, "_report_id": report_id}
    for name in _CLAIM_FIELDS:
        v = getattr(c, name)
        row[name] = str(v) if isinstance(v, Decimal) else v
    return row


def _claim_from_row(row: dict) -> Claim:
    row.pop("_report_id", None)
    for key in ("value", "value_max"):
        if row.get(key) is not None:
            row[key] = Decimal(row[key])
    return Claim(**row)


def _report_row(r: Processed) -> dict:
    d = r.report.to_dict()
    d["tags"] = json.dumps(d.get("tags") or [], ensure_ascii=False)
    d["meta_source"] = json.dumps(d.get("meta_source") or {}, ensure_ascii=False)
    d["path"] = r.path
    return d


def _report_from_row(row: dict) -> Report:
    row = dict(row)
    row["tags"] = json.loads(row.get("tags") or "[]")
    row["meta_source"] = json.loads(row.get("meta_source") or "{}")
    return Report(**row)
