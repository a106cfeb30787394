"""Who wrote a report: organisation, level and region, and the outlet of a web host.

Rules: data/rules/organisations.yaml (listed organisations with aliases and levels, the
shapes of names nobody listed — places, level words, organs, agencies, units — with their
levels, provinces, cities, outlets), read once and validated.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Iterator, Mapping

from ..extraction import literal_scan
from ..extraction.literal_scan import (COMPILED as SCAN_COMPILED, Literals, name_run_start,
                                        placed_starts)
from ..regex_cache import regex
from ..report import LEVELS
from ..rules import RULES_DIR, MetadataRuleError, alternation, load_yaml, words
from .text_view import (
    CJK,
    char_table,
    code_points,
    lead_end,
    looked_up,
    numpy_lib,
    paragraphs,
    simplified,
)

ORGANISATIONS_FILE = RULES_DIR / "organisations.yaml"


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    level: str
    region: str | None
    aliases: tuple[str, ...]                               # includes `name`
    conditional: tuple[tuple[str, tuple[str, ...]], ...]   # (alias, requires any of)


@dataclass(frozen=True, slots=True)
class _Shapes:
    """Names of organisations by their shape (organisations.yaml `shapes`)."""
    placed: re.Pattern        # a boundary, then [prefix] (place… | scope) [office | organ |
                              # name agency] ahead (see _names)
    placed_here: re.Pattern   # that name, matched where it starts; groups chain, scope,
                              # office, organ, agency
    unit: re.Pattern          # a boundary, then name unit ahead (_unit_names answers as its
                              # search does, from the unit words back; the tests compare)
    unit_here: re.Pattern     # that name, matched where it starts; group name
    lead_words: re.Pattern | None    # a verb before its object (帮助|社区): no name starts so
    unit_anchors: tuple[str, ...]    # the unit words: skip the unit regex without one
    generic_units: frozenset[str]    # names that are no unit's own (公司 of 公司党委)
    committees: tuple[str, ...]      # a unit's committee after its bare name (韶钢松山党委)
    committee_here: re.Pattern       # that name and committee, matched where it starts
    word_scan: Literals              # the unit and committee words (_word_places)
    boundary: re.Pattern             # a character before which a name can start
    stop: str                        # the stop characters (CJK, yet a boundary)
    bad: str                         # the bad characters (CJK, in no name, no boundary)
    prefixes: tuple[str, ...]        # words a placed name may open with (中共)
    place_chars: tuple[int, int]     # the characters before a place suffix
    place_firsts: str                # the first characters of the place suffixes
    scope_firsts: str                # the first characters of the scope words
    unit_chars: tuple[int, int]      # the length of a unit's name
    place_end: re.Pattern     # the suffix closing a place, at the end of a chain
    place: re.Pattern         # one place of a chain
    place_level: Mapping[str, str]   # place suffix -> level
    scope_level: Mapping[str, str]   # scope word -> level
    unit_level_organs: frozenset[str]
    organ_same: Mapping[str, str]    # organ as written -> the form it is compared in
    organ_written: tuple[str, ...]   # organ_same's keys
    organ_bodies: Mapping[str, str]  # a body of an organ -> the organ it acts for (written so)
    not_places: tuple[str, ...]
    scan_chars: int           # the head searched for names
    tail_chars: int           # and the end, for listed names (来源, a signature)
    weights: Mapping[str, float]
    min_mentions: int


@dataclass(frozen=True, slots=True)
class _OrgRules:
    orgs: Mapping[str, Organisation]
    strong: Mapping[str, str]                                 # alias -> organisation
    conditional: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]  # alias -> (org, requires)
    regex: re.Pattern
    shapes: _Shapes
    central_region: str
    provinces: Mapping[str, str]     # short name and full name -> short name
    cities: Mapping[str, str]        # city -> province short name
    county_cities: frozenset[str]    # county-level cities (楚雄市): county level
    known_cities: frozenset[str]     # every listed city, with 市: a place whatever it ends with
    place_regex: re.Pattern
    outlets: Mapping[str, str]       # domain -> outlet name
    # regex's and place_regex's words as compiled literal scans (_listed_hits, _places_in)
    scan: Literals
    place_scan: Literals


def cjk_class_without(chars: str) -> str:
    """A character class of the CJK block without `chars` (cheaper than a lookahead).

    >>> [bool(re.fullmatch(cjk_class_without("的了"), c)) for c in "的了市a"]
    [False, False, True, False]
    """
    out, lo = [], 0x4E00
    for c in sorted({ord(c) for c in chars if 0x4E00 <= ord(c) <= 0x9FFF}):
        if c > lo:
            out.append(f"\\u{lo:04x}" + (f"-\\u{c - 1:04x}" if c - 1 > lo else ""))
        lo = c + 1
    if lo <= 0x9FFF:
        out.append(f"\\u{lo:04x}" + ("-\\u9fff" if lo < 0x9FFF else ""))
    return "[" + "".join(out) + "]"


def _levels(value: object, where: str) -> dict[str, str]:
    """{level: [words]} -> {word: level}, levels checked."""
    if not isinstance(value, dict):
        raise MetadataRuleError(f"{where}: expected level: [words]")
    out: dict[str, str] = {}
    for level, ws in value.items():
        if level not in LEVELS:
            raise MetadataRuleError(f"{where}: unknown level {level!r}")
        for w in words(ws, where):
            out[w] = str(level)
    return out


def _build_shapes(d: dict, stop: str, bad: str, where: str, lead: tuple[str, ...]) -> _Shapes:
    if not isinstance(d, dict):
        raise MetadataRuleError(f"{where}: shapes must be a mapping")
    where = f"{where}: shapes"
    place_level = _levels(d.get("places"), f"{where}: places")
    scope_level = _levels(d.get("scopes"), f"{where}: scopes")
    organs, agencies, units, offices = (d.get(k) or {} for k in
                                        ("organs", "agencies", "units", "offices"))
    organ_words = words(organs.get("words"), f"{where}: organs")
    agency_words = words(agencies.get("words"), f"{where}: agencies")
    unit_words = words(units.get("words"), f"{where}: units")
    if not (place_level and scope_level and organ_words and agency_words and unit_words):
        raise MetadataRuleError(f"{where}: needs places, scopes, organs, agencies, units")
    # one character class each (no lookaround per character): a name character is CJK but
    # not a stop or bad character; a name starts where the character before is a boundary:
    # not a CJK character that could sit inside a word (punctuation, a stop character), or
    # at the start of the text. The scan looks for a boundary followed by a name, so the
    # engine skips from boundary to boundary.
    ch = cjk_class_without(stop + bad)
    start = "[^" + cjk_class_without(stop)[1:]
    lo, hi = (int(x) for x in d.get("place_chars", (2, 4)))
    after = words(d.get("place_not_followed_by"), where)
    place = (f"(?:{ch}){{{lo},{hi}}}?{alternation(place_level)}"
             + (f"(?!{alternation(after)})" if after else ""))
    prefix = words(d.get("prefixes"), where)

    def nfb(section: dict) -> str:
        ws = words(section.get("not_followed_by"), where)
        return f"(?!{alternation(ws)})" if ws else ""

    a_lo, a_hi = (int(x) for x in agencies.get("name_chars", (1, 8)))
    u_lo, u_hi = (int(x) for x in units.get("name_chars", (2, 8)))
    if not 1 <= u_lo <= u_hi:  # a unit has a name of its own (its search relies on one)
        raise MetadataRuleError(f"{where}: units: name_chars must be [lo, hi] with 1 <= lo <= hi")
    o_lo, o_hi = (int(x) for x in offices.get("name_chars", (2, 24)))
    office_words = words(offices.get("words"), f"{where}: offices")
    office = (f"(?P<office>[{CJK}]{{{o_lo},{o_hi}}}?{alternation(office_words)})|"
              if office_words else "(?P<office>(?!))|")
    placed_body = (
        (f"(?:{alternation(prefix)})?" if prefix else "")
        + f"(?:(?P<chain>(?:{place})+)|(?P<scope>{alternation(scope_level)})"
        + (f"(?!{alternation(after)})" if after else "") + ")"
        + f"(?:{office}(?P<organ>{alternation(organ_words)}){nfb(organs)}"
        + f"|(?P<agency>(?:{ch}){{{a_lo},{a_hi}}}?{alternation(agency_words)}){nfb(agencies)})?")
    # a name's first character (a name character, or a prefix's or a scope's), checked
    # before the whole name is tried
    firsts = {w[0] for w in (*prefix, *scope_level)}
    first = cjk_class_without("".join(c for c in stop + bad if c not in firsts))
    placed = regex("organisations.placed", f"{start}(?={first})(?={placed_body})")
    # a unit's own committee: 韶钢松山党委 (a name, no place, no unit word)
    committees = words(units.get("committees"), f"{where}: units")
    unit_body = f"(?P<name>(?:{ch}){{{u_lo},{u_hi}}}?){alternation(unit_words)}" + nfb(units)
    committee_body = (f"(?P<name>(?:{ch}){{{u_lo},{u_hi}}}?)(?:{alternation(committees)})"
                      + nfb(organs) if committees else "(?!)")
    unit = regex("organisations.unit", f"{start}(?={ch})(?={unit_body})")
    organ_same = {str(k): str(v) for k, v in
                  {**(d.get("organ_same") or {}), **(d.get("organ_bodies") or {})}.items()}
    w = d.get("weights") or {}
    weights = {k: float(w.get(k, v)) for k, v in (("headline", 3.0), ("lead", 2.0),
               ("body", 1.0), ("clause_start", 1.5), ("first_in_lead", 2.0),
               ("place_only", 0.5))}
    return _Shapes(
        placed=placed, placed_here=regex("organisations.placed_here", placed_body), unit=unit,
        unit_here=regex("organisations.unit_here", unit_body),
        lead_words=regex("organisations.lead_words", alternation(lead)) if lead else None,
        unit_anchors=unit_words,
        committees=committees,
        committee_here=regex("organisations.committee_here", committee_body),
        word_scan=Literals([*unit_words, *committees]),
        boundary=regex("organisations.boundary", start),
        stop=stop,
        bad=bad,
        prefixes=prefix,
        place_chars=(lo, hi),
        place_firsts="".join(sorted({w[0] for w in place_level})),
        scope_firsts="".join(sorted({w[0] for w in scope_level})),
        unit_chars=(u_lo, u_hi),
        generic_units=frozenset(words(units.get("generic_names"), f"{where}: units")),
        place_end=re.compile(f"(?:{alternation(place_level)})$"),
        place=regex("organisations.place", place),
        place_level=MappingProxyType(place_level),
        scope_level=MappingProxyType(scope_level),
        unit_level_organs=frozenset(words(organs.get("unit_level"), where)),
        organ_same=MappingProxyType(organ_same),
        organ_written=tuple(organ_same),
        organ_bodies=MappingProxyType({str(k): str(v) for k, v in
                                       (d.get("organ_bodies") or {}).items()}),
        not_places=words(d.get("not_places"), where),
        scan_chars=int(d.get("scan_chars", 3000)),
        tail_chars=int(d.get("tail_chars", 1000)),
        weights=MappingProxyType(weights),
        min_mentions=int(d.get("min_mentions", 2)),
    )


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
    shapes = _build_shapes(d.get("shapes") or {}, stop, str(d.get("name_bad_chars") or ""), where,
                           words(d.get("name_lead_words"), where))
    outlets: dict[str, str] = {}
    for o in d.get("outlets") or []:
        for dom in words(o.get("domains"), where):
            outlets[dom.lower()] = str(o["name"])
    return _OrgRules(
        orgs=MappingProxyType(orgs),
        strong=MappingProxyType(strong),
        conditional=MappingProxyType({k: tuple(v) for k, v in conditional.items()}),
        regex=regex("organisations.names", alternation([*strong, *conditional])),
        shapes=shapes,
        central_region=str(d.get("central_region", "全国")),
        provinces=MappingProxyType(provinces),
        cities=MappingProxyType(cities),
        county_cities=frozenset(words(d.get("county_level_cities"), where)),
        known_cities=frozenset((*words(d.get("county_level_cities"), where),
                                *words(d.get("prefecture_level_cities"), where),
                                *(f"{c}市" for c in cities))),
        place_regex=regex("organisations.places", alternation([*provinces, *cities])),
        outlets=MappingProxyType(outlets),
        scan=Literals([*strong, *conditional]),
        place_scan=Literals([*provinces, *cities]),
    )


def _listed_hits(s: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, alias) of the listed aliases in s[start:end], as `regex.finditer`
    finds them: by the compiled scan when the build runs (describe28)."""
    r = organisation_rules()
    if SCAN_COMPILED:
        return r.scan.find(s, start, end)
    return [(m.start(), m.end(), m.group()) for m in r.regex.finditer(s, start, end)]


