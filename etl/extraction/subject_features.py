"""The features of one candidate subject (`Candidate`): where it stands (side,
distance, clause and sentence), what its head word names against what the classifier
counts (名 wants people, 元 a fund), attribute and status words closing it, verbs
between it and the figure. The weights in data/rules/subject_weights.yaml score them
(`subjects`).
"""
from __future__ import annotations

from typing import Final

from mypy_extensions import i64, mypyc_attr

from .. import rules
from .subject_words import (GENERIC_MONEY, HEADS, LEFT_CUES, STOP_CHARS, TOKEN_CACHE_MAX,
                            Token, WINDOW, head_class, head_class_cut, listed_head, stop_in,
                            tokens)
from .text_spans import char_table

_R: Final = rules.subject_rules()


@mypyc_attr(acyclic=True)      # (it holds ints and floats: no cycle, no collector)
class Candidate:
    """A span of the view offered as the subject, with its features: the slot numbers
    (`slot`) in the order they were first set, as a dict's insertion order would keep
    them, and their values. A value is 1.0 but for the distance and the rank, kept
    unboxed in fields, and any other set through the general methods (`others`). The
    score is summed as features are added, in that order, so it is the sum a dict gave;
    a value changed after it was added, or new weights, make `score` sum again. The
    order is packed in two native words (`_ORDER_WORD` slots of 8 bits in each): no
    list per candidate, but when a slot does not fit (past 255, or past the two words:
    a candidate has 4-13 features), all of them go to a list (`spill`)."""

    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.hi = hi
        self.order: i64 = 0       # the first slots set, 8 bits each, the first lowest
        self.order2: i64 = 0      # the next ones
        self.n: i64 = 0           # how many slots are set
        self.spill: list[int] | None = None    # all of them, once one did not fit
        # bit s: slot s (< _MASKED) is among `slots`; `has` was a scan of the boxed list
        # (366,000 calls per 100 reports, nearly all of the fixed slots below)
        self.mask: i64 = 0
        self.dist = 0.0           # the value of S_DIST, when set
        self.rank = 0.0           # the value of S_RANK, when set
        self.others: dict[int, float] | None = None    # other slots' values but 1.0
        self.total = 0.0          # weight x value of the slots added, in their order
        self.weighed = _WEIGHING[0]     # the weights `total` was summed with
        self.resum = False        # a value changed after `total` took it
        self.featured = False     # `features` has run on it

    @property
    def slots(self) -> list[int]:
        """The slot numbers in the order first set."""
        spill = self.spill
        if spill is not None:
            return list(spill)
        out: list[int] = []
        for i in range(self.n):
            out.append(self._slot_at(i))
        return out

    def _slot_at(self, i: i64) -> int:
        """The i-th slot set (not spilled)."""
        if i < _ORDER_WORD:
            return int((self.order >> (i * 8)) & 255)
        return int((self.order2 >> ((i - _ORDER_WORD) * 8)) & 255)

    def _append(self, s: int) -> None:
        """Slot s set after the others."""
        n = self.n
        spill = self.spill
        if spill is None and 0 <= s < 256 and n < 2 * _ORDER_WORD:
            code: i64 = s
            if n < _ORDER_WORD:
                self.order |= code << (n * 8)
            else:
                self.order2 |= code << ((n - _ORDER_WORD) * 8)
        else:
            if spill is None:
                spill = self.spill = self.slots
            spill.append(s)
        self.n = n + 1

    def has(self, s: int) -> bool:
        if s < _MASKED:
            return (self.mask >> s) & 1 != 0
        spill = self.spill
        if spill is not None:
            return s in spill
        for i in range(self.n):
            if self._slot_at(i) == s:
                return True
        return False

    def get(self, s: int, default: float) -> float:
        if not self.has(s):
            return default
        return self._value(s)

    def _value(self, s: int) -> float:
        """The value of slot s, known to be set."""
        if s == S_DIST:
            return self.dist
        if s == S_RANK:
            return self.rank
        others = self.others
        if others is not None:
            got = others.get(s)
            if got is not None:
                return got
        return 1.0

    def _keep(self, s: int, v: float) -> None:
        """Hold v as slot s's value (1.0 goes without saying, but over another value)."""
        if s == S_DIST:
            self.dist = v
        elif s == S_RANK:
            self.rank = v
        else:
            others = self.others
            if v != 1.0:
                if others is None:
                    others = self.others = {}
                others[s] = v
            elif others is not None and s in others:
                del others[s]

    def set(self, s: int, v: float) -> None:
        """Set feature slot s to v: a feature set again keeps its place."""
        if (self.mask >> s) & 1 != 0 if s < _MASKED else self.has(s):
            self._keep(s, v)
            self.resum = True
        else:
            self.add(s, v)

    def add(self, s: int, v: float) -> None:
        """Set feature slot s, known not to be set yet, to v."""
        if s < _MASKED:
            code: i64 = s
            # (a literal 1 << s is shifted by mypyc as a 32-bit C int: bits from 32 on wrap)
            self.mask |= (code - code + 1) << code
        self._append(s)
        if v != 1.0 or s == S_DIST or s == S_RANK:
            self._keep(s, v)
        if s < len(_SLOT_WEIGHTS):     # (a number no name was given weighs nothing)
            w = _SLOT_WEIGHTS[s]
            if w != 0.0:
                self.total += w * v

    def setdefault(self, s: int, v: float) -> None:
        if not self.has(s):
            self.add(s, v)

    def score(self) -> float:
        """The weighted sum, added in the order the features were first set (a feature
        without a weight adds nothing: its slot weighs 0.0, skipped)."""
        if self.resum or self.weighed != _WEIGHING[0]:
            w = _SLOT_WEIGHTS
            s = 0.0
            for k in self.slots:
                wk = w[k]
                if wk != 0.0:
                    s += wk * self._value(k)
            self.total = s
            self.weighed = _WEIGHING[0]
            self.resum = False
        return self.total

    @property
    def feats(self) -> dict[str, float]:
        """The features by name (for the trainer's trace and the tools), in the order set."""
        out: dict[str, float] = {}
        for k in self.slots:
            out[_SLOT_NAMES[k]] = self._value(k)
        return out


