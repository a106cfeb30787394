"""A seeded random sample of claims from the bench corpus (news nobody fitted the subject
rules to), printed for reading by hand: each figure with the words around it, its
subject and its metric. With --verdicts, the hand verdicts kept for the sample are
joined and counted by error family (the audit table of bench/RESULTS.md).

    .venv/bin/python tools/subject_audit.py [--seed 17] [--files 60] [--n 150]
        [--judged | --verdicts FILE | --draft FILE] [--corpus ../shared/bench_corpus]
        [--fresh-files]

Each seed keeps its own verdicts file: seed 17's is bench/subject_audit_verdicts.tsv
(the first audit), any other seed's bench/subject_audit_verdicts_seed<N>.tsv. --judged
joins the seed's file; --draft writes a fresh draw as rows to judge (verdict left empty).
--fresh-files draws only from files no verdicts file has judged yet (seeds 17-43 share a
few files and, twice, a figure; seed 53 was drawn over such a folder of links by hand).

The sample is drawn over claims' spans (file, start, end), which a subject rule does not
move, so the same seed draws the same figures before and after a change: re-run with
--verdicts to see which subjects changed since a figure was judged (a changed subject
is shown as CHANGED with both; judge it again and update its row). With --verdicts the
figures judged are found again by file and start rather than re-drawn: a unit rule moves
a figure's end (34.7亿 -> 34.7亿剂次, also CHANGED) and a new claim shifts the draw.

Verdicts file: tab-separated, one row per figure judged: file, start, end, figure,
subject judged, verdict (ok, or the family name of the error), note, and optionally the
metric judged and its verdict (ok, or the metric it should be). Only these short quotes
are kept; the corpus is never copied.
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench_corpus"
FIRST_SEED = 17  # the first audit's file keeps its name


def verdicts_path(seed: int) -> Path:
    """The verdicts file kept for one seed's sample."""
    name = "subject_audit_verdicts.tsv" if seed == FIRST_SEED else f"subject_audit_verdicts_seed{seed}.tsv"
    return ROOT / "bench" / name
CONTEXT = 28     # characters shown on each side of a figure


def judged_files(own: Path | None = None) -> set[str]:
    """Names of the files some verdicts file has judged (all seeds but `own`)."""
    out: set[str] = set()
    for path in (ROOT / "bench").glob("subject_audit_verdicts*.tsv"):
        if path != own:
            out.update(key[0] for key in load_verdicts(path))
    return out


def draw(corpus: Path, seed: int, n_files: int, n: int,
         leave_out: set[str] | None = None) -> list[tuple[str, object, str]]:
    """(file, claim, text) for n claims drawn from n_files files, in file and text order,
    never from a file named in `leave_out`."""
    from etl.extraction.extract import extract_text
    from etl.reading.ingest import ReadError, read_document
    rng = random.Random(seed)
    files = sorted(p for p in corpus.iterdir()
                   if p.suffix in (".md", ".txt", ".html") and p.name not in (leave_out or ()))
    picked = sorted(rng.sample(files, min(n_files, len(files))))
    pool = []
    for p in picked:
        d = read_document(p)
        if isinstance(d, ReadError):
            continue
        markup = True if d.format == "html" else None
        for c in extract_text(d.raw_text, p.name, markup=markup):
            if c.is_claim:
                pool.append((p.name, c, d.raw_text))
    keys = sorted(range(len(pool)), key=lambda i: (pool[i][0], pool[i][1].start))
    chosen = sorted(rng.sample(keys, min(n, len(keys))))
    return [pool[i] for i in chosen]


def judged_figures(corpus: Path, verdicts: dict[tuple[str, int, int], list[str]]) -> list[tuple[str, object, str]]:
    """(file, claim, text) for the figures the verdicts judged, found again by file and
    start: a rule that reads a unit (34.7亿 -> 34.7亿剂次) moves a figure's end, and one
    that makes a bare number a claim changes the pool the seed draws from, so re-drawing
    would judge other figures. A figure that is no longer a claim is left out (counted)."""
    from etl.extraction.extract import extract_text
    from etl.reading.ingest import ReadError, read_document
    wanted: dict[str, set[int]] = {}
    for name, start, _ in verdicts:
        wanted.setdefault(name, set()).add(start)
    out = []
    for name in sorted(wanted):
        d = read_document(corpus / name)
        if isinstance(d, ReadError):
            continue
        markup = True if d.format == "html" else None
        for c in extract_text(d.raw_text, name, markup=markup):
            if c.is_claim and c.start in wanted[name]:
                out.append((name, c, d.raw_text))
    return out


