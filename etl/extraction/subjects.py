"""What a figure counts: the noun phrase next to it, copied from the text.

Reports put the counted noun after the classifier (1069名干部职工, 10个方面重点任务) or,
for money, shares and totals, before the number (发放慰问金27万元, 参学率达到100%). The
phrase is read from dictionary words around the mention (see `segmenter`) with a small
grammar: modifiers, then nouns joined by 、和及与, ending on a noun; it stops at
verbs, adverbs, pronouns and punctuation. A relative clause (126名获得…表彰的党员,
122名生活困难的职工) yields the noun after its 的. Counts of events and durations may
name an action instead (15次60多天集中走访, 人均谈心35人次). A phrase that only points
back (其规模, 利用一周时间) is replaced by what it points to (`_referent`). When nothing is
found, a figure in the same sentence with the same unit lends its subject (the caller
does that).
"""
from __future__ import annotations

from typing import Final

import re

from .. import rules
from . import segmenter

_R: Final = rules.subject_rules()
_NOUN_TAGS: Final = frozenset(_R["noun_tags"])
_HARD_NOUN_TAGS: Final = frozenset(_R["hard_noun_tags"])
_MOD_TAGS: Final = frozenset(_R["modifier_tags"])
_INNER_MOD_TAGS: Final = frozenset(_R["inner_modifier_tags"])
_DETERMINERS: Final = frozenset(_R["determiners"])
_STOP_WORDS: Final = frozenset(_R["stop_words"])
_TIME_WORDS: Final = frozenset(_R["time_words"])
_LEFT_CUES: Final = frozenset(_R["left_cues"])
_CHANGE_HEADS: Final = tuple(_R["change_heads"])
_NOUN_SUFFIX_CHARS: Final = frozenset(_R["noun_suffix_chars"])
_COMPOUND_HEADS: Final = tuple(_R["compound_heads"])
_MONEY_HEADS: Final = tuple(_R["money_heads"])
_GENERIC_MONEY: Final = frozenset(_R["generic_money"])
_ACTION_VERBS: Final = frozenset(_R["action_verbs"])
_VERB_WORDS: Final = frozenset(_R.get("verbs") or ())
_VERB_OK_CLASSES: Final = frozenset(_R["verb_ok_classes"])
_NOMINAL_VERB_CLASSES: Final = frozenset(_R["nominal_verb_classes"]) | {None}
_ATTRIBUTE_NOUNS: Final = frozenset(_R["attribute_nouns"])
_PLACEHOLDERS: Final = frozenset(_R["placeholder_subjects"])
_ENUMERATION_VERB: Final = re.compile("|".join(sorted(map(re.escape, _R["enumeration_verbs"]), key=len, reverse=True)))
_WINDOW: Final = int(_R["window_after"])
_LEFT_WINDOW: Final = int(_R["window_before"])
# Characters, not words: fixed by the script, not by the reports.
_FUNCTION_CHARS: Final = set("每各等其该本此这那均共都也又再将被把对向为从在由给让使并已约之所则即因仅只就还更最很的了着过")
_JOINERS: Final = {"、", "和", "及", "与", "以及", "或"}
_OPEN: Final = {"(", "（"}
_CLOSE: Final = {")", "）"}
_QUOTES: Final = {"“", "”", "\"", "‘", "’", "「", "」"}
_STOP_CHARS: Final = set("，。；：,;:!?！？\n《》")
_LAST_STOP: Final = re.compile("(?s).*[" + re.escape("".join(sorted(_STOP_CHARS))) + "]")
# 一是组织了集中学习交流。 六是开展了集中调研走访活动。: a list heading naming an activity
_HEADING: Final = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}是|[(（]?[一二三四五六七八九十0-9]{1,3}[)）、.．])?"
    "(?:" + "|".join(sorted(map(re.escape, _R["heading_verbs"]), key=len, reverse=True)) + ")了?"
    "(?P<what>[^，。；：,;:！？!?\n]{2,20}?)"
    "(?:" + "|".join(map(re.escape, _R["heading_suffixes"])) + ")?[。：:]$")

Token = tuple[str, str]   # (word, category)


def find_subject(view: str, start: int, end: int, unit_class: str | None,
                 clause: tuple[int, int], prev_end: int, next_start: int,
                 chain: tuple[int, int], sentence: tuple[int, int] = (-1, -1),
                 recent: list[Recent] | None = None, unit: str = "") -> tuple[int, int] | None:
    """The span (in `view`) of the subject of the figure at view[start:end], or None.

    clause / sentence: the clause and sentence around it; prev_end / next_start: the
    nearest other figures (a phrase in the clause never crosses them); chain: where a
    run of adjacent figures starts and ends (18类127条 share the words before the first
    and after the last one); recent: the subjects of the figures before it in this and
    the previous sentence (a breakdown may count what its total counted).

    The subject is a scored choice among candidate phrases (`_candidates`): each gets
    the features `_features` reads, and the weights in data/rules/subject_weights.yaml
    (fitted by tools/train_subjects.py) pick one.
    """
    if sentence[0] < 0:
        sentence = clause
    topic = _list_topic_of(view, start, end, unit_class, clause, prev_end, chain)
    if topic is not None:
        return topic
    cands = _candidates(view, start, end, unit_class, clause, prev_end, next_start, chain,
                        sentence, recent or [], unit)
    if not cands:
        return None
    best = cands[0]
    best_score = _score(best.feats)
    for c in cands[1:]:
        sc = _score(c.feats)
        if sc > best_score:
            best, best_score = c, sc
    if _TRACE.on:
        _TRACE.rows.append((start, end, unit_class,
                            [(view[c.lo:c.hi], c.lo, c.hi, dict(c.feats)) for c in cands]))
    return best.lo, best.hi


