"""Reports printed to PDF, read back: how much of what their text gives survives.

    .venv/bin/python bench/pdf_reports.py [--eval-dir ../shared/eval] [--bench 60] [--seed 37]
                                          [--only bundled|dev2] [--layouts N]

Each development report (the bundled ones with gold-dev, the dev2 ones with gold-dev2)
is printed to PDF by Chromium in three layouts (a serif face with a gap between
paragraphs; a small sans face, ragged right; a serif face with indented first lines
and no gap), read as a run reads it (etl/reading/ingest.py, etl/reading/pdf_paragraphs.py),
extracted, and scored with the shared scorer against the gold, its spans carried onto
the PDF's text by aligning the two texts' characters. The same is done as pypdf's
lines come ("as printed": every printed line a line, radicals as named, the text as
read before branch pdf37). `--bench N` also prints N benchmark news files (not fitted on:
nothing of the PDF reading was written on them) and counts how many of the figures their
text gives, with value, unit class, approximation and subject, the PDF gives too.
Paragraphs: how many of the text's lines come out as one line of the PDF's text.

Needs /usr/bin/chromium and Playwright (`make test` installs them), and the fonts
fonts-noto-cjk.
"""
from __future__ import annotations

import argparse
import difflib
import html
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.extraction.extract import extract_text  # noqa: E402
from etl.reading import pdf_paragraphs  # noqa: E402
from etl.reading.ingest import Document, read_document  # noqa: E402

LAYOUTS = {
    "serif, gaps": ("Noto Serif CJK SC", "15px", "justify", ""),
    "sans, ragged": ("Noto Sans CJK SC", "12px", "left", ""),
    "serif, indents": ("Noto Serif CJK SC", "16px", "justify", "p{margin:0;text-indent:2em;line-height:1.6}"),
}
BENCH_LAYOUT = ("Noto Sans CJK SC", "14px", "justify", "p{margin:0;text-indent:2em;line-height:1.5}")
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def print_pdfs(reports: list[Path], folder: Path, layout: tuple[str, str, str, str], ctx) -> None:
    font, size, align, css = layout
    folder.mkdir(parents=True, exist_ok=True)
    page = ctx.new_page()
    for report in reports:
        doc = read_document(report)
        body = "".join(f"<p>{html.escape(line)}</p>" for line in doc.text.split("\n") if line.strip())
        page.set_content(f"<html><head><style>{css}</style></head><body style='font-family:\"{font}\";"
                         f"font-size:{size};text-align:{align}'>{body}</body></html>")
        page.pdf(path=str(folder / (report.stem + ".pdf")), format="A4",
                 margin={"top": "2cm", "bottom": "2cm", "left": "2.5cm", "right": "2.5cm"})
    page.close()


def as_printed(pages: list[list]) -> str:
    """The pages' text as it was read before branch pdf37 (with `pypdf_lines`)."""
    return "\n\n".join("\n".join(ln.text for ln in page) for page in pages)


def pypdf_lines(page) -> list:
    """A page's lines as pypdf gives them: nothing joined, folded or dropped."""
    return [pdf_paragraphs.Line(t) for t in page.extract_text().split("\n")]


def claims(doc: Document, name: str) -> list[dict]:
    out = []
    for c in extract_text(doc.text, name):
        d = c.to_dict()
        d["doc"] = name
        out.append(d)
    return out


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def carried_gold(gold: list[dict], text: str, pdf_text: str, pdf_name: str) -> list[dict]:
    """Gold spans of `text` moved onto `pdf_text` (their non-blank characters aligned)."""
    a = [i for i, c in enumerate(text) if not c.isspace()]
    b = [i for i, c in enumerate(pdf_text) if not c.isspace()]
    sm = difflib.SequenceMatcher(None, [_key(text[i]) for i in a], [_key(pdf_text[i]) for i in b], autojunk=False)
    moved: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                moved[a[i1 + k]] = b[j1 + k]
    out = []
    for g in gold:
        s, e = g["start"], g["end"] - 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e].isspace():
            e -= 1
        if s in moved and e in moved:
            out.append(dict(g, doc=pdf_name, start=moved[s], end=moved[e] + 1))
    return out


def score(eval_dir: Path, gold: list[dict], pred: list[dict]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        gf, pf = Path(tmp) / "gold.jsonl", Path(tmp) / "pred.jsonl"
        gf.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
        pf.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pred), encoding="utf-8")
        res = subprocess.run([sys.executable, str(eval_dir / "score.py"), str(gf), str(pf)],
                             capture_output=True, text=True, check=True)
    lines = res.stdout.splitlines()
    detection = next(ln for ln in lines if ln.startswith("detection")).split()[-1]
    subject = next(ln for ln in lines if ln.startswith("subject")).split()[1]
    strict = lines[-1].split("F1=")[1].split()[0]
    return f"strict F1 {strict}, detection {detection.split('=')[1]}, subject {subject}"


