"""The one record for a numeric mention: `Claim`.

Every stage speaks it: the extractor makes it, the store keeps it (one column per
field, plus the report id), the checks and the dashboard read it, and
`python -m etl extract` writes it as JSON Lines with the scorer's field names.

The record's definition is etl/extraction/claim_record.py (compiled with the extraction
modules); this module re-exports it, and the vocabularies its fields take (etl/claim_vocab.py).

A mention that is not a claim (a date, an ordinal, a slogan ...) is still a `Claim`
with ``is_claim=False`` and a ``kind``; keeping both in one record means the Report
page can show every number in place and a user can flip the decision.
"""
from __future__ import annotations

import hashlib

from .claim_vocab import (APPROX_KINDS, COUNTED_CLASSES, NON_CLAIM_KINDS, ROLES, UNIT_CLASSES,
                          Approx, Kind, UnitClass)
# The record is defined with the compiled extraction modules (a native class in the
# compiled build, a dataclass as the Python source): every import of it goes through here.
from .extraction.claim_record import FIELD_TYPES, Claim, number_out

__all__ = ["APPROX_KINDS", "COUNTED_CLASSES", "FIELD_TYPES", "NON_CLAIM_KINDS", "ROLES",
           "UNIT_CLASSES", "Approx", "Claim", "Kind", "UnitClass", "claim_id", "claim_ids",
           "content_hash", "content_hash_and_utf8", "number_out"]


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
    return content_hash_and_utf8(text)[0]


def content_hash_and_utf8(text: str) -> tuple[str, bytes]:
    """(content_hash(text), the text's UTF-8 it hashed): for a caller that stores the
    text too, whose reports table holds those same bytes (encoded once, not twice)."""
    data = text.encode("utf-8")
    h = hashlib.sha256(data).hexdigest()[:32]
    _LAST_HASH[0] = (text, h)
    return h, data


# the last text hashed (the very object, so the same content) and its hash
_LAST_HASH: list[tuple[str | None, str]] = [(None, "")]
