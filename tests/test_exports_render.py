"""Charts drawn to files (issue 7) with kaleido and Debian's Chromium: PNG size and
content, Chinese glyphs (not tofu boxes), the SVG's and the PDF's text, concurrent
exports, the PowerPoint deck, and the two commands end to end.

Skipped without /usr/bin/chromium (`make test` installs it with fonts-noto-cjk)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from test_app_store import XSS_SCRIPT, app_store

from etl.exports.render import HOW_TO
from etl.store import Store

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),      # the dashboard's own reason
                                reason=f"no {CHROMIUM}: chart export tests skipped. {HOW_TO}")
ROOT = Path(__file__).resolve().parents[1]
LATIN_FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf").exists()


@pytest.fixture(scope="module")
def run():
    store = Store(app_store(), read_only=True)
    return lambda qp: store.query_df(qp[0], list(qp[1]))


@pytest.fixture(scope="module")
def money(run):
    from etl.views import items
    return items.build({"chart": "compare", "metric": "money", "subject": "慰问金"}, run)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def radicals(s: str) -> list[str]:
    """Kangxi radicals and CJK radical look-alikes (⾦ for 金) in a text."""
    return [c for c in s if 0x2E80 <= ord(c) <= 0x2FDF]


# ------------------------------------------------------------------------- files

def test_png_is_high_resolution_and_drawn(money):
    from etl.exports import render
    png = render.render(money.fig, "png")
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    assert img.size == (render.DEFAULT_WIDTH * 2, money.fig.layout.height * 2)     # 2400 px wide
    px = pixels(png)
    assert px.std() > 20                                    # not a blank page
    assert len(np.unique(px.reshape(-1, 3), axis=0)) > 50   # text, bars, grid, antialiasing
    bar = (np.abs(px.astype(int) - [0x1f, 0x6f, 0xd1]).sum(axis=2) < 12).sum()
    assert bar > 20_000                                     # the blue bars are there
    assert (px[:5] == 255).all()                            # a white page


def test_chinese_is_drawn_with_a_cjk_font_not_boxes():
    """With no CJK font every character is the same empty box: two different titles
    of the same length would give the same pixels."""
    from etl.exports import render
    from etl.views import charts

    def title(t):
        fig = go.Figure(layout={"title": {"text": t}, "font": {"family": charts.FONT, "size": 13},
                                "width": 400, "height": 120, "margin": {"t": 50, "b": 0}})
        return pixels(render.render(fig, "png", scale=1))[:45]
    a, b = title("慰问金合计"), title("干部职工数")
    assert a.std() > 10 and (a != b).any()


def test_svg_holds_the_title_units_and_source_as_text(money):
    from etl.exports import render
    svg = render.render(money.fig, "svg").decode("utf-8")
    assert svg.startswith("<svg") and money.title == "慰问金（金额）：按专项活动合计（对数刻度）"
    assert f">{money.title}</text>" in svg
    assert "金额（元，对数刻度）" in svg and "数据来源：" in svg and "党史学习教育" in svg


def test_pdf_has_a_text_layer_with_title_numbers_and_source(money):
    from pypdf import PdfReader

    from etl.exports import render
    pdf = render.render(money.fig, "pdf")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert money.title in text and "数据来源" in text and not radicals(text)
    if LATIN_FONT:     # fonts-liberation (chromium recommends it): digits keep their code points
        # values can be searched and copied (39.2: the （未标注） bar, sample 003 naming its
        # campaign only in passing)
        assert "153" in text and "39.2" in text
        assert "\x00" not in text


def test_pdf_text_is_the_characters_as_written(run):
    """Chromium names 金 drawn in Noto Sans CJK by the Kangxi radical ⾦ (the font draws
    both with one glyph): the export maps the text layer back, so 资金 can be found."""
    from pypdf import PdfReader

    from etl.exports import render
    from etl.views import items
    chart = items.build({"chart": "compare", "metric_id": "funds_disbursed"}, run)
    assert chart.title.startswith("资金发放")
    text = PdfReader(io.BytesIO(render.render(chart.fig, "pdf"))).pages[0].extract_text()
    assert chart.title in text and "资金" in text and "数据来源" in text
    assert not radicals(text)


def test_pdf_text_repair_in_place_equals_the_pypdf_route(money, monkeypatch):
    """Chromium's PDF is repaired in its bytes (streams swapped, xref offsets shifted);
    the result reads strictly, says the same as pypdf's slower rewrite, and a PDF of
    another layout (an incremental update) is left to pypdf."""
    import warnings

    from pypdf import PdfReader

    from etl.exports import pdf_text, render
    monkeypatch.setattr(render.pdf_text, "searchable", lambda b: b)     # Chromium's bytes
    raw = render.render(money.fig, "pdf")
    monkeypatch.undo()
    table = {ord(k): v for k, v in pdf_text.cjk_look_alikes().items()}
    fast, slow = pdf_text._in_place(raw, table), pdf_text._through_pypdf(raw, table)
    assert fast is not None and fast != raw
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = PdfReader(io.BytesIO(fast), strict=True).pages[0].extract_text()
    assert text == PdfReader(io.BytesIO(slow)).pages[0].extract_text()
    assert money.title in text and not radicals(text)
    assert radicals(PdfReader(io.BytesIO(raw)).pages[0].extract_text())     # what it fixes
    assert pdf_text._in_place(slow, table) == slow                 # already right: unchanged
    updated = raw + b"xref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 1 /Prev 9>>\nstartxref\n%d\n%%%%EOF\n" % len(raw)
    assert pdf_text._in_place(updated, table) is None              # an updated file: pypdf's job


def test_pdf_text_fix_leaves_the_drawing_and_other_text_alone():
    from etl.exports import pdf_text
    cmap = (b"1 beginbfchar\n<04> <2FA6>\n<05> <0041>\nendbfchar\n"
            b"1 beginbfrange\n<10> <11> [<2F08> <5FC3>]\nendbfrange\n")
    table = {0x2FA6: "金", 0x2F08: "人"}
    fixed = pdf_text.fix_cmap(cmap, table)
    assert fixed == (b"1 beginbfchar\n<04> <91D1>\n<05> <0041>\nendbfchar\n"
                     b"1 beginbfrange\n<10> <11> [<4EBA> <5FC3>]\nendbfrange\n")
    assert pdf_text.searchable(b"not a pdf") == b"not a pdf"


def test_hostile_report_text_is_characters_in_the_files(run):
    from etl.exports import render
    from etl.views import items
    def svg_of(chart) -> str:          # Chromium writes < in text as &#60; or &lt;
        svg = render.render(chart.fig, "svg").decode("utf-8")
        return svg.replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    chart = items.build({"chart": "compare", "metric": "money", "by": "organisation"}, run)
    svg = svg_of(chart)
    assert "<img" not in svg and "<script" not in svg
    assert ">&lt;img src=x onerror=al…</text>" in svg       # the axis label, cut to 22
    chart = items.build({"chart": "overview", "title": f"{XSS_SCRIPT}简报"}, run)
    svg = svg_of(chart)
    assert "<script" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;简报</text>" in svg


def test_concurrent_exports_each_get_their_own_image():
    """Streamlit serves each session (and each download) on its own thread; kaleido's
    sync server mixes results up without the lock (RECIPES pitfall 1)."""
    from etl.exports import render
    fig = go.Figure(go.Bar(x=["北京", "上海"], y=[1, 2]))
    wrong: list = []

    def worker(width):
        for _ in range(4):
            got = Image.open(io.BytesIO(render.render(fig, "png", width=width, height=200, scale=1))).size
            if got != (width, 200):
                wrong.append((width, got))
    threads = [threading.Thread(target=worker, args=(w,)) for w in (300, 400, 500)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not wrong


def test_a_dashboard_figure_is_drawn_with_real_colours():
    """Streamlit's plotly template (the default once streamlit is imported) holds
    placeholder colours; exports replace it, so a timeline's lines are not black."""
    import streamlit.elements.plotly_chart  # noqa: F401 - installs the "streamlit" template

    from etl.exports import render
    from etl.views import charts
    df = pd.DataFrame({"label": ["甲", "甲", "乙", "乙"], "year": [2020, 2021, 2020, 2021],
                       "y": [1.0, 2.0, 2.0, 3.0], "n_figures": [1] * 4, "n_approx": [0] * 4})
    fig = charts.timeline(df, title="年度变化", value_title="金额（万元）", source="数据来源：测试")
    assert fig.layout.template.layout.colorway[0] == "#000001"
    px = pixels(render.render(fig, "png", scale=1))
    second = (np.abs(px.astype(int) - [0xe6, 0x7e, 0x00]).sum(axis=2) < 12).sum()
    assert second > 200                                    # the second line's colour is drawn


