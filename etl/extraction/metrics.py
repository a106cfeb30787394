"""What a figure measures (funds disbursed, people reached, participants …), from the
taxonomy in data/rules/metrics.yaml, with the evidence that decided it.

Money, people and person-times (the classes whose metric is read from what was done,
by whom) are decided by a small scored model: each metric's word lists are looked up
at several places around the figure (the subject, the nouns beside the figure, the
verb before it in its clause, the verb after it, the word right before it, actor and
domain words in its sentence), and every place that speaks for a metric adds that
place's weight for it. The weights and a bias per unit class are fitted on labelled
claims by tools/fit_metrics.py and stored in data/rules/metric_model.yaml; a metric
that nothing speaks for falls to `other`. The other unit classes (organisations,
items, events, rates, durations) take the best-scoring subject keyword, verb beside the
subject and clause cue; there a cue alone decides only where it is the metric's own act
(`cue_alone`: 举办 for events). In every class a subject keyword too general to name a
campaign metric (`general_subjects`: 资金, 儿童, 项目, 企业 …, counted in any news) speaks
for one only with that metric's act beside it or a campaign actor in the sentence.

    >>> assign_metric("money", "慰问金", "发放慰问金27万元", before="发放慰问金")[0]
    'funds_disbursed'
    >>> assign_metric("people", "全国劳模待遇者", "重点慰问年逾七旬的全国劳动模范…130人",
    ...               before="重点慰问年逾七旬的全国劳动模范、全国先进工作者以及享受全国劳模待遇者")[0]
    'people_reached'
    >>> assign_metric("people", "干部职工", "吸引55个部门的6600余名干部职工踊跃参赛",
    ...               before="吸引55个部门的", after="干部职工踊跃参赛。")[0]
    'participants'
    >>> assign_metric("money", "案款", "共发放案款1103万元", before="全省法院开展执行案款集中发放活动，共发放案款")[0]
    'other'
    >>> assign_metric("money", "资金", "紧急止付涉诈资金2170.7亿元", before="紧急止付涉诈资金")[0]
    'other'
    >>> assign_metric("percent", None, "无关的话")
    ('rates_and_changes', '类别：比例')
"""
from __future__ import annotations

from typing import Final

import re
from dataclasses import dataclass
from functools import cache

from .. import rules
from ..regex_cache import regex, regexes
from .text_spans import char_table


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    zh: str
    en: str
    unit_classes: frozenset[str]
    subjects: tuple[str, ...]   # longest first
    cues: tuple[str, ...]
    actions: tuple[str, ...]
    parent: str | None
    before: tuple[str, ...] = ()     # verbs before the figure in its clause (the nearest counts)
    after: tuple[str, ...] = ()      # verbs after the figure (the first counts)
    adjacent: tuple[str, ...] = ()   # words right before the figure (为 N名…: those it was done for)
    context: tuple[str, ...] = ()    # actor and domain words anywhere around the figure
    cue_alone: tuple[str, ...] = ()  # cues that decide without a subject keyword (举办, 出版)
    backing: tuple[str, ...] | None = None   # the cues that back a general subject keyword (None: every cue)


def _words(m: dict, key: str) -> tuple[str, ...]:
    return tuple(sorted(m.get(key) or [], key=len, reverse=True))


def _cue_alone(m: dict) -> tuple[str, ...]:
    """`cue_alone: true` (every cue of the metric) or a list of its cues."""
    given = m.get("cue_alone")
    if given is True:
        return _words(m, "cues")
    return tuple(sorted((str(w) for w in given or []), key=len, reverse=True))


@cache
def metrics() -> tuple[Metric, ...]:
    d = rules.metric_rules()
    out = []
    for m in d["metrics"]:
        out.append(Metric(m["id"], m["zh"], m["en"], frozenset(m["unit_classes"]),
                          _words(m, "subjects"), _words(m, "cues"), _words(m, "actions"), m.get("parent"),
                          _words(m, "before"), _words(m, "after"), _words(m, "adjacent"),
                          _words(m, "context"), _cue_alone(m),
                          _words(m, "backing") if "backing" in m else None))
    return tuple(out)


@cache
def by_id() -> dict[str, Metric]:
    return {m.id: m for m in metrics()}


@cache
def _weights() -> tuple[float, float, float, float]:
    w = rules.metric_rules().get("weights", {})
    return (float(w.get("subject", 3)), float(w.get("action", 3.5)), float(w.get("cue", 1)),
            float(w.get("length", 0.1)))


