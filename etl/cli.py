"""The command line: `python -m etl <command>`.

    extract FILE... [-o OUT.jsonl]   every numeric mention, one JSON object per line
    run [PATH...] [--db DB]          read reports, extract, describe, store
    export --db DB --out DIR         Parquet (claims by campaign/year) and CSV
    check [PATH...] [--db DB]        duplicate, conflicting and inconsistent figures
    export-chart --db DB --chart compare … --format png,svg,pdf --out DIR
    briefing --db DB --spec SPEC --out DIR   a PowerPoint and an Excel workbook for a briefing
    serve [PATH...]                  build the store for these reports and open the dashboard

Installed (`pip install -e .`), the same commands are `report-figures <command>`.
Without --db, `run PATH` and `serve PATH` use a store of their own for those reports,
and every other command $REPORT_FIGURES_DB, else the demo store (etl/stores.py).

A user's file never produces a traceback: each one that cannot be read gets one line
on stderr with the reason, and the rest go on. Every command imports what it needs
when it runs (`extract` needs no database, and `--help` loads nothing heavy).

export-chart and briefing build their figures with the dashboard's own code
(etl/views/: the same SQL, builder and titles), so a file made here is the chart the
Compare or Overview page shows for the same filters. Nothing here imports the pages
package or streamlit (tests/test_layering.py).

Exit status: 0 done, 1 nothing read / no store / nothing matched, 2 bad options or
spec, 3 store busy, 4 no browser to draw with, 5 damaged store, 6 cannot write, 7 disk
full, 8 export folder holds other files (etl/errors.py: one line per cause, no traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from . import __version__, errors, stores

ROOT = stores.ROOT
DEFAULT_CORPUS = stores.DEMO_CORPUS
CHART_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx", "json")

SPEC_HELP = """\
spec file (YAML or JSON):

  title: 2021年慰问工作简报          # cover slide and workbook heading (optional)
  name: 慰问简报                     # output file names (default: --name, else the title)
  filters: {campaign: [党史学习教育]}  # sidebar filters for every item (optional)
  items:
    - chart: overview
    - chart: compare                 # one slide; its data also goes into the workbook
      metric_id: funds_disbursed     # what is charted (data/rules/metrics.yaml), or 资金发放;
                                     # people_reached, participants, orgs_involved ...
      subject: [慰问金]                # optional: only figures whose subject has these words
      unit: 元                        # optional: default the metric's most common unit
      by: campaign                   # campaign | organisation | level | year
      agg: sum                       # sum | max | avg | median | count
      type: bar                      # bar | dots | timeline
    - {chart: compare, metric: people}   # older form: every figure of a unit class
    - table: explore                 # one sheet: the 数字明细 rows
      class: [money]
      metric_id: [funds_disbursed]
      text: 慰问金
      limit: 500
    - table: biggest                 # the Overview's 最大的数字
      class: people

