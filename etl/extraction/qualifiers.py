"""Qualifiers a reader (and the arithmetic checks) need: per-unit amounts, totals,
changes and shares, read from the words just before a figure in its clause.

    每人1000元、共计12.2万元   -> per "人"; aggregate "共计"
    同比减少45%以上            -> change "decrease"
    完成年度任务的65%          -> share_of "年度任务"
    占全部投资的比重达12%      -> share_of "全部投资"

The cue words are data: data/rules/qualifiers.yaml.
"""
from __future__ import annotations

from typing import Final, Mapping

import re
from dataclasses import dataclass

from .. import rules
from ..regex_cache import regex
from ..rules import alternation
from .text_spans import char_table, first_in

# what may stand between a cue and its figure: not a clause break, not another number
_GAP: Final = "[^，。；,;\\d]"


@dataclass(frozen=True, slots=True)
class Qualifiers:
    per: str | None = None
    aggregate: str | None = None
    change: str | None = None
    share_of: str | None = None


def find_qualifiers(before: str, unit_class: str | None, after: str = "") -> Qualifiers:
    """`before` is the clause text up to the figure (no other figure inside); `after`
    the few characters after it (1000元/人).

    >>> find_qualifiers("122名生活困难的职工收到了慰问金，每人", "money").per
    '人'
    >>> find_qualifiers("共计", "money").aggregate
    '共计'
    >>> find_qualifiers("仅公务接待一项同比减少", "percent").change
    'decrease'
    >>> find_qualifiers("完成年度任务的", "percent").share_of
    '年度任务'
    >>> find_qualifiers("补贴标准", "money", "/人/月").per
    '人'
    """
    per = aggregate = change = share_of = None
    tail = before[-12:]
    after1 = after[:1]
    p = _PATTERNS[0] if _PATTERNS else _patterns()
    reach = before[-p.per_reach:]
    if after1 not in ("/", "每") and unit_class != "percent" and _holds_none(reach, p.quick_table, p.quick):
        return _NONE       # the common case: none of the cue characters is near
    m = p.per.search(tail) if _any_in(p.per_gate, tail) else None
    if (m is None and unit_class not in p.long_gap_not_for
            and (_any_in(p.long_gate, reach) or (_any_in(p.one_gate, reach) and _any_in(p.one_then_gate, reach)))):
        # an average names the measure it qualifies (人均可支配收入达到5.2万元); 一亩地可以
        m = p.per_long.search(reach)
    if m:
        g = m.groupdict()
        per = g.get("each") or g.get("each1") or g.get("one")
        avg = g["avg"]
        if avg:
            per = p.average_unit[avg]
        elif g.get("rise"):
            per = p.rise_unit[g["rise"]]
        if per is None or per in p.people:
            per = "人"
    if per is None and after1 in ("/", "每"):
        m = p.per_after.match(after)
        if m:
            per = "人" if m.group(1) in p.people else m.group(1)
    m = p.aggregate.search(tail) if _any_in(p.aggregate_gate, tail) else None
    if m:
        aggregate = m.group("agg")
    short = before[-p.change_window:]
    if _any_in(p.up_gate, short) and p.up.search(short):
        change = "increase"
    elif _any_in(p.down_gate, short) and p.down.search(short):
        change = "decrease"
    if unit_class == "percent":
        window = before[-p.share_window:]
        # every match ends in 的 (and blanks): a window without one has none
        m = p.share.search(window) if "的" in window or "占" in window else None
        if m:
            whole = (m.group("whole") or m.group("closed") or m.group("part_whole") or "").strip()
            if whole:
                share_of = whole
    if per is aggregate is change is share_of is None:
        return _NONE
    if share_of is not None:
        return Qualifiers(per, aggregate, change, share_of)
    # per, aggregate and change come from the rules' word lists: the few records they
    # make are kept (a record's interpreted __init__ cost about 6,000 instructions)
    key = (per, aggregate, change)
    got = _MADE.get(key)
    if got is None:
        got = _MADE[key] = Qualifiers(per, aggregate, change, None)
    return got


_NONE: Final = Qualifiers()
_MADE: Final[dict[tuple[str | None, str | None, str | None], Qualifiers]] = {}


def _holds_none(text: str, table: bytes, chars: frozenset[str]) -> bool:
    """chars.isdisjoint(text), by one index per character (`char_table`): the set's
    method hashed a new one-character string per character, through Python."""
    return first_in(text, 0, len(text), table, chars) < 0


@dataclass(frozen=True, slots=True)
class _Patterns:
    per: re.Pattern
    # the averages of a unit, 每 of time and the 一 forms, with their longer gap, searched in the longer `per_reach`
    per_long: re.Pattern
    per_reach: int
    long_gap_not_for: frozenset[str]
    average_unit: Mapping[str, str]
    rise_unit: Mapping[str, str]        # 日增: 日
    per_after: re.Pattern
    people: frozenset[str]
    aggregate: re.Pattern
    up: re.Pattern
    down: re.Pattern
    change_window: int
    share: re.Pattern
    share_window: int
    quick: frozenset[str]
    quick_table: bytes          # char_table(quick)
    # characters every match of per / aggregate / up / down holds one of (a character
    # of each cue word): a few substring tests spare the regex most of the time
    per_gate: tuple[str, ...]
    long_gate: tuple[str, ...]
    one_gate: tuple[str, ...]
    one_then_gate: tuple[str, ...]    # first characters of the words after a one (可, 能, 最 …)
    aggregate_gate: tuple[str, ...]
    up_gate: tuple[str, ...]
    down_gate: tuple[str, ...]