def _candidates(unit_class: str | None) -> tuple:
    """The metrics a unit class may take, each with a search for its word lists;
    rebuilt when the taxonomy is reloaded."""
    ms = metrics()
    if _CANDIDATES.get(_BUILT_FROM) is not ms:
        _CANDIDATES.clear()
        _MODELS.clear()
        _CANDIDATES[_BUILT_FROM] = ms
    got = _CANDIDATES.get(unit_class)
    if got is None:
        finders = _CANDIDATES.get(_FINDERS)
        if finders is None:
            finders = _CANDIDATES[_FINDERS] = _finders(ms)
        got = _CANDIDATES[unit_class] = tuple(
            (m, finders.get((m.id, "subjects"), _never), finders.get((m.id, "actions"), _never),
             finders.get((m.id, "cues"), _never))
            for m in ms if m.id != "other" and unit_class in m.unit_classes)
    return got


_CANDIDATES: Final[dict] = {}
_BUILT_FROM: Final = object()   # key under which the taxonomy the cache was built from is kept
_FINDERS: Final = object()      # key under which the finders of every metric are kept


def _finders(ms: tuple[Metric, ...]) -> dict:
    """(metric id, "subjects" | "actions" | "cues") -> a search for any of those words,
    for every metric with such words. The programs come from the regex cache, all in
    one entry: compiled afresh at each start they cost about 77 M instructions
    (callgrind), read back one entry per list about 22 M."""
    lists = [(m.id, field, words) for m in ms if m.id != "other"
             for field, words in (("subjects", m.subjects), ("actions", m.actions), ("cues", m.cues))
             if words]
    patterns = regexes("metrics.finders", [rules.alternation(words) for _, _, words in lists])
    return {(mid, field): p.search for (mid, field, _), p in zip(lists, patterns)}


def _never(s: str) -> bool:
    """The finder of an empty word list."""
    return False


@dataclass(frozen=True, slots=True)
class _Backing:
    """What a subject keyword too general to name a campaign metric needs beside it
    (metrics.yaml `general_subjects`, `campaign_actors`)."""
    general: frozenset[str]          # 资金, 项目, 企业 …: counted in any news
    actor: re.Pattern | None         # a campaign actor in the sentence (党组织, 工委 …)
    hiding: re.Pattern | None        # words a metric word stands inside (运动员 ⊃ 动员)
    hiding_words: tuple[str, ...]    # a metric word inside each of them: without one, nothing to hide
    acts_backed: frozenset[str]      # metrics whose acts alone say nothing (派出 soldiers are no volunteers)


@cache
def _backing() -> _Backing:
    d = rules.metric_rules()
    actors = [str(w) for w in d.get("campaign_actors") or []]
    hiding = [str(w) for w in d.get("words_hiding_cues") or []]
    return _Backing(frozenset(str(w) for w in d.get("general_subjects") or []),
                    regex("metrics.actors", rules.alternation(actors)) if actors else None,
                    regex("metrics.hiding", rules.alternation(hiding)) if hiding else None,
                    _hidden_words(hiding),
                    frozenset(str(w) for w in d.get("acts_need_backing") or []))


# `_backing()` and `_weights()` as the compiled code reads them per claim: a call of
# functools' wrapper goes through Python's generic call (an argument tuple, the key's
# hash: about 200 instructions), and assign_metric made three to five a claim. Each
# holds what the cached function returned the first time it was asked, which is what
# the cached function returns ever after (neither is cleared, by tests either).
_BACKING_KEPT: Final[list[_Backing]] = []
_WEIGHTS_KEPT: Final[list[tuple[float, float, float, float]]] = []


def _the_backing() -> _Backing:
    if not _BACKING_KEPT:
        _BACKING_KEPT.append(_backing())
    return _BACKING_KEPT[0]


def _the_weights() -> tuple[float, float, float, float]:
    if not _WEIGHTS_KEPT:
        _WEIGHTS_KEPT.append(_weights())
    return _WEIGHTS_KEPT[0]


def _hidden_words(hiding: list[str]) -> tuple[str, ...]:
    """For each word that hides a metric word, the longest (the last of the longest)
    metric word inside it, or the word itself: a text holding none of these holds no
    hiding word, and a few substring tests (about a tenth of a regex search's 2,000
    instructions a window, four windows a claim) spare it the search."""
    every = {w for m in metrics() for w in (*m.subjects, *m.cues, *m.actions, *m.before, *m.after,
                                             *m.adjacent, *m.context)}
    out: list[str] = []
    for h in hiding:
        inside = [(len(w), h.rfind(w), w) for w in every if w in h]
        w = max(inside)[2] if inside else h
        if w not in out:
            out.append(w)
    return tuple(out)