# -------------------------------------------------------------------- PowerPoint

def test_pptx_has_a_slide_per_chart_with_title_source_and_east_asian_font(run, money):
    from pptx import Presentation
    from pptx.oxml.ns import qn
    from pptx.util import Inches

    from etl.exports import briefing
    from etl.views import items
    overview = items.build({"chart": "overview"}, run)
    data = briefing.pptx_bytes([money, overview], "测试简报", ["筛选：无"])
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))   # 16:9
    slides = list(prs.slides)
    assert len(slides) == 3

    def shape(slide, name):
        return next(s for s in slide.shapes if s.name == name)
    assert shape(slides[0], "标题").text_frame.text == "测试简报"
    for slide, chart in zip(slides[1:], (money, overview)):
        assert shape(slide, "标题").text_frame.text == chart.title
        source = shape(slide, "数据来源").text_frame.text
        lines = chart.source.split("\n")            # reports, organisations, how it was drawn
        assert source.startswith("数据来源：") and source.split("\n")[:len(lines)] == lines
        assert "刻度" in lines[-1]
        [pic] = [s for s in slide.shapes if s.shape_type == 13]      # PICTURE
        assert pic.left >= 0 and pic.top + pic.height <= prs.slide_height
        assert pic.left + pic.width <= prs.slide_width
        img = pixels(pic.image.blob)
        assert img.shape[1] >= 2000 and img.std() > 20
        assert chart.title in slide.notes_slide.notes_text_frame.text
        for s in slide.shapes:
            if not s.has_text_frame:
                continue
            for p in s.text_frame.paragraphs:
                for r in p.runs:
                    rpr = r._r.find(qn("a:rPr"))
                    assert rpr.find(qn("a:ea")).get("typeface") == briefing.EA_FONT
                    assert rpr.find(qn("a:latin")).get("typeface") == briefing.EA_FONT
                    assert rpr.get("lang") == "zh-CN"


