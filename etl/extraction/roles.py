"""Which figures add up: the role of each money, people and person-times claim in its
report (shared/eval/GUIDE-counting.md), and whether a sum should count it.

    total        a figure that stands on its own             counted
    part         a breakdown of another figure of the report  of = its total
    restatement  the same fact stated again                  of = the first mention
    rate, change, plan, context                              not counted

A pass over one report's claims after extraction: it needs the whole report (a
headline restated in the body, a total given after its parts). Every decision is
local and high-precision; a figure no rule speaks for is a total. The cue words are
data (data/rules/counting.yaml); `role_reason` names the rule that decided.

Order: the figure's own words (rate, change, plan, context), then parts (a figure
after a 其中 list that already adds up, 其中 and 包括, runs of figures that add up to a
neighbour, 已… subsets, a stated share of another figure's group, one group of an
earlier figure's list), then restatements (a
headline repeated in the body, a 共计 repeating a number just given, the same group
of people named again), then a 其中 sentence carried on into the next one.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import cache
from typing import Final, Any

from .. import rules
from ..regex_cache import regex
from ..claim import COUNTED_CLASSES, Claim
from .normalize import to_simplified
from .segmenter import cut_forward, is_word
from .text_spans import Boundaries, char_table, first_in

_TARGET: Final = frozenset(COUNTED_CLASSES)
_LIST_GAP: Final = frozenset("、和及与 ")
_FULL_STOP_CHARS: Final = "。！？!?"
_DIGITS: Final = re.compile(r"\d[\d,]*(?:\.\d+)?")
_YEAR: Final = re.compile(r"(?:19|20)\d\d年")
_INF: Final = math.inf


class CountingRules:
    """data/rules/counting.yaml, as tuples and numbers."""

    __slots__ = ("rate_cues", "rate_adjacent", "change_cues", "change_window", "than_open",
                 "than_close", "than_reach", "plan_cues", "plan_sentence_cues", "plan_not",
                 "plan_blockers", "context_cues", "need_cues", "family_words", "family_max",
                 "population_cues", "part_markers",
                 "part_marker_not", "sum_max_items", "sum_reach", "sum_rel_tolerance",
                 "sum_min_total", "subset_openers", "subset_max_clause", "headline_max_chars",
                 "headline_overlap", "other_group_cues", "repeat_aggregates", "repeat_reach",
                 "period_words", "list_joiner_re", "list_member_reach", "share_openers",
                 "share_group_ends", "all_are", "share_reach", "context_re", "change_re", "plan_re", "plan_sentence_re",
                 "marker_re", "period_re", "other_group_re", "continues_not_re", "continues_min_shared", "cue_chars",
                 "cue_table")

    def __init__(self, d: dict[str, Any]):
        def words(key: str) -> tuple[str, ...]:
            v = d.get(key) or []
            if not isinstance(v, list):
                raise rules.RuleError(f"counting.yaml: {key}: expected a list")
            # longest first, so 目前已 is tried before 已
            return tuple(sorted({str(w) for w in v}, key=lambda w: (-len(w), w)))

        self.rate_cues = words("rate_cues")
        self.rate_adjacent = words("rate_adjacent")
        self.change_cues = words("change_cues")
        self.change_window = int(d.get("change_window", 8))
        self.than_open = words("change_than_open")
        self.than_close = words("change_than_close")
        self.than_reach = int(d.get("change_than_reach", 10))
        self.plan_cues = words("plan_cues")
        self.plan_sentence_cues = words("plan_sentence_cues")
        self.plan_not = words("plan_not")
        self.plan_blockers = words("plan_blockers")
        self.context_cues = words("context_cues")
        self.need_cues = words("need_cues")
        self.family_words = words("family_words")
        self.family_max = float(d.get("family_max", 9))
        self.population_cues = words("population_cues")
        self.part_markers = words("part_markers")
        self.part_marker_not = words("part_marker_not")
        self.sum_max_items = int(d.get("sum_max_items", 8))
        self.sum_reach = int(d.get("sum_reach", 400))
        self.sum_rel_tolerance = float(d.get("sum_rel_tolerance", 0.01))
        self.sum_min_total = float(d.get("sum_min_total", 10))
        self.subset_openers = words("subset_openers")
        self.subset_max_clause = int(d.get("subset_max_clause", 8))
        self.headline_max_chars = int(d.get("headline_max_chars", 64))
        self.headline_overlap = float(d.get("headline_overlap", 0.3))
        self.other_group_cues = words("other_group_cues")
        self.repeat_aggregates = words("repeat_aggregates")
        self.repeat_reach = int(d.get("repeat_reach", 300))
        self.period_words = words("period_words")
        self.list_joiner_re = _alternation("list_joiners", words("list_joiners"))
        self.list_member_reach = int(d.get("list_member_reach", 400))
        self.share_openers = words("share_openers")
        self.share_group_ends = words("share_group_ends")
        self.all_are = words("all_are")
        self.share_reach = int(d.get("share_reach", 400))
        # one regex per list: a search over the clause instead of a loop over words
        self.context_re = _alternation("context", self.context_cues + self.need_cues + self.population_cues)
        self.change_re = _alternation("change", self.change_cues)
        self.plan_re = _alternation("plan", self.plan_cues)
        self.plan_sentence_re = _alternation("plan_sentence", self.plan_sentence_cues)
        self.marker_re = _alternation("marker", self.part_markers)
        self.period_re = _alternation("period", self.period_words)
        self.other_group_re = _alternation("other_group", self.other_group_cues)
        self.continues_not_re = _alternation("continues_not", words("marker_continues_not"))
        self.continues_min_shared = int(d.get("marker_continues_min_shared", 2))
        # characters every rate, change and than cue starts with: most clauses have none
        self.cue_chars = frozenset(w[0] for w in self.rate_cues + self.rate_adjacent
                                   + self.change_cues + self.than_close)
        self.cue_table = char_table(self.cue_chars)     # for `first_in`


def _alternation(name: str, words: tuple[str, ...]) -> re.Pattern:
    # the program from the regex cache: compiled afresh, the nine were most of what
    # building the counting rules cost at each start (callgrind)
    return regex(f"roles.{name}", rules.alternation(words) if words else r"(?!x)x")


@cache
def counting_rules() -> CountingRules:
    return CountingRules(rules.load_yaml(rules.RULES_DIR / "counting.yaml"))


class Fig:
    """One money / people / person-times claim while its role is decided."""

    __slots__ = ("k", "c", "start", "end", "sent", "clause", "line", "_lo", "_hi", "_known",
                 "written", "exact", "headline", "role", "of", "reason", "periods")

    def __init__(self, k: int, c: Claim, start: int, end: int, sent: tuple[int, int],
                 clause: tuple[int, int], line: tuple[int, int], headline: bool, view: str):
        self.k = k                  # index into the report's claims
        self.c = c
        self.start = start          # span on the simplified view
        self.end = end
        self.sent = sent
        self.clause = clause
        self.line = line
        self.headline = headline
        self.written = view[start:end]
        self._lo = self._hi = 0.0
        self._known = False         # the value range, worked out when first needed
        self.exact = c.approx == "exact"
        self.role = "total"
        self.of: Fig | None = None
        self.reason = ""
        # the periods its sentence names before it (2023年, 去年 …), found when first
        # needed: the restatement rules ask for them once per pair of figures
        self.periods: frozenset[str] | None = None


    @property
    def lo(self) -> float:
        if not self._known:
            self._range()
        return self._lo

    @property
    def hi(self) -> float:
        if not self._known:
            self._range()
        return self._hi

    def _range(self) -> None:
        self._lo, self._hi = interval(self.c, self.written)
        self._known = True


def assign_roles(claims: list[Claim], spans: list[tuple[int, int]], view: str,
                 bounds: Boundaries, classes: frozenset[str] = _TARGET) -> None:
    """Fill role, counted, of_start/of_end and role_reason of the money, people and
    person-times claims of one report (`classes`: tests try the rules on others).
    `spans[i]` is claims[i]'s span on `view`, the simplified text the claims were
    found on."""
    R = counting_rules()
    figs: list[Fig] = []
    headlines: dict[int, bool] = {}     # line start -> whether the line is a headline
    for k, c in enumerate(claims):
        if not c.is_claim or c.unit_class not in classes or c.value is None:
            continue
        s, e = spans[k]
        line = bounds.line(s)
        head = headlines.get(line[0])
        if head is None:
            head = headlines[line[0]] = _is_headline(view, line, R)
        figs.append(Fig(k, c, s, e, bounds.sentence(s), bounds.clause(s), line, head, view))
    if not figs:
        return
    for f in figs:
        f.role, f.reason = _own_role(f, view, R)
    _list_items(figs, view)
    _parts_after_full_list(figs, claims, spans, view, R)
    _parts_by_marker(figs, view, bounds, R)
    _parts_by_sum(figs, R)
    _parts_by_subset(figs, view, R)
    _parts_by_share(figs, claims, spans, view, bounds, R)
    # the character pairs of lines and sentences, found once for both rules that read them
    pairs: dict[tuple[int, int], frozenset[str]] = {}
    _parts_by_list_member(figs, view, R, pairs)
    _restated_headlines(figs, view, R, pairs)
    _restated_totals(figs, view, R)
    _restated_groups(figs, view, R)
    _parts_after_marker_sentence(figs, view, bounds, R)
    for f in figs:
        c = f.c
        c.role, c.counted, c.role_reason = f.role, f.role == "total", f.reason or f.role
        target = _root(f.of) if f.of is not None else None
        if f.role in ("part", "restatement") and target is not None and target is not f:
            c.of_start, c.of_end = target.c.start, target.c.end
        elif f.role in ("part", "restatement"):       # nothing left to point at
            c.role, c.counted, c.role_reason = "total", True, "total"


# ------------------------------------------------------------------ value intervals

def interval(c: Claim, written: str) -> tuple[float, float]:
    """The values a figure's writing allows: 27万元 is 26.5–27.5万, 6600余 is 6600–6700,
    近5万 is 4–5万, 约 ± one unit of its last digit, a range its two ends.

    >>> from decimal import Decimal as D
    >>> interval(Claim("d", 0, 4, "27万元", True, value=D(270000), approx="exact"), "27万元")
    (265000.0, 275000.0)
    >>> interval(Claim("d", 0, 6, "6600余名", True, value=D(6600), approx="over"), "6600余名")
    (6600.0, 6700.0)
    """
    v = float(c.value) if c.value is not None else 0.0
    u_written, u_nonzero = _digit_units(v, written)
    a = c.approx or "exact"
    if a == "range" and c.value_max is not None:
        return v, float(c.value_max)
    if a in ("over", "under", "about") and _approx_after_multiplier(written):
        u_nonzero = u_written     # 10万余 is 10–11万, 8.4万多 8.4–8.5万
    if a == "over":
        return v, v + u_nonzero
    if a == "under":
        return v - u_nonzero, v
    if a == "about":
        return v - u_nonzero, v + u_nonzero
    if a == "at_most":
        return 0.0, v
    if a == "at_least":
        return v, _INF
    return v - u_written / 2, v + u_written / 2


def _approx_after_multiplier(written: str) -> bool:
    m = _DIGITS.search(written)
    return m is not None and written[m.end():m.end() + 1] in ("万", "亿", "萬", "千", "百")


def _digit_units(v: float, written: str) -> tuple[float, float]:
    """(unit of the last written digit, unit of the last non-zero digit) in base units:
    317.5万 -> (1000, 1000); 700万 -> (10000, 1000000); 两名 -> (1, 1)."""
    if v <= 0:
        return 1.0, 1.0
    m = _DIGITS.search(written)
    if m is None:
        u = 1.0
        while v % (u * 10) == 0 and u < 1e12:
            u *= 10
        return 1.0 if v < 10 else u, u
    digits = m.group().replace(",", "")
    number = float(digits)
    if number <= 0:
        return 1.0, 1.0
    mult = v / number
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    u_written = mult * 10.0 ** -decimals
    plain = digits.replace(".", "")
    zeros = len(plain) - len(plain.rstrip("0"))
    u_nonzero = u_written * 10.0 ** (zeros if zeros < len(plain) else 0)
    return u_written, u_nonzero


def _same_value(a: Fig, b: Fig) -> bool:
    """Two writings of one value: equal, or one a rounding of the other (2.2亿 and
    21977万); a one-digit round figure matches only itself."""
    if a.c.value == b.c.value and a.c.approx == b.c.approx and a.c.value_max == b.c.value_max:
        return True
    if a.lo >= b.hi or b.lo >= a.hi:     # 突破39万亿 and 突破40万亿 only touch
        return False
    return _significant(a) >= 2 and _significant(b) >= 2


def _significant(f: Fig) -> int:
    v = float(f.c.value) if f.c.value is not None else 0.0
    w = f.hi - f.lo
    if v <= 0 or w <= 0 or w == _INF:
        return 0
    return max(0, int(math.floor(math.log10(v / w) + 1e-9)) + 1)


# --------------------------------------------------------- the figure's own words

def _own_role(f: Fig, view: str, R: CountingRules) -> tuple[str, str]:
    c = f.c
    before = view[f.clause[0]:f.start]
    # (a literal alternation: a match between pos and endpos is the match in the slice)
    m = R.context_re.search(before) or R.context_re.match(view, f.start, f.end)
    if m:
        return "context", "context:" + m.group()
    if c.unit_class == "people" and c.value is not None and float(c.value) <= R.family_max:
        for w in R.family_words:
            if view.startswith(w, f.end):
                return "context", "context:family " + w
    if c.per is not None:
        return "rate", "rate:per " + c.per
    tail = before[-(R.change_window + 4):]
    # a walk of the few characters by table: `frozenset.isdisjoint(str)` made and hashed
    # a one-character string for each (about 2,000 instructions a figure)
    cues = first_in(tail, 0, len(tail), R.cue_table, R.cue_chars) >= 0
    if cues:
        for w in R.rate_cues:
            if tail.endswith(w) or tail[:-1].endswith(w):
                return "rate", "rate:" + w
        for w in R.rate_adjacent:
            if before.endswith(w):
                return "rate", "rate:" + w
    if c.change is not None:
        return "change", "change:" + c.change
    if cues:
        m = R.change_re.search(before, max(0, len(before) - R.change_window))
        if m:
            return "change", "change:" + m.group()
        cue = _than(before, R)
        if cue:
            return "change", "change:" + cue
    # the clause, then the sentence, up to the figure's first two characters: read on
    # the view between bounds, not copied and joined for every figure
    hi = min(f.end, f.start + 2)
    cue = _plan(view, min(f.clause[0], f.start), hi, R.plan_re, R) or \
        _plan(view, min(f.sent[0], f.start), hi, R.plan_sentence_re, R)
    if cue:
        return "plan", "plan:" + cue
    return "total", ""


def _than(before: str, R: CountingRules) -> str:
    """比上年多 / 较上年增加 right before the figure."""
    tail = before[-(R.than_reach + 4):]
    for close in R.than_close:
        if not tail.endswith(close):
            continue
        head = tail[:-len(close)]
        for op in R.than_open:
            i = head.rfind(op)
            if i >= 0 and 0 < len(head) - i - len(op) <= R.than_reach and not _has_stop(head[i:]):
                return op + "…" + close
    return ""


def _has_stop(s: str) -> bool:
    return any(ch in s for ch in "，,。；;：:")


def _plan(view: str, lo: int, hi: int, cue_re: re.Pattern, R: CountingRules) -> str:
    """A plan word in view[lo:hi] (the sentence or clause up to the figure) with no sign
    of a result between it and the figure (计划投资100万元，已完成80万元: 80万元 is done).
    The cues are an alternation of literal words, so a search between pos and endpos
    finds what a search of the slice finds."""
    # most clauses and sentences hold no plan word: one search says so, where an
    # iterator over the matches cost its making and a call for the first (its result)
    if cue_re.search(view, lo, hi) is None:
        return ""
    last = None
    for m in cue_re.finditer(view, lo, hi):
        if not any(_covers_between(view, lo, hi, m.start(), m.end() - m.start(), n)
                   for n in R.plan_not):
            last = m
    if last is None:
        return ""
    e = last.end()
    for b in R.plan_blockers:
        if view.find(b, e, hi) >= 0:
            return ""
    return last.group()


def _covers_between(view: str, lo: int, hi: int, i: int, n: int, phrase: str) -> bool:
    """`_covers(view[lo:hi], i - lo, n, phrase)` without the slice."""
    j = view.find(phrase, max(lo, i + n - len(phrase)), min(hi, i + len(phrase)))
    return lo <= j <= i and j + len(phrase) >= i + n


def _covers(text: str, i: int, n: int, phrase: str) -> bool:
    """Whether `phrase` occurs in `text` over the n characters at i."""
    lo = max(0, i + n - len(phrase))
    j = text.find(phrase, lo, i + len(phrase))
    return 0 <= j <= i and j + len(phrase) >= i + n


def _list_items(figs: list[Fig], view: str) -> None:
    """同比增加2430万人、849万人: a figure listed right after another of its class (、和及)
    shares that figure's own role."""
    for a, b in zip(figs, figs[1:]):
        if b.role != "total" or a.role in ("total", "part", "restatement"):
            continue
        if a.c.unit_class == b.c.unit_class and a.clause == b.clause and \
                _LIST_GAP.issuperset(view[a.end:b.start]):
            b.role, b.reason = a.role, a.reason + " (list)"


