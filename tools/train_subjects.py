"""Fit the weights of the subject finder's scored choice and write them as data:

    .venv/bin/python tools/train_subjects.py [--sets dev,dev2,news] [--news-weight 1]
        [--out data/rules/subject_weights.yaml]

For every gold claim the extractor finds, `etl.extraction.subjects` offers candidate phrases with
features (`_features`: which rule proposed it, side and distance, whether its head word
fits the classifier, attribute and status words …). The weights are those of a
conditional logit (a softmax over each claim's candidates) that maximises the
probability of the candidates naming the gold subject, with an L2 penalty; numpy,
plain gradient descent. The earlier figures' subjects are candidates too, and they
depend on the weights, so the fit is run twice: trace, fit, trace again with the
weights found, fit again. The news set (bench/subject_gold_news.tsv, the judged audit
samples) weighs each of its claims news_weight times a development claim.

tools/loro.py measures what these weights are worth on a report they were not fitted on.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import subject_data as sd  # noqa: E402

L2 = 0.001       # penalty per feature weight, relative to the mean log-likelihood
STEPS = 600
RATE = 0.5
ROUNDS = 2       # trace-and-fit rounds (earlier subjects depend on the weights)
START: dict[str, float] = {}   # before any fit: every candidate alike
NEWS_WEIGHT = 1.0   # a news claim's weight in the fit, a development claim's being 1
SETS = "dev,dev2"


DROP: set[str] = set()     # feature prefixes left out (experiments: --drop cascade)


def fit(examples: list[sd.Example], l2: float = L2, steps: int = STEPS,
        news_weight: float = NEWS_WEIGHT, prior: dict[str, float] | None = None) -> dict[str, float]:
    """Weights maximising the weighted mean over claims of log P(a positive candidate)
    - l2 |w - prior|^2 (a news claim weighs news_weight, a development claim 1; the
    prior is 0, or weights fitted before, which the fit then starts from and moves away
    from only as far as the data pays for)."""
    prior = prior or {}
    usable = [e for e in examples if any(e.positive) and len(e.cands) > 1
              and (e.set != "news" or news_weight > 0)]
    names = sorted({f for e in usable for _, feats in e.cands for f in feats
                    if not any(f.startswith(d) for d in DROP)})
    if not usable or not names:
        return dict(prior or START)
    index = {f: i for i, f in enumerate(names)}
    mats, masks = [], []
    for e in usable:
        x = np.zeros((len(e.cands), len(names)))
        for r, (_, feats) in enumerate(e.cands):
            for f, v in feats.items():
                if f in index:
                    x[r, index[f]] = v
        mats.append(x)
        masks.append(np.array(e.positive, dtype=float))
    # one block matrix: rows of all candidates, a claim id per row
    X = np.vstack(mats)
    pos = np.concatenate(masks)
    owner = np.concatenate([np.full(len(m), i) for i, m in enumerate(mats)])
    n = len(mats)
    cw = np.array([news_weight if e.set == "news" else 1.0 for e in usable])
    total = cw.sum()
    w0 = np.array([prior.get(f, 0.0) for f in names])
    w = np.array([prior.get(f, START.get(f, 0.0)) for f in names])
    m1 = np.zeros_like(w)
    m2 = np.zeros_like(w)
    for t in range(1, steps + 1):
        s = X @ w
        smax = np.full(n, -np.inf)
        np.maximum.at(smax, owner, s)
        e = np.exp(s - smax[owner])
        z = np.zeros(n)
        np.add.at(z, owner, e)
        zp = np.zeros(n)
        np.add.at(zp, owner, e * pos)
        p = e / z[owner]
        q = e * pos / zp[owner]
        grad = X.T @ ((p - q) * cw[owner]) / total + 2 * l2 * (w - w0)
        # Adam: the features differ a lot in how often they fire
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= RATE * 0.1 * (m1 / (1 - 0.9 ** t)) / (np.sqrt(m2 / (1 - 0.999 ** t)) + 1e-8)
    out = {f: v for f, v in prior.items() if f not in index}    # features no claim here has
    out.update((f, round(float(v), 4)) for f, v in zip(names, w))
    return {f: v for f, v in sorted(out.items()) if abs(v) >= 1e-4}


def log_likelihood(examples: list[sd.Example], weights: dict[str, float]) -> tuple[float, float]:
    """(mean log P(positive), share of claims whose best candidate is positive)."""
    ll, right, n = 0.0, 0, 0
    for e in examples:
        if not any(e.positive):
            continue
        scores = [sum(weights.get(f, 0.0) * v for f, v in feats.items()) for _, feats in e.cands]
        top = max(scores)
        z = sum(math.exp(s - top) for s in scores)
        zp = sum(math.exp(s - top) for s, ok in zip(scores, e.positive) if ok)
        ll += math.log(zp / z)
        best = scores.index(top)
        right += e.positive[best]
        n += 1
    return ll / max(1, n), right / max(1, n)


def train(docs: list[sd.Doc], gold: dict, rounds: int = ROUNDS, verbose: bool = False,
          l2: float = L2, news_weight: float = NEWS_WEIGHT,
          prior: dict[str, float] | None = None,
          news_cache: dict[int, list[sd.Example]] | None = None) -> dict[str, float]:
    """news_cache (tools/loro.py): the news examples of each round traced once and reused
    by every fit given the same cache, as every fold reads the same news files (an
    approximation in round 2, whose trace depends a little on the round-1 weights)."""
    from etl.extraction import subjects
    weights = {f: v for f, v in (prior or START).items() if not any(f.startswith(d) for d in DROP)}
    for r in range(rounds):
        subjects.use_weights(weights)
        if news_cache is None:
            exs = sd.examples(docs, gold)
        else:
            if r not in news_cache:
                news_cache[r] = sd.examples([d for d in docs if d.set == "news"], gold)
            exs = sd.examples([d for d in docs if d.set != "news"], gold) + news_cache[r]
        weights = fit(exs, l2, news_weight=news_weight, prior=prior)
        if verbose:
            ll, acc = log_likelihood(exs, weights)
            reach = sum(any(e.positive) for e in exs) / max(1, len(exs))
            print(f"round {r + 1}: {len(exs)} claims, a right candidate offered for {reach:.3f}, "
                  f"fitted: mean log-lik {ll:.3f}, top candidate right {acc:.3f}", file=sys.stderr)
    subjects.use_weights(weights)
    return weights


def write(weights: dict[str, float], path: Path, docs: list[sd.Doc], l2: float = L2,
          news_weight: float = NEWS_WEIGHT) -> None:
    sets = sorted({d.set for d in docs})
    dev = [d for d in docs if d.set != "news"]
    news = [d for d in docs if d.set == "news"]
    lines = [
        "# Weights of the subject finder's scored choice (etl/extraction/subjects.py `_features`).",
        "# Written by tools/train_subjects.py; do not edit by hand: re-run it after changing",
        "# the candidates, the features or the word lists they read:",
        f"#   .venv/bin/python tools/train_subjects.py --sets {','.join(sets)}"
        + (f" --news-weight {news_weight:g}" if news else "") + (f" --l2 {l2:g}" if l2 != L2 else ""),
        f"# Fitted on {len(dev)} development reports ({', '.join(s for s in sets if s != 'news')})"
        + (f" and the judged claims of {len(news)} bench news files (bench/subject_gold_news.tsv,"
           f" weight {news_weight:g})" if news else "")
        + f", L2 {l2}, {STEPS} steps, {ROUNDS} rounds.",
        "weights:",
    ]
    for f in sorted(weights):
        lines.append(f"  {_yaml_key(f)}: {weights[f]}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _yaml_key(f: str) -> str:
    return f'"{f}"' if any(ch in f for ch in ":#{}[],&*!|>'\"%@`") else f


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=SETS)
    ap.add_argument("--news-weight", type=float, default=NEWS_WEIGHT,
                    help="a news claim's weight in the fit (a development claim's is 1)")
    ap.add_argument("--out", default=str(sd.ROOT / "data" / "rules" / "subject_weights.yaml"))
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--prior", action="store_true",
                    help="start from the weights in --out and centre the L2 penalty on them")
    ap.add_argument("--drop", default="", help="feature prefixes to leave out, comma-separated")
    args = ap.parse_args()
    DROP.update(x for x in args.drop.split(",") if x)
    sets = tuple(args.sets.split(","))
    docs = sd.load_docs(sets)
    gold = sd.load_gold(sets)
    prior = None
    if args.prior:
        from etl import rules
        prior = {str(k): float(v) for k, v in (rules.load_yaml(Path(args.out)).get("weights") or {}).items()}
    weights = train(docs, gold, verbose=True, l2=args.l2, news_weight=args.news_weight, prior=prior)
    write(weights, Path(args.out), docs, args.l2, args.news_weight)
    print(f"wrote {len(weights)} weights to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
