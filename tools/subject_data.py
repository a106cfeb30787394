"""The development reports and their gold, and what the subject finder sees on them:
shared by tools/train_subjects.py (fit the weights) and tools/loro.py (measure them
honestly, one report held out at a time).

Three sets: dev and dev2 (gold JSONL from ../shared/eval, every claim of each report) and
news (bench/subject_gold_news.tsv: the subjects of the hand-judged audit samples of the
bench corpus, seeds 17-41; a few claims of each file, found again by file and start).

A training example is one gold claim the extractor also found: the candidate phrases
`etl.extraction.subjects` offered for it, each with its features, and which of them name what the
gold subject names (the scorer's rule: one contains the other, after traditional ->
simplified conversion).
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
# (gold file, folder of its reports)
GOLD_SETS = {
    "dev": (EVAL / "gold-dev.jsonl", SHARED / "corpus"),
    "dev2": (EVAL / "gold-dev2.jsonl", EVAL / "reports-dev2"),
    "news": (ROOT / "bench" / "subject_gold_news.tsv", SHARED / "bench_corpus"),
}
NONE = "none"       # a news gold saying the figure has no subject

def norm_subject(s: str | None) -> str:
    from etl.reading.text_view import simplified     # the scorer's t2s
    return simplified(s or "").strip().strip("的")


def same_subject(gold: str | None, got: str | None) -> bool:
    g, p = norm_subject(gold), norm_subject(got)
    if not g:
        return True
    return bool(p) and (g in p or p in g)


SLACK = 2    # characters a candidate may add around the gold, beyond modifiers before it


def names_gold(gold: str | None, got: str | None) -> bool:
    """A training positive: names what the gold names (the scorer's rule) with the same
    head: the gold, modifiers before it (新开工建设基础教育学校), or it as the first of
    a list (省区市及新疆生产建设兵团); not 单位赠送书籍 for 单位, whose head is 书籍
    (and the unit class is read from the head)."""
    if not same_subject(gold, got):
        return False
    g, p = norm_subject(gold), norm_subject(got)
    if not g or p in g or p.endswith(g) or len(p) <= len(g) + SLACK:
        return True
    k = p.find(g)
    return p[k + len(g):k + len(g) + 1] in ("、", "和", "及", "与", "或")


def load_news_gold(path: Path | None = None) -> dict[str, list[dict]]:
    """doc -> its news gold rows, shaped as the JSONL gold's (plus seed and the accepted
    subjects: a gold may list alternatives separated by |)."""
    out: dict[str, list[dict]] = {}
    for line in (path or GOLD_SETS["news"][0]).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        doc, start, end, figure, gold, seed = line.split("\t")[:6]
        accepted = [] if gold == NONE else gold.split("|")
        out.setdefault(doc, []).append({
            "doc": doc, "start": int(start), "end": int(end), "text": figure, "is_claim": True,
            "subject": accepted[0] if accepted else None, "accepted": accepted,
            "seed": int(seed), "set": "news"})
    return out


def news_right(row: dict, got: str | None) -> bool:
    """A news figure's subject is right when it is one the gold accepts, character for
    character after t2s (the audits' strictness: a run-on or a cut is wrong, which the
    scorer's containment would let pass); a gold of none wants none."""
    if not row["accepted"]:
        return not norm_subject(got)
    return norm_subject(got) in {norm_subject(a) for a in row["accepted"]}


def news_same_head(row: dict, got: str | None) -> bool:
    """Looser: right, or one of the gold's subjects and the one found end alike (a
    qualifier kept or lost, 受访德国企业 for 德国企业, 人口 for 脱贫人口: the audits call
    a lost qualifier with its head kept ok; a word cut inside passes too, so this is an
    upper bound)."""
    if news_right(row, got):
        return True
    p = norm_subject(got)
    return len(p) >= 2 and any((a := norm_subject(x)).endswith(p) or p.endswith(a) for x in row["accepted"])


def load_gold(sets: tuple[str, ...] = ("dev", "dev2")) -> dict[str, list[dict]]:
    """doc -> its gold rows."""
    out: dict[str, list[dict]] = {}
    for name in sets:
        path, _ = GOLD_SETS[name]
        if name == "news":
            for doc, rows in load_news_gold(path).items():
                out.setdefault(doc, []).extend(rows)
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.setdefault(row["doc"], []).append(row)
    return out


@dataclass
class Doc:
    name: str
    set: str
    path: Path
    text: str
    markup: bool | None


def load_docs(sets: tuple[str, ...] = ("dev", "dev2")) -> list[Doc]:
    """The reports that have gold, read as `python -m etl extract` reads them."""
    from etl.reading.ingest import ReadError, read_document
    gold = load_gold(sets)
    docs = []
    for name in sets:
        _, folder = GOLD_SETS[name]
        for path in sorted(folder.iterdir()):
            if path.name not in gold:
                continue
            d = read_document(path)
            if isinstance(d, ReadError):
                raise SystemExit(f"{path}: {d.reason}")
            # as the pipeline reads a file (etl.pipeline.read_claims): the decoded text
            markup = True if d.format == "html" else None
            docs.append(Doc(path.name, name, path, d.raw_text, markup))
    return docs


def extract(docs: list[Doc]) -> list[dict]:
    """Every mention of the reports, as the CLI writes them."""
    from etl.extraction.extract import extract_text
    rows = []
    for d in docs:
        rows.extend(c.to_dict() for c in extract_text(d.text, d.name, markup=d.markup))
    return rows


@dataclass
class Example:
    doc: str
    text: str                       # the figure as written
    unit_class: str | None
    gold: str                       # the gold subject
    cands: list[tuple[str, dict[str, float]]] = field(default_factory=list)
    positive: list[bool] = field(default_factory=list)
    set: str = "dev"                # dev, dev2 or news
    seed: int | None = None         # a news example's audit sample


def examples(docs: list[Doc], gold: dict[str, list[dict]]) -> list[Example]:
    """Run the extractor with tracing on and pair each traced figure with its gold claim
    (largest overlap, as the scorer matches; a news figure by its start, as the audits
    find it again). A news example's positives are the candidates the gold accepts
    exactly (`news_right`): its gold is a judged phrase, not a reference a containment
    may stretch; a news gold of none teaches no choice among phrases."""
    from etl.extraction import subjects
    from etl.extraction.extract import extract_text
    out: list[Example] = []
    for d in docs:
        subjects.start_trace()
        extract_text(d.text, d.name, markup=d.markup)
        rows, notes = subjects.stop_trace()
        claims = [g for g in gold.get(d.name, []) if g["is_claim"] and not g.get("ambiguous")]
        if d.set == "news":
            by_start = {g["start"]: g for g in claims if g["accepted"]}
            for row, (_doc, start, _end) in zip(rows, notes):
                g = by_start.get(start)
                if g is None:
                    continue
                cands = [(text, feats) for text, _lo, _hi, feats in row[3]]
                out.append(Example(d.name, d.text[start:_end], row[2], g["subject"], cands,
                                   [news_right(g, t) for t, _ in cands], "news", g["seed"]))
            continue
        for row, (doc, start, end) in zip(rows, notes):
            if start < 0:
                continue
            best, best_ov = None, 0
            for g in claims:
                ov = min(end, g["end"]) - max(start, g["start"])
                if ov > best_ov:
                    best, best_ov = g, ov
            if best is None or not best.get("subject"):
                continue
            cands = [(text, feats) for text, _lo, _hi, feats in row[3]]
            ex = Example(d.name, d.text[start:end], row[2], best["subject"], cands,
                         [names_gold(best["subject"], t) for t, _ in cands], d.set)
            out.append(ex)
    return out


def news_subjects(docs: list[Doc], gold: dict[str, list[dict]]) -> list[tuple[dict, str | None, bool]]:
    """(gold row, the subject extracted now, found) for every news gold row of these
    reports, with the weights in use; a figure no longer a claim at its start is not
    found (its subject counts as wrong)."""
    from etl.extraction.extract import extract_text
    out = []
    for d in docs:
        if d.set != "news":
            continue
        got = {c.start: c.subject for c in extract_text(d.text, d.name, markup=d.markup) if c.is_claim}
        for g in gold.get(d.name, []):
            out.append((g, got.get(g["start"]), g["start"] in got))
    return out