An item's own `filters:` replace the spec's. Charts become slides (16:9, title and
source line as slide text); every table, and every chart's data, becomes a sheet.
"""



def main(argv: list[str] | None = None) -> int:
    if argv is None:        # the whole process (report-figures; python -m etl did it already)
        from .dataclass_code import install
        from .regex_programs import install as install_regex_programs
        install()
        install_regex_programs()
    parser = _parser()
    args = parser.parse_args(argv)
    # argv None: this process is the command (python -m etl, report-figures), and may
    # leave out what only a longer-lived process would want (cmd_run: numpy)
    args.whole_process = argv is None
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = errors.run_command(args.func, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    if args.whole_process and (args.func is cmd_extract or _local_run_done(args, code)):
        _exit_now(code)
    return code


def _local_run_done(args, code: int) -> bool:
    """A finished `etl run` on this machine: its store is closed (the held connection's
    close is the final checkpoint), its read-ahead thread joined and its worker pool shut
    down, so the teardown would only free objects (0.1-0.2 s after the bench corpus:
    jieba's and the extraction's tables, pyarrow's and DuckDB's modules). Not after an
    error (a pool may still be up) nor with Dask, whose client and cluster end at exit."""
    return args.func is cmd_run and code == 0 and not args.dask


def _exit_now(code: int) -> None:
    """End the process without the interpreter's teardown, which frees every object
    one by one: for `etl extract`, jieba's tables and the extraction's memo tables
    (about 85 M instructions after 100 bench files; 0.14 s of CPU after the whole bench
    corpus, measured once under load). Only when this process is the command (argv
    None: `python -m etl`, `report-figures`) and its output is out; it starts no
    threads, holds no other files open and registers nothing at exit (etl.exports.render,
    which does, is not imported). tests/test_cli_extract.py holds it to the ordinary exit.
    After `etl run` (`_local_run_done`) what else is registered at exit is logging's
    flush (nothing is logged to a file), filelock's release (the OS releases the flock
    as the process ends) and DuckDB's module clean-up, with no connection left open:
    tests/test_run_exit.py holds the store to the ordinary exit's."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):   # a closed or broken pipe: the ordinary exit reports it
        return
    if "etl.exports.render" in sys.modules:
        return
    from .dataclass_code import save
    from .regex_programs import save as save_regex_programs
    save()          # what atexit would have written (etl/dataclass_code.py, etl/regex_programs.py)
    save_regex_programs()
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=_prog(), description="Report Figures ETL",
                                epilog=errors.EXIT_HELP,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"report-figures {__version__}")
    sub = p.add_subparsers(dest="command")
    default_db = stores.default_db()       # read per call: $REPORT_FIGURES_DB, else the demo store

    ex = sub.add_parser("extract", help="every numeric mention in the given files, as JSON Lines")
    ex.add_argument("files", nargs="+", help="report files (.txt .md .html .docx .pdf) or folders")
    ex.add_argument("-o", "--output", help="write to this file instead of stdout")
    ex.add_argument("--claims-only", action="store_true", help="leave out non-claims")
    ex.add_argument("--max-mb", type=float, default=20.0, help="skip files larger than this (default 20)")
    ex.add_argument("--workers", type=int, default=1,
                    help="processes on this machine (default 1; 0 = all cores); the output is the same")
    ex.set_defaults(func=cmd_extract)

    r = sub.add_parser("run", help="read reports, extract claims and store them")
    r.add_argument("paths", nargs="*", default=[str(DEFAULT_CORPUS)],
                   help=f"files or folders (default: the bundled reports in {DEFAULT_CORPUS})")
    r.add_argument("--db", help=f"DuckDB store (default: $REPORT_FIGURES_DB; else {stores.DEMO_DB} for the "
                                f"bundled reports, and a store of their own for other paths)")
    r.add_argument("--workers", type=int, default=1, help="processes on this machine (default 1; 0 = all cores)")
    r.add_argument("--dask", metavar="ADDRESS",
                   help="run extraction on a Dask cluster: a scheduler address (tcp://host:8786) or "
                        "'local' for a LocalCluster of --workers processes")
    r.add_argument("--staging", help="with --dask: a folder every worker and this machine can reach, "
                                     "for the Parquet parts (default: a temporary folder)")
    r.add_argument("--max-mb", type=float, default=20.0, help="skip files larger than this (default 20)")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: on a terminal with 20+ files)")
    r.set_defaults(func=cmd_run)

    e = sub.add_parser("export", help="write claims as Parquet (by campaign/year) and CSV")
    e.add_argument("--db", default=str(default_db), help=f"DuckDB store (default {default_db})")
    e.add_argument("--out", required=True, help="output folder (empty, new, or a previous export)")
    e.add_argument("--force", action="store_true",
                   help="write into a folder that holds other files (its claims/ folder is replaced)")
    e.set_defaults(func=cmd_export)

    _add_check(sub, default_db)
    _add_exports(sub, default_db)
    from .serve import add_parser as add_serve
    add_serve(sub)
    return p


