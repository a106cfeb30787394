"""Is a mention a reported quantity? If not, what is it?

Each rule returns (is_claim, kind, reason); the reason names the rule so a surprising
decision can be traced back (it is stored with the claim). Rules run in order and the
first that speaks decides; a quantity with a unit that no rule rejects is a claim.
The words each rule reads are data: data/rules/nonclaims.yaml (its classify: section).
"""
from __future__ import annotations

from typing import Final

import re
from functools import cache

from .. import rules
from . import segmenter
from .scanner import Mention, blanks_back
from .text_spans import Boundaries, after_sorted, char_table

Decision = tuple[bool, "str | None", str]

# The rule tables every mention reads, loaded once: through their functools cache they
# were some 90,000 calls per 100 bench files
_WORDS: Final = rules.classify_words()
_NONCLAIMS: Final = rules.nonclaims()
_NUMERALS: Final = rules.numerals()
_UNITS: Final = rules.units()
_APPROX: Final = rules.approx()
_NUMERAL_CHARS: Final = frozenset(_NUMERALS.all_chars)

# The word lists the rules read for every mention, as module constants of their own
# type: an attribute of a rules record read from the compiled build is a generic
# attribute look-up (about 200 instructions), a constant is a load
_ORDINAL_UNITS: Final[frozenset[str]] = _WORDS.ordinal_units
_ANNIVERSARY_UNITS: Final[frozenset[str]] = _WORDS.anniversary_units
_ORDINAL_BEFORE: Final[str] = _WORDS.ordinal_before
_ORDINAL_LIST_JOINERS: Final[frozenset[str]] = _WORDS.ordinal_list_joiners
_RANK_UNITS: Final[frozenset[str]] = _WORDS.rank_units
_RANK_BEFORE: Final[str] = _WORDS.rank_before
_ISSUE_UNITS: Final[frozenset[str]] = _WORDS.issue_units
_PHASE_UNITS: Final[frozenset[str]] = _WORDS.phase_units
_SESSION_UNITS: Final[frozenset[str]] = _WORDS.session_units
_WINDOW_AFTER: Final[tuple[str, ...]] = _WORDS.window_after
_ANNIVERSARY_BEFORE: Final[tuple[str, ...]] = _WORDS.anniversary_before
_ANNIVERSARY_AFTER: Final[tuple[str, ...]] = _WORDS.anniversary_after
_NEAR_WINDOW_UNITS: Final[frozenset[str]] = _WORDS.near_window_units
_DATE_NEXT: Final[frozenset[str]] = _WORDS.date_next
_REGULATION_UNITS: Final[frozenset[str]] = _WORDS.regulation_units
_REGULATION_HEADS: Final[tuple[str, ...]] = _WORDS.regulation_heads
_REGULATION_ISSUERS: Final[tuple[str, ...]] = _WORDS.regulation_issuers
_FREQUENCY_AFTER: Final[tuple[str, ...]] = _WORDS.frequency_after
_FREQUENCY_UNITS: Final[frozenset[str]] = _WORDS.frequency_units
_AGE_UNITS: Final[frozenset[str]] = _NONCLAIMS.age_units
_TALLY_UNITS: Final[frozenset[str]] = _WORDS.tally_units
# 20余伤: an approximate figure is still the next figure of a tally (approx.yaml's one-
# character inner suffixes: 余, 多, 几, 来, 许)
_TALLY_APPROX: Final[frozenset[str]] = frozenset(w for w in _APPROX.inner_suffix if len(w) == 1)
_ARTICLE_ONES: Final[frozenset[str]] = _WORDS.article_ones
_ARTICLE_KEEP_CLASSES: Final[frozenset[str]] = _WORDS.article_keep_classes
_INNER_SUFFIX: Final[frozenset[str]] = frozenset(_APPROX.inner_suffix)
# the longest word of the lists read with `_starts_with` / `_ends_with`: a slice that
# long at a position holds every word that starts (or ends) there
_WORD_REACH: Final[int] = max(len(x) for x in (
    _WINDOW_AFTER + _ANNIVERSARY_BEFORE + _ANNIVERSARY_AFTER + _REGULATION_HEADS
    + _REGULATION_ISSUERS + _FREQUENCY_AFTER + _WORDS.session_heads + _WORDS.phase_heads_after
    + _WORDS.phase_heads_before + _WORDS.event_heads + _WORDS.vehicle_heads + _WORDS.tally_verbs + _WORDS.duration_after + _WORDS.kept_up_by
    + (_RANK_BEFORE,)))


