"""Which national campaign a report belongs to, and the local drives it names (tags).

Rules: data/rules/campaigns.yaml (campaigns with aliases and years, local initiatives,
generic tag shapes, the year context words), read once and validated.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from ..extraction.literal_scan import COMPILED as SCAN_COMPILED, Literals, any_written_skipping
from ..regex_cache import regex
from ..rules import RULES_DIR, MetadataRuleError, alternation, load_yaml, words
from .text_view import (CJK, kept_by_identity, lead_end, paragraphs, simplified, squeeze,
                        squeeze_table, squeezed)

CAMPAIGNS_FILE = RULES_DIR / "campaigns.yaml"


@dataclass(frozen=True, slots=True)
class Campaign:
    name: str                      # canonical, simplified
    short: str                     # short English name
    start: int | None
    end: int | None                # None: still running
    aliases: tuple[str, ...]       # strong: the campaign's own name (includes `name`)
    weak: tuple[str, ...]          # slogans: count only next to a strong alias
    near: tuple[tuple[str, tuple[str, ...], int, bool], ...]  # (alias, near words, window,
                                   #  or anywhere in a report from the campaign's years)
    implies: str | None            # a practical activity scores for this campaign
    later: tuple[int, str] | None  # (from year, campaign): what it became from that year


@dataclass(frozen=True, slots=True)
class CampaignMatch:
    name: str                                  # canonical campaign name
    evidence: str                              # the aliases that matched, with counts
    year_range: tuple[int | None, int | None]  # the campaign's years
    score: float                               # weighted, year-adjusted count


@dataclass(frozen=True, slots=True)
class _CampaignRules:
    campaigns: Mapping[str, Campaign]
    lookup: Mapping[str, tuple[str, str, str]]   # squeezed alias -> (entry, kind, as written)
    near: Mapping[str, tuple[tuple[str, tuple[str, ...], int, bool], ...]]  # squeezed alias ->
                                                  # (entry, near words, window, by year)
    min_density: float                            # weighted hits per 1000 characters
    regex: re.Pattern
    local: Mapping[str, str]                      # squeezed alias -> tag name
    local_regex: re.Pattern | None
    tag_quotes: tuple[tuple[str, re.Pattern], ...]  # (opening mark, a quoted phrase so opened
                                                   # and followed by a tag word): quoted_tags
    tag_max: int
    tag_exclude: frozenset[str]
    year_window: int
    year_words: re.Pattern
    year_target_before: tuple[str, ...]
    # the campaign and local aliases in one pass (aliases_in): one alternation of both, and
    # the strings in which an alias of one overlaps an alias of the other (when a text holds
    # one, the two are matched apart, as they were)
    both_regex: re.Pattern | None
    both_overlaps: tuple[str, ...]
    # the same alias sets (regex, local_regex, both_regex) as compiled literal scans, taken
    # instead of the regexes when the compiled build runs (_hits)
    scan: Literals
    local_scan: Literals | None
    both_scan: Literals | None
    # whether a report writes any alias (_alias_view): the aliases of 3+ characters in one
    # scan, which then steps by up to 3 characters, and the shorter ones (四风) by str.find
    alias_scan: Literals
    short_aliases: list[str]


@cache
def campaign_rules() -> _CampaignRules:
    """campaigns.yaml, validated, with its regexes built (once)."""
    d = load_yaml(CAMPAIGNS_FILE, MetadataRuleError)
    where = CAMPAIGNS_FILE.name
    camps: dict[str, Campaign] = {}
    lookup: dict[str, tuple[str, str, str]] = {}

    near_rules: dict[str, list[tuple[str, tuple[str, ...], int, bool]]] = {}

    def claim(alias: str, entry: str, kind: str) -> None:
        key = squeeze(alias)
        if not key:
            raise MetadataRuleError(f"{where}: {entry}: empty alias")
        if kind == "near" and key in lookup and lookup[key][1] == "near":
            return  # a conditional alias may be shared: its near words decide
        if key in lookup and lookup[key][0] != entry:
            raise MetadataRuleError(f"{where}: alias {alias!r} claimed by {lookup[key][0]} "
                                    f"and {entry}")
        lookup.setdefault(key, (entry, kind, alias))

    for i, c in enumerate(d.get("campaigns") or []):
        if not isinstance(c, dict) or not {"name", "short", "years", "aliases"} <= c.keys():
            raise MetadataRuleError(f"{where}: campaigns[{i}]: needs name, short, years, aliases")
        name = str(c["name"])
        years = c["years"]
        if not (isinstance(years, list) and len(years) == 2
                and all(y is None or isinstance(y, int) for y in years)):
            raise MetadataRuleError(f"{where}: {name}: years must be [start, end|null]")
        aliases = tuple(dict.fromkeys((name, *words(c["aliases"], f"{where}: {name}"))))
        near = []
        for n in c.get("near") or []:
            if not isinstance(n, dict) or "alias" not in n or "near" not in n:
                raise MetadataRuleError(f"{where}: {name}: near needs alias and near")
            near.append((str(n["alias"]), words(n["near"], f"{where}: {name}"),
                         int(n.get("window", 40)), bool(n.get("or_in_years", False))))
        later = c.get("later")
        if later is not None and not (isinstance(later, dict) and isinstance(later.get("from"), int)
                                      and later.get("name")):
            raise MetadataRuleError(f"{where}: {name}: later needs from (a year) and name")
        camp = Campaign(name, str(c["short"]), years[0], years[1], aliases,
                        words(c.get("weak"), f"{where}: {name}"), tuple(near),
                        str(c["implies"]) if c.get("implies") else None,
                        (later["from"], str(later["name"])) if later else None)
        if name in camps:
            raise MetadataRuleError(f"{where}: {name} listed twice")
        camps[name] = camp
        for a in camp.aliases:
            claim(a, name, "strong")
        for a in camp.weak:
            claim(a, name, "weak")
        for a, nw, window, by_year in camp.near:
            claim(a, name, "near")
            near_rules.setdefault(squeeze(a), []).append((name, nw, window, by_year))
    for camp in camps.values():
        if camp.implies and camp.implies not in camps:
            raise MetadataRuleError(f"{where}: {camp.name}: implies unknown {camp.implies}")
        if camp.later and camp.later[1] not in camps:
            raise MetadataRuleError(f"{where}: {camp.name}: later unknown {camp.later[1]}")
    if not camps:
        raise MetadataRuleError(f"{where}: no campaigns")

    local: dict[str, str] = {}
    for i, t in enumerate(d.get("local_initiatives") or []):
        if not isinstance(t, dict) or "name" not in t:
            raise MetadataRuleError(f"{where}: local_initiatives[{i}]: needs a name")
        for a in (t["name"], *words(t.get("aliases"), f"{where}: {t['name']}")):
            key = squeeze(str(a))
            if key in local or key in lookup:
                raise MetadataRuleError(f"{where}: tag alias {a!r} claimed twice")
            local[key] = str(t["name"])

    g = d.get("generic_tags") or {}
    follow = words(g.get("followed_by"), f"{where}: generic_tags") or ("活动",)
    lo, hi = int(g.get("min_chars", 2)), int(g.get("max_chars", 12))
    # one pattern per quotation mark, each opening with its mark (no two open alike)
    tag_quotes = tuple((o, re.compile(f"{o}([^{o}{c}\\n]{{{lo},{hi}}}){c}(?={alternation(follow)})"))
                       for o, c in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"')))

    y = d.get("year_context") or {}
    year_words = words(y.get("words"), f"{where}: year_context") or ("今年",)
    return _CampaignRules(
        both_regex=regex("campaigns.both", alternation([*lookup, *local])) if local else None,
        both_overlaps=overlaps(lookup, local),
        campaigns=MappingProxyType(camps),
        lookup=MappingProxyType(lookup),
        near=MappingProxyType({k: tuple(v) for k, v in near_rules.items()}),
        min_density=float(d.get("min_mentions_per_1000_chars", 0.0)),
        regex=regex("campaigns.lookup", alternation(lookup)),
        local=MappingProxyType(local),
        local_regex=re.compile(alternation(local)) if local else None,
        tag_quotes=tag_quotes,
        tag_max=int(g.get("max_per_report", 3)),
        tag_exclude=frozenset(squeeze(s) for s in words(g.get("exclude"), where)),
        year_window=int(y.get("window", 12)),
        year_words=re.compile(alternation(year_words)),
        year_target_before=words(y.get("target_before"), where),
        scan=Literals(lookup),
        local_scan=Literals(local) if local else None,
        both_scan=Literals([*lookup, *local]) if local else None,
        alias_scan=Literals([a for a in (*lookup, *local) if len(a) >= _SCANNED_ALIAS]),
        short_aliases=[a for a in (*lookup, *local) if len(a) < _SCANNED_ALIAS],
    )


# the aliases this long or longer are found by the scan in _alias_view, shorter ones by
# str.find: a 2-character alias made the scan step 1.9 characters at a time on bench text,
# 3 characters 2.7 (every 7th bench file)
_SCANNED_ALIAS = 3


def overlaps(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    """Every string in which a word of `a` and a word of `b` overlap or one holds the
    other: a text without any of them has no two such matches that share a character.

    >>> overlaps(["做合格党员"], ["党员突击队", "三结对"])
    ('做合格党员突击队',)
    """
    out: dict[str, None] = {}
    for x in a:
        for y in b:
            if y in x or x in y:
                out[x if y in x else y] = None
            for k in range(1, min(len(x), len(y))):
                if x[-k:] == y[:k]:
                    out[x + y[k:]] = None
                if y[-k:] == x[:k]:
                    out[y + x[k:]] = None
    return tuple(out)


_Hits = tuple[tuple[int, int, str], ...]
_hits_rules: list[_CampaignRules] = []


def aliases_in(view: str) -> tuple[_Hits, _Hits]:
    """(campaign alias matches, local initiative matches) in a squeezed view, each
    (start, end, alias), as `regex` and `local_regex` find them apart: in one pass over
    the view when no campaign alias can overlap a local one in it (two matches that
    never share a character are found alike together and apart; tests/test_reading_fast_paths.py).
    Kept for the last views (find_campaign and find_tags read the same one), and
    forgotten when the rules object changes."""
    r = campaign_rules()
    if not _hits_rules or _hits_rules[0] is not r:
        _aliases_in.cache_clear()
        _hits_rules[:] = [r]
    return _aliases_in(view)


def _hits(pattern: re.Pattern, scan: Literals, view: str) -> _Hits:
    """(start, end, alias) of what `pattern` (an alternation of the aliases in `scan`)
    finds in `view`: by the compiled scan when the build runs (the alternation tests
    every character in the regex engine: 89 -> 52 M over /tmp/b100, describe28)."""
    if SCAN_COMPILED:
        return tuple(scan.find(view))
    return tuple((m.start(), m.end(), m.group()) for m in pattern.finditer(view))


@kept_by_identity
def _aliases_in(view: str) -> tuple[_Hits, _Hits]:
    r = campaign_rules()
    if r.local_regex is None or r.local_scan is None:
        return _hits(r.regex, r.scan, view), ()
    if r.both_regex is None or r.both_scan is None:
        return _hits(r.regex, r.scan, view), _hits(r.local_regex, r.local_scan, view)
    both = _hits(r.both_regex, r.both_scan, view)
    # An overlap string opens with an alias, so where the view holds one, a hit of the joint
    # pass starts at or before it and ends after its start: it is looked for only from each
    # hit's start to its end (the same answer as `o in view`, which was a whole-text search
    # per report)
    if any(view.find(o, start, end - 1 + len(o)) >= 0
           for start, end, _ in both for o in r.both_overlaps):
        return _hits(r.regex, r.scan, view), _hits(r.local_regex, r.local_scan, view)
    camp: list[tuple[int, int, str]] = []
    local: list[tuple[int, int, str]] = []
    lookup = r.lookup
    for hit in both:
        (camp if hit[2] in lookup else local).append(hit)
    return tuple(camp), tuple(local)


# ---------------------------------------------------------------- campaign

def _year_factor(year: int | None, start: int | None, end: int | None) -> float:
    """How well a report year fits a campaign: inside (or the year after) 1, before it
    started 0.2 (a report cannot name a later campaign), long after 0.6."""
    if year is None:
        return 1.0
    if start is not None and year < start:
        return 0.2
    if end is not None and year > end + 1:
        return 0.6
    return 1.0


def _in_years(year: int | None, camp: Campaign) -> bool:
    return (year is not None and (camp.start is None or camp.start <= year)
            and (camp.end is None or year <= camp.end))


def _near_owner(r: _CampaignRules, key: str, s: str, start: int, end: int,
                year: int | None) -> str | None:
    """The campaign a conditional alias (主题教育) names here: the first whose near words
    are within its window, else the first whose years hold the report's year (when it
    allows that), else none."""
    rules = r.near[key]
    for entry, near_words, window, _ in rules:
        around = s[max(0, start - window):end + window]
        if any(squeeze(w) in around for w in near_words):
            return entry
    for entry, _, _, by_year in rules:
        if by_year and _in_years(year, r.campaigns[entry]):
            return entry
    return None


@kept_by_identity
def _alias_view(simp: str) -> str:
    """The squeezed view find_campaign and find_tags match the aliases on, or "" when no
    campaign or local alias is written in it: the compiled scan says so from the paragraph
    view, passing over the characters the squeeze drops, without making the squeezed view
    (three reports in four of the bench hold none: on every 7th bench file the view went
    85 -> 69 M instructions with the scan, find_campaign 154 -> 98 M, the alias pass over
    the view no longer run on those; plain builds, desc32). An empty view has no hits,
    as the squeezed one would have had, and no text hits leave only the title's, whose
    campaigns count as in the title: the view's length is not read then."""
    if SCAN_COMPILED:
        r = campaign_rules()
        view, skip = paragraphs(simp), squeeze_table()
        if not (r.alias_scan.occurs(view, skip)
                or any_written_skipping(view, r.short_aliases, skip)):
            return ""
    return squeezed(simp)


