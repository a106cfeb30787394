"""The same report in the clothes unseen reports arrive in keeps its metadata (issue 19):
an HTML page with site furniture, traditional script, the date written another way or
moved to the end, a title with its site's name. Golden cases quote at most the line
around the field, from the development reports (bundled samples by file number, dev2 by
number); the whole-report measurement is tools/perturb_metadata.py, run here as a guard
when ../shared/eval is present."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import opencc
import pytest

from etl.reading import describe, html_text, page_facts

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import perturb_metadata  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
BODY = "正文内容。" * 60
s2t = opencc.OpenCC("s2t").convert


# ------------------------------------------------------------ dates in every form

@pytest.mark.parametrize("text,expected", [
    # dev2 001 and bundled 000: the labelled date, written in Chinese numerals
    ("楚雄市政协找准着力点积极为群众办实事做好事\n\n发表时间:二〇一九年十二月三日 17:08 信息来源:市大比拼办公室\n",
     "2019-12-03"),
    ("用心用情用力书写初心答卷\n发布日期:二〇二一年十二月三十日   浏览次数:997   来源:旗帜网\n", "2021-12-30"),
    # bundled 001: a furniture line with the date written 年月日 (over 40 characters)
    ("省直工委群众路线教育实践活动彰显三大特色\n\n【字体: 】【2014年2月7日】 【作者/来源 韩兴国】 【阅读: 次】 【关 闭\n",
     "2014-02-07"),
    # dev2 007, 031: the people.cn date line written as ISO and day.month.year
    ("强化宗旨意识 深植为民情怀\n\n2020-01-17 08:22 来源:新华网\n", "2020-01-17"),
    ("天津:把温暖送到党员干部职工心坎上\n\n21.01.2025 09:06 | 来源:天津日报\n", "2025-01-21"),
])
def test_a_date_in_the_head_in_any_form(text, expected):
    assert page_facts.detect_published(text + BODY) == expected
    assert page_facts.detect_published(s2t(text + BODY)) == expected


@pytest.mark.parametrize("text,dateline,expected", [
    # dev2 014 and 016: the mirror's date line moved from under the headline to the end
    ("省委组织部划拨700万元党费用于元旦春节期间走访慰问\n\n近日,", "22.01.2019", "2019-01-22"),
    ("吉安市直机关积极开展“七一”走访慰问活动\n\n在中国共产党", "03.07.2014  09:45", "2014-07-03"),
    # bundled 000 and dev2 001, in Chinese numerals and ISO
    ("用心用情用力书写初心答卷\n", "二〇二一年十二月三十日", "2021-12-30"),
    ("楚雄市政协找准着力点积极为群众办实事做好事\n", "2019-12-03", "2019-12-03"),
])
def test_a_dateline_at_the_end(text, dateline, expected):
    assert page_facts.detect_published(text + BODY + "\n\n" + dateline + "\n") == expected


@pytest.mark.parametrize("text,expected", [
    # dev2 005 and 009: a date line (with a time, or an author's name) under the headline
    ("全国公务用车整治情况排行榜 四川最多超万辆\n二〇一四年十月六日 17:21\n本文来源: 中国江西网\n",
     "全国公务用车整治情况排行榜 四川最多超万辆"),
    ("APP下载\n\n开展“不忘初心、牢记使命”主题教育\n\n二〇二一年十二月十六日王耀生\n\n党员干部之友 2021年12期\n",
     "开展“不忘初心、牢记使命”主题教育"),
])
def test_a_date_line_is_never_the_headline(text, expected):
    assert page_facts.detect_title(text + BODY) == expected


# ------------------------------------------------------------ traditional script

@pytest.mark.parametrize("text,expected", [
    # dev2 024: e-paper furniture above the headline, in traditional script
    ("通版阅读请点击:\n展开通版\n收缩通版\n当前版:07版\n发布日期:2021年10月13日\n"
     "广州分公司:我为群众办实事出实招见实效\n文章字数:1921\n", "广州分公司:我为群众办实事出实招见实效"),
    # dev2 005: 本文來源 under the headline
    ("全国公务用车整治情况排行榜 四川最多超万辆\n06.10.2014 17:21\n本文来源: 中国江西网\n",
     "全国公务用车整治情况排行榜 四川最多超万辆"),
    # dev2 026: portal furniture, then the headline over its 来源/发布时间 line
    ("欢迎来到浦东志愿者家园!\n\n用户登录| 用户注册\n\n内容下一篇><返回><上一篇\n\n"
     "党旗在社区飘扬 党员志愿者在身边行动\n来源:    编辑:志愿者家园网    发布时间:2017-06-08\n",
     "党旗在社区飘扬 党员志愿者在身边行动"),
])
def test_the_headline_in_traditional_script_is_found_and_kept_as_written(text, expected):
    assert page_facts.detect_title(s2t(text + BODY)) == s2t(expected)


@pytest.mark.parametrize("line,expected", [
    ("天津:把溫暖送到黨員干部職工心坎上_人民網", "天津:把溫暖送到黨員干部職工心坎上"),    # dev2 031
    ("著力在踐行“三嚴三實”中走在前列-新華網", "著力在踐行“三嚴三實”中走在前列"),      # dev2 032
])
def test_a_site_name_in_traditional_script_is_dropped(line, expected):
    assert page_facts.strip_site(line) == expected


# ------------------------------------------------------------ html pages

def _page(title: str, h1: str, head: str = "", side: str = "") -> str:
    return (f"<html><head><meta charset='utf-8'>{head}<title>{title}</title></head><body>"
            "<div class='nav'><a href='/'>首页</a> | <a href='/a'>时政</a> | <a href='/b'>地方</a></div>"
            f"<div class='article'><h1>{h1}</h1><p>来源：人民网 浏览次数：1024</p>"
            + "".join(f"<p>{BODY}</p>" for _ in range(3)) + "</div>"
            f"<div class='side'><h3>热点新闻</h3><ul>{side}</ul></div>"
            "<div class='footer'>Copyright © 1997-2024 by www.people.com.cn</div></body></html>")


def test_another_storys_date_in_a_side_bar_is_not_the_pages_date():
    # bundled 002 and 004 have no date of their own: a page around them listing other
    # stories with theirs must not lend them one (htmldate would take it)
    side = "<li><a href='/n/1.html'>2024-03-05 全国两会新闻中心开放</a></li>"
    for headline in ("中央和国家机关工委开展党史学习教育", "回头看，主题教育成果“大检阅”"):
        _, meta, _ = html_text.extract_html(_page(headline + "_人民网", headline, side=side))
        assert "date" not in meta
        assert describe.describe(BODY, "x.html", html_meta=meta)["published"] is None


def test_the_markup_date_of_a_page_is_its_date():
    head = "<meta name='publishdate' content='2019-01-22'>"
    _, meta, _ = html_text.extract_html(_page("标题_人民网", "标题", head=head))
    assert meta["date"] == "2019-01-22"


@pytest.mark.parametrize("headline", [
    "省直工委群众路线教育实践活动彰显三大特色",        # bundled 001
    "省委组织部划拨700万元党费用于元旦春节期间走访慰问",  # dev2 014
])
def test_a_page_titled_by_its_site_only_is_named_by_its_h1(headline):
    _, meta, _ = html_text.extract_html(_page("人民网", headline))
    assert describe.describe(BODY, "x.html", html_meta=meta)["title"] == headline


# ------------------------------------------------------------ the perturbation tool

def test_the_renderings_write_the_date_each_way_and_move_it():
    text = "某某标题很长一些\n发布时间:2019-01-23 10:02\n" + BODY
    gold = {"title": "某某标题很长一些", "published": "2019-01-23"}
    forms = {n: perturb_metadata.RENDERINGS[n](text, "a.txt", gold).text.splitlines()[1]
             for n in ("date_iso", "date_dmy", "date_cn", "date_han")}
    assert forms == {"date_iso": "发布时间:2019-01-23 10:02", "date_dmy": "发布时间:23.01.2019 10:02",
                     "date_cn": "发布时间:2019年1月23日 10:02",
                     "date_han": "发布时间:二〇一九年一月二十三日 10:02"}
    moved = perturb_metadata.dateline_end(text, "a.txt", gold).text
    assert "2019" not in moved[:100] and moved.rstrip().endswith("2019-01-23")
    assert perturb_metadata.RENDERINGS["suffix_renmin"](text, "a.txt", gold).text.startswith(
        "某某标题很长一些_人民网\n")
    assert not perturb_metadata.RENDERINGS["suffix_xinhua"](text, "a.txt", {}).changed
    assert perturb_metadata.hash_name(text, "2019-01-23_标题.txt", gold).name.endswith(".txt")


@pytest.mark.skipif(not (EVAL / "gold-metadata-dev.jsonl").is_file(), reason="needs ../shared/eval")
def test_no_rendering_loses_a_field_the_plain_report_gets_right(tmp_path):
    gold = [json.loads(line) for line in
            (EVAL / "gold-metadata-dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    results = perturb_metadata.evaluate(gold, perturb_metadata.report_paths(EVAL),
                                        list(perturb_metadata.RENDERINGS), tmp_path)
    base = results["original"]["rows"]
    lost = [f"{v}: {doc}: {f} {r['pred'][f]!r}" for v, res in results.items()
            for doc, r in res["rows"].items() for f in perturb_metadata.COLUMNS
            if r["right"][f] is False and base[doc]["right"][f]]
    assert lost == []
