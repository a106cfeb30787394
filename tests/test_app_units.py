"""The dashboard's pure helpers: markdown escaping, highlighting, labels, uploads,
downloads, chart builders. No Streamlit run, no store."""
from __future__ import annotations

import doctest
import io
import json
import string

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.exports import tables
from etl.views import charts, labels
from pages import _markdown, _uploads
from pages._markdown import NBSP, WJ, Mark, escape_inline, escape_markdown, highlight_markdown

PUNCT = set(string.punctuation)


def unescape(md: str) -> str:
    """What CommonMark shows for our output: a backslash before punctuation is the
    character itself; the word joiner and no-break spaces are invisible stand-ins."""
    out, i = [], 0
    while i < len(md):
        ch = md[i]
        if ch == "\\" and i + 1 < len(md) and md[i + 1] in PUNCT:
            out.append(md[i + 1])
            i += 2
            continue
        assert ch not in PUNCT, f"unescaped {ch!r} at {i} in {md!r}"
        out.append(ch)
        i += 1
    return "".join(out).replace(WJ, "").replace(NBSP, " ")


@pytest.mark.parametrize("module", [_markdown, _uploads])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("text", [
    "\\ * _ [ ] ( ) # + - . ! | < > { } ` ~ : $",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    ":smile: :streamlit: :material/home: :red[红色] :blue-background[27万元]",
    "a -- b -> c <- d <-> e >= f <= g ~= h", "$x^2$ $$y$$", "&lt;实体&gt; &amp;",
    "[链接](javascript:alert(1)) ![图](x) <http://x.y> www.example.com",
    "1. 列表\n- 列表\n+ 列表\n> 引用\n# 标题\n===\n---", "| a | b |\n|---|---|",
])
def test_escape_inline_every_special_character(text):
    for line in text.split("\n"):
        md = escape_inline(line)
        assert unescape(md) == line
        assert "<" not in md.replace("\\<", "")


def test_escape_markdown_breaks_the_patterns_streamlit_rewrites_after_parsing():
    md = escape_markdown(":smile: a -- b")
    assert ":" + WJ in md.replace("\\", "")       # no emoji shortcode survives
    assert "-" + WJ in md.replace("\\", "")       # no em dash from ' -- '
    assert escape_markdown("慰问金27万元") == "慰问金27万元"   # plain text untouched


def test_escape_markdown_lines_and_leading_spaces():
    md = escape_markdown("    缩进\n第二行\r\n第三行")
    lines = md.split("  \n")
    assert lines[0] == NBSP * 4 + "缩进"            # not a code block
    assert [unescape(x) for x in lines] == ["    缩进", "第二行", "第三行"]
    assert escape_markdown("一\n\n二", paragraphs=True) == "一\n\n二"
    assert escape_markdown("") == "" and escape_markdown(None) == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cf"), blacklist_characters="\r\n"),
               max_size=60))
def test_escape_inline_round_trips_any_line(text):
    # word joiners (Cf, zero width) are ours: they break links and shortcodes apart
    shown = unescape(escape_inline(text)).replace("\u2060", "")
    assert shown.replace(NBSP, " ") == text.replace(NBSP, " ")


def test_escape_inline_drops_invisible_format_characters():
    """Bidi overrides and zero-width characters (issue 22, item 9) are not shown."""
    assert unescape(escape_inline("报告\u202egpj.exe\u200b\ufeff")) == "报告gpj.exe"


def test_highlight_marks_in_place_and_escapes_everything():
    text = "标题<b>\r\n向困难职工发放慰问金27万元，走访*干部*1069名。\n第3次"
    s1 = text.index("27万元")
    s2 = text.index("1069名")
    s3 = text.index("3次")
    md = highlight_markdown(text, [Mark(s1, s1 + 4, background="#ffe0b2", suffix="¹"),
                                   Mark(s2, s2 + 5, background="#cfe3ff"),
                                   Mark(s3, s3 + 2, foreground="#8c8c8c")])
    assert ':color[27万元]{background="#ffe0b2"}¹' in md
    assert ':color[1069名]{background="#cfe3ff"}' in md
    assert ':color[3次]{foreground="#8c8c8c"}' in md
    assert "\\<b\\>" in md and "\\*干部\\*" in md
    assert md.split("\n\n")[0] == "标题\\<b\\>"          # CRLF handled, offsets intact


def test_highlight_skips_bad_marks_and_refuses_foreign_colours():
    text = "一二三\n四五六"
    md = highlight_markdown(text, [Mark(1, 5, background="#ffe0b2"),   # crosses the line break
                                   Mark(0, 2, background="#ffe0b2"),
                                   Mark(1, 3, background="#cfe3ff")])  # overlaps the one before
    assert md.count(":color[") == 1
    with pytest.raises(ValueError):
        highlight_markdown("abc", [Mark(0, 1, background='red"} onclick="x')])


