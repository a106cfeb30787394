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
        spec = importlib.util.spec_from_file_location(
            "etl.extraction._claim_columns_source", Path(claim_columns.__file__).with_name("claim_columns.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        out.append(mod.claim_columns)
    return out


def test_fields_are_the_prepared_columns():
    assert claim_columns.FIELDS == prepared._FIELDS


def test_the_store_uses_it_only_from_the_compiled_build():
    assert (prepared._one_pass() is not None) == BUILD.startswith("compiled")


def test_same_columns_as_the_column_wise_path():
    claims = good_claims()
    cols = prepared._columns(claims)
    floats = prepared._floats(cols)
    for build in builders():
        got = dict(zip(claim_columns.FIELDS, build(claims, TEXT)))
        for name in claim_columns.FIELDS:
            want = floats[name] if name in floats else list(cols[name])
            assert got[name] == want, name
        assert [type(v) for v in got["value"]] == [float] * len(claims)
        assert build([], TEXT) == [[] for _ in claim_columns.FIELDS]


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
            assert got[claim_columns.FIELDS.index("text")] == list(cols["text"])


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
                got = dict(zip(claim_columns.FIELDS, build(claims, TEXT)))["value"][0]
                assert type(got) is float and got == float(v)
                assert math.copysign(1.0, got) == math.copysign(1.0, float(v)), v
            for v in (Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN")):
                assert build([dataclasses.replace(base[0], value=v), *base[1:]], TEXT) is None
