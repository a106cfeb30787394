"""The claims' table stage alone (validate + Arrow table + signature), counted by cachegrind.

    .venv/bin/python bench/table_stage.py inputs [--files DIR] [--out PKL]
    .venv/bin/python bench/table_stage.py count [--inputs PKL] [--before TREE]

`inputs` reads, extracts and describes the files once (as `etl run` does) and pickles
each (Report, claims); `count` then runs `prepare_claims` over them in cumulative
prefixes, each in its own process under `cachegrind --cache-sim=no`, so each part is a
difference of two counts with nothing of reading, extraction or describe in it:
load (imports, unpickling, one warm-up report), + the one pass over the claims
(`claim_columns`, compiled build: checks and Arrow buffers), + the table made from
those buffers (since branch table32 the table's IPC message written from them with the
report id, and the table read back from it, `_messages` + `_table_from_message`; at
table31 the signature's message and the report id and doc added to the table read from
it; before, the arrays wrapped one by one, `_table_from_buffers`), + the rest of `prepare_claims` (the signature). The report's hash is taken just before each report,
as in a run (`content_hash` keeps the last one), so the stage's own check costs nothing.
PYTHONHASHSEED is fixed: with a random seed set and dict orders move counts by a few M.

Note: valgrind hides the CPU's SHA extensions, so OpenSSL's sha1 counts ~12 instructions
a byte here against ~0.6 ns a byte on this host's CPU: the signature's hash weighs about
four times more in these counts than in CPU time (bench/RESULTS.md, branch table26).
"""
from __future__ import annotations

import argparse
import gc
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("load", "pass", "table", "full")
LABELS = {"pass": "one pass over the claims (claim_columns)",
          "table": "Arrow table from the buffers (_messages + _table_from_message; before table31 _table_from_buffers)",
          "full": "signature and the rest of prepare_claims"}


def make_inputs(folder: str, out: str) -> None:
    sys.path.insert(0, os.getcwd())
    from etl import pipeline
    from etl.claim import content_hash
    from etl.reading.describe import describe
    from etl.reading.ingest import iter_report_paths, read_document
    from etl.reading.safe_text import strip_invisible
    from etl.report import Report

    items = []
    for f in iter_report_paths([folder]):
        doc = read_document(str(f))
        claims = pipeline.read_claims(doc)
        meta = describe(doc.text, doc.name, html_meta=doc.html_meta)
        for key in pipeline._SHOWN_NAMES:
            if isinstance(meta.get(key), str):
                meta[key] = strip_invisible(meta[key])
        items.append((Report(report_id=content_hash(doc.raw_text), doc=doc.name, path=doc.path,
                             format=doc.format, encoding=doc.encoding, text=doc.raw_text, **meta), claims))
    with open(out, "wb") as fh:
        pickle.dump(items, fh)
    print(f"{len(items)} reports, {sum(len(c) for _, c in items)} mentions -> {out}")


def part(mode: str, inputs: str) -> None:
    """One cumulative prefix (see the module docstring), in this process."""
    sys.path.insert(0, os.getcwd())
    from etl.claim import content_hash
    from etl.store import prepared
    from etl.store.arrow_lists import lists_without_pandas

    lists_without_pandas()
    with open(inputs, "rb") as fh:
        items = pickle.load(fh)
    report, claims = items[0]
    prepared.prepare_claims(report, claims[:3])      # first-use costs out of the count
    one = prepared._one_pass()
    if mode in ("pass", "table") and one is None:
        raise SystemExit("the one pass runs only from the compiled build: count `full` alone")
    gc.disable()
    for report, claims in items:
        content_hash(report.text)
        if mode == "full":
            prepared.prepare_claims(report, claims)
        elif mode in ("pass", "table"):
            built = one(claims, report.text)
            if mode == "table" and hasattr(prepared, "_messages"):
                # since table32: the table's message (report id and doc in it), the table
                # read from it
                messages = prepared._messages(report.report_id, len(claims), built[0])
                if messages is not None:
                    prepared._table_from_message(messages[0])
                continue
            message = prepared._message(len(claims), built[1]) if mode == "table" and hasattr(prepared, "_message") else None
            if message is not None:     # table31: the signature's message, the table read from it
                prepared._table_from_message(report.report_id, built[0], message, len(claims))
            elif mode == "table" and hasattr(prepared, "_table_from_buffers"):
                prepared._table_from_buffers(report.report_id, built[0], built[1], len(claims))
            elif mode == "table":       # a tree before store30: the pass gave lists to convert
                cols = dict(zip(prepared._FIELDS, built))
                prepared._table(report.report_id, cols, {n: cols[n] for n in prepared._DOUBLES}, len(claims))


def _count(tree: Path, mode: str, inputs: str) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    res = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          str(tree / ".venv" / "bin" / "python"), str(Path(__file__).resolve()),
                          "part", mode, "--inputs", inputs],
                         cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", res.stderr)
    if res.returncode != 0 or m is None:
        raise SystemExit(f"{tree}: {mode} failed:\n{res.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("inputs", "count", "part"))
    ap.add_argument("mode", nargs="?", choices=PARTS, help=argparse.SUPPRESS)
    ap.add_argument("--files", default="/tmp/b100", help="reports to prepare (inputs)")
    ap.add_argument("--inputs", "--out", dest="inputs", default="/tmp/table_stage.pkl")
    ap.add_argument("--before", type=Path, help="another checkout, counted on the same inputs")
    a = ap.parse_args(argv)
    if a.what == "inputs":
        make_inputs(a.files, a.inputs)
    elif a.what == "part":
        part(a.mode, a.inputs)
    else:
        trees = [ROOT] + ([a.before.resolve()] if a.before else [])
        counts = {t: {m: _count(t, m, a.inputs) for m in PARTS} for t in trees}
        print(f"inputs {a.inputs}; cachegrind --cache-sim=no, M instructions")
        print("| part | " + " | ".join(t.name for t in trees) + " |")
        print("|---|" + "---:|" * len(trees))
        for prev, m in zip(PARTS, PARTS[1:]):
            print(f"| {LABELS[m]} | " + " | ".join(
                f"{(counts[t][m] - counts[t][prev]) / 1e6:,.1f}" for t in trees) + " |")
        print("| the stage | " + " | ".join(
            f"{(counts[t]['full'] - counts[t]['load']) / 1e6:,.1f}" for t in trees) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