def _masked(hiding: re.Pattern, words: tuple[str, ...], text: str) -> str:
    """`text` with every word that hides a metric word blanked, same length (offsets and
    windows unchanged): 154名运动员 is no one mobilised (动员). `words`: the metric words
    inside the hiding words (`_hidden_words`), or () to search without that test."""
    if not text:
        return text
    if words:
        for w in words:
            if w in text:
                break
        else:
            return text
    if hiding.search(text) is None:
        return text
    return hiding.sub(lambda mo: _BLANK * len(mo.group()), text)


_BLANK: Final = "□"    # no list's word holds it; not a clause stop


def _actor_in(text: str) -> str:
    """The first campaign actor word in `text`, "" if none."""
    pat = _the_backing().actor
    mo = pat.search(text) if pat is not None and text else None
    return mo.group() if mo is not None else ""


# A metric a unit class falls back to when no word speaks for one (a percent is a rate).
_CLASS_DEFAULT: Final = {"percent": "rates_and_changes", "duration": "time_spent"}


def hides_nothing(view: str, lo: int, hi: int) -> bool:
    """Whether no word that hides a metric word (运动员 ⊃ 动员) can stand in any text cut
    from view[lo:hi], or joined from such cuts with "|": then `_masked` leaves each as it
    is, and a caller whose windows all lie there says so to `assign_metric` (three finds
    over the span, where masking the four windows made twelve `in` tests and four calls
    a claim). `_masked` returns its text when none of `hiding_words` is in it; none is
    in a cut of a span that holds none, and "|" is in none of them, so a join makes none."""
    b = _the_backing()
    if b.hiding is None:
        return True
    words = b.hiding_words
    if not words:
        return False        # _masked then searches the regex itself
    for w in words:
        if "|" in w or view.find(w, lo, hi) >= 0:
            return False
    return True


def assign_metric(unit_class: str | None, subject: str | None, context: str,
                  beside: str = "", before: str = "", after: str = "",
                  unmasked: bool = False) -> tuple[str, str]:
    """(metric id, evidence in Chinese) for a claim of `unit_class` whose subject is
    `subject` (simplified; with the relative clause before its head, if any), in the
    clause `context`; `beside` holds the few characters on each side of the subject,
    where the verb of what the counted did (or had done to it) stands; `before` is the
    text of the figure's sentence before it (a few dozen characters are enough) and
    `after` the text after it (cut at the sentence's end here). `unmasked`: the caller
    found by `hides_nothing` that no hiding word stands in any of the texts."""
    backing = _the_backing()
    hiding = backing.hiding
    if hiding is not None and not unmasked:
        words = backing.hiding_words
        context, beside = _masked(hiding, words, context), _masked(hiding, words, beside)
        before, after = _masked(hiding, words, before), _masked(hiding, words, after)
    candidates = _candidates(unit_class)
    model = _MODELS.get(unit_class)
    if model is None:
        model = _model(unit_class) or False
    if isinstance(model, _Model):
        return _decide(model, subject, context, before, after)
    w_subject, w_action, w_cue, w_len = _the_weights()
    best, best_score, best_ev = "other", 0.0, ""
    use_action = bool(beside) and unit_class in _ACTION_CLASSES
    general = backing.general
    actor: str | None = None      # looked for once, when a general keyword needs it
    for m, any_subject, any_action, any_cue in candidates:
        score, ev = 0.0, []
        # each regex says at C speed whether any word of a list occurs; only then is
        # the longest one looked for (most metrics match nothing)
        cue = next(k for k in m.cues if k in context) if any_cue(context) else ""
        if subject and any_subject(subject):
            kw = next(k for k in m.subjects if k in subject)
            backs = cue if m.backing is None or not cue else next((k for k in m.backing if k in context), "")
            if kw in general and not backs:
                # 项目, 企业, 方面 alone are counted in any news: the metric's action in
                # the clause (for some metrics only their own acts: 出台, 推出 措施 are
                # policy, no matter handled) or a campaign actor in the sentence must back them
                if actor is None:
                    actor = _actor_in(before + "|" + after)
                if actor:
                    score += w_subject + w_len * len(kw)
                    ev.append(f"主体含“{kw}”；行为者“{actor}”")
            else:
                score += w_subject + w_len * len(kw)
                ev.append(f"主体含“{kw}”")
        if use_action and any_action(beside):
            score += w_action
            ev.append(f"动作“{next(k for k in m.actions if k in beside)}”")
        # a cue says what was done, not what was counted: it adds to a subject keyword
        # or a verb beside it and decides nothing alone (发布岗位2400万个 is no publication),
        # but for a metric whose cues are its own act (举办59场: events held; `cue_alone`)
        if cue and score == 0:
            cue = next((k for k in m.cue_alone if k in context), "")
        if cue:
            score += w_cue
            ev.append(f"语境“{cue}”")
        if score > best_score:
            best, best_score, best_ev = m.id, score, "；".join(ev)
    if best == "other" and unit_class in _CLASS_DEFAULT:
        return _CLASS_DEFAULT[unit_class], f"类别：{_CLASS_ZH.get(unit_class, unit_class)}"
    return best, best_ev or "无匹配的主体或语境"


