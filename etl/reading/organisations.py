"""Who wrote a report: organisation, level and region, and the outlet of a web host.

Rules: data/rules/organisations.yaml (listed organisations with aliases, generic shapes
such as X省直机关工委 or X市委, provinces, cities, outlets), read once and validated.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Iterable, Mapping

from ..report import LEVELS
from ..rules import RULES_DIR, MetadataRuleError, alternation, load_yaml, words
from .text_view import CJK, lead_end, paragraphs, simplified

ORGANISATIONS_FILE = RULES_DIR / "organisations.yaml"


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    level: str
    region: str | None
    aliases: tuple[str, ...]                               # includes `name`
    conditional: tuple[tuple[str, tuple[str, ...]], ...]   # (alias, requires any of)


@dataclass(frozen=True, slots=True)
class _Generic:
    id: str
    regex: re.Pattern      # group "place" (province/city) or "name"
    place: str             # province | city | name | none
    level: str
    anchors: tuple[str, ...]  # head words: skip the regex when none is in the text


@dataclass(frozen=True, slots=True)
class _OrgRules:
    orgs: Mapping[str, Organisation]
    strong: Mapping[str, str]                                 # alias -> organisation
    conditional: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]  # alias -> (org, requires)
    regex: re.Pattern
    generic: tuple[_Generic, ...]
    generic_weight: float
    generic_min_mentions: int
    central_region: str
    provinces: Mapping[str, str]     # short name and full name -> short name
    cities: Mapping[str, str]        # city -> province short name
    place_regex: re.Pattern
    outlets: Mapping[str, str]       # domain -> outlet name


def _build_generic(g: dict, provinces: Iterable[str], cities: Iterable[str],
                   stop: str, where: str) -> _Generic:
    gid = str(g.get("id", "?"))
    level = str(g.get("level"))
    if level not in LEVELS:
        raise MetadataRuleError(f"{where}: generic {gid}: unknown level {level!r}")
    head = words(g.get("head"), f"{where}: generic {gid}")
    if not head:
        raise MetadataRuleError(f"{where}: generic {gid}: needs head words")
    place = str(g.get("place", "none"))
    namechar = f"[{CJK}]" if not stop else f"(?![{re.escape(stop)}])[{CJK}]"
    not_inside = words(g.get("not_inside"), where)
    if not_inside:
        namechar = f"(?!{alternation(not_inside)}){namechar}"
    if place == "province":
        body = f"(?P<place>{alternation(provinces)})"
    elif place == "city":
        body = f"(?P<place>{alternation(cities)})"
    elif place == "name":
        lo, hi = int(g.get("min_chars", 2)), int(g.get("max_chars", 8))
        body = f"(?P<name>(?:{namechar}){{{lo},{hi}}}?)"
        if g.get("word_start", True) and not g.get("prefix"):
            # start where a word can start: not right after another name character
            body = (f"(?:(?<![{CJK}])|(?<=[{re.escape(stop)}]))" if stop
                    else f"(?<![{CJK}])") + body
    elif place == "none":
        body = ""
    else:
        raise MetadataRuleError(f"{where}: generic {gid}: unknown place {place!r}")
    after = words(g.get("after_place"), where)
    if after:
        body += f"{alternation(after)}" + ("?" if g.get("after_place_optional") else "")
    nf = words(g.get("not_followed_by"), where)
    pattern = (re.escape(str(g.get("prefix", ""))) + body + alternation(head)
               + (f"(?!{alternation(nf)})" if nf else ""))
    return _Generic(gid, re.compile(pattern), place, level, head)


@cache
def organisation_rules() -> _OrgRules:
    """organisations.yaml, validated, with its regexes built (once)."""
    d = load_yaml(ORGANISATIONS_FILE, MetadataRuleError)
    where = ORGANISATIONS_FILE.name
    provinces: dict[str, str] = {}
    for p in d.get("provinces") or []:
        provinces[str(p["name"])] = str(p["name"])
        if p.get("full"):
            provinces[str(p["full"])] = str(p["name"])
    cities = {str(c["name"]): str(c["province"]) for c in d.get("cities") or []}
    for city, prov in cities.items():
        if prov not in provinces:
            raise MetadataRuleError(f"{where}: city {city}: unknown province {prov}")

    orgs: dict[str, Organisation] = {}
    strong: dict[str, str] = {}
    conditional: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for i, o in enumerate(d.get("organisations") or []):
        if not isinstance(o, dict) or not {"name", "aliases", "level", "region"} <= o.keys():
            raise MetadataRuleError(f"{where}: organisations[{i}]: needs name, aliases, "
                                    "level, region")
        name = str(o["name"])
        if o["level"] not in LEVELS:
            raise MetadataRuleError(f"{where}: {name}: unknown level {o['level']!r}")
        aliases = tuple(dict.fromkeys((name, *words(o["aliases"], f"{where}: {name}"))))
        cond = tuple((str(c["alias"]), words(c["requires"], f"{where}: {name}"))
                     for c in o.get("conditional") or [])
        org = Organisation(name, str(o["level"]), o["region"] and str(o["region"]),
                           aliases, cond)
        if name in orgs:
            raise MetadataRuleError(f"{where}: {name} listed twice")
        orgs[name] = org
        for a in aliases:
            if a in strong and strong[a] != name:
                raise MetadataRuleError(f"{where}: alias {a!r} claimed by {strong[a]} and {name}")
            strong[a] = name
        for a, req in cond:
            if not req:
                raise MetadataRuleError(f"{where}: {name}: conditional {a!r} needs requires")
            conditional.setdefault(a, []).append((name, req))
    clash = set(strong) & set(conditional)
    if clash:
        raise MetadataRuleError(f"{where}: both plain and conditional aliases: {sorted(clash)}")

    stop = str(d.get("name_stop_chars") or "")
    generic = tuple(_build_generic(g, provinces, cities, stop, where)
                    for g in d.get("generic") or [])
    outlets: dict[str, str] = {}
    for o in d.get("outlets") or []:
        for dom in words(o.get("domains"), where):
            outlets[dom.lower()] = str(o["name"])
    return _OrgRules(
        orgs=MappingProxyType(orgs),
        strong=MappingProxyType(strong),
        conditional=MappingProxyType({k: tuple(v) for k, v in conditional.items()}),
        regex=re.compile(alternation([*strong, *conditional])),
        generic=generic,
        generic_weight=float(d.get("generic_weight", 0.5)),
        generic_min_mentions=int(d.get("generic_min_mentions", 2)),
        central_region=str(d.get("central_region", "全国")),
        provinces=MappingProxyType(provinces),
        cities=MappingProxyType(cities),
        place_regex=re.compile(alternation([*provinces, *cities])),
        outlets=MappingProxyType(outlets),
    )


# Title furniture beyond nonclaims.yaml's lists (menu and header words that only matter


def _region_of_place(place: str) -> str | None:
    r = organisation_rules()
    if place in r.provinces:
        return r.provinces[place]
    if place in r.cities:
        return f"{r.cities[place]} {place}"
    return None


def find_organisation(simp: str, title: str | None) -> tuple[str | None, str | None, str | None]:
    r = organisation_rules()
    view = paragraphs(simp)
    lead = lead_end(view)
    known: Counter[str] = Counter()
    first: dict[str, int] = {}
    cond_owner: dict[str, str | None] = {}

    def owner(alias: str) -> str | None:
        if alias not in cond_owner:  # among entries whose `requires` occur, the most named
            best, best_n = None, 0
            for org, req in r.conditional[alias]:
                n = sum(simp.count(w) for w in req)
                if n > best_n:
                    best, best_n = org, n
            cond_owner[alias] = best
        return cond_owner[alias]

    def count(texts: Iterable[tuple[str, float]]) -> None:
        for s, bonus in texts:
            for m in r.regex.finditer(s):
                a = m.group()
                org = r.strong.get(a) or owner(a)
                if org is None:
                    continue
                w = bonus if bonus else (2.0 if m.start() < lead else 1.0)
                known[org] += w
                if not bonus:
                    first.setdefault(org, m.start())

    count([(view, 0.0)] + ([(simplified(title), 3.0)] if title else []))
    if known:
        org = max(known, key=lambda o: (known[o], -first.get(o, 10**9)))
        o = r.orgs[org]
        return o.name, o.level, (r.central_region if o.level == "central" else o.region)

    # generic shapes: only where no listed organisation is named
    scores: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    info: dict[str, tuple[str, str | None]] = {}
    taken: list[tuple[int, int]] = []
    sources = [(view, False)] + ([(simplified(title), True)] if title else [])
    for g in r.generic:
        for s, is_title in sources:
            if not any(a in s for a in g.anchors):
                continue
            for m in g.regex.finditer(s):
                if not is_title:
                    if any(a < m.end() and m.start() < b for a, b in taken):
                        continue
                    taken.append(m.span())
                name = m.group()
                if g.level == "central":
                    region = r.central_region
                elif g.place in ("province", "city"):
                    region = _region_of_place(m.group("place"))
                else:
                    p = r.place_regex.match(name)
                    region = _region_of_place(p.group()) if p else None
                    if g.level == "county" and region is None:
                        region = m.group("name") + "县"
                info.setdefault(name, (g.level, region))
                prominent = is_title or m.start() < lead
                scores[name] += (3.0 if is_title else 2.0 if prominent else 1.0) * r.generic_weight
                mentions[name] += r.generic_min_mentions if prominent else 1
    ok = [n for n in scores if mentions[n] >= r.generic_min_mentions]
    if ok:
        name = max(ok, key=lambda n: scores[n])
        return name, *info[name]
    # no organisation: a region named often enough
    places = Counter(_region_of_place(m.group()) for m in r.place_regex.finditer(simp))
    top = places.most_common(2)
    if top and top[0][0] and top[0][1] >= 3 and (len(top) == 1 or top[0][1] >= 2 * top[1][1]):
        return None, None, top[0][0]
    return None, None, None


def detect_organisation(text: str, title: str | None = None
                        ) -> tuple[str | None, str | None, str | None]:
    """(organisation, level, region) of the report's author. Listed organisations
    (organisations.yaml) are counted by alias, twice in the lead and three more times in
    the title; conditional short forms (省直工委 with 安徽 in the text, 工委 once the full
    name is there) count too. Generic shapes (X省直机关工委, X市委, 国家X局, X大学 …) are
    used only when nothing listed is named, and must be named twice or in the lead.
    With no organisation, a province or city named at least three times gives the region.

    >>> detect_organisation("安徽省直工委认真学习。省直工委召开会议。")
    ('安徽省直机关工委', 'provincial', '安徽')
    >>> detect_organisation("全國政協機關開展主題教育")
    ('全国政协机关', 'central', '全国')
    >>> detect_organisation("江苏省直机关工委组织开展培训。")
    ('江苏省直机关工委', 'provincial', '江苏')
    """
    return find_organisation(simplified(text), title)
