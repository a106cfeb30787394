"""Report metadata (etl/reading/): the five bundled reports, one short real-style
sentence per campaign, slogans that must not decide a campaign, organisations, dates,
sources, tags, the manifest, and the two YAML files the rules live in."""
from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import yaml

from etl.reading import campaigns, describe, manifest, organisations, page_facts, text_view
from etl.report import LEVELS, Report

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"


def corpus(prefix: str) -> tuple[str, str]:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8"), path.name


# ------------------------------------------------------------ bundled reports

# What each report says about itself (checked against the texts):
# 000 发布日期:2021-12-30 … 来源:旗帜网 ; headline before it ; “我为群众办实事” in 党史学习教育
# 001 【2014-2-7】 ; headline printed twice ; 省直工委 (安徽 in 安徽机关党建网, 安徽日报 …)
# 002 one line, no headline or date ; 来源:旗帜网 at the end ; 2021年上半年
# 003 photo captions, no headline ; 市委直属机关工委 + 呼伦贝尔 ; 巩固拓展“不忘初心、牢记使命”
#     主题教育成果 ; 2020年 six times
# 004 traditional script ; 全國政協機關 ; Copyright … www.people.com.cn ; 提出2019年…目标
EXPECTED = {
    "000": dict(title="用心用情用力书写初心答卷", published="2021-12-30", year=2021,
                source="旗帜网", organisation="中央和国家机关工委", level="central",
                region="全国", campaign="党史学习教育"),
    "001": dict(title="省直工委群众路线教育实践活动彰显三大特色", published="2014-02-07",
                year=2014, source="ahszgw.gov.cn", organisation="安徽省直机关工委",
                level="provincial", region="安徽", campaign="党的群众路线教育实践活动"),
    "002": dict(title="在我们最困难的时候,是组织伸出温暖的双手…", published=None, year=2021,
                source="旗帜网",
                organisation="中央和国家机关工委", level="central", region="全国",
                campaign="党史学习教育"),
    # 003: 主题教育 three times in 5,800 characters of a 2020 机关党建 overview: in passing
    "003": dict(title="九十九载峥嵘岁月风雨兼程,九十九载初心如磐砥砺前行", published=None,
                year=2020, source=None, organisation="呼伦贝尔市委直属机关工委",
                level="municipal", region="内蒙古 呼伦贝尔", campaign=None),
    "004": dict(title="回頭看,主題教育成果“大檢閱”", published=None, year=2019,
                source="人民网", organisation="全国政协机关", level="central", region="全国",
                campaign="不忘初心、牢记使命主题教育"),
}
EVIDENCE = {"000": "我为群众办实事", "001": "群众路线教育实践活动", "002": "我为群众办实事",
            "003": None, "004": "不忘初心、牢记使命主题教育"}
TAGS = {"000": ["工会进万家"], "001": ["三结对"], "002": ["工会进万家", "恒爱行动"],
        "003": ["最强党支部", "提升年", "模范机关"], "004": ["模范机关", "四强党支部"]}


@pytest.mark.parametrize("doc", sorted(EXPECTED))
def test_bundled_report_metadata(doc):
    text, name = corpus(doc)
    got = describe.describe(text, name)
    assert {k: got[k] for k in EXPECTED[doc]} == EXPECTED[doc]
    assert EVIDENCE[doc] is None and got["campaign_evidence"] is None or (
        EVIDENCE[doc] in got["campaign_evidence"])
    assert set(TAGS[doc]) <= set(got["tags"])


@pytest.mark.parametrize("doc", sorted(EXPECTED))
def test_bundled_report_meta_source(doc):
    text, name = corpus(doc)
    got = describe.describe(text, name)
    filled = {f for f in describe.FIELDS if got[f] not in (None, [])}
    assert set(got["meta_source"]) == filled
    # 002 and 003 have no headline: their title is the first sentence
    assert got["meta_source"].pop("title") == ("lead" if doc in ("002", "003") else "text")
    assert set(got["meta_source"].values()) == {"text"}


def test_describe_fills_a_report():
    text, name = corpus("003")
    meta = describe.describe(text, name)
    rep = Report(report_id="x", doc=name, path=name, format="txt", encoding="utf-8",
                 text=text, **meta)
    assert rep.level in LEVELS and rep.tags[0] == "最强党支部"


def test_003_tags_list_first_then_generic():
    tags = campaigns.detect_tags(corpus("003")[0])
    assert tags[0] == "最强党支部"  # the most named listed drive
    assert "市场卫士 服务先锋" in tags  # “市场卫士 服务先锋”党建品牌: generic, after the list