# Classes where the verb beside the subject tells metrics apart (who did what, or what
# was done with the money); for organisations and items it says little.
_ACTION_CLASSES: Final = frozenset({"people", "person_times", "money"})

_CLASS_ZH: Final = {"percent": "比例", "duration": "时长"}


# ------------------------------------------------------------------ the scored model

# Where a word is looked for, and how the evidence names it. The word list each place
# reads is the metric's field named in _LISTS. "noun" reads the subject keywords in the
# subject and in the nouns right beside the figure alike, so a subject that was missed
# or chosen wrong weighs no more than the words next to the figure. (The verbs beside
# the subject, `actions`, are not read here: with the subject next to the figure they
# are the verbs before and after it.)
POSITIONS: Final = ("noun", "before", "after", "adjacent", "context", "cue")
_POSITION_ZH: Final = ("主体含", "前动词", "后动词", "紧邻", "语境词", "语境")
_LISTS: Final = ("subjects", "before", "after", "adjacent", "context", "cues")
_BEFORE, _AFTER, _ADJACENT, _CONTEXT = 1, 2, 3, 4

# characters that end a clause (the verb before the figure is looked for after the last)
# and a sentence (the text after the figure is cut at the first); the nouns beside the
# figure stop at a digit, a blank or a punctuation mark
_CLAUSE_STOP_CHARS: Final = "，,：:;；。！？!?\n"
_SENT_STOP_CHARS: Final = "。！？!?;；\n"
_NEAR_STOP_CHARS: Final = "0123456789０１２３４５６７８９，,、：:;；。！？!?（(“”\"<"
_AND: Final = frozenset("和及与或")
_AFTER_WINDOW: Final = 24     # characters after the figure read for the verb after it
_CONTEXT_BEFORE: Final = 60   # characters of the sentence before the figure read for context words
_NEAR_BEFORE: Final = 6
_NEAR_AFTER: Final = 10


# the characters str.isspace calls blanks (the regex class \\s), all in the Basic
# Multilingual Plane: listed, as testing all 65,536 code points at import costs 15 ms
_BLANKS: Final = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
                  "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


# the windows here are a few dozen characters: a walk with one index per character
# costs less than a regex search's call (tests/test_extraction_speed_paths.py holds each
# table to the regex class it replaced at every code point)
_CLAUSE_STOPS: Final = char_table(_CLAUSE_STOP_CHARS)
_SENT_STOPS: Final = char_table(_SENT_STOP_CHARS)
_NEAR_STOPS: Final = char_table(_NEAR_STOP_CHARS + _BLANKS)


def _first_stop(text: str, table: bytes) -> int:
    """The index of the first character of `text` in `table`'s class, len(text) if none
    (what `pattern.search(text).start()` gives, or no match)."""
    n = len(text)
    j = 0
    while j < n:
        c = ord(text[j])
        if c < 0x10000 and table[c]:
            return j
        j += 1
    return n


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """One place's words for the metrics of one unit class: a search for any of them
    and, for each word, the metrics it speaks for. For the verb before the figure the
    words are reversed and searched in the reversed text: the first hit is the nearest."""
    pattern: re.Pattern
    metrics_of: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class _Model:
    candidates: tuple[str, ...]              # metric ids of the class, taxonomy order, other last
    lexicons: tuple[_Lexicon | None, ...]    # per place (POSITIONS order); None: no words
    weights: dict[tuple[int, str], float]    # (place index, metric) -> weight
    bias: dict[str, float]                   # metric -> bias for the class
    name_heads: dict[str, tuple[str, ...]]   # reversed verb -> reversed words that make it a name's tail


