"""Pinyin glosses of scraped mirror copies (2.5萬(wàn)元, 會(huì)議): the matching view drops
them, so figures and words read whole, while spans and subjects stay as written. The
clauses are from two traditional-script dev2 reports (031, 032), glossed the way mirror
copies gloss them; tests/golden/claims.yaml holds more."""
from __future__ import annotations

from decimal import Decimal

from etl.extraction.extract import extract_text
from etl.extraction.normalize import gloss_spans, normalize


def _claims(text: str, markup: bool | None = False):
    return [c for c in extract_text(text, "t", markup=markup) if c.is_claim]


def test_a_gloss_inside_a_figure_is_read_through_and_the_span_keeps_it():
    text = "日前,天津市委市級機關工委劃撥483.89萬(wàn)元專項經(jīng)費"
    (c,) = _claims(text)
    assert (c.text, c.value, c.unit, c.unit_class) == ("483.89萬(wàn)元", Decimal("4838900"), "元", "money")
    assert text[c.start:c.end] == c.text
    # the subject is copied as written, gloss and traditional script included
    assert c.subject == "專項經(jīng)費"


def test_a_gloss_inside_the_unit_or_after_the_approximation_word():
    (c,) = _claims("會(huì)議名稱很長,其實是三會合一,且不超過一個(gè)半小時。")
    assert (c.text, c.value, c.unit, c.approx) == ("不超過一個(gè)半小時", Decimal("1.5"), "小时", "at_most")
    (c,) = _claims("慰問困難黨員兩(liǎng)千(qiān)餘(yú)人")
    assert (c.value, c.unit, c.approx) == (Decimal("2000"), "人", "over")


def test_a_gloss_inside_a_subject_word_does_not_cut_the_phrase():
    claims = _claims("共查處形式主義、官僚主義問(wèn)題375個。")
    assert [c.subject for c in claims] == ["形式主義、官僚主義問(wèn)題"]


def test_glosses_and_markup_together():
    text = "<p>劃撥<b>483.89萬(wàn)元</b>專項經費</p>"
    (c,) = _claims(text, markup=True)
    assert c.value == Decimal("4838900") and text[c.start:c.end] == c.text


def test_plain_letters_in_brackets_are_not_a_gloss():
    assert gloss_spans("下载应用(app)3次，长度(km)") == []
    assert normalize("下载应用(app)3次").to_raw is None


def test_a_gloss_needs_a_chinese_character_right_before_its_bracket():
    # the pattern opens with the bracket and looks back after it (speed): the same spans
    raw = "(wàn)元，A(wàn)，萬(wàn)，萬（wàn），萬 (wàn)，會(huì)議，用于会场(app)"
    assert [raw[s:e] for s, e in gloss_spans(raw)] == ["(wàn)", "（wàn）", "(huì)"]