def _list_topic_of(view: str, start: int, end: int, unit_class: str | None,
                   clause: tuple[int, int], prev_end: int, chain: tuple[int, int]) -> tuple[int, int] | None:
    """修复工程包括A、B等10项: a figure closing a list after a listing verb counts the
    topic before the verb (`_list_topic`); a construction, so it decides alone."""
    if start < 2 or "等" not in view[max(clause[0], start - 3):start]:
        return None
    l_hi = min(start, chain[0])
    l_lo = max(clause[0], min(prev_end, l_hi), l_hi - _LEFT_WINDOW)
    left = _left_phrase(view[l_lo:l_hi], unit_class, unit_class in _VERB_OK_CLASSES)
    if not left:
        return None
    k = view.rfind(left, l_lo, l_hi)
    if k < 0:
        return None
    return _list_topic(view, (k, k + len(left)), start, end, clause[0])


Recent = tuple[int, int, str, bool]   # an earlier figure's subject: (lo, hi, unit, is a total)


class _Trace:
    """What `find_subject` saw, for the trainer (tools/train_subjects.py): off unless a
    caller turns it on, and then one row per figure with every candidate's features."""

    def __init__(self) -> None:
        self.on = False
        self.rows: list[tuple[int, int, str | None, list[tuple[str, int, int, dict[str, float]]]]] = []
        self.notes: list[tuple[str, int, int]] = []


_TRACE: Final = _Trace()


def start_trace() -> None:
    _TRACE.on = True
    _TRACE.rows.clear()
    _TRACE.notes.clear()


def stop_trace() -> tuple[list, list]:
    """(rows, notes): one row per `find_subject` call; notes[i] (doc, raw start, raw end)
    says which figure row i was (the caller notes it, see `note_figure`)."""
    _TRACE.on = False
    rows, notes = list(_TRACE.rows), list(_TRACE.notes)
    _TRACE.rows.clear()
    _TRACE.notes.clear()
    return rows, notes


def note_figure(doc: str, start: int, end: int) -> None:
    """While tracing, which figure (doc and raw span) the last `find_subject` was for."""
    if _TRACE.on:
        while len(_TRACE.notes) < len(_TRACE.rows) - 1:
            _TRACE.notes.append(("", -1, -1))
        if len(_TRACE.notes) < len(_TRACE.rows):
            _TRACE.notes.append((doc, start, end))


def use_weights(weights: dict[str, float]) -> None:
    """Score with these weights from now on (the trainer and tools/loro.py)."""
    _WEIGHTS.clear()
    _WEIGHTS.update(weights)


def _load_weights() -> dict[str, float]:
    path = rules.RULES_DIR / "subject_weights.yaml"
    if not path.exists():
        return {}
    d = rules.load_yaml(path)
    return {str(k): float(v) for k, v in (d.get("weights") or {}).items()}


_WEIGHTS: Final[dict[str, float]] = _load_weights()


def _score(feats: dict[str, float]) -> float:
    s = 0.0
    for f, v in feats.items():
        w = _WEIGHTS.get(f)
        if w is not None:
            s += w * v
    return s


# --- candidates -------------------------------------------------------------------

class _Cand:
    def __init__(self, lo: int, hi: int) -> None:
        self.lo = lo
        self.hi = hi
        self.feats: dict[str, float] = {}


def _add(cands: list[_Cand], view: str, span: tuple[int, int] | None, kind: str) -> _Cand | None:
    """Add a candidate (or a kind to the same span already there); kind is the
    feature's name, k:left, k:rel ..."""
    if span is None:
        return None
    lo, hi = span
    while lo < hi and view[lo] in _EDGE_CHARS:
        lo += 1
    while hi > lo and view[hi - 1] in _EDGE_CHARS:
        hi -= 1
    if hi <= lo:
        return None
    for c in cands:
        if c.lo == lo and c.hi == hi:
            c.feats[kind] = 1.0
            return c
    c = _Cand(lo, hi)
    c.feats[kind] = 1.0
    cands.append(c)
    return c


_EDGE_CHARS: Final = frozenset(" \u00a0、和及与或")


