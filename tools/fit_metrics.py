"""Fit the weights of the metric model (data/rules/metric_model.yaml) on labelled claims.

    .venv/bin/python tools/fit_metrics.py [--eval-dir ../shared/eval] [--write] [--l2 …]

The model (etl/extraction/metrics.py) scores each metric a money, people or person-times figure
may take: a bias for the unit class and metric, plus, for every place around the
figure where one of the metric's words stands (subject, nouns beside the figure, verb
before, verb after, word right before, context words, clause cue, verb beside the
subject), the weight of that place for that metric. The word lists are hand-made
(data/rules/metrics.yaml); this script fits only the numbers: a softmax over the
class's metrics, with a weight per place shared by all metrics plus a per-metric
offset, by gradient descent with L2 shrinkage (offsets and biases shrunk harder).

Labelled claims (neither is copied into the repository's data):
- the development gold of what each figure measures, `gold-metrics-dev.jsonl` in the
  evaluation kit (the two sample reports and the dev2 reports), and
- the hand labels of tests/golden/metrics_eval.yaml for the bundled reports the kit's
  gold does not cover (002-004), money, people and person-times only.

The features of each claim are read by running the extractor (Python source, with the
call to assign_metric recorded), so they are exactly the ones the product sees.
Without --write it prints the accuracy of the fitted weights on the labelled claims;
tools/loro_metrics.py measures them on reports left out of the fit.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

os.environ["REPORT_FIGURES_PURE"] = "1"   # the Python source, so the call can be recorded
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.extraction import extract as _extract  # noqa: E402
from etl.extraction import metrics as _metrics  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
MODEL_FILE = ROOT / "data" / "rules" / "metric_model.yaml"
POSITIONS = _metrics.POSITIONS
# shrinkage: the place weights shared by all metrics, the per-metric offsets, the biases
L2 = (0.3, 3.0, 1.0)
# A figure that no word speaks for is `other`: a bias may lower a metric, not raise it
# above `other` (a wrong metric costs more than none).
BIAS_MAX = 0.0


@dataclass
class Example:
    doc: str          # report file name (the unit left out in leave-one-report-out)
    text: str         # the figure as written
    gold: str         # metric id
    source: str       # "kit" (the evaluation kit's gold) or "repo" (tests/golden)
    unit_class: str | None
    candidates: tuple[str, ...]                  # the class's metrics ('other' last); () if not modelled
    features: list[tuple[str, str, str]]         # (place, metric, word)
    extracted: str | None                        # the metric the extractor gave (None: no claim found)
    no_subject: list[tuple[str, str, str]] | None = None   # the features with the subject withheld


def _record_calls():
    calls: list[tuple[tuple, dict]] = []
    original = _extract.assign_metric

    def recorder(*a, **k):
        calls.append((a, k))
        return original(*a, **k)
    _extract.assign_metric = recorder
    return calls, original


def _claims_with_calls(path: Path):
    """The claims of one report, each with the arguments its metric was decided from."""
    from etl.pipeline import read_claims
    from etl.reading.ingest import ReadError, read_document
    doc = read_document(path)
    if isinstance(doc, ReadError):
        raise SystemExit(f"{path}: {doc.reason}")
    calls, original = _record_calls()
    try:     # as `python -m etl extract` reads it
        claims = [c for c in read_claims(doc) if c.is_claim]
    finally:
        _extract.assign_metric = original
    assert len(claims) == len(calls), (path, len(claims), len(calls))
    return list(zip(claims, calls))


def _example(doc, text, gold, source, found) -> Example:
    if found is None:
        return Example(doc, text, gold, source, None, (), [], None)
    claim, (a, k) = found
    cls = a[0]
    model = _metrics._model(cls)
    cands = model.candidates if model is not None else ()
    return Example(doc, text, gold, source, cls, cands, _metrics.metric_features(*a, **k), claim.metric,
                   _metrics.metric_features(a[0], None, *a[2:], **k))


def _match(gold: list[dict], pred: list[dict]) -> list:
    """The evaluation kit's matching (largest overlap, one to one)."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        cands = [(min(g["end"], p["end"]) - max(g["start"], p["start"]), pi) for pi, p in enumerate(pred)
                 if p["doc"] == g["doc"] and min(g["end"], p["end"]) > max(g["start"], p["start"])]
        cands.sort(key=lambda t: -t[0])
        pick = next((pi for _, pi in cands if pi not in used), None)
        if pick is not None:
            used.add(pick)
        pairs.append(pick)
    return pairs


