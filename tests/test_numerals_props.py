"""Property tests for etl.extraction.numerals.parse_numeral against a tiny reference converter.

`cn(n)` writes an integer in standard Chinese: sections of 万/亿, one 零 for each gap,
十 (not 一十) at the very start for 10-19 (十二, 十万), optional 两 for a 2 before
百/千/万. The other forms (financial 壹贰叁…, traditional 萬億兩, full-width digits,
thousands separators, decimals, mixed Arabic + 万/千) are derived from it or from Python.

A property that fails is never weakened: its domain is split into the part that holds
and the failing sub-case, which is a strict xfail over its minimal counter-examples (so
the failure is deterministic), until the parser is fixed. Found so far: "0.0万" -> None.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extraction.numerals import parse_numeral

SETTINGS = settings(max_examples=300, deadline=None)
MAX = 10**12

DIGITS = "零一二三四五六七八九"
FINANCIAL = str.maketrans("一二三四五六七八九十百千两", "壹贰叁肆伍陆柒捌玖拾佰仟贰")
TRADITIONAL = str.maketrans("万亿两", "萬億兩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _section(n: int, leading: bool, liang: bool) -> str:
    """1 <= n <= 9999, without leading 零 (the caller adds it)."""
    out, gap, started = "", False, False
    for d, u in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), ("千", "百", "十", "")):
        if d == 0:
            gap = gap or started
            continue
        if gap:
            out += "零"
            gap = False
        if u == "十" and d == 1 and leading and not started:
            out += "十"                                  # 十二, 十万: not 一十二
        elif d == 2 and liang and u in ("千", "百"):
            out += "两" + u
        else:
            out += DIGITS[d] + u
        started = True
    return out


def _cn(n: int, leading: bool, liang: bool) -> str:
    for big, name, gap_below in ((10**8, "亿", 10**7), (10**4, "万", 1000)):
        if n >= big:
            hi, lo = divmod(n, big)
            head = "两" if (hi == 2 and liang and name == "万") else _cn(hi, leading, liang)
            s = head + name
            if lo:
                s += ("零" if lo < gap_below else "") + _cn(lo, False, liang)
            return s
    return _section(n, leading, liang)


def cn(n: int, *, liang: bool = False, leading_ten: bool = True) -> str:
    """Standard Chinese numeral for 0 <= n; leading_ten=False writes 一十二 for 12."""
    if n == 0:
        return "零"
    return _cn(n, leading_ten, liang)


def test_reference_converter() -> None:
    assert [cn(n) for n in (0, 5, 10, 12, 20, 105, 110, 1000, 1005, 1050, 10012)] == [
        "零", "五", "十", "十二", "二十", "一百零五", "一百一十", "一千", "一千零五",
        "一千零五十", "一万零一十二"]
    assert cn(100000) == "十万"
    assert cn(1_0000_0005) == "一亿零五"
    assert cn(1_0100_0000) == "一亿零一百万"
    assert cn(4_5642_0015) == "四亿五千六百四十二万零一十五"
    assert cn(10**12) == "一万亿"
    assert cn(2_2200, liang=True) == "两万两千两百"
    assert cn(12_0000, liang=True) == "十二万"
    assert cn(12, leading_ten=False) == "一十二"
    assert cn(3_0000_0000_0500) == "三万亿零五百"


def value(s: str) -> Decimal | None:
    r = parse_numeral(s)
    return None if r is None else r.value


# --- Chinese numerals --------------------------------------------------------------------
@SETTINGS
@given(st.integers(0, MAX))
def test_standard_chinese(n: int) -> None:
    assert value(cn(n)) == n, cn(n)


@SETTINGS
@given(st.integers(0, MAX))
def test_standard_chinese_with_liang(n: int) -> None:
    s = cn(n, liang=True)
    assert value(s) == n, s


@SETTINGS
@given(st.integers(0, MAX), st.booleans())
def test_financial(n: int, leading_ten: bool) -> None:
    s = cn(n, leading_ten=leading_ten).translate(FINANCIAL)
    assert value(s) == n, s


@SETTINGS
@given(st.integers(0, MAX), st.booleans())
def test_traditional(n: int, liang: bool) -> None:
    s = cn(n, liang=liang).translate(TRADITIONAL)
    assert value(s) == n, s


@SETTINGS
@given(st.integers(0, MAX))
def test_financial_traditional(n: int) -> None:
    s = cn(n, leading_ten=False).translate(FINANCIAL).translate(TRADITIONAL)
    assert value(s) == n, s


# --- Arabic forms ------------------------------------------------------------------------
@SETTINGS
@given(st.integers(0, MAX))
def test_fullwidth_digits(n: int) -> None:
    s = str(n).translate(FULLWIDTH)
    assert value(s) == n, s


@SETTINGS
@given(st.integers(0, MAX))
def test_thousands_separators(n: int) -> None:
    s = format(n, ",")
    assert value(s) == n, s


@SETTINGS
@given(st.integers(0, MAX), st.integers(1, 4))
def test_decimals(n: int, places: int) -> None:
    s = f"{n // 10**places}.{n % 10**places:0{places}d}"
    assert value(s) == Decimal(s), s


# The property is f"{x}万" == x * 10000 for every x with 1-2 decimals. It is split in two:
# x > 0 (must hold) and x == 0, which fails today (minimal counter-example "0.0万").
@SETTINGS
@given(st.integers(1, 99_999_999), st.integers(1, 2))
def test_decimal_wan(n: int, places: int) -> None:
    x = f"{n // 10**places}.{n % 10**places:0{places}d}"      # 1.25, 3.5, 0.07
    s = f"{x}万"
    assert value(s) == Decimal(x) * 10000, s


# bug caught by the property above: a zero before 万 gave None (fixed)
@pytest.mark.parametrize("s", ["0.0万", "0.00万", "0万"])
def test_decimal_wan_zero(s: str) -> None:
    assert value(s) == 0, s


# --- mixed Arabic + 万/千 -----------------------------------------------------------------
@SETTINGS
@given(st.integers(1, 9999), st.integers(1, 9))
def test_wan_qian(a: int, b: int) -> None:
    s = f"{a}万{b}千"
    assert value(s) == a * 10000 + b * 1000, s


@SETTINGS
@given(st.integers(1, 9999), st.integers(1000, 9999))
def test_wan_four_digits(a: int, c: int) -> None:
    s = f"{a}万{c}"
    assert value(s) == a * 10000 + c, s


# --- Chinese decimals ---------------------------------------------------------------------
# Digits after 点 are decimals, whatever they are: 三点一二 is 3.12 (two digits that count
# up by one were read as a range, 3.1-3.2, as in 十五六个; bug caught by this property).
@SETTINGS
@given(st.integers(0, 99_999), st.text(alphabet="0123456789", min_size=1, max_size=4))
def test_chinese_decimals(n: int, frac: str) -> None:
    s = cn(n) + "点" + "".join(DIGITS[int(d)] for d in frac)
    r = parse_numeral(s)
    assert r is not None and r.value_max is None, s
    assert r.value == Decimal(f"{n}.{frac}"), s


# A multiplier with no digit before it opens a number (十二, 百万) or follows 零 (一百零十万),
# and 十 may follow 百 or 千 (一百十 = 110); anywhere else the string is no number (七十百
# of 百分之七十百分位 read as 170).
@pytest.mark.parametrize("s", ["七十百", "五十千", "三百千", "二千百"])
def test_multiplier_without_digit_mid_section(s: str) -> None:
    assert parse_numeral(s) is None, s


@pytest.mark.parametrize("s, n", [("十万", 100000), ("百万", 1000000), ("一百十", 110),
                                  ("一百零十万", 1100000), ("一千零十", 1010)])
def test_multiplier_without_digit_allowed(s: str, n: int) -> None:
    assert value(s) == n, s
