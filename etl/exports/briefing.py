"""A briefing pack: charts as one 16:9 PowerPoint (a cover, then one chart per slide
with its title and source line as slide text), charts' data and tables as one Excel
workbook. Pure: Charts and Tables in (etl.views.model), bytes out.

Slide text sets the East Asian font (<a:ea>), not only the Latin one python-pptx
writes: PowerPoint picks Chinese glyphs from <a:ea>, and without it falls back to
whatever the theme says (RECIPES pitfall 12).
"""
from __future__ import annotations

import datetime as _dt
import io
from typing import Iterable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from etl.views import charts as _charts
from etl.exports import render as _render
from etl.views.model import Chart, Table
from etl.exports.tables import Sheet, workbook_bytes

# Microsoft YaHei is on every Chinese Windows and Office for Mac substitutes it;
# LibreOffice maps it to Noto Sans CJK / WenQuanYi through fontconfig.
EA_FONT = "Microsoft YaHei"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_H = Inches(0.3), Inches(0.8)
PIC_TOP, PIC_BOTTOM = Inches(1.15), Inches(6.55)
SOURCE_TOP = Inches(6.62)
SLIDE_PX_W = 1100              # chart width on a slide in layout px: 15 px type ~ 12 pt
DARK, GREY = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66)


def set_font(run, name: str = EA_FONT, size: float | None = None, bold: bool | None = None,
             color: RGBColor | None = None) -> None:
    """Latin, East Asian and complex-script typefaces, zh-CN language, size, colour."""
    f = run.font
    f.name = name                              # <a:latin>
    if size:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if color is not None:
        f.color.rgb = color
    rPr = run._r.get_or_add_rPr()
    rPr.set("lang", "zh-CN")
    rPr.set("altLang", "en-US")
    prev = rPr.find(qn("a:latin"))
    for tag in ("a:ea", "a:cs"):               # schema order: latin, ea, cs
        el = rPr.find(qn(tag))
        if el is None:
            el = rPr.makeelement(qn(tag), {})
            prev.addnext(el)
        el.set("typeface", name)
        prev = el


def _text(slide, left, top, width, height, lines: list[str], *, size: float, font: str,
          bold: bool = False, color: RGBColor = DARK, align=PP_ALIGN.LEFT,
          anchor=MSO_ANCHOR.TOP, name: str = "") -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    for i, line in enumerate(lines or [""]):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        run = p.add_run()
        run.text = line                        # plain text: python-pptx escapes XML itself
        set_font(run, font, size, bold, color)


def slide_picture(chart: Chart, scale: float = 2) -> tuple[bytes, int, int]:
    """The chart drawn for a slide: no title and no source line (slide text holds
    them), larger type, the picture box's shape unless the chart needs more height."""
    fig = _charts.for_slide(chart.fig)
    box_ratio = (SLIDE_W - 2 * MARGIN) / (PIC_BOTTOM - PIC_TOP)
    w = SLIDE_PX_W
    h = max(round(w / box_ratio), int((chart.fig.layout.height or 460) - 70))
    return _render.render(fig, "png", width=w, height=h, scale=scale), w, h


def _cover(prs, title: str, lines: list[str], font: str) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[6])
    _text(s, Inches(0.9), Inches(2.4), SLIDE_W - Inches(1.8), Inches(1.4), [title], size=40,
          font=font, bold=True, anchor=MSO_ANCHOR.BOTTOM, name="标题")
    _text(s, Inches(0.9), Inches(4.0), SLIDE_W - Inches(1.8), Inches(2.0), lines, size=16,
          font=font, color=GREY, name="说明")


def chart_slide(prs, chart: Chart, font: str = EA_FONT, number: int | None = None) -> None:
    s = prs.slides.add_slide(prs.slide_layouts[6])          # Blank: no 4:3 placeholders
    _text(s, MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H, [chart.title], size=26,
          font=font, bold=True, anchor=MSO_ANCHOR.MIDDLE, name="标题")
    png, w, h = slide_picture(chart)
    box_w, box_h = SLIDE_W - 2 * MARGIN, PIC_BOTTOM - PIC_TOP
    k = min(box_w / w, box_h / h)
    pw, ph = int(w * k), int(h * k)
    s.shapes.add_picture(io.BytesIO(png), Emu(int((SLIDE_W - pw) / 2)), PIC_TOP, Emu(pw), Emu(ph))
    lines = _charts.source_lines(chart.fig) or [chart.source]
    _text(s, MARGIN, SOURCE_TOP, SLIDE_W - 2 * MARGIN - Inches(0.6), SLIDE_H - SOURCE_TOP - Inches(0.1),
          lines, size=11, font=font, color=GREY, name="数据来源")
    if number is not None:
        _text(s, SLIDE_W - MARGIN - Inches(0.6), SLIDE_H - Inches(0.45), Inches(0.6), Inches(0.35),
              [str(number)], size=10, font=font, color=GREY, align=PP_ALIGN.RIGHT, name="页码")
    notes = s.notes_slide.notes_text_frame
    notes.text = "\n".join([chart.title] + lines + chart.notes)


def pptx_bytes(charts: Iterable[Chart], title: str = "", subtitle: list[str] | None = None,
               font: str = EA_FONT) -> bytes:
    """A 16:9 deck: a cover when `title` is given, then one slide per chart."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = title or "图表"
    prs.core_properties.author = "报告数字看板"
    prs.core_properties.language = "zh-CN"
    n = 1
    if title:
        _cover(prs, title, subtitle or [], font)
        n += 1
    for chart in charts:
        chart_slide(prs, chart, font, number=n)
        n += 1
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def sheets_for(items: Iterable[Chart | Table]) -> list[Sheet]:
    """A sheet per table, and per chart the chart's data and, for a chart of sums, the
    figures counted and left out (in the order given)."""
    out = []
    for it in items:
        for t in ((it.data, it.ledger) if isinstance(it, Chart) else (it,)):
            if t is not None:
                out.append(Sheet(t.df, t.sheet or t.title, t.title, t.source))
    return out


def xlsx_bytes(items: Iterable[Chart | Table], title: str = "") -> bytes:
    return workbook_bytes(sheets_for(items), about=title)


def subtitle_lines(generated: _dt.datetime | None = None, extra: list[str] | None = None) -> list[str]:
    when = (generated or _dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return (extra or []) + [f"生成时间：{when}　·　报告数字看板"]