# ----------------------------------------------------------------------- parts

def _set_part(f: Fig, total: Fig, reason: str) -> bool:
    """Make f a part of total, unless that would close a loop or total is bigger; a
    part of a plan (or change, rate, context) figure is one too."""
    if total is f or _reaches(total, f) or f.lo > total.hi:
        return False
    if total.role in ("total", "part", "restatement"):
        f.role, f.of, f.reason = "part", total, reason
    else:
        f.role, f.of, f.reason = total.role, None, total.reason + " (" + reason + ")"
    return True


def _reaches(a: Fig, b: Fig) -> bool:
    """Whether following `of` from a leads to b."""
    seen = 0
    x: Fig | None = a
    while x is not None and seen < 64:
        if x is b:
            return True
        x = x.of
        seen += 1
    return False


def _root(f: Fig) -> Fig:
    """A restatement's first mention; anything else is its own root."""
    seen = 0
    while f.role == "restatement" and f.of is not None and seen < 64:
        f = f.of
        seen += 1
    return f


def _parts_by_marker(figs: list[Fig], view: str, bounds: Boundaries, R: CountingRules) -> None:
    """其中/包括: a part of the nearest earlier figure of its class before the word."""
    for i, f in enumerate(figs):
        if f.role != "total":
            continue
        s0 = f.sent[0]
        before = view[s0:f.start]
        mpos, word = _last_marker(before, R)
        if mpos < 0:
            continue
        at = s0 + mpos
        total = None
        for j in range(i - 1, -1, -1):
            g = figs[j]
            if g.start < s0:
                break
            if g.end <= at and g.c.unit_class == f.c.unit_class:
                total = g
                break
        if total is None and not view[s0:at].strip(" ，,：:、\t"):
            # 其中 opens the sentence: the figure it breaks down is in the sentence before
            ps, _ = bounds.sentence(s0 - 1) if s0 > 0 else (0, 0)
            for j in range(i - 1, -1, -1):
                g = figs[j]
                if g.start < ps:
                    break
                if g.end <= s0 and g.c.unit_class == f.c.unit_class:
                    total = g
                    break
        if total is not None:
            _set_part(f, total, "part:" + word)