# the slots `Candidate.mask` holds: the first ones (the fixed names below, then the
# weighted names), as many as a tagged int's bits take without a long integer
_MASKED: Final = 60
_ORDER_WORD: Final = 7     # slots of 8 bits in a word of `Candidate.order` (the sign bit unused)


def slot(name: str) -> int:
    """The slot of a feature's name, given on first sight (the names crossed with a class
    or a head class are made as they come)."""
    got = _SLOT_OF.get(name)
    if got is None:
        got = _SLOT_OF[name] = len(_SLOT_NAMES)
        _SLOT_NAMES.append(name)
        _SLOT_WEIGHTS.append(_WEIGHT_OF.get(name, 0.0))
    return got


def slot_name(k: int) -> str:
    return _SLOT_NAMES[k]


def weigh_slots(weights: dict[str, float]) -> None:
    """Score with these weights (name -> weight) from now on."""
    _WEIGHT_OF.clear()
    _WEIGHT_OF.update(weights)
    for name in weights:
        slot(name)
    for k in range(len(_SLOT_NAMES)):
        _SLOT_WEIGHTS[k] = _WEIGHT_OF.get(_SLOT_NAMES[k], 0.0)
    _WEIGHING[0] += 1      # the candidates' sums so far were of the old weights


_SLOT_OF: Final[dict[str, int]] = {}
_SLOT_NAMES: Final[list[str]] = []
_SLOT_WEIGHTS: Final[list[float]] = []
_WEIGHT_OF: Final[dict[str, float]] = {}
_WEIGHING: Final[list[int]] = [0]     # how many times the weights were set (`weigh_slots`)