def _starts_with(view: str, words: tuple[str, ...], at: int) -> bool:
    """view.startswith(words, at) for 0 <= at <= len(view) and words of at most
    _WORD_REACH characters, none empty: the compiled build has a native startswith of
    a tuple but calls it with a position through Python (about 1,000 instructions)."""
    return view[at:at + _WORD_REACH].startswith(words)


def _ends_with(view: str, words: tuple[str, ...], end: int) -> bool:
    """view.endswith(words, 0, end) for 0 <= end <= len(view), on the same terms."""
    return view[max(0, end - _WORD_REACH):end].endswith(words)


def _starts_at(view: str, word: str, at: int) -> bool:
    """view.startswith(word, at) for at >= 0, as a bounded find (native)."""
    return view.find(word, at, at + len(word)) == at


def classify(m: Mention, view: str, bounds: Boundaries) -> Decision:
    if m.form != "qty":
        return _non_qty(m, view, bounds)
    # the rules in order, the first that speaks decides; called by name, so the compiled
    # build calls each directly instead of through its Python wrapper
    # (the unit as written, read once: the rules that read it take it as an argument)
    u = m.unit.written if m.unit is not None else None
    d = _code(m, view, bounds)
    if d is None:
        d = _furniture(m, view, bounds)
    if d is None:
        d = _dates(m, view, bounds, u)
    if d is None:
        d = _label(m, view, bounds)
    if d is None:
        d = _ordinal_units(m, view, bounds, u)
    if d is None:
        d = _named_rules(m, view, bounds, u)
    if d is None:
        d = _frequency(m, view, bounds, u)
    if d is None:
        d = _age(u)
    if d is None:
        d = _quoted(m, view, bounds)
    if d is None:
        d = _tally(m, view, bounds, u)
    if d is None:
        d = _idiom(m, view, bounds)
    if d is None:
        d = _article(m, view, bounds)
    if d is None:
        d = _kuai(m, view, bounds)
    if d is not None:
        return d
    if m.unit is None:
        return _unitless(m, view, bounds)
    return True, None, "quantity"


def _non_qty(m: Mention, view: str, b: Boundaries) -> Decision:
    if m.form == "frac":
        num, den = [int(x) for x in view[m.start:m.end].split("/")]
        if 0 < num < den <= 100:
            return True, None, "fraction"
        return False, "other", "fraction-like"
    if m.form == "dt" and _on_furniture_line(view, b.line(m.start)):
        return False, "meta", "publish time"
    return False, m.kind or "other", m.form


# --- rules for quantities, in order -----------------------------------------------

def _code(m: Mention, view: str, b: Boundaries) -> Decision | None:
    """A320, G20, 5G, H5N1: digits glued to Latin letters are part of a code or name."""
    # the characters either side as code points (0: none): a one-character slice each
    # made a string, and the minus signs were an attribute of the rules record
    s = m.start
    p = ord(view[s - 1]) if s else 0
    q = ord(view[m.end]) if m.end < len(view) else 0
    if p == 0x40 or q == 0x40 or ((p == 0x2E or p == 0x5F or p == 0x2D) and s >= 2
                                  and _letter_code(ord(view[s - 2]))):
        return False, "meta", "e-mail or address"      # @ or ._- after a letter
    if _letter_code(p) or (m.unit is None and _letter_code(q)):
        return False, "name", "code"
    if p and (_MINUS_TABLE[p] if p < 0x10000 else chr(p) in _MINUS_SIGNS) and s >= 2 \
            and _model_name_head(view[s - 2]):
        return False, "name", "model name (歼-20, 北溪-2)"
    return None


def _letter_code(c: int) -> bool:
    """Is code point `c` a Latin letter? (A compare of code points: a regex match for
    the one character cost more than the rest of the rule.)"""
    return 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


_MINUS_SIGNS: Final[str] = _NUMERALS.minus_signs
_MINUS_TABLE: Final = char_table(_MINUS_SIGNS)


def _model_name_head(ch: str) -> bool:
    """歼 of 歼-20, 溪 of 北溪-2: an ideograph before a hyphen that is no minus sign (not
    为-0.3%) and no unit closing the first end of a range (5年-10年, 5米-8米)."""
    return ("\u4e00" <= ch <= "\u9fff" and ch not in _NUMERALS.minus_after
            and ch not in _UNITS)