def _candidates(view: str, start: int, end: int, unit_class: str | None,
                clause: tuple[int, int], prev_end: int, next_start: int,
                chain: tuple[int, int], sentence: tuple[int, int],
                recent: list[Recent], unit: str) -> list[_Cand]:
    cs, ce = clause
    ss, se = sentence
    chain_start, chain_end = chain
    uc = unit_class or ""
    verbs_ok = uc in _VERB_OK_CLASSES
    cands: list[_Cand] = []

    # the phrases the grammar reads first: after the figure (strong: a noun phrase,
    # weak: what was done), before it, a fund named earlier in the sentence
    right_end = min(ce, next_start, end + _WINDOW)
    r_lo, r_hi = end, right_end
    right, strong = _right_phrase(view[r_lo:r_hi], unit_class)
    if not right and chain_end > end:
        r_lo, r_hi = chain_end, min(ce, chain_end + _WINDOW)
        right, strong = _right_phrase(view[r_lo:r_hi], unit_class)
    right_span = _locate(view, right, r_lo, r_hi) if right else None
    generic = uc in ("money", "percent") and right in _GENERIC_MONEY
    l_hi = min(start, chain_start)
    # one window before the figure for every phrase read there (its words are cut once)
    l_lo = max(cs, min(prev_end, l_hi), l_hi - _CLAUSE_REACH)
    left = _left_phrase(view[l_lo:l_hi], unit_class, verbs_ok)
    left_span: tuple[int, int] | None = None
    if left:
        k = view.rfind(left, l_lo, l_hi)
        if k >= 0:
            left_span = (k, k + len(left))
    fund = _money_noun_before(view, l_hi, prev_end) if uc == "money" else None
    _add(cands, view, right_span, "k:right" if strong and not generic else "k:right_weak")
    _add(cands, view, left_span, "k:left")
    _add(cands, view, fund, "k:fund")

    # more noun phrases: after a 的 on the right (3000余件…捐赠的时令衣服, 98.9%的干部群众),
    # the others in the clause on both sides
    rwin = view[end:right_end]
    if rwin.startswith("的"):
        _add(cands, view, _phrase_at(view, end + 1, right_end), "k:after_de")
    rel = _after_relative(rwin.lstrip(" \u00a0")) if not rwin.startswith("的") else ""
    if rel:
        _add(cands, view, _locate(view, rel, end, right_end), "k:rel")
    lreg_lo = l_lo
    ltoks = _tokens(view[lreg_lo:l_hi], True) if l_hi > lreg_lo else ()
    # the words after the figure up to the end of its clause, as `_right_phrase` cuts them
    rstop = _STOP_RE.search(view, end, right_end)
    rtoks = _tokens(view[end:rstop.start() if rstop is not None else right_end], False) if right_end > end else ()
    n_left = 0
    for lo, hi in reversed(_phrases_in(ltoks, lreg_lo)):
        c = _add(cands, view, (lo, hi), "k:left_np")
        if c is not None:
            c.feats["rank"] = max(c.feats.get("rank", 0.0), float(n_left))
        n_left += 1
        if n_left >= _MAX_SIDE:
            break
    n_right = 0
    for lo, hi in _phrases_in(rtoks, end):
        c = _add(cands, view, (lo, hi), "k:right_np")
        if c is not None:
            c.feats["rank"] = max(c.feats.get("rank", 0.0), float(n_right))
        n_right += 1
        if n_right >= _MAX_SIDE:
            break

    # the subjects of the figures just before (a breakdown counts what its total counted)
    n_recent = 0
    for k in range(len(recent) - 1, -1, -1):
        lo, hi, r_unit, total = recent[k]
        if hi > start or lo < ss - _PREV_SENTENCE_REACH:
            continue
        c = _add(cands, view, (lo, hi), "k:recent")
        if c is not None:
            if unit and r_unit == unit:
                c.feats["recent_same_unit"] = 1.0
            if lo >= ss:
                c.feats["recent_same_sentence"] = 1.0
            if total:
                c.feats["recent_total"] = 1.0
        n_recent += 1
        if n_recent >= _MAX_RECENT:
            break

    if fund is not None:
        # 开展“特殊党费”捐助活动…筹措了近3万元的资金: a generic 资金 yields to the fund
        # named earlier in the sentence
        cands = [c for c in cands if view[c.lo:c.hi] not in _GENERIC_MONEY]

    _finish(cands, view, start, end, unit_class, clause, sentence, next_start, lreg_lo, ltoks, rtoks, right_end)
    # a figure whose clause offers no phrase fitting its classifier (新收4526件) leans on
    # the phrases outside the clause (the subjects of the figures before it)
    local_fit = False
    for c in cands:
        if "fit" in c.feats and "out_clause" not in c.feats:
            local_fit = True
            break
    if not local_fit:
        for c in cands:
            if "out_clause" in c.feats:
                c.feats["no_local_fit"] = 1.0
    return cands


def _finish(cands: list[_Cand], view: str, start: int, end: int, unit_class: str | None,
            clause: tuple[int, int], sentence: tuple[int, int], next_start: int, lreg_lo: int,
            ltoks: tuple[Token, ...], rtoks: tuple[Token, ...], right_end: int) -> None:
    """Variants of the candidates, then their features."""
    uc = unit_class or ""
    # attribute and status words closing a phrase (执行案件收案总数, 献血量): the phrase
    # without them is a candidate too
    for c in list(cands):
        cut = _info(view[c.lo:c.hi])[3]
        lo, hi = c.lo, c.hi - cut
        if cut:
            s = _add(cands, view, (lo, hi), "k:stripped")
            if s is not None:
                for f, v in c.feats.items():
                    if f.startswith("k:") or f.startswith("recent") or f == "rank":
                        s.feats.setdefault(f, v)
    for c in cands:
        if "k:recent" not in c.feats:
            # a phrase that only points back (其规模, 利用一周时间) stands for the phrase
            # it points to
            moved = _referent(view, (c.lo, c.hi), unit_class, end, next_start)
            if moved is not None:
                c.lo, c.hi = moved
                c.feats["moved"] = 1.0
        _features(c, view, start, end, uc, clause, sentence)
        if c.hi <= start and c.hi >= lreg_lo:
            if _verb_from(ltoks, lreg_lo, c.hi):
                c.feats["verb_between"] = 1.0   # “梦”筹措了近3万元: the doer; the figure, its object
        elif c.lo >= end and c.lo <= right_end:
            if _verb_until(rtoks, end, c.lo):
                c.feats["verb_between"] = 1.0   # 2.4万余人次坚守在社区一线


def _verb_from(toks: tuple[Token, ...], lo: int, at: int) -> bool:
    """A verb (not a cue such as 达, 为, 共计) among the words from view offset `at` on
    (toks start at view offset lo)."""
    pos = lo
    for w, c in toks:
        if pos >= at and c == "V" and w not in _LEFT_CUES:
            return True
        pos += len(w)
    return False


def _verb_until(toks: tuple[Token, ...], lo: int, at: int) -> bool:
    """A verb among the words before view offset `at` (toks start at view offset lo)."""
    pos = lo
    for w, c in toks:
        if pos >= at:
            break
        if c == "V" and w not in _LEFT_CUES:
            return True
        pos += len(w)
    return False


def _info(text: str) -> tuple[str, bool, bool, int]:
    """What the features read of a phrase, memoised: (head class, starts with a verb,
    a verb inside, characters of attribute and status words closing it)."""
    info = _INFO_CACHE.get(text)
    if info is None:
        toks = _tokens(text, True)
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
        info = (_head_class(text), bool(toks) and toks[0][1] == "V", inner and len(text) > 2, cut)
        if len(_INFO_CACHE) >= _TOKEN_CACHE_MAX:
            _INFO_CACHE.clear()
        _INFO_CACHE[text] = info
    return info


