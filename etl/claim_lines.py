"""Claims as JSON Lines: the bytes `etl extract` writes, one object per mention.

The format is `json.dumps(claim.to_dict(), ensure_ascii=False)` per line (", " and ": "
between items), and stays so byte for byte (tests/test_claim_lines.py). Going through a
dict and json.dumps cost about half as much as extraction itself, so each line is one
bytes template filled with `%`: strings by the json module's own C string encoder (the
function json.dumps uses, so every escape is the same), ints by %d, Decimals by their
own digits when they are whole numbers (what json.dumps writes for the int
number_out gives).

Why bytes, and not one str per line encoded at the end: a line holding one Chinese
character is a two-byte-per-character string, and encoding those to UTF-8 runs
character by character (0.8 µs for a 530-character line, a fifth of the line's cost);
encoded field by field, only the Chinese fields go through that loop and the template
is copied as it is. Measured on 73,209 mentions (356 bench reports, in one run):
str lines joined and encoded 0.20-0.22 s, this 0.12-0.14 s.

Two shapes: a non-claim with nothing but its kind, value and reason (two thirds of all
mentions) fills a template with the null fields written in; anything else fills the
full one. Each report gets its own copy of the two templates with its name written in.
What repeats is filled once and kept across reports (emptied past 20,000 entries): the whole
tail of a bare non-claim (from its text on: 2021年, year, 2021, null, year_suffix),
and of a claim its text, its value, its is_claim/kind pair, its unit triple and its
ten fields from per to role_reason; a sentence is encoded once for the claims in it.
A line is then its report's template filled with start, end and those pieces: the
`%` fill costs by the argument (about 150 instructions each), so 26 arguments a claim
became 11 and 8 a bare non-claim became 3 (JSON Lines 1,150 M -> 996 M instructions,
−13%, on 73,531 bench mentions). Equal Decimals (1E+2 and 100) write the same number;
`1 == True == Decimal(1)`, so only Decimals and None go into the keys. A claim whose
fields are not of the types Claim declares goes through json.dumps.
(Measured too, on the same mentions: orjson, its output widened to this spacing by
bytes.replace, 0.67 s; json's C encoder on a dict per claim, 0.43 s.)
"""
from __future__ import annotations

import json
from decimal import Decimal
from json.encoder import encode_basestring
from typing import Iterable

from .claim import Claim, number_out

# the keys of Claim.to_dict, in order (tests/test_claim_lines.py checks them and the
# templates below)
KEYS: tuple[str, ...] = ("doc", "start", "end", "text", "is_claim", "kind", "value", "value_max",
                         "unit", "unit_class", "approx", "subject", "sentence", "sentence_start",
                         "sentence_end", "per", "aggregate", "change", "share_of", "reason",
                         "metric", "metric_evidence", "role", "counted", "role_reason", "of")

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
_BOOL = {True: b"true", False: b"false"}
_OPT_BOOL = {True: b"true", False: b"false", None: b"null"}
_CACHED = 4096      # strings kept encoded: the vocabularies are a few hundred


def _between(template: bytes, first: str, after: str | None) -> bytes:
    """The piece of `template` from the key `first` up to (not including) the ", " before
    the key `after` (to the end without it)."""
    i = template.index(b'"%s": ' % first.encode())
    j = template.index(b', "%s": ' % after.encode()) if after else len(template)
    return template[i:j]


# LINE and BARE in pieces, so that what repeats from line to line is filled once and
# kept: the fields after "text" of a bare non-claim (`_BARE_TAILS`), and of a claim the
# is_claim/kind pair, the unit triple and the ten fields from per to role_reason
# (`_CHUNKS`); a line is then the report's own template (its name written in) filled
# with start, end and those pieces.
_BARE_TAIL = _between(BARE, "is_claim", None)          # kind, value, value_max, reason
_IS_KIND = _between(LINE, "is_claim", "value")
_UNITS = _between(LINE, "unit", "subject")
_ROLES = _between(LINE, "per", "of")
_SENTENCE = _between(LINE, "sentence", "per")
_FULL = (b', "start": %d, "end": %d, "text": %s, %s, ' + _between(LINE, "value", "unit") +
         b', %s, "subject": %s, %s, %s, ' + _between(LINE, "of", None))


class _Encoded(dict):
    """A string (or None) -> its JSON, as UTF-8; filled on first use, up to _CACHED."""

    def __missing__(self, s: str) -> bytes:
        b = _E(s).encode("utf-8")         # TypeError for a non-string: the slow path
        if len(self) < _CACHED:
            self[s] = b
        return b


_ENCODED = _Encoded({None: b"null"})


def claim_line(claim: Claim) -> str:
    """One claim as the standard library writes it (the reference format)."""
    return json.dumps(claim.to_dict(), ensure_ascii=False)


