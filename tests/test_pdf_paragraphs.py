"""A PDF's printed lines joined back into paragraphs (etl/reading/pdf_paragraphs.py).
Pages are built here as pypdf's lines with their positions; the lines are from the
bundled reports and the dev reports (tests/e2e/test_pdf_reports.py prints whole
reports to PDF and reads them back)."""
from __future__ import annotations

from etl.reading.pdf_paragraphs import Line, _gap_in_a_word, fold_look_alikes, page_lines, pdf_text

EM = 12.0
LEFT, RIGHT = 72.0, 520.0
PITCH = 18.0


def _page(*rows, top: float = 770.0) -> list[Line]:
    """Lines from (text, ends) rows: ends is "full", a right end in points, or
    ("indent", "full"|x1); ("gap", ...) puts a paragraph's gap above the line."""
    out, y = [], top
    for row in rows:
        text, how = row[0], row[1:]
        x0 = LEFT
        if "gap" in how:
            y -= PITCH * 0.8
        if "indent" in how:
            x0 = LEFT + 2 * EM
        end = next((h for h in how if not isinstance(h, tuple) and h not in ("gap", "indent")), "full")
        x1 = RIGHT if end == "full" else float(end)
        size = next((h for h in how if isinstance(h, tuple)), (EM,))[0]
        out.append(Line(text, x0, x1, y, size))
        y -= PITCH
    return out


def test_a_filled_line_that_does_not_end_a_sentence_goes_on():
    # 019_ezhou: the figure and its subject were cut by the printed line's end
    page = _page(("本网讯近日,市委直属机关工委组织市直机关各级党组织,开展“七一”走访慰",),
                 ("问活动,为151名生活困难党员送去党组织的关怀与温暖。", 300.0),
                 ("退役军人、党员袁林林的两个孩子均患孤独症", "gap", 400.0))
    assert pdf_text([page]) == ("本网讯近日,市委直属机关工委组织市直机关各级党组织,开展“七一”走访慰问活动,"
                                "为151名生活困难党员送去党组织的关怀与温暖。\n退役军人、党员袁林林的两个孩子均患孤独症")


def test_a_figure_cut_at_the_line_end_reads_whole():
    page = _page(("组织政协干部参与环境清扫,打造2个“文明示范老旧小区”,累计投入资金30",),
                 ("余万元。", 120.0))
    assert "累计投入资金30余万元。" in pdf_text([page])


def test_a_gap_an_indent_or_another_size_of_type_starts_a_paragraph():
    full = "以建设“最强党支部”铸造堡垒,市直机关全面开展“最强党支部”建设工作,坚持"
    more = "“一切工作到支部”理念,召开工作推进部署会,建立“负面清单”,认真落实联系点"
    gap = _page((full,), (more,), ("新的段落", "gap", 200.0))
    indent = _page((full,), (more,), ("新的段落", "indent", 200.0))
    size = _page((full,), (more,), ("新的段落", (16.0,), 200.0))
    for page in (gap, indent, size):
        assert pdf_text([page]) == full + more + "\n新的段落"


def test_a_sentence_ending_at_the_line_end_goes_on_only_where_paragraphs_are_set_apart():
    # 003_changsha: "…有强大的推动力。" filled its line mid-paragraph
    first = "李江在充分肯定长沙教育实践活动所取得的成绩后指出,这对于全市开展活动有强大的推动力。"
    apart = _page((first,), ("下一步要进一步研究细化整改措施", 300.0), ("另一段", "gap", 100.0))
    assert pdf_text([apart]).startswith(first + "下一步")
    # no gap and no indent anywhere: a sentence's end may be a paragraph's
    flat = _page((first,), ("下一步要进一步研究细化整改措施", 300.0), ("另一段", 100.0))
    assert pdf_text([flat]).startswith(first + "\n下一步")


def test_short_lines_and_headings_stay_lines():
    page = _page(("一、主要做法", 160.0), ("市直机关全面开展“最强党支部”建设工作,坚持“一切工作到支部”理念,召开工作推",),
                 ("进部署会。", 140.0), ("二、下一步打算", "gap", 170.0))
    assert pdf_text([page]).split("\n") == [
        "一、主要做法", "市直机关全面开展“最强党支部”建设工作,坚持“一切工作到支部”理念,召开工作推进部署会。",
        "二、下一步打算"]


def test_latin_words_and_numbers_keep_a_space_where_the_line_broke():
    page = _page(("The campaign reached 6600 cadres and staff in the city's 21 service",),
                 ("stations.", 130.0))
    assert pdf_text([page]) == "The campaign reached 6600 cadres and staff in the city's 21 service stations."


def test_a_sentence_runs_over_a_page_end_and_page_furniture_is_left_out():
    header = "楚雄市人民政府公报"
    one = _page((header, 300.0), ("为群众办实事,市政协机关、21个政协委员服务联络处累计开展志愿服务活动110",),
                ("- 1 -", 280.0))
    two = _page((header, 300.0), ("余场次,累计参与人员达8700多人次。", 380.0), ("第 2 页", 280.0))
    text = pdf_text([one, two])
    # the running header stays on the first page (a report's title is often its header)
    assert text == (header + "\n为群众办实事,市政协机关、21个政协委员服务联络处累计开展志愿服务活动110余场次,"
                    "累计参与人员达8700多人次。")


