"""Report metadata from the text: title, date, outlet, organisation, campaign, tags.

Every rule is data: campaigns and local drives in ``data/campaigns.yaml``, organisations,
places and outlets in ``data/organisations.yaml``, page furniture in
``data/rules/nonclaims.yaml``. The YAML is read once (``functools.cache``) and the
regexes are built from it; after that every function here is pure and does no I/O
(except ``load_manifest``, which reads the optional ``data/manifest.csv``).

Matching runs on a simplified view of the text (OpenCC t2s keeps the length), so a
report in traditional script (004) gives the same simplified canonical names.

Public API::

    detect_title(text, html_meta=None)            -> str | None
    detect_published(text, html_meta=None)        -> 'yyyy-mm-dd' | None
    detect_source(text, html_meta=None)           -> str | None
    detect_organisation(text, title=None)         -> (organisation, level, region)
    detect_campaign(text, *, year=None, title=None) -> CampaignMatch | None
    detect_tags(text)                             -> list[str]
    describe(text, name, *, html_meta=None, manifest=None) -> dict (Report metadata)
    load_manifest(path)                           -> Manifest (a dict with .warnings)

``html_meta`` is the metadata a HTML reader found (trafilatura names): ``title``,
``date`` (or ``published``, ``pubdate``, ``article:published_time``), ``sitename``
(or ``source``, ``site_name``, ``og:site_name``), ``hostname``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping


from .report import LEVELS
from .rules import RuleError, alternation, load_yaml, nonclaims

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CAMPAIGNS_FILE = DATA_DIR / "campaigns.yaml"
ORGANISATIONS_FILE = DATA_DIR / "organisations.yaml"

# The Report fields describe() fills, in Report order.
FIELDS: tuple[str, ...] = ("title", "published", "year", "source", "organisation", "level",
                           "region", "campaign", "campaign_evidence", "tags")
MANIFEST_COLUMNS: tuple[str, ...] = ("file", "title", "published", "source", "organisation",
                                     "level", "region", "campaign", "year")

CJK = "\u4e00-\u9fff"
# Quotation marks, brackets, spaces, 、 and · carry no meaning for a campaign name:
# “不忘初心、牢记使命”主题教育 and 不忘初心牢记使命主题教育 are the same words.
_SQUEEZE = re.compile(r"[“”\"'‘’「」『』《》〈〉【】 \t\r\u3000\xa0、·・]+")
# Paragraph breaks inside one physical line (002 is a single line: 。 + space).
_PARA_BREAK = re.compile(r"(?<=[。！？!?…”])[ \t\u3000\xa0]+")


class MetadataRuleError(RuleError):
    """campaigns.yaml or organisations.yaml is malformed; names the file and entry."""


# ---------------------------------------------------------------- text views

@cache
def _t2s():
    import opencc  # imported on first use: no work at import time
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=32)
def simplified(text: str) -> str:
    """The simplified-script view of `text` (OpenCC t2s, same length for these texts).

    >>> simplified("全國政協機關")
    '全国政协机关'
    """
    return _t2s().convert(text) if text else text


def squeeze(text: str) -> str:
    """Drop quotation marks, brackets, spaces, 、 and · (the campaign-matching view).

    >>> squeeze("“不忘初心、牢记使命”主题教育")
    '不忘初心牢记使命主题教育'
    """
    return _SQUEEZE.sub("", text)


@lru_cache(maxsize=32)
def _paragraphs(simp: str) -> str:
    """`simp` with sentence-final spaces turned into newlines (same length)."""
    return _PARA_BREAK.sub(lambda m: "\n" * len(m.group()), simp)


@lru_cache(maxsize=32)
def _squeezed(simp: str) -> str:
    """The campaign/tag matching view: paragraphs kept, quotes and spaces dropped."""
    return squeeze(_paragraphs(simp))


def _lead_end(view: str, *, min_body: int = 60, max_lines: int = 15) -> int:
    """Offset where the lead ends: after the first body paragraph (a line of at least
    `min_body` characters) among the first `max_lines` non-empty lines.

    >>> _lead_end("标题\\n" + "正" * 70 + "\\n后文")
    73
    """
    pos, seen = 0, 0
    for line in view.split("\n"):
        if line.strip():
            seen += 1
            if len(line.strip()) >= min_body:
                return pos + len(line)
            if seen >= max_lines:
                break
        pos += len(line) + 1
    return min(len(view), 600)


# ---------------------------------------------------------------- rule tables

def _load_yaml(path: Path) -> dict:
    return load_yaml(path, MetadataRuleError)


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise MetadataRuleError(f"{where}: expected a list of words")
    return tuple(str(v) for v in value)


@dataclass(frozen=True, slots=True)
class Campaign:
    name: str                      # canonical, simplified
    short: str                     # short English name
    start: int | None
    end: int | None                # None: still running
    aliases: tuple[str, ...]       # strong: the campaign's own name (includes `name`)
    weak: tuple[str, ...]          # slogans: count only next to a strong alias
    near: tuple[tuple[str, tuple[str, ...], int], ...]  # (alias, near words, window)
    implies: str | None            # a practical activity scores for this campaign


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
    regex: re.Pattern
    local: Mapping[str, str]                      # squeezed alias -> tag name
    local_regex: re.Pattern | None
    tag_regex: re.Pattern
    tag_max: int
    tag_exclude: frozenset[str]
    year_window: int
    year_words: re.Pattern
    year_target_before: tuple[str, ...]


@cache
def campaign_rules() -> _CampaignRules:
    """campaigns.yaml, validated, with its regexes built (once)."""
    d = _load_yaml(CAMPAIGNS_FILE)
    where = CAMPAIGNS_FILE.name
    camps: dict[str, Campaign] = {}
    lookup: dict[str, tuple[str, str, str]] = {}

    def claim(alias: str, entry: str, kind: str) -> None:
        key = squeeze(alias)
        if not key:
            raise MetadataRuleError(f"{where}: {entry}: empty alias")
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
        aliases = tuple(dict.fromkeys((name, *_strs(c["aliases"], f"{where}: {name}"))))
        near = []
        for n in c.get("near") or []:
            if not isinstance(n, dict) or "alias" not in n or "near" not in n:
                raise MetadataRuleError(f"{where}: {name}: near needs alias and near")
            near.append((str(n["alias"]), _strs(n["near"], f"{where}: {name}"),
                         int(n.get("window", 40))))
        camp = Campaign(name, str(c["short"]), years[0], years[1], aliases,
                        _strs(c.get("weak"), f"{where}: {name}"), tuple(near),
                        str(c["implies"]) if c.get("implies") else None)
        if name in camps:
            raise MetadataRuleError(f"{where}: {name} listed twice")
        camps[name] = camp
        for a in camp.aliases:
            claim(a, name, "strong")
        for a in camp.weak:
            claim(a, name, "weak")
        for a, _, _ in camp.near:
            claim(a, name, "near")
    for camp in camps.values():
        if camp.implies and camp.implies not in camps:
            raise MetadataRuleError(f"{where}: {camp.name}: implies unknown {camp.implies}")
    if not camps:
        raise MetadataRuleError(f"{where}: no campaigns")

    local: dict[str, str] = {}
    for i, t in enumerate(d.get("local_initiatives") or []):
        if not isinstance(t, dict) or "name" not in t:
            raise MetadataRuleError(f"{where}: local_initiatives[{i}]: needs a name")
        for a in (t["name"], *_strs(t.get("aliases"), f"{where}: {t['name']}")):
            key = squeeze(str(a))
            if key in local or key in lookup:
                raise MetadataRuleError(f"{where}: tag alias {a!r} claimed twice")
            local[key] = str(t["name"])

    g = d.get("generic_tags") or {}
    follow = _strs(g.get("followed_by"), f"{where}: generic_tags") or ("活动",)
    lo, hi = int(g.get("min_chars", 2)), int(g.get("max_chars", 12))
    quoted = "|".join(f"{o}([^{o}{c}\\n]{{{lo},{hi}}}){c}"
                      for o, c in (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"')))
    tag_regex = re.compile(f"(?:{quoted})(?={alternation(follow)})")

    y = d.get("year_context") or {}
    year_words = _strs(y.get("words"), f"{where}: year_context") or ("今年",)
    return _CampaignRules(
        campaigns=MappingProxyType(camps),
        lookup=MappingProxyType(lookup),
        regex=re.compile(alternation(lookup)),
        local=MappingProxyType(local),
        local_regex=re.compile(alternation(local)) if local else None,
        tag_regex=tag_regex,
        tag_max=int(g.get("max_per_report", 3)),
        tag_exclude=frozenset(squeeze(s) for s in _strs(g.get("exclude"), where)),
        year_window=int(y.get("window", 12)),
        year_words=re.compile(alternation(year_words)),
        year_target_before=_strs(y.get("target_before"), where),
    )


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
    head = _strs(g.get("head"), f"{where}: generic {gid}")
    if not head:
        raise MetadataRuleError(f"{where}: generic {gid}: needs head words")
    place = str(g.get("place", "none"))
    namechar = f"[{CJK}]" if not stop else f"(?![{re.escape(stop)}])[{CJK}]"
    not_inside = _strs(g.get("not_inside"), where)
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
    after = _strs(g.get("after_place"), where)
    if after:
        body += f"{alternation(after)}" + ("?" if g.get("after_place_optional") else "")
    nf = _strs(g.get("not_followed_by"), where)
    pattern = (re.escape(str(g.get("prefix", ""))) + body + alternation(head)
               + (f"(?!{alternation(nf)})" if nf else ""))
    return _Generic(gid, re.compile(pattern), place, level, head)


@cache
def organisation_rules() -> _OrgRules:
    """organisations.yaml, validated, with its regexes built (once)."""
    d = _load_yaml(ORGANISATIONS_FILE)
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
        aliases = tuple(dict.fromkeys((name, *_strs(o["aliases"], f"{where}: {name}"))))
        cond = tuple((str(c["alias"]), _strs(c["requires"], f"{where}: {name}"))
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
        for dom in _strs(o.get("domains"), where):
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
# for picking the headline).
_TITLE_SKIP = ("新闻中心", "news center", "字体", "打印", "关闭", "分享到", "返回主站",
               "技术支持", "网站邮箱", "版权声明", "Copyright")


@cache
def _furniture() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(keys that mark a meta line, words that mark a furniture line)."""
    try:
        nc = nonclaims()
        keys, lines = tuple(nc.furniture_keys), tuple(nc.furniture_lines)
    except (RuleError, KeyError, TypeError):
        keys, lines = ("发布日期", "发布时间", "来源", "浏览", "阅读", "作者"), ("欢迎来到", "首页 >")
    return keys, lines + _TITLE_SKIP


