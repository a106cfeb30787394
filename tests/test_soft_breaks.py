"""Line breaks that are not breaks (etl/extraction/soft_breaks.py): the bundled reports
hard-wrapped as a PDF's or an e-paper's text saved as .txt, and as HTML pages whose
source wraps inside paragraphs, give the figures the reports give as written; a report
written a paragraph a line, a table, a list, a <pre> keep every break."""
from __future__ import annotations

import html
import sys
from pathlib import Path

import pytest

from etl.extraction.extract import extract_text
from etl.extraction.soft_breaks import full_width, markup_soft_breaks, wrapped_breaks
from etl.extraction.text_spans import line_ends_of

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
sys.path.insert(0, str(ROOT / "bench"))

from wrapped_reports import wrap  # noqa: E402


def _wrap(text: str, width: int, *, cells: bool = False, keep_words: bool = False, sep: str = "\n") -> str:
    """Each line cut every `width` characters (or display cells, “ ” counted narrow: the
    other way of counting them), as a text saved from a PDF or by `fold` is; keep_words:
    never inside a run of ASCII (a number, a word). bench/wrapped_reports.py's cuts."""
    return "\n".join(sep.join(wrap(line, width, cells=cells, keep_words=keep_words, narrow_quotes=True))
                     for line in text.split("\n"))


def _figures(claims):
    return [(c.value, c.unit, c.unit_class, c.approx, c.subject) for c in claims if c.is_claim]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("width, cells, sep", [(33, False, "\n"), (66, True, "\n"), (45, False, "\r\n")],
                         ids=["33-chars", "66-cells", "45-chars-crlf"])
def test_a_hard_wrapped_report_gives_the_figures_of_the_report(path, width, cells, sep):
    text = path.read_text(encoding="utf-8")
    wrapped = _wrap(text, width, cells=cells, sep=sep)
    assert wrapped.count("\n") > text.count("\n") + 20
    got = extract_text(wrapped, "x")
    assert _figures(got) == _figures(extract_text(text, "x"))
    assert all(wrapped[c.start:c.end] == c.text for c in got)    # offsets index the file


def test_a_wrapped_figure_subject_and_sentence_read_whole():
    # 000: 向全市6600余名干部职工发放慰问金27万元 cut inside the figure and the subject
    text = next(p for p in CORPUS if p.name.startswith("000")).read_text(encoding="utf-8")
    wrapped = _wrap(text, 33)
    before = {(c.value, c.subject) for c in extract_text(text, "x") if c.is_claim}
    cut = {(c.value, c.subject) for c in extract_text(wrapped, "x") if c.is_claim}
    assert cut == before
    lines = wrapped.split("\n")
    assert any(ln and ln[-1].isdigit() and nxt[:1].isdigit() for ln, nxt in zip(lines, lines[1:]))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_a_report_as_written_keeps_every_break(path):
    text = path.read_text(encoding="utf-8")
    assert wrapped_breaks(text, line_ends_of(text)) == []
    assert full_width(text.split("\n")) == (0, 0)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_an_html_page_whose_source_wraps_gives_the_figures_of_the_report(path):
    text = path.read_text(encoding="utf-8")

    def page(wrap) -> str:
        body = "\n".join(f"<p>{html.escape(wrap(line))}</p>" for line in text.split("\n") if line.strip())
        return f"<html><body>\n<div class=\"article\">\n{body}\n</div></body></html>"

    wrapped = page(lambda line: _wrap(line, 40, keep_words=True))
    got = extract_text(wrapped, "x", markup=True)
    assert _figures(got) == _figures(extract_text(page(lambda line: line), "x", markup=True))
    assert all(wrapped[c.start:c.end] == c.text for c in got)


PARAGRAPHS = ("2021年以来，市直机关工委组织各级党组织开展走访慰问活动，共走访慰问困难党员和老党员1274名，"
              "发放慰问金和慰问品折合人民币167.8万元，惠及党员群众近万人。各基层党组织把为群众办实事作为检验"
              "党史学习教育成效的重要标尺，共解决群众急难愁盼问题375个，完成实事项目246项。",
              "下一步，工委将继续推动各级党组织深入基层，把走访慰问活动同主题教育结合起来，切实帮助群众解决实际"
              "困难和问题。")


