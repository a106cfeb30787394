"""Qualifiers a reader (and the arithmetic checks) need: per-unit amounts, totals,
changes and shares, read from the words just before a figure in its clause.

    每人1000元、共计12.2万元   -> per "人"; aggregate "共计"
    同比减少45%以上            -> change "decrease"
    完成年度任务的65%          -> share_of "年度任务"
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PER = re.compile(r"(?:每(?P<each>[人名位户个家次年月天周场期村生件项]|一(?P<each1>[人名位户个家次])|位|名)"
                  r"|(?P<avg>[人户年月日]均|平均))[^，。；,;\d]{0,4}$")
_PER_AFTER = re.compile(r"(?:/|每)([人名位户个家次年月天周场期村亩])")
_AGG = re.compile(r"(?P<agg>共计|合计|累计|总计|一共|总共|共有|总额|总数|共)[^，。；,;\d]{0,8}$")
_UP = re.compile(r"(?:增长|增加|提高|提升|上升|上涨|增幅|增长了|增加了|提高了|扩大|翻)[了为达到至]*\s*$")
_DOWN = re.compile(r"(?:下降|减少|降低|下滑|缩减|压减|压缩|减|降幅|回落)[了为达到至]*\s*$")
_SHARE = re.compile(r"(?:占|完成|达到|为)(?P<whole>[^，。；,;\d]{1,16}?)的\s*$")


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
    if _NO_CUE.isdisjoint(tail) and after1 not in ("/", "每") and unit_class != "percent":
        return _NONE       # the common case: none of the cue characters is near
    m = _PER.search(tail)
    if m:
        per = m.group("each") or m.group("each1") or (m.group("avg")[0] if m.group("avg") else None)
        if per is None:
            per = "人"
        elif per == "平":
            per = "平均"
        elif per in ("名", "位"):
            per = "人"
    if per is None and after1 in ("/", "每"):
        m = _PER_AFTER.match(after)
        if m:
            per = {"名": "人", "位": "人"}.get(m.group(1), m.group(1))
    m = _AGG.search(tail)
    if m:
        aggregate = m.group("agg")
    short = before[-6:]
    if _UP.search(short):
        change = "increase"
    elif _DOWN.search(short):
        change = "decrease"
    if unit_class == "percent":
        m = _SHARE.search(before[-20:])
        if m and m.group("whole").strip():
            share_of = m.group("whole").strip()
    if per is aggregate is change is share_of is None:
        return _NONE
    return Qualifiers(per, aggregate, change, share_of)


_NONE = Qualifiers()
# Every per/total/change pattern above needs one of these characters before the figure.
_NO_CUE = frozenset("每均位名共合累总增加提上扩翻下减降缩压回")