# the slots of the names set or asked for by name (each a fixed slot, the first ones)
S_DIST: Final = slot("dist")
S_FIT: Final = slot("fit")
S_GENERIC: Final = slot("generic")
S_IN_TITLE: Final = slot("in_title")
S_INNER_VERB: Final = slot("inner_verb")
S_INSIDE_REL: Final = slot("inside_rel")
S_K_AFTER_DE: Final = slot("k:after_de")
S_K_RECENT: Final = slot("k:recent")
S_K_REL: Final = slot("k:rel")
S_K_RIGHT_WEAK: Final = slot("k:right_weak")
S_LEN1: Final = slot("len1")
S_LONG: Final = slot("long")
S_MISFIT: Final = slot("misfit")
S_OUT_CLAUSE: Final = slot("out_clause")
S_OUT_SENTENCE: Final = slot("out_sentence")
S_PREP_ACTOR: Final = slot("prep_actor")
S_PREP_OBJECT: Final = slot("prep_object")
S_RIGHT_SIDE: Final = slot("right_side")
S_STARTS_VERB: Final = slot("starts_verb")
S_RIGHT_VERB: Final = slot("right_verb")
S_TAKEN: Final = slot("taken")
S_K_RIGHT: Final = slot("k:right")
S_K_STRIPPED: Final = slot("k:stripped")
S_RANK: Final = slot("rank")
S_RECENT_SAME_UNIT: Final = slot("recent_same_unit")
S_RECENT_SAME_SENTENCE: Final = slot("recent_same_sentence")
S_RECENT_TOTAL: Final = slot("recent_total")
S_NO_LOCAL_FIT: Final = slot("no_local_fit")
S_MOVED: Final = slot("moved")
S_VERB_BETWEEN: Final = slot("verb_between")


def verb_from(toks: tuple[Token, ...], lo: int, at: int) -> bool:
    """A verb (not a cue such as 达, 为, 共计) among the words from view offset `at` on
    whose object is the figure (toks start at view offset lo): not when a noun stands
    right before the figure (…服务中心达标建设10家: what was done, named by a noun, and
    the phrase before the verb is what is counted)."""
    pos = lo
    found = False
    last = ""
    for w, c in toks:
        if pos >= at:
            if c == "V" and w not in LEFT_CUES:
                found = True
                last = "V"
            elif c != "S":
                last = c
        pos += len(w)
    return found and last != "N"


def verb_until(toks: tuple[Token, ...], lo: int, at: int) -> bool:
    """A verb among the words before view offset `at` (toks start at view offset lo)."""
    pos = lo
    for w, c in toks:
        if pos >= at:
            break
        if c == "V" and w not in LEFT_CUES:
            return True
        pos += len(w)
    return False


def info(text: str) -> tuple[str, bool, bool, int]:
    """What the features read of a phrase, memoised: (head class, starts with a verb,
    a verb inside, characters of attribute and status words closing it)."""
    info = _INFO_CACHE.get(text)
    if info is None:
        toks = tokens(text, True, True)
        inner = False
        for k in range(1, len(toks) - 1):
            if toks[k][1] == "V":
                inner = True
                break
        k = len(toks)
        cut = 0
        while k > 1 and (toks[k - 1][0] in _ATTRIBUTE_WORDS or toks[k - 1][0] in _STATUS_WORDS
                         or (len(toks[k - 1][0]) == 1 and toks[k - 1][0] in _ATTRIBUTE_CHARS)):
            cut += len(toks[k - 1][0])
            k -= 1
        if cut and k >= 1 and toks[k - 1][0] in _ATTRIBUTE_PREFIX_CHARS:
            cut += len(toks[k - 1][0])      # 冰雪产业总|规模: 总 qualifies the attribute word
        info = (head_class_cut(text, toks), bool(toks) and toks[0][1] == "V", inner and len(text) > 2, cut)
        if len(_INFO_CACHE) >= TOKEN_CACHE_MAX:
            _INFO_CACHE.clear()
        _INFO_CACHE[text] = info
    return info


_INFO_CACHE: Final[dict[str, tuple[str, bool, bool, int]]] = {}


def fitting_prefix(view: str, span: tuple[int, int], uc: str, unit: str) -> tuple[int, int] | None:
    """The longest part of the noun phrase at `span`, cut at a word boundary, whose listed
    head fits the classifier, when the whole phrase's head is of a class it does not
    count (7名困难群众微心愿: 名 counts 困难群众, not 微心愿); else None. A classifier whose
    class the subject decides (个, 项) fits every class it may take; a phrase led by a
    verb (启动中小企业专项服务行动) names an act, and is not cut."""
    expected = _FITS_BY_UNIT.get(unit) or _FITS.get(uc)
    lo, hi = span
    text = view[lo:hi]
    hc = head_class(text)
    if expected is None or hc in expected or hc in _UNDECIDED_HEADS:
        return None
    toks = tokens(text, False, True)
    if not toks or toks[0][1] != "N":
        return None
    cut = len(text)
    for k in range(len(toks) - 1, 0, -1):
        cut -= len(toks[k][0])
        if cut > 1 and toks[k - 1][1] == "N" and listed_head(text[:cut]) in expected:
            return lo, lo + cut
    return None


