"""Read a numeral as written in a Chinese report and return its value.

`parse_numeral` takes the number part of a mention (no unit, no approximation word)
and gives a `Reading`: the value as a Decimal, an optional upper end for the ranges
Chinese writes by running digits together (二三十 = 20–30), and whether an
approximation word sat inside the number (五百余万). "No number here" is ``None``.

Arabic, full-width, Chinese, financial and traditional forms mix freely:

>>> parse_numeral("1,200.5").value
Decimal('1200.5')
>>> parse_numeral("１２３").value
Decimal('123')
>>> parse_numeral("一千二百").value
Decimal('1200')
>>> parse_numeral("两万").value, parse_numeral("十二").value, parse_numeral("兩萬").value
(Decimal('20000'), Decimal('12'), Decimal('20000'))
>>> parse_numeral("壹仟贰佰叁拾").value
Decimal('1230')
>>> parse_numeral("2万1千").value, parse_numeral("1.2万").value, parse_numeral("3万4000").value
(Decimal('21000'), Decimal('12000'), Decimal('34000'))
>>> r = parse_numeral("五百余万"); r.value, r.inner_approx
(Decimal('5000000'), 'over')
>>> parse_numeral("4.78万亿").value
Decimal('4780000000000')
>>> parse_numeral("一百零五").value, parse_numeral("二〇二一").value
(Decimal('105'), Decimal('2021'))
>>> parse_numeral("三点五").value, parse_numeral("十万柒仟捌佰伍拾肆").value
(Decimal('3.5'), Decimal('107854'))
>>> parse_numeral("一百二十点五").value, parse_numeral("三点五万").value
(Decimal('120.5'), Decimal('35000'))
>>> r = parse_numeral("二三十"); r.value, r.value_max
(Decimal('20'), Decimal('30'))
>>> parse_numeral("一万五").value, parse_numeral("三千五").value
(Decimal('15000'), Decimal('3500'))
>>> parse_numeral("万") is None, parse_numeral("两两") is None, parse_numeral("abc") is None
(True, True, True)
"""
from __future__ import annotations

from typing import Final

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .. import rules

_FULLWIDTH: Final = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_ARABIC: Final = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_PLAIN_INT: Final = re.compile(r"\d+")
_PLAIN_DECIMAL: Final = re.compile(r"\d+(?:\.\d+)?")
_INNER_APPROX: Final = {"余": "over", "多": "over", "几": "over", "来": "about"}
_SPACES: Final = str.maketrans("", "", " \u00a0\u3000\t\u2009\u202f")
# Runs of digits read as a range when they count up by one (三四个, 二三十) or are 三五.
_RANGE_PAIRS: Final = {(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (3, 5)}
_BIG_UNITS: Final = dict(rules.numerals().big_units)     # 万 10000, 亿 100000000 (and 萬 億)


@dataclass(frozen=True, slots=True)
class Reading:
    value: Decimal
    value_max: Decimal | None = None   # upper end when the digits form a range
    inner_approx: str | None = None    # 余/多/几 written inside the number (五百余万)
    chinese: bool = False              # written (partly) in Chinese numerals

    # written out (the dataclass keeps it): the generated __init__ runs as interpreted
    # code even in the compiled build, about 6,000 instructions a reading (callgrind)
    def __init__(self, value: Decimal, value_max: Decimal | None = None,
                 inner_approx: str | None = None, chinese: bool = False) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "value_max", value_max)
        object.__setattr__(self, "inner_approx", inner_approx)
        object.__setattr__(self, "chinese", chinese)


def parse_numeral(s: str) -> Reading | None:
    """The value of a numeral string, or None when it is not a well-formed number.
    (Cached: reports repeat the same numerals, and a Reading never changes. A plain dict,
    which the compiled build reads directly, not functools' LRU wrapper called through
    Python; emptied when full, so a long run stays bounded.)"""
    r = _READINGS.get(s)
    if r is not None or s in _READINGS:
        return r
    if len(_READINGS) >= _READINGS_KEPT:
        _READINGS.clear()
    r = _read(s)
    _READINGS[s] = r
    return r


_READINGS: Final[dict[str, Reading | None]] = {}
_READINGS_KEPT: Final = 8192


def _read(s: str) -> Reading | None:
    """`parse_numeral` without the cache."""
    if _plain_decimal(s):   # fast path: 2021, 6.5
        return Reading(Decimal(s))
    r = _decimal_then_big(s)
    if r is not None:
        return r
    s = s.translate(_FULLWIDTH).translate(_SPACES).replace("廿", "二十").replace("卅", "三十")
    if not s:
        return None
    if _PLAIN_INT.fullmatch(s):
        return Reading(Decimal(s))
    try:
        return _parse(s)
    except (InvalidOperation, ValueError):
        return None