def _places_in(simp: str) -> list[str]:
    """`place_regex.findall(simp)`: by the compiled scan when the build runs (the
    alternation tests every character of a whole report in the regex engine)."""
    r = organisation_rules()
    return r.place_scan.words(simp) if SCAN_COMPILED else r.place_regex.findall(simp)


def _first_place(s: str, end: int) -> tuple[int, str] | None:
    """(start, place) of the first listed province or city in s[:end], as
    `place_regex.search(s, 0, end)` finds it: by the compiled scan when the build runs
    (the alternation of ~140 names tried at each character of a chain)."""
    r = organisation_rules()
    if SCAN_COMPILED:
        hits = r.place_scan.find(s, 0, end)
        return (hits[0][0], hits[0][2]) if hits else None
    m = r.place_regex.search(s, 0, end)
    return (m.start(), m.group()) if m else None


def _region_of_place(place: str) -> str | None:
    r = organisation_rules()
    if place in r.provinces:
        return r.provinces[place]
    if place in r.cities:
        return f"{r.cities[place]} {place}"
    return None


# A name at a clause start is the subject of its clause: the one that acts or reports.
_CLAUSE_BEFORE = frozenset("，,。；;：:！!？?\n\r \t\u3000)）】”\"讯电")


@dataclass(slots=True)
class _Candidate:
    written: str              # as written, in the report's own script
    level: str | None
    region: str | None
    kind: str                 # listed | chain (place + organ) | scope (省委…) | place | unit
    organ: str                # the organ in its compared form (法院 for 人民法院), or ""
    place: str = ""           # the last place of a chain (即墨区 in 青岛市即墨区发改局)
    score: float = 0.0
    mentions: int = 0
    prominent: bool = False   # named in the headline or the lead
    first: int = 10**9


