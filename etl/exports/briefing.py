"""A briefing pack: one 16:9 PowerPoint (a cover, then a slide per chart and per table,
each with its title and source line as slide text; a table slide is a real PowerPoint
table of its first rows), charts' data and tables as one Excel workbook. Pure: Charts
and Tables in (etl.views.model), bytes out. `outline` is the deck as a list of Slides:
the PowerPoint is drawn from it and the 简报 page previews it, so the preview is the deck.

Slide text sets the East Asian font (<a:ea>), not only the Latin one python-pptx
writes: PowerPoint picks Chinese glyphs from <a:ea>, and without it falls back to
whatever the theme says (RECIPES pitfall 12).
"""
from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field
from typing import Iterable

import pandas as pd

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from etl.exports import render as _render
from etl.exports.tables import Sheet, workbook_bytes
from etl.views import charts as _charts
from etl.views.labels import fmt_number, local_now
from etl.views.model import Chart, Table
from etl.views.text import shorten

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
HEAD_FILL, BAND_FILL = RGBColor(0x1F, 0x6F, 0xD1), RGBColor(0xEE, 0xF3, 0xFA)
# What a 16:9 slide holds legibly at 11 pt: the rest of a table is in the workbook.
TABLE_ROWS, TABLE_COLS, CELL_CHARS = 12, 7, 36


@dataclass
class Slide:
    """One slide of the deck: a cover, a chart or a table, with its slide text."""
    kind: str                               # cover | chart | table
    title: str
    lines: list[str] = field(default_factory=list)   # source lines (cover: subtitle)
    chart: Chart | None = None
    table: pd.DataFrame | None = None       # table slides: the cells as shown, text
    note: str = ""                          # what a table slide leaves to the workbook


