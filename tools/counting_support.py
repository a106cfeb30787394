"""Which role rule decided what, scored against a counting gold: the fitted score of
hand rules broken down by rule, and how many distinct reports support each rule.

    .venv/bin/python tools/counting_support.py GOLD.jsonl PRED.jsonl [--bench PRED2.jsonl]

GOLD: shared/eval/gold-counting-dev.jsonl; PRED: `python -m etl extract` output with
role_reason. For every rule (role_reason without its (list) / (of …) tail) prints how
often it decided a gold figure, how often it was right, and in how many reports it was
right. --bench adds how often each rule fires on another extract output (no gold).
Gold figures are matched to mentions by largest span overlap, as the scorer does.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def rule_of(p: dict | None) -> str:
    if not p or not p.get("role_reason"):
        return "(no role)"
    r = p["role_reason"].split(" (")[0]
    return r if not r.startswith("rate:per ") else "rate:per"


def match(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict | None]]:
    by_doc = defaultdict(list)
    for p in pred:
        by_doc[p["doc"]].append(p)
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(by_doc[g["doc"]]):
            ov = max(0, min(g["end"], p["end"]) - max(g["start"], p["start"]))
            if ov:
                cands.append((ov, gi, g["doc"], pi))
    cands.sort(key=lambda c: -c[0])
    used_g, used_p, out = set(), set(), {}
    for _, gi, doc, pi in cands:
        if gi in used_g or (doc, pi) in used_p:
            continue
        used_g.add(gi)
        used_p.add((doc, pi))
        out[gi] = by_doc[doc][pi]
    return [(g, out.get(i)) for i, g in enumerate(gold)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--bench", help="another extract output: how often each rule fires")
    a = ap.parse_args()
    fired: Counter = Counter()
    right: Counter = Counter()
    docs: dict[str, set] = defaultdict(set)
    for g, p in match(load(a.gold), load(a.pred)):
        r = rule_of(p)
        fired[r] += 1
        of_ok = True
        if g.get("of"):
            of_ok = bool(p and p.get("of") and max(0, min(g["of"][1], p["of"][1]) - max(g["of"][0], p["of"][0])))
        if p and p.get("role") == g["role"] and of_ok:
            right[r] += 1
            docs[r].add(g["doc"])
    bench: Counter = Counter()
    if a.bench:
        for p in load(a.bench):
            if p.get("role"):
                bench[rule_of(p)] += 1
    print(f"{'rule':32s} {'gold':>5s} {'right':>6s} {'reports':>8s}" + (f" {'bench':>7s}" if a.bench else ""))
    for r in sorted(set(fired) | set(bench), key=lambda r: (-fired[r], -bench[r], r)):
        line = f"{r:32s} {fired[r]:5d} {right[r]:6d} {len(docs[r]):8d}"
        print(line + (f" {bench[r]:7d}" if a.bench else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
