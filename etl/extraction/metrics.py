"""What a figure measures (funds disbursed, people reached, participants …), from the
taxonomy in data/rules/metrics.yaml, with the evidence that decided it.

    >>> assign_metric("money", "慰问金", "发放慰问金27万元")
    ('funds_disbursed', '主体含“慰问金”；语境“发放”')
    >>> assign_metric("people", "全国劳模待遇者", "重点慰问年逾七旬的全国劳动模范…130人")[0]
    'people_reached'
    >>> assign_metric("people", "干部职工", "吸引55个部门的6600余名干部职工踊跃参赛")[0]
    'participants'
    >>> assign_metric("percent", None, "无关的话")
    ('rates_and_changes', '类别：比例')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import rules


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


@cache
def metrics() -> tuple[Metric, ...]:
    d = rules.metric_rules()
    out = []
    for m in d["metrics"]:
        out.append(Metric(m["id"], m["zh"], m["en"], frozenset(m["unit_classes"]),
                          tuple(sorted(m.get("subjects") or [], key=len, reverse=True)),
                          tuple(sorted(m.get("cues") or [], key=len, reverse=True)),
                          tuple(sorted(m.get("actions") or [], key=len, reverse=True)), m.get("parent")))
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
        _CANDIDATES[_BUILT_FROM] = ms
    got = _CANDIDATES.get(unit_class)
    if got is None:
        got = _CANDIDATES[unit_class] = tuple(
            (m, _finder(m.subjects), _finder(m.actions), _finder(m.cues))
            for m in ms if m.id != "other" and unit_class in m.unit_classes)
    return got


_CANDIDATES: dict = {}
_BUILT_FROM = object()   # key under which the taxonomy the cache was built from is kept


def _finder(words):
    if not words:
        return lambda s: False
    return re.compile(rules.alternation(words)).search


# A metric a unit class falls back to when no word speaks for one (a percent is a rate).
_CLASS_DEFAULT = {"percent": "rates_and_changes", "duration": "time_spent"}


def assign_metric(unit_class: str | None, subject: str | None, context: str,
                  beside: str = "") -> tuple[str, str]:
    """(metric id, evidence in Chinese) for a claim of `unit_class` whose subject is
    `subject` (simplified; with the relative clause before its head, if any), in the
    clause `context`; `beside` holds the few characters on each side of the subject,
    where the verb of what the counted did (or had done to it) stands."""
    w_subject, w_action, w_cue, w_len = _weights()
    best, best_score, best_ev = "other", 0.0, ""
    use_action = bool(beside) and unit_class in _ACTION_CLASSES
    for m, any_subject, any_action, any_cue in _candidates(unit_class):
        score, ev = 0.0, []
        # each regex says at C speed whether any word of a list occurs; only then is
        # the longest one looked for (most metrics match nothing)
        if subject and any_subject(subject):
            kw = next(k for k in m.subjects if k in subject)
            score += w_subject + w_len * len(kw)
            ev.append(f"主体含“{kw}”")
        if use_action and any_action(beside):
            score += w_action
            ev.append(f"动作“{next(k for k in m.actions if k in beside)}”")
        if any_cue(context):
            score += w_cue
            ev.append(f"语境“{next(k for k in m.cues if k in context)}”")
        if score > best_score:
            best, best_score, best_ev = m.id, score, "；".join(ev)
    if best == "other" and unit_class in _CLASS_DEFAULT:
        return _CLASS_DEFAULT[unit_class], f"类别：{_CLASS_ZH.get(unit_class, unit_class)}"
    return best, best_ev or "无匹配的主体或语境"


# Classes where the verb beside the subject tells metrics apart (who did what, or what
# was done with the money); for organisations and items it says little.
_ACTION_CLASSES = frozenset({"people", "person_times", "money"})

_CLASS_ZH = {"percent": "比例", "duration": "时长"}