@pytest.mark.parametrize("cells", [False, True], ids=["characters", "cells"])
def test_which_breaks_of_a_wrapped_text_go_on(cells):
    # paragraphs indented, every line cut at 30 characters (60 cells): each cut goes on,
    # a paragraph's last line does not, and the indented line after it starts a paragraph
    text = "\n".join(_wrap("\u3000\u3000" + p, 60 if cells else 30, cells=cells) for p in PARAGRAPHS) + "\n"
    spans = wrapped_breaks(text, line_ends_of(text))
    lines = text.split("\n")
    cuts = [i for i in range(len(lines) - 1) if lines[i + 1] and not lines[i + 1][0].isspace()]
    assert len(spans) == len(cuts) >= 5
    assert [text[s:e] for s, e in spans] == ["\n"] * len(cuts)
    assert all(text[e].strip() and not text[e].isspace() for s, e in spans)
    as_written = "\n".join("\u3000\u3000" + p for p in PARAGRAPHS) + "\n"
    assert _figures(extract_text(text, "x")) == _figures(extract_text(as_written, "x"))


def test_a_table_a_list_and_titles_keep_their_breaks():
    table = "\n".join(["项目          金额（万元）   户数"] + [f"第{i}批走访慰问困难党员      {i * 3}.5     {i * 10}" for i in range(1, 9)])
    md_table = "\n".join(["| 项目 | 金额（万元） |", "| --- | --- |"] + [f"| 第{i}批走访慰问困难党员和群众 | {i}.5 |" for i in range(1, 9)])
    items = "\n".join(f"{i}. 开展“我为群众办实事”活动第{i}项：走访慰问困难群众{i * 10}户。" for i in range(1, 9))
    for text in (table, md_table, items):
        assert wrapped_breaks(text, line_ends_of(text)) == [], text


def test_an_html_newline_is_white_space_but_not_in_pre_or_beside_a_tag():
    page = "<p>共走访慰问困难党员\n  1274名，发放慰问金27\n万元</p>\n<pre>项目\n金额</pre><p>Report\nFigures</p>"
    from etl.extraction.normalize import _markup_spans
    soft = markup_soft_breaks(page, _markup_spans(page))
    assert [page[s - 1:e + 1] for s, e in soft] == ["员\n  1", "7\n万"]
    got = [c for c in extract_text(page, "x", markup=True) if c.is_claim]
    assert [(c.text, c.value) for c in got] == [("1274名", 1274), ("27\n万元", 270000)]
    # a text full of tags taken for markup by looking keeps its lines (a paragraph a line)
    assert extract_text("<b>一、</b>慰问困难党员\n1274名", "x")[0].subject != "慰问困难党员"


def test_a_full_line_that_ends_a_sentence_goes_on_only_where_paragraphs_are_marked():
    # the sentence before a figure may name what it counts (dev2 031: 安排送温暖经费。
    # 其中，将167.8万元…), so a paragraph goes on over a full line's 。 where a new
    # paragraph would show (an indent, a blank line); where none would, 。 may end one
    paragraphs = [ln.strip() for ln in CORPUS[1].read_text(encoding="utf-8").split("\n") if len(ln) > 60]
    marked = "\n".join(_wrap("\u3000\u3000" + p, 33) for p in paragraphs)
    plain = "\n".join(_wrap(p, 33) for p in paragraphs)
    for text, goes_on in ((marked, True), (plain, False)):
        spans = wrapped_breaks(text, line_ends_of(text))
        assert len(spans) > 50
        over_a_stop = [text[s - 1:e + 1] for s, e in spans if text[s - 1] == "。"]
        assert bool(over_a_stop) == goes_on, over_a_stop


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_a_hard_wrapped_report_is_described_as_the_report(path):
    # a line of a paragraph, ended only by the wrap, is no title (tools/perturb_metadata.py's
    # hard_wrapped: the development reports' titles 0.556 before, 1.000 now)
    from etl.reading.describe import describe
    text = path.read_text(encoding="utf-8")
    fields = ("title", "published", "organisation", "level", "campaign")
    want = {f: describe(text, path.name)[f] for f in fields}
    for cut in (_wrap(text, 33), _wrap(text, 66, cells=True)):
        assert {f: describe(cut, path.name)[f] for f in fields} == want


def test_a_cut_after_a_blank_goes_on():
    # dev2 010 (完成家庭适老化改造 2790 户) and 009 (…的108 个单位): figures written with a
    # blank before the unit; a wrapper that cuts after the blank keeps it on the line
    para = PARAGRAPHS[0] + "全年完成家庭适老化改造 2790 户，新开工建设基础教育学校 24 所，派出指导组 108 个。"
    for width in range(26, 40):
        pieces = _wrap("\u3000\u3000" + para, width).split("\n")
        if any(p.endswith(" ") and p[-2].isdigit() for p in pieces[:-1]):
            break
    text = "\n".join(_wrap("\u3000\u3000" + p, width) for p in (para,) + PARAGRAPHS[1:]) + "\n"
    assert any(ln.endswith(" ") for ln in text.split("\n"))
    as_written = "\n".join("\u3000\u3000" + p for p in (para,) + PARAGRAPHS[1:]) + "\n"
    assert _figures(extract_text(text, "x")) == _figures(extract_text(as_written, "x"))