_MODELS: Final[dict] = {}


@cache
def model_rules() -> dict:
    """data/rules/metric_model.yaml: the unit classes the scored model decides, its
    weights per place and metric, and its bias per unit class and metric."""
    return rules.load_yaml(rules.RULES_DIR / "metric_model.yaml")


def _model(unit_class: str | None) -> _Model | None:
    """The scored model of a unit class; None for a class it does not decide."""
    _candidates(unit_class)       # clears the cache when the taxonomy was reloaded
    got = _MODELS.get(unit_class)
    if got is None:
        d = model_rules()
        if unit_class is None or unit_class not in (d.get("unit_classes") or []):
            _MODELS[unit_class] = False
            return None
        got = _MODELS[unit_class] = _build_model(unit_class, d)
    return got or None


def _build_model(unit_class: str, d: dict) -> _Model:
    ms = [m for m in metrics() if unit_class in m.unit_classes]
    ms.sort(key=lambda m: m.id == "other")
    words_of: list[dict[str, list[str]]] = []
    for i, field in enumerate(_LISTS):
        metrics_of: dict[str, list[str]] = {}
        for m in ms:
            for w in getattr(m, field):
                metrics_of.setdefault(w[::-1] if i == _BEFORE else w, []).append(m.id)
        words_of.append(metrics_of)
    pats: list[str] = []
    for i, metrics_of in enumerate(words_of):
        if metrics_of:
            pat = rules.alternation(metrics_of)
            pats.append(f"(?:{pat})$" if i == _ADJACENT else pat)
    # the places' programs from the regex cache as one entry (one read, not six)
    compiled = iter(regexes(f"metrics.{unit_class}", pats))
    lexicons: list[_Lexicon | None] = []
    for metrics_of in words_of:
        if not metrics_of:
            lexicons.append(None)
            continue
        lexicons.append(_Lexicon(next(compiled), {w: tuple(v) for w, v in metrics_of.items()}))
    weights: dict[tuple[int, str], float] = {}
    given = d.get("weights") or {}
    for i, pos in enumerate(POSITIONS):
        per = given.get(pos) or {}
        default = float(per.get("*", 0.0))
        for m in ms:
            weights[(i, m.id)] = float(per.get(m.id, default))
    bias = {m.id: float(((d.get("bias") or {}).get(unit_class) or {}).get(m.id, 0.0)) for m in ms}
    names = rules.metric_rules().get("verbs_in_names") or {}
    name_heads = {str(v)[::-1]: tuple(str(h)[::-1] for h in hs) for v, hs in names.items()}
    return _Model(tuple(m.id for m in ms), tuple(lexicons), weights, bias, name_heads)


def _nearest_verb(pattern: re.Pattern, clause_rev: str,
                  name_heads: dict[str, tuple[str, ...]]) -> re.Match | None:
    """The nearest verb before the figure in its reversed clause, passing over one that
    ends a name there (世界卫生组织的数据…修正为3958人: an organisation, nobody organised)."""
    # the first match, by one search: it is nearly always the answer or there is none,
    # where an iterator over the matches cost its making besides the search
    first = pattern.search(clause_rev)
    if first is None:
        return None
    heads = name_heads.get(first.group())
    if heads is None or not clause_rev.startswith(heads, first.end()):
        return first
    for mo in pattern.finditer(clause_rev):
        heads = name_heads.get(mo.group())
        if heads is None or not clause_rev.startswith(heads, mo.end()):
            return mo
    return None


def _windows(subject: str | None, context: str, before: str, after: str) -> tuple[str, ...]:
    """The text each place reads, in POSITIONS order (the clause before the figure
    reversed, for the nearest verb)."""
    after = after[:_first_stop(after, _SENT_STOPS)]
    after = after[:_AFTER_WINDOW]
    rev = before[::-1]
    clause_rev = rev[:_first_stop(rev, _CLAUSE_STOPS)]
    near_b = rev[:_NEAR_BEFORE]
    near_b = near_b[:_first_stop(near_b, _NEAR_STOPS)]
    if near_b[:1] in _AND:
        near_b = ""       # 290名儿童和1217名青少年: the noun before 和 is the other figure's
    near_a = after[:_NEAR_AFTER]
    near_a = near_a[:_first_stop(near_a, _NEAR_STOPS)]
    # 为/向/对 right before the figure introduce those it was done for only when a noun
    # follows the figure (为151名困难党员送去…), not as a copula (党员总数为9671.2万名，)
    adjacent = clause_rev[3::-1] if near_a else ""
    return ((subject or "") + "|" + near_b[::-1] + "|" + near_a, clause_rev, after, adjacent,
            before[-_CONTEXT_BEFORE:] + "|" + after, context)


