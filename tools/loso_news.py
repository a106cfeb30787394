"""Leave-one-seed-out on the judged news claims: what the subject weights are worth on an
audit sample they were not fitted on.

    .venv/bin/python tools/loso_news.py [--news-weight 0.3,0.5,1] [--l2 0.001,0.003]

For each audit seed in bench/subject_gold_news.tsv, fit the weights (tools/train_subjects.py,
both rounds) on dev + dev2 + the news claims of the other seeds, leaving out every bench
file that holds a claim of the held seed, extract the held seed's files with them and
count the subjects the gold accepts (`subject_data.news_right`: character for character,
the audits' strictness). Two rows to compare against: the weights stored in
data/rules/subject_weights.yaml (never fitted on news, but the hand rules were written
while reading these seeds with them) and a refit on dev + dev2 alone (news weight 0).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import subject_data as sd  # noqa: E402
import train_subjects  # noqa: E402


def held_score(docs: list[sd.Doc], gold: dict, seed: int) -> tuple[int, int, int]:
    """(right, right or the same head, judged) over the held seed's gold rows, with the
    weights in use."""
    rows = {d: [g for g in gs if g.get("seed") == seed] for d, gs in gold.items()}
    held = [d for d in docs if d.set == "news" and rows.get(d.name)]
    res = sd.news_subjects(held, rows)
    return (sum(sd.news_right(g, got) for g, got, _ in res),
            sum(sd.news_same_head(g, got) for g, got, _ in res), len(res))


def split(docs: list[sd.Doc], gold: dict, seed: int) -> tuple[list[sd.Doc], dict]:
    """The training reports and gold without the held seed's files."""
    held = {d for d, gs in gold.items() if any(g.get("seed") == seed for g in gs)}
    return ([d for d in docs if not (d.set == "news" and d.name in held)],
            {k: v for k, v in gold.items() if k not in held})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--news-weight", default="1", help="comma-separated news weights to try")
    ap.add_argument("--l2", default=str(train_subjects.L2), help="comma-separated L2 penalties to try")
    ap.add_argument("--prior", default="", help="comma-separated L2 penalties of fits centred on the stored weights")
    ap.add_argument("--baselines", action="store_true", help="also the stored weights and the dev+dev2 refit")
    args = ap.parse_args()
    from etl.extraction import subjects
    t0 = time.perf_counter()
    sets = ("dev", "dev2", "news")
    docs = sd.load_docs(sets)
    gold = sd.load_gold(sets)
    seeds = sorted({g["seed"] for gs in gold.values() for g in gs if g.get("set") == "news"})
    configs: list[tuple[str, float, float]] = []
    if args.baselines:
        configs += [("stored", 0.0, train_subjects.L2), ("dev+dev2 refit", 0.0, train_subjects.L2)]
    configs += [(f"+news w={w:g} L2={l2:g}", w, l2)
                for w in map(float, args.news_weight.split(",")) for l2 in map(float, args.l2.split(","))]
    configs += [(f"+news w={w:g} prior L2={l2:g}", w, -l2)
                for w in map(float, args.news_weight.split(",")) for l2 in map(float, filter(None, args.prior.split(",")))]
    if args.prior:
        configs = [c for c in configs if c[2] < 0 or c[0] == "stored" or "refit" in c[0]]
    stored = subjects._load_weights()
    print("weights\t" + "\t".join(f"seed {s}" for s in seeds) + "\tall\tsame head (all)")
    for label, w, l2 in configs:
        cells, right_all, head_all, n_all = [], 0, 0, 0
        for s in seeds:
            tr_docs, tr_gold = split(docs, gold, s)
            if label == "stored":
                subjects.use_weights(stored)
            else:
                train_subjects.train(tr_docs, tr_gold, l2=abs(l2), news_weight=w,
                                     prior=stored if l2 < 0 else None)
            right, head, n = held_score(docs, gold, s)
            cells.append(f"{right}/{n}")
            right_all, head_all, n_all = right_all + right, head_all + head, n_all + n
        print(f"{label}\t" + "\t".join(cells) + f"\t{right_all}/{n_all} ({right_all / n_all:.3f})"
              f"\t{head_all}", flush=True)
    subjects.use_weights(subjects._load_weights())
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
