"""Where `etl run --workers 1` spends its instructions (issue 23), counted by cachegrind.

    .venv/bin/python bench/run_instructions.py [--files DIR] [--before TREE] [--stages]

CPU seconds on this shared 2-core machine scatter by ±25–40 % between runs of the same
code; instruction counts (cachegrind `--cache-sim=no`) are the same on any load, so a
cut of a few per cent shows. Prints:
- the whole command, `python -m etl run DIR --db NEW --workers 1`, whole process (start-up,
  the reading thread and DuckDB's threads included), for this tree and `--before`'s. The
  command reads its files in a forked worker process where it can (etl/process_ahead.py),
  and valgrind's count for a forked process starts from its parent's count at the fork,
  so the two summaries cannot be added up: here the command reads in the thread it takes
  where processes are dear (`RUN_IN_ONE_PROCESS`), the same work in one process without
  the results' pickling (which bench/whole_path.py's CPU seconds, all processes, include);
- with `--stages`, the same files through cumulative prefixes of the run in one process
  (`python bench/run_instructions.py --stage K DIR`), so each stage's count is the
  difference of two prefixes: 0 imports + reading the files, 1 + extraction, 2 + report
  metadata (describe), 3 + the claims' Arrow table and signature (`_prepared`), 4 the
  whole `store_files` (3 + the store's side: inserts, commits, the closing checkpoint)
  without the reading thread.
Each tree gets its own bytecode cache (PYTHONPYCACHEPREFIX) and file cache
(REPORT_FIGURES_CACHE), both warmed by one uncounted run first, so what is counted is a
user's second start, not the compiling of every module. Needs valgrind.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("imports + reading the files", "+ extraction", "+ report metadata (describe)",
          "+ claims' Arrow table + signature", "+ the store's side (whole store_files)")


def _env(tree: Path, scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / f"pyc-{tree.name}")
    env["REPORT_FIGURES_CACHE"] = str(scratch / f"cache-{tree.name}")
    return env


# The whole process, every thread; instructions only (no cache simulation: 3-4x faster).
WHOLE_PROCESS = ("--tool=cachegrind", "--cache-sim=no")


def instructions_of(stderr: str) -> int | None:
    """The instruction count valgrind's summary gives on stderr (`==PID== I   refs:
    1,234,567`: cachegrind and callgrind alike), or None when there is none."""
    m = re.search(r"^==\d+== I\s+refs:\s+([\d,]+)\s*$", stderr, re.MULTILINE)
    return int(m.group(1).replace(",", "")) if m else None


def _count(tree: Path, make_args: Callable[[], list[str]], env: dict[str, str], scratch: Path,
           tool: tuple[str, ...] = WHOLE_PROCESS) -> int:
    """Instructions of `python ARGS` run in `tree` under valgrind `tool`, after one
    uncounted warming run (`make_args` is asked for each run: a run gets a store of its
    own, never the warm one)."""
    python = str(tree / ".venv" / "bin" / "python")
    subprocess.run([python, *make_args()], cwd=tree, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    args = make_args()
    out = scratch / "valgrind.out"
    kind = "callgrind" if "--tool=callgrind" in tool else "cachegrind"
    res = subprocess.run(["valgrind", *tool, f"--{kind}-out-file={out}", python, *args],
                         cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    n = instructions_of(res.stderr)
    if res.returncode != 0 or n is None:
        raise SystemExit(f"{tree}: valgrind python {' '.join(args)} failed:\n{res.stderr[-2000:]}")
    return n


# `python -m etl` (etl/__main__.py), with a one-worker run's reading in a thread of its
# own process (a tree from before the worker process has no such choice)
RUN_IN_ONE_PROCESS = """
from etl.dataclass_code import install
from etl.regex_programs import install as install_regex_programs
install()
install_regex_programs()
import etl.pipeline
if hasattr(etl.pipeline, "reading_in_a_process"):
    etl.pipeline.reading_in_a_process = lambda: False
from etl.cli import main
raise SystemExit(main())
"""


def _run_args(files: Path, scratch: Path) -> list[str]:
    db = Path(tempfile.mktemp(suffix=".duckdb", dir=scratch))
    return ["-c", RUN_IN_ONE_PROCESS, "run", str(files), "--db", str(db), "--workers", "1"]


def stage(k: int, folder: str) -> None:
    """One cumulative prefix of a one-worker run over `folder` (see the module docstring)."""
    import gc

    sys.path.insert(0, os.getcwd())
    try:   # pyarrow without numpy, as the CLI imports it (describe takes up numpy past 2 M characters)
        from etl.lean_imports import pyarrow_without_numpy
        pyarrow_without_numpy()
    except ImportError:
        pass
    import duckdb  # noqa: F401  (imported as a run imports it: the counts compare stages)
    import pyarrow  # noqa: F401

    import etl.store  # noqa: F401
    from etl import pipeline
    from etl.claim import content_hash
    from etl.reading.describe import describe
    from etl.reading.ingest import iter_report_paths, read_document
    from etl.reading.safe_text import strip_invisible
    from etl.report import Report
    from etl.store.arrow_lists import lists_without_pandas

    lists_without_pandas()   # as `etl run` does: pyarrow's first list conversion without pandas
    files = list(iter_report_paths([folder]))
    gc.disable()             # the run pauses the collector too
    if k >= 4:
        db = tempfile.mktemp(suffix=".duckdb", dir=tempfile.gettempdir())
        pipeline.store_files(files, db, processed=pipeline.iter_processed(files, for_store=True))
        return
    # the simplified view handed from extraction to describe as process_file hands it (a
    # tree from before read_claims_and_view passed it inside normalize)
    read = getattr(pipeline, "read_claims_and_view", None)
    for doc in (read_document(str(f)) for f in files):
        if k >= 1:
            claims, simp = read(doc) if read is not None else (pipeline.read_claims(doc), None)
        if k >= 2:
            meta = (describe(doc.text, doc.name, html_meta=doc.html_meta, simp=simp) if read is not None
                    else describe(doc.text, doc.name, html_meta=doc.html_meta))
            for key in pipeline._SHOWN_NAMES:
                if isinstance(meta.get(key), str):
                    meta[key] = strip_invisible(meta[key])
        if k >= 3:
            report = Report(report_id=content_hash(doc.raw_text), doc=doc.name, path=doc.path,
                            format=doc.format, encoding=doc.encoding, text=doc.raw_text, **meta)
            pipeline._prepared(pipeline.Processed(doc.path, report, claims))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=Path, default=Path("/tmp/b100"),
                    help="a folder of reports (default /tmp/b100: 100 bench files)")
    ap.add_argument("--before", type=Path, help="another checkout to count the same way")
    ap.add_argument("--stages", action="store_true", help="also the run's stages, one prefix at a time")
    ap.add_argument("--stage", type=int, help=argparse.SUPPRESS)   # the child of --stages
    a = ap.parse_args(argv)
    if a.stage is not None:
        stage(a.stage, str(a.files))
        return 0
    files = a.files.resolve()
    trees = [ROOT] + ([a.before.resolve()] if a.before else [])
    with tempfile.TemporaryDirectory(prefix="run-ir-") as tmp:
        scratch = Path(tmp)
        print(f"files    {files} ({len(list(files.iterdir()))} entries); cachegrind --cache-sim=no")
        print("| command | " + " | ".join(t.name for t in trees) + " |")
        print("|---|" + "---:|" * len(trees))
        counts = [_count(t, lambda: _run_args(files, scratch), _env(t, scratch), scratch) for t in trees]
        print("| `etl run --workers 1`, whole process | " + " | ".join(f"{c / 1e6:,.1f} M" for c in counts) + " |")
        if a.stages:
            script = str(Path(__file__).resolve())
            prev = [0] * len(trees)
            for k, label in enumerate(STAGES):
                args = [script, "--stage", str(k), "--files", str(files)]
                now = [_count(t, lambda a=args: a, _env(t, scratch), scratch) for t in trees]
                print(f"| {k} {label} | " + " | ".join(f"{n / 1e6:,.1f} M (+{(n - p) / 1e6:,.1f})"
                                                     for n, p in zip(now, prev)) + " |")
                prev = now
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
