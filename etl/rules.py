"""Load the rule files in data/rules/ once and hand out typed, read-only tables.

Rules are data (units, approximation words, slogans, furniture markers); this module
only reads and checks them. Regexes are built from these tables in the modules that
use them, never written inside the YAML.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from . import file_cache
from .claim_vocab import APPROX_KINDS, UNIT_CLASSES

# REPORT_FIGURES_RULES points at another copy of the rule files (a team's own rules, or
# a test that changes one).
RULES_DIR = Path(os.environ.get("REPORT_FIGURES_RULES")
                 or Path(__file__).resolve().parent.parent / "data" / "rules")


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and the entry."""


class MetadataRuleError(RuleError):
    """campaigns.yaml or organisations.yaml is malformed; names the file and entry."""


@dataclass(frozen=True, slots=True)
class Unit:
    written: str      # as it appears after the number (simplified)
    unit: str         # canonical unit (元, 人, 个 ...)
    unit_class: str   # one of UNIT_CLASSES
    factor: Decimal   # multiply the number by this to get base units


@dataclass(frozen=True, slots=True)
class Numerals:
    digits: Mapping[str, int]
    small_units: Mapping[str, int]
    big_units: Mapping[str, int]
    tens: Mapping[str, int]
    not_positional: frozenset[str]
    minus_signs: str      # - and − (full-width － is - on the view)
    minus_after: str      # what may stand before a minus sign (为-0.3%, 气温-18℃)
    half_value: Decimal   # a half as a share (一半 = 50 %)
    half_words: Mapping[str, str]         # 一半, 半数 … -> the approximation they carry
    half_not_after: tuple[str, ...]       # 另一半
    half_not_next: tuple[str, ...]        # 一半年, 过半个月

    @property
    def all_chars(self) -> str:
        return "".join([*self.digits, *self.small_units, *self.big_units, *self.tens])


@dataclass(frozen=True, slots=True)
class ApproxRules:
    prefix: Mapping[str, str]
    multiplier_only_prefix: frozenset[str]
    inner_suffix: Mapping[str, str]
    outer_suffix: Mapping[str, str]
    outer_suffix_at_end: tuple[str, ...]   # 多, 余: only where the figure ends
    figure_end_words: str                  # characters after which a figure has ended (来 of 七年多来)
    multiplier_suffix: str                 # 多 after a bare 万/亿 (14亿多中国人民) …
    multiplier_suffix_after: str           # … these multipliers …
    multiplier_suffix_not_before: str      # … and not before these (多少, 多么)
    clause_cue: Mapping[str, str]
    clause_window: int
    range_separators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NonClaimRules:
    slogans: tuple[str, ...]
    slogan_not_before: Mapping[str, str]
    names: tuple[str, ...]
    words: frozenset[str]
    furniture_keys: tuple[str, ...]
    furniture_lines: tuple[str, ...]
    ordinal_name_heads: tuple[str, ...]
    age_units: frozenset[str]
    quoted_name_heads: tuple[str, ...]
    duration_cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClassifyWords:
    """nonclaims.yaml's `classify:` section: the words each classify rule reads."""
    date_next: frozenset[str]
    window_after: tuple[str, ...]
    kept_up_windows: tuple[str, ...]
    kept_up_by: tuple[str, ...]
    near_window_units: frozenset[str]
    duration_after: tuple[str, ...]
    range_marks: str
    positional_digits: frozenset[str]
    anniversary_before: tuple[str, ...]
    anniversary_after: tuple[str, ...]
    anniversary_units: frozenset[str]
    ordinal_units: frozenset[str]
    ordinal_before: str
    ordinal_list_joiners: frozenset[str]
    rank_before: str
    rank_units: frozenset[str]
    rank_alone_next: frozenset[str]
    session_units: frozenset[str]
    session_after: str
    session_heads: tuple[str, ...]
    session_reach: int
    regulation_units: frozenset[str]
    regulation_heads: tuple[str, ...]
    regulation_issuers: tuple[str, ...]
    frequency_after: tuple[str, ...]
    frequency_units: frozenset[str]
    frequency_periods: tuple[str, ...]
    quote_pairs: Mapping[str, str]
    quote_openers: str
    clause_stops: str
    article_ones: frozenset[str]
    article_keep_classes: frozenset[str]
    article_per_gap: int
    article_per_units: frozenset[str]
    article_per_not_next: frozenset[str]
    kuai_money_next: frozenset[str]
    tally_units: frozenset[str]
    tally_verbs: tuple[str, ...]
    tally_verb_gap: int
    label_kind: str
    issue_units: frozenset[str]
    issue_not_next: str
    phase_units: frozenset[str]
    phase_heads_after: tuple[str, ...]
    phase_heads_before: tuple[str, ...]
    event_units: frozenset[str]
    event_heads: tuple[str, ...]
    vehicle_units: frozenset[str]
    vehicle_between: frozenset[str]
    vehicle_reach: int
    vehicle_heads: tuple[str, ...]