def _parts_after_marker_sentence(figs: list[Fig], view: str, bounds: Boundaries,
                                 R: CountingRules) -> None:
    """其中 carried on into the next sentence; after the restatements, as a weaker cue
    (a figure the digest at the top already gave stays a restatement of it)."""
    markers = _marker_starts(view, R)
    if not markers:
        return
    for i, f in enumerate(figs):
        if f.role != "total":
            continue
        k = bisect_left(markers, f.sent[0])
        if k == 0 or markers[k - 1] <= f.line[0]:
            continue                    # no 其中 earlier in the paragraph
        if k < len(markers) and markers[k] < f.start:
            continue                    # a 其中 of its own sentence: _parts_by_marker's case
        total = _total_before_marker_sentence(figs, i, view, bounds, markers, R)
        if total is not None:
            word = R.marker_re.match(view, bounds.sentence(f.sent[0] - 1)[0])
            _set_part(f, total, "part:" + (word.group() if word else "") + " next sentence")


def _marker_starts(view: str, R: CountingRules) -> list[int]:
    """Where R.marker_re's matches start in `view`, as its finditer gives them: each
    marker word's places found by str.find (a regex search through the whole report
    tried its alternation at every character), then taken in order, a match starting
    inside the one before skipped."""
    places: list[int] = []
    for w in R.part_markers:
        if not w:
            continue
        i = view.find(w)
        while i >= 0:
            places.append(i)
            i = view.find(w, i + 1)
    places.sort()
    out: list[int] = []
    end = 0
    for i in places:
        if i < end or (out and out[-1] == i):
            continue
        m = R.marker_re.match(view, i)
        if m is not None:
            out.append(i)
            end = max(m.end(), i + 1)
    return out