# ---------------------------------------------------------------- dates

_DATE_NUM = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_LABELLED_DATE = re.compile(
    r"(?:发布日期|发布时间|发表时间|发稿时间|更新时间|日期|时间)\s*[:：]?\s*" + _DATE_NUM)
_BARE_DATE = re.compile(r"(?<![\d.])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
_CN_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_DATELINE = re.compile(rf"(新华社|中新社|本报|人民网|新华网|央视网|光明网)?[{CJK}]{{0,8}}?"
                       rf"(?<!\d)(\d{{1,2}})月(\d{{1,2}})日电")
_YEAR_NEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})年")


def iso_date(year: int | str, month: int | str | None = None,
             day: int | str | None = None) -> str | None:
    """A valid date as ISO text (yyyy-mm-dd, or yyyy-mm / yyyy when vaguer), else None.

    >>> iso_date(2014, 2, 7)
    '2014-02-07'
    >>> iso_date("2021", "2", "30") is None
    True
    >>> iso_date(2019, 11)
    '2019-11'
    """
    try:
        y = int(year)
        if not 1900 <= y <= 2100:
            return None
        if month is None:
            return f"{y:04d}"
        m = int(month)
        if day is None:
            return f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
        return dt.date(y, m, int(day)).isoformat()
    except (TypeError, ValueError):
        return None


