"""Which subjects two weight files choose differently on bench files nobody judged:

    .venv/bin/python tools/subject_changes.py NEW.yaml [--old data/rules/subject_weights.yaml]
        [--files 300] [--show 50] [--seed 5]

The files: N spread evenly over the bench corpus, leaving out every file of the judged
audit samples (bench/subject_gold_news.tsv). Prints the count of claims whose subject
changes, and `--show` of them drawn at random (file, start, figure, the words before it,
old -> new) to be read by hand: wrong -> right, right -> wrong.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import subject_data as sd  # noqa: E402


def weights_of(path: Path) -> dict[str, float]:
    from etl import rules
    return {str(k): float(v) for k, v in (rules.load_yaml(path).get("weights") or {}).items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("new")
    ap.add_argument("--old", default=str(sd.ROOT / "data" / "rules" / "subject_weights.yaml"))
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--show", type=int, default=50)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    from etl.extraction import subjects
    from etl.extraction.extract import extract_text
    from etl.reading.ingest import ReadError, read_document
    judged = set(sd.load_news_gold())
    folder = sd.GOLD_SETS["news"][1]
    pool = sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt", ".html") and p.name not in judged)
    files = [pool[i * len(pool) // args.files] for i in range(min(args.files, len(pool)))]
    changed, claims = [], 0
    old, new = weights_of(Path(args.old)), weights_of(Path(args.new))
    for p in files:
        d = read_document(p)
        if isinstance(d, ReadError):
            continue
        markup = True if d.format == "html" else None
        got = []
        for w in (old, new):
            subjects.use_weights(w)
            got.append([c for c in extract_text(d.raw_text, p.name, markup=markup) if c.is_claim])
        claims += len(got[0])
        for a, b in zip(*got):
            if a.start == b.start and a.subject != b.subject:
                before = d.raw_text[max(0, a.start - 30):a.start].replace("\n", "/")
                changed.append(f"{p.name}\t{a.start}\t{a.text}\t{before}\t{a.subject} -> {b.subject}")
    subjects.use_weights(subjects._load_weights())
    print(f"{len(files)} files, {claims} claims, {len(changed)} subjects changed")
    for line in random.Random(args.seed).sample(changed, min(args.show, len(changed))):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