def _total_before_marker_sentence(figs: list[Fig], i: int, view: str, bounds: Boundaries,
                                  markers: list[int], R: CountingRules) -> Fig | None:
    """A sentence that opens with 其中 but names no figure of the class carries the
    breakdown on into the next sentence of the paragraph (…营业收入91619亿元。其中，文化新
    业态行业规模持续壮大。…16个行业小类实现营业收入36870亿元): the first figure of its class
    there is a part of the nearest figure of that class in the sentence before 其中,
    when the two sentences share words the total's sentence does not have, and unless
    its sentence says before the figure that it is something else (此外, 另有)."""
    f = figs[i]
    s0 = f.sent[0]
    for j in range(i - 1, -1, -1):      # the first figure of its class in its sentence
        g = figs[j]
        if g.start < s0:
            break
        if g.c.unit_class == f.c.unit_class:
            return None
    ms, _ = bounds.sentence(s0 - 1)
    k = bisect_left(markers, ms)
    if ms <= f.line[0] or k == len(markers) or markers[k] != ms or \
            _last_marker(view[ms:ms + 4], R)[0] != 0:
        return None                     # no sentence that opens with 其中, or it opens the paragraph
    if R.continues_not_re.search(view, s0, f.start):
        return None
    ps, _ = bounds.sentence(ms - 1)
    # the next sentence goes on about what 其中 named (读书班 … 第一期读书班), in words the
    # sentence of the total does not have
    topic = _bigrams(view[ms:s0]) & _bigrams(view[s0:f.start])
    if len(topic - _bigrams(view[ps:ms])) < R.continues_min_shared:
        return None
    for j in range(i - 1, -1, -1):
        g = figs[j]
        if g.start < ps:
            break
        if g.c.unit_class != f.c.unit_class:
            continue
        if g.start >= ms:
            return None                 # the 其中 sentence has its own figure of the class
        return g if g.role in ("total", "part", "restatement") else None
    return None


