"""Claims made ready for the store column by column (issue 23) give the same Arrow table
and the same content signature as the row-by-row code before (so a store built
before sees nothing changed), and the column-wise check accepts exactly what the
claim-by-claim `validate_claims` accepts."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.claim import Claim, claim_id, claim_ids, content_hash
from etl.pipeline import process_file
from etl.report import Report
from etl.store import prepared
from etl.store.schema import CLAIM_COLUMNS, CLAIM_FIELDS, claim_column_types, claims_schema, prepared_schema

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def old_table(report_id: str, claims: list[Claim]) -> pa.Table:
    """prepared._claims_table before issue 23 (rows, then zip(*rows), then from_pydict)."""
    types = claim_column_types()
    cols = list(CLAIM_COLUMNS)
    present = [c for c in cols[2:] if c in CLAIM_FIELDS]
    rows = list(map(attrgetter(*present), claims)) if present else []
    columns = list(zip(*rows)) if rows else [()] * len(present)
    data = {"claim_id": [claim_id(report_id, c.start, c.end) for c in claims],
            "report_id": [report_id] * len(claims)}
    for name, vals in zip(present, columns):
        if types[name] == "DOUBLE":
            vals = [None if v is None else float(v) for v in vals]
        data[name] = list(vals)
    for name in cols[2:]:
        data.setdefault(name, [None] * len(claims))
    return pa.Table.from_pydict(data, schema=claims_schema())


def old_sig(report: Report, table: pa.Table) -> str:
    h = hashlib.sha1()
    meta = {k: v for k, v in dataclasses.asdict(report).items() if k not in ("doc", "path", "text")}
    h.update(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode())
    body = table.drop_columns(["doc"]).sort_by([("start", "ascending"), ("end", "ascending")])
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, body.schema) as writer:
        writer.write_table(body)
    h.update(sink.getvalue().to_pybytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus_claims():
    out = []
    for p in CORPUS:
        res = process_file(p)
        assert res.ok, res.reason
        out.append((res.report, res.claims))
    return out


def test_table_and_signature_are_what_they_were(corpus_claims):
    """The prepared table is the old one without its claim ids (DuckDB makes them as it
    inserts); `legacy_sig` gives the old scheme's signature, so a store built before
    finds its reports unchanged (tests/test_store_sig_scheme.py)."""
    for report, claims in corpus_claims:
        prep = prepared.prepare_claims(report, claims)
        table = old_table(report.report_id, claims)
        assert prep.table.equals(table.drop_columns(["claim_id"]))
        assert prepared.legacy_sig(report, prep.table) == old_sig(report, table)
        assert prep.sig.startswith(prepared.SIG_SCHEME) and prep.sig != old_sig(report, table)
        assert prep.n_claims == sum(c.is_claim for c in claims)
        # out of order, the table and signature are the same (claims are sorted by span)
        shuffled = prepared.prepare_claims(report, claims[::-1])
        assert shuffled.sig == prep.sig
        assert shuffled.table.equals(prep.table)


def scheme2_sig(report: Report, table: pa.Table) -> str:
    """The scheme-2 signature as issue 23's branch run23f wrote it: the metadata's JSON and
    the IPC stream of the table without doc and report_id, written as a table."""
    h = hashlib.sha1()
    h.update(prepared._meta_json(report))
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(metadata_version=pa.ipc.MetadataVersion.V5)
    with pa.ipc.new_stream(sink, table.drop_columns(["doc", "report_id"]).schema, options=options) as writer:
        writer.write_table(table.drop_columns(["doc", "report_id"]))
    h.update(sink.getvalue())
    return prepared.SIG_SCHEME + h.hexdigest()


def test_signature_is_the_stored_scheme(corpus_claims):
    """The signature is scheme 2's, byte for byte, with claims and without, whatever
    path makes it: the signatures stored in existing stores keep matching (a guard for
    changes to how the signature is made: a record batch with no rows, written where
    the table writes none, changes it; branch table26)."""
    text = "没有数字的报告。"
    empty = (Report(content_hash(text), "a.txt", "a.txt", "txt", "utf-8", text), [])
    for report, claims in [*corpus_claims, empty]:
        prep = prepared.prepare_claims(report, claims)
        assert prep.sig == scheme2_sig(report, prep.table)


def test_signature_follows_every_column(corpus_claims):
    """Changing any one field of one claim, or the report's metadata, changes the
    signature; the file name does not."""
    report, claims = max(corpus_claims, key=lambda rc: len(rc[1]))
    base = prepared.prepare_claims(report, claims).sig
    c = claims[len(claims) // 2]
    changes = {"value": Decimal(7), "value_max": Decimal(9), "unit": "万", "subject": "别的",
               "sentence": "x", "reason": "y", "metric": "other", "metric_evidence": "z",
               "is_claim": not c.is_claim, "role_reason": "r", "per": "人", "aggregate": "共计",
               "change": "increase", "share_of": "总数", "sentence_start": 0, "sentence_end": 1}
    for field, value in changes.items():
        changed = claims[:]
        changed[len(claims) // 2] = dataclasses.replace(c, **{field: value})
        assert prepared.prepare_claims(report, changed).sig != base, field
    assert prepared.prepare_claims(dataclasses.replace(report, title="另一个标题"), claims).sig != base
    renamed = dataclasses.replace(report, doc="other.txt", path="other.txt")
    assert prepared.prepare_claims(renamed, [dataclasses.replace(x, doc="other.txt") for x in claims]).sig == base
    assert prepared.prepare_claims(report, claims[:-1]).sig != base


def test_doc_column_is_each_claims_own(corpus_claims):
    """The doc column is made as one repeated name when every claim has the same one
    (the usual case); claims that carry other names keep them, row by row, and a
    column whose first value is missing but not the rest is converted, not nulls.
    (A guard on prepared._table's shortcuts: main's table passes it too.)"""
    report, claims = max(corpus_claims, key=lambda rc: len(rc[1]))
    mixed = [dataclasses.replace(c, doc="other.txt") if i % 3 == 1 else c for i, c in enumerate(claims)]
    subject_first_gone = [dataclasses.replace(claims[0], subject=None)] + claims[1:]
    assert any(c.subject for c in subject_first_gone)
    for variant in (claims, mixed, subject_first_gone):
        prep = prepared.prepare_claims(report, variant)
        assert prep.table.equals(old_table(report.report_id, variant).drop_columns(["claim_id"]))
        assert prep.table.column("doc").to_pylist() == [c.doc for c in variant]
    assert prepared.prepare_claims(report, mixed).sig == prepared.prepare_claims(report, claims).sig


def test_report_to_dict_is_asdict(corpus_claims):
    for report, _ in corpus_claims:
        assert report.to_dict() == dataclasses.asdict(report)


def test_no_claims():
    text = "没有数字的报告。"
    report = Report(content_hash(text), "a.txt", "a.txt", "txt", "utf-8", text)
    prep = prepared.prepare_claims(report, [])
    assert prep.table.num_rows == 0 and prep.n_claims == 0
    assert prep.table.schema == prepared_schema()


TEXT = "发放慰问金27万元，吸引55个部门的6600余名干部职工，占比45%。"
REPORT = Report(content_hash(TEXT), "r.txt", "r.txt", "txt", "utf-8", TEXT)


def good_claims() -> list[Claim]:
    out = []
    for s, e, unit_class in ((5, 9, "money"), (12, 15, "orgs"), (18, 23, "people"), (31, 34, "percent")):
        role = "total" if unit_class in ("money", "people") else None
        out.append(Claim("r.txt", s, e, TEXT[s:e], True, value=Decimal(TEXT[s:e][:2]), unit_class=unit_class,
                         approx="exact", role=role, counted=True if role else None))
    return out


# one change each of the kind validate_claims must catch, or must let through
MUTATIONS = {
    "start": [-1, 2, 40, True, 5.0, None],
    "end": [3, 100, 9, "9"],
    "text": ["x", ""],
    "unit_class": ["money", "people", "cash", None],
    "approx": ["about", "roughly", None],
    "kind": ["date", "nonsense", None],
    "role": ["total", "part", "boss", None],
    "counted": [True, False, None, 1, "yes"],
    "value": [Decimal("1.5"), 3, 2.5, float("nan"), Decimal("Infinity"), True, "7", None, Decimal("NaN")],
    "value_max": [Decimal("2"), float("inf"), None],
    "of_start": [0, 4, None, 50],
    "of_end": [4, 9, None, 60],
}


@st.composite
def claim_lists(draw):
    claims = good_claims()
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(claims) - 1))
        field = draw(st.sampled_from(sorted(MUTATIONS)))
        claims[i] = dataclasses.replace(claims[i], **{field: draw(st.sampled_from(MUTATIONS[field]))})
    if draw(st.booleans()):
        claims.append(claims[draw(st.integers(0, len(claims) - 1))])     # a repeated span
    return claims


@settings(max_examples=400, deadline=None)
@given(claim_lists(), st.booleans())
def test_column_check_agrees_with_validate_claims(claims, bad_id):
    report = dataclasses.replace(REPORT, report_id="0" * 32) if bad_id else REPORT
    try:
        slow = prepared.validate_claims(report, claims)
    except (TypeError, ValueError, OverflowError):
        slow = ["raises"]
    assert prepared._valid(report, prepared._columns(claims)) == (slow == [])
    if slow == []:
        prepared.prepare_claims(report, claims)
    elif slow != ["raises"]:
        with pytest.raises(prepared.BadClaims):
            prepared.prepare_claims(report, claims)


def test_claim_ids_are_claim_id_of_each_span():
    rid = content_hash("发放慰问金27万元")
    starts, ends = [0, 5, 5, 123456], [4, 9, 10, 123460]
    assert claim_ids(rid, starts, ends) == [claim_id(rid, s, e) for s, e in zip(starts, ends)]
    assert claim_ids(rid, [], []) == []