def _prog() -> str:
    """`report-figures` when run as the console command, else `python -m etl`."""
    name = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    return "report-figures" if name == "report-figures" else "python -m etl"


# ------------------------------------------------------------------ extract, run, export

# `etl extract -o FILE` writes its lines in pieces of at least this many bytes
_OUTPUT_PIECE = 1 << 20


def cmd_extract(args) -> int:
    from .claim_lines import JsonlFile

    # bytes (claim_lines: the same lines json.dumps writes): to a file a megabyte at a
    # time, to stdout a report at a time
    if args.output:
        out = open(args.output, "wb")
    else:
        sys.stdout.flush()
        out = sys.stdout.buffer
    lines = JsonlFile(out, _OUTPUT_PIECE if args.output else 1)
    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    try:
        if workers > 1:
            read, failed = _extract_in_workers(args, workers, lines)
        else:
            read, failed = _extract_here(args, lines)
    finally:
        if args.output:
            out.close()
        else:
            out.flush()
    if read == 0:
        print("nothing could be read" if failed else "no report files given", file=sys.stderr)
        return 1
    return 0


def _extract_here(args, lines) -> tuple[int, int]:
    """cmd_extract's loop in this process: (files read, files skipped)."""
    import gc

    from .pipeline import read_claims
    from .reading.ingest import CYCLIC_FORMATS, ReadError, iter_report_paths, read_documents

    read = failed = 0
    # The cycle collector waits, as it does inside extract_text: reading a text, extracting
    # and writing make no reference cycles (none left after 1,424 bench reports), but the
    # claims each report leaves alive set off collections that walk them and every cache
    # (0.33 s of CPU on the bench corpus, 1,100 collections); a Word or PDF file is
    # followed by a collection of what was made since the last one (its parser's cycles).
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        # files read a run at a time (read_documents: cheaper in a row than between reports)
        for path, doc in read_documents(iter_report_paths(args.files), max_mb=args.max_mb):
            if isinstance(doc, ReadError):
                print(f"{doc.path}: skipped: {doc.reason}", file=sys.stderr)
                failed += 1
            else:
                for w in doc.warnings:
                    print(f"{doc.path}: warning: {w}", file=sys.stderr)
                claims = read_claims(doc)     # the pipeline's own reading: offsets as stored
                if args.claims_only:
                    claims = [c for c in claims if c.is_claim]
                lines.add(claims)
                read += 1
                del claims
            if paused and path.suffix.lower() in CYCLIC_FORMATS:
                del doc
                gc.collect(0)
        lines.flush()
    finally:
        if paused:
            gc.enable()
    return read, failed


def _extract_in_workers(args, workers: int, lines) -> tuple[int, int]:
    """_extract_here's loop with the files read, extracted and encoded in `workers`
    processes (etl/extract_workers.py): the same lines and messages, in the same order."""
    from .extract_workers import file_lines
    from .reading.ingest import iter_report_paths

    read = failed = 0
    for got in file_lines(list(iter_report_paths(args.files)), workers, max_mb=args.max_mb,
                          claims_only=args.claims_only):
        if got.skipped is not None:
            print(f"{got.path}: skipped: {got.skipped}", file=sys.stderr)
            failed += 1
            continue
        for w in got.warnings:
            print(f"{got.path}: warning: {w}", file=sys.stderr)
        lines.add_lines(got.lines)
        read += 1
    lines.flush()
    return read, failed


