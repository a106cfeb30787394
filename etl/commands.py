"""The store-backed commands of `python -m etl`: run, export, check, export-chart and
briefing."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _defaults():
    from .cli import DEFAULT_CORPUS, DEFAULT_DB
    return DEFAULT_CORPUS, DEFAULT_DB


def add_commands(sub) -> None:
    corpus, db = _defaults()
    r = sub.add_parser("run", help="read reports, extract claims and store them")
    r.add_argument("paths", nargs="*", default=[str(corpus)],
                   help=f"files or folders (default: the bundled reports in {corpus})")
    r.add_argument("--db", default=str(db), help=f"DuckDB store (default {db})")
    r.add_argument("--workers", type=int, default=1, help="processes on this machine (default 1; 0 = all cores)")
    r.add_argument("--dask", metavar="ADDRESS",
                   help="run extraction on a Dask cluster: a scheduler address (tcp://host:8786) or "
                        "'local' for a LocalCluster of --workers processes")
    r.add_argument("--staging", help="with --dask: a folder every worker and this machine can reach, "
                                     "for the Parquet parts (default: a temporary folder)")
    r.add_argument("--max-mb", type=float, default=20.0, help="skip files larger than this (default 20)")
    r.add_argument("--progress", action=argparse_bool(), default=None,
                   help="show a progress bar (default: on a terminal with 20+ files)")
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("export", help="write claims as Parquet (by campaign/year) and CSV")
    e.add_argument("--db", default=str(db), help=f"DuckDB store (default {db})")
    e.add_argument("--out", required=True, help="output folder")
    e.set_defaults(func=cmd_export)

    from .checks.command import add_parser as add_check   # issue 6: `check`
    add_check(sub, db)

    from .exports.cli import add_parsers as add_exports   # issue 7: `export-chart`, `briefing`
    add_exports(sub, db)


def argparse_bool():
    import argparse
    return argparse.BooleanOptionalAction


def cmd_run(args) -> int:
    from .pipeline import RunBusy, run
    from .store import StoreBusy

    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    processed = None
    if args.dask:
        from .distributed import processed_on_dask
        from .reading.ingest import iter_report_paths
        from .pipeline import manifest_path_for
        files = list(iter_report_paths(args.paths))
        man = manifest_path_for(args.paths)
        processed = processed_on_dask(files, args.dask, staging=args.staging, max_mb=args.max_mb,
                                      manifest=str(man) if man else None, n_workers=max(workers, 2))
    try:
        summary = run(args.paths, args.db, workers=workers, progress=args.progress, max_mb=args.max_mb,
                      processed=processed)
    except (StoreBusy, RunBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    print(summary.table())
    if summary.files_read == 0 and summary.files_seen:
        return 1
    return 0


def cmd_export(args) -> int:
    from .store import Store, StoreBusy

    if not Path(args.db).exists():
        print(f"error: no store at {args.db}; build it with `python -m etl run`", file=sys.stderr)
        return 1
    try:
        written = Store(args.db, read_only=True).export(args.out)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    for name, path in written.items():
        print(f"{name:<12} {path}")
    return 0