def _label(m: Mention, view: str, b: Boundaries) -> Decision | None:
    """当前版:07版, S-SAR 01星: a number written with a leading zero is a label (a page,
    an issue, a serial), never a count."""
    i = m.num_start
    if m.num_end - i >= 2 and view[i] == "0" and view[i + 1].isdigit() and view[m.end:m.end + 1] != "后":   # 00后: a generation
        return False, _WORDS.label_kind, "zero-padded number (07版)"
    return None


def _furniture(m: Mention, view: str, b: Boundaries) -> Decision | None:
    ls, le = b.line(m.start)
    if b.furniture_line(ls, le, _FURNITURE_LINE_WORDS):
        return False, "meta", "furniture line"
    if le - ls > 120:
        return None
    hit = _furniture_key(view, max(ls, m.start - 16), m.start)
    if hit is not None:
        return False, "meta", f"furniture: {hit}"
    return None


def _furniture_key(view: str, lo: int, hi: int) -> str | None:
    """What `_FURNITURE_KEY.search(view, lo, hi)` matches (the leftmost place, the
    longest word there), by a table of the words' first characters: a regex call and its
    match object cost more than the walk over the 16 characters before a figure.
    tests/test_extraction_speed_paths.py holds the two equal."""
    if not _KEY_TABLE:
        hit = _FURNITURE_KEY.search(view, lo, hi)
        return hit.group() if hit else None
    j = lo
    while j < hi:
        c = ord(view[j])
        if c < 0x10000 and _KEY_TABLE[c]:
            for w in _KEYS_BY_FIRST[c]:      # longest first, as the greedy alternation
                e = j + len(w)
                if e <= hi and view.find(w, j, e) == j:
                    return w
        j += 1
    return None


