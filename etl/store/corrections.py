"""Corrections: a user's fix of one field of one claim, with who, when and why.

They live apart from the claims and key on ``claim_id``, which is stable for the same
text and span, so they survive re-extraction; the `claims_effective` view applies the
latest correction per (claim, field). Each row also keeps its figure's anchor (the
figure's text and the text either side of it, and the report's file), so that when
the report's text changes and the claim ids with it, the correction follows its figure
(etl/store/anchors.py).
"""
from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from ..claim import APPROX_KINDS, NON_CLAIM_KINDS, UNIT_CLASSES
from .connection import Connection
from .schema import ANCHOR_CONTEXT, BOOLEAN_FIELDS, CORRECTABLE_FIELDS, ident, utcnow


class Corrections(Connection):
    def add_correction(self, claim_id: str, field: str, new_value: Any, *, who: str,
                       why: str = "") -> None:
        """Record a user's correction of one field of one claim (validated; ValueError
        with the reason otherwise). The latest correction per field wins."""
        stored = check_correction(field, new_value)
        if not isinstance(who, str) or not who.strip():
            raise ValueError("who must name the person making the correction")
        with self.writing() as con:
            row = con.execute(
                f"SELECT c.report_id, c.start, c.\"end\", c.{ident(field)}, r.path, "
                f"substr(r.text, c.start + 1, c.\"end\" - c.start), "
                f"substr(r.text, greatest(c.start - ?, 0) + 1, c.start - greatest(c.start - ?, 0)), "
                f"substr(r.text, c.\"end\" + 1, ?) "
                f"FROM claims_effective c JOIN reports r ON r.report_id = c.report_id "
                f"WHERE c.claim_id = ?", [ANCHOR_CONTEXT, ANCHOR_CONTEXT, ANCHOR_CONTEXT,
                                          claim_id]).fetchone()
            if row is None:
                raise ValueError(f"no claim with id {claim_id!r}")
            con.execute("INSERT INTO corrections (claim_id, report_id, start, \"end\", field, old_value, "
                        "new_value, who, \"at\", why, path, anchor_text, anchor_before, anchor_after) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [claim_id, row[0], row[1], row[2], field, _value_text(field, row[3]),
                         stored, who.strip(), utcnow(), why, row[4], row[5], row[6], row[7]])


def _number_text(x: Any) -> str:
    """Canonical text for a number stored in corrections.old/new_value: no exponent."""
    d = x if isinstance(x, Decimal) else Decimal(repr(x) if isinstance(x, float) else str(x))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _value_text(field: str, v: Any) -> str | None:
    """A current (effective) value as text for corrections.old_value."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if field in ("value", "value_max"):
        return _number_text(v)
    if field in BOOLEAN_FIELDS:
        return "true" if v else "false"
    return str(v)


def check_correction(field: str, new_value: Any) -> str | None:
    """Validate a correction; return the text stored in corrections.new_value."""
    if field not in CORRECTABLE_FIELDS:
        raise ValueError(f"cannot correct field {field!r}: correctable fields are "
                         f"{', '.join(CORRECTABLE_FIELDS)}")
    if field in BOOLEAN_FIELDS:
        if not isinstance(new_value, bool):
            raise ValueError(f"{field} must be True or False, got {new_value!r}")
        return "true" if new_value else "false"
    if new_value is None:
        if field == "value":
            # a claim without a value is meaningless; flip is_claim instead
            raise ValueError("value cannot be cleared; correct is_claim to False instead")
        return None
    if field in ("value", "value_max"):
        if isinstance(new_value, bool) or not isinstance(new_value, (int, float, Decimal, str)):
            raise ValueError(f"{field} must be a number, got {new_value!r}")
        try:
            d = Decimal(str(new_value).strip().replace(",", "")) if isinstance(new_value, str) \
                else Decimal(repr(new_value) if isinstance(new_value, float) else new_value)
        except InvalidOperation:
            raise ValueError(f"{field} must be a number in base units (e.g. 270000 for "
                             f"27万元), got {new_value!r}") from None
        if not d.is_finite():
            raise ValueError(f"{field} must be a finite number, got {new_value!r}")
        return _number_text(d)
    if not isinstance(new_value, str):
        raise ValueError(f"{field} must be text, got {type(new_value).__name__} {new_value!r}")
    v = new_value.strip()
    allowed = {"unit_class": UNIT_CLASSES, "approx": APPROX_KINDS, "kind": NON_CLAIM_KINDS}
    if field in allowed and v not in allowed[field]:
        raise ValueError(f"{field} must be one of {', '.join(allowed[field])}; got {new_value!r}")
    if field == "metric":
        from etl.extraction.metrics import by_id
        if v not in by_id():
            raise ValueError(f"metric must be an id from data/rules/metrics.yaml "
                             f"({', '.join(by_id())}); got {new_value!r}")
    if not v:
        raise ValueError(f"{field} cannot be blank; pass None to clear it")
    return v
