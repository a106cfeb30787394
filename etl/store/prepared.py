"""A report's claims made ready for the store, with no database in sight.

`prepare_claims` checks the one invariant every page relies on
(``report.text[start:end] == claim.text``) and the enums, and turns the claims into one
Arrow table with the claims table's columns plus a content signature. Workers (and Dask
tasks) make it, so the one writing process only inserts.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from decimal import Decimal
from operator import attrgetter
from typing import Any

import pyarrow as pa

from ..claim import APPROX_KINDS, NON_CLAIM_KINDS, ROLES, UNIT_CLASSES, Claim, claim_id, content_hash
from ..report import Report
from .schema import CLAIM_COLUMNS, CLAIM_FIELDS, claim_column_types, claims_schema


def _claims_table(report_id: str, claims: list[Claim]) -> pa.Table:
    """The claims as one Arrow table with the claims table's columns (bulk insert and
    signature both use it; building it column-wise keeps 100k claims well under 1 s)."""
    types = claim_column_types()
    cols = list(CLAIM_COLUMNS)
    present = [c for c in cols[2:] if c in CLAIM_FIELDS]
    rows = list(map(attrgetter(*present), claims)) if present else []
    columns = list(zip(*rows)) if rows else [()] * len(present)
    data: dict[str, Any] = {
        "claim_id": [claim_id(report_id, c.start, c.end) for c in claims],
        "report_id": [report_id] * len(claims),
    }
    for name, vals in zip(present, columns):
        if types[name] == "DOUBLE":
            vals = [None if v is None else float(v) for v in vals]
        data[name] = list(vals)
    for name in cols[2:]:
        data.setdefault(name, [None] * len(claims))
    return pa.Table.from_pydict(data, schema=claims_schema())


def _content_sig(report: Report, table: pa.Table) -> str:
    """Hash of everything a save would write, except names (doc/path), which may differ
    when the same text arrives under another file name."""
    h = hashlib.sha1()
    meta = {k: v for k, v in report.to_dict().items() if k not in ("doc", "path", "text")}
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode())
    body = table.drop_columns(["doc"]).sort_by([("start", "ascending"), ("end", "ascending")])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, body.schema) as writer:
        writer.write_table(body)
    h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


def validate_claims(report: Report, claims: list[Claim]) -> list[str]:
    """Problems that make a batch of claims unsavable, one line each ([] if fine).

    The offset invariant ``report.text[start:end] == claim.text`` is the one every
    page relies on; enums are checked so the store never holds values the dashboard's
    filters cannot show.
    """
    problems: list[str] = []
    text, n = report.text, len(report.text)
    if report.report_id != content_hash(text):
        # claim ids, dedup of renamed files and corrections all rest on this
        problems.append(f"report_id {report.report_id!r} is not content_hash(text) "
                        f"({content_hash(text)!r})")
    seen: dict[tuple[int, int], int] = {}
    enums = (("unit_class", UNIT_CLASSES), ("approx", APPROX_KINDS), ("kind", NON_CLAIM_KINDS),
             ("role", ROLES))
    for i, c in enumerate(claims):
        start, end, ctext = c.start, c.end, c.text
        bad = []
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= n):
            bad.append(f"span outside the report text (length {n})")
        elif text[start:end] != ctext:
            bad.append(f"text != report.text[start:end] ({text[start:end]!r})")
        j = seen.setdefault((start, end), i)
        if j != i:
            bad.append(f"same span as claim #{j}")
        for name, allowed in enums:
            v = getattr(c, name)
            if v is not None and v not in allowed:
                bad.append(f"{name} {v!r} not in {allowed}")
        for name in ("value", "value_max"):
            v = getattr(c, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float, Decimal))
                                  or not math.isfinite(v)):
                bad.append(f"{name} {v!r} is not a finite number (Decimal, int or float)")
        if c.counted is not None and (not isinstance(c.counted, bool) or c.counted != (c.role == "total")):
            bad.append(f"counted {c.counted!r} does not follow role {c.role!r} (only a total counts)")
        if (c.of_start is None) != (c.of_end is None) or (
                c.of_start is not None and not (0 <= c.of_start < c.of_end <= n)):
            bad.append(f"of [{c.of_start}, {c.of_end}] is not a span of the report text")
        if bad:
            problems.append(f"claim #{i} {ctext!r} [{start}:{end}]: " + "; ".join(bad))
            if len(problems) >= 20:
                problems.append("... (stopped after 20 bad claims)")
                break
    return problems


class BadClaims(ValueError):
    """Claims that break the offset invariant or an enum; `problems` has one line each."""

    def __init__(self, doc: str, problems: list[str]):
        super().__init__(f"{doc}: {len(problems)} bad claim(s), nothing saved:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True, slots=True)
class PreparedClaims:
    """A report's claims as the store writes them: validated, one Arrow table with
    the claims table's columns, and the content signature. Making it touches no
    database, so worker processes make it and the one writer only inserts (an Arrow
    table also crosses between processes far cheaper than a list of Claims)."""
    table: pa.Table
    sig: str
    n_claims: int       # rows with is_claim (the rest are non-claim mentions)

    @property
    def n_mentions(self) -> int:
        return self.table.num_rows


def prepare_claims(report: Report, claims: list[Claim]) -> PreparedClaims:
    """Validate and convert; BadClaims (a ValueError) names the bad claims."""
    problems = validate_claims(report, claims)
    if problems:
        raise BadClaims(report.doc, problems)
    table = _claims_table(report.report_id, claims)
    return PreparedClaims(table, _content_sig(report, table), sum(c.is_claim for c in claims))