def _plain_decimal(s: str) -> bool:
    """s.isascii() and _PLAIN_DECIMAL.fullmatch(s) (ASCII digits, then at most one point
    with digits on both sides) by code point: two method calls through Python for every
    number not read before (tests/test_extraction_speed_paths.py holds the two equal)."""
    n = len(s)
    i = 0
    while i < n and 48 <= ord(s[i]) <= 57:
        i += 1
    if i == 0:
        return False
    if i == n:
        return True
    if s[i] != ".":
        return False
    j = i + 1
    while j < n and 48 <= ord(s[j]) <= 57:
        j += 1
    return j == n and j > i + 1


def _decimal_then_big(s: str) -> Reading | None:
    """27万, 1.5亿, 4.78万亿: a plain decimal, then 万 or 亿 (or 万亿), read as `_parse`
    reads it (its value times theirs), else None. Most numerals that are not plain
    digits have this shape (857 of 979 read on 100 bench files), and `_parse` spends
    about 34,000 instructions on one (tokens, a walk with Decimal sums; callgrind)."""
    n = len(s)
    big = _BIG_UNITS
    factor = big.get(s[-1], 0) if n >= 2 else 0
    if not factor:
        return None
    k = n - 1
    before = big.get(s[-2], 0) if n >= 3 else 0
    if before:
        if before >= factor:
            return None        # 亿万, 万万: _parse's walk, which refuses some of them
        factor *= before
        k -= 1
    head = s[:k]
    if not _plain_decimal(head):
        return None
    return Reading(_clean(Decimal(head) * factor), None, None, True)


def _tokens(s: str):
    """Split into ('num', Decimal, is_chinese_digit) / ('unit', n) / ('big', n) /
    ('approx', kind) / ('point', None) tokens; None if a character is not numeric."""
    tab = rules.numerals()
    out: list[tuple] = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isdigit() or (ch == "." and i + 1 < n and s[i + 1].isdigit()):
            m = _ARABIC.match(s, i)
            if not m:
                return None
            out.append(("num", Decimal(m.group().replace(",", "")), False))
            i = m.end()
            continue
        if ch in tab.digits:
            out.append(("num", Decimal(tab.digits[ch]), True, ch))
        elif ch in tab.small_units:
            out.append(("unit", tab.small_units[ch]))
        elif ch in tab.big_units:
            out.append(("big", tab.big_units[ch]))
        elif ch in _INNER_APPROX:
            out.append(("approx", _INNER_APPROX[ch]))
        elif ch == "点":
            out.append(("point", None))
        else:
            return None
        i += 1
    return out


