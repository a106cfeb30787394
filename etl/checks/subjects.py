"""Subjects as the checks compare them: simplified, stripped, synonyms folded, lists split.

    部門、單位  -> key "部门、单位", parts ("部门", "单位")
    慰问资金    -> key "慰问金" (a synonym)

Two subjects *match* when their keys are equal; one *contains* the other when a key
holds the other key, or their part lists share a part (部门、单位 ⊇ 部门). Empty
subjects match nothing. The work is done once per distinct subject, not per claim.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from ..extraction.normalize import to_simplified
from .config import CheckRules, check_rules


@dataclass(frozen=True, slots=True)
class SubjectKey:
    key: str                    # normalised subject ("" when there is none)
    parts: tuple[str, ...]      # list members: 部门、单位 -> (部门, 单位)
    tokens: tuple[str, ...]     # blocking words: the key, its parts and their bigrams
    generic: bool               # 方面, 时间 ...: identifies nothing on its own


def subject_key(subject: str | None, rules: CheckRules | None = None) -> SubjectKey:
    """The comparable form of a subject as written.

    >>> subject_key("部門、單位").parts
    ('部门', '单位')
    >>> subject_key("慰问资金").key
    '慰问金'
    >>> subject_key("方面").generic
    True
    >>> subject_key(None).key
    ''
    """
    rules = rules or check_rules()
    if not subject:
        return SubjectKey("", (), (), True)
    s = to_simplified(str(subject))
    s = "".join(ch for ch in s if ch not in rules.subject_strip)
    s = s.replace("（", "(").replace("）", ")")
    # a bracketed remark is not part of what is counted: 党组(党委)书记 -> 党组书记
    while "(" in s and ")" in s.split("(", 1)[1]:
        head, rest = s.split("(", 1)
        s = head + rest.split(")", 1)[1]
    if not s:
        return SubjectKey("", (), (), True)
    parts = [s]
    for j in sorted(rules.subject_joiners, key=len, reverse=True):
        parts = [p for q in parts for p in q.split(j)]
    parts = [rules.synonyms.get(p, p) for p in parts if p]
    key = rules.synonyms.get(s, "、".join(parts) if len(parts) > 1 else (parts[0] if parts else s))
    if not parts:
        parts = [key]
    # every bigram of every part: a subject contained in another shares all its bigrams
    # with it, so blocking on bigrams loses no containment pair
    tokens = dict.fromkeys([key, *parts, *(p[i:i + 2] for p in parts for i in range(len(p) - 1))])
    generic = key in rules.generic or all(p in rules.generic for p in parts) or len(key) < 2
    return SubjectKey(key, tuple(dict.fromkeys(parts)), tuple(tokens), generic)


def subject_table(subjects: Iterable[str | None], rules: CheckRules | None = None) -> pd.DataFrame:
    """One row per distinct subject: subject, skey, parts, tokens, generic (for SQL joins)."""
    rules = rules or check_rules()
    rows = []
    for s in dict.fromkeys(x for x in subjects if isinstance(x, str) and x):
        k = subject_key(s, rules)
        rows.append((s, k.key, list(k.parts), list(k.tokens), k.generic))
    return pd.DataFrame(rows, columns=["subject", "skey", "parts", "tokens", "generic"]).astype(
        {"subject": "object", "skey": "object", "generic": "bool"})


def relation(a: SubjectKey, b: SubjectKey) -> str:
    """'same', 'contains' or 'none' (empty subjects are never related).

    >>> relation(subject_key("部门、单位"), subject_key("部门"))
    'contains'
    >>> relation(subject_key("慰問金"), subject_key("慰问金"))
    'same'
    >>> relation(subject_key(""), subject_key(""))
    'none'
    """
    if not a.key or not b.key:
        return "none"
    if a.key == b.key:
        return "same"
    short, long_ = sorted((a.key, b.key), key=len)
    if len(short) >= 2 and short in long_:
        return "contains"
    if set(a.parts) & set(b.parts):
        return "contains"
    return "none"
