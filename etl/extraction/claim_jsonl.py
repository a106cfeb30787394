"""The loop of the JSON Lines writer (etl/claim_lines.py), among the compiled modules.

Moved here from etl/claim_lines.py unchanged in what it writes, so that mypyc compiles
it with the Claim record (native.MODULES): a line's field reads, null tests and key
tuples cost the interpreter ~4.8 k of a mention's ~13.7 k instructions (bench/RESULTS.md,
extract23m). The source runs when the compiled build does not (native.py). The format
and the pieces it is built from are described in etl/claim_lines.py. A report's lines are
written into one buffer: librt's BytesWriter compiled (librt is mypyc's runtime, a build
tool's package), bytes_writer.py's stand-in from source.
"""
from __future__ import annotations

import json
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Any, Final, Iterable, cast

from mypy_extensions import i64, u8

from . import native
from .claim_record import Claim, number_out

if native.compiled_in_use():
    # mypyc's own buffer: its write and append compile to inline C (librt comes with
    # mypy, which the build needs and the app does not install)
    from librt.strings import BytesWriter
else:
    # the source's stand-in: the same methods over a bytearray
    from .bytes_writer import BytesWriter  # type: ignore[assignment]

# every field a %s (json.dumps's own spacing), start and end a %d
LINE = (b'{"doc": %s, "start": %d, "end": %d, "text": %s, "is_claim": %s, "kind": %s, '
        b'"value": %s, "value_max": %s, "unit": %s, "unit_class": %s, "approx": %s, '
        b'"subject": %s, "sentence": %s, "sentence_start": %s, "sentence_end": %s, "per": %s, '
        b'"aggregate": %s, "change": %s, "share_of": %s, "reason": %s, "metric": %s, '
        b'"metric_evidence": %s, "role": %s, "counted": %s, "role_reason": %s, "of": %s}\n')
# a bare non-claim: LINE with is_claim false and the fields after value_max but reason null
BARE = (b'{"doc": %s, "start": %d, "end": %d, "text": %s, "is_claim": false, "kind": %s, '
        b'"value": %s, "value_max": %s, "unit": null, "unit_class": null, "approx": null, '
        b'"subject": null, "sentence": "", "sentence_start": null, "sentence_end": null, '
        b'"per": null, "aggregate": null, "change": null, "share_of": null, "reason": %s, '
        b'"metric": null, "metric_evidence": null, "role": null, "counted": null, '
        b'"role_reason": null, "of": null}\n')

_E = encode_basestring
_BOOL: dict[Any, bytes] = {True: b"true", False: b"false"}
_OPT_BOOL: dict[Any, bytes] = {True: b"true", False: b"false", None: b"null"}
_CACHED = 4096      # strings kept encoded: the vocabularies are a few hundred


def _between(template: bytes, first: str, after: str | None) -> bytes:
    """The piece of `template` from the key `first` up to (not including) the ", " before
    the key `after` (to the end without it)."""
    i = template.index(b'"%s": ' % first.encode())
    j = template.index(b', "%s": ' % after.encode()) if after else len(template)
    return template[i:j]


# LINE and BARE in pieces (etl/claim_lines.py says why)
_BARE_TAIL = _between(BARE, "is_claim", None)          # kind, value, value_max, reason
_IS_KIND = _between(LINE, "is_claim", "value")
_UNITS = _between(LINE, "unit", "subject")
_ROLES = _between(LINE, "per", "of")


def _key(name: str) -> bytes:
    """The separator before a key and the key itself, as LINE has them."""
    return b', "%s": ' % name.encode()


# what a line writes between its fields and pieces (LINE, from start to the end);
# Final: compiled, each is a C static, not a look-up in the module's dict per write
_START: Final = _key("start")
_END: Final = _key("end")
_TEXT: Final = _key("text")
_VALUE: Final = _key("value")
_VALUE_MAX: Final = _key("value_max")
_SUBJECT: Final = _key("subject")
_SENTENCE_KEY: Final = _key("sentence")
_SENTENCE_START: Final = _key("sentence_start")
_SENTENCE_END: Final = _key("sentence_end")
_OF: Final = _key("of")
_NEXT: Final = b", "                # before a piece that starts with its own key
_LINE_END: Final = LINE[LINE.rindex(b"%s") + 2:]           # }\n
# no claim's field: what write_claims takes as the last claim's fields before the first
_UNSET: Final = object()