def _parts_after_full_list(figs: list[Fig], claims: list[Claim], spans: list[tuple[int, int]],
                           view: str, R: CountingRules) -> None:
    """開展黨內問責3616例，其中問責黨組織359個，問責領導干部3257人，黨紀政務處分1277人:
    the items after 其中 already add up to the figure before it (359 + 3257 = 3616), so
    a further figure is not another item but some of an earlier one of its class
    (1277人 of the 3257人). Exact figures only, and the sum must be exact."""
    fig_at = {f.k: f for f in figs}
    for f in figs:
        if f.role != "total":
            continue
        s0 = f.sent[0]
        mpos, _ = _last_marker(view[s0:f.start], R)
        if mpos < 0:
            continue
        at = s0 + mpos
        anchor = -1
        items: list[int] = []
        for k in range(f.k - 1, -1, -1):
            ks, ke = spans[k]
            if ks < s0:
                break
            c = claims[k]
            if not c.is_claim or c.value is None:
                continue
            if ks > at:
                items.append(k)
            elif ke <= at:
                anchor = k
                break
        if anchor < 0 or len(items) < 2:
            continue
        total = claims[anchor]
        if total.approx != "exact" or any(claims[k].approx != "exact" for k in items):
            continue
        if sum(claims[k].value or 0 for k in items) != total.value:
            continue
        for k in items:          # nearest first
            g = fig_at.get(k)
            if g is not None and g.c.unit_class == f.c.unit_class and (g.c.value or 0) > (f.c.value or 0):
                _set_part(f, g, "part:after full list")
                break