_INFO_CACHE: Final[dict[str, tuple[str, bool, bool, int]]] = {}


_CLAUSE_REACH: Final = 24     # characters read back from the figure for more phrases
_MAX_SIDE: Final = 3          # phrases taken on each side
_MAX_RECENT: Final = 4        # earlier subjects offered
_PREV_SENTENCE_REACH: Final = 200


def _phrases(view: str, lo: int, hi: int, at_end: bool) -> list[tuple[int, int]]:
    if hi <= lo:
        return []
    return _phrases_in(_tokens(view[lo:hi], at_end), lo)


def _phrases_in(toks: tuple[Token, ...], lo: int) -> list[tuple[int, int]]:
    """The noun phrases in view[lo:hi], in text order: runs of nouns, modifiers, quoted
    names and joiners between nouns, ending on a noun. A word right after a number is
    its unit (4697件, 24年来), not a noun. A verb between two nouns (房屋买卖合同纠纷,
    企业兼职人数, but also 单位赠送书籍) gives the joined phrase and both its parts."""
    out: list[tuple[int, int]] = []
    pos = lo
    run_lo = -1          # view offset where the run starts
    last_end = -1        # view offset after its last noun
    joins: list[tuple[int, int]] = []     # (end of the noun before, start of the next) per inner verb
    after_number = False
    n = len(toks)
    for i in range(n):
        w, c = toks[i]
        if after_number:
            c = "S"
        after_number = w[0].isdigit() or w[-1].isdigit() or w[-1] in _NUMERAL_CHARS
        nxt = toks[i + 1] if i + 1 < n else ("", "S")
        if c == "V" and nxt[1] == "N" and len(w) > 1 and last_end == pos and last_end > run_lo >= 0:
            joins.append((pos, pos + len(w)))
            c = "M"
        elif c == "V" and nxt[0] in _COMPOUND_HEAD_SET:
            c = "M"          # 示范创建点, 志愿服务队: a verb before a group head
        elif c == "S" and w in _COMPOUND_HEAD_SET and i > 0 and toks[i - 1][1] in ("V", "N") and run_lo >= 0:
            c = "N"
        if c == "N" or c == "Q":
            if run_lo < 0:
                run_lo = pos
            last_end = pos + len(w)
        elif c == "M" or (c == "J" and run_lo >= 0) or (c in ("O", "C") and run_lo >= 0):
            if run_lo < 0:
                run_lo = pos
        else:
            _close_run(out, run_lo, last_end, joins)
            run_lo = last_end = -1
            joins = []
        pos += len(w)
    _close_run(out, run_lo, last_end, joins)
    return out


def _close_run(out: list[tuple[int, int]], lo: int, hi: int, joins: list[tuple[int, int]]) -> None:
    if lo < 0 or hi <= lo:
        return
    out.append((lo, hi))
    for v_lo, v_hi in joins:
        if lo < v_lo and v_hi < hi:
            out.append((lo, v_lo))
            out.append((v_hi, hi))