# a string (or None) -> its JSON, as UTF-8; filled on first use, up to _CACHED (a
# function, not a dict subclass with __missing__: a compiled class cannot be one)
_ENCODED: dict[Any, bytes] = {None: b"null"}


def _j(s: Any) -> bytes:
    b = _ENCODED.get(s)
    if b is None:
        b = _E(s).encode("utf-8")         # TypeError for a non-string: the slow path
        if len(_ENCODED) < _CACHED:
            _ENCODED[s] = b
    return b


def claim_line(claim: Any) -> str:
    """One claim as the standard library writes it (the reference format)."""
    return json.dumps(claim.to_dict(), ensure_ascii=False)


def claims_jsonl(claims: Iterable[Any]) -> bytes:
    """Claims as UTF-8 JSON Lines, each line ending in a newline; b"" for none."""
    try:
        w = _SPARE.pop()                # the one the last report grew
    except IndexError:                  # the first, or a second caller at the same time
        w = BytesWriter()
    write_claims(claims, w)
    out = w.getvalue()
    if len(w) <= _SPARE_MAX:
        w.truncate(0)
        _SPARE.append(w)
    return out


def new_buffer() -> BytesWriter:
    """An empty buffer of the kind write_claims writes into (librt's when compiled)."""
    return BytesWriter()