def find_campaign(simp: str, year: int | None, title: str | None) -> CampaignMatch | None:
    r = campaign_rules()
    view = _alias_view(simp)
    lead = lead_end(view)
    strong: Counter[str] = Counter()      # target campaign -> weighted strong hits
    weak: Counter[str] = Counter()
    seen: dict[str, Counter[tuple[bool, str]]] = {}  # target -> (is weak, alias) -> count
    in_title: set[str] = set()
    sources = [(view, 0.0)] + ([(squeeze(simplified(title)), 3.0)] if title else [])
    for s, bonus in sources:
        hits = aliases_in(s)[0] if s is view else _hits(r.regex, r.scan, s)
        for start, end, alias in hits:
            entry, kind, written = r.lookup[alias]
            if kind == "near":
                owner = _near_owner(r, alias, s, start, end, year)
                if owner is None:
                    continue
                entry = owner
            camp = r.campaigns[entry]
            target = camp.implies or entry
            w = bonus if bonus else (2.0 if start < lead else 1.0)
            (weak if kind == "weak" else strong)[target] += w
            seen.setdefault(target, Counter())[(kind == "weak", written)] += 1
            if bonus and kind != "weak":
                in_title.add(target)
    best: tuple | None = None
    for target, s in strong.items():
        c = r.campaigns[target]
        score = (s + 0.3 * weak[target]) * _year_factor(year, c.start, c.end)
        key = (score, s, c.start or 0)
        if best is None or key > best[0]:
            best = (key, c)
    if best is None:
        return None
    (score, s_hits, _), c = best
    # named in passing (a long report that mentions a campaign once or twice): no campaign
    if c.name not in in_title and (s_hits + 0.3 * weak[c.name]) * 1000 < r.min_density * len(view):
        return None
    # strong and near aliases first, then slogans; most frequent first within each
    hits = sorted(seen[c.name].items(), key=lambda kv: (kv[0][0], -kv[1]))
    evidence = "; ".join(f"{a}×{n}" for (_, a), n in hits[:4])
    if c.later and year is not None and year >= c.later[0]:
        c = r.campaigns[c.later[1]]  # 两学一做学习教育 from 2017: its 常态化制度化
    return CampaignMatch(c.name, evidence, (c.start, c.end), round(score, 2))