def _phrase_at(view: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase starting at view[lo] (98.9%的干部群众 -> 干部群众)."""
    stop = _STOP_RE.search(view, lo, hi)
    if stop is not None:
        hi = stop.start()
    phrase, _, _ = _noun_phrase(_tokens(view[lo:hi]))
    return _locate(view, phrase, lo, hi) if phrase else None


def _features(c: _Cand, view: str, start: int, end: int, uc: str,
              clause: tuple[int, int], sentence: tuple[int, int]) -> None:
    """The features of one candidate: where it stands, and what its head word names
    against what the classifier counts."""
    f = c.feats
    text = view[c.lo:c.hi]
    if c.lo >= end:
        f["right_side"] = 1.0
        dist = c.lo - end
    else:
        dist = max(0, start - c.hi)
    f["dist"] = min(dist, _DIST_CAP) / 10.0
    if c.hi <= clause[0] or c.lo >= clause[1]:
        f["out_clause"] = 1.0
    if c.hi <= sentence[0] or c.lo >= sentence[1]:
        f["out_sentence"] = 1.0
    n = len(text)
    if n == 1:
        f["len1"] = 1.0
    elif n > 10:
        f["long"] = 1.0
    hc, first_verb, inner_verb, _ = _info(text)
    f[_hc_name(hc)] = 1.0
    if inner_verb:
        f["inner_verb"] = 1.0
    f[_x_name(uc, hc)] = 1.0
    # the kinds of _CROSS_KINDS, in its order (written out: no tuple iterator per candidate)
    if "k:right_weak" in f:
        f[_x_name(uc, "k:right_weak")] = 1.0
    if "k:recent" in f:
        f[_x_name(uc, "k:recent")] = 1.0
    if "k:after_de" in f:
        f[_x_name(uc, "k:after_de")] = 1.0
    if "k:rel" in f:
        f[_x_name(uc, "k:rel")] = 1.0
    if first_verb:
        f["starts_verb"] = 1.0   # 侵袭公司主营区域, 建立长效机制: what was done, not who or what
    if c.lo >= end and "k:rel" not in f and "k:after_de" not in f:
        stop = _STOP_RE.search(view, c.hi, c.hi + _WINDOW)
        k = view.find("的", c.hi, stop.start() if stop is not None else c.hi + _WINDOW)
        if k >= 0:
            f["inside_rel"] = 1.0    # 3000余件[局干部职工…捐赠的]时令衣服
    if "k:recent" in f and c.lo >= clause[0] and c.hi <= clause[1]:
        f["taken"] = 1.0         # 660多万名党员、8.4万名领导干部: 党员 is the figure's before
    if text in _GENERIC_MONEY:
        f["generic"] = 1.0
    before = view[max(0, c.lo - 1):c.lo]
    if before in _TITLE_OPEN or view[c.hi:c.hi + 1] in _TITLE_CLOSE:
        f["in_title"] = 1.0      # 被《安徽信息》采用14篇: a publication named, not what is counted
    if c.hi <= start and before and before in _PREPOSITIONS:
        f["prep_object"] = 1.0   # 被…采用, 向…捐赠: the object of a preposition
    elif c.hi <= start and view[max(0, c.lo - 2):c.lo - 1] in _PREPOSITIONS and before in _TITLE_OPEN:
        f["prep_object"] = 1.0
    expected = _FITS.get(uc)
    if expected is not None and hc in _KNOWN_HEADS:
        f["fit" if hc in expected else "misfit"] = 1.0


def _hc_name(hc: str) -> str:
    """"hc:" + hc, made once per head class (features are named by strings, and
    building the same few dozen names for every candidate costs more than a lookup)."""
    got = _HC_NAMES.get(hc)
    if got is None:
        got = _HC_NAMES[hc] = "hc:" + hc
    return got


def _x_name(uc: str, name: str) -> str:
    """"x:" + uc + ":" + name, made once per pair."""
    names = _X_NAMES.get(uc)
    if names is None:
        names = _X_NAMES[uc] = {}
    got = names.get(name)
    if got is None:
        got = names[name] = "x:" + uc + ":" + name
    return got


_HC_NAMES: Final[dict[str, str]] = {}
_X_NAMES: Final[dict[str, dict[str, str]]] = {}


_DIST_CAP: Final = 40
# kinds whose worth depends on what the classifier counts (what counted people did
# names person-times, not people; an earlier total's subject suits a breakdown)
_CROSS_KINDS: Final = ("k:right_weak", "k:recent", "k:after_de", "k:rel")
_TITLE_OPEN: Final = frozenset("《<〈")
_TITLE_CLOSE: Final = frozenset("》>〉")
_PREPOSITIONS: Final = frozenset(_R["prepositions"])
_NUMERAL_CHARS: Final = frozenset("零〇一二三四五六七八九十百千万亿两")
_COMPOUND_HEAD_SET: Final = frozenset(_COMPOUND_HEADS)


def _head_class(phrase: str) -> str:
    """What the phrase's head word names: a class from the head lists (people, orgs,
    events, items, money, attribute, status …), else from its dictionary tag."""
    hc = _HEAD_CACHE.get(phrase)
    if hc is not None:
        return hc
    head = phrase.rstrip(")）”’\"」》")
    hc = ""
    for k in range(min(len(head), _MAX_HEAD_LEN), 0, -1):
        cls = _HEADS.get(head[-k:])
        if cls is not None:
            hc = cls
            break
    if not hc:
        toks = _tokens(head, True) if head else ()
        t = segmenter.tag(toks[-1][0]) if toks else ""
        hc = _TAG_CLASS.get(t, "noun" if t.startswith("n") else ("action" if t.startswith("v") else "unknown"))
    if len(_HEAD_CACHE) >= _TOKEN_CACHE_MAX:
        _HEAD_CACHE.clear()
    _HEAD_CACHE[phrase] = hc
    return hc


_HEAD_CACHE: Final[dict[str, str]] = {}


def _head_table() -> dict[str, str]:
    out: dict[str, str] = {}
    for cls, words in _R["head_classes"].items():
        for w in words:
            out.setdefault(str(w), str(cls))
    for cls, words in rules.subject_words().items():
        for w in words:
            out.setdefault(str(w), cls)
    for w in _R["money_heads"]:
        out.setdefault(str(w), "money")
    for w in _R["attribute_nouns"]:
        out[str(w)] = "attribute"
    for w in _R["status_words"]:
        out[str(w)] = "status"
    return out


_HEADS: Final = _head_table()


def _ends_on_noun_head(w: str) -> bool:
    """The word ends on a head word (two characters or more) of a class of things."""
    for k in range(min(len(w), _MAX_HEAD_LEN_), 1, -1):
        cls = _HEADS.get(w[-k:])
        if cls is not None:
            return cls in _THING_CLASSES
    return False


_THING_CLASSES: Final = frozenset(("people", "orgs", "items", "money"))
_MAX_HEAD_LEN: Final = max(map(len, _HEADS)) if _HEADS else 1
_MAX_HEAD_LEN_: Final = _MAX_HEAD_LEN
_KNOWN_HEADS: Final = frozenset(_HEADS.values())
_FITS: Final[dict[str, frozenset[str]]] = {str(k): frozenset(v) for k, v in _R["classifier_fit"].items()}
_TAG_CLASS: Final[dict[str, str]] = {str(k): str(v) for k, v in _R["tag_classes"].items()}
_ATTRIBUTE_WORDS: Final = frozenset(_R["attribute_nouns"]) | frozenset(_R["attribute_words"])
_STATUS_WORDS: Final = frozenset(_R["status_words"])
_ATTRIBUTE_CHARS: Final = frozenset(_R["attribute_chars"])
def _referent(view: str, span: tuple[int, int], unit_class: str | None, end: int,
              next_start: int) -> tuple[int, int] | None:
    """What a subject that only points back stands for, or None (then it stands as is)."""
    lo, hi = span
    if lo >= 2 and view[lo - 1] == "其" and view[lo - 2] in "，,；;" and all(
            w in _ATTRIBUTE_NOUNS for w in re.split("[、和及与]", view[lo:hi])):
        # ，其规模和数量: of the noun phrase closing the clause before
        p = lo - 2
        w_lo = max(0, p - 2 * _LEFT_WINDOW)
        before = _closing_phrase(view[w_lo:p])
        if before and before not in _ATTRIBUTE_NOUNS:
            k = view.rfind(before, w_lo, p)
            if k >= 0:
                return k, k + len(before)
        return None
    if unit_class == "duration" and lo >= end and view[lo:hi] in _PLACEHOLDERS:
        # 一周时间 (not 运行时间57分钟, where 时间 is what is measured)
        return _time_spent_on(view, lo, hi, next_start)
    return None


def _time_spent_on(view: str, lo: int, hi: int, next_start: int) -> tuple[int, int] | None:
    """集中2天时间逐一听取…汇报: what the time at view[lo:hi] (时间) was spent on, the
    action right after it; else, for 利用一周时间 opening a sentence, the activity the
    list heading before it names (六是开展了集中调研走访活动。)."""
    # a verb right after it (adverbs skipped), up to the end of the clause or the next
    # figure (用5年时间建成300个…); not 时间里将有…, 时间的…
    stop = _STOP_RE.search(view, hi, hi + _WINDOW)
    a_hi = min(stop.start() if stop else len(view), hi + _WINDOW, next_start)
    toks = _tokens(view[hi:a_hi])
    a_lo, i = hi, 0
    while i < len(toks) and i < 2 and segmenter.tag(toks[i][0]) == "d":
        a_lo += len(toks[i][0])
        i += 1
    if i < len(toks) and toks[i][1] == "V":
        return a_lo, a_hi
    ss = _after_last(view, "。！？!?\n", lo)
    if ss < 2 or lo - ss > 12 or view[ss - 1] not in "。：:":
        return None
    ps = _after_last(view, "。！？!?\n；;", ss - 1)
    m = _HEADING.match(view, ps, ss)
    if m:
        what = _tidy(m.group("what"))
        k = view.find(what, m.start("what"), m.end("what"))
        if what and k >= 0:
            return k, k + len(what)
    return None


def _list_topic(view: str, span: tuple[int, int], start: int, end: int,
                clause_start: int) -> tuple[int, int] | None:
    """修复工程包括A、B等10项: the topic before the listing verb, when the subject found
    is the last items of a list closed by 等 and the figure (等超5500家 included), and the
    figure closes the clause (…等42条务实举措 names what it counts)."""
    lo, hi = span
    if not (hi < start <= hi + 3 and view[hi] == "等") or any(ch.isdigit() for ch in view[hi:start]):
        return None
    if end < len(view) and view[end] not in _STOP_CHARS:
        return None
    verb = None
    for verb in _ENUMERATION_VERB.finditer(view, clause_start, lo):
        pass
    if verb is None:
        return None
    topic = _closing_phrase(view[clause_start:verb.start()])
    if not topic:
        return None
    k = view.rfind(topic, clause_start, verb.start())
    return (k, k + len(topic)) if k >= 0 else None


def _locate(view: str, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
    k = view.find(phrase, lo, hi)
    return (k, k + len(phrase)) if k >= 0 else None


# --- words and their categories -----------------------------------------------------

def _token(w: str) -> Token:
    """(word, category), memoised in a plain dict: a dozen lookups per window, and a
    dict lookup costs less than a call through functools' cache."""
    tok = _TOKEN_CACHE.get(w)
    if tok is None:
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_MAX:
            _TOKEN_CACHE.clear()
        tok = _TOKEN_CACHE[w] = (w, _category(w))
    return tok