def test_plotly_text_keeps_tags_as_characters():
    assert _markdown.plotly_text("<b>x</b> & <br>") == "&lt;b&gt;x&lt;/b&gt; &amp; &lt;br&gt;"


def test_money_in_wan_yuan_and_labels():
    assert labels.fmt_value(270000, "money", "元") == "27 万元"
    assert labels.fmt_value(1536115, "money", "元") == "153.6115 万元"
    assert labels.fmt_value(6600, "people", "人") == "6,600 人"
    assert labels.fmt_number(20_000_000 / 1e4) == "2,000"
    assert labels.fmt_value(None, "money", "元") == ""
    assert labels.approx_zh("over") == "余/以上" and labels.unit_class_zh("person_times") == "人次"
    assert labels.level_zh(None) == labels.NONE_LABEL
    assert set(labels.UNIT_CLASS_ZH) == set(labels.CLASS_BG) == set(labels.CLASS_COLOR)


# ------------------------------------------------------------------------- uploads

@pytest.mark.parametrize("name, expected", [
    ("../../etc/passwd", "passwd"), ("..\\..\\windows\\win.ini", "win.ini"),
    ("报告 2021.TXT", "报告_2021.txt"), ("a\x00b\n.md", "ab.md"), ("...", "upload"),
    ("$(rm -rf ~);.html", "rm_-rf.html"), ("/abs/path/年度总结.docx", "年度总结.docx"),
])
def test_safe_name(name, expected):
    assert _uploads.safe_name(name) == expected


def test_save_stays_inside_the_uploads_folder(tmp_path):
    folder = tmp_path / "uploads"
    p = _uploads.save(b"x", "../../etc/passwd.txt", folder)
    assert p.parent == folder.resolve() and p.name == "passwd.txt"
    assert not (tmp_path / "etc").exists()
    assert _uploads.save(b"x", "passwd.txt", folder) == p          # same bytes: same file
    assert _uploads.save(b"y", "passwd.txt", folder).name == "passwd_2.txt"


def test_upload_problems():
    assert _uploads.problem("a.exe", 10).startswith("不支持")
    assert _uploads.problem("a.txt", 0) == "文件是空的"
    assert "太大" in _uploads.problem("a.pdf", 11 * 1024 * 1024)
    assert _uploads.problem("a.DOCX", 100) is None


# ------------------------------------------------------------------------ downloads

def test_csv_has_bom_and_defused_formulas():
    df = pd.DataFrame({"原文": ["27万元", "=HYPERLINK(\"x\")", "@SUM(1)"], "数值": [270000, 1, -5]})
    data = tables.to_csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["原文"].tolist() == ["27万元", "'=HYPERLINK(\"x\")", "'@SUM(1)"]
    assert back["数值"].tolist() == [270000, 1, -5]


def test_excel_round_trip():
    df = pd.DataFrame({"原文": ["27万元", "=1+1"], "主体": ["慰问金", "干部职工"]})
    back = pd.read_excel(io.BytesIO(tables.to_excel_bytes(df)))
    assert back["原文"].tolist() == ["27万元", "'=1+1"] and back["主体"].tolist() == ["慰问金", "干部职工"]


# --------------------------------------------------------------------------- charts

def _spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_bar_chart_has_title_axis_units_source_and_escaped_labels():
    df = pd.DataFrame({"label": ["<b>甲</b>", "乙"], "y": [27.0, 3.5], "n_figures": [2, 1],
                       "n_approx": [1, 0]})
    fig = charts.bar(df, title="慰问金：按专项活动合计", value_title="金额（万元）",
                      group_title="专项活动", source="数据来源：2 份报告", log=True)
    spec = _spec(fig)
    assert spec["layout"]["title"]["text"] == "慰问金：按专项活动合计"
    assert spec["layout"]["xaxis"]["title"]["text"] == "金额（万元，对数刻度）"   # the scale is said
    assert spec["layout"]["xaxis"]["type"] == "log"
    notes = " ".join(a["text"] for a in spec["layout"]["annotations"])
    assert "数据来源" in notes and "约数" in notes
    assert "<b>" not in json.dumps(spec["data"], ensure_ascii=False)
    assert spec["data"][0]["marker"]["pattern"]["shape"] == ["/", ""]


def test_log_ticks_are_readable():
    axis = charts.value_axis_scale([259.6, 418.44, 3448.6], log=True)
    assert axis["type"] == "log" and "1,000" in axis["ticktext"] and "3" not in axis["ticktext"]