def test_slide_picture_has_no_title_or_source_of_its_own(money):
    """The slide's text holds them; the picture would repeat them."""
    from etl.views import charts
    fig = charts.for_slide(money.fig)
    assert fig.layout.title.text == ""
    assert not [a for a in fig.layout.annotations if a.name == charts.SOURCE]
    assert money.fig.layout.title.text == money.title                    # the original untouched
    assert charts.source_lines(money.fig)[0] == money.source.split("\n")[0]


# ------------------------------------------------------------------ command line

def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180)


def test_cli_export_chart_writes_png_svg_pdf(tmp_path):
    r = cli("export-chart", "--db", str(app_store()), "--chart", "compare", "--metric", "money",
            "--subject", "慰问金", "--by", "campaign", "--format", "png,svg,pdf", "--out", str(tmp_path),
            "--scale", "3")
    assert r.returncode == 0, r.stderr
    stem = "慰问金（金额）：按专项活动合计（对数刻度）"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.pdf", f"{stem}.png", f"{stem}.svg"]
    img = Image.open(tmp_path / f"{stem}.png")
    assert img.size[0] == 1200 * 3
    assert stem in (tmp_path / f"{stem}.svg").read_text(encoding="utf-8")
    from pypdf import PdfReader
    assert stem in PdfReader(tmp_path / f"{stem}.pdf").pages[0].extract_text()
    assert len(r.stdout.strip().splitlines()) == 3          # one line per file, with its time


def test_cli_briefing_writes_the_deck_and_the_workbook(tmp_path):
    from pptx import Presentation
    spec = tmp_path / "简报.yaml"
    spec.write_text(
        "title: 慰问工作简报\n"
        "filters: {campaign: [党史学习教育, 党的群众路线教育实践活动]}\n"
        "items:\n"
        "  - chart: overview\n"
        "  - {chart: compare, metric: 金额, subject: 慰问金, by: organisation}\n"
        "  - {chart: compare, metric: people, type: dots, filters: {}}\n"
        "  - {table: explore, class: [money], limit: 50}\n"
        "  - {chart: compare, subject: 不存在的主体}\n", encoding="utf-8")
    r = cli("briefing", "--db", str(app_store()), "--spec", str(spec), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "item 5: nothing matches" in r.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["慰问工作简报.pptx", "慰问工作简报.xlsx"]
    prs = Presentation(out / "慰问工作简报.pptx")
    titles = [next(s for s in sl.shapes if s.name == "标题").text_frame.text for sl in prs.slides]
    assert titles == ["慰问工作简报", "各专项活动的数字个数（按类别）", "慰问金（金额）：按单位合计（对数刻度）",
                      "人数：按专项活动的每个数字", "数字明细"]
    assert sum(sh.has_table for sh in list(prs.slides)[-1].shapes) == 1     # the table, as a table
    sheets = pd.read_excel(out / "慰问工作简报.xlsx", sheet_name=None)
    # each chart's data, the figures behind the sums of the bar chart, the table, 说明
    assert list(sheets)[-1] == "说明" and len(sheets) == 6 and "计入与未计入" in sheets
    assert set(sheets["数字明细"]["专项活动"]) <= {"党史学习教育", "党的群众路线教育实践活动"}
    dots = sheets["人数：按专项活动的每个数字（数据）"]
    assert "不忘初心、牢记使命主题教育" in set(dots["专项活动"])         # its own `filters: {}`
    info = json.dumps(sheets["说明"].fillna("").values.tolist(), ensure_ascii=False)
    assert "筛选：活动：党史学习教育、党的群众路线教育实践活动" in info