def collect(eval_dir: Path = DEFAULT_EVAL, repo_golden: bool = True) -> list[Example]:
    """Every labelled claim with its features, kit gold first, then the repo's labels."""
    gold = [json.loads(line) for line in (eval_dir / "gold-metrics-dev.jsonl").open(encoding="utf-8")]
    dirs = [eval_dir.parent / "corpus", eval_dir / "reports-dev2"]
    out: list[Example] = []
    by_doc: dict[str, list[dict]] = {}
    for g in gold:
        by_doc.setdefault(g["doc"], []).append(g)
    for doc, items in by_doc.items():
        path = next(d / doc for d in dirs if (d / doc).exists())
        found = _claims_with_calls(path)
        preds = [{"doc": doc, "start": c.start, "end": c.end} for c, _ in found]
        for g, pick in zip(items, _match(items, preds)):
            out.append(_example(doc, g["text"], g["metric"], "kit", found[pick] if pick is not None else None))
    if repo_golden:
        labels = yaml.safe_load((ROOT / "tests" / "golden" / "metrics_eval.yaml").read_text(encoding="utf-8"))
        corpus = {p.name[:3]: p for p in (ROOT / "data" / "corpus").glob("*.txt")}
        kit_docs = set(by_doc)
        groups: dict[str, list[dict]] = {}
        for item in labels["claims"]:
            if corpus[item["doc"]].name not in kit_docs:
                groups.setdefault(item["doc"], []).append(item)
        for tag, items in groups.items():
            found = {c.start: (c, call) for c, call in _claims_with_calls(corpus[tag])}
            for item in items:
                hit = found.get(item["start"])
                if hit is None or hit[1][0][0] not in ("money", "people", "person_times"):
                    continue
                out.append(_example(corpus[tag].name, item["text"], item["metric"], "repo", hit))
    return out


# ---------------------------------------------------------------------------- fitting

@dataclass
class Params:
    metrics: list[str]
    classes: list[str]
    u: np.ndarray        # [P] place weight shared by all metrics
    v: np.ndarray        # [M, P] per-metric offset
    b: np.ndarray        # [C, M] bias (0 for other)

    def weight(self, pos: str, metric: str) -> float:
        p = POSITIONS.index(pos)
        return float(self.u[p] + self.v[self.metrics.index(metric), p])


def _tensors(examples: list[Example], metrics: list[str], classes: list[str]):
    ex = [e for e in examples if e.candidates and e.gold in e.candidates]
    k = max((len(e.candidates) for e in ex), default=1)
    n, p = len(ex), len(POSITIONS)
    x = np.zeros((n, k, p))
    midx = np.zeros((n, k), dtype=int)
    mask = np.zeros((n, k), dtype=bool)
    cidx = np.zeros(n, dtype=int)
    y = np.zeros(n, dtype=int)
    for i, e in enumerate(ex):
        cidx[i] = classes.index(e.unit_class)
        y[i] = e.candidates.index(e.gold)
        for j, m in enumerate(e.candidates):
            midx[i, j] = metrics.index(m)
            mask[i, j] = True
        for pos, m, _ in e.features:
            if m in e.candidates:
                x[i, e.candidates.index(m), POSITIONS.index(pos)] = 1.0
    return x, midx, mask, cidx, y


def fit(examples: list[Example], l2: tuple[float, float, float] = L2, steps: int = 4000,
        bias_max: float | None = BIAS_MAX) -> Params:
    metrics = sorted({m for e in examples for m in e.candidates})
    classes = sorted({e.unit_class for e in examples if e.candidates})
    x, midx, mask, cidx, y = _tensors(examples, metrics, classes)
    n, k, p = x.shape
    other = metrics.index("other")
    u, v, b = np.full(p, 1.0), np.zeros((len(metrics), p)), np.zeros((len(classes), len(metrics)))
    lu, lv, lb = l2
    lr, mom = 0.05, 0.9
    vel = [np.zeros_like(u), np.zeros_like(v), np.zeros_like(b)]
    rows = np.arange(n)
    for _ in range(steps):
        s = b[cidx[:, None], midx] + (x * (u[None, None, :] + v[midx])).sum(-1)
        s = np.where(mask, s, -1e9)
        s -= s.max(1, keepdims=True)
        pr = np.exp(s) * mask
        pr /= pr.sum(1, keepdims=True)
        g = pr.copy()
        g[rows, y] -= 1.0
        gu = np.einsum("nk,nkp->p", g, x) + lu * u
        gv = np.zeros_like(v)
        np.add.at(gv, midx, g[:, :, None] * x * mask[:, :, None])
        gv += lv * v
        gb = np.zeros_like(b)
        np.add.at(gb, (np.broadcast_to(cidx[:, None], midx.shape), midx), g * mask)
        gb += lb * b
        gb[:, other] = 0.0
        for vel_i, grad in zip(vel, (gu, gv, gb)):
            vel_i *= mom
            vel_i -= lr * grad / max(n, 1) * 10
        u += vel[0]
        v += vel[1]
        b += vel[2]
        b[:, other] = 0.0
        if bias_max is not None:
            np.minimum(b, bias_max, out=b)
    return Params(metrics, classes, u, v, b)