def _parse(s: str) -> Reading | None:
    toks = _tokens(s)
    if not toks:
        return None
    chinese = any(t[0] == "num" and len(t) == 4 for t in toks) or any(
        t[0] in ("unit", "big") for t in toks)
    if not any(t[0] == "num" for t in toks):
        # Only multipliers: 十, 百, 千 alone count (十个, 千余名); 万 or 万万 do not.
        units_only = [t for t in toks if t[0] != "approx"]
        if units_only and units_only[0][0] == "unit" and all(t[0] == "big" for t in units_only[1:]):
            toks = [("num", Decimal(1), True, "一"), *toks]
        else:
            return None

    # A run of bare Chinese digits: a range (三四, 二三十) or a positional string (二〇二一).
    digit_run = []
    for t in toks:
        if t[0] == "num" and len(t) == 4:
            digit_run.append(t)
        else:
            break
    if len(digit_run) >= 2:
        return _digit_run(toks, digit_run, chinese)
    if (len(toks) >= 3 and toks[-1][0] == "num" and len(toks[-1]) == 4
            and not any(t[0] == "point" for t in toks)     # 三点一二 is 3.12
            and toks[-2][0] == "num" and len(toks[-2]) == 4
            and (int(toks[-2][1]), int(toks[-1][1])) in _RANGE_PAIRS):
        # 十五六个 = 15-16: read both ends
        lo, hi = _parse_tokens_value(toks[:-1]), _parse_tokens_value([*toks[:-2], toks[-1]])
        if lo is None or hi is None:
            return None
        return Reading(lo, hi, None, True)

    approx = None
    total = Decimal(0)     # everything closed by 亿
    high = Decimal(0)      # the 万 section below 亿
    sec = Decimal(0)       # below 万
    num: Decimal | None = None
    last_unit = 0          # the last 十/百/千/万 seen, for 一万五 = 15000
    num_is_bare_cn = False
    after_zero = False     # the last token was 零 (一百零十万: 十 may stand alone)
    i = 0
    while i < len(toks):
        t = toks[i]
        kind = t[0]
        if kind == "num":
            if len(t) == 4 and t[1] == 0 and i + 1 < len(toks) and toks[i + 1][0] != "point":
                i += 1   # 零 only marks a gap: 一百零五, 一百零十万
                last_unit = 0  # and a digit after it is units, not 一百五's fifty
                after_zero = True
                continue
            after_zero = False
            if num is not None:
                return None  # two numbers in a row that are not a digit run: 3一
            num = t[1]
            num_is_bare_cn = len(t) == 4
        elif kind == "point":
            # 三点五: the following Chinese digits are decimals
            frac = []
            j = i + 1
            while j < len(toks) and toks[j][0] == "num" and len(toks[j]) == 4:
                frac.append(str(int(toks[j][1])))
                j += 1
            if not frac or (num is None and not sec and not high and not total):
                return None      # 两千万点五五四四 = 20000000.5544: the decimals follow 万
            if num is None:          # 一百二十点五: the decimals follow the whole section
                num, sec = sec, Decimal(0)
            elif num_is_bare_cn and last_unit >= 100 and num < 10:
                num = num * last_unit / 10      # 两千三点一 = 2300.1, as 两千三 = 2300
            num = num + Decimal("0." + "".join(frac))
            num_is_bare_cn = False
            i = j
            continue
        elif kind == "unit":
            u = t[1]
            if num is None and sec and not after_zero and (u != 10 or sec % 100 != 0):
                return None  # 七十百, 五十千: a multiplier with no digit, inside a section
            sec += (num if num is not None else Decimal(1)) * u
            num = None
            last_unit = u
        elif kind == "big":
            u = t[1]
            part = sec + (num or 0)
            if u >= 100_000_000:
                total = (total + high + part) * u if (high or part) else total * u
                high = Decimal(0)
            else:
                if not part and not high and num is None:
                    return None          # 万 with nothing before it
                high = (high + part) * u if (part or not high) else high * u
            sec = Decimal(0)
            num = None
            last_unit = u
        elif kind == "approx":
            # 五百余万, 十多万: only meaningful before a multiplier
            if i + 1 >= len(toks) or toks[i + 1][0] not in ("unit", "big"):
                return None
            approx = t[1]
        i += 1
    if num is not None:
        if num_is_bare_cn and last_unit >= 100 and num < 10:
            num = num * last_unit / 10   # 一万五 = 15000, 三千五 = 3500
        sec += num
    return Reading(_clean(total + high + sec), None, approx, chinese)


def _clean(d: Decimal) -> Decimal:
    """27 not 27.0, 2746000 not 2746000.0; 0.5 stays 0.5."""
    if d == d.to_integral_value():
        return Decimal(int(d))
    return d.normalize()


def _digit_run(toks, run, chinese) -> Reading | None:
    digits = [int(t[1]) for t in run]
    rest = toks[len(run):]
    if len(run) == 2 and (digits[0], digits[1]) in _RANGE_PAIRS:
        lo = _parse_tokens_value([run[0], *rest])
        hi = _parse_tokens_value([run[1], *rest])
        if lo is None or hi is None:
            return None
        return Reading(lo, hi, None, True)
    if any(t[3] in rules.numerals().not_positional for t in run):
        return None
    if len(run) < 3 and not any(d == 0 for d in digits):
        return None
    if rest:
        return None
    return Reading(Decimal("".join(str(d) for d in digits)), None, None, True)


def _parse_tokens_value(toks) -> Decimal | None:
    s = "".join(_token_text(t) for t in toks)
    r = _parse(s)
    return r.value if r else None


def _token_text(t) -> str:
    if t[0] == "num":
        return t[3] if len(t) == 4 else str(t[1])
    inv_small = {v: k for k, v in rules.numerals().small_units.items() if k in "十百千"}
    inv_big = {10000: "万", 100000000: "亿"}
    if t[0] == "unit":
        return inv_small[t[1]]
    if t[0] == "big":
        return inv_big[t[1]]
    if t[0] == "approx":
        return {"over": "余", "about": "来"}[t[1]]
    return "点"
