"""The phrase grammar of the subject finder (etl/extraction/phrases.py) on the words
before a figure: the noun phrases it offers as candidates. Clauses from the dev2
reports (quoted up to the figure)."""
from __future__ import annotations

import pytest

from etl.extraction.extract import extract_text
from etl.extraction.phrases import phrases_in
from etl.extraction.subject_words import tokens


def _phrases(window: str) -> list[str]:
    return [window[lo:hi] for lo, hi in phrases_in(tokens(window, True), 0)]


# a cue word between the counted noun and the figure (高达, which the dictionary tags as
# a name; 历时; 最高) ends the phrase: 人数高达140人(户), 活动历时近9个月
@pytest.mark.parametrize("window, phrase, cue", [
    ("本次走访慰问人数高达", "人数", "高达"),                          # dev2 015 …140人(户)
    ("第二批党的群众路线教育实践活动历时", "群众路线教育实践活动", "历时"),   # dev2 004 …近9个月
    ("为干部职工协调投保“北京普惠健康保”，最高保额可达", "保额", "可达"),   # dev 000 …300万元
])
def test_a_cue_before_the_figure_ends_the_phrase(window, phrase, cue):
    got = _phrases(window)
    assert phrase in got
    assert not any(cue in p for p in got), got


# jieba's dictionary tags 列队欢迎 a name (a noun): what people did is not who they are
# (dev report 000; 相册, tagged a verb, is a golden case in tests/golden/claims.yaml)
def test_a_corrected_tag_keeps_a_verb_out_of_a_people_subject():
    text = "在我市驰援湖北医疗队返乡时,市直机关800余人列队欢迎,向抗疫英雄致敬。"
    [claim] = [c for c in extract_text(text, "t") if c.is_claim]
    assert claim.text == "800余人" and claim.subject != "列队欢迎"


def _subject(text: str, span: str) -> str | None:
    return next(c.subject for c in extract_text(text, "t") if c.text == span)


# a noun phrase after the figure whose head the classifier does not count (微心愿,
# 电信业务, 坚守岗位 read as nouns) gives way to its longest part ending on a head it
# counts: 名 counts people, 家 organisations (dev2 report 017; news bulletins of
# 2023-06-22, 2024-10-05, 2026-05-04, 2024-12-07)
@pytest.mark.parametrize("text, span, subject", [
    ("帮扶吴台村集中点亮7名困难群众微心愿。", "7名", "困难群众"),
    ("三家基础电信企业电信业务总量同比增长17.2%", "三家", "基础电信企业"),
    ("这个国庆假期，6000多名建设者坚守岗位。", "6000多名", "建设者"),
    ("“五一”期间，吉林市12家热门文博场馆延时开放至晚上9时", "12家", "热门文博场馆"),
    ("来自欧洲、亚洲、美洲等33个国家和地区的超700家企业及机构代表齐聚深圳。", "超700家", "企业及机构"),
])
def test_the_part_of_a_phrase_the_classifier_counts(text, span, subject):
    assert _subject(text, span) == subject


# a phrase led by a verb names an act and is not cut to the noun inside it
def test_a_phrase_led_by_a_verb_is_not_cut():
    assert _subject("17部门启动中小企业专项服务行动", "17部门") != "启动中小企业"


# an adverb or modal verb (仍, 需) between the counted noun and the figure ends the
# phrase: it is not glued to the noun, nor a subject alone (news bulletins of
# 2023-05-25, 2023-06-12, 2026-07-25)
@pytest.mark.parametrize("text, span, subject", [
    ("但其中食品和非酒精饮料价格同比涨幅仍高达19.1%，为近45年来高位。", "19.1%", "涨幅"),
    ("根据当地警方发布的消息，致人死亡的三起枪击案仍没有嫌疑人被拘留。", "三起", "枪击案"),
    ("如今使用“一表通”后，社区只需一次性录入，整个流程仅需1天。", "1天", "整个流程"),
])
def test_an_adverb_before_the_figure_ends_the_phrase(text, span, subject):
    assert _subject(text, span) == subject