def test_004_traditional_matches_like_simplified():
    text, _ = corpus("004")
    simp = text_view.simplified(text)
    assert len(simp) == len(text)
    assert organisations.detect_organisation(text) == organisations.detect_organisation(simp)
    assert campaigns.detect_campaign(text) == campaigns.detect_campaign(simp)


# ------------------------------------------------------------ campaigns

CAMPAIGN_SENTENCES = [
    ("省委召开党的群众路线教育实践活动总结大会，深入查摆“四风”问题。", 2014,
     "党的群众路线教育实践活动"),
    ("中央、省委教育实践活动启动后，认真扎实地开展群众路线教育实践活动。", 2013,
     "党的群众路线教育实践活动"),
    ("我委“三严三实”专题教育扎实开展，践行“三严三实”要求。", 2015, "三严三实专题教育"),
    ("在全体党员中开展“学党章党规、学系列讲话，做合格党员”学习教育，即“两学一做”学习教育。",
     2016, "两学一做学习教育"),
    ("机关党委推进“两学一做”学习教育常态化制度化。", 2018, "推进两学一做学习教育常态化制度化"),
    # dev2 026 (2017-06-08): “两学一做”学习教育 from 2017 is its 常态化制度化
    ("为深入推进书院镇“两学一做”学习教育，进一步提升社区党员志愿服务理念", 2017,
     "推进两学一做学习教育常态化制度化"),
    # dev2 002, 006: the campaign's two batches
    ("参加第一批教育实践活动的省区市省级领导机关", 2014, "党的群众路线教育实践活动"),
    ("在我省第一批教育实践活动中，省直157个单位深入开展马克思主义群众观点教育", None,
     "党的群众路线教育实践活动"),
    # bare 主题教育 in a 2023 report is the 2023 drive (issue 19: it was tagged 党史学习教育)
    ("推动主题教育走深走实，确保主题教育取得实效。", 2023,
     "学习贯彻习近平新时代中国特色社会主义思想主题教育"),
    ("主题教育开展以来，公司党委坚持学思想、强党性、重实践、建新功。", 2024,
     "学习贯彻习近平新时代中国特色社会主义思想主题教育"),
    ("巩固拓展“不忘初心、牢记使命”主题教育成果。", 2020, "不忘初心、牢记使命主题教育"),
    ("不忘初心使命，持续推进主题教育常态化、制度化。", 2020, "不忘初心、牢记使命主题教育"),
    ("全國政協機關“不忘初心、牢記使命”主題教育整改落實情況“回頭看”綜述", 2019,
     "不忘初心、牢记使命主题教育"),
    ("党史学习教育开展以来，扎实开展“我为群众办实事”实践活动。", 2021, "党史学习教育"),
    ("在“我为群众办实事”实践活动中，工委解决干部职工急难愁盼问题。", None, "党史学习教育"),
    ("扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育，以学铸魂、以学增智。", 2023,
     "学习贯彻习近平新时代中国特色社会主义思想主题教育"),
    ("深入开展党纪学习教育，引导党员干部学纪、知纪、明纪、守纪。", 2024, "党纪学习教育"),
    ("深入贯彻中央八项规定精神学习教育开展以来，严格落实中央八项规定。", 2025,
     "深入贯彻中央八项规定精神学习教育"),
]


@pytest.mark.parametrize("text,year,name", CAMPAIGN_SENTENCES,
                         ids=[c[0][:18] for c in CAMPAIGN_SENTENCES])
def test_campaign_sentence(text, year, name):
    match = campaigns.detect_campaign(text, year=year)
    assert match is not None and match.name == name
    camp = campaigns.campaign_rules().campaigns[name]
    assert match.year_range == (camp.start, camp.end)
    assert match.score > 0


SLOGAN_ONLY = [
    # 000 (2021): a 党史学习教育 report quoting the rules it enforces
    ("通报党的十九大以来违反中央八项规定精神典型案例，持之以恒纠“四风”、树新风。", 2021),
    ("推动工委机关贯彻落实中央八项规定及其实施细则精神。", 2021),
    # 004 (2019): 八项规定 and 四风 as slogans
    ("持续抓好中央八项规定及其实施细则精神的贯彻落实，持之以恒整治“四风”。", 2019),
    ("以“两学一做”为基本内容，增强“四个意识”。", 2020),
    ("践行“三严三实”要求，不忘初心、牢记使命。", 2022),
    ("开展爱国主义教育实践活动。", 2021),
    ("推动主题教育走深走实，确保主题教育取得实效。", 2021),  # no near word, no year of one
    ("推动主题教育走深走实，确保主题教育取得实效。", None),
]


