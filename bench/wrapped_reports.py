"""Reports whose lines are cut inside sentences, read back: how much of what their text gives survives.

    .venv/bin/python bench/wrapped_reports.py [--eval-dir ../shared/eval] [--bench 200] [--seed 38]
                                              [--only bundled|dev2]

Each development report (the bundled ones with gold-dev, the dev2 ones with gold-dev2)
is saved the ways a report arrives with its lines cut inside sentences: as a hard-wrapped
text (a PDF's or an e-paper's text saved as .txt: every line cut at one width, counted
in characters as `fold` does or in display cells as a layout does, LF or CRLF), and as
an HTML page whose source wraps inside its paragraphs (as pages written by hand or saved
from Word do: cut where a browser would, never inside a number or a word). Each is read
as a run reads it (etl/reading/ingest.py, pipeline.read_claims), and scored with the
shared scorer against the gold, its spans moved by the characters the cuts put in.
`--bench N` also cuts N benchmark news files (nothing of etl/extraction/soft_breaks.py
was written on them) and counts how many of the figures their text gives, with value,
unit class, approximation and subject, the cut text gives too.
"""
from __future__ import annotations

import argparse
import html
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pdf_reports import figures, score  # noqa: E402  (the same scorer call and figure key)

from etl.pipeline import read_claims  # noqa: E402
from etl.reading.ingest import read_document  # noqa: E402

# name: (suffix, width, in cells, keep numbers and words whole, line break)
LAYOUTS = {
    "text, 33 characters": (".txt", 33, False, False, "\n"),
    "text, 66 cells": (".txt", 66, True, False, "\n"),
    "text, 45 characters, CRLF": (".txt", 45, False, False, "\r\n"),
    "text, 80 cells, words whole": (".txt", 80, True, True, "\n"),
    "HTML source, 40 characters": (".html", 40, False, True, "\n"),
    "HTML source, 76 cells": (".html", 76, True, True, "\r\n"),
}


def wrap(line: str, width: int, *, cells: bool = False, keep_words: bool = False,
         narrow_quotes: bool = False) -> list[str]:
    """`line` cut into pieces of at most `width` characters (or display cells: two for
    CJK text and its punctuation, “ ” — … one with narrow_quotes); with keep_words,
    never inside a run of ASCII (a number, a word), as a browser or an editor breaks."""
    wide_from = 0x2E80 if narrow_quotes else 0x2000

    def size(c: str) -> int:
        return 2 if cells and ord(c) >= wide_from else 1

    pieces, k = [], 0
    while k < len(line):
        e, w = k, 0
        while e < len(line) and w + size(line[e]) <= width:
            w += size(line[e])
            e += 1
        e = max(e, k + 1)
        if keep_words:
            while k + 1 < e < len(line) and line[e - 1].isascii() and not line[e - 1].isspace() \
                    and line[e].isascii() and not line[e].isspace():
                e -= 1
        pieces.append(line[k:e])
        k = e
    return pieces


def wrapped(text: str, layout: tuple) -> tuple[str, list[int]]:
    """(the report as `layout` saves it, where each of the text's characters went)."""
    suffix, width, cells, keep_words, brk = layout
    out: list[str] = []
    moved: list[int] = []
    pos = 0

    def put(s: str, own: bool) -> None:
        nonlocal pos
        if own:
            moved.extend(range(pos, pos + len(s)))
        out.append(s)
        pos += len(s)

    page = suffix == ".html"
    if page:
        put("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n<div class=\"article\">\n", False)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if page:
            put("<p>", False)
        for j, piece in enumerate(wrap(line, width, cells=cells, keep_words=keep_words)):
            if j:
                put(brk, False)
            if page:
                # the text's characters escaped one by one, so each keeps its place
                for c in piece:
                    moved.append(pos)
                    out.append(html.escape(c))
                    pos += len(out[-1])
            else:
                put(piece, True)
        if page:
            put("</p>", False)
        if i + 1 < len(lines):
            put("\n", True)
    if page:
        put("\n</div></body></html>\n", False)
    return "".join(out), moved


def carried(gold: list[dict], moved: list[int], name: str) -> list[dict]:
    return [dict(g, doc=name, start=moved[g["start"]], end=moved[g["end"] - 1] + 1) for g in gold]


def read(path: Path) -> list[dict]:
    out = []
    for c in read_claims(read_document(path)):
        d = c.to_dict()
        d["doc"] = path.name
        out.append(d)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--bench", type=int, default=0, help="benchmark news files to cut too")
    ap.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--seed", type=int, default=38)
    ap.add_argument("--only", choices=("bundled", "dev2"), help="one set of reports (a quick run)")
    a = ap.parse_args()
    sets = [(sorted((ROOT / "data" / "corpus").glob("*.txt")), a.eval_dir / "gold-dev.jsonl", "bundled"),
            (sorted((a.eval_dir / "reports-dev2").glob("*.txt")), a.eval_dir / "gold-dev2.jsonl", "dev2")]
    tmp = Path(tempfile.mkdtemp(prefix="wrapped-reports-"))
    try:
        for reports, gold_file, label in (st for st in sets if a.only in (None, st[2])):
            gold = [json.loads(ln) for ln in gold_file.read_text(encoding="utf-8").splitlines() if ln.strip()]
            as_written = [c for r in reports for c in read(r)]
            print(f"{label} ({len(reports)} reports) as written: {score(a.eval_dir, gold, as_written)}")
            for name, layout in LAYOUTS.items():
                folder = tmp / label / str(len(list(tmp.glob(f"{label}/*"))))
                folder.mkdir(parents=True)
                wgold, pred = [], []
                for r in reports:
                    text = read_document(r).raw_text
                    cut, moved = wrapped(text, layout)
                    path = folder / (r.stem + layout[0])
                    path.write_bytes(cut.encode("utf-8"))
                    wgold += carried([g for g in gold if g["doc"] == r.name], moved, path.name)
                    pred += read(path)
                print(f"  {name:28s}: {score(a.eval_dir, wgold, pred)}")
        if a.bench:
            files = sorted(a.bench_dir.iterdir())
            random.Random(a.seed).shuffle(files)
            files = files[:a.bench]
            want = Counter()
            for f in files:
                want += figures(read(f))
            for name, layout in LAYOUTS.items():
                got = Counter()
                folder = tmp / "bench" / str(len(list(tmp.glob("bench/*"))))
                folder.mkdir(parents=True)
                for f in files:
                    path = folder / (f.stem + layout[0])
                    path.write_bytes(wrapped(read_document(f).raw_text, layout)[0].encode("utf-8"))
                    got += figures(read(path))
                same = sum((want & got).values())
                print(f"bench news ({len(files)} files, seed {a.seed}) {name:28s}: {same} of the text's "
                      f"{sum(want.values())} figures ({same / sum(want.values()):.3f}), the cut text gives "
                      f"{sum(got.values())}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