def load_yaml(path: Path, error: type[Exception] = RuleError) -> dict:
    """A rule file's top-level mapping; `error` (with the path in its message) if the
    file is missing, malformed, or not a mapping. Parsed once per version of the file
    and then read from the cache (etl/file_cache.py): PyYAML is slow to start."""
    try:
        data = file_cache.parsed(path.read_bytes(), "rules", path.name, _parse_yaml)
    except (OSError, _Unparsable) as exc:
        raise error(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping at the top level")
    return data


class _Unparsable(ValueError):
    """Not UTF-8 YAML (the message is the parser's)."""


def _parse_yaml(raw: bytes) -> Any:
    import yaml     # only when a rule file changed since it was last parsed
    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _Unparsable(str(exc)) from exc


def words(value: Any, where: str, error: type[Exception] = MetadataRuleError) -> tuple[str, ...]:
    """A rule file's list of words (numbers read as words); `error` if it is not one.

    >>> words(["省直工委", 2021], "x")
    ('省直工委', '2021')
    """
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise error(f"{where}: expected a list of words")
    return tuple(str(v) for v in value)


@cache
def _load(name: str) -> dict:
    """One parse per file per process (callers must not change the result)."""
    return load_yaml(RULES_DIR / name)


@cache
def numerals() -> Numerals:
    d = _load("numerals.yaml")
    half = d.get("half_share") or {}
    for word, kind in (half.get("words") or {}).items():
        if kind not in APPROX_KINDS:
            raise RuleError(f"numerals.yaml: half_share.words.{word}: unknown approximation {kind!r}")
    return Numerals(
        digits=MappingProxyType({str(k): int(v) for k, v in d["digits"].items()}),
        small_units=MappingProxyType({str(k): int(v) for k, v in d["small_units"].items()}),
        big_units=MappingProxyType({str(k): int(v) for k, v in d["big_units"].items()}),
        tens=MappingProxyType({str(k): int(v) for k, v in d["tens"].items()}),
        not_positional=frozenset(d.get("not_positional", [])),
        minus_signs=str((d.get("minus") or {}).get("signs", "")),
        minus_after=str((d.get("minus") or {}).get("after", "")),
        half_value=Decimal(str(half.get("value", 50))),
        half_words=MappingProxyType({str(k): str(v) for k, v in (half.get("words") or {}).items()}),
        half_not_after=words(half.get("not_after") or [], "numerals.yaml: half_share.not_after", RuleError),
        half_not_next=words(half.get("not_next") or [], "numerals.yaml: half_share.not_next", RuleError),
    )


@cache
def units() -> Mapping[str, Unit]:
    d = _load("units.yaml")
    out: dict[str, Unit] = {}
    for written, spec in d["units"].items():
        written = str(written)
        if not (isinstance(spec, list) and len(spec) == 3):
            raise RuleError(f"units.yaml: {written}: expected [unit, class, factor]")
        unit, cls, factor = spec
        if cls not in UNIT_CLASSES:
            raise RuleError(f"units.yaml: {written}: unknown unit class {cls!r}")
        out[written] = Unit(written, str(unit), cls, Decimal(str(factor)))
    return MappingProxyType(out)


@cache
def classes_by_subject() -> Mapping[str, tuple[str, ...]]:
    d = _load("units.yaml")
    return MappingProxyType({str(k): tuple(v) for k, v in d.get("by_subject", {}).items()})


@cache
def class_cues() -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """units.yaml class_cues: (classifier, class, words right before the number, words
    earlier in the clause) -- a cue that decides the class before the subject does."""
    out = []
    for i, cue in enumerate(_load("units.yaml").get("class_cues") or ()):
        where = f"units.yaml: class_cues[{i}]"
        if not isinstance(cue, dict) or cue.get("class") not in UNIT_CLASSES or not cue.get("unit"):
            raise RuleError(f"{where}: expected {{unit, class, before and/or clause}}")
        before = words(cue.get("before") or [], f"{where}.before", RuleError)
        clause = words(cue.get("clause") or [], f"{where}.clause", RuleError)
        if not before and not clause:
            raise RuleError(f"{where}: no cue words (before or clause)")
        out.append((str(cue["unit"]), str(cue["class"]), before, clause))
    return tuple(out)


@cache
def class_heads() -> Mapping[str, tuple[str, ...]]:
    """units.yaml class_heads: head words read only for the class of 个/项/批/期 (the
    subject finder reads subject_words, not these)."""
    d = _load("units.yaml").get("class_heads") or {}
    if not isinstance(d, dict) or any(k not in UNIT_CLASSES for k in d):
        raise RuleError("units.yaml: class_heads: expected {unit class: [words]}")
    return MappingProxyType({str(k): words(v, f"units.yaml: class_heads.{k}", RuleError) for k, v in d.items()})


@cache
def subject_words() -> Mapping[str, tuple[str, ...]]:
    d = _load("units.yaml")
    return MappingProxyType({k: tuple(v) for k, v in d.get("subject_words", {}).items()})


@cache
def implied_units() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(money words, people words) that suggest the unit of a figure written without one."""
    d = _load("units.yaml").get("implied_units") or {}
    return (words(d.get("money"), "units.yaml: implied_units.money", RuleError),
            words(d.get("people"), "units.yaml: implied_units.people", RuleError))


@cache
def unit_not_before() -> Mapping[str, tuple[str, ...]]:
    d = _load("units.yaml")
    # tuples, so a caller can test them all with one str.startswith
    return MappingProxyType({str(k): tuple(v) for k, v in d.get("unit_not_before", {}).items() if v})


@cache
def approx() -> ApproxRules:
    d = _load("approx.yaml")
    for section in ("prefix", "inner_suffix", "outer_suffix", "clause_cue"):
        for word, kind in d[section].items():
            if kind not in APPROX_KINDS:
                raise RuleError(f"approx.yaml: {section}.{word}: unknown approx {kind!r}")
    at_end = tuple(str(w) for w in d.get("outer_suffix_at_end", []))
    after_multiplier = d["multiplier_suffix"]
    # their approximation is the outer suffix's (the scanner reads it from there)
    for word in (*at_end, str(after_multiplier["word"])):
        if word not in d["outer_suffix"]:
            raise RuleError(f"approx.yaml: {word!r} is not an outer_suffix word")
    return ApproxRules(
        prefix=MappingProxyType(dict(d["prefix"])),
        multiplier_only_prefix=frozenset(d.get("multiplier_only_prefix", [])),
        inner_suffix=MappingProxyType(dict(d["inner_suffix"])),
        outer_suffix=MappingProxyType(dict(d["outer_suffix"])),
        outer_suffix_at_end=at_end,
        figure_end_words=str(d.get("figure_end_words", "")),
        multiplier_suffix=str(after_multiplier["word"]),
        multiplier_suffix_after=str(after_multiplier["after"]),
        multiplier_suffix_not_before=str(after_multiplier["not_before"]),
        clause_cue=MappingProxyType(dict(d["clause_cue"])),
        clause_window=int(d.get("clause_window", 8)),
        range_separators=tuple(dict.fromkeys(d["range_separators"])),
    )


@dataclass(frozen=True, slots=True)
class QualifierRules:
    per_each: tuple[str, ...]
    per_each_one: tuple[str, ...]
    per_average: tuple[str, ...]
    per_average_unit: Mapping[str, str]
    per_one: tuple[str, ...]
    per_one_then: tuple[str, ...]
    per_one_not_after: str
    per_after: tuple[str, ...]
    per_people: frozenset[str]
    per_gap: int
    per_average_gap: int
    per_long_average: tuple[str, ...]
    per_long_each: tuple[str, ...]
    per_long_gap_not_for: frozenset[str]
    per_rise_unit: Mapping[str, str]
    per_rise_not_after: str
    per_rise_not_next: str
    aggregate: tuple[str, ...]
    aggregate_gap: int
    increase: tuple[str, ...]
    decrease: tuple[str, ...]
    change_link: str
    change_window: int
    share_verbs: tuple[str, ...]
    share_part_verbs: tuple[str, ...]
    share_ends: tuple[str, ...]
    share_links: tuple[str, ...]
    share_part_not_next: str
    share_link_adverbs: tuple[str, ...]
    share_max_chars: int
    share_window: int
    quick_check: frozenset[str]


@cache
def qualifiers() -> QualifierRules:
    """data/rules/qualifiers.yaml: per-unit, total, change and share cue words."""
    d = _load("qualifiers.yaml")
    try:
        per, agg, change, share = d["per"], d["aggregate"], d["change"], d["share"]
        quick = frozenset(str(d["quick_check"]))
        average = {str(k): str(v) for k, v in per["average"].items()}
        rise = {str(k): str(v) for k, v in per["rise"].items()}
        cues = [*agg["words"], *change["increase"], *change["decrease"], *average, *rise, "每", "一", "单"]
        missing = [w for w in cues if quick.isdisjoint(str(w))]
        if missing:
            raise RuleError(f"qualifiers.yaml: quick_check has no character of {missing}")
        return QualifierRules(
            per_each=words(per["each"], "qualifiers.yaml: per.each", RuleError),
            per_each_one=words(per["each_one"], "qualifiers.yaml: per.each_one", RuleError),
            per_average=tuple(average),
            per_average_unit=MappingProxyType(average),
            per_one=words(per["one"], "qualifiers.yaml: per.one", RuleError),
            per_one_then=words(per["one_then"], "qualifiers.yaml: per.one_then", RuleError),
            per_one_not_after=str(per["one_not_after"]),
            per_after=words(per["after"], "qualifiers.yaml: per.after", RuleError),
            per_people=frozenset(words(per["people"], "qualifiers.yaml: per.people", RuleError)),
            per_gap=int(per["gap"]),
            per_average_gap=int(per["average_gap"]),
            per_long_average=words(per["long_average"], "qualifiers.yaml: per.long_average", RuleError),
            per_long_each=words(per["long_each"], "qualifiers.yaml: per.long_each", RuleError),
            per_long_gap_not_for=frozenset(words(per["long_gap_not_for"], "qualifiers.yaml: per.long_gap_not_for",
                                                 RuleError)),
            per_rise_unit=MappingProxyType(rise),
            per_rise_not_after=str(per["rise_not_after"]),
            per_rise_not_next=str(per["rise_not_next"]),
            aggregate=words(agg["words"], "qualifiers.yaml: aggregate.words", RuleError),
            aggregate_gap=int(agg["gap"]),
            increase=words(change["increase"], "qualifiers.yaml: change.increase", RuleError),
            decrease=words(change["decrease"], "qualifiers.yaml: change.decrease", RuleError),
            change_link=str(change["link"]),
            change_window=int(change["window"]),
            share_verbs=words(share["verbs"], "qualifiers.yaml: share.verbs", RuleError),
            share_part_verbs=words(share["part_verbs"], "qualifiers.yaml: share.part_verbs", RuleError),
            share_ends=words(share["ends"], "qualifiers.yaml: share.ends", RuleError),
            share_links=words(share["links"], "qualifiers.yaml: share.links", RuleError),
            share_part_not_next=str(share["part_not_next"]),
            share_link_adverbs=words(share["link_adverbs"], "qualifiers.yaml: share.link_adverbs", RuleError),
            share_max_chars=int(share["max_chars"]),
            share_window=int(share["window"]),
            quick_check=quick,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleError(f"qualifiers.yaml: {type(exc).__name__}: {exc}") from exc


@cache
def segmenter_words() -> tuple[int, Mapping[str, str]]:
    """data/rules/segmenter_words.yaml: (the count given to each, word -> its tag), the
    words added to jieba's dictionary."""
    d = _load("segmenter_words.yaml")
    count = d.get("count")
    found = d.get("words") or {}
    if not isinstance(count, int) or count <= 0 or not isinstance(found, dict):
        raise RuleError("segmenter_words.yaml: expected a positive count and a map of words to tags")
    table: dict[str, str] = {}
    for w, t in found.items():
        if not isinstance(w, str) or len(w) < 2 or not isinstance(t, str) or not t:
            raise RuleError(f"segmenter_words.yaml: {w!r}: a word of two or more characters and a tag")
        table[w] = t
    return count, MappingProxyType(table)


@cache
def subject_rules() -> Mapping[str, Any]:
    """data/rules/subjects.yaml: the word lists the subject finder reads."""
    d = _load("subjects.yaml")
    missing = {"noun_tags", "stop_words", "left_cues", "action_verbs", "window_after"} - d.keys()
    if missing:
        raise RuleError(f"subjects.yaml: missing {sorted(missing)}")
    return MappingProxyType(d)


@dataclass(frozen=True, slots=True)
class PhraseChars:
    """data/rules/phrase_chars.yaml: the characters the phrase grammar reads."""
    function_chars: frozenset[str]
    joiners: frozenset[str]
    conjunctions: tuple[str, ...]
    edge_chars: str
    open_brackets: frozenset[str]
    close_brackets: frozenset[str]
    quotes: frozenset[str]
    quote_pairs: Mapping[str, str]
    stop_chars: str
    title_open: frozenset[str]
    title_close: frozenset[str]
    numeral_chars: frozenset[str]


@cache
def phrase_chars() -> PhraseChars:
    d = _load("phrase_chars.yaml")

    def chars(key: str) -> str:
        v = d.get(key)
        if not isinstance(v, str) or not v:
            raise RuleError(f"phrase_chars.yaml: {key}: expected a string of characters")
        return v

    def listed(key: str) -> tuple[str, ...]:
        got = words(d.get(key), f"phrase_chars.yaml: {key}", RuleError)
        if not got or not all(got):
            raise RuleError(f"phrase_chars.yaml: {key}: expected a list of non-empty strings")
        return got

    pairs = d.get("quote_pairs")
    if not isinstance(pairs, dict) or not pairs or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) == 1 and len(v) == 1
            for k, v in pairs.items()):
        raise RuleError("phrase_chars.yaml: quote_pairs: expected opening -> closing character")
    quotes = frozenset(listed("quotes"))
    if not set(pairs) | set(pairs.values()) <= quotes:
        raise RuleError("phrase_chars.yaml: quote_pairs: every mark must be listed in quotes")
    return PhraseChars(
        function_chars=frozenset(chars("function_chars")),
        joiners=frozenset(listed("joiners")),
        conjunctions=listed("conjunctions"),
        edge_chars=chars("edge_chars"),
        open_brackets=frozenset(listed("open_brackets")),
        close_brackets=frozenset(listed("close_brackets")),
        quotes=quotes,
        quote_pairs=MappingProxyType(dict(pairs)),
        stop_chars=chars("stop_chars"),
        title_open=frozenset(chars("title_open")),
        title_close=frozenset(chars("title_close")),
        numeral_chars=frozenset(chars("numeral_chars")),
    )


