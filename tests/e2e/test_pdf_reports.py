"""The bundled reports printed to PDF by Chromium (as a report printed from a browser or
an office suite is), then read as a run reads them: the same figures as the text
files, the paragraphs whole, no radical for an ideograph (etl/reading/pdf_paragraphs.py).
As pypdf read them before, a sentence broke at every printed line and 人 read as ⼈.

Two layouts: a serif face with a gap between paragraphs, and a sans face with the
first line indented and none."""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from etl.extraction.extract import extract_text
from etl.reading.ingest import Document, read_document

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from pdf_reports import paragraphs as text_lines, print_pdfs  # noqa: E402  (as the benchmark prints, compares)
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
LAYOUTS = {
    "serif-gaps": ("Noto Serif CJK SC", "15px", "justify", ""),
    "sans-indent": ("Noto Sans CJK SC", "14px", "justify", "p{margin:0;text-indent:2em;line-height:1.5}"),
}


@pytest.fixture(scope="module")
def printed(browser_ctx, tmp_path_factory) -> dict[str, Path]:
    """layout -> a folder of the bundled reports as PDFs (A4), printed as
    bench/pdf_reports.py prints them."""
    out = {}
    for name, layout in LAYOUTS.items():
        out[name] = tmp_path_factory.mktemp(name)
        print_pdfs(CORPUS, out[name], layout, browser_ctx)
    return out


def _figures(doc: Document, with_subject: bool) -> Counter:
    claims = [c for c in extract_text(doc.text, doc.name) if c.is_claim]
    assert all(doc.text[c.start:c.end] == c.text for c in claims)       # offsets index the text read
    return Counter((c.value, c.unit_class, c.approx) + ((c.subject,) if with_subject else ())
                   for c in claims)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_report_printed_to_pdf_reads_as_its_text(printed, layout):
    figures = subjects = same_subjects = kept = paragraphs = 0
    for report in CORPUS:
        text = read_document(report)
        pdf = read_document(printed[layout] / (report.stem + ".pdf"))
        assert isinstance(pdf, Document), pdf
        assert not re.search("[\u2e80-\u2fdf]", pdf.text)
        want = _figures(text, with_subject=False)
        assert _figures(pdf, with_subject=False) == want, report.name
        figures += sum(want.values())
        by_subject = _figures(text, with_subject=True)
        subjects += sum(by_subject.values())
        same_subjects += sum((by_subject & _figures(pdf, with_subject=True)).values())
        lines = set(text_lines(pdf.text))
        original = text_lines(text.text)
        paragraphs += len(original)
        kept += sum(p in lines for p in original)
    assert figures > 150
    assert same_subjects >= subjects - 2          # 167 of 167 and 166 of 167 when written
    assert kept >= paragraphs - 2                 # 151 of 152 in both
