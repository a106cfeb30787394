"""The optional per-file overrides of report metadata: data/manifest.csv (or manifest.csv
in a folder given to `etl run`)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Mapping

from ..report import LEVELS
from .campaigns import campaign_by_alias
from .organisations import organisation_rules
from .page_facts import parse_date
from .text_view import simplified

MANIFEST_COLUMNS: tuple[str, ...] = ("file", "title", "published", "source", "organisation",
                                     "level", "region", "campaign", "year")


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


def manifest_entry(manifest: Mapping[str, Mapping] | None, name: str) -> dict[str, Any]:
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
