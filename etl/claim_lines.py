"""Claims as JSON Lines: the bytes `etl extract` writes, one object per mention.

The format is `json.dumps(claim.to_dict(), ensure_ascii=False)` per line (", " and ": "
between items), and stays so byte for byte. The standard encoder costs about half as
much as extraction itself, so a report's claims are encoded by orjson in one call and
its compact separators are then widened by plain byte replaces. That is safe because a
`"` inside a JSON string is always written escaped (`\\"`): `,"start":` and `},{"doc":`
can only be the structure between items, never text inside a value.

Where orjson would write a different number than Python's json (floats below 1e-4:
`1e-5` against `1e-05`; integers beyond 64 bits, non-finite values) or cannot encode
a string (a lone surrogate), the report goes through `json.dumps` instead.
"""
from __future__ import annotations

import json
import math
import re
from typing import Iterable

from .claim import Claim

try:
    import orjson
except ImportError:          # requirements.txt has it; without it the output is the same, slower
    orjson = None

# the keys of Claim.to_dict, in order (tests/test_claim_lines.py checks them)
KEYS: tuple[str, ...] = ("doc", "start", "end", "text", "is_claim", "kind", "value", "value_max",
                         "unit", "unit_class", "approx", "subject", "sentence", "sentence_start",
                         "sentence_end", "per", "aggregate", "change", "share_of", "reason",
                         "metric", "metric_evidence", "role", "counted", "role_reason", "of")
_WIDEN: tuple[tuple[bytes, bytes], ...] = tuple(
    (f',"{k}":'.encode(), f', "{k}": '.encode()) for k in KEYS[1:])
_OF = re.compile(rb'"of": \[(\d+),(\d+)\]')
_INT64 = 2 ** 63


def claim_line(claim: Claim) -> str:
    """One claim as the standard library writes it (the reference format)."""
    return json.dumps(claim.to_dict(), ensure_ascii=False)


def claims_jsonl(claims: Iterable[Claim]) -> bytes:
    """Claims as UTF-8 JSON Lines, each line ending in a newline; b"" for none."""
    dicts = [c.to_dict() for c in claims]
    if not dicts:
        return b""
    if orjson is None or not all(_orjson_safe(d) for d in dicts):
        return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts).encode("utf-8")
    try:
        body = orjson.dumps(dicts)
    except orjson.JSONEncodeError:      # a lone surrogate: json.dumps writes it, then UTF-8 decides
        return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts).encode("utf-8")
    # [{"doc":…},{"doc":…}] -> one object a line, with json.dumps's separators
    body = body[1:-1].replace(b'},{"doc":', b'}\n{"doc": ')
    body = b'{"doc": ' + body[len(b'{"doc":'):]
    for compact, wide in _WIDEN:
        body = body.replace(compact, wide)
    if b'"of": [' in body:
        body = _OF.sub(rb'"of": [\1, \2]', body)
    return body + b"\n"


def _orjson_safe(d: dict) -> bool:
    """orjson writes this dict's numbers exactly as json.dumps does."""
    for key in ("value", "value_max"):
        v = d[key]
        if v is None or v is True or v is False:
            continue
        if type(v) is int:
            if not -_INT64 <= v < _INT64:
                return False
        elif type(v) is float:
            if not math.isfinite(v) or (v != 0.0 and abs(v) < 1e-4) or abs(v) >= 1e16:
                return False
        else:
            return False
    return True