def metric_features(unit_class: str | None, subject: str | None, context: str, beside: str = "",
                    before: str = "", after: str = "", unmasked: bool = False) -> list[tuple[str, str, str]]:
    """(place, metric, word) for every place where a word speaks for a metric of the
    scored model; empty for a unit class the model does not decide. The nearest verb
    before the figure and the first one after it count, every other place counts all
    its words; a place speaks for a metric once. Takes assign_metric's arguments, so
    that a recorded call replays (tools/fit_metrics.py)."""
    model = _model(unit_class)
    if model is None:
        return []
    backing = _backing()
    hiding = backing.hiding
    if hiding is not None and not unmasked:
        words = backing.hiding_words
        context, before, after = (_masked(hiding, words, context), _masked(hiding, words, before),
                                  _masked(hiding, words, after))
    return [(POSITIONS[i], mid, word) for i, mid, word in _features(model, _windows(subject, context, before, after))]


def _features(model: _Model, windows: tuple[str, ...]) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for i, lex in enumerate(model.lexicons):
        text = windows[i]
        if lex is None or not text:
            continue
        if i == _BEFORE or i == _AFTER or i == _ADJACENT:
            mo = _nearest_verb(lex.pattern, text, model.name_heads) if i == _BEFORE else lex.pattern.search(text)
            if mo is None:
                continue
            word = mo.group()
            shown = word[::-1] if i == _BEFORE else word
            for mid in lex.metrics_of[word]:
                out.append((i, mid, shown))
            continue
        # findall: the words of finditer's matches (the patterns have no groups), in one
        # call instead of a match object and a group() call per word
        words = lex.pattern.findall(text)
        if not words:
            continue        # nine in ten windows on the bench reports: no set made for nothing
        seen: set[str] = set()
        for word in words:
            for mid in lex.metrics_of[word]:
                if mid not in seen:
                    seen.add(mid)
                    out.append((i, mid, word))
    return _backed(out, windows[4])


def _backed(feats: list[tuple[int, str, str]], around: str) -> list[tuple[int, str, str]]:
    """The features, less a noun too general to name a metric by itself (资金, 学生 …:
    止付涉诈资金, 拟招收研究生) unless another place speaks for the same metric (投入资金,
    资助学生), and less the acts of a metric whose acts alone say nothing (派出, 坚守 for
    volunteers: 派出近400名官兵, 建设者坚守岗位) unless its own noun or domain word speaks
    too (选派…志愿者) -- either kept when a campaign actor stands in the sentence `around`
    the figure."""
    b = _the_backing()
    general, acts = b.general, b.acts_backed
    loose_noun = bool(general) and any(i == 0 and word in general for i, _, word in feats)
    loose_act = bool(acts) and any(i != 0 and i != _CONTEXT and mid in acts for i, mid, _ in feats)
    if not loose_noun and not loose_act:
        return feats
    if _actor_in(around):
        return feats
    backed = {mid for i, mid, _ in feats if i != 0}
    own = {mid for i, mid, word in feats if (i == 0 and word not in general) or i == _CONTEXT}
    return [f for f in feats
            if not (f[0] == 0 and f[2] in general and f[1] not in backed)
            and not (f[0] != 0 and f[0] != _CONTEXT and f[1] in acts and f[1] not in own)]


def _decide(model: _Model, subject: str | None, context: str, before: str,
            after: str) -> tuple[str, str]:
    feats = _features(model, _windows(subject, context, before, after))
    scores = dict(model.bias)
    weights = model.weights
    for i, mid, _ in feats:
        scores[mid] += weights[(i, mid)]
    best = model.candidates[-1]
    best_score = scores[best]
    for mid in model.candidates:
        if scores[mid] > best_score:
            best, best_score = mid, scores[mid]
    # each word once, at the first place it was read
    ev: list[str] = []
    shown: set[str] = set()
    for i, mid, word in feats:
        if mid == best and word not in shown:
            shown.add(word)
            ev.append(f"{_POSITION_ZH[i]}“{word}”")
    return best, "；".join(ev) or "无匹配的主体或语境"