def paragraphs(text: str) -> list[str]:
    """The text's non-blank lines, compatibility forms and blanks aside."""
    return [re.sub(r"\s", "", _key(ln)) for ln in text.split("\n") if ln.strip()]


def figures(rows: list[dict]) -> Counter:
    return Counter((r["value"], r["unit_class"], r["approx"], _key(r.get("subject") or ""))
                   for r in rows if r.get("is_claim"))


def read_pdf(path: Path, printed: bool) -> Document:
    """The PDF read as a run reads it, or (`printed`) with its lines as pypdf gave them
    (the reader imports pdf_text when it reads, so the stand-in takes its place)."""
    if not printed:
        return read_document(path)
    keep = pdf_paragraphs.pdf_text, pdf_paragraphs.page_lines
    pdf_paragraphs.pdf_text, pdf_paragraphs.page_lines = as_printed, pypdf_lines
    try:
        return read_document(path)
    finally:
        pdf_paragraphs.pdf_text, pdf_paragraphs.page_lines = keep


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--bench", type=int, default=0, help="benchmark news files to print too")
    ap.add_argument("--bench-dir", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--seed", type=int, default=37)
    ap.add_argument("--only", choices=("bundled", "dev2"), help="one set of reports (a quick run)")
    ap.add_argument("--layouts", type=int, default=len(LAYOUTS), help="the first N layouts only")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    sets = [(sorted((ROOT / "data" / "corpus").glob("*.txt")), a.eval_dir / "gold-dev.jsonl", "bundled"),
            (sorted((a.eval_dir / "reports-dev2").glob("*.txt")), a.eval_dir / "gold-dev2.jsonl", "dev2")]
    tmp = Path(tempfile.mkdtemp(prefix="pdf-reports-"))
    profile = tempfile.mkdtemp(prefix="pdf-reports-profile-")
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium",
                                                        headless=True, args=CHROME_ARGS)
            for reports, gold_file, label in (st for st in sets if a.only in (None, st[2])):
                gold = [json.loads(ln) for ln in gold_file.read_text(encoding="utf-8").splitlines() if ln.strip()]
                text_pred = [c for r in reports for c in claims(read_document(r), r.name)]
                print(f"{label} ({len(reports)} reports) as text: {score(a.eval_dir, gold, text_pred)}")
                for name, layout in list(LAYOUTS.items())[:a.layouts]:
                    folder = tmp / label / re.sub(r"\W+", "-", name)
                    print_pdfs(reports, folder, layout, ctx)
                    for printed in (True, False):
                        pgold, pred, kept, total = [], [], 0, 0
                        for r in reports:
                            text = read_document(r)
                            pdf = read_pdf(folder / (r.stem + ".pdf"), printed)
                            pgold += carried_gold([g for g in gold if g["doc"] == r.name], text.text, pdf.text,
                                                  r.stem + ".pdf")
                            pred += claims(pdf, r.stem + ".pdf")
                            lines = set(paragraphs(pdf.text))
                            orig = paragraphs(text.text)
                            total += len(orig)
                            kept += sum(p in lines for p in orig)
                        how = "as printed" if printed else "read     "
                        print(f"  {name:15s} {how}: {score(a.eval_dir, pgold, pred)}; "
                              f"paragraphs whole {kept}/{total}; gold spans carried {len(pgold)}/{len(gold)}")
            if a.bench:
                files = sorted(a.bench_dir.iterdir())
                random.Random(a.seed).shuffle(files)
                src = tmp / "bench-text"
                src.mkdir()
                for f in files[:a.bench]:
                    shutil.copy(f, src / (f.stem + ".txt"))
                reports = sorted(src.iterdir())
                print_pdfs(reports, tmp / "bench-pdf", BENCH_LAYOUT, ctx)
                want = Counter()
                for r in reports:
                    want += figures(claims(read_document(r), r.stem))
                for printed in (True, False):
                    got = Counter()
                    for r in reports:
                        got += figures(claims(read_pdf(tmp / "bench-pdf" / (r.stem + ".pdf"), printed), r.stem))
                    same = sum((want & got).values())
                    how = "as printed" if printed else "read"
                    print(f"bench news ({len(reports)} files, seed {a.seed}) {how}: {same} of the text's "
                          f"{sum(want.values())} figures ({same / sum(want.values()):.3f}), the PDF gives "
                          f"{sum(got.values())}")
            ctx.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