_Facts = tuple[str, str, str | None, str, str]
# _shape's answers by the match's groups: the same names recur report after report (县委,
# 市政府 …), and the answer depends on nothing else; kept for one set of rules
# (so are _known_place_inside's, by the chain)
_KEPT = 20_000
_shape_memo: dict[tuple[str | None, ...], _Facts | None] = {}
_inside_memo: dict[str, int] = {}
_memo_rules: list[_OrgRules] = []


def _same_rules(r: _OrgRules) -> None:
    """Forget the remembered answers when the rules are not the ones they were made with."""
    if not _memo_rules or _memo_rules[0] is not r:
        _shape_memo.clear()
        _inside_memo.clear()
        _memo_rules[:] = [r]


def _shape(m: re.Match, r: _OrgRules) -> _Facts | None:
    """(kind, level, region, organ, last place) of a shape match, or None when it names
    nobody (shape_facts of its groups, remembered)."""
    key = m.group("chain", "scope", "organ", "agency", "office")
    _same_rules(r)
    if key in _shape_memo:
        return _shape_memo[key]
    facts = shape_facts(*key, r)
    if len(_shape_memo) < _KEPT:
        _shape_memo[key] = facts
    return facts


def _place_inside(chain: str, r: _OrgRules) -> int:
    """_known_place_inside, remembered."""
    _same_rules(r)
    at = _inside_memo.get(chain)
    if at is None:
        at = _known_place_inside(chain, r)
        if len(_inside_memo) < _KEPT:
            _inside_memo[chain] = at
    return at