@cache
def metric_rules() -> Mapping[str, Any]:
    """data/rules/metrics.yaml: the metric taxonomy (validated: ids unique, unit classes
    known, every metric with a Chinese and an English name)."""
    d = _load("metrics.yaml")
    seen = set()
    for m in d.get("metrics") or []:
        for key in ("id", "zh", "en", "unit_classes"):
            if key not in m:
                raise RuleError(f"metrics.yaml: a metric lacks {key!r}: {m}")
        if m["id"] in seen:
            raise RuleError(f"metrics.yaml: metric {m['id']!r} listed twice")
        seen.add(m["id"])
        bad = set(m["unit_classes"]) - set(UNIT_CLASSES)
        if bad:
            raise RuleError(f"metrics.yaml: {m['id']}: unknown unit classes {sorted(bad)}")
    if "other" not in seen:
        raise RuleError("metrics.yaml: the catch-all metric 'other' is missing")
    return MappingProxyType(d)


@cache
def nonclaims() -> NonClaimRules:
    d = _load("nonclaims.yaml")
    return NonClaimRules(
        slogans=tuple(dict.fromkeys(str(s) for s in d["slogans"])),
        slogan_not_before=MappingProxyType(
            {str(k): "".join(v) if isinstance(v, list) else str(v)
             for k, v in d.get("slogan_not_before", {}).items()}),
        names=tuple(dict.fromkeys(str(s) for s in d["names"])),
        words=frozenset(str(s) for s in d["words"]),
        furniture_keys=tuple(d["furniture_keys"]),
        furniture_lines=tuple(d["furniture_lines"]),
        ordinal_name_heads=tuple(d["ordinal_name_heads"]),
        age_units=frozenset(d["age_units"]),
        quoted_name_heads=tuple(d["quoted_name_heads"]),
        duration_cues=tuple(d["duration_cues"]),
    )