def parse_date(value: str) -> str | None:
    """Read a date written as 2021-12-30, 2014-2-7, 2021/12/30, 2021年12月30日, 2021-12,
    2021 or an ISO timestamp; return ISO text or None.

    >>> parse_date("2021-12-30T17:34:18+08:00")
    '2021-12-30'
    >>> parse_date("2019年11月")
    '2019-11'
    >>> parse_date("soon") is None
    True
    """
    s = str(value).strip()
    m = re.match(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s)
    if m:
        return iso_date(*m.groups())
    m = re.match(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})月?$", s)
    if m:
        return iso_date(*m.groups())
    m = re.match(r"^((?:19|20)\d{2})年?$", s)
    return iso_date(m.group(1)) if m else None


def _html_get(html_meta: Mapping | None, *keys: str) -> str | None:
    if not html_meta:
        return None
    for k in keys:
        v = html_meta.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _published(text: str, html_meta: Mapping | None) -> tuple[str | None, str | None]:
    raw = _html_get(html_meta, "published", "date", "pubdate", "article:published_time",
                    "datePublished")
    if raw and parse_date(raw):
        return parse_date(raw), "html"
    simp = simplified(text)
    head, foot = simp[:1500], simp[-600:]
    for zone in (head, foot):
        m = _LABELLED_DATE.search(zone)
        if m and iso_date(*m.groups()):
            return iso_date(*m.groups()), "text"
    m = _BARE_DATE.search(head)  # 001: 【2014-2-7】
    if m and iso_date(*m.groups()):
        return iso_date(*m.groups()), "text"
    for line in head.splitlines()[:12]:  # a short header line: 2021年12月30日 10:02
        m = _CN_DATE.search(line)
        if m and len(line.strip()) <= 40 and iso_date(*m.groups()):
            return iso_date(*m.groups()), "text"
    m = _DATELINE.search(head)  # 新华社北京6月30日电: only with a year close by
    if m:
        years = [int(y.group(1)) for y in _YEAR_NEAR.finditer(
            simp, max(0, m.start() - 100), m.end() + 100)]
        if years and iso_date(years[0], m.group(2), m.group(3)):
            return iso_date(years[0], m.group(2), m.group(3)), "text"
    tail = simp[-120:]  # a signature date closing the report: （2021年12月30日）
    m = _CN_DATE.search(tail)
    if m and iso_date(*m.groups()):
        return iso_date(*m.groups()), "text"
    return None, None