def shape_facts(chain: str | None, scope: str | None, organ_group: str | None,
                agency: str | None, office: str | None, r: _OrgRules) -> _Facts | None:
    """(kind, level, region, organ, last place) of a shape match's groups, or None when
    they name nobody."""
    sh = r.shapes
    organ = organ_group or agency or office or ""
    if not organ and not chain:
        return None  # a bare 省 / 市 is nothing
    region = None
    last: list[str] = []
    if chain:
        last = [p.group() for p in sh.place.finditer(chain)][-1:]
        if last and last[0].endswith(sh.not_places) and last[0] not in r.known_cities:
            return None
        if _place_inside(chain, r) > 0:
            return None  # 察看安徽省政府: words before a known place (matched from there)
        end = sh.place_end.search(chain)
        level = sh.place_level[end.group()] if end else "unit"
        if last and last[0] in r.county_cities:
            level = "county"  # 楚雄市: a county-level city
        p = _first_place(chain, len(chain))
        if p:
            region = _region_of_place(p[1])
            if p[1] in r.provinces and chain in (p[1], p[1] + "市"):
                level = "provincial"  # 天津市, 安徽省: a province or a province-level city
        elif level == "county":
            region = chain
    else:
        level = sh.scope_level[scope]
        if level == "central":
            region = r.central_region
    if organ_group in sh.unit_level_organs:
        level = "unit"
    if organ.endswith(sh.organ_written):   # most organs are compared as written
        for written, same in sh.organ_same.items():
            if organ.endswith(written):
                organ = organ[:-len(written)] + same
    kind = "place" if not organ else "chain" if chain else "scope"
    return kind, level, region, organ, (last[0] if last else "")


def _committees(zone: str, sh: _Shapes) -> Iterator[re.Match]:
    """A unit's committee after its bare name (韶钢松山党委): found from each committee word
    back to the nearest place a name can start (cheaper than trying every boundary)."""
    lo, hi = sh.unit_chars
    kinds = _name_table(sh).kinds
    places = _word_places(zone, sh)
    for word in sh.committees:
        after = 0   # one word's places, not overlapping
        for pos in places[word]:
            if pos < after:
                continue
            after = pos + len(word)
            # the first place lo..hi before the word, at the zone's start or after a
            # boundary, from which the name reaches the word: the run's start, if any
            begin = name_run_start(zone, pos, lo, hi, kinds)
            if begin >= 0:
                m = sh.committee_here.match(zone, begin)
                if m and m.end("name") == pos and not _no_unit_name(m.group("name"), sh):
                    yield m


def _no_unit_name(name: str, sh: _Shapes) -> bool:
    """The words before a committee name no unit of their own: 公司 (公司党委), 基层; a
    place (抚顺社区党委: the place's shape reads it); a clause with a verb (出席全国党委…)."""
    return (name in sh.generic_units or bool(sh.place_end.search(name))
            or bool(sh.lead_words and sh.lead_words.search(name)))


def _known_place_inside(chain: str, r: _OrgRules) -> int:
    """Where a listed province or city starts inside the first place of a chain (察看|安徽省),
    else 0."""
    first = r.shapes.place.match(chain)
    p = _first_place(chain, first.end() if first else len(chain))
    return p[0] if p else 0