_TOKEN_CACHE: Final[dict[str, Token]] = {}
_TOKEN_CACHE_MAX: Final = 100_000     # distinct words; cleared when full (the vocabulary of a corpus fits)


def _category(w: str) -> str:
    """N noun, M modifier, V verb, J joiner, Q quoted name, O/C brackets, S stop."""
    if w[0] in _QUOTES and len(w) > 2 and w[-1] in _QUOTES:
        return "Q"
    if w in _JOINERS:
        return "J"
    if w in _OPEN:
        return "O"
    if w in _CLOSE:
        return "C"
    if w in _DETERMINERS:
        return "M"
    if w.isspace() or w in _STOP_WORDS or w[0].isdigit() or w[0] in _STOP_CHARS or w[0] in _QUOTES:
        return "S"
    if w in _VERB_WORDS:
        return "V"
    t = segmenter.tag(w)
    if len(w) >= 2 and not t.startswith("v") and _ends_on_noun_head(w):
        return "N"       # 合同纠纷 is tagged a state word, 且 … the head word says noun
    if t == "":
        # not in the dictionary: a short new word (参学率) is a noun unless it starts
        # like a function word or a verb (共制, 划小为)
        if not _cjk(w[0]) or len(w) > 3 or w[0] in _FUNCTION_CHARS:
            return "S"
        first = segmenter.tag(w[0])
        return "V" if first.startswith("v") and len(w) > 1 and w[-1] not in _NOUN_SUFFIX_CHARS else "N"
    if t in _NOUN_TAGS:
        return "N"
    if t in ("t", "nrt"):
        return "S" if w in _TIME_WORDS else "N"
    if t in _MOD_TAGS:
        return "M"
    if t.startswith("v"):
        return "V"
    return "S"


def _tokens(window: str, at_end: bool = False) -> tuple[Token, ...]:
    """Words with categories; a short quoted name (“身边典型”) is one token. Cached
    (the same windows recur often), so a tuple: a caller that edits it copies it.
    at_end: the window ends at the figure (words before it), so where forward and
    backward matching disagree and neither knows more words, backward wins."""
    # one plain dict per direction: a lookup costs far less than a call through
    # functools.lru_cache (which builds and hashes a key tuple)
    cache = _TOKENS_AT_END if at_end else _TOKENS_AHEAD
    toks = cache.get(window)
    if toks is None:
        if len(cache) >= _TOKENS_MAX:
            cache.clear()
        toks = cache[window] = _tokens_of(window, at_end)
    return toks


_TOKENS_AT_END: Final[dict[str, tuple[Token, ...]]] = {}
_TOKENS_AHEAD: Final[dict[str, tuple[Token, ...]]] = {}
_TOKENS_MAX: Final = 16384     # windows per direction; cleared when full