def detect_published(text: str, html_meta: dict | None = None) -> str | None:
    """The publication date as ISO yyyy-mm-dd: html metadata first, then a labelled date
    (发布日期/发布时间/时间：2021-12-30), a bare header date (【2014-2-7】), a short
    header line with 2021年12月30日, a dateline with a year close by (新华社北京6月30日电
    alone gives None), a closing signature date.

    >>> detect_published("标题\\n发布日期:2021-12-30 17:34:18  浏览次数:997")
    '2021-12-30'
    >>> detect_published("【字体: 】【2014-2-7】 【阅读: 次】")
    '2014-02-07'
    >>> detect_published("新华社北京6月30日电 记者从……") is None
    True
    >>> detect_published("新华社北京2021年6月30日电")  # a full date on a short header line
    '2021-06-30'
    >>> detect_published("2021年新华社北京6月30日电 记者")
    '2021-06-30'
    """
    return _published(text, html_meta)[0]


# ---------------------------------------------------------------- title

_PHONE = re.compile(r"\d{3,4}-\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)|\d{3,4}-\d{3,4}-\d{4}")
_META_LINE = re.compile(r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|【")


def _flat(line: str) -> str:
    return re.sub(r"\s+", "", line)


@cache
def _furniture_words_flat() -> tuple[str, ...]:
    return tuple(dict.fromkeys(_flat(w).lower() for w in _furniture()[1]))


def _is_furniture(line: str) -> bool:
    keys, _ = _furniture()
    flat = _flat(line)
    low = flat.lower()
    if any(w in low for w in _furniture_words_flat()):
        return True
    if any(k in line for k in keys) or flat.startswith("首页") or ">" in flat or "»" in flat:
        return True
    if _PHONE.search(flat):
        return True
    tokens = line.split()
    return len(tokens) >= 4 and all(len(t) <= 6 for t in tokens)  # a menu bar


def _is_meta_line(line: str) -> bool:
    keys, _ = _furniture()
    return bool(_META_LINE.search(line)) or any(k in line for k in keys)


def _title_candidate(line: str, *, min_chars: int = 5, max_chars: int = 60) -> bool:
    flat = _flat(line)
    if not (min_chars <= len(flat) <= max_chars):
        return False
    if len(re.findall(f"[{CJK}]", flat)) < max(3, len(flat) // 2):
        return False  # mostly ASCII or digits: news center, 029-85385207
    if flat[-1] in "。；：:;，,":
        return False
    return not _is_furniture(line)


def clean_html_title(title: str) -> str | None:
    """Drop the site name an HTML <title> carries.

    >>> clean_html_title("用心用情用力书写初心答卷_旗帜网")
    '用心用情用力书写初心答卷'
    >>> clean_html_title("回头看，主题教育成果“大检阅”--时政--人民网")
    '回头看，主题教育成果“大检阅”'
    """
    t = re.sub(r"\s+", " ", title).strip()
    parts = [p.strip() for p in re.split(r"\s*(?:_|\||｜|--|－|\s-\s)\s*", t) if p.strip()]
    if parts and len(_flat(parts[0])) >= 5:
        return parts[0]
    return t or None


def _title(text: str, html_meta: Mapping | None) -> tuple[str | None, str | None]:
    raw = _html_get(html_meta, "title")
    if raw and clean_html_title(raw):
        return clean_html_title(raw), "html"
    lines = [ln.strip() for ln in text.splitlines()[:60]]
    nonempty = [ln for ln in lines if ln]
    candidates: list[int] = []
    for i, line in enumerate(nonempty):
        if len(_flat(line)) > 60:
            break  # the body has started
        if not _title_candidate(line):
            continue
        candidates.append(i)
        nxt = nonempty[i + 1] if i + 1 < len(nonempty) else ""
        repeated = any(_flat(ln) == _flat(line) for ln in nonempty[i + 1:i + 6])
        if (nxt and _is_meta_line(nxt) and not _title_candidate(nxt)) or repeated:
            return line, "text"  # headline followed by 发布日期… or printed twice (001)
    if not candidates or len(candidates) >= 4:
        return None, None  # nothing, or a run of photo captions (003)
    return nonempty[candidates[0]], "text"


def detect_title(text: str, html_meta: dict | None = None) -> str | None:
    """The headline as written: html_meta['title'] when given (site name dropped), else the
    first plausible line before the body, preferring one followed by a 发布日期/来源 line
    or printed twice. Skips page furniture (欢迎来到, 联系电话, 首页 >, news center, phone
    numbers), lines under 5 or over 60 characters, and gives None for a run of four or
    more short lines with no such signal (photo captions).

    >>> detect_title("您好,欢迎来到某某网\\n029-85385207\\n首页 > 新闻中心\\n用心用情用力书写初心答卷\\n"
    ...              "发布日期:2021-12-30   来源:旗帜网\\n" + "正文" * 40)
    '用心用情用力书写初心答卷'
    >>> detect_title("x", {"title": "标题很长一点_人民网"})
    '标题很长一点'
    """
    return _title(text, html_meta)[0]


# ---------------------------------------------------------------- source

_SOURCE_LABEL = re.compile(rf"(?<![{CJK}])(?:稿件|新闻|信息|文章)?来源\s*[:：]\s*"
                           r"([^\s|｜【】\[\]()（）<>《》,，。;；:：]{2,24})")
_AGENCY = re.compile(r"(新华社|中新社|中国新闻社)[^\n。]{0,12}?电")
_OUTLET_XUN = re.compile(rf"([{CJK}]{{2,8}}?(?:日报|晚报|时报|报|网))讯")
_HOST = re.compile(r"(?<![\w.@-])((?:[a-z0-9-]+\.)+(?:com|net|org|cn|gov|edu))(?:\.cn)?(?![\w-])",
                   re.I)
_FOOTER_MARK = re.compile(r"copyright|版权|©|icp|all rights|主办", re.I)
_NOT_A_SOURCE = frozenset({"本站", "本网", "原创", "本站原创", "网络", "互联网"})


def outlet_for_host(host: str) -> str | None:
    """The outlet a web host belongs to (longest listed domain that the host ends with).

    >>> outlet_for_host("www.people.com.cn")
    '人民网'
    >>> outlet_for_host("cpc.people.com.cn")
    '中国共产党新闻网'
    >>> outlet_for_host("ahszgw.gov.cn") is None
    True
    """
    host = host.lower().strip(".")
    best = None
    for dom, name in organisation_rules().outlets.items():
        if (host == dom or host.endswith("." + dom)) and (best is None or len(dom) > len(best[0])):
            best = (dom, name)
    return best[1] if best else None


def _source(text: str, html_meta: Mapping | None) -> tuple[str | None, str | None]:
    simp = simplified(text)
    zones = (simp[:1500], simp[-800:]) if len(simp) > 2300 else (simp,)
    for zone in zones:
        for m in _SOURCE_LABEL.finditer(zone):
            value = m.group(1).strip("-－—·")
            if value and value not in _NOT_A_SOURCE and re.search(f"[{CJK}]|\\.", value):
                return (outlet_for_host(value) or value) if "." in value else value, "text"
    raw = _html_get(html_meta, "source", "sitename", "site_name", "og:site_name")
    if raw:
        return raw, "html"
    host = _html_get(html_meta, "hostname")
    if host:
        return outlet_for_host(host) or re.sub(r"^www\.", "", host.lower()), "html"
    head = simp[:1500]
    m = _AGENCY.search(head)
    if m:
        return m.group(1), "text"
    for m in _OUTLET_XUN.finditer(head):
        if m.group(1) != "本报":
            return m.group(1), "text"
    for line in reversed(simp[-1500:].splitlines()):
        if _FOOTER_MARK.search(line):
            for h in _HOST.finditer(line):
                host = h.group(0).lower()
                return outlet_for_host(host) or re.sub(r"^www\.", "", host), "text"
    if "本报讯" in head:
        return "本报", "text"
    return None, None


def detect_source(text: str, html_meta: dict | None = None) -> str | None:
    """The outlet: 来源：XX in the header or footer, else html metadata (source, sitename,
    hostname), else a news agency dateline (新华社…电), XX报讯 / XX网讯, a copyright
    footer's domain (mapped to an outlet name when listed), else 本报 for 本报讯.

    >>> detect_source("发布日期:2021-12-30   浏览次数:997   来源:旗帜网\\n正文")
    '旗帜网'
    >>> detect_source("正文\\nCopyright © 1997-2021 by www.people.com.cn. all rights reserved")
    '人民网'
    >>> detect_source("资金来源：财政拨款") is None
    True
    """
    return _source(text, html_meta)[0]


# ---------------------------------------------------------------- organisation

def _region_of_place(place: str) -> str | None:
    r = organisation_rules()
    if place in r.provinces:
        return r.provinces[place]
    if place in r.cities:
        return f"{r.cities[place]} {place}"
    return None


def _organisation(simp: str, title: str | None) -> tuple[str | None, str | None, str | None]:
    r = organisation_rules()
    view = _paragraphs(simp)
    lead = _lead_end(view)
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
    return _organisation(simplified(text), title)


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


def _campaign(simp: str, year: int | None, title: str | None) -> CampaignMatch | None:
    r = campaign_rules()
    view = _squeezed(simp)
    lead = _lead_end(view)
    strong: Counter[str] = Counter()      # target campaign -> weighted strong hits
    weak: Counter[str] = Counter()
    seen: dict[str, Counter[tuple[bool, str]]] = {}  # target -> (is weak, alias) -> count
    sources = [(view, 0.0)] + ([(squeeze(simplified(title)), 3.0)] if title else [])
    for s, bonus in sources:
        for m in r.regex.finditer(s):
            entry, kind, written = r.lookup[m.group()]
            camp = r.campaigns[entry]
            if kind == "near":
                alias, words, window = next(n for n in camp.near if squeeze(n[0]) == m.group())
                around = s[max(0, m.start() - window):m.end() + window]
                if not any(squeeze(w) in around for w in words):
                    continue
            target = camp.implies or entry
            w = bonus if bonus else (2.0 if m.start() < lead else 1.0)
            (weak if kind == "weak" else strong)[target] += w
            seen.setdefault(target, Counter())[(kind == "weak", written)] += 1
    best: tuple | None = None
    for target, s in strong.items():
        c = r.campaigns[target]
        score = (s + 0.3 * weak[target]) * _year_factor(year, c.start, c.end)
        key = (score, s, c.start or 0)
        if best is None or key > best[0]:
            best = (key, c)
    if best is None:
        return None
    (score, _, _), c = best
    # strong and near aliases first, then slogans; most frequent first within each
    hits = sorted(seen[c.name].items(), key=lambda kv: (kv[0][0], -kv[1]))
    evidence = "; ".join(f"{a}×{n}" for (_, a), n in hits[:4])
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
    return _campaign(simplified(text), year, title)


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

def _tags(simp: str) -> list[str]:
    r = campaign_rules()
    listed: Counter[str] = Counter()
    first: dict[str, int] = {}
    if r.local_regex is not None:
        for m in r.local_regex.finditer(_squeezed(simp)):
            tag = r.local[m.group()]
            listed[tag] += 1
            first.setdefault(tag, m.start())
    tags = sorted(listed, key=lambda t: (-listed[t], first[t]))
    tag_keys = [squeeze(t) for t in tags]
    generic: Counter[str] = Counter()
    gfirst: dict[str, int] = {}
    for m in r.tag_regex.finditer(simp):
        phrase = next(g for g in m.groups() if g)
        key = squeeze(phrase)
        if (not re.search(f"[{CJK}]", key) or re.search(r"[，。；：！？,;:!?]", phrase)
                or key in r.tag_exclude or key in r.lookup or key in r.local
                or any(key in t or t in key for t in tag_keys)):
            continue
        generic[phrase] += 1
        gfirst.setdefault(phrase, m.start())
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
    return _tags(simplified(text))


# ---------------------------------------------------------------- year

def _text_years(simp: str) -> list[int]:
    """Years (2000-2030) written as 20xx年 next to a context word, in text order; not in
    copyright lines, not targets (到2035年)."""
    r = campaign_rules()
    out = []
    for m in _YEAR_NEAR.finditer(simp):
        y = int(m.group(1))
        if not 2000 <= y <= 2030:
            continue
        line_start = simp.rfind("\n", 0, m.start()) + 1
        line_end = simp.find("\n", m.end())
        line = simp[line_start:line_end if line_end >= 0 else len(simp)]
        if _FOOTER_MARK.search(line):
            continue
        before = simp[max(0, m.start() - 3):m.start()]
        if any(before.endswith(t) for t in r.year_target_before) and not before.endswith("截至"):
            continue
        around = simp[max(0, m.start() - r.year_window):m.end() + r.year_window]
        if r.year_words.search(around):
            out.append(y)
    return out


def _filename_facts(name: str) -> tuple[str | None, int | None, str | None]:
    """(published, year, title) from a file name such as 2021-12-30_回头看综述.txt."""
    stem = Path(name).stem
    published = year = title = None
    m = re.search(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?![0-9A-Za-z])",
                  stem)
    if m:
        published = iso_date(*m.groups())
    m = re.search(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])", stem)
    if m:
        year = int(m.group(1))
    words = re.sub(r"^[\d_\-\s.]+|[\d_\-\s.]+$", "", stem)
    if len(re.findall(f"[{CJK}]", words)) >= 4:
        title = words
    return published, (int(published[:4]) if published else year), title