def predict(params: Params, e: Example) -> str | None:
    """The metric the fitted weights give (as etl.extraction.metrics decides: highest score,
    'other' unless another is strictly higher, then taxonomy order); the extractor's
    own answer for a claim the model does not decide."""
    if not e.candidates:
        return e.extracted
    score = {}
    for m in e.candidates:
        if m in params.metrics and e.unit_class in params.classes:
            score[m] = float(params.b[params.classes.index(e.unit_class), params.metrics.index(m)])
        else:
            score[m] = 0.0
    seen = set()
    for pos, m, _ in e.features:
        if (pos, m) in seen or m not in score:
            continue
        seen.add((pos, m))
        score[m] += params.weight(pos, m) if m in params.metrics else float(params.u[POSITIONS.index(pos)])
    best = e.candidates[-1]
    for m in e.candidates:
        if score[m] > score[best]:
            best = m
    return best


def hand_params(path: Path = MODEL_FILE) -> "Params":
    """The weights as stored in the model file (to score it the same way)."""
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    metrics = [m.id for m in _metrics.metrics()]
    classes = list(d["unit_classes"])
    u = np.array([float((d["weights"].get(pos) or {}).get("*", 0.0)) for pos in POSITIONS])
    v = np.zeros((len(metrics), len(POSITIONS)))
    for pi, pos in enumerate(POSITIONS):
        for m, w in (d["weights"].get(pos) or {}).items():
            if m != "*":
                v[metrics.index(m), pi] = float(w) - u[pi]
    b = np.zeros((len(classes), len(metrics)))
    for ci, cls in enumerate(classes):
        for m, w in ((d.get("bias") or {}).get(cls) or {}).items():
            b[ci, metrics.index(m)] = float(w)
    return Params(metrics, classes, u, v, b)


def accuracy(pairs: list[tuple[str, str | None]]) -> float:
    return sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0


def report(title: str, examples: list[Example], preds: list[str | None]) -> None:
    for source in ("kit", "repo"):
        pairs = [(e.gold, p) for e, p in zip(examples, preds) if e.source == source]
        if not pairs:
            continue
        print(f"{title:<28} {source:<5} {accuracy(pairs):.3f}  ({sum(g == p for g, p in pairs)}/{len(pairs)})")
    kit = [(e.gold, p) for e, p in zip(examples, preds) if e.source == "kit"]
    per: dict[str, list[bool]] = {}
    for g, p in kit:
        per.setdefault(g, []).append(g == p)
    print("    kit per gold metric: " + ", ".join(f"{m} {sum(v)}/{len(v)}" for m, v in sorted(per.items())))
    conf = Counter((g, p) for g, p in kit if g != p)
    print("    confusions: " + "; ".join(f"{g}->{p} {n}" for (g, p), n in conf.most_common(8)))


def model_yaml(params: Params, examples: list[Example]) -> str:
    docs = sorted({e.doc for e in examples})
    lines = [
        "# The scored model that decides the metric of money, people and person-times figures",
        "# (etl/extraction/metrics.py). Written by tools/fit_metrics.py --write: do not edit by hand; change",
        "# the word lists in metrics.yaml and re-fit. Weights: per place where a metric's words",
        "# stand, \"*\" for every metric unless one is listed. Bias: per unit class and metric.",
        f"# Fitted on {sum(e.source == 'kit' for e in examples)} claims of the evaluation kit's gold and "
        f"{sum(e.source == 'repo' for e in examples)} of tests/golden/metrics_eval.yaml,",
        f"# {len(docs)} reports; L2 {L2}. tools/loro_metrics.py measures it on reports left out.",
        "unit_classes: [" + ", ".join(params.classes) + "]",
        "weights:",
    ]
    for pi, pos in enumerate(POSITIONS):
        base = round(float(params.u[pi]), 2)
        parts = [f'"*": {base}']
        for mi, m in enumerate(params.metrics):
            w = round(float(params.u[pi] + params.v[mi, pi]), 2)
            if w != base:
                parts.append(f"{m}: {w}")
        lines.append(f"  {pos}: {{{', '.join(parts)}}}")
    lines.append("bias:")
    for ci, cls in enumerate(params.classes):
        parts = [f"{m}: {round(float(params.b[ci, mi]), 2)}" for mi, m in enumerate(params.metrics)
                 if m != "other" and round(float(params.b[ci, mi]), 2) != 0.0]
        lines.append(f"  {cls}: {{{', '.join(parts)}}}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("--write", action="store_true", help=f"write the fitted weights to {MODEL_FILE.relative_to(ROOT)}")
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args(argv)
    examples = collect(a.eval_dir)
    report("stored weights (fitted on all)", examples, [predict(hand_params(), e) for e in examples])
    params = fit(examples)
    preds = [predict(params, e) for e in examples]
    report("re-fitted on all", examples, preds)
    if a.show_errors:
        for e, p in zip(examples, preds):
            if p != e.gold:
                print(f"- {e.doc} {e.text}: gold {e.gold} pred {p}  "
                      + " ".join(f"{pos}:{m}:{w}" for pos, m, w in e.features))
    if a.write:
        MODEL_FILE.write_text(model_yaml(params, examples), encoding="utf-8")
        print(f"wrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