def _names(boundary: re.Pattern, here: re.Pattern, zone: str) -> Iterator[re.Match]:
    """The names `here` matches in `zone`, left to right and not overlapping, where a name
    can start: at the start of the zone or right after a boundary character."""
    m = here.match(zone)
    pos = 0
    if m:
        yield m
        pos = m.end()
    while True:
        b = boundary.search(zone, pos)
        if b is None:
            return
        m = here.match(zone, b.end())
        if m is None:  # cannot happen: the boundary pattern looked ahead for the name
            return
        yield m
        pos = m.end()


# below this many characters the boundary scan is cheaper than setting up the arrays
_SHORT_ZONE = 200


@cache
def _boundary_table(stop: str):
    """Every code point: True where a name can start after it (the `boundary` class: not a
    CJK character, or a stop character)."""
    table = char_table(stop).copy()
    table[:0x4E00] = True
    table[0xA000:] = True
    return table


def _placed_candidates(zone: str, sh: _Shapes) -> list[int]:
    """Every place after a boundary character where a placed name can start: a name opens
    with a scope word, or with lo..hi name characters and a place suffix, perhaps after a
    prefix, so a scope word's first character at the start or a suffix's lo..hi characters
    on (each also after a prefix written there). A superset of the starts, found in numpy
    over the zone's code points."""
    lo, hi = sh.place_chars
    n = len(zone)
    reach = max((len(p) for p in sh.prefixes), default=0) + hi + 1
    np = numpy_lib()
    points = np.zeros(n + reach, dtype=np.uint32)   # 0 past the end: in no table
    points[:n] = code_points(zone)
    place = looked_up(char_table(sh.place_firsts), points)
    scope = looked_up(char_table(sh.scope_firsts), points)

    def opens(at: int):  # a place or scope can open `at` characters on
        m = scope[at:at + n].copy()
        for k in range(lo, hi + 1):
            m |= place[at + k:at + k + n]
        return m

    ok = opens(0)
    for prefix in sh.prefixes:
        written = np.ones(n, dtype=bool)
        for i, c in enumerate(prefix):
            written &= points[i:i + n] == ord(c)
        ok |= written & opens(len(prefix))
    ok[1:] &= looked_up(_boundary_table(sh.stop), points[:n - 1])
    ok[:1] = False   # the zone's start: _placed_names tries it first
    return np.flatnonzero(ok).tolist()


def _placed_starts(zone: str, sh: _Shapes) -> list[int]:
    """The starts _placed_candidates finds, found by str.find instead of numpy (for a
    process without numpy): from each place suffix's and scope word's first character
    back to where its name could open, then kept after a boundary character."""
    lo, hi = sh.place_chars
    opens: set[int] = set()
    for c in sh.place_firsts:
        at = zone.find(c)
        while at >= 0:
            opens.update(range(at - hi, at - lo + 1))
            at = zone.find(c, at + 1)
    for c in sh.scope_firsts:
        at = zone.find(c)
        while at >= 0:
            opens.add(at)
            at = zone.find(c, at + 1)
    starts = set(opens)
    for prefix in sh.prefixes:
        at = zone.find(prefix)
        while at >= 0:
            if at + len(prefix) in opens:
                starts.add(at)
            at = zone.find(prefix, at + 1)
    stop = sh.stop   # after a boundary character: not CJK, or a stop character
    out = []
    for s in sorted(starts):
        if s > 0:
            c = zone[s - 1]
            if not "\u4e00" <= c <= "\u9fff" or c in stop:
                out.append(s)
    return out


def _placed_names(zone: str, sh: _Shapes) -> Iterator[re.Match]:
    """What `_names(sh.placed, sh.placed_here, zone)` gives, trying only the candidate
    starts (tests/test_reading_fast_paths.py holds the two equal): with the build, where
    a run of name characters opens lo..hi characters before a place suffix, or a scope
    word is written (literal_scan.placed_starts: 53 starts a head -> 14 on every 7th bench
    file, 7 of them names, 6 a scope word alone); else every place lo..hi before a suffix's
    first character or at a scope word's first character, from numpy once it is loaded
    (text_view.numpy_pays), else from str.find (139 M instructions on 100 bench files ->
    109 M, describe26)."""
    if len(zone) < _SHORT_ZONE:
        yield from _names(sh.placed, sh.placed_here, zone)
        return
    table = _name_table(sh)
    if SCAN_COMPILED and table.places:
        starts = placed_starts(zone, table.kinds, *sh.place_chars, table.suffixes, table.scopes,
                               table.prefixes)
    elif "numpy" in sys.modules:
        starts = _placed_candidates(zone, sh)
    else:
        starts = _placed_starts(zone, sh)
    yield from _names_at(sh.placed_here, zone, starts)