def table_cells(df: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The part of a table a slide shows, as text (numbers as the dashboard writes
    them, long text cut), and a note on what was left to the workbook."""
    cols = [c for c in df.columns if str(c) != "claim_id"]
    shown_cols = cols[:TABLE_COLS]
    part = df[shown_cols].head(TABLE_ROWS)

    def cell(v) -> str:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, bool):
            return "是" if v else "否"
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return fmt_number(v)
        return shorten(str(v), CELL_CHARS)

    cells = pd.DataFrame({str(c): [cell(v) for v in part[c]] for c in shown_cols})
    left = []
    if len(df) > TABLE_ROWS:
        left.append(f"共 {len(df):,} 行，此页显示前 {TABLE_ROWS} 行")
    if len(cols) > TABLE_COLS:
        left.append(f"另有 {len(cols) - TABLE_COLS} 列（{'、'.join(str(c) for c in cols[TABLE_COLS:])}）")
    note = "；".join(left) + ("；完整表格见 Excel 简报。" if left else "")
    return cells, note


def outline(items: Iterable[Chart | Table], title: str = "",
            subtitle: list[str] | None = None) -> list[Slide]:
    """The deck, slide by slide: a cover when `title` is given, then a slide per chart
    and per table, in the order given."""
    out = [Slide("cover", title, list(subtitle or []))] if title else []
    for it in items:
        if isinstance(it, Chart):
            out.append(Slide("chart", it.title, _charts.source_lines(it.fig) or [it.source],
                             chart=it))
        else:
            cells, note = table_cells(it.df)
            out.append(Slide("table", it.title, [x for x in it.source.split("\n") if x],
                             table=cells, note=note))
    return out


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


def _slide_text(s, slide: Slide, font: str, number: int | None) -> None:
    """Title, source lines (and a table's note), page number: the text every slide has."""
    _text(s, MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H, [slide.title], size=26,
          font=font, bold=True, anchor=MSO_ANCHOR.MIDDLE, name="标题")
    lines = slide.lines + ([slide.note] if slide.note else [])
    _text(s, MARGIN, SOURCE_TOP, SLIDE_W - 2 * MARGIN - Inches(0.6), SLIDE_H - SOURCE_TOP - Inches(0.1),
          lines, size=11, font=font, color=GREY, name="数据来源")
    if number is not None:
        _text(s, SLIDE_W - MARGIN - Inches(0.6), SLIDE_H - Inches(0.45), Inches(0.6), Inches(0.35),
              [str(number)], size=10, font=font, color=GREY, align=PP_ALIGN.RIGHT, name="页码")
    notes = s.notes_slide.notes_text_frame
    notes.text = "\n".join([slide.title] + lines + (slide.chart.notes if slide.chart else []))


def chart_slide(prs, chart: Chart, font: str = EA_FONT, number: int | None = None) -> None:
    [slide] = outline([chart])
    s = prs.slides.add_slide(prs.slide_layouts[6])          # Blank: no 4:3 placeholders
    png, w, h = slide_picture(chart)
    box_w, box_h = SLIDE_W - 2 * MARGIN, PIC_BOTTOM - PIC_TOP
    k = min(box_w / w, box_h / h)
    pw, ph = int(w * k), int(h * k)
    s.shapes.add_picture(io.BytesIO(png), Emu(int((SLIDE_W - pw) / 2)), PIC_TOP, Emu(pw), Emu(ph))
    _slide_text(s, slide, font, number)


def _cell_text(cell, text: str, font: str, *, head: bool) -> None:
    tf = cell.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    run = p.add_run()
    run.text = text
    set_font(run, font, 11, bold=head, color=RGBColor(0xFF, 0xFF, 0xFF) if head else DARK)
    cell.margin_left = cell.margin_right = Inches(0.05)
    cell.margin_top = cell.margin_bottom = Inches(0.02)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE


def table_slide(prs, slide: Slide, font: str = EA_FONT, number: int | None = None) -> None:
    """A slide holding a PowerPoint table (cells are text, editable in PowerPoint):
    a header row, then the table's first rows; widths follow the text's length."""
    s = prs.slides.add_slide(prs.slide_layouts[6])
    cells = slide.table if slide.table is not None else pd.DataFrame()
    n_rows, n_cols = len(cells) + 1, max(1, len(cells.columns))
    box_w, box_h = SLIDE_W - 2 * MARGIN, PIC_BOTTOM - PIC_TOP
    row_h = min(Inches(0.42), int(box_h / n_rows))
    shape = s.shapes.add_table(n_rows, n_cols, MARGIN, PIC_TOP, box_w, row_h * n_rows)
    shape.name = "表格"
    table = shape.table
    weights = [max(4, min(CELL_CHARS, max([len(str(c))] + [len(v) for v in cells[c]])))
               for c in cells.columns] or [1]
    for j, wgt in enumerate(weights):
        table.columns[j].width = Emu(int(box_w * wgt / sum(weights)))
    for j, col in enumerate(cells.columns):
        head = table.cell(0, j)
        head.fill.solid()
        head.fill.fore_color.rgb = HEAD_FILL
        _cell_text(head, str(col), font, head=True)
        for i, v in enumerate(cells[col], start=1):
            c = table.cell(i, j)
            c.fill.solid()
            c.fill.fore_color.rgb = BAND_FILL if i % 2 == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            _cell_text(c, v, font, head=False)
    for i in range(n_rows):
        table.rows[i].height = row_h
    _slide_text(s, slide, font, number)


def pptx_bytes(items: Iterable[Chart | Table], title: str = "",
               subtitle: list[str] | None = None, font: str = EA_FONT) -> bytes:
    """A 16:9 deck (see `outline`): a cover when `title` is given, then a slide per
    chart (the chart drawn as a picture) and per table (a PowerPoint table)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = title or "图表"
    prs.core_properties.author = "报告数字看板"
    prs.core_properties.language = "zh-CN"
    for n, slide in enumerate(outline(items, title, subtitle), start=1):
        if slide.kind == "cover":
            _cover(prs, slide.title, slide.lines, font)
        elif slide.kind == "chart" and slide.chart is not None:
            chart_slide(prs, slide.chart, font, number=n)
        else:
            table_slide(prs, slide, font, number=n)
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
    when = (generated or local_now()).strftime("%Y-%m-%d %H:%M")   # the reader's zone
    return (extra or []) + [f"生成时间：{when}　·　报告数字看板"]
