"""Throughput against the alternatives, measured in one run on the same text.

    .venv/bin/python bench/compare_bench.py [--corpus ../shared/bench_corpus] [--files N]

Rows: a plain regex scan of every number (the practical upper limit), our extractor
(every mention, classified, with subjects), JioNLP's money extractor (money only) and
cn2an's in-text conversion (numerals only, no units, no offsets). JioNLP and cn2an are
installed in the benchmark's own environment (bench/.venv-compare), never in the
app's: the first run creates it. CPU seconds, single process.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
COMPARE_VENV = ROOT / "bench" / ".venv-compare"
BASELINE = re.compile(r"\d+(?:\.\d+)?|[零〇一二三四五六七八九十百千万亿两]+")

# Runs inside bench/.venv-compare: times JioNLP's MoneyExtractor and cn2an.transform.
_OTHERS = r'''
import json, sys, time, logging
paths = json.loads(sys.argv[1])
texts = [open(p, encoding="utf-8").read() for p in paths]
n = sum(map(len, texts))
out = {}
from jionlp.algorithm.ner.money_extractor import MoneyExtractor
ext = MoneyExtractor()
ext("预热 27万元")
t = time.process_time(); found = 0
for x in texts:
    found += len(ext(x))
out["jionlp money"] = (time.process_time() - t, found)
import cn2an
cn2an.transform("预热二十七万元", "cn2an")
t = time.process_time(); changed = 0
for x in texts:
    y = cn2an.transform(x, "cn2an")
    changed += y != x
out["cn2an transform"] = (time.process_time() - t, changed)
print(json.dumps({"chars": n, "rows": out}))
'''


def ensure_compare_venv() -> Path:
    py = COMPARE_VENV / "bin" / "python"
    if not py.exists():
        print("creating bench/.venv-compare with jionlp and cn2an (first run only) ...", file=sys.stderr)
        venv.create(COMPARE_VENV, with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "jionlp", "cn2an"],
                       check=True)
    return py


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "bench_corpus"))
    ap.add_argument("--files", type=int, default=300, help="first N files (default 300)")
    args = ap.parse_args()
    paths = sorted(p for p in Path(args.corpus).iterdir() if p.suffix in (".md", ".txt"))[:args.files]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    n = sum(map(len, texts))

    from etl.extraction import segmenter
    from etl.extraction.extract import extract_text
    segmenter.warm_up()
    extract_text("预热：发放慰问金27万元。")
    rows = {}
    t = time.process_time()
    rows["regex scan"] = (None, sum(1 for x in texts for _ in BASELINE.finditer(x)), "number runs")
    rows["regex scan"] = (time.process_time() - t, rows["regex scan"][1], "number runs")
    t = time.process_time()
    mentions = claims = money = 0
    for x in texts:
        cs = extract_text(x, "bench")
        mentions += len(cs)
        claims += sum(c.is_claim for c in cs)
        money += sum(c.is_claim and c.unit_class == "money" for c in cs)
    rows["report figures"] = (time.process_time() - t, mentions,
                              f"mentions ({claims} claims, {money} money claims), with subjects")
    py = ensure_compare_venv()
    res = subprocess.run([str(py), "-c", _OTHERS, json.dumps([str(p) for p in paths])],
                         capture_output=True, text=True, check=True)
    other = json.loads(res.stdout.strip().splitlines()[-1])
    rows["jionlp money"] = (*other["rows"]["jionlp money"], "money spans only")
    rows["cn2an transform"] = (*other["rows"]["cn2an transform"], "texts changed (no spans, no units)")

    base = rows["regex scan"][0]
    print(f"{len(paths)} files, {n:,} characters; CPU seconds, one process")
    print("| tool | CPU s | M chars/s | vs regex | found |")
    print("|---|---:|---:|---:|---|")
    for name, (secs, found, what) in rows.items():
        print(f"| {name} | {secs:.2f} | {n / secs / 1e6:.2f} | {base / secs:.3f} | {found:,} {what} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