def fits_head(text: str, uc: str, unit: str) -> bool:
    """The head word of `text` is of a class the classifier counts (a classifier whose class
    the subject decides, 个, fits every class it may take)."""
    expected = _FITS_BY_UNIT.get(unit) or _FITS.get(uc)
    return expected is not None and head_class(text) in expected


def fits_only_whole(view: str, part: tuple[int, int], whole: tuple[int, int], uc: str, unit: str) -> bool:
    """The classifier counts the head of `whole` (a listed head) and not that of `part`,
    the words it starts with (4个国际组织: 个 counts 组织, not 国际)."""
    if unit not in _GENERAL_CLASSIFIERS and uc not in _COMPOUND_CLASSES:
        return False     # 80多辆拖拉机堵塞道路: a measure of a kind of thing counts the noun after it
    expected = _FITS_BY_UNIT.get(unit) or _FITS.get(uc)
    if expected is None or head_class(view[part[0]:part[1]]) in expected:
        return False
    text = view[whole[0]:whole[1]]
    for k in range(min(len(text), _MAX_HEAD), 1, -1):     # a head word, not a suffix character (上市)
        cls = HEADS.get(text[-k:])
        if cls is not None:
            return cls in expected
    return False


_GENERAL_CLASSIFIERS: Final = frozenset(str(u) for u in _R["general_classifiers"])
_COMPOUND_CLASSES: Final = frozenset(str(u) for u in _R["general_classifier_classes"])
_MAX_HEAD: Final = max(map(len, HEADS)) if HEADS else 1


def features(c: Candidate, view: str, start: int, end: int, uc: str,
              clause: tuple[int, int], sentence: tuple[int, int]) -> None:
    """The features of one candidate: where it stands, and what its head word names
    against what the classifier counts. Only `features` sets these names, so on its first
    run over a candidate they are new and appended without a search."""
    again = c.featured
    c.featured = True
    text = view[c.lo:c.hi]
    if c.lo >= end:
        _put(c, again, S_RIGHT_SIDE, 1.0)
        dist = c.lo - end
    else:
        dist = max(0, start - c.hi)
    _put(c, again, S_DIST, min(dist, _DIST_CAP) / 10.0)
    if c.hi <= clause[0] or c.lo >= clause[1]:
        _put(c, again, S_OUT_CLAUSE, 1.0)
    if c.hi <= sentence[0] or c.lo >= sentence[1]:
        _put(c, again, S_OUT_SENTENCE, 1.0)
    n = len(text)
    if n == 1:
        _put(c, again, S_LEN1, 1.0)
    elif n > 10:
        _put(c, again, S_LONG, 1.0)
    hc, first_verb, inner_verb, _ = info(text)
    hs = head_slots(uc, hc)
    _put(c, again, hs.hc, 1.0)
    if inner_verb:
        _put(c, again, S_INNER_VERB, 1.0)
    # (the kinds are asked once each: no feature set below is a kind)
    recent = c.has(S_K_RECENT)
    after_de = c.has(S_K_AFTER_DE)
    rel = c.has(S_K_REL)
    right_weak = c.has(S_K_RIGHT_WEAK)
    _put(c, again, hs.crossed, 1.0)
    # the kinds of _CROSS_KINDS, in its order (written out: no tuple iterator per candidate)
    if right_weak or recent or after_de or rel:
        kinds = hs.kinds
        if right_weak:
            _put(c, again, _kind_slot(kinds, 0, uc), 1.0)
        if recent:
            _put(c, again, _kind_slot(kinds, 1, uc), 1.0)
        if after_de:
            _put(c, again, _kind_slot(kinds, 2, uc), 1.0)
        if rel:
            _put(c, again, _kind_slot(kinds, 3, uc), 1.0)
    if first_verb:
        _put(c, again, S_STARTS_VERB, 1.0)   # 侵袭公司主营区域, 建立长效机制: what was done, not who or what
        if c.lo >= end:
            _put(c, again, S_RIGHT_VERB, 1.0)    # 突破80亿元 领跑全球电影市场: after the figure, the next predicate
    if c.lo >= end and not rel and not after_de:
        # a 的 before the first stop in the window; the stop is looked for only when
        # a 的 is there (the find costs less than the regex)
        k = view.find("的", c.hi, c.hi + WINDOW)
        if k >= 0 and not _DE_STOPS and stop_in(view, c.hi, k) < 0:
            _put(c, again, S_INSIDE_REL, 1.0)    # 3000余件[局干部职工…捐赠的]时令衣服
    if recent and c.lo >= clause[0] and c.hi <= clause[1]:
        _put(c, again, S_TAKEN, 1.0)         # 660多万名党员、8.4万名领导干部: 党员 is the figure's before
    if text in GENERIC_MONEY:
        _put(c, again, S_GENERIC, 1.0)
    # the characters around it, tested by table (no one-character strings per candidate)
    title_before = c.lo >= 1 and _is(view, c.lo - 1, _TITLE_OPEN_TABLE, _TITLE_OPEN)
    if title_before or (c.hi < len(view) and _is(view, c.hi, _TITLE_CLOSE_TABLE, _TITLE_CLOSE)):
        _put(c, again, S_IN_TITLE, 1.0)      # 被《安徽信息》采用14篇: a publication named, not what is counted
    if c.hi <= start and c.lo >= 1 and _is(view, c.lo - 1, _PREPOSITION_TABLE, _PREPOSITIONS):
        _put(c, again, S_PREP_OBJECT, 1.0)   # 被…采用, 向…捐赠: the object of a preposition
    elif c.hi <= start and c.lo >= 2 and _is(view, c.lo - 2, _PREPOSITION_TABLE, _PREPOSITIONS) and title_before:
        _put(c, again, S_PREP_OBJECT, 1.0)
    if c.hi < start and _is(view, c.hi, _PREPOSITION_TABLE, _PREPOSITIONS) and prep_with_object(view, c.hi, start):
        _put(c, again, S_PREP_ACTOR, 1.0)    # 工委对机关党委发文不超过25个: who acts, not what is counted
    if hs.fit >= 0:
        _put(c, again, hs.fit, 1.0)