def load_verdicts(path: Path) -> dict[tuple[str, int, int], list[str]]:
    out: dict[tuple[str, int, int], list[str]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        while len(f) < 9:
            f.append("")
        out[(f[0], int(f[1]), int(f[2]))] = f
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--verdicts", type=Path, default=None)
    ap.add_argument("--judged", action="store_true", help="join the seed's own verdicts file")
    ap.add_argument("--draft", type=Path, default=None, help="write a fresh draw as rows to judge")
    ap.add_argument("--fresh-files", action="store_true",
                    help="draw only from files no other seed's verdicts judged")
    args = ap.parse_args()
    if args.judged:
        args.verdicts = verdicts_path(args.seed)
    if args.draft is not None:
        leave_out = judged_files(own=verdicts_path(args.seed)) if args.fresh_files else None
        return write_draft(args.draft, draw(args.corpus, args.seed, args.files, args.n, leave_out))
    verdicts = load_verdicts(args.verdicts) if args.verdicts else {}
    # with verdicts, the figures they judged (found by file and start); else a fresh draw
    sample = judged_figures(args.corpus, verdicts) if verdicts else draw(args.corpus, args.seed, args.files, args.n)
    by_start = {(k[0], k[1]): v for k, v in verdicts.items()}
    families: Counter[str] = Counter()
    metric_right = metric_judged = 0
    changed = unjudged = 0
    for i, (name, c, text) in enumerate(sample):
        left = text[max(0, c.start - CONTEXT):c.start].replace("\n", " ")
        right = text[c.end:c.end + CONTEXT].replace("\n", " ")
        v = by_start.get((name, c.start))
        mark = ""
        if args.verdicts:
            if v is None:
                unjudged += 1
                mark = "UNJUDGED "
            elif v[4] != (c.subject or "") or v[3] != c.text:
                changed += 1
                mark = f"CHANGED (was {v[4]!r}: {v[5]}) "
            else:
                families[v[5]] += 1
                mark = f"[{v[5]}] "
            if v is not None and v[8]:
                # a metric verdict holds while the metric is the one judged
                metric_judged += 1
                metric_ok = (v[8] == "ok" and v[7] == (c.metric or "")) or v[8] == (c.metric or "")
                metric_right += int(metric_ok)
                if v[7] != (c.metric or ""):
                    mark += f"METRIC {v[7]} -> {c.metric} (judged {v[8]}) "
        print(f"{i:3d} {name} {c.start}-{c.end} {c.text!r} {c.unit_class} "
              f"subject={c.subject!r} metric={c.metric} {mark}\n      …{left}【{c.text}】{right}…")
    if args.verdicts:
        judged = sum(families.values())
        print(f"\n{len(sample)} figures: {judged} judged with the same figure and subject, {changed} changed "
              f"since judged, {unjudged} not judged, {len(verdicts) - len(sample)} no longer claims")
        for fam, k in families.most_common():
            print(f"  {fam:28} {k}")
        print(f"  {'errors':28} {judged - families['ok']}")
        if metric_judged:
            print(f"  {'metric right':28} {metric_right}/{metric_judged}")
    return 0


def write_draft(path: Path, sample: list[tuple[str, object, str]]) -> int:
    """Rows to judge by hand: the verdict and metric verdict columns left empty."""
    rows = [f"# Draft verdicts: fill column 6 (ok or the error family) and 9 (ok or the right metric)."]
    for name, c, _ in sample:
        rows.append("\t".join((name, str(c.start), str(c.end), c.text, c.subject or "", "", "",
                               c.metric or "", "")))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(sample)} figures to judge in {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
