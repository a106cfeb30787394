"""The one record for a numeric mention: `Claim`.

Every stage speaks it: the extractor makes it, the store keeps it (one column per
field, plus the report id), the checks and the dashboard read it, and
`python -m etl extract` writes it as JSON Lines with the scorer's field names.

A mention that is not a claim (a date, an ordinal, a slogan ...) is still a `Claim`
with ``is_claim=False`` and a ``kind``; keeping both in one record means the Report
page can show every number in place and a user can flip the decision.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Literal

UnitClass = Literal["money", "people", "person_times", "orgs", "items", "events",
                    "percent", "duration", "other"]
Approx = Literal["exact", "about", "over", "under", "at_most", "at_least", "range"]
Kind = Literal["date", "year", "ordinal", "slogan", "list_marker", "anniversary",
               "meta", "name", "other"]

UNIT_CLASSES: tuple[str, ...] = ("money", "people", "person_times", "orgs", "items",
                                 "events", "percent", "duration", "other")
APPROX_KINDS: tuple[str, ...] = ("exact", "about", "over", "under", "at_most",
                                 "at_least", "range")
NON_CLAIM_KINDS: tuple[str, ...] = ("date", "year", "ordinal", "slogan", "list_marker",
                                    "anniversary", "meta", "name", "other")
# GUIDE-counting.md: the roles a money / people / person_times claim plays in its report
ROLES: tuple[str, ...] = ("total", "part", "restatement", "rate", "change", "plan", "context")
COUNTED_CLASSES: tuple[str, ...] = ("money", "people", "person_times")


@dataclass(slots=True)
class Claim:
    doc: str                      # the report's file name (base name)
    start: int                    # half-open span into the report's decoded text
    end: int
    text: str                     # the span as written: text == decoded[start:end]
    is_claim: bool                # a reported quantity (True) or not
    kind: str | None = None       # for non-claims: date, year, ordinal, slogan ...
    value: Decimal | None = None  # in base units: 万 = 1e4, money in 元, 45% -> 45
    value_max: Decimal | None = None  # upper end of a range, else None
    unit: str | None = None       # canonical unit: 元, %, 人, 人次, else the classifier
    unit_class: str | None = None  # one of UNIT_CLASSES
    approx: str | None = None     # one of APPROX_KINDS (claims only)
    subject: str | None = None    # what is counted, copied from the text
    sentence: str = ""            # claims: the sentence around the mention, as written
    sentence_start: int | None = None   # its span (None for non-claims: not looked up)
    sentence_end: int | None = None
    per: str | None = None        # per-unit amount: 每人1000元 -> "人"
    aggregate: str | None = None  # total/cumulative marker as written: 共计, 合计, 累计
    change: str | None = None     # "increase" / "decrease" when the figure is a change
    share_of: str | None = None   # 完成…的65%: the whole the share is of
    reason: str = ""              # the rule that decided is_claim/kind (for auditing)
    metric: str | None = None     # what the figure measures (data/rules/metrics.yaml id)
    metric_evidence: str | None = None  # the words that decided the metric
    # Which figures add up (shared/eval/GUIDE-counting.md; money, people, person_times
    # claims only, None for the rest): total, part, restatement, rate, change, plan, context
    role: str | None = None
    counted: bool | None = None   # True only for a total: what a sum should count
    of_start: int | None = None   # a part's total, a restatement's first mention: its span
    of_end: int | None = None     # (written as "of": [start, end] by to_dict)
    role_reason: str | None = None  # the rule that decided the role (for auditing)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the scorer's field names; Decimals become numbers.

        Written out field by field: `dataclasses.asdict` deep-copies every value and
        cost more than extraction itself in `etl extract` (issue 23). The keys are the
        fields in order, with of_start/of_end as one "of" at the end
        (tests/test_claim_lines.py checks this against the fields)."""
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text,
                "is_claim": self.is_claim, "kind": self.kind, "value": number_out(self.value),
                "value_max": number_out(self.value_max), "unit": self.unit,
                "unit_class": self.unit_class, "approx": self.approx, "subject": self.subject,
                "sentence": self.sentence, "sentence_start": self.sentence_start,
                "sentence_end": self.sentence_end, "per": self.per, "aggregate": self.aggregate,
                "change": self.change, "share_of": self.share_of, "reason": self.reason,
                "metric": self.metric, "metric_evidence": self.metric_evidence, "role": self.role,
                "counted": self.counted, "role_reason": self.role_reason,
                "of": None if self.of_start is None else [self.of_start, self.of_end]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        if d.get("of"):
            kw["of_start"], kw["of_end"] = int(d["of"][0]), int(d["of"][1])
        for key in ("value", "value_max"):
            if kw.get(key) is not None:
                kw[key] = Decimal(str(kw[key]))
        return cls(**kw)


def number_out(x: Decimal | None) -> int | float | None:
    """A Decimal as the plainest JSON number: 8200000, not 8.2E+6 or 8200000.0."""
    if x is None:
        return None
    if x == x.to_integral_value():
        return int(x)
    return float(x)


def claim_id(report_id: str, start: int, end: int) -> str:
    """Stable id from the report's content hash and the span: a re-run, or the same
    report saved under another name, gives the same id (so upserts never duplicate)."""
    return hashlib.sha1(f"{report_id}:{start}:{end}".encode()).hexdigest()[:20]


def claim_ids(report_id: str, starts: list[int], ends: list[int]) -> list[str]:
    """`claim_id` of each span, the same strings, for a whole report at once: one
    comprehension, no call per claim (half the time of mapping claim_id over 59k claims).
    The store makes its ids in SQL (etl/store/schema.py CLAIM_ID_SQL); this is for
    rebuilding an older content signature (etl/store/prepared.py legacy_sig)."""
    sha1, prefix = hashlib.sha1, report_id + ":"
    return [sha1(f"{prefix}{s}:{e}".encode()).hexdigest()[:20] for s, e in zip(starts, ends)]


def content_hash(text: str) -> str:
    """The report id: a hash of the decoded text the store keeps."""
    seen, h = _LAST_HASH[0]           # one read of a pair: safe across threads
    if seen is text:                  # the pipeline hashes a report, then the store checks it
        return h
    h = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    _LAST_HASH[0] = (text, h)
    return h


# the last text hashed (the very object, so the same content) and its hash
_LAST_HASH: list[tuple[str | None, str]] = [(None, "")]
