"""The one-pass column builder (etl/extraction/claim_columns.py, compiled with the
extraction modules) agrees with the column-wise path of etl/store/prepared.py: it
accepts only claims that path accepts in span order, gives the same columns, and turns
bad or unusual claims back to that path (which names the problems) instead of raising.
Run on the Python source here; on the compiled build as well when it is in place."""
from __future__ import annotations

import dataclasses
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.claim import Claim, content_hash
from etl.extraction import BUILD, claim_columns
from etl.report import Report
from etl.store import prepared
from test_store_prepared import REPORT, TEXT, good_claims
from test_store_prepared import claim_lists as mutated_claim_lists

# the compiled function when the build is in place (the store uses that one), and the
# Python source's, loaded apart from the build
SOURCE = claim_columns.__file__.endswith(".py")


def builders():
    out = [claim_columns.claim_columns]
    if not SOURCE:
        out.append(source_of(claim_columns).claim_columns)
    return out


# where the compiled modules' sources are. A compiled module's own __file__ is not asked:
# run in one process after this file and test_store_prepared, test_arrow_message met an
# arrow_buffers whose __file__ named etl/extraction/etl/extraction/…, not there
EXTRACTION_DIR = Path(__file__).resolve().parents[1] / "etl" / "extraction"


def source_of(module):
    """A compiled module's Python source, loaded apart from the build."""
    name = module.__name__.rsplit(".", 1)[1]
    spec = importlib.util.spec_from_file_location(
        f"etl.extraction._{name}_source", EXTRACTION_DIR / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_fields_are_the_prepared_columns():
    assert claim_columns.FIELDS == prepared._FIELDS


def test_the_store_uses_it_only_from_the_compiled_build():
    assert (prepared._one_pass() is not None) == BUILD.startswith("compiled")


def table_of(built, n: int, report: Report = REPORT):
    """The table the store makes from the one pass's result."""
    buffers, _ = built
    return prepared._table_from_buffers(report.report_id, buffers, n)


def same_table(a, b) -> bool:
    """Equal values and the same IPC bytes (what the content signature hashes)."""
    return a.equals(b) and prepared._ipc_bytes(a) == prepared._ipc_bytes(b)


def test_same_table_as_the_column_wise_path():
    claims = good_claims()
    cols = prepared._columns(claims)
    want = prepared._table(REPORT.report_id, cols, prepared._floats(cols), len(claims))
    empty = prepared._table(REPORT.report_id, prepared._columns([]), prepared._floats(prepared._columns([])), 0)
    for build in builders():
        built = build(claims, TEXT)
        assert same_table(table_of(built, len(claims)), want)
        assert built[1] == cols["is_claim"].count(True)
        assert table_of(built, len(claims)).column("value").type == "double"
        assert same_table(table_of(build([], TEXT), 0), empty)


@st.composite
def claim_lists(draw):
    """test_store_prepared's mutated claim lists, some also out of span order."""
    claims = draw(mutated_claim_lists())
    if draw(st.booleans()):
        claims.reverse()                                                 # out of span order
    return claims


@settings(max_examples=400, deadline=None)
@given(claim_lists())
def test_accepts_what_the_column_wise_check_accepts_in_order(claims):
    cols = prepared._columns(claims)
    in_order = prepared._in_span_order(cols["start"], cols["end"])
    fine = prepared._valid(REPORT, cols, in_order) and in_order
    for build in builders():
        got = build(claims, TEXT)          # never raises, whatever the claims hold
        assert (got is not None) == fine
        if got is not None:
            assert prepared.validate_claims(REPORT, claims) == []
            assert table_of(got, len(claims)).column("text").to_pylist() == list(cols["text"])


def test_prepare_claims_is_the_same_either_way(monkeypatch):
    """The table, signature and count through the one pass and through the column-wise
    path; and bad claims still raise BadClaims through the store's entry point."""
    text = TEXT + "另有2019年。"
    report = Report(content_hash(text), "r.txt", "r.txt", "txt", "utf-8", text)
    claims = [dataclasses.replace(c) for c in good_claims()]
    s = text.index("2019年")
    claims.append(Claim("r.txt", s, s + 5, "2019年", False, kind="year", reason="year"))
    results = []
    for fn in (claim_columns.claim_columns, None):
        monkeypatch.setattr(prepared, "_ONE_PASS", [fn])
        results.append(prepared.prepare_claims(report, claims))
        with pytest.raises(prepared.BadClaims, match="not in"):
            prepared.prepare_claims(report, [*claims[:-1], dataclasses.replace(claims[-1], kind="bogus")])
        with pytest.raises(prepared.BadClaims, match="report_id"):
            prepared.prepare_claims(dataclasses.replace(report, report_id="0" * 32), claims)
    a, b = results
    assert a.table.equals(b.table) and a.sig == b.sig and (a.n_claims, b.n_claims) == (4, 4)
    assert a.table.column("value").to_pylist()[:2] == [27.0, 55.0]


def test_huge_and_odd_numbers_go_to_the_column_wise_path():
    base = good_claims()
    for value in (Decimal("1e400"), 10 ** 400, Decimal("sNaN"), float("-inf"), True, "7"):
        claims = [dataclasses.replace(base[0], value=value), *base[1:]]
        for build in builders():
            assert build(claims, TEXT) is None


def test_decimal_values_kept_by_value_give_the_same_floats():
    """The pass keeps each Decimal's float by value (claim_columns._decimal_float): equal
    Decimals give it again, but a negative zero stays -0.0 after a zero was converted, and
    a NaN or an infinity still sends the claims to the column-wise path. (A guard: the
    float() of each value gave the same before the values were kept.)"""
    import math
    base = good_claims()
    values = [Decimal("0"), Decimal("-0"), Decimal("-0.0"), Decimal("4.0"), Decimal("4"),
              Decimal("2.4E+4"), Decimal("24000"), Decimal("0.1"), Decimal("0.10"), Decimal("-3.5")]
    for build in builders():
        for _ in range(2):                       # the second time from what was kept
            for v in values:
                claims = [dataclasses.replace(base[0], value=v), *base[1:]]
                got = table_of(build(claims, TEXT), len(claims)).column("value")[0].as_py()
                assert type(got) is float and got == float(v)
                assert math.copysign(1.0, got) == math.copysign(1.0, float(v)), v
            for v in (Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN")):
                assert build([dataclasses.replace(base[0], value=v), *base[1:]], TEXT) is None


LONG = "一二三四五六七八九十" * 5
LONG_REPORT = Report(content_hash(LONG), "r.txt", "r.txt", "txt", "utf-8", LONG)
_TEXTS = st.one_of(st.none(), st.sampled_from(["", "万元", "a", "人次\x00", "\U00020000字", "x" * 300]))
_OFFSETS = st.one_of(st.none(), st.integers(0, 2 ** 40))
# the file name: the same for every claim as extraction gives it, or not (a caller's claims)
_DOCS = st.sampled_from(["r.txt", "r.txt", "r.txt", "报告.md", None])


@st.composite
def varied_claims(draw):
    """Claims over LONG whose unchecked fields vary: nulls anywhere (validity bitmaps
    across and short of a byte), empty, long, non-ASCII and astral strings."""
    claims = []
    for i in range(draw(st.integers(0, 40))):
        strings = {f: draw(_TEXTS) for f in ("unit", "subject", "sentence", "per", "aggregate", "change",
                                             "share_of", "reason", "metric", "metric_evidence", "role_reason")}
        claims.append(Claim(draw(_DOCS), i, i + 1, LONG[i], draw(st.booleans()),
                            value=draw(st.one_of(st.none(), st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=False, allow_infinity=False),
                                                 st.sampled_from([Decimal("2.5"), Decimal("-0"), Decimal("1E+8")]))),
                            sentence_start=draw(_OFFSETS), sentence_end=draw(_OFFSETS), **strings))
    return claims


@settings(max_examples=200, deadline=None)
@given(varied_claims())
def test_buffers_are_pyarrows_own(claims):
    """Whatever the unchecked fields hold, the buffers make the arrays, and IPC bytes,
    that converting the columns makes."""
    cols, floats = prepared._checked_columns(LONG_REPORT, claims)
    want = prepared._table(LONG_REPORT.report_id, cols, floats, len(claims))
    for build in builders():
        built = build(claims, LONG)
        assert built is not None
        assert same_table(table_of(built, len(claims), LONG_REPORT), want)


def test_values_a_column_does_not_take_go_to_the_column_wise_path():
    base = good_claims()
    for field, value in (("sentence_start", True), ("unit", b"x"), ("is_claim", 1), ("subject", 5),
                         ("sentence", "\ud800"), ("sentence_end", 2 ** 70)):
        claims = [dataclasses.replace(base[0], **{field: value}), *base[1:]]
        for build in builders():
            assert build(claims, TEXT) is None, field


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 19), max_size=8), st.booleans())
def test_bitmaps_written_by_runs_are_pyarrows_own(runs, first_null):
    """Nulls and values in runs of any length (the bitmaps are written run by run:
    within a byte, across bytes, whole bytes of ones and of zeros), also in the
    booleans (`counted`) and the numbers: the same table as converting the columns."""
    nulls = []
    for i, k in enumerate(runs):
        nulls += [(i % 2 == 0) == first_null] * k
    nulls = nulls[:len(LONG)]
    claims = [Claim("r.txt", i, i + 1, LONG[i], not null, unit=None if null else "万元",
                    sentence_start=None if null else i, role=None if null else "total",
                    counted=None if null else True, value=None if null else Decimal(i))
              for i, null in enumerate(nulls)]
    cols, floats = prepared._checked_columns(LONG_REPORT, claims)
    want = prepared._table(LONG_REPORT.report_id, cols, floats, len(claims))
    for build in builders():
        built = build(claims, LONG)
        assert same_table(table_of(built, len(claims), LONG_REPORT), want)
        assert built[1] == sum(not null for null in nulls)


def test_the_columns_kept_for_the_next_report_hold_nothing_of_the_last():
    """The pass keeps its columns' writers for the next report (emptied): a report after
    a longer one, and after one the pass gave up on half-way, gives what it gives first."""
    long_claims = [Claim("r.txt", i, i + 1, LONG[i], i % 3 == 0, unit="万元" if i % 2 else None,
                         subject="x" * 300, sentence=LONG, counted=None)
                   for i in range(len(LONG))]
    short = good_claims()
    bad = [*short[:2], dataclasses.replace(short[2], unit=b"x")]
    for build in builders():
        first = build(short, TEXT)
        assert build(long_claims, LONG) is not None
        assert build(bad, TEXT) is None
        again = build(short, TEXT)
        assert again == first
        assert same_table(table_of(again, len(short)), table_of(first, len(short)))