def _tokens_of(window: str, at_end: bool) -> tuple[Token, ...]:
    words = segmenter.cut_anchored(window, at_end)
    out: list[Token] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if w in _OPEN_QUOTES:
            close = _OPEN_QUOTES[w]
            j = i + 1
            inner = ""
            while j < n and words[j] != close and len(inner) <= 12 and words[j][0] not in _STOP_CHARS:
                inner += words[j]
                j += 1
            if j < n and words[j] == close and inner:
                out.append((w + inner + close, "Q"))
                i = j + 1
                continue
        tok = _token(w)
        if tok[1] == "S" and w in _COMPOUND_HEAD_SET and out and out[-1][1] in ("N", "V"):
            tok = (w, "N")     # 服务点, 示范创建点: a group head (tagged a numeral) after a word
        out.append(tok)
        i += 1
    return tuple(out)


_OPEN_QUOTES: Final = {"“": "”", "‘": "’", "「": "」", "\"": "\""}


def _is_group_head(w: str) -> bool:
    return w.endswith(_COMPOUND_HEADS)


# --- the phrase after the figure ------------------------------------------------------

def _right_phrase(window: str, unit_class: str | None) -> tuple[str, bool]:
    """(phrase, strong): a weak phrase (a verb and its object, 120余人参加会议) is used
    only when nothing better stands before the figure."""
    window = window.lstrip(" \u00a0")
    stop = _first_stop(window)
    if stop is not None:
        window = window[:stop.start()]   # the phrase never crosses a clause or a title
    if not window:
        return "", False
    if window.startswith("的"):
        if unit_class in ("money", "percent"):
            return "", False  # 精简10%的量化目标: what follows 的 is not what the share is of
        window = window[1:]
    toks = _tokens(window)
    phrase, n_used, hard = _noun_phrase(toks)
    led_by_verb = bool(toks) and toks[0][1] == "V"
    followed_by_de = n_used < len(toks) and toks[n_used][0] == "的"
    if phrase and not led_by_verb and (hard or not followed_by_de):
        return phrase, True
    rel = _after_relative(window)
    if rel:
        return rel, True
    if phrase:
        # 在职党员干部 is a noun phrase; 120余人参加会议 names what the people did
        return phrase, not (led_by_verb and toks[0][0] in _ACTION_VERBS)
    if unit_class in _NOMINAL_VERB_CLASSES:
        # 20条具体举措, 15次集中走访: the action is what is counted; but what counted
        # people did (突击队2.4万余人次坚守在一线) yields to a noun before the figure
        verbs = _verb_phrase(toks, unit_class in _VERB_OK_CLASSES)
        return verbs, bool(verbs) and not (unit_class == "person_times" and toks[0][0] in _ACTION_VERBS)
    return "", False


def _noun_phrase(toks: tuple[Token, ...]) -> tuple[str, int, bool]:
    """(phrase, tokens used, has a hard noun) for the noun phrase `toks` start with."""
    i = 0
    while i < len(toks) and toks[i][1] == "O":
        i += 1
    start = i
    last_noun = -1
    open_brackets = 0
    leading_verb_used = False
    while i < len(toks):
        w, c = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else "S"
        if c in ("N", "Q"):
            if c == "Q" and last_noun >= 0:
                break        # 77名局级干部“问题清单”: a quoted name after the noun starts another phrase
            last_noun = i
        elif c == "M":
            after_join = i > 0 and toks[i - 1][1] == "J"
            if last_noun >= 0 and not after_join and (
                    nxt not in ("N", "M") or segmenter.tag(w) not in _INNER_MOD_TAGS):
                break        # 干部职工踊跃参赛, 方面明确整改措施: an adverb after the noun ends it
        elif c == "V":
            if last_noun < 0 and not leading_verb_used and nxt in ("N", "M"):
                leading_verb_used = True          # 在职党员干部, 考上大学
            elif last_noun >= 0 and nxt == "N" and i + 1 < len(toks) and _is_group_head(toks[i + 1][0]):
                pass                              # 青年理论学习小组
            else:
                break
        elif c == "J":
            if last_noun < 0 or nxt not in ("N", "M", "Q"):
                break
        elif c == "O":
            if last_noun < 0:
                break
            open_brackets += 1
        elif c == "C":
            if open_brackets <= 0:
                break
            open_brackets -= 1
            last_noun = i    # 县(市、区)
        else:
            break
        i += 1
    if last_noun < start:
        return "", 0, False
    words = toks[start:last_noun + 1]
    hard = any(c == "Q" or (c == "N" and segmenter.tag(w) in _HARD_NOUN_TAGS) for w, c in words)
    return _tidy("".join(w for w, _ in words)), last_noun + 1, hard


def _after_relative(window: str) -> str:
    """126名获得党内功勋荣誉表彰的党员 -> 党员…: the noun after the 的 that closes the
    relative clause (the first one)."""
    k = window.find("的")
    if k <= 0:
        return ""
    stop = len(window)
    for ch in _STOP_CHARS:
        i = window.find(ch, 0, k)
        if i >= 0:
            return ""     # the 的 is in a later clause
    head = window[:stop]
    if 0 < k < len(head) - 1:
        phrase, _, _ = _noun_phrase(_tokens(head[k + 1:]))
        return phrase
    return ""


def _verb_phrase(toks: tuple[Token, ...], verbs_ok: bool) -> str:
    """8项公开承诺, 15次集中走访: an action names what is counted. Outside events and
    durations only when it closes the clause (the verb used as a noun)."""
    j = 0
    while j < len(toks) and toks[j][1] in ("V", "M") and j < 3:
        j += 1
    if j == 0 or toks[j - 1][1] != "V":
        return ""
    closes = j == len(toks) or toks[j][0][0] in _STOP_CHARS
    if verbs_ok or closes:
        return _tidy("".join(w for w, _ in toks[:j]))
    return ""


# --- the phrase before the figure -----------------------------------------------------

