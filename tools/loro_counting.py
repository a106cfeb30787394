"""Leave-one-report-out for the cue words of data/rules/counting.yaml.

    .venv/bin/python tools/loro_counting.py GOLD.jsonl REPORT... [--bench PRED.jsonl] [-o PRED.jsonl]

The role rules are written by hand, but some cue words were read off the development
reports. For each gold report R this drops every cue word that decides a figure only
in R (no firing in the other gold reports, nor in --bench, an extract output of other
text), extracts R with the remaining words (REPORT_FIGURES_RULES points the extractor
at the reduced copy), and writes all the held-out predictions to -o for
score_counting.py. Thresholds (headline_overlap, sum_min_total, sum_rel_tolerance)
were set on the bench corpus, not on the gold, and are kept.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LISTS = ("rate_cues", "rate_adjacent", "change_cues", "plan_cues", "plan_sentence_cues",
         "context_cues", "need_cues", "family_words", "population_cues", "part_markers",
         "subset_openers")


def load(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cue_of(reason: str, words: set[str]) -> str | None:
    """The cue word a role_reason names (part:subset 已清理 -> the opener 已)."""
    r = reason.split(" (")[0]
    if ":" not in r:
        return None
    cue = r.split(":", 1)[1]
    if cue.startswith("family "):       # context:family 孩子 -> the family word
        cue = cue[len("family "):]
    if cue.startswith("subset "):
        head = cue[len("subset "):]
        found = [w for w in words if head.startswith(w)]
        return max(found, key=len) if found else None
    return cue if cue in words else None


def extract(paths: list[str], rules_dir: Path | None, out: Path) -> list[dict]:
    env = dict(os.environ)
    if rules_dir is not None:
        env["REPORT_FIGURES_RULES"] = str(rules_dir)
    res = subprocess.run([sys.executable, "-m", "etl", "extract", *paths, "-o", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(res.stderr)
    return load(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold")
    ap.add_argument("reports", nargs="+")
    ap.add_argument("--bench", help="extract output of other text (fires counted there too)")
    ap.add_argument("-o", "--out", default="loro-pred.jsonl")
    a = ap.parse_args()
    rules_src = ROOT / "data" / "rules"
    spec = yaml.safe_load((rules_src / "counting.yaml").read_text(encoding="utf-8"))
    words = {str(w) for k in LISTS for w in spec.get(k) or []}
    gold_docs = {g["doc"] for g in load(a.gold)}
    paths = [p for p in a.reports if Path(p).name in gold_docs]
    tmp = Path(tempfile.mkdtemp(prefix="loro-counting-"))
    try:
        full = extract(paths, None, tmp / "full.jsonl")
        fires: dict[str, set[str]] = defaultdict(set)      # cue -> docs where it decides
        for p in full + (load(a.bench) if a.bench else []):
            cue = cue_of(p.get("role_reason") or "", words)
            if cue:
                fires[cue].add(p["doc"])
        out_rows = []
        for path in paths:
            doc = Path(path).name
            only_here = sorted(w for w, d in fires.items() if d == {doc})
            rules_dir = tmp / "rules"
            shutil.rmtree(rules_dir, ignore_errors=True)
            shutil.copytree(rules_src, rules_dir)
            reduced = dict(spec)
            for k in LISTS:
                reduced[k] = [w for w in spec.get(k) or [] if str(w) not in only_here]
            (rules_dir / "counting.yaml").write_text(yaml.safe_dump(reduced, allow_unicode=True),
                                                     encoding="utf-8")
            rows = extract([path], rules_dir if only_here else None, tmp / "one.jsonl")
            out_rows.extend(rows)
            if only_here:
                print(f"{doc}: held out {', '.join(only_here)}", file=sys.stderr)
        with open(a.out, "w", encoding="utf-8") as fh:
            for r in out_rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