@dataclass(frozen=True, slots=True)
class _NameTable:
    kinds: bytes               # code point -> literal_scan's name bits
    places: bool               # the place and scope bits are all there (no first
                               # character of one beyond the basic plane)
    suffixes: list[str]        # the place suffixes, scope words and prefixes, as
    scopes: list[str]          # placed_starts takes them
    prefixes: list[str]


_name_tables: list = []   # [shapes, its _NameTable]


def _name_table(sh: _Shapes) -> _NameTable:
    """The name bits of every code point of the basic plane for `sh` (made once): a place
    suffix's and a scope word's first character, a boundary (not CJK, or a stop
    character: the `boundary` class), a name character (the placed pattern's `ch`: CJK,
    neither a stop nor a bad character)."""
    if _name_tables and _name_tables[0] is sh:
        return _name_tables[1]
    kinds = bytearray([literal_scan.BOUNDARY]) * 0x10000
    name = literal_scan.NAME_CHAR
    kinds[0x4E00:0xA000] = bytes([name]) * (0xA000 - 0x4E00)
    for c in sh.stop + sh.bad:
        if "\u4e00" <= c <= "\u9fff":
            kinds[ord(c)] = literal_scan.BOUNDARY if c in sh.stop else 0
    places = True
    for chars, bit in ((sh.place_firsts, literal_scan.PLACE_FIRST),
                       (sh.scope_firsts, literal_scan.SCOPE_FIRST)):
        for c in chars:
            if ord(c) < 0x10000:
                kinds[ord(c)] |= bit
            else:
                places = False
    table = _NameTable(bytes(kinds), places, list(sh.place_level), list(sh.scope_level),
                       list(sh.prefixes))
    _name_tables[:] = [sh, table]
    return table


def _names_at(here: re.Pattern, zone: str, starts: list[int]) -> Iterator[re.Match]:
    """The names `here` matches in `zone`, left to right and not overlapping, tried at the
    zone's start and at `starts` (ascending; a superset of the starts after a boundary
    character where a name matches): what _names gives."""
    m = here.match(zone)
    pos = 0
    if m:
        yield m
        pos = m.end()
    for s in starts:
        if s > pos:  # after a boundary character at or after pos, as _names
            m = here.match(zone, s)
            if m:
                yield m
                pos = m.end()


def _unit_names(zone: str, sh: _Shapes) -> Iterator[re.Match]:
    """What `_names(sh.unit, sh.unit_here, zone)` gives, found from the unit words back.
    A unit's name ends in a unit word that starts unit_chars (lo..hi) characters after the
    name, of name characters after a boundary, so only the start of the run of name
    characters before a unit word can match (literal_scan.name_run_start; of the lo..hi
    places before it, each was tried); unit words are rare, while a third of a head's
    characters are boundaries, at each of which the unit regex tried its lazy name
    (tests/test_reading_fast_paths.py holds the two equal)."""
    lo, hi = sh.unit_chars
    here = sh.unit_here
    kinds = _name_table(sh).kinds
    starts: set[int] = set()
    places = _word_places(zone, sh)
    for word in sh.unit_anchors:
        for at in places[word]:
            # of the lo..hi places before the word, only the run of name characters'
            # start follows a boundary: 7 starts a word -> 1, or none
            s = name_run_start(zone, at, lo, hi, kinds)
            if s > 0:
                starts.add(s)
    m = here.match(zone)
    pos = 0
    if m:
        yield m
        pos = m.end()
    for s in sorted(starts):  # a start after a boundary character at or after pos, as _names
        if s > pos:
            m = here.match(zone, s)
            if m:
                yield m
                pos = m.end()


_places_kept: list = []   # [zone, shapes, places]: _unit_names and _committees read one zone


def _word_places(zone: str, sh: _Shapes) -> dict[str, list[int]]:
    """Every place of each unit and committee word in `zone` (overlapping ones too), for
    _unit_names and _committees, which ask in turn for the same zone: found in one compiled
    pass when the build runs (where a `str.find` pass per word, 13 of them, cost more),
    else by str.find."""
    if _places_kept and _places_kept[0] is zone and _places_kept[1] is sh:
        return _places_kept[2]
    places: dict[str, list[int]] = {w: [] for w in (*sh.unit_anchors, *sh.committees)}
    if SCAN_COMPILED:
        for at, word in sh.word_scan.every(zone):
            places[word].append(at)
    else:
        for word, found in places.items():
            at = zone.find(word)
            while at >= 0:
                found.append(at)
                at = zone.find(word, at + 1)
    _places_kept[:] = [zone, sh, places]
    return places


def _same_office(a: _Candidate, b: _Candidate) -> bool:
    """One office written with and without its city: 青岛即墨区发改局 and 青岛市即墨区发展改革局
    (the same organ, compared in its organ_same form, and one last place ending the other)."""
    return (a.kind == b.kind == "chain" and bool(a.organ) and a.organ == b.organ
            and bool(a.place and b.place)
            and (a.place.endswith(b.place) or b.place.endswith(a.place)))


