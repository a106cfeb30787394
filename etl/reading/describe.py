"""All of a report's metadata at once: `describe(text, name, html_meta=, manifest=)`.

Each field says where it came from (manifest, html, text, filename, campaign), and a
manifest row wins over anything read from the page.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from ..extraction.soft_breaks import joined, wrapped_breaks
from ..extraction.text_spans import line_ends_of
from .campaigns import campaign_rules, find_campaign, find_tags
from .manifest import manifest_entry
from .organisations import find_organisation, organisation_rules
from .page_facts import (YEAR_NEAR, find_published, find_source, find_title, has_footer_mark,
                         iso_date, lead_title)
from .text_view import CJK, simplified, simplified_given

# The Report fields describe() fills, in Report order.
FIELDS: tuple[str, ...] = ("title", "published", "year", "source", "organisation", "level",
                           "region", "campaign", "campaign_evidence", "tags")


def describe(text: str, name: str, *, html_meta: dict | None = None,
             manifest: Mapping[str, Mapping] | None = None,
             simp: str | None = None) -> dict[str, Any]:
    """All Report metadata fields for one report, plus `meta_source` saying where each
    filled field came from: "manifest" (a row for this file base name or stem),
    "html" (html_meta), "text", "filename", "lead" (a title made of the first sentence,
    for a report without a headline) or "campaign" (year = campaign start).

    year: the manifest's, else the published year, else a year in the file name, else the
    latest year in the text next to a context word (inside the campaign's years when
    there are any), else the campaign's start year.

    simp: the simplified view of `text` when the caller has it (`etl run`: extraction's,
    pipeline.read_claims_and_view), else made here.
    """
    # a hard-wrapped text (a PDF's text saved as .txt) is read as its paragraphs: a
    # line of a paragraph, ended only by the wrap, is no title
    wraps = wrapped_breaks(text, line_ends_of(text))
    if wraps:
        simp = joined(simp, wraps) if simp is not None and len(simp) == len(text) else None
        text = joined(text, wraps)
    simp = simplified_given(text, simp)
    row = manifest_entry(manifest, name)
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
        t, o = find_title(text, html_meta, simp)
        if t:
            put("title", t, o)
        elif f_title:
            put("title", f_title, "filename")
        else:  # no headline: the first sentence, shortened, never a hash file name
            put("title", lead_title(text), "lead")

    if "published" in row:
        put("published", row["published"], "manifest")
    else:
        d, o = find_published(text, html_meta, simp)
        if d:
            put("published", d, o)
        else:
            put("published", f_published, "filename")

    if "source" in row:
        put("source", row["source"], "manifest")
    else:
        put("source", *find_source(text, html_meta, simp))

    # a title made of the first sentence is no headline: it must not count twice
    headline = out["title"] if src.get("title") != "lead" else None
    o_src = "text"
    if "organisation" not in row:
        org, level, region = find_organisation(simp, headline, text)
    else:  # the manifest names it: nothing read from the text would be kept
        org, o_src = row["organisation"], "manifest"
        known = organisation_rules().orgs.get(org)
        if known:
            level, region = known.level, (organisation_rules().central_region
                                          if known.level == "central" else known.region)
        else:
            _, level, region = find_organisation(simplified(org), None)
    put("organisation", org, o_src)
    put("level", row.get("level", level), "manifest" if "level" in row else o_src)
    put("region", row.get("region", region), "manifest" if "region" in row else o_src)

    # years in the text: only read when neither the page nor the file name dates it
    text_years = [] if "year" in row or out["published"] or f_year else _text_years(simp)
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
        match = find_campaign(simp, hint, headline)
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

    put("tags", find_tags(simp), "text")
    out["meta_source"] = src
    return out


def _text_years(simp: str) -> list[int]:
    """Years (2000-2030) written as 20xx年 next to a context word, in text order; not in
    copyright lines, not targets (到2035年)."""
    r = campaign_rules()
    out = []
    for m in YEAR_NEAR.finditer(simp):
        y = int(m.group(1))
        if not 2000 <= y <= 2030:
            continue
        line_start = simp.rfind("\n", 0, m.start()) + 1
        line_end = simp.find("\n", m.end())
        line = simp[line_start:line_end if line_end >= 0 else len(simp)]
        if has_footer_mark(line):
            continue
        before = simp[max(0, m.start() - 3):m.start()]
        if any(before.endswith(t) for t in r.year_target_before) and not before.endswith("截至"):
            continue
        around = simp[max(0, m.start() - r.year_window):m.end() + r.year_window]
        if r.year_words.search(around):
            out.append(y)
    return out


_NAME_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?![0-9A-Za-z])")
_NAME_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])")
_NAME_ENDS = re.compile(r"^[\d_\-\s.]+|[\d_\-\s.]+$")
_CJK_CHAR = re.compile(f"[{CJK}]")


def file_stem(name: str) -> str:
    """Path(name).stem: for a bare file name by its last dot, as pathlib takes it (a
    Path made per report was 17,000 instructions, twice its own regexes); a name with a
    folder, or none, by pathlib itself.

    >>> file_stem("2021-12-30_综述.txt"), file_stem(".hidden"), file_stem("a."), file_stem("a/b.md")
    ('2021-12-30_综述', '.hidden', 'a.', 'b')
    """
    if "/" in name or name in ("", "."):
        return Path(name).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _filename_facts(name: str) -> tuple[str | None, int | None, str | None]:
    """(published, year, title) from a file name such as 2021-12-30_回头看综述.txt."""
    stem = file_stem(name)
    published = year = title = None
    m = _NAME_DATE.search(stem)
    if m:
        published = iso_date(*m.groups())
    m = _NAME_YEAR.search(stem) if not published else None   # a date gives the year
    if m:
        year = int(m.group(1))
    words = _NAME_ENDS.sub("", stem)
    if len(words) >= 4 and len(_CJK_CHAR.findall(words)) >= 4:
        title = words
    return published, (int(published[:4]) if published else year), title
