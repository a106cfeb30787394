"""Extraction output, every field of every mention, written once and compared after a change.

    .venv/bin/python bench/extract_snapshot.py write FILE [--files N] [--source]
    .venv/bin/python bench/extract_snapshot.py compare FILE [--files N] [--source]

The texts: the bench corpus (all files, or N spread evenly over it), the dev reports
(shared/corpus) and the dev2 reports (shared/eval/reports-dev2). One line per mention:
the file, then every `Claim` field as its repr (so Decimal('1.0') and Decimal('1')
differ). `compare` extracts again and prints the first differences and their count;
exit status 1 when anything differs. Speed work must keep this at 0 differences.
Keep FILE outside the repository (the bench corpus is never bundled).
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def texts(files: int | None) -> list[tuple[str, str]]:
    bench = sorted(p for p in (SHARED / "bench_corpus").iterdir() if p.suffix in (".md", ".txt"))
    if files is not None and files < len(bench):
        bench = [bench[i * len(bench) // files] for i in range(files)]
    dev = sorted((SHARED / "corpus").glob("*.txt"))
    dev2 = sorted((SHARED / "eval" / "reports-dev2").iterdir())
    return [(f"{p.parent.name}/{p.name}", p.read_text(encoding="utf-8")) for p in (*bench, *dev, *dev2)]


def lines(files: int | None) -> list[str]:
    from etl.extraction.extract import extract_text
    names = [f.name for f in fields(__import__("etl.claim", fromlist=["Claim"]).Claim)]
    out = []
    for name, text in texts(files):
        for c in extract_text(text, name.rpartition("/")[2]):
            out.append("\t".join([name, *(repr(getattr(c, f)) for f in names)]))
    return out


def write_or_compare(action: str, path: Path, got: list[str], noun: str, note: str = "",
                     width: int = 300) -> int:
    """`write`: the lines to `path`. `compare`: the first differences from the lines
    written before and their count; 1 when anything differs (describe_snapshot too)."""
    if action == "write":
        path.write_text("\n".join(got) + "\n", encoding="utf-8")
        print(f"{len(got):,} {noun} written to {path}{note}")
        return 0
    want = path.read_text(encoding="utf-8").splitlines()
    diff = [(i, a, b) for i, (a, b) in enumerate(zip(want, got)) if a != b]
    for i, a, b in diff[:5]:
        print(f"line {i + 1}\n  was {a[:width]}\n  now {b[:width]}")
    n = len(diff) + abs(len(want) - len(got))
    print(f"{len(got):,} {noun} ({len(want):,} before), {n} differing{note}")
    return 1 if n else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("write", "compare"))
    ap.add_argument("file")
    ap.add_argument("--files", type=int, default=None, help="N bench files spread over the corpus")
    ap.add_argument("--source", action="store_true", help="run the Python source, not the compiled build")
    args = ap.parse_args()
    if args.source:
        os.environ["REPORT_FIGURES_PURE"] = "1"
    from etl.extraction import BUILD
    return write_or_compare(args.action, Path(args.file), lines(args.files), "mentions", f" ({BUILD})")


if __name__ == "__main__":
    raise SystemExit(main())
