"""The Claim record (etl/extraction/claim_record.py): a native class in the compiled build,
a dataclass as the Python source, the same record either way. Run in both modes
(REPORT_FIGURES_PURE=1 and the compiled build)."""
from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal

import pytest

from etl.claim import FIELD_TYPES, Claim
from etl.extraction import BUILD
from etl.store.schema import claim_column_types

NAMES = [f.name for f in dataclasses.fields(Claim)]


def test_field_types_name_every_field_in_order():
    assert [name for name, _ in FIELD_TYPES] == NAMES


def test_the_store_columns_take_their_types_from_field_types():
    types = claim_column_types()
    assert (types["value"], types["value_max"], types["start"], types["of_end"], types["is_claim"],
            types["counted"], types["subject"]) == ("DOUBLE", "DOUBLE", "INTEGER", "INTEGER",
                                                    "BOOLEAN", "BOOLEAN", "VARCHAR")


def test_init_takes_the_fields_in_order_with_their_defaults():
    # the hand-written __init__ against the dataclass's own field list
    marks = [object() for _ in NAMES]
    by_position = Claim(*marks)
    by_keyword = Claim(**dict(zip(NAMES, marks)))
    for name, mark in zip(NAMES, marks):
        assert getattr(by_position, name) is mark and getattr(by_keyword, name) is mark, name
    required = [f for f in dataclasses.fields(Claim) if f.default is dataclasses.MISSING]
    bare = Claim(*marks[:len(required)])
    assert [f.name for f in required] == NAMES[:len(required)]
    for f in dataclasses.fields(Claim)[len(required):]:
        assert getattr(bare, f.name) == f.default and type(getattr(bare, f.name)) is type(f.default), f.name
    with pytest.raises(TypeError):
        Claim(*marks, None)


def test_field_values_are_the_fields_in_order():
    marks = [object() for _ in NAMES]
    assert Claim(*marks).field_values() == tuple(marks)


def _claim() -> Claim:
    return Claim("a.txt", 3, 8, "27万元", True, value=Decimal("270000"), unit="元", unit_class="money",
                 approx="exact", subject="慰问金", sentence="发放慰问金27万元。", sentence_start=0,
                 sentence_end=10, role="total", counted=True, of_start=1, of_end=2, role_reason="r")


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickles_and_copies_field_for_field(protocol):
    c = _claim()
    back = pickle.loads(pickle.dumps(c, protocol))
    assert type(back) is Claim and back == c
    assert [getattr(back, n) for n in NAMES] == [getattr(c, n) for n in NAMES]
    assert copy.copy(c) == c and copy.deepcopy(c) == c and copy.copy(c) is not c


def test_equality_repr_replace_asdict():
    c = _claim()
    assert c == _claim() and c != dataclasses.replace(c, role="part") and c != 1
    assert repr(c).startswith("Claim(doc='a.txt', start=3, end=8, text='27万元', is_claim=True, ")
    assert dataclasses.asdict(c)["value"] == Decimal("270000")
    assert Claim.__hash__ is None       # mutable: unhashable, as the dataclass was
    assert Claim.from_dict(c.to_dict()) == c


def test_fields_take_any_value_where_the_claim_is_made():
    # a wrong type is the store's checks' to refuse (etl/store/prepared.py), never a TypeError here
    odd = Claim(["d"], 5.0, "9", b"t", 1, kind=3, value="7", counted="yes", of_start=True)
    assert (odd.doc, odd.start, odd.end, odd.kind, odd.value, odd.counted, odd.of_start) == \
        (["d"], 5.0, "9", 3, "7", "yes", True)
    odd.start = None
    assert odd.start is None
    with pytest.raises(AttributeError):
        odd.not_a_field = 1


def test_compiled_build_makes_claim_a_native_class():
    # in the compiled build the record's __init__ is C (a slot wrapper), not Python
    compiled = BUILD.startswith("compiled")
    assert (type(Claim.__dict__["__init__"]).__name__ == "function") is not compiled