def cmd_run(args) -> int:
    from .arrow_memory import arrow_memory_for_a_run
    from .lean_imports import pyarrow_without_numpy

    # a local run converts lists to Arrow: no numpy, no pandas. numpy only when the run
    # is the whole process: pyarrow cannot take it back later (e.g. for pandas)
    if not args.dask and getattr(args, "whole_process", False):
        arrow_memory_for_a_run()    # before pyarrow's allocators start (etl/arrow_memory.py)
        pyarrow_without_numpy()     # before anything imports pyarrow (etl.store does)
    from .pipeline import RunBusy, manifest_path_for, run
    from .store import StoreBusy
    from .store.arrow_lists import lists_without_pandas

    if not args.dask:
        lists_without_pandas()

    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    if not args.db:             # the user's own reports never go into the demo store
        args.db = str(stores.store_for(args.paths))
        print(f"store: {args.db}", file=sys.stderr)
    processed = None
    if args.dask:
        try:
            import dask.distributed  # noqa: F401  - an extra: say how to add it
        except ImportError:
            print("error: --dask needs Dask, an optional extra: pip install -e '.[scale]' "
                  "(make test installs it)", file=sys.stderr)
            return 2
        from .distributed import processed_on_dask
        from .reading.ingest import iter_report_paths
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
        written = Store(args.db, read_only=True).export(args.out, force=args.force)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    for name, path in written.items():
        print(f"{name:<12} {path}")
    return 0


# ------------------------------------------------------------------ check

def _add_check(sub, default_db: Path) -> None:
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
    from .checks.run import check_paths, run_checks, save_results
    from .store import Store, StoreBusy

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


# ------------------------------------------------------------------ export-chart, briefing

