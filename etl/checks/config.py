"""The check rules (data/rules/checks.yaml), loaded once, validated, typed and read-only."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

from ..claim import UNIT_CLASSES
from ..rules import RULES_DIR, RuleError

RULES_FILE = RULES_DIR / "checks.yaml"


@dataclass(frozen=True, slots=True)
class CheckRules:
    open_over: tuple[str, ...]          # approx words open above: 以上, 超过 ...
    open_under: tuple[str, ...]         # ... open below: 不到, 不足 ...
    counting_classes: frozenset[str]    # whole-number classes: a count written in full is exact
    cue_over: tuple[str, ...]           # 突破 before an exact figure: open above
    cue_under: tuple[str, ...]
    skip_classes: tuple[str, ...]       # not compared for duplicates/conflicts (duration)
    periodic_words: tuple[str, ...]     # 新增, 今天 ...: a figure for one day or week
    subject_strip: str
    subject_joiners: tuple[str, ...]
    synonyms: Mapping[str, str]         # name -> canonical name
    generic: frozenset[str]
    dup_context_before: int
    dup_context_after: int
    dup_context_min: float
    dup_reprint_context_min: float
    dup_max_block: int
    dup_series_min_values: int
    conflict_context_min: float
    conflict_context_min_same_report: float
    update_words: tuple[str, ...]
    conflict_anchored_ratio: float
    conflict_max_block: int
    conflict_max_versions: int
    conflict_max_ratio: float
    per_counts: Mapping[str, tuple[str, ...]]
    total_words: tuple[str, ...]
    sum_words: tuple[str, ...]
    part_words: tuple[str, ...]
    share_words: tuple[str, ...]
    shingle: int
    num_perm: int
    lsh_threshold: float
    jaccard_min: float
    containment_min: float
    min_shingles: int


def _words(d: dict, key: str, where: str) -> tuple[str, ...]:
    v = d.get(key)
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise RuleError(f"{RULES_FILE.name}: {where}.{key}: expected a list of words")
    return tuple(v)


def _fraction(d: dict, key: str, where: str) -> float:
    v = d.get(key)
    if not isinstance(v, (int, float)) or not 0 <= v <= 1:
        raise RuleError(f"{RULES_FILE.name}: {where}.{key}: expected a number in [0, 1], got {v!r}")
    return float(v)


def _count(d: dict, key: str, where: str) -> int:
    v = d.get(key)
    if not isinstance(v, int) or v <= 0:
        raise RuleError(f"{RULES_FILE.name}: {where}.{key}: expected a positive whole number, got {v!r}")
    return v


@cache
def check_rules(path: Path = RULES_FILE) -> CheckRules:
    """The rules, parsed once per process (RuleError names the bad entry)."""
    try:
        d = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleError(f"{path}: {exc}") from exc
    try:
        pr, su, du, co, ar, nd = (d[k] for k in ("precision", "subjects", "duplicates", "conflicts",
                                                 "arithmetic", "near_duplicates"))
    except (KeyError, TypeError) as exc:
        raise RuleError(f"{path}: missing section {exc}") from exc
    classes = frozenset(_words(pr, "counting_classes", "precision"))
    if classes - set(UNIT_CLASSES):
        raise RuleError(f"{path}: precision.counting_classes: unknown {sorted(classes - set(UNIT_CLASSES))}")
    synonyms: dict[str, str] = {}
    for row in su.get("synonyms") or []:
        if not isinstance(row, list) or len(row) < 2:
            raise RuleError(f"{path}: subjects.synonyms: each row lists two or more names, got {row!r}")
        for name in row[1:]:
            if name in synonyms and synonyms[name] != row[0]:
                raise RuleError(f"{path}: subjects.synonyms: {name!r} is in two rows")
            synonyms[str(name)] = str(row[0])
    per_counts = {}
    for per, units in (ar.get("per_counts") or {}).items():
        if not isinstance(units, list) or not units:
            raise RuleError(f"{path}: arithmetic.per_counts.{per}: expected a list of units")
        per_counts[str(per)] = tuple(str(u) for u in units)
    return CheckRules(
        open_over=_words(pr, "open_over", "precision"),
        open_under=_words(pr, "open_under", "precision"),
        counting_classes=classes,
        cue_over=_words(pr, "cue_over", "precision"),
        cue_under=_words(pr, "cue_under", "precision"),
        skip_classes=_words(d, "skip_classes", "top level"),
        periodic_words=_words(d, "periodic_words", "top level"),
        subject_strip=str(su.get("strip", "")),
        subject_joiners=_words(su, "joiners", "subjects"),
        synonyms=MappingProxyType(synonyms),
        generic=frozenset(_words(su, "generic", "subjects")),
        dup_context_before=_count(du, "context_before", "duplicates"),
        dup_context_after=_count(du, "context_after", "duplicates"),
        dup_context_min=_fraction(du, "context_min", "duplicates"),
        dup_reprint_context_min=_fraction(du, "reprint_context_min", "duplicates"),
        dup_max_block=_count(du, "max_block", "duplicates"),
        dup_series_min_values=_count(du, "series_min_values", "duplicates"),
        conflict_context_min=_fraction(co, "context_min", "conflicts"),
        conflict_context_min_same_report=_fraction(co, "context_min_same_report", "conflicts"),
        update_words=_words(co, "update_words", "conflicts"),
        conflict_anchored_ratio=float(co.get("anchored_ratio", 1.5)),
        conflict_max_block=_count(co, "max_block", "conflicts"),
        conflict_max_versions=_count(co, "max_versions", "conflicts"),
        conflict_max_ratio=float(co.get("max_ratio", 10)),
        per_counts=MappingProxyType(per_counts),
        total_words=_words(ar, "total_words", "arithmetic"),
        sum_words=_words(ar, "sum_words", "arithmetic"),
        part_words=_words(ar, "part_words", "arithmetic"),
        share_words=_words(ar, "share_words", "arithmetic"),
        shingle=_count(nd, "shingle", "near_duplicates"),
        num_perm=_count(nd, "num_perm", "near_duplicates"),
        lsh_threshold=_fraction(nd, "lsh_threshold", "near_duplicates"),
        jaccard_min=_fraction(nd, "jaccard_min", "near_duplicates"),
        containment_min=_fraction(nd, "containment_min", "near_duplicates"),
        min_shingles=_count(nd, "min_shingles", "near_duplicates"),
    )