def write_claims(claims: Iterable[Any], w: BytesWriter) -> None:
    """claims_jsonl(claims) written at the end of `w`: a report's lines go into one
    buffer piece by piece (a `%` fill of a line's template cost ~150 instructions an
    argument: bench/RESULTS.md, extract31), and a caller that writes a file can let
    several reports' lines gather in it (etl/claim_lines.py, JsonlFile)."""
    E, T, V, C = _E, _TEXTS, _VALUES, _CHUNKS
    tails = _BARE_TAILS
    doc: Any = None
    head = b""
    sentence: Any = None              # no claim's: a None sentence is the slow path's
    sentence_e = b""
    # the last claim's repeating fields and their pieces (each kept with the ", " before
    # it and the key after it, three writes fewer a line): most claims share their
    # is_claim/kind with the one before, a fifth to a quarter their units or roles, and
    # the same objects make the same bytes without a key tuple and a dict look-up
    last_is: Any = _UNSET
    last_kind: Any = _UNSET
    is_kind = b""
    last_units: tuple[Any, Any, Any] = (_UNSET, _UNSET, _UNSET)
    units = b""
    last_roles: tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any] = (
        _UNSET, _UNSET, _UNSET, _UNSET, _UNSET, _UNSET, _UNSET, _UNSET, _UNSET, _UNSET)
    roles = b""
    for kept in (T, V, C, tails):       # bounded: emptied between reports when full
        if len(kept) > _KEPT:
            kept.clear()
    items: list[Any] = claims if isinstance(claims, list) else list(claims)
    for c in items:
        mark: i64 = len(w)              # where this line starts: a failed line is cut off
        try:
            # compiled, the cast checks the type (TypeError: the slow path, which takes
            # any object with a to_dict) and each read is the record's own slot
            r = cast(Claim, c)
            d, start, end, text, is_claim = r.doc, r.start, r.end, r.text, r.is_claim
            if type(is_claim) is not bool:      # 1 == True to a dict
                raise TypeError("not a bool")
            first = _offset(start)
            last = _offset(end)
            if d is not doc:                  # one report's claims share its name
                head = b'{"doc": ' + E(d).encode("utf-8") + _START
                doc = d
            kind, value, value_max, reason = r.kind, r.value, r.value_max, r.reason
            unit, unit_class, approx, subject = r.unit, r.unit_class, r.approx, r.subject
            s, ss, se = r.sentence, r.sentence_start, r.sentence_end
            per, aggregate, change, share_of = r.per, r.aggregate, r.change, r.share_of
            metric, evidence, role, counted = r.metric, r.metric_evidence, r.role, r.counted
            of_start, of_end, role_reason = r.of_start, r.of_end, r.role_reason
            w.write(head)
            _write_digits(w, first)
            w.write(_END)
            _write_digits(w, last)
            w.write(_TEXT)
            if (is_claim is False and unit is None and unit_class is None and approx is None
                    and subject is None and isinstance(s, str) and len(s) == 0 and ss is None
                    and se is None and per is None and aggregate is None
                    and change is None and share_of is None and metric is None
                    and evidence is None and role is None and counted is None
                    and role_reason is None and of_start is None
                    and (value is None or type(value) is Decimal)
                    and (value_max is None or type(value_max) is Decimal)):
                # the tail kept for this text, if its kind, value, value_max and reason
                # are equal too (equal strings and Decimals write the same bytes;
                # 1 == Decimal(1) == True, so only Decimals and None get this far); the
                # sentence's test by its type and length, not `== ""` (a rich compare:
                # 1 % of the writer's instructions), and the tail read from `seen` only
                # where it is known to be a tuple (else, compiled, a generic item read)
                seen = tails.get(text)
                if (seen is None or not _same(seen[0], kind) or not _same(seen[1], value)
                        or not _same(seen[2], value_max) or not _same(seen[3], reason)):
                    tail = E(text).encode("utf-8") + b", " + _BARE_TAIL % (
                        _j(kind), _number(value), _number(value_max), _j(reason))
                    tails[text] = (kind, value, value_max, reason, tail)
                else:
                    tail = seen[4]
                w.write(tail)
                continue
            # mentions repeat their text (2021年, 第一) and value: each encoded once
            text_e = T.get(text)
            if text_e is None:
                text_e = E(text).encode("utf-8")   # TypeError for a non-string
                T[text] = text_e
            if type(value) is Decimal:        # equal Decimals write the same number
                value_e = V.get(value)
                if value_e is None:
                    value_e = _number(value)
                    V[value] = value_e
            else:
                value_e = _number(value)
            if counted is not None and type(counted) is not bool:   # 1 == True to a dict
                raise TypeError("not a bool")
            if s is not sentence or s is None:    # a third share the one before's
                sentence_e = E(s).encode("utf-8")
                sentence = s
            if is_claim is not last_is or kind is not last_kind:
                k1 = (is_claim, kind)
                got = C.get(k1)
                if got is None:
                    got = _NEXT + _IS_KIND % (_BOOL[is_claim], _j(kind)) + _VALUE
                    C[k1] = got
                is_kind = got
                last_is, last_kind = is_claim, kind
            if (unit is not last_units[0] or unit_class is not last_units[1]
                    or approx is not last_units[2]):
                k2 = (unit, unit_class, approx)
                got = C.get(k2)
                if got is None:
                    got = _NEXT + _UNITS % (_j(unit), _j(unit_class), _j(approx)) + _SUBJECT
                    C[k2] = got
                units = got
                last_units = k2
            if (per is not last_roles[0] or aggregate is not last_roles[1]
                    or change is not last_roles[2] or share_of is not last_roles[3]
                    or reason is not last_roles[4] or metric is not last_roles[5]
                    or evidence is not last_roles[6] or role is not last_roles[7]
                    or counted is not last_roles[8] or role_reason is not last_roles[9]):
                k3 = (per, aggregate, change, share_of, reason, metric, evidence, role, counted,
                      role_reason)
                got = C.get(k3)
                if got is None:
                    got = _NEXT + _ROLES % (
                        _j(per), _j(aggregate), _j(change), _j(share_of), _j(reason), _j(metric),
                        b"null" if evidence is None else _j(evidence), _j(role),
                        _OPT_BOOL[counted], _j(role_reason)) + _OF
                    C[k3] = got
                roles = got
                last_roles = k3
            subject_e = b"null"
            if subject is not None:           # subjects repeat too (58 % on bench reports)
                got = T.get(subject)
                if got is None:
                    got = E(subject).encode("utf-8")
                    T[subject] = got
                subject_e = got
            w.write(text_e)
            w.write(is_kind)                # from its ", " to the value's key
            w.write(value_e)
            w.write(_VALUE_MAX)
            w.write(b"null" if value_max is None else _number(value_max))
            w.write(units)                  # from its ", " to the subject's key
            w.write(subject_e)
            w.write(_SENTENCE_KEY)
            w.write(sentence_e)
            w.write(_SENTENCE_START)
            _write_int_or_null(w, ss)
            w.write(_SENTENCE_END)
            _write_int_or_null(w, se)
            w.write(roles)                  # from its ", " to the key of `of`
            if of_start is None:
                w.write(b"null")
            else:
                w.append(u8(91))                # [
                _write_int_or_null(w, of_start)
                w.write(_NEXT)
                _write_int_or_null(w, of_end)
                w.append(u8(93))                # ]
            w.write(_LINE_END)
        except (TypeError, KeyError, AttributeError):
            w.truncate(mark)
            w.write((claim_line(c) + "\n").encode("utf-8"))


