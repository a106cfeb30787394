"""The record for one report: its text (the one claim offsets point into) and what is
known about it. Made by the pipeline from a read document plus its metadata; kept in
the store's `reports` table, one column per field."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS: tuple[str, ...] = ("central", "provincial", "municipal", "county", "unit")


@dataclass(slots=True)
class Report:
    report_id: str                # content hash of `text` (etl.claim.content_hash)
    doc: str                      # file base name as given
    path: str                     # where it was read from
    format: str                   # txt, md, html, docx, pdf
    encoding: str                 # detected encoding of the file (utf-8, gb18030 ...)
    text: str                     # the text claim offsets refer to
    title: str | None = None      # the headline; without one, the first sentence shortened
                                  # (meta_source title = lead), so no chart shows a file name
    published: str | None = None  # ISO date, yyyy-mm-dd (or yyyy-mm / yyyy when vaguer)
    year: int | None = None       # the year the figures belong to (published year if nothing better)
    source: str | None = None     # outlet: 旗帜网, 人民网 ...
    organisation: str | None = None  # a listed one's name (中央和国家机关工委), else as written (市直机关工委)
    level: str | None = None      # one of LEVELS
    region: str | None = None     # 全国, 安徽, 内蒙古 呼伦贝尔 ...
    campaign: str | None = None   # canonical campaign name from data/rules/campaigns.yaml
    campaign_evidence: str | None = None  # the words that matched
    tags: list[str] = field(default_factory=list)  # local initiatives: 最强党支部 ...
    meta_source: dict[str, str] = field(default_factory=dict)  # field -> text|manifest|html|filename|lead|campaign

    def to_dict(self) -> dict[str, Any]:
        """Every field by name (tags and meta_source copied): what asdict gives, without
        its deep copy of the report's text (tests/test_store_prepared.py checks)."""
        return {"report_id": self.report_id, "doc": self.doc, "path": self.path,
                "format": self.format, "encoding": self.encoding, "text": self.text,
                "title": self.title, "published": self.published, "year": self.year,
                "source": self.source, "organisation": self.organisation, "level": self.level,
                "region": self.region, "campaign": self.campaign,
                "campaign_evidence": self.campaign_evidence, "tags": list(self.tags),
                "meta_source": dict(self.meta_source)}
