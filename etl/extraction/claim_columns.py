"""A report's claims as the store's columns, read and checked in one pass.

`claim_columns` reads every field of every claim once, appends it to its column (as the
bytes of an Arrow array's buffers: arrow_buffers.py) and checks it on the way: the offset invariant (``text[start:end] == claim.text``), span
order, the enums, finite numbers, counted/role and the "of" span; the same checks as
etl/store/prepared.py's column-wise `_valid` (tests/test_claim_columns.py holds the two
together). Compiled with the extraction modules (native.py MODULES): the compiled loop
costs about as much as reading the fields alone did, where the column-wise checks and
the float conversion were as much again (bench/RESULTS.md, branch table23i). The
Python source of this loop is slower than the column-wise code, so the store uses it
only from the compiled build (`etl.store.prepared`).

The claims are read as `Claim` records (in the compiled build a native class, whose
fields are read as struct members, not looked up by name) whose fields hold anything: a
claim built with a wrong type (a test's, a JSON file's) must come back as "not certainly
valid", never as a TypeError; so must a list holding something else than Claims (the
compiled loop refuses it with a TypeError, caught below).
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Final

from ..claim import APPROX_KINDS, NON_CLAIM_KINDS, ROLES, UNIT_CLASSES, Claim
from .arrow_buffers import Bools, Float64s, Int64s, Strings

# The Claim fields a prepared table is made of, in its column order
# (etl/store/prepared.py checks this against the claims table's columns).
FIELDS: Final = ("doc", "start", "end", "text", "is_claim", "kind", "value", "value_max",
                 "unit", "unit_class", "approx", "subject", "sentence", "sentence_start",
                 "sentence_end", "per", "aggregate", "change", "share_of", "reason", "metric",
                 "metric_evidence", "role", "counted", "of_start", "of_end", "role_reason")
_UNIT_CLASSES: Final = frozenset(UNIT_CLASSES)
_APPROX: Final = frozenset(APPROX_KINDS)
_KINDS: Final = frozenset(NON_CLAIM_KINDS)
_ROLES: Final = frozenset(ROLES)


def claim_columns(claims: list[Claim], text: str) -> tuple[list[tuple], int] | None:
    """The claims as the store's columns: (for each field in FIELDS order its Arrow
    buffers (null count, validity bitmap or None, int32 offsets or None, values: see
    `arrow_buffers`), the number of claims with is_claim True); or None unless every
    claim passes every check and the spans are in strictly increasing (start, end)
    order, or when a field holds a value of a type its column does not take as is: then
    the caller's column-wise path decides, and names the problems."""
    try:
        return _columns(claims, text)
    except (TypeError, ValueError, OverflowError):  # an unhashable enum, Decimal("sNaN") ...
        return None