def _keys_by_first(words: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    out: dict[int, tuple[str, ...]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        out[ord(w[0])] = (*out.get(ord(w[0]), ()), w)
    return out


@cache
def _furniture_key_pattern() -> re.Pattern:
    return re.compile(rules.alternation(_NONCLAIMS.furniture_keys))


_OPENER_CHARS: Final = _WORDS.quote_openers     # one `in` each: cheaper than a class search
_FURNITURE_LINE_WORDS: Final = tuple(_NONCLAIMS.furniture_lines)
_FURNITURE_KEY: Final = _furniture_key_pattern()
# the furniture keys by first character (empty, and the regex kept, should one start
# beyond the Basic Multilingual Plane)
_KEYS_BY_FIRST: Final = _keys_by_first(tuple(_NONCLAIMS.furniture_keys))
_KEY_TABLE: Final = (char_table("".join(chr(c) for c in _KEYS_BY_FIRST))
                     if all(0 < c < 0x10000 for c in _KEYS_BY_FIRST) and all(_NONCLAIMS.furniture_keys)
                     else b"")


def _dates(m: Mention, view: str, b: Boundaries, u: str | None) -> Decision | None:
    w = _WORDS
    num = view[m.num_start:m.num_end]
    if u == "年":
        if len(num) == 4 and (num.startswith(("19", "20")) or all(c in w.positional_digits for c in num)):
            return False, "year", "year"
        if (_starts_with(view, _WINDOW_AFTER, m.end) or (m.prefix == "近" and m.value is not None and m.value <= 10)) \
                and not _kept_up(view, m.end, w):
            return False, "date", "time window (近两年来)"
        if _ends_with(view, _ANNIVERSARY_BEFORE, m.start):
            return False, "anniversary", "anniversary (建党100年)"
        if _starts_with(view, _ANNIVERSARY_AFTER, m.end) or (m.reading and m.reading.chinese and _only_multipliers(num)):
            return False, "anniversary", "centennial rhetoric (百年华诞)"
    if u == "月" or u == "日":
        if not _duration_cue(view, m):
            return False, "date", f"date ({u})"
    if u is not None and u in _NEAR_WINDOW_UNITS and _starts_with(view, _WINDOW_AFTER[:3], m.end) and m.prefix == "近":
        return False, "date", "time window"
    if m.unit is None and view[m.end:m.end + 1] in _DATE_NEXT:
        return False, "date", "date part"
    if m.unit is None and len(num) == 4 and num.startswith(("19", "20")) and m.value_max is None:
        nxt = view[m.end:m.end + 2]
        if nxt[:1] in w.range_marks or view[m.start - 1:m.start] in w.range_marks:
            return False, "year", "year range"
    return None


def _kept_up(view: str, pos: int, w: rules.ClassifyWords) -> bool:
    """24年来,他坚持无偿献血; 28年来，她坚守…: how long someone has kept at something is
    a duration, where 十年来，我国… is a time window."""
    for word in w.kept_up_windows:
        if _starts_at(view, word, pos):
            k = pos + len(word)
            return view[k:k + 1] in "，," and view[k + 1:k + 1 + _WORD_REACH].startswith(w.kept_up_by)
    return False


def _ordinal_units(m: Mention, view: str, b: Boundaries, u: str | None) -> Decision | None:
    w = _WORDS
    if u is not None and u in _ORDINAL_UNITS:
        return False, "ordinal", u
    if u is not None and u in _ANNIVERSARY_UNITS:
        return False, "anniversary", u
    ob = _ORDINAL_BEFORE
    if m.start and (_starts_at(view, ob, m.start - len(ob)) if m.start >= len(ob) else view.startswith(ob, m.start - len(ob))):
        return False, "ordinal", ob
    if m.start and view[m.start - 1] in _ORDINAL_LIST_JOINERS and _in_ordinal_list(view, m.start - 1, w):
        return False, "ordinal", "ordinal list"
    rb = _RANK_BEFORE
    if (u is None or u in _RANK_UNITS) and m.start >= len(rb) and _starts_at(view, rb, m.start - len(rb)) \
            and _rank(view, m.start - len(rb)):
        return False, "ordinal", "rank (前三名)"
    if u is not None and u in _ISSUE_UNITS and _after_year(view, m.start) and not view.startswith(w.issue_not_next, m.end):
        return False, "ordinal", "issue of a periodical (2021年12期)"
    if u is not None and u in _PHASE_UNITS and _phase(view, m, w):
        return False, "ordinal", "phase of a project (二期工程)"
    if u is not None and u in _SESSION_UNITS and _starts_with(view, w.session_heads, m.end):
        k = view.rfind(w.session_after, max(0, m.start - w.session_reach), m.start)
        if k >= 0 and not view[m.start].isdigit() and _names_only(view[k + len(w.session_after):m.start]):
            return False, "ordinal", "session"
    return None


def _rank(view: str, at: int) -> bool:
    """Is 前 at view[at] a word of its own (包揽前四名), not the end of a word (目前,
    之前, 年前) or of a time (几天前一位)?"""
    if at == 0:
        return True
    for k in (1, 2):
        if at - k >= 0 and segmenter.tag(view[at - k:at + 1]):
            return False
    unit = _UNITS.get(view[at - 1])
    return unit is None or unit.unit_class != "duration"


def _after_year(view: str, pos: int) -> bool:
    """Right after a year written in digits (2021年)?"""
    return pos >= 5 and view[pos - 1] == "年" and view[pos - 5:pos - 1].isdigit() and (
        pos == 5 or not view[pos - 6].isdigit())


_CLOSERS: Final = "”\"」’）)"


def _phase(view: str, m: Mention, w: rules.ClassifyWords) -> bool:
    """二期工程, 二期改造, “子午工程”二期, 东线一期工程: a numbered phase (a closing quote
    or bracket may stand between)."""
    e = m.end + 1 if view[m.end:m.end + 1] in _CLOSERS else m.end
    s = m.start - 1 if m.start and view[m.start - 1] in _CLOSERS else m.start
    return _starts_with(view, w.phase_heads_after, e) or _ends_with(view, w.phase_heads_before, s)


def _names_only(between: str) -> bool:
    """全国人大, 中央纪委: only names between a term and its session (not 十九届以来共召开)."""
    for word in segmenter.cut_anchored(between, True) if between else ():
        if not _cjk_word(word) or segmenter.tag(word).startswith(("v", "d", "p", "c", "f", "t")):
            return False
    return True


def _cjk_word(word: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in word)


def _in_ordinal_list(view: str, joiner: int, w: rules.ClassifyWords) -> bool:
    """第二、三期: the items before the joiner at view[joiner] are bare numerals back to
    a 第 (第一、二、三批 too)."""
    i = joiner
    lo = max(0, joiner - 12)
    digits = 0
    while i > lo:
        ch = view[i - 1]
        if ch.isdigit() or ch in _NUMERAL_CHARS:
            digits += 1
        elif ch in w.ordinal_list_joiners and digits:
            digits = 0
        else:
            return digits > 0 and view.startswith(w.ordinal_before, i - len(w.ordinal_before))
        i -= 1
    return False


def _named_rules(m: Mention, view: str, b: Boundaries, u: str | None) -> Decision | None:
    """省委三十条规定, 中央八项规定: numbered regulations named after their issuer;
    女子100米蛙泳: a sports event; 七座及七座以下小型客车: a class of vehicles."""
    if u is None:
        return None
    if u in _REGULATION_UNITS and _starts_with(view, _REGULATION_HEADS, m.end):
        if _ends_with(view, _REGULATION_ISSUERS, m.start):
            return False, "name", "numbered regulation"
    w = _WORDS
    if u in w.event_units and _starts_with(view, w.event_heads, m.end):
        return False, "name", "sports event (100米蛙泳)"
    if u in w.vehicle_units:
        # over the words of a seat range (及七座以下, 以下（含7座）) to the vehicle named
        k, stop = m.end, min(len(view), m.end + w.vehicle_reach)
        while k < stop and view[k] in w.vehicle_between:
            k += 1
        if _starts_with(view, w.vehicle_heads, k):
            return False, "name", "class of vehicles (七座以下小客车)"
    return None


def _frequency(m: Mention, view: str, b: Boundaries, u: str | None) -> Decision | None:
    """一年一次, 两年一次, 每半个月盘点一次: a rule's frequency, not a reported count."""
    w = _WORDS
    if m.unit is not None and m.unit.unit_class == "duration" and _starts_with(view, _FREQUENCY_AFTER, m.end):
        return False, "other", "frequency (一年一次)"
    if u in _FREQUENCY_UNITS and view[m.num_start:m.num_end] == "一":
        prev = view[max(0, m.start - 4):m.start]
        if prev.endswith(w.frequency_periods):
            return False, "other", "frequency (一年一次)"
    return None


def _age(u: str | None) -> Decision | None:
    if u in _AGE_UNITS:
        return False, "other", "age"
    return None


def _quoted(m: Mention, view: str, b: Boundaries) -> Decision | None:
    """Inside a short quotation (“六个一”, “四零”), a quoted event name (“侨这100年:…
    故事分享会”) or a title (《…20年祭》)."""
    if not _opener_before(view, m.start):
        return None        # the common case: no quote or title opens just before
    ls, le = b.line(m.start)
    lo = max(ls, m.start - 14)
    seg = view[lo:m.start]
    for op, cl in _WORDS.quote_pairs.items():
        i = seg.rfind(op)
        if i < 0 or (op == cl and seg.count(op) % 2 == 0):
            continue
        if cl in seg[i + 1:]:
            continue
        j = view.find(cl, m.end, min(le, m.end + 14))
        if j >= 0 and (j - (lo + i)) <= 14 and not _has_stop(view[m.end:j]):
            return False, "slogan", "quoted phrase"
    i, j = _enclosing(view, m, "“", "”", ls, le)
    if j >= 0 and not _has_stop(view[i:m.start] + view[m.end:j]) and view[m.end:j].endswith(
            _NONCLAIMS.quoted_name_heads):
        return False, "name", "inside a quoted event name"
    if _enclosing(view, m, "《", "》", ls, le)[1] >= 0:
        return False, "name", "inside a title"
    return None


def _opener_before(view: str, pos: int) -> bool:
    """Whether a quote or title opener stands in the 40 characters before `pos`: a
    look-up in the sorted places of the view's openers, found once per view (one `find`
    per opener through the text), instead of a slice and an `in` per opener for every
    mention."""
    last = _OPENERS[0]
    places = last[1] if last[0] is view else _opener_places(view)
    i = after_sorted(places, max(0, pos - _OPENER_REACH) - 1)    # bisect_left on ints
    return i < len(places) and places[i] < pos


def _opener_places(view: str) -> list[int]:
    places: list[int] = []
    for op in _OPENER_CHARS:
        i = view.find(op)
        while i >= 0:
            places.append(i)
            i = view.find(op, i + 1)
    places.sort()
    _OPENERS[0] = (view, places)
    return places


_OPENER_REACH: Final = 40
# the view whose opener places were found last and those places, as one pair (read
# and replaced whole, so threads extracting at once never mix two views' places)
_OPENERS: Final[list[tuple[str, list[int]]]] = [("", [])]


def _enclosing(view: str, m: Mention, op: str, cl: str, ls: int, le: int, reach: int = 40) -> tuple[int, int]:
    """(opener, closer) positions of a pair around the mention on its line, each within
    `reach` characters of it; (-1, -1) when there is none."""
    i = view.rfind(op, max(ls, m.start - reach), m.start)
    if i < 0 or cl in view[i:m.start]:
        return -1, -1
    j = view.find(cl, m.end, min(le, m.end + reach))
    return (i, j) if j >= 0 else (-1, -1)


def _has_stop(s: str) -> bool:
    return any(c in s for c in _WORDS.clause_stops)


def _tally(m: Mention, view: str, b: Boundaries, u: str | None) -> Decision | None:
    """4金2银1铜, 再夺一金, 致10死48伤: a medal or casualty figure beside another, or a
    medal after a verb of winning, is a count; any other (五金, 千金, 五险一金, 之一金门,
    九死一生) is part of a word."""
    w = _WORDS
    if u is None or u not in _TALLY_UNITS:
        return None
    if m.reading is not None and not _only_multipliers(view[m.num_start:m.num_end]):
        if _numeral_then(view, m.end, w.tally_units) or (
                m.start >= 2 and view[m.start - 1] in w.tally_units and _is_numeral(view[m.start - 2])):
            return True, None, "medal tally (4金2银1铜)"   # casualties share the reason
        for e in range(m.start, max(0, m.start - w.tally_verb_gap) - 1, -1):
            if _ends_with(view, w.tally_verbs, e):
                return True, None, "medals won (再夺一金)"
    return False, "other", f"{u} in a word (五金, 千金)"


def _is_numeral(ch: str) -> bool:
    return ch.isdigit() or ch in _NUMERAL_CHARS


def _numeral_then(view: str, pos: int, units: frozenset[str]) -> bool:
    """A numeral run at `pos` followed by one of `units` (the next figure of a tally),
    perhaps approximate (2死20余伤)."""
    j, n = pos, min(len(view), pos + 8)
    while j < n and _is_numeral(view[j]):
        j += 1
    if j > pos and view[j:j + 1] in _TALLY_APPROX:
        j += 1
    return j > pos and view[j:j + 1] in units


def _idiom(m: Mention, view: str, b: Boundaries) -> Decision | None:
    """一次性, 四面八方, 千家万户, 一个个: the numeral is part of a word or a
    reduplication, not a count."""
    if m.reading is None or not m.reading.chinese or m.unit is None:
        return None
    if m.num_end - m.num_start == 1 and view[m.num_start] == "零" and not m.prefix:
        # 精密零件, 零部件: a lone 零 before a classifier opens a word; nothing counted
        # is written 0件 or 零 alone (伤亡人数为零)
        return False, "other", "part of a word (零件)"
    u = m.unit.written
    if _reduplicated(view, m.end, u):
        return False, "other", "reduplication"
    # 上百人, 近千名: an approximation word before a multiplier makes a dictionary word
    # that is still a count (but 近两天, 上一年 are windows in time)
    prefix = m.prefix if m.unit.unit_class != "duration" else ""
    w = segmenter.crosses_word(view, m.start, m.end)
    if w and not _is_count_word(w, prefix):
        return False, "other", f"part of the word {w}"
    span = view[m.start:m.end]
    t = segmenter.tag(span)
    if t and t[0] not in "mq" and not _is_count_word(span, prefix):
        return False, "other", f"the word {span} ({t})"    # 拾起 is a verb, not ten incidents
    return None


def _reduplicated(view: str, end: int, u: str) -> bool:
    """一个个, 一个又一个: the classifier `u` written again right after the figure, or
    又一 and its first character. Bounded finds on the view: the rule sliced the three
    characters after and built 又一+u by concatenation for every figure with a Chinese
    numeral. (It also compared view[start - 2:start] with "一" + u[:1] + "又", two
    characters with three: never true, so left out.) tests/test_extraction_speed_paths.py
    holds it to the rule as first written."""
    if not u:
        return True                     # "" starts every string
    if len(u) <= 3 and view.find(u, end, end + len(u)) == end:
        return True
    # 又一 + the classifier's first character, within the three characters after
    return view.find("又一", end, end + 2) == end and view.find(u[0], end + 2, end + 3) == end + 2


def _is_count_word(w: str, prefix: str = "") -> bool:
    """Dictionary entries that are still counts: 两名专家 has 两名, 一万元 has 一万, and
    after the mention's own approximation word, 上百户, 近千名, 数万人, 几百户."""
    if prefix and w.startswith(prefix):
        w = w[len(prefix):]
    body = w[:-1]
    return (body != "" and body[0] in _NUMERAL_CHARS
            and all(c in _NUMERAL_CHARS or c in _INNER_SUFFIX for c in body)
            and w[-1] in _UNITS)


def _article(m: Mention, view: str, b: Boundaries) -> Decision | None:
    """一 + classifier used as an article (一批, 一次深刻的教育, 作为一名党员)."""
    if m.reading is None or m.unit is None or m.prefix:
        return None
    num = view[m.num_start:m.num_end]
    w = _WORDS
    if num in _ARTICLE_ONES and m.approx == "exact" and m.unit.unit_class not in _ARTICLE_KEEP_CLASSES:
        if _per_before(view, m.start, w.article_per_gap):
            return None     # 每人只保留一台: one each is an amount
        return False, "other", "一 + classifier (article)"
    return None


def _per_before(view: str, pos: int, gap: int) -> bool:
    """每人, 每个县 … within `gap` characters before `pos`, in the same clause (not 每年,
    每个月: one a year is a frequency)."""
    w = _WORDS
    window = view[max(0, pos - gap - 3):pos]
    cut = max(window.rfind(c) for c in w.clause_stops)
    window = window[cut + 1:]
    k = window.rfind("每")     # the nearest decides (每个班级每个月开展一次: a frequency)
    return k >= 0 and window[k + 1:k + 2] in w.article_per_units and window[k + 2:k + 3] not in w.article_per_not_next


def _kuai(m: Mention, view: str, b: Boundaries) -> Decision | None:
    """块 is money only at the end of an amount (捐了100块); 一块牌子 is an object."""
    if (m.unit is not None and m.unit.written == "块" and m.end < len(view)
            and view[m.end] not in _WORDS.kuai_money_next):
        m.unit = rules.Unit("块", "块", "items", m.unit.factor)
    return None


def _unitless(m: Mention, view: str, b: Boundaries) -> Decision:
    ls, _ = b.line(m.start)
    num = view[m.num_start:m.num_end]
    if (len(num) <= 2 and num.isdigit() and blanks_back(view, m.start) <= ls
            and "\u4e00" <= view[m.num_end:m.num_end + 1] <= "\u9fff"):
        return False, "list_marker", "number at line start"   # "4形成了…": a list number without 、
    if any(c in _NUMERALS.big_units for c in num) and m.reading and not _only_multipliers(num):
        return True, None, "figure with 万/亿, unit implied"
    if m.prefix and m.value is not None and m.value >= 100:
        return True, None, "approximate figure, unit implied"
    return False, "other", "number without unit"


def _only_multipliers(num: str) -> bool:
    n = _NUMERALS
    return all(c in n.small_units or c in n.big_units for c in num)


def _duration_cue(view: str, m: Mention) -> bool:
    before = view[max(0, m.start - 4):m.start]
    if before.endswith(_NONCLAIMS.duration_cues):
        return True
    return _starts_with(view, _WORDS.duration_after, m.end)


@cache
def _furniture_line_keys() -> tuple[str, ...]:
    nc = _NONCLAIMS
    return tuple(nc.furniture_keys) + tuple(nc.furniture_lines)


def _on_furniture_line(view: str, line: tuple[int, int]) -> bool:
    ls, le = line
    if le - ls > 160:        # the length first: a long line is never sliced
        return False
    text = view[ls:le].rstrip("\n")
    return len(text) < 160 and any(k in text for k in _furniture_line_keys())


# --- the class of a classifier that counts different things (个, 项, 批, 期) ---------

def unit_class_of(written: str, default: str, subject: str | None, view: str, m: Mention,
                  clause: tuple[int, int]) -> str:
    """个部门 is orgs, 个问题 items, 项活动 events, 两个孩子 people: among the classes
    the classifier allows (units.yaml by_subject), a cue word around the figure decides
    first (分两批开展: batches are events), then the head word of the subject."""
    allowed = _CLASSES_BY_SUBJECT[written]
    for unit, cue_class, before, in_clause in _CLASS_CUES:
        if unit != written or cue_class not in allowed:
            continue
        if before and view.endswith(before, 0, m.start):
            return cue_class
        if in_clause and any(w in view[clause[0]:m.start] for w in in_clause):
            return cue_class
    heads = _HEADS
    # the words right after the classifier, cut once: both readings of them below cut
    # the same window (a cut and a tag per word, about 10,000 instructions)
    window = view[m.end:m.end + _NOUN_WINDOW]
    words = segmenter.cut_forward(window)
    # 8个公司级重点项目, 112个部门及…: the noun phrase written right after the classifier
    # is what it counts; its head (the first conjunct's) decides before the subject
    cls = _class_after(words, heads)
    if cls is not None and cls in allowed:
        return cls
    known = False
    if subject:
        head = subject.replace("(", "（").split("（")[0]
        # 省区市和新疆生产建设兵团: the first of a list of things decides, else the last
        first = _CONJUNCTION.split(head, 1)[0]
        for part in ((first, head) if first != head else (head,)):
            for k in range(min(len(part), _MAX_HEAD), 0, -1):
                cls = heads.get(part[-k:])
                if cls in allowed:
                    return cls
                known = known or cls is not None
    if not known:
        # no known head at the subject's end (157个单位深入开展…教育, 两个孩子上学): the
        # head of the nouns right after the classifier
        cls = heads.get(_noun_after(window, words))
        if cls is not None:
            return cls if cls in allowed else default
    return default


def _class_after(words: list[str], heads: dict[str, str]) -> str | None:
    """The class of the head of the nouns right after a classifier (公司 级 重点项目 ->
    项目 -> items; 部门 及 … -> 部门), read up to the first word that is not a noun or
    a measure; None when the last of them ends in no known head, or when a verb is
    followed by 的 (18个群众反映强烈的难题: a relative clause names no head).
    `words`: the cut of the _NOUN_WINDOW characters after the classifier."""
    run: list[str] = []
    for i, word in enumerate(words):
        t = segmenter.tag(word)
        if t.startswith("n") or t in _NOMINAL_TAGS or (t == "q" and run):
            run.append(word)
            continue
        if word != "的" and "的" in "".join(words[i:]):
            return None
        break
    else:
        return None     # the window ends inside the nouns: the head may come later
    if not run:
        return None
    head = run[-1]      # the last noun is the head; a modifier before it never decides
    for k in range(min(len(head), _MAX_HEAD), 0, -1):
        cls = heads.get(head[-k:])
        if cls is not None:
            # 重点项目 ends in 项目; 开展调研 (a verb and its object, tagged a noun) does
            # not end in 调研
            rest = head[:-k]
            return None if rest and segmenter.tag(rest).startswith("v") else cls
    return None


# besides nouns (n, nt, ns …): verbal nouns, abbreviations and distinguishing words
# (政协委员服务联络处, 安理会非常任理事国)
_NOMINAL_TAGS: Final = frozenset(("vn", "j", "b"))


def _noun_after(window: str, words: list[str]) -> str:
    """The first word after the classifier when it is a noun standing alone, the next
    word not a noun (单位 of 单位深入开展, 省份 of 省份启动); "" otherwise: in 国家数字乡村试点名单 or
    社区图书共享系统 the head comes later, and a 的 soon after makes the words a relative
    clause (18个群众反映强烈的难题: 群众 is not what is counted). `window`: the
    _NOUN_WINDOW characters after the classifier, `words` its cut."""
    if "的" in window:
        return ""
    if len(words) < 2 or segmenter.tag(words[1]).startswith("n"):
        return ""
    return words[0]


_CONJUNCTION: Final = re.compile("|".join(sorted(map(re.escape, rules.phrase_chars().conjunctions), key=len, reverse=True)))
_MAX_HEAD: Final = 6
_NOUN_WINDOW: Final = 10


@cache
def _head_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in (rules.subject_words(), rules.class_heads()):
        for cls, words in table.items():
            for w in words:
                out.setdefault(w, cls)
    return out


# the tables every classifier's class reads, loaded once (through their functools cache
# they were three Python calls a figure)
_CLASSES_BY_SUBJECT: Final = rules.classes_by_subject()
_CLASS_CUES: Final = rules.class_cues()
_HEADS: Final = _head_words()