def _last_marker(before: str, R: CountingRules) -> tuple[int, str]:
    best, word = -1, ""
    if R.marker_re.search(before) is None:      # the common case, as in `_plan`
        return best, word
    for m in R.marker_re.finditer(before):
        w = m.group()
        if not any(_covers(before, m.start(), len(w), n) for n in R.part_marker_not):
            best, word = m.start(), w
    return best, word


def _parts_by_sum(figs: list[Fig], R: CountingRules) -> None:
    """A run of figures of one unit that adds up to the figure next to it (A万元、B万元，
    共计C万元; 共计C万元 … 线上A万元，线下B万元) are its parts."""
    by_unit: dict[str, list[Fig]] = {}
    for f in figs:
        by_unit.setdefault(f.c.unit or "", []).append(f)
    for seq in by_unit.values():
        if len(seq) < 3:
            continue
        for p, t in enumerate(seq):
            if t.role not in ("total", "part"):
                continue
            run = _adding_run(seq, p, 1, R)
            if not run:
                run = _adding_run(seq, p, -1, R)
            for f in run:
                _set_part(f, t, "part:sum")


def _adding_run(seq: list[Fig], p: int, step: int, R: CountingRules) -> list[Fig]:
    t = seq[p]
    lo = hi = 0.0
    run: list[Fig] = []
    q = p + step
    while 0 <= q < len(seq) and len(run) < R.sum_max_items:
        f = seq[q]
        if abs(f.start - t.start) > R.sum_reach or f.role != "total" or f.headline != t.headline:
            break
        if f.hi >= t.lo:       # a part is smaller than its total
            break
        run.append(f)
        lo += f.lo
        hi += f.hi
        if len(run) >= 2 and lo <= t.hi and hi >= t.lo and _close_enough(run, t, R):
            return run
        if lo > t.hi:
            break
        q += step
    return []


def _close_enough(run: list[Fig], t: Fig, R: CountingRules) -> bool:
    """The figures as written add up to the total as written. Exact figures: to within
    the rounding their writing allows (317.5万 + 9.5万 = 327万; whole counts exactly,
    4 + 38 + 8 + 61 is not 110); approximate ones (300多人、200多人，共500多人) also to
    within the relative tolerance, not just overlapping ranges."""
    total = float(t.c.value) if t.c.value is not None else 0.0
    if total < R.sum_min_total:
        return False
    s = sum(float(f.c.value) if f.c.value is not None else 0.0 for f in run)
    if t.exact and all(f.exact for f in run):
        slack = sum(_rounding(f) for f in run) + _rounding(t)
        return abs(s - total) <= slack + 1e-9 * total
    return abs(s - total) <= R.sum_rel_tolerance * total


def _rounding(f: Fig) -> float:
    """Half the unit of an exact figure's last written digit, when the writing rounds
    (317.5万); 0 for a whole count or amount written in full (116人, 4000元)."""
    w = f.hi - f.lo
    return w / 2 if w > 1.0 + 1e-9 else 0.0


def _parts_by_subset(figs: list[Fig], view: str, R: CountingRules) -> None:
    """排查出8.4万多人，已清理6.3万多人: a clause of just 已+verb+figure, right after a
    figure of the same unit, counts some of those."""
    for a, b in zip(figs, figs[1:]):
        if b.role != "total" or a.role not in ("total", "part"):
            continue
        if a.sent != b.sent or a.c.unit != b.c.unit or a.clause[1] != b.clause[0]:
            continue
        head = view[b.clause[0]:b.start].strip()
        if not head or len(head) > R.subset_max_clause or _has_stop(head):
            continue
        if not any(head.startswith(w) for w in R.subset_openers):
            continue
        nxt = view[b.end:b.end + 1]
        if nxt and nxt not in "，,。；;！!？?\n":
            continue          # 已帮扶30名困难群众: a thing of its own
        if b.hi <= a.hi:
            _set_part(b, a, "part:subset " + head)


def _parts_by_share(figs: list[Fig], claims: list[Claim], spans: list[tuple[int, int]],
                    view: str, bounds: Boundaries, R: CountingRules) -> None:
    """A figure whose share of a group its sentence states is a part of the report's
    figure for that group: 机电产品出口7.8万亿元，增长9.5%，占出口总值的60% (出口13万亿元 nearby:
    7.8 / 13 is 60%, so the share is checked on the values as written); 自管党员207人，100%为
    志愿者 (注册志愿者1925人 just before: all 207 are among them)."""
    fig_at = {f.k: f for f in figs}
    for f in figs:
        if f.role != "total":
            continue
        for k in range(f.k + 1, len(claims)):
            ks, ke = spans[k]
            if ks >= f.sent[1] or k in fig_at:
                break                   # the sentence ends, or another figure of a counted class
            p = claims[k]
            if not p.is_claim or p.unit_class != "percent" or p.value is None:
                continue
            if p.approx not in (None, "exact"):
                continue        # 超六成, 近七成: too wide to single out the figure they are of
            total = _share_total(f, figs, p, ks, ke, view, bounds, R)
            if total is not None:
                _set_part(f, total, "part:share")
                break


