"""The whole path against its core (issue 23): what a user runs, as a ratio to extraction alone.

    .venv/bin/python bench/whole_path.py [--corpus ../shared/bench_corpus] [--files N]
        [--rounds R] [--before ../main] [--only extract] [--no-bytecode]

Prints, in one run on the same text: the regex scan of extract_bench.py (the ceiling),
extraction alone (extract_text in this process), `etl extract` to a file (in one
process, and with `--workers 2`), and `etl run` into a fresh store with 1 and with 2
workers, each as characters per second and as a
ratio to extraction alone; then the start-up: the wall time of `etl extract` and of
`etl run` on a one-sentence file: the whole command, so everything the first figure
needs (imports, rule files, the segmenter's dictionary, for `run` the store) is in it.

In-process figures are CPU seconds (best of R); each command gets its child CPU
seconds (user + system, all its processes) and its wall seconds, best of R. On a shared
machine CPU seconds are the steadier figure; with 2 workers the wall time is the one
that shows the gain (CPU adds up over the processes).
Best-of figures can pair a command's fastest round with extraction's fastest round
minutes away, and this machine drifts by a quarter in minutes; so each command is also
`paired` with extraction alone timed at the start of its round and of the next (their
mean), and the median of the rounds' ratios is printed with their range.
Then where `etl run` goes: the stages one at a time (`phases`), and one real run in
this process with a CPU timer around every stage of both its threads (`inside_run`, with
the reading in a thread, not in the worker process the command forks), so that what no
stage names shows as a figure of its own.
Then `etl extract` against extraction alone as a command meets it: each text once, in a
fresh process timed in the same round (`first sight`; "extraction alone" is a second pass
over texts its process has seen).
`--before DIR` runs the commands of another checkout too (same interpreter, same
corpus), interleaved round by round with this one, so a before/after pair shares the
machine's load; the two trees' last one-worker stores are then compared row for row
(`same store`: claims, reports and report_files, timestamps and signatures aside), and
their `etl extract` outputs byte for byte (`same output`). `--only extract` times the
regex scan, extraction alone and `etl extract` (whole corpus and one sentence) and
leaves out `etl run` and its stage tables.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extract_bench import BASELINE, best_of, load  # noqa: E402  (the same baseline and timing)

TINY = "发放慰问金27万元，吸引55个部门的6600余名干部职工。\n"


# extraction alone as a command meets it: each text once, in a fresh process (after the
# segmenter's dictionary and the rules are loaded, as extract_bench's warm-up does)
FIRST_SIGHT = """
import gc, sys, time
from pathlib import Path
sys.path[:0] = [{root!r}, {bench!r}]
from extract_bench import load, warm_up
texts = load(Path({corpus!r}), {files!r})
warm_up()
from etl.extraction.extract import extract_text
gc.collect()
t = time.process_time()
for x in texts:
    extract_text(x, "bench")