def prep_with_object(view: str, k: int, start: int) -> bool:
    """The word at view[k] is a preposition, read as the segmenter cuts it (not 同 of
    同比 nor 将 of 将超过), and the word after it a noun, its object (对机关党委: the phrase
    before acts on someone; not 从去年, 从2020年: where a change starts in time)."""
    toks = tokens(view[k:min(start, k + _PREP_READ)])
    return len(toks) >= 2 and toks[0][0] in _PREPOSITIONS and toks[1][1] == "N"


def _put(c: Candidate, again: bool, s: int, v: float) -> None:
    if again:
        c.set(s, v)       # (a candidate met twice: as a dict, each name keeps its place)
    else:
        c.add(s, v)


def _is(view: str, k: int, table: bytes, chars: frozenset[str]) -> bool:
    """view[k] in chars (`table` holds the one-character members of the plane)."""
    c = ord(view[k])
    if c < 0x10000:
        return table[c] != 0
    return view[k] in chars


class HeadSlots:
    """What a head class gives a candidate under one unit class, found once per pair: the
    slot of "hc:" + hc, of its crossed name "x:" + uc + ":" + hc, and S_FIT or S_MISFIT
    (-1: neither); `features` read these by three name look-ups and three set probes.
    `kinds`: the unit class's crossed kinds' slots (see `_kind_slot`), one list per class."""

    def __init__(self, hc: int, crossed: int, fit: int, kinds: list[int]) -> None:
        self.hc = hc
        self.crossed = crossed
        self.fit = fit
        self.kinds = kinds


def head_slots(uc: str, hc: str) -> HeadSlots:
    by_head = _HEAD_SLOTS.get(uc)
    if by_head is None:
        by_head = _HEAD_SLOTS[uc] = {}
    got = by_head.get(hc)
    if got is None:
        # (the slots made in the order `features` first asked for them: hc:, then x:)
        hc_slot = _hc_name(hc)
        crossed = _x_in(_x_names(uc), uc, hc)
        expected = _FITS.get(uc)
        fit = -1
        if expected is not None and hc in _KNOWN_HEADS:
            fit = S_FIT if hc in expected else S_MISFIT
        kinds = _KIND_SLOTS.get(uc)
        if kinds is None:
            kinds = _KIND_SLOTS[uc] = [-1] * len(_CROSS_KINDS)
        got = by_head[hc] = HeadSlots(hc_slot, crossed, fit, kinds)
    return got