def test_a_bare_number_is_a_page_number_only_where_the_pages_count_up():
    body = "市政协机关、21个政协委员服务联络处累计开展以文明劝导、环境整治等为主要内容的志愿服"
    pages = [_page((body,), ("务活动。", 100.0), (str(k + 3), 280.0)) for k in range(3)]
    assert "\n3" not in pdf_text(pages) and pdf_text(pages).count("务活动。") == 3
    # 032_anhui: a figure set on a line of its own, then the sentence about it
    figure = [_page(("375", 280.0), ("2018年11月开始,安徽聚焦16个方面问题,共查处形式主义、官僚主义问题375个。",)),
              _page(("3616", 280.0), ("2018年安徽全省开展党内问责3616例,问责领导干部3257人。",))]
    assert pdf_text(figure).startswith("375\n") and "\n\n3616\n" in pdf_text(figure)


def test_a_page_ending_a_sentence_on_a_full_line_stays_apart_from_the_next():
    # 003 (bundled): "…携手共建。" filled the page's last line; the next page starts a paragraph
    one = _page(("积极推动机关党支部与嘎查村社区党支部携手共建。", 300.0, "gap"),
                ("帮助解决工作中存在的问题和困难,积极推动机关党支部与嘎查村社区党支部携手共建。",))
    two = _page(("党建品牌激发活力。红旗飘扬,誓言铿锵。", 400.0), ("近日,市科协举行了授旗仪式。", "gap", 300.0))
    assert "携手共建。\n\n党建品牌激发活力" in pdf_text([one, two])


def test_without_positions_the_width_in_characters_stands_in():
    lines = [Line("发放慰问金27万元,6600余名干部职工参与,累计2.4万余人次受益,覆盖全"),
             Line("市各乡镇。"),
             Line("减少了40%,每人1000元、共计12.2万元,惠及122名困难党员和群众,覆盖"),
             Line("全县。"),
             Line("二、工作成效")]
    assert pdf_text([lines]).split("\n") == [
        "发放慰问金27万元,6600余名干部职工参与,累计2.4万余人次受益,覆盖全市各乡镇。",
        "减少了40%,每人1000元、共计12.2万元,惠及122名困难党员和群众,覆盖全县。",
        "二、工作成效"]


def test_radicals_a_font_draws_as_ideographs_are_read_as_them():
    # as Chromium's text layer named them for dev reports printed with Noto CJK
    got = "退役军⼈、党员的两个孩⼦,其⺟亲中⻛瘫痪在床,温暖⼀⼾,⽬标"
    assert fold_look_alikes(got) == "退役军人、党员的两个孩子,其母亲中风瘫痪在床,温暖一户,目标"
    assert len(fold_look_alikes(got)) == len(got)
    plain = "发放慰问金27万元"
    assert fold_look_alikes(plain) is plain


def test_a_gap_pypdf_saw_inside_a_word_is_not_a_space():
    # a justified line spaced out to fill it: 国内 外 1000 余 家 企 业 (bench news as PDF)
    assert _gap_in_a_word("内", "外") and _gap_in_a_word("外", "1") and _gap_in_a_word("0", "余")
    assert _gap_in_a_word("项", "⽬")              # the radical read as 目
    assert not _gap_in_a_word("称", "|")           # 文件名称 | title | (a table row, 017)
    assert not _gap_in_a_word("l", "2")            # Latin text keeps its spaces
    assert not _gap_in_a_word("购", "。")


def test_the_look_alike_table_is_what_the_fonts_say_the_simplified_face_first():
    # data/rules/cjk_radicals.yaml is generated (tools/cjk_radicals.py); the Japanese face
    # comes first in Noto's collections and draws ⼾ as 戸, where Chinese text means 户
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import pytest
    if shutil.which("fc-match") is None:
        pytest.skip("no fontconfig")
    root = Path(__file__).resolve().parents[1]
    fonts = [subprocess.run(["fc-match", "-f", "%{file}", f], capture_output=True, text=True).stdout
             for f in ("Noto Sans CJK SC", "Noto Serif CJK SC")]
    if not all("NotoS" in f and f.endswith(".ttc") for f in fonts):
        pytest.skip("the Noto CJK collections are not installed (make test installs them)")
    done = subprocess.run([sys.executable, "tools/cjk_radicals.py"], cwd=root, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (root / "data" / "rules" / "cjk_radicals.yaml").read_text(encoding="utf-8")
    assert fold_look_alikes("⼾⻁") == "户虎"


class _Page:
    """A stand-in for a pypdf page whose visitor is handed matrices of another shape."""

    def __init__(self, pieces):
        self.pieces = pieces

    def extract_text(self, visitor_text):
        for text, cm, tm in self.pieces:
            visitor_text(text, cm, tm, None, None)
        return "".join(p[0] for p in self.pieces)


def test_a_page_whose_positions_cannot_be_read_keeps_its_text():
    page = _Page([("发放慰问金27", None, None), ("万元\n共计⼀百⼈", (1, 0), "x")])
    assert [ln.text for ln in page_lines(page)] == ["发放慰问金27万元", "共计一百人"]
