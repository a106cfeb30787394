"""Extraction throughput on one core, against a plain regex scan of the same text.

    .venv/bin/python bench/extract_bench.py [--corpus ../shared/bench_corpus] [--files N] [--every N]
        [--repeat R] [--source]

Prints characters per second for a regex scan of every number (the practical upper
limit for anything that looks at every character in Python) and for the full
extractor (numbers, units, approximation, claim/non-claim, subjects, qualifiers),
and their ratio, measured in one run on the same text. Target (issue 3): extraction
at >= 1.5 million characters per second; issue 17: the ratio >= 0.09.

On a shared VM that ratio swings by a third for one build (bench/RESULTS.md); the same
two functions counted in instructions, which do not depend on the load, are
bench/instruction_ratio.py.
"""
from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The baseline: every run of digits or Chinese numerals, nothing else.
BASELINE = re.compile(r"\d+(?:\.\d+)?|[零〇一二三四五六七八九十百千万亿两]+")
WARM_UP = "预热：发放慰问金27万元，吸引55个部门的6600余名干部职工。"


def corpus_paths(corpus: Path, files: int | None = None, every: int = 1) -> list[Path]:
    """The corpus's reports in name order: every `every`-th from the first, the first `files` of those."""
    return sorted(p for p in corpus.iterdir() if p.suffix in (".md", ".txt"))[::every][:files]


def load(corpus: Path, files: int | None, every: int = 1) -> list[str] | None:
    """The texts of corpus_paths, or None, said on stderr, when the corpus is absent."""
    if not corpus.is_dir():
        print(f"no benchmark corpus at {corpus}", file=sys.stderr)
        return None
    return [p.read_text(encoding="utf-8") for p in corpus_paths(corpus, files, every)]


def warm_up() -> None:
    """What neither measure counts: the segmenter's dictionary, the rules, OpenCC."""
    from etl.extraction import segmenter
    from etl.extraction.extract import extract_text
    segmenter.warm_up()
    extract_text(WARM_UP)


def scan_numbers(texts: list[str]) -> int:
    """The baseline's work: every number run of `texts` found (their count)."""
    return sum(1 for x in texts for _ in BASELINE.finditer(x))


def extract_all(texts: list[str]) -> tuple[int, int]:
    """Extraction's work on the same texts: (mentions, claims)."""
    from etl.extraction.extract import extract_text
    mentions = claims = 0
    for x in texts:
        cs = extract_text(x, "bench")
        mentions += len(cs)
        claims += sum(c.is_claim for c in cs)
    return mentions, claims


def best_of(fn, repeat: int) -> float:
    """Best CPU time of `repeat` runs: CPU time, not wall time, so other processes on
    a shared machine disturb it less (the work is single-threaded)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "bench_corpus"))
    ap.add_argument("--files", type=int, default=None, help="only the first N files")
    ap.add_argument("--every", type=int, default=1,
                    help="every N-th file (instruction_ratio.py's spread: --every 14)")
    ap.add_argument("--repeat", type=int, default=3, help="best of R runs (default 3)")
    ap.add_argument("--source", action="store_true",
                    help="run the Python source even when the compiled build is current")
    args = ap.parse_args()
    if args.source:
        os.environ["REPORT_FIGURES_PURE"] = "1"     # read when etl.extraction is first imported
    corpus = Path(args.corpus)
    texts = load(corpus, args.files, args.every)
    if texts is None:
        return 1
    n = sum(map(len, texts))

    from etl.extraction import BUILD
    t = time.perf_counter()
    warm_up()
    warm = time.perf_counter() - t

    counts = {}

    def regex():
        counts["regex"] = scan_numbers(texts)

    def extract():
        counts["mentions"], counts["claims"] = extract_all(texts)

    t_regex = best_of(regex, args.repeat)
    t_extract = best_of(extract, args.repeat)
    print(f"machine     {platform.machine()}, Python {platform.python_version()}, one core")
    print(f"build       {BUILD}")
    print(f"corpus      {len(texts)} files, {n:,} characters ({corpus})")
    print(f"warm-up     {warm:.2f} s (jieba dictionary, rules, OpenCC)")
    print(f"{'':12}{'CPU s':>8}{'M chars/s':>11}  found")
    print(f"{'regex scan':12}{t_regex:8.2f}{n / t_regex / 1e6:11.2f}  {counts['regex']:,} number runs")
    print(f"{'extract':12}{t_extract:8.2f}{n / t_extract / 1e6:11.2f}  {counts['mentions']:,} mentions, "
          f"{counts['claims']:,} claims")
    print(f"ratio       extract / regex scan = {t_regex / t_extract:.3f}")
    print(f"target      1.5 M chars/s: {'met' if n / t_extract >= 1.5e6 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