def _share_total(f: Fig, figs: list[Fig], p: Claim, ps: int, pe: int, view: str,
                 bounds: Boundaries, R: CountingRules) -> Fig | None:
    head = view[bounds.clause(ps)[0]:ps]
    for w in R.share_openers:
        i = head.find(w)
        if i < 0:
            continue
        group = head[i + len(w):]
        for end in R.share_group_ends:
            j = group.find(end)
            if j >= 0:
                group = group[:j]
        pairs = _bigrams(group)
        if not pairs:
            return None
        p_lo, p_hi = interval(p, view[ps:pe])
        best: Fig | None = None
        for t in figs:
            if t is f or t.c.unit_class != f.c.unit_class or abs(t.start - f.start) > R.share_reach:
                continue
            if t.role not in ("total", "part", "restatement") or t.lo <= 0 or f.hi >= t.lo:
                continue
            if not pairs & _bigrams(to_simplified(t.c.subject or "")):
                continue
            if f.lo / t.hi <= p_hi / 100 and f.hi / t.lo >= p_lo / 100 and \
                    (best is None or abs(t.start - f.start) < abs(best.start - f.start)):
                best = t
        return best
    if float(p.value or 0) != 100:
        return None
    after = view[pe:bounds.clause(ps)[1]]
    verb = next((w for w in R.all_are if after.startswith(w)), "")
    if not verb:
        return None
    named = after[len(verb):]
    for t in reversed(figs):            # the nearest earlier figure of that group
        if t.start >= f.start or f.start - t.end > R.share_reach:
            continue
        s = to_simplified(t.c.subject or "")
        if t.c.unit_class == f.c.unit_class and len(s) >= 2 and named.startswith(s) and \
                t.role in ("total", "part", "restatement") and f.hi <= t.lo:
            return t
    return None


def _parts_by_list_member(figs: list[Fig], view: str, R: CountingRules,
                          seen: dict[tuple[int, int], frozenset[str]]) -> None:
    """One of the groups an earlier figure lists (126名…党员、生活困难党员和老党员老干部 … 走访
    慰问25位老党员老干部): a part of it, in its sentence or in the story of its headline."""
    listing: list[tuple[Fig, list[str]]] = []        # figures whose name lists groups
    for f in figs:
        groups = R.list_joiner_re.split(to_simplified(f.c.subject or "")) if f.c.subject else []
        if len(groups) >= 2:
            listing.append((f, groups))
    if not listing:
        return
    for b in figs:
        if b.role != "total" or b.headline or not b.c.subject:
            continue
        near = [(a, g) for a, g in listing
                if a.end <= b.start and b.start - a.end <= R.list_member_reach]
        if not near:
            continue
        name = to_simplified(b.c.subject)
        if len(name) < 2 or _names_other_group(b, view, R):
            continue
        for a, groups in reversed(near):
            if a.c.unit_class != b.c.unit_class or a.role not in ("total", "part", "restatement"):
                continue
            if b.hi >= a.lo or _other_period(a, b, view, R):
                continue
            if name not in groups and not _group_before(view, b.start, groups):
                continue
            if a.sent != b.sent and not (a.headline and _shared(
                    _bigrams_of(view, a.line, seen), _bigrams_of(view, b.sent, seen)) >= R.headline_overlap):
                continue
            _set_part(b, a, "part:list-member")
            break


def _group_before(view: str, start: int, groups: list[str]) -> bool:
    """One of the groups is named right before the figure (造成土耳其8574人遇难: the
    subject says what befell them, the word before whom)."""
    for g in groups:
        if len(g) >= 2 and start >= len(g) and view.endswith(g, 0, start):
            return True
    return False


# --------------------------------------------------------------- the same fact again

def _is_headline(view: str, line: tuple[int, int], R: CountingRules) -> bool:
    text = view[line[0]:line[1]].strip()
    if not text or len(text) > R.headline_max_chars or "|" in text:
        return False
    for ch in _FULL_STOP_CHARS:     # one `in` each: isdisjoint hashed every character
        if ch in text:
            return False
    return True


def _restate(f: Fig, first: Fig, reason: str) -> None:
    if f is first or _reaches(first, f):
        return
    f.role, f.of, f.reason = "restatement", _root(first), reason


def _restated_headlines(figs: list[Fig], view: str, R: CountingRules,
                        seen: dict[tuple[int, int], frozenset[str]]) -> None:
    """A headline figure and a figure elsewhere of the same class and value whose
    sentence says what the headline says: one fact; the first in text order is the
    total. (省委组织部划拨700万元党费… / …从…党费中划拨700万元，用于…)"""
    by_class: dict[str, list[Fig]] = {}
    for f in figs:
        by_class.setdefault(f.c.unit_class or "", []).append(f)
    for h in figs:
        if not h.headline or h.role not in ("total", "part", "restatement"):
            continue
        head = _bigrams_of(view, h.line, seen)
        for b in by_class.get(h.c.unit_class or "", []):
            if b is h or b.line == h.line or b.role not in ("total", "part", "restatement"):
                continue
            if not _same_value(h, b) or _other_period(h, b, view, R):
                continue
            other = _bigrams_of(view, b.line if b.headline else b.sent, seen)
            if _shared(head, other) < R.headline_overlap:
                continue
            first, later = (h, b) if h.start < b.start else (b, h)
            if later.role == "total":
                _restate(later, first, "restatement:headline")


