"""Figures in tables (issue 17, family 5): a figure in a cell takes its unit from the
column header (总额(万元), 慰问金（元）, 人数(人)) or a 单位：万元 line above the table, and
its subject from the header's noun or, when the header only names a measure, the row
label. Serial numbers are list markers, years in a header are years, and a 合计 row is
the total of the rows above it.

The development reports hold no tables, so the tables here are written in the shapes
public notices (公示) are published in: markdown pipes (also what trafilatura makes of
an HTML table), tab-separated rows (how a .docx table is read), columns aligned with
spaces, an HTML <table> in the page source, and a .docx built with python-docx.
"""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from etl.extraction.extract import extract_text
from etl.extraction.normalize import normalize
from etl.extraction.tables import find_tables
from etl.pipeline import store_files
from etl.reading.ingest import Document, read_document
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]


def by_text(claims, text, nth=0):
    hits = [c for c in claims if c.text == text]
    assert len(hits) > nth, (text, [c.text for c in claims])
    return hits[nth]


def check_offsets(text, claims):
    for c in claims:
        assert text[c.start:c.end] == c.text
        if c.is_claim:
            assert text[c.sentence_start:c.sentence_end] == c.sentence


PIPES = """# 关于2023年春节走访慰问困难党员情况的公示

根据区委组织部安排，现将春节期间走访慰问困难党员情况公示如下：

| 序号 | 姓名 | 所在党组织 | 困难类型 | 慰问金(元) |
|------|------|-----------|---------|-----------|
| 1 | 张某某 | 东街社区党委 | 因病致困 | 1000 |
| 2 | 李某某 | 西街社区党委 | 生活困难老党员 | 800 |
| 3 | 王某某 | 南苑社区党支部 | 因灾致困 | 1,200 |
| 合计 |  |  |  | 3000 |

公示期为5个工作日。
"""


def test_markdown_pipe_table_takes_unit_and_subject_from_the_header():
    claims = extract_text(PIPES, "gs.md")
    check_offsets(PIPES, claims)
    c = by_text(claims, "800")
    assert c.is_claim and (c.value, c.unit, c.unit_class) == (800, "元", "money")
    assert c.subject == "慰问金" and c.reason == "table: unit from the header"
    assert by_text(claims, "1,200").value == 1200
    # serial numbers are list markers, not claims
    for serial in ("1", "2", "3"):
        c = by_text(claims, serial)
        assert not c.is_claim and c.kind == "list_marker"
    # the 合计 row is the total, the rows above it its parts
    total = by_text(claims, "3000")
    assert (total.role, total.counted, total.aggregate) == ("total", True, "合计")
    for part in ("1000", "800", "1,200"):
        p = by_text(claims, part)
        assert (p.role, p.counted, p.of_start, p.of_end) == ("part", False, total.start, total.end)
    # text outside the table is read as before
    assert by_text(claims, "5个工作日").unit_class == "duration"


TABS = "2023年全区困难群众帮扶资金发放情况\n\n单位：万元\n项目\t2022年\t2023年\n" \
       "慰问金\t36.5\t40.2\n帮扶资金\t120\t150\n小计\t156.5\t190.2\n" \
       "医疗救助\t20\t25\n合计\t176.5\t215.2\n"


def test_tab_separated_table_with_the_unit_line_above_and_years_as_columns():
    claims = extract_text(TABS, "t.txt")
    check_offsets(TABS, claims)
    c = by_text(claims, "36.5")
    assert (c.value, c.unit, c.unit_class, c.subject) == (Decimal(365000), "元", "money", "慰问金")
    # a column per year: the row label says what is counted; the years are years
    assert by_text(claims, "150").subject == "帮扶资金"
    assert by_text(claims, "150").value == 1500000
    assert [c.kind for c in claims if c.text in ("2022年", "2023年")][-2:] == ["year", "year"]
    # 小计 totals the rows since the last 小计 and is a part of 合计
    sub, total = by_text(claims, "156.5"), by_text(claims, "176.5")
    assert (total.role, total.counted) == ("total", True)
    assert (sub.role, sub.of_start) == ("part", total.start)
    assert by_text(claims, "36.5").of_start == sub.start
    assert by_text(claims, "20").of_start == total.start     # after the 小计: part of 合计


SPACED = """各街道慰问困难党员情况统计表
街道          慰问人数(人)      慰问金(元)
东街街道      35                17500
西街街道      28                14000
合计          63                31500
"""


