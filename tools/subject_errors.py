"""The claims whose subject the scored choice gets wrong, with every candidate and its
score: what to look at before changing a candidate rule or a feature.

    .venv/bin/python tools/subject_errors.py [--sets dev,dev2] [--all] [--doc NAME]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import subject_data as sd  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="dev,dev2")
    ap.add_argument("--all", action="store_true", help="show the right ones too")
    ap.add_argument("--doc", default="")
    args = ap.parse_args()
    from etl.extraction import subjects
    sets = tuple(args.sets.split(","))
    docs = [d for d in sd.load_docs(sets) if not args.doc or args.doc in d.name]
    exs = sd.examples(docs, sd.load_gold(sets))
    w = subjects._WEIGHTS
    wrong = 0
    for e in exs:
        scores = [sum(w.get(f, 0.0) * v for f, v in feats.items()) for _, feats in e.cands]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else -1
        ok = best >= 0 and e.positive[best]
        wrong += not ok
        if ok and not args.all:
            continue
        tag = "ok " if ok else ("NO " if any(e.positive) else "-- ")
        print(f"{tag}{e.doc[:14]} {e.text!r} ({e.unit_class}) gold={e.gold!r}")
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        for i in order[:8]:
            text, feats = e.cands[i]
            fs = " ".join(f"{k}" if v == 1.0 else f"{k}={v:g}" for k, v in sorted(feats.items()) if k != "bias")
            print(f"    {'+' if e.positive[i] else ' '} {scores[i]:6.2f} {text!r:24} {fs}")
    print(f"{wrong} of {len(exs)} wrong", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