def _merge(into: _Candidate, c: _Candidate) -> None:
    into.score += c.score
    into.mentions += c.mentions
    into.prominent = into.prominent or c.prominent
    into.first = min(into.first, c.first)


def find_organisation(simp: str, title: str | None, text: str | None = None
                      ) -> tuple[str | None, str | None, str | None]:
    """(organisation, level, region): see detect_organisation. `text` is the report as
    written (same length as `simp`): a name found by its shape is reported as written."""
    r = organisation_rules()
    sh = r.shapes
    w = sh.weights
    view = paragraphs(simp)
    lead = lead_end(view)
    written = text if text is not None and len(text) == len(simp) else simp
    cands: dict[str, _Candidate] = {}
    cond_owner: dict[str, str | None] = {}
    first_subject: list[str] = []

    def owner(alias: str) -> str | None:
        if alias not in cond_owner:  # among entries whose `requires` occur, the most named
            best, best_n = None, 0
            for org, req in r.conditional[alias]:
                n = sum(simp.count(w) for w in req)
                if n > best_n:
                    best, best_n = org, n
            cond_owner[alias] = best
        return cond_owner[alias]

    def add(key: str, make: _Candidate, pos: int, in_title: bool, src: str,
            factor: float = 1.0) -> None:
        c = cands.setdefault(key, make)
        at_start = in_title or pos == 0 or src[pos - 1] in _CLAUSE_BEFORE
        base = w["headline"] if in_title else w["lead"] if pos < lead else w["body"]
        c.score += base * factor * (w["clause_start"] if at_start else 1.0)
        c.mentions += 1
        if in_title or pos < lead:
            c.prominent = True
        if not in_title:
            c.first = min(c.first, pos)
            if pos < lead and at_start and not first_subject:
                first_subject.append(key)

    headline = simplified(title) if title else ""
    sources = [(view, False)] + ([(headline, True)] if title else [])
    # the headline line of the text counts once, as the headline
    taken: list[tuple[int, int]] = []
    at = view.find(headline, 0, 2000) if headline else -1
    if at >= 0:
        taken.append((at, at + len(headline)))
    # listed organisations, by alias, where a report names who wrote it: its head (the
    # lead, the dateline) and its end (来源, the signature)
    tail = max(sh.scan_chars, len(view) - sh.tail_chars)
    for s, start, end in ((view, 0, sh.scan_chars), (view, tail, len(view)),
                          (headline, 0, len(headline))):
        in_title = s is headline and s is not view
        for m_start, m_end, alias in _listed_hits(s, start, end):
            org = r.strong.get(alias) or owner(alias)
            if org is None or not in_title and at >= 0 and at <= m_start < at + len(headline):
                continue
            o = r.orgs[org]
            region = r.central_region if o.level == "central" else o.region
            add(org, _Candidate(o.name, o.level, region, "listed", ""), m_start, in_title, s)
            if not in_title:
                taken.append((m_start, m_end))
    # names by their shape, where the report names who acts: the head and the headline
    for s, in_title in sources:
        zone = s if in_title else s[:sh.scan_chars]
        found: list[tuple[int, int, str, _Candidate, float]] = []
        for m in _placed_names(zone, sh):
            verb = sh.lead_words.match(zone, m.start()) if sh.lead_words else None
            if verb:  # 帮助社区: a verb and its object; 走进北京师范大学: the name after it
                m = sh.placed_here.match(zone, verb.end())  # type: ignore[assignment]
                if m is None:
                    continue
            if m.lastgroup == "scope":
                continue  # a scope word alone (国家, 全省) names nobody (shape_facts)
            inside = _place_inside(m.group("chain"), r) if m.group("chain") else 0
            if inside:  # start at the known place: 察看安徽省政府 -> 安徽省政府
                m = sh.placed_here.match(zone, m.start() + inside) or m
            facts = _shape(m, r)
            if facts is None:
                continue
            kind, level, region, organ, last_place = facts
            at_start = m.start() == 0 or zone[m.start() - 1] in _CLAUSE_BEFORE
            if kind == "place" and not at_start:
                continue  # a place as the object (位于道里区东南部) names nobody
            key = (m.group("chain") or m.group("scope")) + organ
            factor = w["place_only"] if kind == "place" else 1.0
            if kind == "chain" and region is None and not at_start:
                factor *= w["place_only"]  # 并结合区委: an unknown "place" inside a clause
            end = m.end()
            body = m.group("organ") or ""
            if body in sh.organ_bodies:  # 省委常委会 acts for 省委, and is written so
                end -= len(body) - len(sh.organ_bodies[body])
            found.append((m.start(), end, key,
                          _Candidate("", level, region, kind, organ, last_place), factor))
        for m in _unit_names(zone, sh):
            verb = sh.lead_words.match(zone, m.start()) if sh.lead_words else None
            if verb:  # 通过公司领导…: the company is the verb's object, and no name
                m = sh.unit_here.match(zone, verb.end())  # type: ignore[assignment]
                if m is None:
                    continue
            p = r.place_regex.search(m.group("name"))
            begin = m.start() + (p.start() if p else 0)  # 令天津大学 -> 天津大学
            at_start = begin == 0 or zone[begin - 1] in _CLAUSE_BEFORE
            # 与物业公司沟通: a company in the object, not the one that acts
            found.append((begin, m.end(), zone[begin:m.end()],
                          _Candidate("", "unit", None, "unit", ""),
                          1.0 if at_start else w["place_only"]))
        for m in _committees(zone, sh):
            at_start = m.start() == 0 or zone[m.start() - 1] in _CLAUSE_BEFORE
            found.append((m.start(), m.end(), m.group(), _Candidate("", "unit", None, "unit", ""),
                          1.0 if at_start else w["place_only"]))
        for start, end, key, cand, factor in sorted(found, key=lambda f: f[:2]):
            if not in_title and any(a < end and start < b for a, b in taken):
                continue
            if not in_title:
                taken.append((start, end))
            as_written = (title or "")[start:end] if in_title else written[start:end]
            if key in cands and len(as_written) > len(cands[key].written):
                cands[key].written = as_written  # the fullest writing: 中共山东省委
            cand.written = as_written
            add(key, cand, start, in_title, zone, factor)

    if first_subject and first_subject[0] in cands:
        cands[first_subject[0]].score += w["first_in_lead"]
    # one organisation written shorter and longer: 山东省委 in 中共山东省委
    for short in sorted(cands, key=len):
        c = cands[short]
        longer = [k for k, o in cands.items() if len(k) > len(short)
                  and (k.endswith(short) and o.kind in ("chain", "unit")
                       and c.kind in ("chain", "unit") or _same_office(c, o))]
        if longer:
            _merge(cands[max(longer, key=lambda k: cands[k].score)], cands.pop(short))
    # the report's own place (省委 for 湖南省委, 区法院 for 下花园区人民法院): into the named
    # organisation with that organ, or the place that acts, at that level
    for key in [k for k, c in cands.items() if c.kind == "scope"]:
        c = cands[key]
        same = [k for k, o in cands.items() if o.level == c.level
                and (o.kind == "chain" and o.organ == c.organ or o.kind == "place")]
        if not same:
            continue
        into = cands[max(same, key=lambda k: cands[k].score)]
        if into.kind == "place" and c.score > into.score:
            into.written += c.written[len(key) - len(c.organ):]  # 吉安市 + 直机关工委
            into.kind, into.organ = "chain", c.organ
        _merge(into, cands.pop(key))
    ok = [k for k, c in cands.items()
          if c.kind == "listed" or c.prominent or c.mentions >= sh.min_mentions]
    if ok:
        best = cands[max(ok, key=lambda k: (cands[k].score, -cands[k].first))]
        return best.written, best.level, best.region
    # no organisation: a region named often enough
    places: Counter[str | None] = Counter()
    for place, n in Counter(_places_in(simp)).items():  # in first-seen order
        places[_region_of_place(place)] += n
    top = places.most_common(2)
    if top and top[0][0] and top[0][1] >= 3 and (len(top) == 1 or top[0][1] >= 2 * top[1][1]):
        return None, None, top[0][0]
    return None, None, None


