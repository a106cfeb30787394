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

from dataclasses import dataclass
from functools import cache

from . import rules


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
    for m in metrics():
        if m.id == "other" or unit_class not in m.unit_classes:
            continue
        score, ev = 0.0, []
        if subject:
            kw = next((k for k in m.subjects if k in subject), None)
            if kw:
                score += w_subject + w_len * len(kw)
                ev.append(f"主体含“{kw}”")
        act = (next((k for k in m.actions if k in beside), None)
               if beside and unit_class in _ACTION_CLASSES else None)
        if act:
            score += w_action
            ev.append(f"动作“{act}”")
        cue = next((k for k in m.cues if k in context), None)
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
_ACTION_CLASSES = frozenset({"people", "person_times", "money"})

_CLASS_ZH = {"percent": "比例", "duration": "时长"}