@pytest.mark.parametrize("text,year", SLOGAN_ONLY, ids=[s[0][:18] for s in SLOGAN_ONLY])
def test_slogan_alone_decides_no_campaign(text, year):
    assert campaigns.detect_campaign(text, year=year) is None


def test_slogans_do_not_outweigh_the_named_campaign():
    text = ("党史学习教育开展以来，工委持之以恒纠“四风”，落实中央八项规定精神，"
            "严格执行八项规定，整治“四风”问题，八项规定不松劲。")
    assert campaigns.detect_campaign(text, year=2021).name == "党史学习教育"


def test_year_weighs_between_named_campaigns():
    text = ("要不忘初心、牢记使命，推动主题教育走深走实。"
            "扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育。")
    assert campaigns.detect_campaign(text, year=2023).name == (
        "学习贯彻习近平新时代中国特色社会主义思想主题教育")


def test_title_counts_more_than_body():
    body = "推进党纪学习教育。" + "正文" * 50 + "党史学习教育成果。党史学习教育常态化。"
    assert campaigns.detect_campaign(body).name == "党史学习教育"
    assert campaigns.detect_campaign(body, title="深入开展党纪学习教育综述").name == "党纪学习教育"


def test_campaign_by_alias():
    assert campaigns.campaign_by_alias("群众路线教育实践活动").name == "党的群众路线教育实践活动"
    assert campaigns.campaign_by_alias("推进“两学一做”学习教育常态化制度化").name == (
        "推进两学一做学习教育常态化制度化")
    assert campaigns.campaign_by_alias("八项规定") is None  # a slogan names no campaign


# ------------------------------------------------------------ organisations

@pytest.mark.parametrize("text,expected", [
    ("中央和国家机关工委召开会议。工委领导强调。", ("中央和国家机关工委", "central", "全国")),
    ("工委召开会议，工委领导强调。", (None, None, None)),  # bare 工委 names nobody
    ("省直工委召开会议，安徽省委部署。", ("安徽省直机关工委", "provincial", "安徽")),
    ("省直工委召开会议。", ("省直工委", "provincial", None)),  # without 安徽: by its shape, as written
    ("市委直属机关工委印发方案，建设美丽呼伦贝尔。",
     ("呼伦贝尔市委直属机关工委", "municipal", "内蒙古 呼伦贝尔")),
    ("全國政協機關黨組高度重視。", ("全国政协机关", "central", "全国")),
    ("江苏省直机关工委组织开展培训。", ("江苏省直机关工委", "provincial", "江苏")),
    ("合肥市委召开会议。合肥市委书记讲话。", ("合肥市委", "municipal", "安徽 合肥")),
    ("临泉县委召开常委会，临泉县委书记讲话。", ("临泉县委", "county", "临泉县")),
    ("国家统计局发布数据，国家统计局表示。", ("国家统计局", "central", "全国")),
    ("中央和国家机关部门机关纪委建设，国家机关干部职工参加。", (None, None, None)),
    ("国家电网有限公司党组开展活动。", ("国家电网有限公司", "unit", None)),
])
def test_detect_organisation(text, expected):
    assert organisations.detect_organisation(text) == expected


def test_generic_organisation_named_once_deep_in_text_is_not_reported():
    text = "正文" * 400 + "邀请西北政法大学教授授课。"
    assert organisations.detect_organisation(text) == (None, None, None)


def test_listed_organisation_beats_generic_furniture():
    text, _ = corpus("000")  # the page belongs to 西北政法大学; the report to the 工委
    assert organisations.detect_organisation(text)[0] == "中央和国家机关工委"


# ------------------------------------------------------------ title, date, source

def test_title_skips_furniture_and_prefers_html():
    text = ("您好,欢迎来到某某学院培训网\n029-85385207\n联系电话\n新闻中心\nnews center\n"
            "首页 > 新闻中心 > 时政新闻\n用心用情用力书写初心答卷\n"
            "发布日期:2021-12-30 17:34:18  浏览次数:997  来源:旗帜网\n" + "正文内容。" * 30)
    assert page_facts.detect_title(text) == "用心用情用力书写初心答卷"
    assert page_facts.detect_title(text, {"title": "另一个标题在这里_旗帜网"}) == "另一个标题在这里"