def _same(a: Any, b: Any) -> bool:
    """Whether a kept field writes as b does: the same object, or equal (a str or a
    Decimal; a Decimal NaN equals nothing, not even itself, and is written afresh)."""
    return a is b or a == b


# one buffer kept between reports with the room it grew to: grown from empty, a report's
# lines took ~9 reallocations and copies (6 % of the writer's instructions)
_SPARE: list[BytesWriter] = []
_SPARE_MAX = 1 << 24                # a buffer past 16 MB (a huge report's lines) is let go


# kept across reports, emptied when past _KEPT: mention texts, subjects and Decimal
# values encoded, the tails of bare non-claims, the repeating pieces of claims' lines
_KEPT = 20_000      # a bare tail is ~430 bytes: at most ~10 MB (356 bench reports: 8,888)
_TEXTS: dict[Any, bytes] = {}
_VALUES: dict[Any, bytes] = {}
# a bare mention's text -> its kind, value, value_max, reason and the tail they make
_BARE_TAILS: dict[Any, tuple[Any, Any, Any, Any, bytes]] = {}
_CHUNKS: dict[tuple[Any, ...], bytes] = {}


def _number(x: Any) -> bytes:
    """A value as json.dumps writes number_out(x); TypeError for NaN and infinities
    (json.dumps writes NaN, Infinity: the slow path does)."""
    if x is None:
        return b"null"
    if type(x) is Decimal:
        digits = str(x).encode("ascii")   # the type's own str, not a method call
        if digits.isdigit():              # a whole number written out: 270000 (not 2.7E+5)
            return digits
    r = repr(number_out(x))
    if r in ("nan", "inf", "-inf"):
        raise TypeError("not a finite number")
    return r.encode("ascii")


def _write_digits(w: BytesWriter, n: i64) -> None:
    """n >= 0 in decimal digits, as %d and json.dumps write it (compiled, the divisions
    by constants are multiplications; an offset has a handful of digits, written two a
    call: one call a digit took 7 % of the writer's instructions; now up to four digits
    a call, so most offsets' 4 to 6 digits take one or two)."""
    if n >= 10000:
        _write_digits(w, n // 10000)
        n = n % 10000                   # the last four digits, with their zeros
        w.append(u8(48 + n // 1000))
        w.append(u8(48 + n // 100 % 10))
    elif n >= 100:
        if n >= 1000:
            w.append(u8(48 + n // 1000))
        w.append(u8(48 + n // 100 % 10))
    elif n < 10:
        w.append(u8(48 + n))
        return
    w.append(u8(48 + n // 10 % 10))
    w.append(u8(48 + n % 10))


# the largest offset the digits writer takes: compiled, an int up to this is held in
# the machine word itself, so the range test is two C comparisons
_OFFSET_MAX: Final = 2**62 - 1


def _offset(x: Any) -> i64:
    """An offset as the digits writer takes it: an int (a bool is an int to the digits but
    true/false to json.dumps) from 0 to _OFFSET_MAX; TypeError for anything else, which
    the slow path writes (a sign, more digits)."""
    if type(x) is not int:
        raise TypeError("not an int")
    n: int = x
    if n < 0 or n > _OFFSET_MAX:
        raise TypeError("not an offset the digits writer takes")
    return i64(n)


def _write_int_or_null(w: BytesWriter, x: Any) -> None:
    if x is None:
        w.write(b"null")
    else:
        _write_digits(w, _offset(x))