# ---------------------------------------------------------------- manifest

class Manifest(dict):
    """`file` base name -> {column: value} for the non-empty cells of data/manifest.csv.

    A dict, so it can be passed straight to describe(); `warnings` lists what was
    skipped (unreadable file, rows without a file, bad dates/years/levels, unknown
    columns, duplicates), one line each with the row number. Never raised.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []


_LEVEL_WORDS = {"中央": "central", "省级": "provincial", "省": "provincial", "市级": "municipal",
                "市": "municipal", "县级": "county", "县": "county", "单位": "unit"}


def clean_manifest_row(row: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Validate one manifest row: (clean non-empty cells, problems). Dates become ISO,
    year an int, level one of LEVELS, campaign and organisation their canonical names
    when known. A bad cell is dropped with a problem line; the rest of the row stays.

    >>> clean_manifest_row({"published": "2014/2/7", "year": "2013", "level": "省级",
    ...                     "campaign": "群众路线教育实践活动"})[0]
    {'published': '2014-02-07', 'year': 2013, 'level': 'provincial', 'campaign': '党的群众路线教育实践活动'}
    >>> clean_manifest_row({"year": "二〇一九"})[1]
    ["year: '二〇一九' is not a year"]
    """
    out: dict[str, Any] = {}
    problems: list[str] = []
    for col, value in row.items():
        if col is None or value is None or col not in MANIFEST_COLUMNS or col == "file":
            continue
        v = str(value).strip()
        if not v:
            continue
        if col == "published":
            iso = parse_date(v)
            if iso is None:
                problems.append(f"published: {v!r} is not a date")
                continue
            v = iso
        elif col == "year":
            if not re.fullmatch(r"(19|20)\d{2}", v):
                problems.append(f"year: {v!r} is not a year")
                continue
            out[col] = int(v)
            continue
        elif col == "level":
            lv = _LEVEL_WORDS.get(v, v.lower())
            if lv not in LEVELS:
                problems.append(f"level: {v!r} is not one of {', '.join(LEVELS)}")
                continue
            v = lv
        elif col == "campaign":
            c = campaign_by_alias(v)
            if c is None:
                problems.append(f"campaign: {v!r} is not in campaigns.yaml (kept as written)")
            else:
                v = c.name
        elif col == "organisation":
            v = organisation_rules().strong.get(simplified(v), v)
        out[col] = v
    return out, problems


