"""The typed result of a check: `Finding`, pointing at the claims it is about.

On the command line (`python -m etl check -o findings.jsonl`) a finding is one JSON
object with the keys of issue 6:

    {"type": "duplicate",
     "claims": [{"doc": "000_….txt", "start": 2630, "end": 2635, "text": "27万元"}, …],
     "detail": "000 与 002 均报告慰问金 27万元", "severity": "info"}

The store keeps more (the rule that fired, report and claim ids, the numbers behind the
sentence) so the dashboard can link each claim to the Report page.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

FINDING_TYPES: tuple[str, ...] = ("duplicate", "conflict", "arithmetic", "arithmetic_ok",
                                  "near_duplicate_report")
# high: a figure is probably wrong somewhere; medium: wrong unless the approximation is
# loose; low: worth a look; info: recorded so a reader sees what was verified or grouped.
SEVERITIES: tuple[str, ...] = ("high", "medium", "low", "info")


@dataclass(frozen=True, slots=True)
class ClaimRef:
    doc: str                 # the report's file name
    start: int               # half-open span into the report text
    end: int
    text: str                # the span as written
    report_id: str | None = None
    claim_id: str | None = None   # None for a report-level reference (near duplicates)
    role: str = ""           # figure, count, per, total, part, whole, share, report

    def to_json(self) -> dict[str, Any]:
        return {"doc": self.doc, "start": int(self.start), "end": int(self.end), "text": self.text}


@dataclass(frozen=True, slots=True)
class Finding:
    type: str                    # one of FINDING_TYPES
    claims: tuple[ClaimRef, ...]
    detail: str                  # one Chinese sentence a reader can check against the text
    severity: str                # one of SEVERITIES
    rule: str                    # which rule fired (dup.same_subject, arith.per_count ...)
    data: dict = field(default_factory=dict, compare=False, hash=False)  # numbers behind the sentence

    def __post_init__(self) -> None:
        if self.type not in FINDING_TYPES:
            raise ValueError(f"finding type {self.type!r} not in {FINDING_TYPES}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} not in {SEVERITIES}")

    @property
    def finding_id(self) -> str:
        """Stable across runs while the same rule ties the same spans together."""
        spans = sorted(f"{c.report_id or c.doc}:{c.start}:{c.end}" for c in self.claims)
        return hashlib.sha1(f"{self.type}|{self.rule}|{'|'.join(spans)}".encode()).hexdigest()[:20]

    @property
    def report_ids(self) -> list[str]:
        return list(dict.fromkeys(c.report_id or c.doc for c in self.claims))

    def to_json(self) -> dict[str, Any]:
        """The issue-6 JSON object (type, claims, detail, severity)."""
        return {"type": self.type, "claims": [c.to_json() for c in self.claims],
                "detail": self.detail, "severity": self.severity}

    def to_jsonl(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)
