"""One route from file to store: the offsets `etl extract` prints are the offsets the
store holds, and both index the file as decoded (an HTML page's source, a GB18030 file's
characters, CRLF line ends), so every figure can be shown in place."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

# A saved news page around two real sentences of the bundled report 000: page furniture,
# an entity inside a figure's sentence, a script with numbers in it, CRLF line ends.
HTML_PAGE = (
    "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>中央和国家机关工委"
    "深入开展“我为群众办实事”实践活动_旗帜网</title>\r\n"
    "<script>var views = 997; var id = 20211230;</script></head>\r\n<body>\r\n"
    "<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/news\">新闻中心</a></div>\r\n"
    "<div class=\"info\">发布日期:2021-12-30 17:34:18&nbsp;&nbsp;浏览次数:997</div>\r\n"
    "<div class=\"article\">\r\n"
    "<p>重点慰问年逾七旬的全国劳动模范、全国先进工作者以及享受全国劳模待遇者130人，"
    "发放慰问金<strong>27万元</strong>。</p>\r\n"
    "<p>举办中央和国家机关广播体操工间操云比赛，吸引55个部门的6600余名干部职工踊跃参赛&mdash;"
    "累计2.4万余人次。</p>\r\n"
    "</div>\r\n<div class=\"footer\">联系电话：010-83083000</div>\r\n</body></html>\r\n"
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[Path, str]:
    """path -> the file's text as decoded (the bundled reports, an HTML page, a GB18030 copy)."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for p in CORPUS:
        out[p] = p.read_text(encoding="utf-8")   # the bundled reports are UTF-8, no BOM
    page = folder / "qizhi_page.html"
    page.write_bytes(HTML_PAGE.encode("utf-8"))
    out[page] = HTML_PAGE
    gbk = folder / "001_gbk_reprint.txt"      # a reprint (new first line) saved as GB18030
    text = "转载自安徽省直机关工委网站\r\n" + CORPUS[1].read_text(encoding="utf-8")
    gbk.write_bytes(text.encode("gb18030"))
    out[gbk] = text
    return out


def _run(*args) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "etl", *map(str, args)], capture_output=True,
                         text=True, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    return res


@pytest.fixture(scope="module")
def extracted(reports, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("extract") / "mentions.jsonl"
    _run("extract", *reports, "-o", out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def stored(reports, tmp_path_factory) -> list[dict]:
    db = tmp_path_factory.mktemp("store") / "figures.duckdb"
    _run("run", *reports, "--db", db)
    rows = Store(db, read_only=True).query_df('SELECT doc, start, "end", text FROM claims')
    return rows.to_dict("records")


def test_extract_prints_the_offsets_the_store_holds(extracted, stored):
    printed = {(r["doc"], r["start"], r["end"], r["text"]) for r in extracted}
    held = {(r["doc"], int(r["start"]), int(r["end"]), r["text"]) for r in stored}
    assert len(printed) == len(extracted) > 500
    assert printed == held


def test_the_html_page_is_read_through_its_tags_with_offsets_into_the_source(extracted):
    page = [r for r in extracted if r["doc"] == "qizhi_page.html"]
    claims = {r["text"]: r for r in page if r["is_claim"]}
    assert {"130人", "27万元", "55个", "6600余名", "2.4万余人次"} <= claims.keys()
    assert claims["27万元"]["subject"] == "慰问金"
    assert HTML_PAGE.index("27万元") == claims["27万元"]["start"]
    # numbers inside the script are not read; the furniture is not a claim
    assert not any(r["text"] == "20211230" for r in page)
    assert not any(r["is_claim"] for r in page if r["text"] in ("997", "010-83083000"))


def test_every_span_is_the_text_of_the_file_as_decoded(reports, extracted):
    by_name = {p.name: text for p, text in reports.items()}
    assert {r["doc"] for r in extracted} == set(by_name)
    for r in extracted:
        assert by_name[r["doc"]][r["start"]:r["end"]] == r["text"], r
