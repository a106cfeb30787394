"""Extraction on one very long line: time per MB must stay flat (issue 22, item 2).

    .venv/bin/python bench/long_lines.py [--sizes 1,3,10] [--source]

Each input is a single line of figures, dates, quotes, codes and list numbers with no
sentence end and no line break, `size` MB of UTF-8. Before the fix 1 MB took 34 s and
3 MB 382 s (every figure read its sentence and line from the start); a linear
extractor takes the same seconds per MB at every size. CPU seconds, best of --repeat.
Needs nothing outside the repository.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from extract_bench import best_of  # noqa: E402  (bench/ is on the path: the script's own folder)

# one "sentence" with no end: money, people, person-times, percent, a date, an ordinal,
# a quoted slogan, a title, a phone number, an approximate bare figure, a code, a fraction
PIECE = ("2021年3月5日发放慰问金27万元、6600余名干部职工参加累计2.4万余人次减少了40%"
         "第三批“六个一”活动《20年祭》电话12345678 其中3人 约500 15次60多天 一年一次 A320 100块 1/3 ")


def line_of(mb: float) -> str:
    """A single line of about `mb` MB of UTF-8."""
    per = len(PIECE.encode("utf-8"))
    n = int(mb * 1_000_000 / per) + 1
    return PIECE * n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,3,10", help="MB, comma-separated (default 1,3,10)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--source", action="store_true",
                    help="run the Python source even when the compiled build is current")
    args = ap.parse_args()
    if args.source:
        os.environ["REPORT_FIGURES_PURE"] = "1"
    import etl.extraction
    from etl.extraction.extract import extract_text
    extract_text(PIECE * 20)             # load the segmenter's dictionary outside the timing
    print(f"Extraction build: {etl.extraction.BUILD}\n")
    print("| MB (UTF-8) | characters | mentions | claims | CPU s | s per MB | vs first size |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    first = None
    for mb in (float(s) for s in args.sizes.split(",")):
        text = line_of(mb)
        size = len(text.encode("utf-8")) / 1_000_000
        out: list = []
        secs = best_of(lambda: out.append(extract_text(text, "long.txt")), args.repeat)
        found = out[-1]
        per = secs / size
        first = first or per
        print(f"| {size:.1f} | {len(text):,} | {len(found):,} | {sum(c.is_claim for c in found):,} "
              f"| {secs:.1f} | {per:.2f} | {per / first:.2f}× |", flush=True)
        del out, found
    print("\nLinear means the last column stays near 1.0× (before the fix: 1 MB 34 s, 3 MB 382 s, 3.7×).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