def test_title_none_for_captions_or_one_long_paragraph():
    # (describe then names the report by its first sentence: test_metadata_unseen.py)
    assert page_facts.detect_title(corpus("003")[0]) is None
    assert page_facts.detect_title("“在我们最困难的时候……”" + "正文很长。" * 40) is None


@pytest.mark.parametrize("text,expected", [
    ("标题\n发布日期:2021-12-30 17:34:18", "2021-12-30"),
    ("标题\n发布时间：2021年12月30日", "2021-12-30"),
    ("标题\n时间：2021/7/1 来源：人民网", "2021-07-01"),
    ("【字体: 】【2014-2-7】 【阅读: 次】", "2014-02-07"),
    ("新华社北京6月30日电 记者从中央和国家机关工委获悉", None),
    ("2021年新华社北京6月30日电 记者", "2021-06-30"),
    ("标题\n发布日期:2021-02-30", None),
    ("正文" * 10 + "\n（2019年12月20日）", "2019-12-20"),
])
def test_detect_published(text, expected):
    assert page_facts.detect_published(text) == expected


def test_published_html_first():
    assert page_facts.detect_published("发布日期:2021-12-30", {"date": "2021-12-29"}) == "2021-12-29"


@pytest.mark.parametrize("text,html,expected", [
    ("浏览次数:997         来源:旗帜网\n正文", None, "旗帜网"),
    ("正文……\n本刊记者陈诚 来源:旗帜网 |", None, "旗帜网"),
    ("【作者/来源 韩兴国】\n正文", None, None),  # an author, not an outlet
    ("资金来源：财政拨款", None, None),
    ("新华社北京6月30日电 记者获悉", None, "新华社"),
    ("安徽日报讯 记者获悉", None, "安徽日报"),
    ("本报讯 记者获悉", None, "本报"),
    ("正文\nCopyright © 1997-2021 by www.people.com.cn. all rights reserved", None, "人民网"),
    ("正文", {"sitename": "共产党员网"}, "共产党员网"),
    ("正文", {"hostname": "www.12371.cn"}, "共产党员网"),
])
def test_detect_source(text, html, expected):
    assert page_facts.detect_source(text, html) == expected


# ------------------------------------------------------------ tags

def test_tags_listed_first_generic_capped_campaigns_excluded():
    text = ("开展“三结对”活动；“红色引擎”工程；“先锋岗”创建；“双争”行动；“清风”品牌；"
            "“我为群众办实事”实践活动；“四风”建设；以创建“最强党支部”为主题。")
    tags = campaigns.detect_tags(text)
    assert tags[:2] == ["三结对", "最强党支部"] or tags[:2] == ["最强党支部", "三结对"]
    generic = tags[2:]
    assert len(generic) == campaigns.campaign_rules().tag_max
    assert "我为群众办实事" not in tags and "四风" not in tags


# ------------------------------------------------------------ manifest

def test_load_manifest_missing_file_is_empty(tmp_path):
    man = manifest.load_manifest(tmp_path / "manifest.csv")
    assert man == {} and man.warnings == []


