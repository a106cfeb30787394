"""Figures with blanks inside (copies from PDF and scraped pages space characters apart),
mixed numbers (三又三分之一) and a half as a share (一半以上): what is read whole, and the
blanks that still part two figures. The outside numeral suite (tests/test_recognizers_specs.py) holds more of the
spaced forms; these are the guards, written for this file."""
from __future__ import annotations

from decimal import Decimal

import pytest

from etl.extraction.extract import extract_text


def _mentions(text: str):
    return [(m.text, m.value, m.value_max, m.unit) for m in extract_text(text, "t", markup=False)]


@pytest.mark.parametrize("text, span, value, unit", [
    ("共7 万5 千4 百人", "7 万5 千4 百人", Decimal("75400"), "人"),
    ("共7万 5千 4百人", "7万 5千 4百人", Decimal("75400"), "人"),
    ("增长四百 点 五吨", "四百 点 五吨", Decimal("400.5"), "吨"),
    ("回升四点 五个百分点", "四点 五个百分点", Decimal("4.5"), "个百分点"),
    ("占百分之一 点五", "百分之一 点五", Decimal("1.5"), "%"),
    ("占百 分 之 一 百二 十点 五", "百 分 之 一 百二 十点 五", Decimal("120.5"), "%"),
    ("约六 点 五 成", "约六 点 五 成", Decimal("65"), "%"),
])
def test_a_blank_inside_a_figure_is_read_through(text, span, value, unit):
    got = {t: (v, u) for t, v, _, u in _mentions(text)}
    assert got.get(span) == (value, unit), got


@pytest.mark.parametrize("text, span, value", [
    ("三百五十又3分之1", "三百五十又3分之1", Decimal(350) + Decimal(1) / Decimal(3)),
    ("负一又二分之一", "负一又二分之一", Decimal("-1.5")),
    ("3又一千分之23", "3又一千分之23", Decimal("3.023")),
    ("三百 五 又 三分  之一", "三百 五 又 三分  之一", Decimal(350) + Decimal(1) / Decimal(3)),
])
def test_a_mixed_number_is_a_plain_number_not_a_share(text, span, value):
    (m,) = extract_text(text, "t", markup=False)
    assert (m.text, m.unit) == (span, None)
    assert abs(m.value - value) < Decimal("1e-9")


def test_blanks_still_part_two_figures():
    # two digits with a blank between them are two numbers, never a range (一二 = 1-2)
    got = _mentions("三分之一 二是加强管理")
    assert got[0] == ("三分之一", Decimal(1) * 100 / Decimal(3), None, "%")
    assert all(v is None or v < 100 for _, v, _, _ in got)
    # a number after a multiplier and a blank starts a new figure unless a smaller
    # multiplier follows it (2.5万 3000人 is two figures)
    assert [t for t, *_ in _mentions("分别为2.5万 3000人")] == ["2.5万", "3000人"]
    # a year (several digits) and a blank before 十大 stay apart
    assert [t for t, *_ in _mentions("2023 十大科技进展")][:1] == ["2023"]
    # 千克 after a blank keeps its 千: 5 千克 is 5 kilograms
    assert _mentions("重5 千克") == [("5 千克", Decimal(5), None, "千克")]
    # 又 between two counts is no mixed number
    assert [t for t, *_ in _mentions("一户又一户")] == ["一户", "一户"]


def test_a_half_is_a_share_only_as_a_word_of_its_own():
    assert _mentions("超过半数的企业") == [("超过半数", Decimal(50), None, "%")]
    # 半 of 半年, 半个月, 下半年 and 另一半 is no share
    for text in ("超过半年", "过半个月", "下半年", "他的另一半", "半数字化"):
        assert all(u != "%" for *_, u in _mentions(text)), text
