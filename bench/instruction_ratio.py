"""Issue 17's and issue 23's ratios in instructions, which do not depend on the load.

    .venv/bin/python bench/instruction_ratio.py [--corpus ../shared/bench_corpus] [--every 14]
        [--only-extraction] [--source]

The ratio of extract_bench.py (extraction alone against a plain regex scan, target
>= 0.09) swings 0.065-0.107 for one build on this shared VM within half an hour
(bench/RESULTS.md), so it cannot show a change of 5 %. Here the same two functions
(`extract_bench.scan_numbers`, `extract_bench.extract_all`: the same regex) run on the
same files under callgrind, each counted alone: the child process loads the texts, warms
up as extract_bench does (segmenter, rules, one sentence) and runs the function once
uncounted (extract_bench keeps the best of R runs, a warm one), then once more inside
`operator.call`, the one C function callgrind collects in (`--collect-atstart=no
--toggle-collect=_operator_call`). Printed: instructions per character of each and
their ratio, which reads like the timed one (regex instructions / extraction
instructions). Extraction keeps memos (words' counts and categories, phrases' features),
so a second pass is cheaper than a command's first: `--cold` counts the first pass.

Then issue 23's: `etl extract DIR -o FILE` and `etl run DIR --workers 1` (a new store),
each a whole process as run_instructions.py counts it (cachegrind, start-up, every
thread), against extraction alone, as bench/whole_path.py sets their CPU seconds against it.
run_instructions.py --stages splits the run further.

Files: every 14th of the sorted bench corpus from the first (102 of 1,424 files, about
1.0 M characters; `--every`); `extract_bench.py --every 14` times the same files. Every process runs with PYTHONHASHSEED=0 (string hashes
otherwise vary dict probing by a few M per run) and its own warmed bytecode and file
caches. A run takes about 5 minutes on one core. Needs valgrind.
"""
from __future__ import annotations

import argparse
import gc
import operator
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from extract_bench import corpus_paths, extract_all, load, scan_numbers, warm_up  # noqa: E402
from run_instructions import _count, _env, _run_args  # noqa: E402

# callgrind counting only what runs inside operator.call (nothing in etl calls it)
MEASURED = ("--tool=callgrind", "--collect-atstart=no", "--toggle-collect=_operator_call")
WORK = {"regex": scan_numbers, "extract": extract_all}


def child(work: str, folder: str, cold: bool) -> None:
    """The counted process: `work` on the texts of `folder`, inside operator.call, after
    an uncounted pass over the same texts unless `cold`."""
    sys.path.insert(0, os.getcwd())
    texts = load(Path(folder), None)
    warm_up()
    fn = WORK[work]
    if not cold:
        gc.collect()
        fn(texts)                  # the timed bench's best run is a warm one
    gc.collect()
    operator.call(fn, texts)


def per_char(n: int, chars: int) -> str:
    return f"{n / 1e6:,.1f} M | {n / chars:,.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--every", type=int, default=14, help="every N-th file (default 14)")
    ap.add_argument("--only-extraction", action="store_true",
                    help="the regex scan and extraction alone, not the two commands")
    ap.add_argument("--source", action="store_true",
                    help="run the Python source even when the compiled build is current")
    ap.add_argument("--cold", action="store_true",
                    help="count extraction's first pass over the texts (a command's), not a second")
    ap.add_argument("--child", choices=sorted(WORK), help=argparse.SUPPRESS)
    ap.add_argument("folder", nargs="?", help=argparse.SUPPRESS)   # the child's
    a = ap.parse_args(argv)
    if a.child:
        child(a.child, a.folder, a.cold)
        return 0
    if not a.corpus.is_dir():
        print(f"no benchmark corpus at {a.corpus}", file=sys.stderr)
        return 1
    paths = corpus_paths(a.corpus, every=a.every)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    with tempfile.TemporaryDirectory(prefix="ir-ratio-") as tmp:
        scratch = Path(tmp)
        folder = scratch / "in"
        folder.mkdir()
        for p in paths:
            os.symlink(p.resolve(), folder / p.name)
        env = _env(ROOT, scratch)
        env["PYTHONHASHSEED"] = "0"
        env.pop("REPORT_FIGURES_PURE", None)
        if a.source:
            env["REPORT_FIGURES_PURE"] = "1"
        script = str(Path(__file__).resolve())
        cold = ["--cold"] if a.cold else []
        counts = {work: _count(ROOT, lambda w=work: [script, "--child", w, str(folder), *cold], env,
                               scratch, MEASURED) for work in WORK}
        if not a.only_extraction:
            out = scratch / "claims.jsonl"
            counts["etl extract"] = _count(
                ROOT, lambda: ["-m", "etl", "extract", str(folder), "-o", str(out)], env, scratch)
            counts["etl run"] = _count(ROOT, lambda: _run_args(folder, scratch), env, scratch)
    build = "Python source" if a.source else _build_name()
    x = counts["extract"]
    print(f"files    every {a.every}th of {a.corpus}: {len(paths)} files, {chars:,} characters")
    print(f"build    {build}; PYTHONHASHSEED=0; "
          + ("first pass (--cold)" if a.cold else "second pass over the same texts, as the timed best of R"))
    print()
    print("| measure | instructions | per character | ratio |")
    print("|---|---:|---:|---|")
    print(f"| regex scan (callgrind, toggled) | {per_char(counts['regex'], chars)} | |")
    print(f"| extraction alone (callgrind, toggled) | {per_char(x, chars)} | "
          f"**{counts['regex'] / x:.4f}** of the regex scan's speed (issue 17: ≥ 0.09) |")
    if not a.only_extraction:
        print(f"| `etl extract DIR -o FILE`, whole process | {per_char(counts['etl extract'], chars)} | "
              f"**{x / counts['etl extract']:.3f}×** extraction alone (issue 23: ≥ 0.8×) |")
        print(f"| `etl run --workers 1`, whole process | {per_char(counts['etl run'], chars)} | "
              f"**{x / counts['etl run']:.3f}×** extraction alone (issue 23: ≥ 0.6×) |")
    return 0


def _build_name() -> str:
    sys.path.insert(0, str(ROOT))
    from etl.extraction import BUILD
    return BUILD


if __name__ == "__main__":
    raise SystemExit(main())
