"""A report's metadata as the JSON its content signature hashes, laid out directly.

The signature (etl/store/prepared.py) hashes ``json.dumps(meta, sort_keys=True,
ensure_ascii=False, default=str)`` of the report's fields but doc, path and text. For the
values a report holds (str or None, an int year, tags as a list of str, meta_source as a
dict of str to str) the same text is laid out here from the fields in sorted order, each
string by json's own encoder of strings: about a tenth of the instructions of the general
encoder, which sorts the keys, accumulates pieces and dispatches on every value
(bench/RESULTS.md, branch table33). Any other value (a float, a bool, a date, a str
subclass, a non-str key ...) goes to json.dumps, which decides, as before.
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring    # what dumps uses for a str when ensure_ascii=False
from operator import attrgetter
from typing import Any

from ..report import Report

# the fields hashed, in the order sort_keys gives them, and each one's key as JSON
SKIPPED = ("doc", "path", "text")
KEYS = tuple(sorted(k for k in Report.__dataclass_fields__ if k not in SKIPPED))
_KEYS_JSON = tuple(encode_basestring(k) + ": " for k in KEYS)
_VALUES = attrgetter(*KEYS)


def meta_json(report: Report) -> bytes:
    """The UTF-8 of json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str),
    meta being report.to_dict() without SKIPPED."""
    parts = []
    for key, value in zip(_KEYS_JSON, _VALUES(report)):
        text = _value_json(value)
        if text is None:
            return _dumped(report)
        parts.append(key + text)
    return ("{" + ", ".join(parts) + "}").encode()


def _value_json(value: Any) -> str | None:
    """The value as dumps writes it, or None for a value not laid out here."""
    kind = type(value)
    if value is None:
        return "null"
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if kind is list:
        if not all(type(v) is str for v in value):
            return None
        return "[" + ", ".join(map(encode_basestring, value)) + "]"
    if kind is dict:
        if not all(type(k) is str and type(v) is str for k, v in value.items()):
            return None
        return "{" + ", ".join(encode_basestring(k) + ": " + encode_basestring(v)
                               for k, v in sorted(value.items())) + "}"
    return None


def _dumped(report: Report) -> bytes:
    meta = {k: v for k, v in report.to_dict().items() if k not in SKIPPED}
    return json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode()
