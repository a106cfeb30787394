"""Command line: `python -m etl <command>`.

    extract FILE... [-o OUT.jsonl]   every numeric mention, one JSON object per line
    run [PATH...] [--db DB]          read reports, extract, describe, store
    export --db DB --out DIR         Parquet (claims by campaign/year) and CSV
    check [PATH...] [--db DB]        duplicate, conflicting and inconsistent figures
    export-chart --db DB --chart compare … --format png,svg,pdf --out DIR
    briefing --db DB --spec SPEC --out DIR   a PowerPoint and an Excel workbook for a briefing

A user's file never produces a traceback: each one that cannot be read gets one line
on stderr with the reason, and the rest go on.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "figures.duckdb"
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="Report Figures ETL")
    sub = p.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="every numeric mention in the given files, as JSON Lines")
    ex.add_argument("files", nargs="+", help="report files (.txt .md .html .docx .pdf) or folders")
    ex.add_argument("-o", "--output", help="write to this file instead of stdout")
    ex.add_argument("--claims-only", action="store_true", help="leave out non-claims")
    ex.add_argument("--max-mb", type=float, default=20.0, help="skip files larger than this (default 20)")
    ex.set_defaults(func=cmd_extract)

    from . import commands  # the store-backed commands live apart: extract needs no database
    commands.add_commands(sub)
    return p


def cmd_extract(args) -> int:
    from .extraction.extract import extract_text
    from .reading.ingest import ReadError, iter_report_paths, read_document

    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    read = failed = 0
    try:
        for path in iter_report_paths(args.files):
            doc = read_document(path, max_mb=args.max_mb)
            if isinstance(doc, ReadError):
                print(f"{doc.path}: skipped: {doc.reason}", file=sys.stderr)
                failed += 1
                continue
            for w in doc.warnings:
                print(f"{doc.path}: warning: {w}", file=sys.stderr)
            # Offsets index the file's decoded text; for HTML that is the markup itself.
            markup = True if doc.format == "html" else None   # None: a .txt full of tags is markup too
            text = doc.raw_text if doc.format in ("txt", "md", "html") else doc.text
            for c in extract_text(text, doc.name, markup=markup):
                if args.claims_only and not c.is_claim:
                    continue
                out.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
            read += 1
    finally:
        if out is not sys.stdout:
            out.close()
    if read == 0:
        print("nothing could be read" if failed else "no report files given", file=sys.stderr)
        return 1
    return 0