def _left_phrase(window: str, unit_class: str | None, verbs_ok: bool) -> str:
    last = _LAST_STOP.match(window)   # the phrase never crosses a clause or a title
    if last:
        window = window[last.end():]
    toks = list(_drop_comparison(_tokens(window, True)))
    while toks and (toks[-1][0] in _LEFT_CUES or toks[-1][1] in ("S", "J", "O")
                    or toks[-1][0].startswith(_CHANGE_HEADS)):
        toks.pop()
    if not toks:
        return ""
    k = len(toks) - 1
    end = k + 1
    w, c = toks[k]
    if c == "V":
        if k > 0 and toks[k - 1][1] == "N" and (len(w) > 1 or w in _COMPOUND_HEADS or w in _NOUN_SUFFIX_CHARS):
            k -= 1        # 公务接待一项同比减少45%: a noun and its verb (not 美国致87人死亡)
        elif verbs_ok or (unit_class == "money" and w.endswith(("款", "资", "金"))):
            return _tidy(w)    # 人均谈心35人次, 捐款238.93万元
        else:
            return ""
    elif c == "M":
        return ""
    begin = k
    while begin > 0:
        w, c = toks[begin - 1]
        right = toks[begin][0]
        if c in ("N", "M", "Q"):
            begin -= 1
        elif c == "J" and begin >= 2 and toks[begin - 2][1] in ("N", "Q"):
            begin -= 1
        elif c == "C":
            depth, j = 1, begin - 2
            while j >= 0 and depth:
                depth += {"C": 1, "O": -1}.get(toks[j][1], 0)
                j -= 1
            if depth:
                break
            begin = j + 1      # 党组(党委)书记
        elif c == "V" and (len(right) == 1 and right in _NOUN_SUFFIX_CHARS
                           or _is_group_head(right) and begin >= 2 and toks[begin - 2][1] == "N"):
            begin -= 1         # 阅读量, 青年理论学习小组
        else:
            break
    while begin < end and toks[begin][1] in ("J", "M") and toks[begin][0] not in _DETERMINERS and begin < k:
        if toks[begin][1] == "M" and segmenter.tag(toks[begin][0]) in ("a", "b", "z"):
            break          # 清凉用品, 大型活动: keep the adjective
        begin += 1
    return _tidy("".join(w for w, _ in toks[begin:end]))


def _closing_phrase(window: str) -> str:
    """The words closing a clause: nouns, nominal verbs and lists of them, back to a
    function word (精简整合了工委的发文、会议、…、检查和评比表彰 -> 发文、…、检查和评比表彰;
    工委组织的检查评比表彰 -> 检查评比表彰). A verb and its object stay together
    (严格控制发文): only the dictionary could tell 修复工程 from 控制发文."""
    last = _LAST_STOP.match(window)
    if last:
        window = window[last.end():]
    if any(ch.isdigit() for ch in window):
        return ""      # 组建服务队12支，其人数…: the clause had its own figure; leave ours
    toks = _tokens(window, True)
    i = len(toks)
    while i and toks[i - 1][1] in ("S", "J", "O"):
        i -= 1
    end = i
    begin = -1
    while True:
        j = i
        while j and toks[j - 1][1] in ("N", "V", "M", "Q"):
            j -= 1
        if j == i:
            break
        begin = j
        if j >= 2 and toks[j - 1][1] == "J":
            i = j - 1
            continue
        break
    if begin < 0:
        return ""
    return _tidy("".join(w for w, _ in toks[begin:end]))


def _drop_comparison(toks: tuple[Token, ...]) -> tuple[Token, ...]:
    """同去年相比减少了40%: drop the comparison between the noun and the figure."""
    for i in range(len(toks) - 1, -1, -1):
        if toks[i][0] in ("相比", "相较", "比较", "对比"):
            for j in range(i - 1, -1, -1):
                if toks[j][0] in ("同", "与", "和", "跟", "较", "比"):
                    return toks[:j] + toks[i + 1:]
            break
    return toks


def _money_noun_before(view: str, hi: int, prev_end: int) -> tuple[int, int] | None:
    """慰问金，每人1000元，共计12.2万元: money whose fund was named in the clause before."""
    ss = _after_last(view, "。！？；\n", hi)
    seg_lo = max(ss, hi - 60)
    seg = view[seg_lo:hi]
    toks = _tokens(seg, True)
    pos = len(seg)
    for w, c in reversed(toks):
        pos -= len(w)
        if c == "Q" and w[1:-1].endswith(_MONEY_HEADS):
            return seg_lo + pos + 1, seg_lo + pos + len(w) - 1     # the name inside the quotes
        if c == "N" and w.endswith(_MONEY_HEADS) and w not in _GENERIC_MONEY:
            return seg_lo + pos, seg_lo + pos + len(w)
    return None


def _after_last(view: str, chars: str, hi: int) -> int:
    """Where the text after the last of `chars` before `hi` starts (0 if none), looked
    for within _AFTER_LAST_REACH characters (the callers read less than that; a
    search back to the text's start for every figure was quadratic on long lines)."""
    lo = max(0, hi - _AFTER_LAST_REACH)
    return max(max(view.rfind(c, lo, hi) for c in chars) + 1, lo)


_AFTER_LAST_REACH: Final = 400


def _tidy(phrase: str) -> str:
    phrase = phrase.strip(" \u00a0、和及与或")
    if phrase[:1] in _QUOTES and phrase[-1:] in _QUOTES and phrase.count(phrase[0]) == 1:
        phrase = phrase[1:-1]
    if phrase.count(")") > phrase.count("("):
        phrase = phrase.rstrip(")")
    return phrase


_STOP_RE: Final = re.compile("[" + re.escape("".join(sorted(_STOP_CHARS))) + "]")


def _first_stop(window: str) -> re.Match | None:
    return _STOP_RE.search(window)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