def claims_jsonl(claims: Iterable[Claim]) -> bytes:
    """Claims as UTF-8 JSON Lines, each line ending in a newline; b"" for none."""
    E, J, T, V, C, n, nint = _E, _ENCODED, _TEXTS, _VALUES, _CHUNKS, _number, _int_or_null
    tails = _BARE_TAILS
    out: list[bytes] = []
    add = out.append
    doc: str | None = None
    bare = full = b""
    sentence: str | None = None
    s_start: int | None = None
    s_end: int | None = None
    sentence_e = b""
    for kept in (T, V, C, tails):       # bounded: emptied between reports when full
        if len(kept) > _KEPT:
            kept.clear()
    for c in claims:
        try:
            # every field in one call (a native Claim's fields cost a look-up each by name)
            (d, start, end, text, is_claim, kind, value, value_max, unit, unit_class, approx,
             subject, s, ss, se, per, aggregate, change, share_of, reason, metric, evidence,
             role, counted, of_start, of_end, role_reason) = c.field_values()
            # a bool is an int to %d but true/false to json.dumps
            if type(start) is not int or type(end) is not int or type(is_claim) is not bool:
                raise TypeError("not an int or a bool")
            if d is not doc:                  # one report's claims share its name
                head = b'{"doc": ' + E(d).encode("utf-8").replace(b"%", b"%%")
                bare = head + b', "start": %d, "end": %d, "text": %s'
                full = head + _FULL
                doc = d
            if (is_claim is False and unit is None and unit_class is None and approx is None
                    and subject is None and s == "" and ss is None
                    and se is None and per is None and aggregate is None
                    and change is None and share_of is None and metric is None
                    and evidence is None and role is None and counted is None
                    and role_reason is None and of_start is None
                    and (value is None or type(value) is Decimal)
                    and (value_max is None or type(value_max) is Decimal)):
                # 1 == Decimal(1) == True: only Decimals and None in the key
                key = (text, kind, value, value_max, reason)
                tail = tails.get(key)
                if tail is None:
                    tail = E(text).encode("utf-8") + b", " + _BARE_TAIL % (
                        J[kind], n(value), n(value_max), J[reason])
                    tails[key] = tail
                add(bare % (start, end, tail))
                continue
            # mentions repeat their text (2021年, 第一) and value: each encoded once
            text_e = T.get(text)
            if text_e is None:
                text_e = T[text] = E(text).encode("utf-8")   # TypeError for a non-string
            if type(value) is Decimal:        # equal Decimals write the same number
                value_e = V.get(value)
                if value_e is None:
                    value_e = V[value] = n(value)
            else:
                value_e = n(value)
            if counted is not None and type(counted) is not bool:   # 1 == True to a dict
                raise TypeError("not a bool")
            if (ss is not None and type(ss) is not int) or (se is not None and type(se) is not int):
                raise TypeError("not an int")      # False == 0 to the reuse test below
            if s != sentence or ss != s_start or se != s_end:   # a third share the one before's
                sentence_e = _SENTENCE % (E(s).encode("utf-8"), nint(ss), nint(se))
                sentence, s_start, s_end = s, ss, se
            k1, k2 = (is_claim, kind), (unit, unit_class, approx)
            k3 = (per, aggregate, change, share_of, reason, metric, evidence, role, counted,
                  role_reason)
            is_kind = C.get(k1)
            if is_kind is None:
                is_kind = C[k1] = _IS_KIND % (_BOOL[is_claim], J[kind])
            units = C.get(k2)
            if units is None:
                units = C[k2] = _UNITS % (J[unit], J[unit_class], J[approx])
            roles = C.get(k3)
            if roles is None:
                roles = C[k3] = _ROLES % (J[per], J[aggregate], J[change], J[share_of], J[reason],
                                          J[metric], b"null" if evidence is None else J[evidence],
                                          J[role], _OPT_BOOL[counted], J[role_reason])
            add(full % (start, end, text_e, is_kind, value_e,
                        b"null" if value_max is None else n(value_max), units,
                        b"null" if subject is None else E(subject).encode("utf-8"), sentence_e, roles,
                        b"null" if of_start is None else b"[%s, %s]" % (nint(of_start), nint(of_end))))
        except (TypeError, KeyError, AttributeError):
            add((claim_line(c) + "\n").encode("utf-8"))
    return b"".join(out)


# kept across reports, emptied when past _KEPT: mention texts and Decimal values
# encoded, the tails of bare non-claims, the repeating pieces of claims' lines
_KEPT = 20_000      # a bare tail is ~430 bytes: at most ~10 MB (356 bench reports: 8,888)
_TEXTS: dict[str, bytes] = {}
_VALUES: dict[Decimal, bytes] = {}
_BARE_TAILS: dict[tuple, bytes] = {}
_CHUNKS: dict[tuple, bytes] = {}


def _number(x: Decimal | None) -> bytes:
    """A value as json.dumps writes number_out(x); TypeError for NaN and infinities
    (json.dumps writes NaN, Infinity: the slow path does)."""
    if x is None:
        return b"null"
    if type(x) is Decimal:
        digits = x.__str__().encode("ascii")
        if digits.isdigit():              # a whole number written out: 270000 (not 2.7E+5)
            return digits
    r = repr(number_out(x))
    if r in ("nan", "inf", "-inf"):
        raise TypeError("not a finite number")
    return r.encode("ascii")


def _int_or_null(x: int | None) -> bytes:
    if x is None:
        return b"null"
    if type(x) is not int:
        raise TypeError("not an int")
    return b"%d" % x