def test_columns_aligned_with_spaces():
    claims = extract_text(SPACED, "s.txt")
    check_offsets(SPACED, claims)
    c = by_text(claims, "35")
    assert (c.value, c.unit, c.unit_class, c.subject) == (35, "人", "people", "慰问人数")
    c = by_text(claims, "14000")
    assert (c.value, c.unit, c.unit_class, c.subject) == (14000, "元", "money", "慰问金")
    assert by_text(claims, "31500").role == "total"
    assert by_text(claims, "17500").of_start == by_text(claims, "31500").start


def test_measure_headers_take_the_row_label_and_a_count_header_implies_its_unit():
    text = "项目 | 金额(万元) | 户数\n|---|---|---|\n慰问金 | 36.5 | 120\n助学金 | 12 | 40\n"
    claims = extract_text(text, "m.md")
    check_offsets(text, claims)
    c = by_text(claims, "36.5")
    assert (c.value, c.unit, c.subject) == (365000, "元", "慰问金")
    c = by_text(claims, "40")
    assert (c.value, c.unit, c.subject) == (40, "户", "助学金")


HTML = """<html><head><meta charset="utf-8"><title>关于2023年春节走访慰问困难党员的公示</title></head>
<body><div class="article"><h1>关于2023年春节走访慰问困难党员的公示</h1>
<p>经各基层党组织推荐、街道党工委审核，区委组织部决定对以下困难党员进行走访慰问，现将有关情况公示如下：</p>
<p style="text-align:right">（单位：万元）</p>
<table border="1"><tbody>
<tr><th>序号</th><th>所在党组织</th><th>慰问对象</th><th>慰问金总额（万元）</th><th>慰问人数（人）</th></tr>
<tr><td>1</td><td rowspan="2">东街社区党委</td><td>困难党员</td><td>3.6</td><td>36</td></tr>
<tr><td>2</td><td>老党员</td><td><span>2.4</span></td><td>24</td></tr>
<tr><td>3</td><td>西街社区党委</td><td>困难党员</td><td>1.5</td><td>15</td></tr>
<tr><td colspan="3">合&nbsp;计</td><td>7.5</td><td>75</td></tr>
</tbody></table>
<p>公示期为5个工作日。</p></div></body></html>"""


def test_html_table_in_the_page_source():
    claims = extract_text(HTML, "gs.html", markup=True)
    check_offsets(HTML, claims)
    c = by_text(claims, "2.4")       # inside a <span>, in a row shifted by a rowspan
    assert (c.value, c.unit, c.unit_class, c.subject) == (24000, "元", "money", "慰问金总额")
    c = by_text(claims, "24")
    assert (c.value, c.unit, c.unit_class, c.subject) == (24, "人", "people", "慰问人数")
    assert not by_text(claims, "3").is_claim and by_text(claims, "3").kind == "list_marker"
    total = by_text(claims, "7.5")
    assert (total.value, total.role) == (75000, "total")
    assert by_text(claims, "1.5").of_start == total.start


def test_html_table_takes_the_unit_of_a_sentence_above_it():
    page = ("<p>各社区慰问资金拨付情况如下（单位：万元）：</p><table><tr><td>社区</td><td>慰问金</td>"
            "<td>帮扶资金</td></tr><tr><td>东街社区</td><td>3.5</td><td>12</td></tr><tr>"
            "<td>西街社区</td><td>2.5</td><td>8</td></tr><tr><td>合计</td><td>6</td><td>20</td></tr></table>")
    claims = extract_text(page, "u.html", markup=True)
    check_offsets(page, claims)
    c = by_text(claims, "12")
    assert (c.value, c.unit, c.subject, c.role) == (120000, "元", "帮扶资金", "part")
    assert c.of_start == by_text(claims, "20").start


def test_a_layout_table_around_the_article_is_not_a_table_of_figures():
    page = ("<table><tr><td>网站首页</td><td>政务公开</td></tr><tr><td>"
            "<p>今年共发放慰问金36.5万元，走访困难党员120名。</p>"
            "<table><tr><th>项目</th><th>金额（元）</th></tr><tr><td>慰问金</td><td>800</td></tr></table>"
            "</td><td>2023</td></tr></table>")
    claims = extract_text(page, "layout.html", markup=True)
    check_offsets(page, claims)
    assert by_text(claims, "36.5万元").subject == extract_text(
        "<p>今年共发放慰问金36.5万元，走访困难党员120名。</p>", "p.html", markup=True)[0].subject
    assert by_text(claims, "800").unit == "元"        # the inner table is one


SENTENCES = ["今年共发放慰问金36.5万元，走访困难党员120名。", "全年慰问困难群众1,200人次。"]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_same_sentence_outside_a_table_is_unchanged(sentence):
    alone = extract_text(sentence, "a.txt")
    # the sentence after a table (and inside the same document) reads the same
    text = PIPES + "\n" + sentence + "\n"
    after = [c for c in extract_text(text, "b.md") if c.start >= len(PIPES)]
    assert [(c.text, c.value, c.unit, c.unit_class, c.subject, c.is_claim) for c in after] == \
           [(c.text, c.value, c.unit, c.unit_class, c.subject, c.is_claim) for c in alone]