def detect_campaign(text: str, *, year: int | None = None,
                    title: str | None = None) -> CampaignMatch | None:
    """The national campaign a report belongs to, or None.

    A campaign needs one strong alias (its own name) or a conditional one (主题教育 near
    不忘初心); slogans (八项规定, 两学一做, 四风) only add weight next to one. Matches in
    the lead count twice, in the title three more times; `year` (the report's year)
    scales the score down for campaigns that had not started (0.2) or ended over a year
    before (0.6). A practical activity (我为群众办实事) scores for the campaign it implies.

    >>> detect_campaign("开展“我为群众办实事”实践活动，推动党史学习教育走深走实").name
    '党史学习教育'
    >>> detect_campaign("持之以恒纠“四风”，落实中央八项规定精神", year=2021) is None
    True
    """
    return find_campaign(simplified(text), year, title)


def campaign_by_alias(name: str) -> Campaign | None:
    """The campaign a name or strong alias refers to (implied campaign for activities).

    >>> campaign_by_alias("“不忘初心、牢记使命”主题教育").name
    '不忘初心、牢记使命主题教育'
    >>> campaign_by_alias("我为群众办实事").name
    '党史学习教育'
    """
    r = campaign_rules()
    hit = r.lookup.get(squeeze(simplified(name)))
    if not hit or hit[1] != "strong":
        return None
    c = r.campaigns[hit[0]]
    return r.campaigns[c.implies] if c.implies else c