def _columns(claims: list[Claim], text: str) -> tuple[list[tuple], int] | None:
    n = len(text)
    doc = Strings()
    start = Int64s()
    end = Int64s()
    ctext = Strings()
    is_claim = Bools()
    kind = Strings(True)
    value = Float64s()
    value_max = Float64s()
    unit = Strings(True)
    unit_class = Strings(True)
    approx = Strings(True)
    subject = Strings()
    sentence = Strings()
    sentence_start = Int64s()
    sentence_end = Int64s()
    per = Strings()
    aggregate = Strings()
    change = Strings()
    share_of = Strings()
    reason = Strings(True)
    metric = Strings(True)
    metric_evidence = Strings(True)
    role = Strings(True)
    counted = Bools()
    of_start = Int64s()
    of_end = Int64s()
    role_reason = Strings(True)
    last_s = -1
    last_e = -1
    for c in claims:
        s_obj: Any = c.start
        e_obj: Any = c.end
        t_obj: Any = c.text
        if type(s_obj) is not int or type(e_obj) is not int:
            return None
        s: int = s_obj
        e: int = e_obj
        # strictly increasing spans are also distinct spans
        if not (0 <= s <= e <= n) or s < last_s or (s == last_s and e <= last_e):
            return None
        if type(t_obj) is not str or text[s:e] != t_obj:
            return None
        last_s = s
        last_e = e
        k: Any = c.kind
        uc: Any = c.unit_class
        ap: Any = c.approx
        ro: Any = c.role
        if ((k is not None and k not in _KINDS) or (uc is not None and uc not in _UNIT_CLASSES)
                or (ap is not None and ap not in _APPROX) or (ro is not None and ro not in _ROLES)):
            return None
        v = _finite(c.value)
        vm = _finite(c.value_max)
        if v is False or vm is False:
            return None
        co: Any = c.counted
        if co is not None and (type(co) is not bool or co != (ro == "total")):
            return None
        a: Any = c.of_start
        b: Any = c.of_end
        if a is None or b is None:
            if a is not b:
                return None
        elif type(a) is not int or type(b) is not int:
            return None
        else:
            ai: int = a
            bi: int = b
            if not 0 <= ai < bi <= n:
                return None
        doc.add_value(c.doc)
        start.add_value(s)
        end.add_value(e)
        ctext.add_value(t_obj)
        is_claim.add_value(c.is_claim)
        kind.add_value(k)
        value.add_value(v)
        value_max.add_value(vm)
        unit.add_value(c.unit)
        unit_class.add_value(uc)
        approx.add_value(ap)
        subject.add_value(c.subject)
        sentence.add_value(c.sentence)
        sentence_start.add_value(c.sentence_start)
        sentence_end.add_value(c.sentence_end)
        per.add_value(c.per)
        aggregate.add_value(c.aggregate)
        change.add_value(c.change)
        share_of.add_value(c.share_of)
        reason.add_value(c.reason)
        metric.add_value(c.metric)
        metric_evidence.add_value(c.metric_evidence)
        role.add_value(ro)
        counted.add_value(co)
        of_start.add_value(a)
        of_end.add_value(b)
        role_reason.add_value(c.role_reason)
    columns = [doc.buffers(), start.buffers(), end.buffers(), ctext.buffers(), is_claim.buffers(), kind.buffers(),
               value.buffers(), value_max.buffers(), unit.buffers(), unit_class.buffers(),
               approx.buffers(), subject.buffers(), sentence.buffers(), sentence_start.buffers(),
               sentence_end.buffers(), per.buffers(), aggregate.buffers(), change.buffers(),
               share_of.buffers(), reason.buffers(), metric.buffers(), metric_evidence.buffers(),
               role.buffers(), counted.buffers(), of_start.buffers(), of_end.buffers(),
               role_reason.buffers()]
    return columns, is_claim.trues


def _finite(v: Any) -> Any:
    """A value for a DOUBLE column: None, a finite float, or False when it is not a
    finite Decimal, int or float (bool is not a number here)."""
    if v is None:
        return None
    t = type(v)
    if t is Decimal:
        return _decimal_float(v)
    if t is not float and t is not int:
        return False
    f = float(v)
    return f if math.isfinite(f) else False


# Decimal -> float, kept by value: float(Decimal) formats the number as a string and
# parses it back (~1 µs), where a Decimal's hash is a few dozen ns, and a report's values
# repeat (1, 2, 10, 20, years ...: a fifth of them are distinct). Equal Decimals give the
# same float, but for zero's sign (Decimal("-0") == Decimal("0")), so zeros are not kept.
_DECIMAL_FLOATS: Final[dict[Decimal, float]] = {}
_KEEP_FLOATS: Final = 8192


def _decimal_float(v: Decimal) -> Any:
    """_finite for a Decimal (a signalling NaN raises, as float() of it does)."""
    f = _DECIMAL_FLOATS.get(v)
    if f is not None:
        return f
    f = float(v)
    if not math.isfinite(f):
        return False
    if f != 0.0:
        if len(_DECIMAL_FLOATS) >= _KEEP_FLOATS:
            _DECIMAL_FLOATS.clear()
        _DECIMAL_FLOATS[v] = f
    return f
