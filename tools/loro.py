"""Leave-one-report-out: what the fitted subject weights are worth on reports they
were not fitted on.

    .venv/bin/python tools/loro.py [--out DIR] [--errors] [--sets dev,dev2,news] [--news-weight W]

For each of the development reports (the sample reports with gold-dev.jsonl and the
dev2 reports with gold-dev2.jsonl), fit the weights (tools/train_subjects.py) on the
gold of all the others, extract the held-out report with them, and concatenate those
predictions; then score them with the shared scorer (../shared/eval/score.py). Also
scored: the weights fitted on every report (what data/rules/subject_weights.yaml holds
after a full fit), on the same reports: the "fitted" lines. The LORO lines are the
honest ones; the gap between the two is how much the weights learned the reports.
With news in --sets the judged bench news claims (bench/subject_gold_news.tsv) join every
fit, weighted --news-weight; only the development reports are held out and scored.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import subject_data as sd  # noqa: E402
import train_subjects  # noqa: E402

SCORER = sd.EVAL / "score.py"


def write_jsonl(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def score(gold: Path, pred: Path, errors: bool = False) -> list[str]:
    args = [sys.executable, str(SCORER), str(gold), str(pred)] + (["--show-errors"] if errors else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/loro", help="folder for the prediction files")
    ap.add_argument("--errors", action="store_true", help="print the scorer's error lines for dev2 LORO")
    ap.add_argument("--l2", type=float, default=train_subjects.L2, help="the trainer's L2 penalty")
    ap.add_argument("--sets", default=train_subjects.SETS, help="the sets every fit reads")
    ap.add_argument("--news-weight", type=float, default=train_subjects.NEWS_WEIGHT)
    ap.add_argument("--prior", action="store_true",
                    help="centre the L2 penalty on the stored weights (train_subjects --prior)")
    ap.add_argument("--drop", default="", help="feature prefixes the trainer leaves out (experiments)")
    args = ap.parse_args()
    train_subjects.DROP.update(x for x in args.drop.split(",") if x)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from etl.extraction import subjects

    t0 = time.perf_counter()
    sets = tuple(args.sets.split(","))
    docs = sd.load_docs(sets)
    gold = sd.load_gold(sets)
    dev = [d for d in docs if d.set != "news"]
    fit_args = {"l2": args.l2, "news_weight": args.news_weight,
                "prior": subjects._load_weights() if args.prior else None}

    # fitted: weights from every report, applied to every report
    train_subjects.train(docs, gold, **fit_args)
    fitted = sd.extract(dev)
    write_jsonl(fitted, out / "fitted.jsonl")

    # leave one report out; the news claims (never held out) traced once per round
    held: list[dict] = []
    news_cache: dict[int, list[sd.Example]] = {}
    for d in dev:
        others = [o for o in docs if o.name != d.name]
        train_subjects.train(others, {k: v for k, v in gold.items() if k != d.name}, **fit_args,
                             news_cache=news_cache)
        held.extend(sd.extract([d]))
    write_jsonl(held, out / "loro.jsonl")
    subjects.use_weights(subjects._load_weights())

    for label, gold_name, pred in (("dev fitted", "dev", "fitted"), ("dev LORO", "dev", "loro"),
                                   ("dev2 fitted", "dev2", "fitted"), ("dev2 LORO", "dev2", "loro")):
        gpath = sd.GOLD_SETS[gold_name][0]
        lines = score(gpath, out / f"{pred}.jsonl", errors=args.errors and label == "dev2 LORO")
        print(f"== {label} ({len(dev)} reports, {pred} weights)")
        for line in lines:
            if args.errors or not line.startswith(("WRONG", "MISSED", "SPURIOUS")):
                print("   " + line)
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
