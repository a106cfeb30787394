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
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .pipeline import Processed, process_file
from .report import Report
from .store import PreparedClaims, prepared_schema

_REPORT_FIELDS = [f.name for f in fields(Report)]


def process_chunk(paths: list[str], staging: str, manifest: str | None = None,
                  max_mb: float = 20.0) -> dict:
    """Worker side: extract a chunk of files into two Parquet files in `staging`, the
    claims already in the store's own columns (ids included), so the client only
    inserts them. Returns what the client needs to read them back, plus the files
    that were skipped."""
    results = [process_file(p, manifest=manifest, max_mb=max_mb, for_store=True) for p in paths]
    part = uuid.uuid4().hex[:12]
    out = Path(staging)
    out.mkdir(parents=True, exist_ok=True)
    ok = [r for r in results if r.ok]
    reports = [_report_row(r) for r in ok]
    tables = [r.prepared.table for r in ok]
    claims = pa.concat_tables(tables) if tables else _empty_claims()
    rpath, cpath = out / f"reports-{part}.parquet", out / f"claims-{part}.parquet"
    pq.write_table(pa.Table.from_pylist(reports, schema=_report_schema()), rpath)
    pq.write_table(claims, cpath)
    return {"reports": str(rpath), "claims": str(cpath), "order": [r.path for r in results],
            "rows": [r.prepared.n_mentions for r in ok],
            "skipped": [(r.path, r.reason, r.failed) for r in results if not r.ok]}


def read_part(part: dict) -> Iterator[Processed]:
    """Client side: the Processed records of one part, in the chunk's file order."""
    reports = {row["path"]: row for row in pq.read_table(part["reports"]).to_pylist()}
    claims = pq.read_table(part["claims"])
    skipped = {path: (reason, failed) for path, reason, failed in part["skipped"]}
    rows = iter(part["rows"])
    offset = 0
    for path in part["order"]:
        if path in skipped:
            reason, failed = skipped[path]
            yield Processed(path, reason=reason, failed=failed)
            continue
        row = dict(reports[path])
        sig, n_claims = row.pop("_sig"), row.pop("_n_claims")
        n = next(rows)
        table = claims.slice(offset, n)
        offset += n
        yield Processed(path, _report_from_row(row), prepared=PreparedClaims(table, sig, n_claims))


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
# Claims travel as the store's own Arrow table (made by the same code a serial run
# uses), so the store gets the very same rows and ids as in a serial run.

def _empty_claims() -> pa.Table:
    return prepared_schema().empty_table()


def _report_schema() -> pa.Schema:
    cols = [("path", pa.string())] + [(n, pa.int64() if n == "year" else pa.string())
                                      for n in _REPORT_FIELDS if n != "path"]
    return pa.schema(cols + [("_sig", pa.string()), ("_n_claims", pa.int64())])


def _report_row(r: Processed) -> dict:
    d = r.report.to_dict()
    d["tags"] = json.dumps(d.get("tags") or [], ensure_ascii=False)
    d["meta_source"] = json.dumps(d.get("meta_source") or {}, ensure_ascii=False)
    d["path"] = r.path
    d["_sig"], d["_n_claims"] = r.prepared.sig, r.prepared.n_claims
    return d


def _report_from_row(row: dict) -> Report:
    row = dict(row)
    row["tags"] = json.loads(row.get("tags") or "[]")
    row["meta_source"] = json.loads(row.get("meta_source") or "{}")
    return Report(**row)