def test_running_text_with_double_spaces_and_a_bar_is_no_table():
    text = ("发布时间：2023-01-18  来源：区委组织部  浏览次数：1203\n"
            "今年共走访困难党员120名  发放慰问金36.5万元。\n"
            "首页 | 新闻中心 | 2023年工作\n")
    assert find_tables(normalize(text)) is None


def test_text_without_tables_finds_none_cheaply():
    assert find_tables(normalize("今年共发放慰问金36.5万元。\n" * 1000)) is None


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("关于2022年度“两节”慰问资金发放情况的公示")
    d.add_paragraph("经党委研究，现将2022年度“两节”慰问资金发放情况公示如下：")
    t = d.add_table(rows=5, cols=4)
    rows = [("序号", "慰问对象", "人数（人）", "慰问金（元）"),
            ("1", "困难党员", "12", "12000"),
            ("2", "老党员", "30", "15000"),
            ("3", "退役军人", "8", "4000"),
            ("合计", "", "50", "31000")]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    t.cell(4, 0).merge(t.cell(4, 1))          # 合计 across two columns
    d.add_paragraph("公示期间如有异议，请与党委办公室联系。")
    d.save(path)
    return path


def test_docx_table_rows_are_read_as_rows(tmp_path):
    doc = read_document(make_docx(tmp_path / "gs.docx"))
    assert isinstance(doc, Document)
    assert "困难党员\t12\t12000" in doc.text
    claims = extract_text(doc.text, doc.name, markup=False)
    check_offsets(doc.text, claims)
    c = by_text(claims, "12000")
    assert (c.value, c.unit, c.unit_class, c.subject) == (12000, "元", "money", "慰问金")
    c = by_text(claims, "30")
    assert (c.value, c.unit, c.unit_class, c.subject) == (30, "人", "people", "老党员")
    total = by_text(claims, "31000")
    assert total.role == "total" and by_text(claims, "4000").of_start == total.start


# ------------------------------------------------------------------ end to end

def test_extract_cli_and_the_store_read_html_and_docx_tables(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gs.html").write_text(HTML, encoding="utf-8")
    make_docx(folder / "gs.docx")
    out = tmp_path / "claims.jsonl"
    res = subprocess.run([sys.executable, "-m", "etl", "extract", str(folder), "-o", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    got = {(r["doc"], r["text"]): r for r in rows if r["is_claim"]}
    assert (got[("gs.html", "2.4")]["value"], got[("gs.html", "2.4")]["subject"]) == (24000, "慰问金总额")
    assert (got[("gs.docx", "12000")]["unit"], got[("gs.docx", "12000")]["subject"]) == ("元", "慰问金")

    store = Store(tmp_path / "figures.duckdb")
    store_files([folder / "gs.html", folder / "gs.docx"], store, label="test")
    df = store.query_df('SELECT c.doc, c.text, c.value, c.unit, c.subject, c.start, c."end", '
                        'c.role, r.text AS report FROM claims c JOIN reports r USING (report_id) '
                        'WHERE c.is_claim')
    for _, r in df.iterrows():
        assert r["report"][r["start"]:r["end"]] == r["text"]
    row = df[(df["doc"] == "gs.html") & (df["text"] == "7.5")].iloc[0]
    assert (row["value"], row["unit"], row["role"]) == (75000, "元", "total")
    row = df[(df["doc"] == "gs.docx") & (df["text"] == "15000")].iloc[0]
    assert (row["value"], row["unit"], row["subject"], row["role"]) == (15000, "元", "慰问金", "part")


def test_docx_cell_merged_down_leaves_its_column_empty_below(tmp_path):
    import docx

    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    rows = [("社区", "慰问对象", "慰问金（元）"), ("东街社区", "困难党员", "3600"),
            ("", "老党员", "2400"), ("合计", "", "6000")]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    t.cell(1, 0).merge(t.cell(2, 0))
    d.save(tmp_path / "v.docx")
    doc = read_document(tmp_path / "v.docx")
    assert doc.text == "社区\t慰问对象\t慰问金（元）\n东街社区\t困难党员\t3600\n\t老党员\t2400\n合计\t\t6000"
    claims = extract_text(doc.text, doc.name, markup=False)
    c = by_text(claims, "2400")
    assert (c.unit, c.subject, c.role, c.of_start) == ("元", "慰问金", "part", by_text(claims, "6000").start)
