"""The same report in other clothes gives the same figures: CRLF line endings, an HTML
page around it (tags, entities, scripts, navigation), traditional script, and the
noise scraped copies put inside figures. Offsets always index the text as given."""
from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl.extraction.extract import extract_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def _read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def _figures(claims):
    return [(c.text.replace("\r", ""), c.value, c.unit_class, c.approx, c.subject) for c in claims if c.is_claim]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_crlf_gives_the_same_claims(path):
    text = _read(path)
    crlf = text.replace("\n", "\r\n")
    a, b = extract_text(text, "x"), extract_text(crlf, "x")
    assert _figures(a) == _figures(b)
    assert all(crlf[c.start:c.end] == c.text for c in b)


def _as_html(text: str) -> str:
    """A web page around the report: head with a script full of numbers, a nav bar,
    each line a <p> with entities, a footer."""
    body = "\n".join(f"<p style=\"margin:12px\">{html.escape(line).replace(' ', '&nbsp;')}</p>"
                     for line in text.split("\n") if line.strip())
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>报告</title>"
            "<script>var views = 12345; window.x = [1, 2, 3];</script>"
            "<style>p { font-size: 16px; width: 720px }</style></head><body>"
            "<nav><a href=\"/list_2021_12.html\">上一页</a></nav>\n"
            f"<div class=\"article\">\n{body}\n</div>"
            "<!-- 统计代码 99999 --></body></html>")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_html_source_gives_the_same_claims(path, tmp_path):
    text = _read(path)
    page = _as_html(text)
    f = tmp_path / (path.stem + ".html")
    f.write_text(page, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "etl", "extract", str(f)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.splitlines()]
    for d in got:   # offsets index the HTML source as it is on disk
        assert page[d["start"]:d["end"]] == d["text"]
    want = [(c.text, float(c.value)) for c in extract_text(text, "x") if c.is_claim]
    have = [(html.unescape(d["text"]).replace("\xa0", " "), float(d["value"])) for d in got if d["is_claim"]]
    assert have == [(t.replace("\xa0", " "), v) for t, v in want]
    assert not any("12345" in d["text"] or "99999" in d["text"] for d in got)


def test_traditional_script_gives_the_same_figures():
    import opencc
    s2t = opencc.OpenCC("s2t").convert
    text = _read(CORPUS[0])
    trad = s2t(text)
    assert len(trad) == len(text) and trad != text
    a, b = extract_text(text, "x"), extract_text(trad, "x")
    t2s = opencc.OpenCC("t2s").convert
    assert [(v, u, ap) for _, v, u, ap, _ in _figures(a)] == [(v, u, ap) for _, v, u, ap, _ in _figures(b)]
    # subjects are copied as written: traditional characters in, traditional out
    subs = [c.subject for c in b if c.is_claim and c.subject]
    assert any(s != t2s(s) for s in subs)
    assert [t2s(s) for s in subs] == [c.subject for c in a if c.is_claim and c.subject]


@pytest.mark.parametrize("noisy, value", [
    ("发放慰问金27\u200b万元", 270000),        # zero-width space inside the figure
    ("发放慰问金27 万元", 270000),             # a space before the multiplier
    ("吸引6 600余名干部职工参赛", 6600),        # thin-space thousands
    ("发放慰问金２７万元", 270000),             # full-width digits
    ("发放慰问金27&nbsp;万元", 270000),        # an entity left in text (markup view)
])
def test_noise_inside_figures(noisy, value):
    markup = "&" in noisy
    got = [c for c in extract_text(noisy, "x", markup=markup) if c.is_claim]
    assert len(got) == 1 and got[0].value == value
    assert noisy[got[0].start:got[0].end] == got[0].text