# ---------------------------------------------------------------- tags

def quoted_tags(simp: str) -> Iterator[tuple[int, str]]:
    """(start, phrase) of each quoted phrase followed by a tag word, left to right and not
    overlapping, as one alternation of the quotation marks finds them; searched one mark
    at a time, because a pattern that opens with its mark skips to it, while the
    alternation tested a character class at every character. No two marks open alike, so
    at most one pattern matches at a place, and the leftmost match from `pos` on is the
    first of the patterns' matches from `pos` on (tests/test_reading_fast_paths.py)."""
    pats = [p for o, p in campaign_rules().tag_quotes if o in simp]
    ahead = [p.search(simp) for p in pats]   # each pattern's first match from pos on
    pos = 0
    while True:
        best: re.Match | None = None
        for i, m in enumerate(ahead):
            if m is not None and m.start() < pos:
                m = ahead[i] = pats[i].search(simp, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best.start(), best.group(1)
        pos = best.end()


def find_tags(simp: str) -> list[str]:
    r = campaign_rules()
    listed: Counter[str] = Counter()
    first: dict[str, int] = {}
    for start, _, alias in aliases_in(_alias_view(simp))[1]:
        tag = r.local[alias]
        listed[tag] += 1
        first.setdefault(tag, start)
    tags = sorted(listed, key=lambda t: (-listed[t], first[t]))
    tag_keys = [squeeze(t) for t in tags]
    generic: Counter[str] = Counter()
    gfirst: dict[str, int] = {}
    for start, phrase in quoted_tags(simp):
        key = squeeze(phrase)
        if (not re.search(f"[{CJK}]", key) or re.search(r"[，。；：！？,;:!?]", phrase)
                or key in r.tag_exclude or key in r.lookup or key in r.local
                or any(key in t or t in key for t in tag_keys)):
            continue
        generic[phrase] += 1
        gfirst.setdefault(phrase, start)
    extra = sorted(generic, key=lambda t: (-generic[t], gfirst[t]))[:r.tag_max]
    return tags + extra


def detect_tags(text: str) -> list[str]:
    """Local drives named in the report: the listed ones (campaigns.yaml
    local_initiatives, most mentioned first), then up to `max_per_report` quoted phrases
    followed by 活动/行动/建设/工程/品牌/创建 that are not campaign names or slogans.

    >>> detect_tags("以创建“最强党支部”为主题；开展“三结对”活动；开展“我为群众办实事”实践活动")
    ['最强党支部', '三结对']
    >>> detect_tags("开展“红色引擎”工程和“四风”建设")
    ['红色引擎']
    """
    return find_tags(simplified(text))