def _any_in(chars: tuple[str, ...], text: str) -> bool:
    for ch in chars:
        if ch in text:
            return True
    return False


def _gate(words: tuple[str, ...] | list[str], quick: frozenset[str]) -> tuple[str, ...]:
    """One character of each word (a quick_check character where it has one), each
    once: a text holding none of them holds none of the words."""
    out: list[str] = []
    for w in words:
        ch = w[0]
        for c in w:
            if c in quick:
                ch = c
                break
        if ch not in out:
            out.append(ch)
    return tuple(out)


def _patterns() -> _Patterns:
    """The patterns, built once (on first use) from data/rules/qualifiers.yaml."""
    q = rules.qualifiers()
    link = f"[{re.escape(q.change_link)}]*\\s*$"
    part = f"{alternation(q.share_part_verbs)}(?![{re.escape(q.share_part_not_next)}])"
    links = f"(?:{alternation(q.share_link_adverbs)})?{alternation(q.share_links)}"
    # 每人, 每一户; 人均; 一亩地可以 (a modal or a peak word after the one; not 第一天: the
    # look-behind follows the 一, so that every alternative opens on a listed character and
    # the engine skips the positions where none stands)
    each = (f"每(?:(?P<each>{alternation(q.per_each)})|一(?P<each1>{alternation(q.per_each_one)}))")
    one = (f"[一单](?<![{re.escape(q.per_one_not_after)}].)(?P<one>{alternation(q.per_one)}){_GAP}?"
           f"{alternation(q.per_one_then)}")
    # 日增 (a daily rise), not after 平/首 … (比平日增长) nor before 长/加 …; the look-behind
    # follows the first character, as the one's does
    rise = "|".join(f"{re.escape(w[0])}(?<![{re.escape(q.per_rise_not_after)}].){re.escape(w[1:])}"
                    for w in q.per_rise_unit)
    rise = f"(?P<rise>{rise})(?![{re.escape(q.per_rise_not_next)}])"
    _PATTERNS.append(_Patterns(
        per=regex("qualifiers.per", f"(?:{each}|(?P<avg>{alternation(q.per_average)})){_GAP}{{0,{q.per_gap}}}$"),
        per_long=regex("qualifiers.per_long",
                       f"(?:每(?P<each>{alternation(q.per_long_each)})|(?P<avg>{alternation(q.per_long_average)})"
                       f"|{one}|{rise}){_GAP}{{0,{q.per_average_gap}}}$"),
        per_reach=max(12, q.per_average_gap + max(map(len, q.per_long_average))),
        long_gap_not_for=q.per_long_gap_not_for,
        average_unit=q.per_average_unit,
        rise_unit=q.per_rise_unit,
        per_after=regex("qualifiers.per_after", f"(?:/|每)({alternation(q.per_after)})"),
        people=q.per_people,
        aggregate=regex("qualifiers.aggregate", f"(?P<agg>{alternation(q.aggregate)}){_GAP}{{0,{q.aggregate_gap}}}$"),
        up=regex("qualifiers.up", alternation(q.increase) + link),
        down=regex("qualifiers.down", alternation(q.decrease) + link),
        change_window=q.change_window,
        # 完成年度任务的65%; after a part verb also 占…的比重达51.9%, 占口岸总车流量近六成
        share=regex("qualifiers.share", f"(?:{alternation(q.share_verbs)}(?P<whole>{_GAP}{{1,{q.share_max_chars}}}?)的"
                         f"|{part}(?P<closed>{_GAP}{{1,{q.share_max_chars}}}?)的?{alternation(q.share_ends)}"
                         f"(?:{links})?"
                         f"|{part}(?P<part_whole>[^，。；,;\\d的比]{{1,{q.share_max_chars}}}?)(?:{links})?)\\s*$"),
        share_window=q.share_window,
        quick=q.quick_check,
        quick_table=char_table(q.quick_check),
        per_gate=_gate(["每", *q.per_average], q.quick_check),
        # the rise words whole (日增): 增 alone stands in most clauses of a change
        long_gate=(*_gate(["每", *q.per_long_average], q.quick_check), *q.per_rise_unit),
        one_gate=("一", "单"),
        one_then_gate=tuple(sorted({w[0] for w in q.per_one_then})),
        aggregate_gate=_gate(q.aggregate, q.quick_check),
        up_gate=_gate(q.increase, q.quick_check),
        down_gate=_gate(q.decrease, q.quick_check),
    ))
    return _PATTERNS[0]


# the patterns once built: a list read directly by the compiled build, where a call
# through functools' cache for every figure cost more than the lookup it serves
_PATTERNS: Final[list[_Patterns]] = []