def _kind_slot(kinds: list[int], k: int, uc: str) -> int:
    """The slot of "x:" + uc + ":" + _CROSS_KINDS[k], found when first needed (as the
    names are: the slots keep the order they were first asked in)."""
    got = kinds[k]
    if got < 0:
        got = kinds[k] = _x_in(_x_names(uc), uc, _CROSS_KINDS[k])
    return got


_HEAD_SLOTS: Final[dict[str, dict[str, HeadSlots]]] = {}


def _hc_name(hc: str) -> int:
    """The slot of "hc:" + hc, found once per head class (features are named by strings,
    and building the same few dozen names for every candidate costs more than a lookup)."""
    got = _HC_NAMES.get(hc)
    if got is None:
        got = _HC_NAMES[hc] = slot("hc:" + hc)
    return got


def _x_names(uc: str) -> dict[str, int]:
    """The crossed names' slots for the class uc (name -> slot of "x:" + uc + ":" + name,
    each found once), fetched once for all of a candidate's crossed features."""
    names = _X_NAMES.get(uc)
    if names is None:
        names = _X_NAMES[uc] = {}
    return names


def _x_in(names: dict[str, int], uc: str, name: str) -> int:
    got = names.get(name)
    if got is None:
        got = names[name] = slot("x:" + uc + ":" + name)
    return got


_HC_NAMES: Final[dict[str, int]] = {}
_X_NAMES: Final[dict[str, dict[str, int]]] = {}
_KIND_SLOTS: Final[dict[str, list[int]]] = {}     # unit class -> its crossed kinds' slots, -1 unknown


_DIST_CAP: Final = 40
# whether 的 is a stop character (phrase_chars.yaml; it is not): if it were, the stop it
# is would end the window before it, and no candidate would be inside a relative clause
_DE_STOPS: Final = "的" in STOP_CHARS
_UNDECIDED_HEADS: Final = frozenset(("noun", "unknown", ""))   # head classes that say nothing
# kinds whose worth depends on what the classifier counts (what counted people did
# names person-times, not people; an earlier total's subject suits a breakdown)
_CROSS_KINDS: Final = ("k:right_weak", "k:recent", "k:after_de", "k:rel")
_TITLE_OPEN: Final = rules.phrase_chars().title_open
_TITLE_CLOSE: Final = rules.phrase_chars().title_close
_PREPOSITIONS: Final = frozenset(_R["prepositions"])
_PREP_READ: Final = 6     # characters read from a preposition: it and the first word of its object
_TITLE_OPEN_TABLE: Final = char_table(frozenset(w for w in _TITLE_OPEN if len(w) == 1))
_TITLE_CLOSE_TABLE: Final = char_table(frozenset(w for w in _TITLE_CLOSE if len(w) == 1))
_PREPOSITION_TABLE: Final = char_table(frozenset(w for w in _PREPOSITIONS if len(w) == 1))
_KNOWN_HEADS: Final = frozenset(HEADS.values())
_FITS: Final[dict[str, frozenset[str]]] = {str(k): frozenset(v) for k, v in _R["classifier_fit"].items()}
_ATTRIBUTE_WORDS: Final = frozenset(_R["attribute_nouns"]) | frozenset(_R["attribute_words"])
_STATUS_WORDS: Final = frozenset(_R["status_words"])
_ATTRIBUTE_CHARS: Final = frozenset(_R["attribute_chars"])
_ATTRIBUTE_PREFIX_CHARS: Final = frozenset(str(_R["attribute_prefix_chars"]))


def _fits_by_unit() -> dict[str, frozenset[str]]:
    """For a classifier whose class its subject decides (个: orgs, events, items,
    people), every head class any of those classes fits."""
    out: dict[str, frozenset[str]] = {}
    for unit, classes in rules.classes_by_subject().items():
        heads: set[str] = set()
        for c in classes:
            heads.update(_FITS.get(c, frozenset()))
        out[unit] = frozenset(heads)
    return out


_FITS_BY_UNIT: Final = _fits_by_unit()
