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
import operator
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import Any

import pyarrow as pa

from ..claim import APPROX_KINDS, NON_CLAIM_KINDS, ROLES, UNIT_CLASSES, Claim, claim_ids, content_hash
from ..report import Report
from .schema import CLAIM_COLUMNS, CLAIM_FIELDS, claim_column_types, claims_schema


# What each column of the claims table is made from: a Claim attribute (and whether it
# is a number the store keeps as DOUBLE), or nothing (a column no Claim field fills).
_TYPES = claim_column_types()
_PLAN: tuple[tuple[str, Any, bool], ...] = tuple(
    (name, attrgetter(name) if name in CLAIM_FIELDS else None, _TYPES[name] == "DOUBLE")
    for name in CLAIM_COLUMNS[2:])
_SCHEMA = claims_schema()
_NUMBER_TYPES = frozenset({type(None), Decimal, int, float})


def _claims_table(report_id: str, claims: list[Claim]) -> pa.Table:
    """The claims as one Arrow table with the claims table's columns (bulk insert and
    signature both use it), built a column at a time: one C-level `map` over the
    claims per column, no Python work per claim beyond its id and Decimal -> float."""
    return _table(report_id, _columns(claims), len(claims))


def _columns(claims: list[Claim]) -> dict[str, list]:
    """Each Claim field's values as a list, in CLAIM_COLUMNS order."""
    return {name: list(map(get, claims)) for name, get, _ in _PLAN if get is not None}


def _table(report_id: str, cols: dict[str, list], n: int) -> pa.Table:
    arrays = [pa.array(claim_ids(report_id, cols["start"], cols["end"]), pa.string()),
              pa.array([report_id] * n, pa.string())]
    for name, get, double in _PLAN:
        typ = _SCHEMA.field(name).type
        if get is None:
            arrays.append(pa.nulls(n, typ))
        elif double:
            arrays.append(pa.array([None if v is None else float(v) for v in cols[name]], typ))
        else:
            arrays.append(pa.array(cols[name], typ))
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


def _content_sig(report: Report, table: pa.Table, starts: list, ends: list) -> str:
    """Hash of everything a save would write, except names (doc/path), which may differ
    when the same text arrives under another file name. `starts`, `ends`: the table's
    spans as the lists it was built from."""
    h = hashlib.sha1()
    meta = {k: v for k, v in report.to_dict().items() if k not in ("doc", "path", "text")}
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode())
    body = table.drop_columns(["doc"])
    if not _in_span_order(starts, ends):     # extraction gives them in order: no sort to pay for
        body = body.sort_by([("start", "ascending"), ("end", "ascending")])
    sink = pa.BufferOutputStream()
    # the options pyarrow would pick from the environment, fixed: the bytes hashed do
    # not depend on ARROW_* variables (and the variables are not looked up per report)
    with pa.ipc.new_stream(sink, body.schema, options=_IPC_OPTIONS) as writer:
        writer.write_table(body)
    h.update(sink.getvalue())
    return h.hexdigest()


_IPC_OPTIONS = pa.ipc.IpcWriteOptions(metadata_version=pa.ipc.MetadataVersion.V5)


def _in_span_order(starts: list, ends: list) -> bool:
    if None in starts or None in ends:
        return False
    spans = list(zip(starts, ends))
    return all(map(operator.lt, spans, spans[1:]))


def _valid(report: Report, cols: dict[str, list]) -> bool:
    """True when `validate_claims` would find no problem, checked a column at a time
    (set, map and slice work in C). False means: ask validate_claims what is wrong
    (it may still find nothing, for an unusual but valid value type)."""
    text, n = report.text, len(report.text)
    starts, ends = cols["start"], cols["end"]
    if report.report_id != content_hash(text):
        return False
    if not set(map(type, starts)) | set(map(type, ends)) <= {int}:
        return False
    if starts and (min(starts) < 0 or max(ends) > n or not all(map(operator.le, starts, ends))):
        return False
    if list(map(text.__getitem__, map(slice, starts, ends))) != cols["text"]:
        return False
    if len(set(zip(starts, ends))) != len(starts):
        return False
    try:
        if not all(set(cols[name]) <= allowed for name, allowed in _ENUMS):
            return False
    except TypeError:           # an unhashable value
        return False
    for name in ("value", "value_max"):
        vals = cols[name]
        if not set(map(type, vals)) <= _NUMBER_TYPES:
            return False
        try:
            if not all(map(math.isfinite, filter(partial(operator.is_not, None), vals))):
                return False
        except (ValueError, OverflowError):     # Decimal("sNaN"), an int beyond floats
            return False
    # the checks that pair two columns look at each distinct pair once (a handful)
    counted, roles = cols["counted"], cols["role"]
    if not set(map(type, counted)) <= {type(None), bool}:
        return False
    if any(c is not None and c != (r == "total") for c, r in set(zip(counted, roles))):
        return False
    of_start, of_end = cols["of_start"], cols["of_end"]
    if not set(map(type, of_start)) | set(map(type, of_end)) <= {type(None), int}:
        return False
    for a, b in set(zip(of_start, of_end)):
        if (a is None) != (b is None) or (a is not None and not 0 <= a < b <= n):
            return False
    return True


_ENUM_FIELDS = (("unit_class", UNIT_CLASSES), ("approx", APPROX_KINDS), ("kind", NON_CLAIM_KINDS),
                ("role", ROLES))
_ENUMS = tuple((name, frozenset((None, *allowed))) for name, allowed in _ENUM_FIELDS)


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
    enums = _ENUM_FIELDS
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
    """Validate and convert; BadClaims (a ValueError) names the bad claims.

    The one place claims are checked before the store: on the columns the table is
    built from (`_valid`); only when that fails does `validate_claims` go claim by
    claim to say what is wrong."""
    cols = _columns(claims)
    if not _valid(report, cols):
        problems = validate_claims(report, claims)
        if problems:
            raise BadClaims(report.doc, problems)
    table = _table(report.report_id, cols, len(claims))
    return PreparedClaims(table, _content_sig(report, table, cols["start"], cols["end"]),
                          cols["is_claim"].count(True))