def _add_exports(sub, default_db) -> None:
    e = sub.add_parser(
        "export-chart", help="a dashboard chart as PNG/SVG/PDF (and its data as CSV/Excel)",
        description="Draw one of the dashboard's charts, exactly as the page does for the same "
                    "filters, and write it as PNG (high resolution), SVG and PDF, and its data "
                    "as CSV/Excel. Needs Chromium and a CJK font (apt-get install chromium "
                    "fonts-noto-cjk).")
    e.add_argument("--db", default=str(default_db), help=f"DuckDB store (default {default_db})")
    e.add_argument("--chart", choices=("compare", "overview"), default="compare",
                   help="compare (the 对比 page, default) or overview (the 总览 chart)")
    _filter_args(e)
    c = e.add_argument_group("compare options (the 对比 page's controls)")
    c.add_argument("--metric-id", dest="metric_id", metavar="METRIC",
                   help="what to chart, as the page's 指标 picker: a metric id from "
                        "data/rules/metrics.yaml (funds_disbursed, people_reached, participants, "
                        "volunteers_mobilised, items_handled, outputs_published, events_held, "
                        "orgs_involved, time_spent, rates_and_changes, other ...) or its Chinese "
                        "name (资金发放, 参与人数 ...)")
    c.add_argument("--metric", default=None, metavar="CLASS",
                   help="unit class: money people person_times orgs items events percent duration "
                        "other, or its Chinese name. Alone: every figure of the class (the default, "
                        "money, when --metric-id is not given); with --metric-id: narrows the metric "
                        "to that class")
    c.add_argument("--subject", action="append", default=[], metavar="WORD",
                   help="subject words (repeat or separate with commas): 慰问金, 干部职工 ...")
    c.add_argument("--unit", help="unit such as 元 人 个, or 'all' for every counter "
                                  "(default: the most common, as on the page)")
    c.add_argument("--by", default="campaign", help="campaign | organisation | level | year")
    c.add_argument("--agg", help="sum | max | avg | median | count (default: sum; max for percent, "
                                 "duration, other)")
    c.add_argument("--type", default="bar", help="bar | dots | timeline (default bar)")
    c.add_argument("--log", action=argparse.BooleanOptionalAction, default=None,
                   help="log value axis (default: on for money)")
    o = e.add_argument_group("output")
    o.add_argument("--format", default="png,svg,pdf",
                   help="comma-separated: png svg pdf (the chart), csv xlsx (its data), "
                        "json (the plotly figure); default png,svg,pdf")
    o.add_argument("--out", default=".", help="output folder (created; default: current folder)")
    o.add_argument("--name", help="file name without extension (default: the chart title)")
    o.add_argument("--width", type=int, default=1200, help="layout width in px (default 1200)")
    o.add_argument("--height", type=int, help="layout height in px (default: the chart's own)")
    o.add_argument("--scale", type=float, default=2,
                   help="PNG pixels per layout px (default 2: 2400 px wide)")
    e.set_defaults(func=cmd_export_chart)

    b = sub.add_parser(
        "briefing", help="a briefing pack: PowerPoint (one chart per slide) + Excel workbook",
        description="Build a briefing pack from a small spec file: one 16:9 PowerPoint with a "
                    "slide per chart and one Excel workbook with a sheet per table.",
        epilog=SPEC_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("--db", default=str(default_db), help=f"DuckDB store (default {default_db})")
    b.add_argument("--spec", required=True, help="YAML or JSON file listing the charts and tables")
    b.add_argument("--out", default=".", help="output folder (created; default: current folder)")
    b.add_argument("--name", help="file name without extension (default: the spec's name or title)")
    b.add_argument("--font", help="East Asian font for slide text (default Microsoft YaHei)")
    b.set_defaults(func=cmd_briefing)


def _filter_args(p) -> None:
    g = p.add_argument_group("filters (the sidebar's, shared by every page)")
    g.add_argument("--campaign", action="append", default=[], metavar="NAME",
                   help="专项活动 (repeat for several)")
    g.add_argument("--organisation", action="append", default=[], metavar="NAME",
                   help="单位 (repeat for several)")
    g.add_argument("--year", action="append", default=[], metavar="YEAR", help="年份 (repeat)")


def _err(msg: str, code: int) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def _open_store(db: str):
    from .store import Store

    if not Path(db).is_file():
        raise FileNotFoundError(f"no store at {db}; build it with `python -m etl run`")
    store = Store(db, read_only=True)
    return lambda qp: store.query_df(qp[0], list(qp[1]))


def _formats(raw: str) -> list[str]:
    out = [f.strip().lower().lstrip(".") for f in raw.split(",") if f.strip()]
    out = ["xlsx" if f in ("excel", "xls") else f for f in out]
    bad = [f for f in out if f not in CHART_FORMATS + DATA_FORMATS]
    if bad or not out:
        raise ValueError(f"unknown format {bad[0] if bad else raw!r}; "
                         f"use {', '.join(CHART_FORMATS + DATA_FORMATS)}")
    return list(dict.fromkeys(out))


def export_item(args) -> dict:
    """The briefing item the export-chart options describe."""
    item: dict = {"chart": args.chart}
    flt = {k: v for k, v in (("campaign", args.campaign), ("organisation", args.organisation),
                             ("year", args.year)) if v}
    if flt:
        item["filters"] = flt
    if args.chart == "compare":
        item.update(subject=args.subject, by=args.by, type=args.type)
        for key in ("metric_id", "metric", "unit", "agg", "log"):
            if getattr(args, key) is not None:
                item[key] = getattr(args, key)
    return item


def cmd_export_chart(args) -> int:
    from .store import StoreBusy

    try:
        formats = _formats(args.format)
        run = _open_store(args.db)
        from .exports import render, tables
        from .views import items
        from .views.text import safe_filename
        chart = items.build(export_item(args), run)
    except FileNotFoundError as exc:
        return _err(str(exc), 1)
    except StoreBusy as exc:
        return _err(str(exc), 3)
    except ValueError as exc:                  # ItemError is a ValueError
        return _err(str(exc), 2)
    if chart is None:
        return _err("no figures match these filters and options", 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = safe_filename(args.name) if args.name else chart.name
    for fmt in formats:
        t0 = time.perf_counter()
        try:
            if fmt in CHART_FORMATS:
                data = render.render(chart.fig, fmt, width=args.width, height=args.height,
                                     scale=args.scale)
            elif fmt == "csv":
                data = tables.to_csv_bytes(chart.data.df)
            elif fmt == "xlsx":     # the chart's data, then the figures behind its sums
                sheets = [tables.Sheet(chart.data.df, "数据", chart.title, chart.source)]
                if chart.ledger is not None:
                    sheets.append(tables.Sheet(chart.ledger.df, chart.ledger.sheet, chart.ledger.title,
                                               chart.ledger.source))
                data = tables.workbook_bytes(sheets)
            else:
                from .views.charts import for_export
                data = for_export(chart.fig).to_json().encode("utf-8")
        except render.ExportUnavailable as exc:
            return _err(str(exc), 4)
        except render.ExportFailed as exc:
            return _err(str(exc), 4)
        path = out / f"{stem}.{fmt}"
        path.write_bytes(data)
        print(f"{fmt:<5} {time.perf_counter() - t0:6.2f} s  {path}")
    return 0


def load_spec(path: str) -> dict:
    import yaml

    text = Path(path).read_text(encoding="utf-8-sig")
    spec = yaml.safe_load(text)               # JSON is YAML too
    if isinstance(spec, list):
        spec = {"items": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("items"), list) or not spec["items"]:
        raise ValueError("the spec needs an `items:` list (see `python -m etl briefing --help`)")
    unknown = set(spec) - {"title", "name", "filters", "items", "font"}
    if unknown:
        raise ValueError(f"unknown spec key {sorted(unknown)[0]!r}; "
                         f"use title, name, filters, items, font")
    return spec


def spec_items(spec: dict) -> list[dict]:
    """The items with the spec's filters filled in where an item has none."""
    out = []
    for i, item in enumerate(spec["items"], start=1):
        if not isinstance(item, dict):
            raise ValueError(f"item {i}: must be a mapping such as {{chart: overview}}")
        if spec.get("filters") and "filters" not in item:
            item = {**item, "filters": spec["filters"]}
        out.append(item)
    return out


def cmd_briefing(args) -> int:
    from .store import StoreBusy

    try:
        spec = load_spec(args.spec)
        wanted = spec_items(spec)
        run = _open_store(args.db)
        from .exports import briefing, render
        from .views import items, model, sources
        from .views.text import safe_filename
        t0 = time.perf_counter()
        dup = sources.dup_source(run)
        built = []
        for i, item in enumerate(wanted, start=1):
            try:
                got = items.build(item, run, dup)
            except ValueError as exc:
                raise ValueError(f"item {i}: {exc}") from None
            if got is None:
                print(f"item {i}: nothing matches; left out", file=sys.stderr)
            else:
                built.append(got)
    except FileNotFoundError as exc:
        return _err(str(exc), 1)
    except OSError as exc:
        return _err(f"cannot read the spec: {exc}", 2)
    except StoreBusy as exc:
        return _err(str(exc), 3)
    except Exception as exc:                   # noqa: BLE001 - YAML errors, ItemError
        if type(exc).__module__.startswith("yaml") or isinstance(exc, ValueError):
            return _err(str(exc), 2)
        raise
    if not built:
        return _err("no item matched anything; nothing written", 1)
    title = str(spec.get("title") or "")
    stem = safe_filename(args.name or spec.get("name") or title or "简报", "简报")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    charts = [b for b in built if isinstance(b, model.Chart)]
    font = args.font or spec.get("font") or briefing.EA_FONT
    note = sources.filter_note(items.item_filters({"filters": spec.get("filters") or {}}))
    written = []
    try:                        # tables become table slides: no browser needed for them
        deck = briefing.pptx_bytes(built, title, briefing.subtitle_lines(
            extra=[f"筛选：{note}"] if note else []), font=font)
        (out / f"{stem}.pptx").write_bytes(deck)
        written.append((out / f"{stem}.pptx", f"{len(charts)} chart slides, "
                        f"{len(built) - len(charts)} table slides" + (" + cover" if title else "")))
    except (render.ExportUnavailable, render.ExportFailed) as exc:
        return _err(str(exc), 4)
    sheets = briefing.sheets_for(built)
    (out / f"{stem}.xlsx").write_bytes(briefing.xlsx_bytes(built, title))
    written.append((out / f"{stem}.xlsx", f"{len(sheets)} sheets + 说明"))
    for path, what in written:
        print(f"{path}  ({what})")
    print(f"built in {time.perf_counter() - t0:.1f} s")
    return 0