def _bigrams_of(view: str, span: tuple[int, int],
                seen: dict[tuple[int, int], frozenset[str]]) -> frozenset[str]:
    got = seen.get(span)
    if got is None:
        got = seen[span] = _bigrams(view[span[0]:span[1]])
    return got


def _bigrams(text: str) -> frozenset[str]:
    """Pairs of adjacent Chinese characters (digits and punctuation left out)."""
    out: set[str] = set()
    # code points compared along the text (compiled: no object a character), one slice
    # per pair; a regex for the runs cost a match object and a group() call for each
    ideograph = False            # whether the character before is one
    for i in range(len(text)):
        c = ord(text[i])
        if 0x4E00 <= c <= 0x9FFF:
            if ideograph:
                out.add(text[i - 1:i + 1])
            ideograph = True
        else:
            ideograph = False
    return frozenset(out)


def _shared(head: frozenset[str], other: frozenset[str]) -> float:
    """The share of a headline's character pairs that the other text also has."""
    return len(head & other) / len(head) if head else 0.0


def _restated_totals(figs: list[Fig], view: str, R: CountingRules) -> None:
    """共计 repeating a number already given (发放慰问金10万元……共计发放10万元)."""
    for i, f in enumerate(figs):
        agg = f.c.aggregate
        if f.role != "total" or not agg or agg not in R.repeat_aggregates:
            continue
        for j in range(i - 1, -1, -1):
            g = figs[j]
            if f.start - g.end > R.repeat_reach:
                break
            if g.c.unit_class != f.c.unit_class or g.role not in ("total", "part"):
                continue
            if _same_value(g, f) and not _other_period(g, f, view, R):
                _restate(f, g, "restatement:" + agg)
                break


def _restated_groups(figs: list[Fig], view: str, R: CountingRules) -> None:
    """The same group of people named again (5名班子成员 … 班子5位成员): a restatement of
    the first mention, whatever the group does the second time."""
    seen: dict[tuple[Any, Any], list[Fig]] = {}
    for f in figs:
        if f.c.unit_class != "people":
            continue
        key = (f.c.value, f.c.approx)
        earlier = seen.setdefault(key, [])
        if f.role == "total" and not _names_other_group(f, view, R):
            for g in earlier:
                if g.role in ("total", "part", "restatement") and _same_group(g, f, view) \
                        and not _other_period(g, f, view, R):
                    _restate(f, g, "restatement:group")
                    break
        earlier.append(f)


def _names_other_group(f: Fig, view: str, R: CountingRules) -> bool:
    """另有3名士兵受伤, 又走访慰问了118名: the words say it is another group."""
    return R.other_group_re.search(view, f.clause[0], f.start) is not None


def _same_group(a: Fig, b: Fig, view: str) -> bool:
    """Whether one mention's name for the group is all in the words around the other."""
    na, nb = _name_words(a), _name_words(b)
    if not na or not nb:
        return False
    wa, wb = _window_words(a, view), _window_words(b, view)
    return nb <= wa or na <= wb


def _name_words(f: Fig) -> frozenset[str]:
    s = f.c.subject
    return _pieces(to_simplified(s)) if s else frozenset()


def _window_words(f: Fig, view: str) -> frozenset[str]:
    lo = max(f.clause[0], f.start - 8)
    hi = min(f.clause[1], f.end + 12)
    return _pieces(view[lo:f.start]) | _pieces(view[f.end:hi])


def _pieces(text: str) -> frozenset[str]:
    """Words of two or more characters, a four-character compound also as its two
    halves when both are words (班子成员 -> 班子成员, 班子, 成员)."""
    out: set[str] = set()
    for w in cut_forward(text):
        if len(w) < 2:
            continue
        out.add(w)
        if len(w) == 4 and is_word(w[:2]) and is_word(w[2:]):
            out.add(w[:2])
            out.add(w[2:])
    return frozenset(out)


def _periods(f: Fig, view: str, R: CountingRules) -> frozenset[str]:
    got = f.periods
    if got is None:
        s = view[f.sent[0]:f.start]
        found = set(R.period_re.findall(s))
        found.update(_YEAR.findall(s))
        got = f.periods = frozenset(found)
    return got


def _other_period(a: Fig, b: Fig, view: str, R: CountingRules) -> bool:
    """2023年发放50万元 … 2024年发放50万元: two facts."""
    pa, pb = _periods(a, view, R), _periods(b, view, R)
    return bool(pa) and bool(pb) and not (pa & pb)
