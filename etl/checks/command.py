"""`python -m etl check [PATH...] [--db DB] [-o findings.jsonl]`.

With PATHs the files are read and extracted directly (no store is needed or touched).
Without, the claims stored in --db are checked and the findings and duplicate groups
are saved back into it (for the dashboard's 核查 page), unless --no-save. Findings go
to -o (or stdout) as JSON Lines; a summary goes to stderr.
"""
from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub, default_db: Path) -> None:
    c = sub.add_parser("check", help="duplicate, conflicting and inconsistent figures")
    c.add_argument("paths", nargs="*", help="report files or folders to check directly (no store)")
    c.add_argument("--db", default=str(default_db),
                   help=f"check the claims stored here when no PATH is given (default {default_db})")
    c.add_argument("-o", "--output", help="write the findings (JSON Lines) here instead of stdout")
    c.add_argument("--type", dest="types", action="append",
                   choices=["duplicate", "conflict", "arithmetic", "arithmetic_ok", "near_duplicate_report"],
                   help="only these finding types (repeatable; default all)")
    c.add_argument("--no-save", action="store_true",
                   help="with --db: do not store the findings and duplicate groups")
    c.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    c.add_argument("--max-mb", type=float, default=20.0, help="skip files larger than this (default 20)")
    c.set_defaults(func=cmd_check)


def cmd_check(args) -> int:
    from ..store import Store, StoreBusy
    from .run import check_paths, run_checks, save_results

    if args.paths:
        failed = []
        result = check_paths(args.paths, max_mb=args.max_mb,
                             errors=lambda p, why: (failed.append(p), print(f"{p}: skipped: {why}", file=sys.stderr)))
        if result.stats.get("reports", 0) == 0:
            print("nothing could be read" if failed else "no report files given", file=sys.stderr)
            return 1
    else:
        if not Path(args.db).exists():
            print(f"error: no store at {args.db}; build it with `python -m etl run` or give files to check",
                  file=sys.stderr)
            return 1
        try:
            store = Store(args.db, read_only=args.no_save)
            result = run_checks(store, threads=args.threads)
            if not args.no_save:
                save_results(store, result)
        except StoreBusy as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 3
    findings = [f for f in result.findings if not args.types or f.type in args.types]
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    try:
        for f in findings:
            out.write(f.to_jsonl() + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    counts = result.counts()
    summary = "，".join(f"{k} {counts[k]}" for k in ("conflict", "arithmetic", "near_duplicate_report",
                                                     "duplicate", "arithmetic_ok") if counts.get(k))
    print(f"checked {result.stats.get('claims', 0)} claims in {result.stats.get('reports', 0)} reports "
          f"in {result.stats.get('seconds:total', 0):.1f} s: {summary or 'no findings'}"
          + ("" if args.paths or args.no_save else f" (saved to {args.db})"), file=sys.stderr)
    return 0