def test_load_manifest_skips_bad_rows_with_warnings(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text(
        "file,title,published,level,year,campaign,colour\n"
        "data/corpus/003_3e7bccd1fa082b11.txt,市直机关党建工作综述,2020-7-1,市级,2020,主题教育,red\n"
        ",orphan title,,,,,\n"
        "004_4b241ff30e2278d6.txt,,not a date,planet,19,群众路线教育实践活动,\n"
        "005.txt,a,b,c,d,e,f,g,h\n", encoding="utf-8")
    man = manifest.load_manifest(path)
    assert man["003_3e7bccd1fa082b11.txt"] == {
        "title": "市直机关党建工作综述", "published": "2020-07-01", "level": "municipal",
        "year": 2020, "campaign": "主题教育"}  # unknown campaign kept as written, warned
    assert man["004_4b241ff30e2278d6.txt"] == {"campaign": "党的群众路线教育实践活动"}
    assert "005.txt" not in man
    text = "\n".join(man.warnings)
    for needle in ("colour", "no file name", "not a date", "planet", "'19'",
                   "more cells than columns", "主题教育"):
        assert needle in text


def test_load_manifest_gb18030_and_no_file_column(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("file,source\n001.txt,安徽机关党建网\n".encode("gb18030"))
    assert manifest.load_manifest(path) == {"001.txt": {"source": "安徽机关党建网"}}
    path.write_text("name,title\na,b\n", encoding="utf-8")
    man = manifest.load_manifest(path)
    assert man == {} and "no 'file' column" in man.warnings[0]


def test_manifest_overrides_everything(tmp_path):
    text, name = corpus("001")
    path = tmp_path / "manifest.csv"
    path.write_text("file,source,organisation,campaign,year\n"
                    f"{Path(name).stem},安徽机关党建网,中央和国家机关工作委员会,党史学习教育,2013\n",
                    encoding="utf-8")
    got = describe.describe(text, name, manifest=manifest.load_manifest(path))
    assert got["source"] == "安徽机关党建网"
    assert (got["organisation"], got["level"], got["region"]) == (
        "中央和国家机关工委", "central", "全国")  # canonical name; level/region follow it
    assert (got["campaign"], got["campaign_evidence"], got["year"]) == (
        "党史学习教育", "manifest", 2013)
    assert got["published"] == "2014-02-07"  # not in the manifest: still from the text
    src = got["meta_source"]
    assert {src[f] for f in ("source", "organisation", "level", "region", "campaign",
                             "year")} == {"manifest"}
    assert src["published"] == "text"


def test_describe_html_and_filename_sources():
    got = describe.describe("正文很短。", "2020-05-04_市直机关青年工作综述.txt",
                     html_meta={"sitename": "正北方网"})
    assert (got["title"], got["published"], got["year"], got["source"]) == (
        "市直机关青年工作综述", "2020-05-04", 2020, "正北方网")
    assert got["meta_source"] == {"title": "filename", "published": "filename",
                                  "year": "filename", "source": "html"}


def test_describe_year_falls_back_to_campaign_start():
    got = describe.describe("深入开展党纪学习教育，推动党员干部知敬畏。", "x.txt")
    assert (got["campaign"], got["year"], got["meta_source"]["year"]) == (
        "党纪学习教育", 2024, "campaign")


@pytest.mark.parametrize("text", ["", "   \n\n", "12345", "Copyright © 2010 example.com"])
def test_describe_never_fails_on_thin_text(text):
    got = describe.describe(text, "empty.txt")
    assert set(describe.FIELDS) | {"meta_source"} == set(got)


# ------------------------------------------------------------ the rule files

def _yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / "data" / "rules" / name).read_text(encoding="utf-8"))


def test_campaigns_yaml_entries_and_unique_aliases():
    data = _yaml("campaigns.yaml")
    owner: dict[str, str] = {}
    names = {c["name"] for c in data["campaigns"]}
    for c in data["campaigns"]:
        assert {"name", "short", "years", "aliases"} <= c.keys(), c
        start, end = c["years"]
        assert isinstance(start, int) and (end is None or start <= end), c["name"]
        assert c.get("implies") in (None, *names)
        # near aliases may be shared (their near words and years decide)
        words = [c["name"], *c["aliases"], *(c.get("weak") or [])]
        for w in {text_view.squeeze(w) for w in words}:
            assert owner.setdefault(w, c["name"]) == c["name"], f"{w} claimed twice"
    for t in data["local_initiatives"]:
        assert text_view.squeeze(t["name"]) not in owner, t
    campaigns.campaign_rules()  # the loader accepts it and builds the regexes


def test_organisations_yaml_entries_and_unique_aliases():
    data = _yaml("organisations.yaml")
    owner: dict[str, str] = {}
    conditional: dict[tuple[str, frozenset], str] = {}
    for o in data["organisations"]:
        assert {"name", "aliases", "level", "region"} <= o.keys(), o
        assert o["level"] in LEVELS
        for a in {o["name"], *o["aliases"]}:
            assert owner.setdefault(a, o["name"]) == o["name"], f"{a} claimed twice"
        for c in o.get("conditional") or []:
            key = (c["alias"], frozenset(c["requires"]))
            assert conditional.setdefault(key, o["name"]) == o["name"], f"{key} claimed twice"
    assert not {a for a, _ in conditional} & set(owner)
    short = {p["name"] for p in data["provinces"]}
    assert all(c["province"] in short for c in data["cities"])
    shapes = data["shapes"]
    assert {*shapes["places"], *shapes["scopes"]} <= set(LEVELS)
    rules = organisations.organisation_rules()  # the loader accepts it and builds the regexes
    assert set(rules.shapes.place_level.values()) <= set(LEVELS)


def test_module_doctests():
    results = [doctest.testmod(m, optionflags=doctest.ELLIPSIS)
               for m in (campaigns, describe, manifest, organisations, page_facts, text_view)]
    assert sum(r.failed for r in results) == 0 and sum(r.attempted for r in results) > 20
