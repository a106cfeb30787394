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

from mypy_extensions import i64

from ..claim import APPROX_KINDS, NON_CLAIM_KINDS, ROLES, UNIT_CLASSES, Claim
from .arrow_buffers import Bools, Column, Float64s, Int64s, Strings

# The Claim fields a prepared table is made of, in its column order
# (etl/store/prepared.py checks this against the claims table's columns).
FIELDS: Final = ("doc", "start", "end", "text", "is_claim", "kind", "value", "value_max",
                 "unit", "unit_class", "approx", "subject", "sentence", "sentence_start",
                 "sentence_end", "per", "aggregate", "change", "share_of", "reason", "metric",
                 "metric_evidence", "role", "counted", "of_start", "of_end", "role_reason")


class EnumValues:
    """An enum's allowed values; the value last found allowed is kept, so that the same
    object again (a report's claims share their enum strings) is not looked up again."""

    def __init__(self, values: Any) -> None:
        self.values = frozenset(values)
        self.last: object = None        # only ever a value found allowed

    def allows(self, v: Any) -> bool:
        if v is self.last:
            return True
        if v in self.values:            # TypeError for an unhashable value: the caller's
            self.last = v
            return True
        return False


_UNIT_CLASSES: Final = EnumValues(UNIT_CLASSES)
_APPROX: Final = EnumValues(APPROX_KINDS)
_KINDS: Final = EnumValues(NON_CLAIM_KINDS)
_ROLES: Final = EnumValues(ROLES)


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


class ClaimColumns:
    """The columns of FIELDS, one object each; `all` in FIELDS order."""

    def __init__(self) -> None:
        self.doc = Strings()
        self.start = Int64s()
        self.end = Int64s()
        self.text = Strings()
        self.is_claim = Bools()
        self.kind = Strings(True)
        self.value = Float64s()
        self.value_max = Float64s()
        self.unit = Strings(True)
        self.unit_class = Strings(True)
        self.approx = Strings(True)
        self.subject = Strings()
        self.sentence = Strings()
        self.sentence_start = Int64s()
        self.sentence_end = Int64s()
        self.per = Strings()
        self.aggregate = Strings()
        self.change = Strings()
        self.share_of = Strings()
        self.reason = Strings(True)
        self.metric = Strings(True)
        self.metric_evidence = Strings(True)
        self.role = Strings(True)
        self.counted = Bools()
        self.of_start = Int64s()
        self.of_end = Int64s()
        self.role_reason = Strings(True)
        self.all: list[Column] = [
            self.doc, self.start, self.end, self.text, self.is_claim, self.kind, self.value,
            self.value_max, self.unit, self.unit_class, self.approx, self.subject, self.sentence,
            self.sentence_start, self.sentence_end, self.per, self.aggregate, self.change,
            self.share_of, self.reason, self.metric, self.metric_evidence, self.role,
            self.counted, self.of_start, self.of_end, self.role_reason]


# One set of columns kept for the next report, its writers emptied but not freed: a
# report's ~60 writers grown from empty cost ~4 % of the stage in reallocations
# (bench/RESULTS.md, branch table33). Past _KEEP_BYTES the set is let go. A list, so
# that threads preparing reports at once each take a set of their own (or a new one).
_SPARE: Final[list[ClaimColumns]] = []
_KEEP_BYTES: Final = 16 << 20


def _taken() -> ClaimColumns:
    try:
        cols = _SPARE.pop()
    except IndexError:
        return ClaimColumns()
    for col in cols.all:
        col.reset()
    return cols


def _given_back(cols: ClaimColumns) -> None:
    held: i64 = 0
    for col in cols.all:
        held += col.held()
    if held <= _KEEP_BYTES and not _SPARE:
        _SPARE.append(cols)


def _columns(claims: list[Claim], text: str) -> tuple[list[tuple], int] | None:
    n = len(text)
    cols = _taken()
    # each column as a local: read once, not as an attribute of `cols` a value
    doc = cols.doc
    start = cols.start
    end = cols.end
    ctext = cols.text
    is_claim = cols.is_claim
    kind = cols.kind
    value = cols.value
    value_max = cols.value_max
    unit = cols.unit
    unit_class = cols.unit_class
    approx = cols.approx
    subject = cols.subject
    sentence = cols.sentence
    sentence_start = cols.sentence_start
    sentence_end = cols.sentence_end
    per = cols.per
    aggregate = cols.aggregate
    change = cols.change
    share_of = cols.share_of
    reason = cols.reason
    metric = cols.metric
    metric_evidence = cols.metric_evidence
    role = cols.role
    counted = cols.counted
    of_start = cols.of_start
    of_end = cols.of_end
    role_reason = cols.role_reason
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
        if ((k is not None and not _KINDS.allows(k)) or (uc is not None and not _UNIT_CLASSES.allows(uc))
                or (ap is not None and not _APPROX.allows(ap)) or (ro is not None and not _ROLES.allows(ro))):
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
    columns = [col.buffers() for col in cols.all]
    trues = is_claim.trues
    _given_back(cols)
    return columns, trues


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