@cache
def classify_words() -> ClassifyWords:
    d = _load("nonclaims.yaml").get("classify")
    if not isinstance(d, dict):
        raise RuleError("nonclaims.yaml: missing the classify: section")
    where = "nonclaims.yaml: classify"
    try:
        dates, anniv, ordinal = d["dates"], d["anniversary"], d["ordinal"]
        regs, freq, quotes, article = d["regulations"], d["frequency"], d["quotes"], d["article"]
        tally, issues, phases = d["tally"], d["issues"], d["phases"]
        events, vehicles = d["events"], d["vehicle_classes"]

        def w(section: dict, key: str) -> tuple[str, ...]:
            return words(section[key], f"{where}.{key}", RuleError)

        return ClassifyWords(
            date_next=frozenset(str(dates["next_chars"])),
            window_after=w(dates, "window_after"),
            kept_up_windows=w(dates, "kept_up_windows"),
            kept_up_by=w(dates, "kept_up_by"),
            near_window_units=frozenset(w(dates, "near_window_units")),
            duration_after=w(dates, "duration_after"),
            range_marks=str(dates["range_marks"]),
            positional_digits=frozenset(str(dates["positional_digits"])),
            anniversary_before=w(anniv, "before"),
            anniversary_after=w(anniv, "after"),
            anniversary_units=frozenset(w(anniv, "units")),
            ordinal_units=frozenset(w(ordinal, "units")),
            ordinal_before=str(ordinal["before"]),
            ordinal_list_joiners=frozenset(str(ordinal["list_joiners"])),
            rank_before=str(ordinal["rank_before"]),
            rank_units=frozenset(w(ordinal, "rank_units")),
            rank_alone_next=frozenset(w(ordinal, "rank_alone_next")),
            session_units=frozenset(w(ordinal, "session_units")),
            session_after=str(ordinal["session_after"]),
            session_heads=w(ordinal, "session_heads"),
            session_reach=int(ordinal["session_reach"]),
            regulation_units=frozenset(w(regs, "units")),
            regulation_heads=w(regs, "heads"),
            regulation_issuers=w(regs, "issuers"),
            frequency_after=w(freq, "after"),
            frequency_units=frozenset(w(freq, "units")),
            frequency_periods=w(freq, "periods"),
            quote_pairs=MappingProxyType({str(k): str(v) for k, v in quotes["pairs"].items()}),
            quote_openers=str(quotes["openers"]),
            clause_stops=str(quotes["stops"]),
            article_ones=frozenset(str(article["ones"])),
            article_keep_classes=frozenset(w(article, "keep_classes")),
            article_per_gap=int(article["per_gap"]),
            article_per_units=frozenset(str(article["per_units"])),
            article_per_not_next=frozenset(str(article["per_not_next"])),
            kuai_money_next=frozenset(str(d["kuai"]["money_next"])),
            tally_units=frozenset(w(tally, "units")),
            tally_verbs=w(tally, "verbs"),
            tally_verb_gap=int(tally["verb_gap"]),
            label_kind=str(d["labels"]["kind"]),
            issue_units=frozenset(w(issues, "units")),
            issue_not_next=str(issues["not_next"]),
            phase_units=frozenset(w(phases, "units")),
            phase_heads_after=w(phases, "heads_after"),
            phase_heads_before=w(phases, "heads_before"),
            event_units=frozenset(w(events, "units")),
            event_heads=w(events, "heads"),
            vehicle_units=frozenset(w(vehicles, "units")),
            vehicle_between=frozenset(str(vehicles["between"])),
            vehicle_reach=int(vehicles["reach"]),
            vehicle_heads=w(vehicles, "heads"),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise RuleError(f"{where}: {type(exc).__name__}: {exc}") from exc


@cache
def cjk_look_alikes() -> Mapping[str, str]:
    """cjk_radicals.yaml: {look-alike: ideograph} for code points a CJK font draws with
    an ideograph's glyph (⾦ -> 金); the PDF export maps its text layer back with it."""
    where = "cjk_radicals.yaml: shared_glyphs"
    raw = _load("cjk_radicals.yaml").get("shared_glyphs")
    if not isinstance(raw, dict) or not raw:
        raise RuleError(f"{where}: expected a mapping of look-alike -> ideograph")
    for k, v in raw.items():
        if not (isinstance(k, str) and isinstance(v, str) and len(k) == 1 and len(v) == 1):
            raise RuleError(f"{where}: {k!r}: {v!r} is not one character -> one character")
    return MappingProxyType(dict(raw))


def prefix_trie(words) -> dict:
    """The words as nested dicts by character; "" marks where a word ends."""
    trie: dict = {}
    for w in sorted(set(words)):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def alternation(words) -> str:
    """A regex alternation of literal words, longest first, built as a prefix tree so
    the engine does not try hundreds of alternatives at every position.

    >>> alternation(["万元", "元", "万人"])
    '(?:万(?:人|元)|元)'
    >>> bool(re.fullmatch(alternation(["个", "个百分点"]), "个百分点"))
    True
    """
    trie = prefix_trie(words)

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if ends:
            # a shorter word ends here: the longer continuations, else nothing (greedy).
            # An empty last branch, not "(?:…)?": the regex engine runs an optional group
            # as a repeat, allocating its context on every entry; same matches, same order
            return "(?:" + "|".join(branches) + "|)"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


def rules_version() -> str:
    """A short hash of every rule file: stored with a run so a changed rule is visible."""
    import hashlib
    h = hashlib.sha1()
    for path in sorted(RULES_DIR.glob("*.yaml")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