print(time.process_time() - t)
"""


def first_sight(corpus: Path, files: int | None) -> float:
    """CPU s of extraction alone over the texts, each seen for the first time."""
    code = FIRST_SIGHT.format(root=str(ROOT), bench=str(ROOT / "bench"), corpus=str(corpus), files=files)
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"extraction's first sight failed:\n{res.stderr[-2000:]}")
    return float(res.stdout.split()[-1])


def timed(tree: Path, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall s, child CPU s) of `python -m etl ARGS` run in `tree`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "etl", *args], cwd=tree, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(f"{tree}: python -m etl {' '.join(args)} failed:\n{res.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def phases(paths: list[Path], db: Path) -> dict[str, float]:
    """Where `etl run --workers 1` spends its CPU, one stage at a time in this process,
    on the same files: the stages process_file and store_files chain."""
    from etl.claim import content_hash
    from etl.pipeline import (
        Processed,
        _manifest,
        manifest_path_for,
        read_claims,
        store_files,
    )
    from etl.reading.describe import describe
    from etl.reading.ingest import read_document
    from etl.report import Report
    from etl.store import prepare_claims

    man = manifest_path_for([paths[0].parent])
    manifest = _manifest(str(man)) if man else None
    out: dict[str, float] = {}
    # pyarrow's first conversion of a list imports pandas (about 0.3 s): a one-time
    # start-up cost, not the table stage's work (it was counted there or not depending
    # on whether something had imported pandas before)
    import pyarrow as pa
    pa.array([], pa.string())

    def stage(name, fn):
        gc.collect()
        t = time.process_time()
        r = fn()
        out[name] = time.process_time() - t
        return r

    docs = stage("read files", lambda: [read_document(p) for p in paths])
    claims = stage("extraction", lambda: [read_claims(d) for d in docs])
    metas = stage("report metadata (describe)", lambda: [
        describe(d.text, d.name, html_meta=d.html_meta, manifest=manifest) for d in docs])
    reports = [Report(report_id=content_hash(d.raw_text), doc=d.name, path=str(p), format=d.format,
                      encoding=d.encoding, text=d.raw_text, **m) for d, p, m in zip(docs, paths, metas)]
    preps = stage("validate + Arrow table + signature", lambda: [
        prepare_claims(r, c) for r, c in zip(reports, claims)])
    done = [Processed(str(p), r, [], prepared=pr) for p, r, pr in zip(paths, reports, preps)]
    stage("save to the store", lambda: store_files(paths, db, processed=done))
    return out


def inside_run(paths: list[Path], db: Path) -> tuple[dict[str, float], dict[str, float]]:
    """One real `pipeline.run(workers=1)` in this process (the reading thread and the
    writer, as the command runs them), with a CPU timer (per thread) around each stage,
    so that nothing beyond extraction goes unnamed: ({stage: CPU s}, {thread figures}).
    The stages are wrapped where the run looks them up, so the run's code is unchanged."""
    from collections import defaultdict

    import etl.pipeline as pipeline
    import etl.reading.describe as describe_mod
    import etl.reading.ingest as ingest
    from etl.read_ahead import ReadAhead
    from etl.store.connection import Connection
    from etl.store.runs import RunLog
    from etl.store.writes import ReportWrites

    cpu: dict[str, float] = defaultdict(float)
    waits: dict[str, float] = defaultdict(float)
    undo = []

    def timed_stage(owner, name: str, label: str, clock=time.thread_time, into=cpu) -> None:
        fn = getattr(owner, name)

        def wrapper(*a, **k):
            t = clock()
            try:
                return fn(*a, **k)
            finally:
                into[label] += clock() - t
        setattr(owner, name, wrapper)
        undo.append((owner, name, fn))

    timed_stage(ingest, "read_document", "read files")
    timed_stage(pipeline, "read_claims_and_view", "extraction")   # process_file calls it (describe28)
    timed_stage(describe_mod, "describe", "report metadata (describe)")
    timed_stage(pipeline, "_prepared", "validate + Arrow table + signature")
    timed_stage(ReportWrites, "save_reports", "save: insert + commit")
    timed_stage(Connection, "_hold_close", "save: final checkpoint (closing the store)")
    timed_stage(Connection, "_hold_open", "open the store + schema")
    timed_stage(Connection, "init", "open the store + schema")
    for name in ("begin_run", "finish_run", "record_files"):
        timed_stage(RunLog, name, "run log")
    timed_stage(pipeline, "_follow_edits", "run log")
    # wall seconds each side waited for the other: which one bounds the run's wall time
    timed_stage(ReadAhead, "_wait_for_room", "reader waited for the writer (wall)", time.perf_counter, waits)
    timed_stage(ReadAhead, "__next__", "writer waited for the reader (wall)", time.perf_counter, waits)
    threads: dict[str, float] = {}
    produce = ReadAhead._produce

    def counted_produce(self):
        t = time.thread_time()
        try:
            produce(self)
        finally:
            threads["reading thread CPU"] = time.thread_time() - t
    ReadAhead._produce = counted_produce
    undo.append((ReadAhead, "_produce", produce))
    # the command reads in a worker process where it forks (etl/process_ahead.py), out of
    # these timers' sight: here the reading takes the thread it takes where processes are
    # dear, so that its stages are timed; the command's own figures are the ones above
    reading_in_a_process = pipeline.reading_in_a_process
    pipeline.reading_in_a_process = lambda: False
    undo.append((pipeline, "reading_in_a_process", reading_in_a_process))
    try:
        gc.collect()
        t_cpu, t_main, t_wall = time.process_time(), time.thread_time(), time.perf_counter()
        pipeline.run(paths, db, workers=1, progress=False)
        threads["writer thread CPU"] = time.thread_time() - t_main
        threads["process CPU"] = time.process_time() - t_cpu
        threads["wall"] = time.perf_counter() - t_wall
    finally:
        for owner, name, fn in reversed(undo):
            setattr(owner, name, fn)
    # the stages nest nowhere but here: reading happens inside process_file, not inside
    # another stage, so the rest of the process's CPU is what no stage names
    out = dict(cpu)
    out["not in a named stage (loop, records, start of the thread …)"] = threads["process CPU"] - sum(cpu.values())
    threads.update(waits)
    return out, threads


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "bench_corpus"))
    ap.add_argument("--files", type=int, default=None, help="only the first N files")
    ap.add_argument("--rounds", type=int, default=3, help="best of R runs (default 3)")
    ap.add_argument("--before", help="another checkout whose commands to time alongside")
    ap.add_argument("--only", choices=["extract"], help="only extraction and `etl extract`")
    ap.add_argument("--no-bytecode", action="store_true",
                    help="the commands compile their sources at every start (PYTHONDONTWRITEBYTECODE "
                         "as set here), instead of reading bytecode as an installed checkout does")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    texts = load(corpus, args.files)
    if texts is None:
        return 1
    n = sum(map(len, texts))
    work = Path(tempfile.mkdtemp(prefix="whole-path-"))
    try:
        return _bench(args, corpus, texts, n, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench(args, corpus: Path, texts: list[str], n: int, work: Path) -> int:
    # the commands read exactly the files measured in-process
    inp = work / "in"
    inp.mkdir()
    for p in sorted(p for p in corpus.iterdir() if p.suffix in (".md", ".txt"))[:args.files]:
        os.symlink(p.resolve(), inp / p.name)
    tiny_dir = work / "tiny"
    tiny_dir.mkdir()
    tiny = tiny_dir / "tiny.txt"
    tiny.write_text(TINY, encoding="utf-8")

    trees = [("after", ROOT)] + ([("before", Path(args.before).resolve())] if args.before else [])
    env = dict(os.environ)
    env.pop("REPORT_FIGURES_PURE", None)
    if not args.no_bytecode:
        # the commands read their modules' bytecode as an installed checkout does (Python
        # writes __pycache__ at the first start); kept in the work folder, so neither tree
        # is written to. A shell with PYTHONDONTWRITEBYTECODE=1 (this sandbox, the Docker
        # image before it compiled its sources) compiles etl's sources at every start
        # instead: about 0.09 s of a one-file `etl run` (--no-bytecode measures that)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    # each tree its own parsed-data cache (etl/file_cache.py), filled before the timing:
    # start-up is measured warm, and neither tree (nor anyone else on the machine)
    # evicts the other's entries mid-run
    envs = {name: dict(env, REPORT_FIGURES_CACHE=str(work / f"cache-{name}")) for name, _ in trees}
    for name, tree in trees:
        timed(tree, ["extract", str(tiny), "-o", str(work / "t.jsonl")], envs[name])
        if not args.only:       # and the store's modules' bytecode, their first start
            timed(tree, ["run", str(tiny_dir), "--db", str(work / f"warm-{name}.duckdb"), "--no-progress"],
                  envs[name])

    # `etl extract --workers N` (a tree from before it has none: its row is left out)
    extract_workers = {name: "--workers" in subprocess.run(
        [sys.executable, "-m", "etl", "extract", "--help"], cwd=tree, env=envs[name],
        capture_output=True, text=True).stdout for name, tree in trees}

    from etl.extraction import BUILD, segmenter
    from etl.extraction.extract import extract_text
    segmenter.warm_up()
    extract_text(TINY, "warm")

    def regex():
        sum(1 for x in texts for _ in BASELINE.finditer(x))

    def extract():
        for x in texts:
            extract_text(x, "bench")

    best: dict[tuple[str, str], tuple[float, float]] = {}

    def note(key: tuple[str, str], wall: float, cpu: float) -> None:
        w, c = best.get(key, (float("inf"), float("inf")))
        best[key] = (min(w, wall), min(c, cpu))
        per_round.setdefault(key, []).append((wall, cpu))

    t_regex = t_extract = float("inf")
    # extraction alone at every round's start and once after the last: each command is
    # also set against the mean of the two passes around its round (`paired`), so a
    # machine that slows down or speeds up between rounds moves both sides of the ratio
    samples: list[float] = []
    firsts: list[float] = []        # extraction's first sight, a fresh process each round
    per_round: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for r in range(args.rounds):
        # the in-process figures are taken in every round too, so they share its load
        t_regex = min(t_regex, best_of(regex, 1))
        samples.append(best_of(extract, 1))
        t_extract = min(t_extract, samples[-1])
        firsts.append(first_sight(corpus, args.files))
        order = trees if r % 2 == 0 else trees[::-1]      # interleaved: neither always goes first
        for name, tree in order:
            out = work / f"{name}.jsonl"
            env = envs[name]
            note((name, "extract"), *timed(tree, ["extract", str(inp), "-o", str(out)], env))
            if extract_workers[name]:
                note((name, "extract2"), *timed(tree, ["extract", str(inp), "-o", str(work / f"{name}-2.jsonl"),
                                                       "--workers", "2"], env))
            for w in (() if args.only else (1, 2)):
                db = work / f"{name}-{w}.duckdb"
                note((name, f"run{w}"), *timed(tree, ["run", str(inp), "--db", str(db), "--workers", str(w),
                                                      "--no-progress"], env))
                if w == 1 and r == args.rounds - 1:
                    continue        # the last one-worker store of each tree: compared below
                for p in work.glob(f"{name}-{w}.duckdb*"):
                    p.unlink()
            for k in range(3):
                note((name, "start-extract"), *timed(tree, ["extract", str(tiny), "-o", str(work / "t.jsonl")], env))
                if args.only:
                    continue
                db = work / f"tiny-{name}.duckdb"
                note((name, "start-run"), *timed(tree, ["run", str(tiny_dir), "--db", str(db), "--no-progress"], env))
                for p in work.glob(f"tiny-{name}.duckdb*"):
                    p.unlink()
        gc.collect()
    samples.append(best_of(extract, 1))
    t_extract = min(t_extract, samples[-1])

    if not args.only:
        stages = phases(sorted(inp.iterdir()), work / "phases.duckdb")
        # extraction alone timed just before and just after the run, so that the run's
        # own extraction is set against a figure taken under the same load (against the
        # best of R taken earlier, one sample at the end looked 1.34x dearer: issue 23)
        near = [best_of(extract, 1)]
        inside, threads = inside_run(sorted(inp.iterdir()), work / "inside.duckdb")
        near.append(best_of(extract, 1))
    x_rate = n / t_extract
    print(f"machine     {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}")
    print(f"build       {BUILD}")
    print(f"corpus      {len(texts)} files, {n:,} characters ({corpus})")
    print(f"rounds      best of {args.rounds}" + (", before/after interleaved" if args.before else ""))
    print("bytecode    " + ("compiled at every start (--no-bytecode)" if args.no_bytecode else
                            "read from a cache, as an installed checkout does (PYTHONPYCACHEPREFIX)"))
    print(f"load        {os.getloadavg()[0]:.1f} (1-minute load average at the end)")
    print()
    print("| path | tree | CPU s | M chars/s (CPU) | × extraction alone (CPU) | wall s | × extraction alone (wall) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    print(f"| regex scan | | {t_regex:.2f} | {n / t_regex / 1e6:.2f} | {t_extract / t_regex:.2f} | | |")
    print(f"| extraction alone (in process) | | {t_extract:.2f} | {x_rate / 1e6:.2f} | 1.00 | | |")
    rows = (("extract", "`etl extract DIR -o FILE`"), ("extract2", "`etl extract --workers 2`"),
            ("run1", "`etl run --workers 1`"),
            ("run2", "`etl run --workers 2`"))
    for key, label in rows[:2] if args.only else rows:
        for name, _ in trees:
            if (name, key) not in best:
                continue
            wall, cpu = best[(name, key)]
            print(f"| {label} | {name} | {cpu:.2f} | {n / cpu / 1e6:.2f} | {n / cpu / x_rate:.2f} | "
                  f"{wall:.2f} | {n / wall / x_rate:.2f} |")
    _paired_table(rows[:2] if args.only else rows, trees, per_round, samples)
    _first_sight_table(trees, per_round, firsts)
    print()
    print("| start-up: the whole command on a one-sentence file | tree | CPU s | wall s |")
    print("|---|---|---:|---:|")
    for key, label in (("start-extract", "`etl extract`"), ("start-run", "`etl run` (new store)")):
        if args.only and key == "start-run":
            continue
        for name, _ in trees:
            wall, cpu = best[(name, key)]
            print(f"| {label} | {name} | {cpu:.2f} | {wall:.2f} |")
    if not args.only:
        _stage_tables(stages, inside, threads, near)
    print()
    print("targets     extract ≥ 0.8×, run (1 worker) ≥ 0.6× extraction alone; start-up ≤ 0.5 s")
    if args.before:
        print()
        same = (work / "after.jsonl").read_bytes() == (work / "before.jsonl").read_bytes()
        print(f"same output {'yes' if same else 'NO'}: the two trees' `etl extract` files, byte for byte "
              f"({(work / 'after.jsonl').stat().st_size:,} bytes after)")
    for name, _ in trees:
        if extract_workers[name]:
            same = (work / f"{name}-2.jsonl").read_bytes() == (work / f"{name}.jsonl").read_bytes()
            print(f"same output {'yes' if same else 'NO'}: {name}'s `etl extract --workers 2` and its one-process file")
        if not args.only:
            print("same store  " + same_rows(work / "after-1.duckdb", work / "before-1.duckdb"))
    return 0


def _paired_table(rows, trees, per_round: dict[tuple[str, str], list[tuple[float, float]]],
                  samples: list[float]) -> None:
    """Each command against extraction alone timed around its own round: the median of
    the rounds' ratios, and their range. Best-of figures take the command and extraction
    alone from whichever rounds were fastest, which on a drifting machine can be minutes
    apart; a round's pair is never more than one round apart."""
    import statistics

    refs = [(a + b) / 2 for a, b in zip(samples, samples[1:])]
    print()
    print(f"| paired: × extraction alone around the same round ({len(refs)} rounds) | tree | "
          "CPU, median (min–max) | wall, median (min–max) |")
    print("|---|---|---:|---:|")
    for key, label in rows:
        for name, _ in trees:
            if (name, key) not in per_round:
                continue
            pairs = per_round[(name, key)]
            cells = []
            for i in (1, 0):        # CPU first, then wall
                ratios = [ref / p[i] for ref, p in zip(refs, pairs)]
                cells.append(f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})")
            print(f"| {label} | {name} | {cells[0]} | {cells[1]} |")
    print("extraction alone per round (CPU s): " + " / ".join(f"{x:.2f}" for x in samples))


def _first_sight_table(trees, per_round: dict[tuple[str, str], list[tuple[float, float]]],
                       firsts: list[float]) -> None:
    """`etl extract` against extraction alone as the command meets it: each text seen the
    first time, in a fresh process timed in the same round. "Extraction alone" above is
    a second pass over texts the process has seen (best of R): the extraction's memo
    tables then answer every phrase (bench/RESULTS.md, first34), which no command that
    reads a text once can have."""
    import statistics

    print()
    print(f"| against extraction's first sight (a fresh process each round: {' / '.join(f'{x:.2f}' for x in firsts)} "
          "CPU s) | tree | CPU, median (min–max) | wall, median (min–max) |")
    print("|---|---|---:|---:|")
    for name, _ in trees:
        pairs = per_round[(name, "extract")]
        cells = []
        for i in (1, 0):
            ratios = [f / p[i] for f, p in zip(firsts, pairs)]
            cells.append(f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})")
        print(f"| `etl extract DIR -o FILE` | {name} | {cells[0]} | {cells[1]} |")