def load_manifest(path: str | Path) -> Manifest:
    """Read the optional per-file overrides (CSV with a header; columns: file, title,
    published, source, organisation, level, region, campaign, year, any subset, `file`
    required). Missing file -> empty Manifest. Never raises for the user's CSV: rows
    without a file name, with too many cells, or unreadable input are skipped, bad cells
    dropped, and each problem is listed in ``Manifest.warnings``. A later row for the
    same file replaces the earlier one. UTF-8 (with or without BOM), else GB18030.
    """
    man = Manifest()
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        return man
    except OSError as exc:
        man.warnings.append(f"{p}: cannot read ({exc})")
        return man
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        man.warnings.append(f"{p}: not UTF-8 or GB18030 text")
        return man
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() if h else h for h in (reader.fieldnames or [])]
        reader.fieldnames = header
        if "file" not in header:
            man.warnings.append(f"{p}: no 'file' column in the header; manifest ignored")
            return man
        unknown = [h for h in header if h not in MANIFEST_COLUMNS]
        if unknown:
            man.warnings.append(f"{p}: unknown columns ignored: {', '.join(map(str, unknown))}")
        for row in reader:
            n = reader.line_num
            if None in row:
                man.warnings.append(f"{p}:{n}: more cells than columns; row skipped")
                continue
            f = (row.get("file") or "").strip()
            if not f:
                if any((v or "").strip() for v in row.values()):
                    man.warnings.append(f"{p}:{n}: no file name; row skipped")
                continue
            clean, problems = clean_manifest_row(row)
            man.warnings.extend(f"{p}:{n}: {msg}" for msg in problems)
            key = Path(f.replace("\\", "/")).name
            if key in man:
                man.warnings.append(f"{p}:{n}: {key} listed again; this row replaces the earlier")
            man[key] = clean
    except csv.Error as exc:
        man.warnings.append(f"{p}: CSV error ({exc}); rows after it skipped")
    return man