def detect_organisation(text: str, title: str | None = None
                        ) -> tuple[str | None, str | None, str | None]:
    """(organisation, level, region) of the organisation that acts or reports. Listed
    organisations (organisations.yaml) are counted by alias, with their canonical name;
    conditional short forms (省直工委 with 安徽 in the text, 工委 once the full name is
    there) count too. Names nobody listed are found by their shape (下花园区人民法院,
    省委组织部, 书院镇丽泽社区, 广州分公司 …) and reported as written. Every mention
    weighs three in the headline, two in the lead, one after, half again at the start of
    a clause (the one that acts), and the first such subject of the lead gets a bonus; a
    shape must be named twice or in the headline or lead. With no organisation, a
    province or city named at least three times gives the region.

    >>> detect_organisation("安徽省直工委认真学习。省直工委召开会议。")
    ('安徽省直机关工委', 'provincial', '安徽')
    >>> detect_organisation("全國政協機關開展主題教育")
    ('全国政协机关', 'central', '全国')
    >>> detect_organisation("江苏省直机关工委组织开展培训。")
    ('江苏省直机关工委', 'provincial', '江苏')
    >>> detect_organisation("日前,下花园区人民法院开展案款发放。区法院共发放案款327万元。")
    ('下花园区人民法院', 'county', '下花园区')
    """
    return find_organisation(simplified(text), title, text)