def _stage_tables(stages: dict[str, float], inside: dict[str, float], threads: dict[str, float],
                  near: list[float]) -> None:
    print()
    print("| where `etl run` spends its CPU (in this process, stage by stage) | CPU s | × extraction |")
    print("|---|---:|---:|")
    for name, secs in stages.items():
        print(f"| {name} | {secs:.2f} | {secs / stages['extraction']:.2f} |")
    print()
    x_inside = inside["extraction"]
    print("| inside one `etl run --workers 1` in this process (CPU per stage, per thread) | CPU s | × extraction |")
    print("|---|---:|---:|")
    for name, secs in sorted(inside.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {secs:.2f} | {secs / x_inside:.2f} |")
    print(f"| **the whole run (process CPU)** | {threads['process CPU']:.2f} | {threads['process CPU'] / x_inside:.2f} |")
    for name in ("reading thread CPU", "writer thread CPU", "wall", "reader waited for the writer (wall)",
                 "writer waited for the reader (wall)"):
        if name in threads:
            print(f"| {name} | {threads[name]:.2f} | {threads[name] / x_inside:.2f} |")
    if near:
        before, after = near
        alone = (before + after) / 2
        print(f"| extraction alone, timed just before / after this run | {before:.2f} / {after:.2f} | "
              f"{alone / x_inside:.2f} |")
        print(f"\nin-run extraction against extraction alone timed beside it: {x_inside / alone:.2f}×")


# What two stores built from the same files must share, row for row: what a run
# writes, without its timestamps, rules version and content signature (a hash whose
# scheme may change between the trees).
SAME_ROWS = {
    "claims": "SELECT * FROM claims ORDER BY claim_id",
    "reports": "SELECT * EXCLUDE (content_sig, ingested_at, rules_version) FROM reports ORDER BY report_id",
    "report_files": "SELECT path, doc, report_id FROM report_files ORDER BY path",
}


def same_rows(a: Path, b: Path) -> str:
    """Whether the stores `a` and `b` (the trees' one-worker runs on the same files)
    hold the same rows: a speed change must not change what is stored."""
    import duckdb

    out, same = [], True
    for table, sql in SAME_ROWS.items():
        rows = []
        for db in (a, b):
            con = duckdb.connect(str(db), read_only=True)
            try:
                con.execute("SET enable_progress_bar = false")
                rows.append(con.execute(sql).fetchall())
            finally:
                con.close()
        if rows[0] == rows[1]:
            out.append(f"{table} {len(rows[0]):,}")
        else:
            same = False
            out.append(f"{table} DIFFERENT ({len(rows[0]):,} after, {len(rows[1]):,} before)")
    return ("the same rows in " if same else "NOT the same rows: ") + ", ".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