def _manifest_entry(manifest: Mapping[str, Mapping] | None, name: str) -> dict[str, Any]:
    if not manifest:
        return {}
    base = Path(name.replace("\\", "/")).name
    for key in (name, base):
        if key in manifest:
            return clean_manifest_row(manifest[key])[0]
    stem = Path(base).stem
    for key, row in manifest.items():
        if Path(str(key)).stem == stem:
            return clean_manifest_row(row)[0]
    return {}


# ---------------------------------------------------------------- describe

def describe(text: str, name: str, *, html_meta: dict | None = None,
             manifest: Mapping[str, Mapping] | None = None) -> dict[str, Any]:
    """All Report metadata fields for one report, plus `meta_source` saying where each
    filled field came from: "manifest" (a row for this file base name or stem),
    "html" (html_meta), "text", "filename", or "campaign" (year = campaign start).

    year: the manifest's, else the published year, else a year in the file name, else the
    latest year in the text next to a context word (inside the campaign's years when
    there are any), else the campaign's start year.
    """
    simp = simplified(text)
    row = _manifest_entry(manifest, name)
    out: dict[str, Any] = {f: None for f in FIELDS}
    out["tags"] = []
    src: dict[str, str] = {}

    def put(field: str, value: Any, origin: str | None) -> None:
        if value not in (None, "", []) and origin:
            out[field] = value
            src[field] = origin

    f_published, f_year, f_title = _filename_facts(name)

    if "title" in row:
        put("title", row["title"], "manifest")
    else:
        t, o = _title(text, html_meta)
        if t:
            put("title", t, o)
        else:
            put("title", f_title, "filename")

    if "published" in row:
        put("published", row["published"], "manifest")
    else:
        d, o = _published(text, html_meta)
        if d:
            put("published", d, o)
        else:
            put("published", f_published, "filename")

    if "source" in row:
        put("source", row["source"], "manifest")
    else:
        put("source", *_source(text, html_meta))

    org, level, region = _organisation(simp, out["title"])
    o_src = "text"
    if "organisation" in row:
        org, o_src = row["organisation"], "manifest"
        known = organisation_rules().orgs.get(org)
        if known:
            level, region = known.level, (organisation_rules().central_region
                                          if known.level == "central" else known.region)
        else:
            _, level, region = _organisation(simplified(org), None)
    put("organisation", org, o_src)
    put("level", row.get("level", level), "manifest" if "level" in row else o_src)
    put("region", row.get("region", region), "manifest" if "region" in row else o_src)

    text_years = _text_years(simp)
    if "year" in row:
        hint = row["year"]
    elif out["published"]:
        hint = int(out["published"][:4])
    else:
        hint = f_year or (max(text_years) if text_years else None)

    camp = None
    if "campaign" in row:
        put("campaign", row["campaign"], "manifest")
        put("campaign_evidence", "manifest", "manifest")
        camp = campaign_rules().campaigns.get(row["campaign"])
    else:
        match = _campaign(simp, hint, out["title"])
        if match:
            put("campaign", match.name, "text")
            put("campaign_evidence", match.evidence, "text")
            camp = campaign_rules().campaigns[match.name]

    if "year" in row:
        put("year", row["year"], "manifest")
    elif out["published"]:
        put("year", int(out["published"][:4]), src["published"])
    elif f_year:
        put("year", f_year, "filename")
    elif text_years:
        inside = [y for y in text_years if camp and (camp.start or 0) <= y
                  <= (camp.end + 1 if camp.end else 9999)]
        put("year", max(inside or text_years), "text")
    elif camp and camp.start:
        put("year", camp.start, "campaign")

    put("tags", _tags(simp), "text")
    out["meta_source"] = src
    return out
