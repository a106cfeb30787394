"""A report's claims made ready for the store, with no database in sight.

`prepare_claims` checks the one invariant every page relies on
(``report.text[start:end] == claim.text``) and the enums, and turns the claims into one
Arrow table with the claims table's columns (but the claim ids, which DuckDB computes as
it inserts) plus a content signature. Workers (and Dask tasks) make it, so the one
writing process only inserts.
"""
from __future__ import annotations

import hashlib
import math
import operator
from decimal import Decimal
from functools import partial
from operator import attrgetter
from typing import Any

import pyarrow as pa

from ..claim import APPROX_KINDS, NON_CLAIM_KINDS, ROLES, UNIT_CLASSES, Claim, claim_ids, content_hash
from ..report import Report
from .batch_message import message_template
from .meta_json import meta_json
from .schema import CLAIM_COLUMNS, CLAIM_FIELDS, claim_column_types, prepared_schema


# What each column of the claims table is made from: a Claim attribute (and whether it
# is a number the store keeps as DOUBLE), or nothing (a column no Claim field fills).
_TYPES = claim_column_types()
_PLAN: tuple[tuple[str, Any, bool], ...] = tuple(
    (name, attrgetter(name) if name in CLAIM_FIELDS else None, _TYPES[name] == "DOUBLE")
    for name in CLAIM_COLUMNS[2:])
_SCHEMA = prepared_schema()
_NUMBER_TYPES = frozenset({type(None), Decimal, int, float})
# the Claim fields the table is made of, in column order, read in one call per claim
_FIELDS = tuple(name for name, get, _ in _PLAN if get is not None)
_ROW = attrgetter(*_FIELDS)
_DOUBLES = tuple(name for name, get, double in _PLAN if get is not None and double)
_not_none = partial(operator.is_not, None)


def _claims_table(report_id: str, claims: list[Claim]) -> pa.Table:
    """The claims as one Arrow table with the prepared columns (the claims table's
    but claim_id, which DuckDB makes as it inserts: `schema.CLAIM_ID_SQL`), built a
    column at a time, no Python work per claim beyond reading its fields."""
    cols = _columns(claims)
    return _table(report_id, cols, _floats(cols), len(claims))


def _columns(claims: list[Claim]) -> dict[str, tuple]:
    """Each Claim field's values as a tuple, in CLAIM_COLUMNS order: one C-level call
    per claim reads all its fields as a row, and zip turns the rows into columns (a
    third cheaper than one `map` over the claims per field: 1 call per claim, not 24)."""
    if not claims:
        return {name: () for name in _FIELDS}
    return dict(zip(_FIELDS, zip(*map(_ROW, claims))))


def _floats(cols: dict[str, tuple]) -> dict[str, list]:
    """The DOUBLE columns as floats (None stays None), for any numbers validate_claims lets
    through."""
    return {name: [None if v is None else float(v) for v in cols[name]] for name in _DOUBLES}


def _finite_floats(vals: tuple) -> list | None:
    """The column as floats, or None when a value is not a finite Decimal, int or float
    (or is one only a claim-by-claim look can tell: validate_claims then decides).
    The conversion the table needs anyway doubles as the check."""
    if not set(map(type, vals)) <= _NUMBER_TYPES:       # bool, str ... are not numbers
        return None
    try:
        out = [None if v is None else float(v) for v in vals]
    except (ValueError, OverflowError):                 # Decimal("sNaN"), an int beyond floats
        return None
    # a sum is nan or inf when any term is; finite terms that overflow it only send the
    # report to validate_claims
    return out if math.isfinite(sum(filter(_not_none, out))) else None


# each column's Arrow type, looked up once (a schema's field by name and its type are
# new Python objects on every look-up: 25 of each a report)
_COLUMN_TYPES = tuple(_SCHEMA.field(name).type for name, _, _ in _PLAN)
_STRING = pa.string()


def _table(report_id: str, cols: dict[str, tuple], floats: dict[str, list], n: int) -> pa.Table:
    arrays = [_report_ids(report_id, n)]
    for (name, get, double), typ in zip(_PLAN, _COLUMN_TYPES):
        vals = None if get is None else floats[name] if double else cols[name]
        # a column with no value in this report (per, share_of, of_* in most): made
        # without a conversion; the same array and IPC bytes as converting n Nones.
        # A first value that is there settles it without counting (start, text ...).
        if vals is None or (not n or vals[0] is None) and vals.count(None) == n:
            arrays.append(pa.nulls(n, typ))
        elif name == "doc":
            arrays.append(_docs(vals, typ, n))
        else:
            arrays.append(pa.array(vals, typ))
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


def _report_ids(report_id: str, n: int) -> pa.Array:
    # one report id for every row: repeated in C, not a list of n references converted
    return pa.repeat(pa.scalar(report_id, _STRING), n)


def _docs(vals: Any, typ: pa.DataType, n: int) -> pa.Array:
    if vals.count(vals[0]) == n:
        # one file name for every row (as extraction gives it): repeated in C, the
        # same array as converting the list (doc is outside the signature anyway)
        return pa.repeat(pa.scalar(vals[0], typ), n)
    return pa.array(vals, typ)


def _table_from_buffers(report_id: str, buffers: list[tuple], n: int) -> pa.Table:
    """The table `_table` makes, from the one pass's columns as Arrow buffers (each
    field as (null count, validity, offsets, values) bytes): wrapped, not converted value
    by value. The same arrays and IPC bytes (tests/test_claim_columns.py). Used when the
    message cannot be written (`_messages`)."""
    arrays = [_report_ids(report_id, n)]
    if not n:
        return pa.Table.from_arrays(arrays + [pa.nulls(0, typ) for typ in _COLUMN_TYPES], schema=_SCHEMA)
    parts = iter(buffers)
    for (name, get, _), typ in zip(_PLAN, _COLUMN_TYPES):
        nulls, validity, offsets, values = next(parts) if get is not None else (n, None, None, b"")
        if nulls == n:                  # as `_table`: no value in this report
            arrays.append(pa.nulls(n, typ))
            continue
        bufs = [None if validity is None else _BUFFER(validity), _BUFFER(values)]
        if offsets is not None:
            bufs.insert(1, _BUFFER(offsets))
        arrays.append(_FROM_BUFFERS(typ, n, bufs, nulls))
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


_BUFFER = pa.py_buffer
_FROM_BUFFERS = pa.Array.from_buffers


def _table_from_message(message: bytes) -> pa.Table:
    """The table `_table_from_buffers` makes, read back from the IPC message of the same
    buffers and the report id (`_messages`): one read, its arrays views of the message's
    bytes."""
    return _ONE_BATCH([_READ_BATCH(_BUFFER(message), _SCHEMA)])


_READ_BATCH = pa.ipc.read_record_batch
_ONE_BATCH = pa.Table.from_batches


# Content signatures carry their scheme: "2:" + sha1 over the report's metadata and the
# IPC stream of the prepared table without the file name and the report id. Scheme 1
# (no prefix) hashed the table with its claim ids and report ids: half again as many
# bytes to copy and hash, and the ids cost a sha1 per claim in Python. A stored scheme-1
# signature is checked once with `legacy_sig` (etl/store/writes.py), so a store built
# before is not re-saved. (Hashing the column buffers one by one, without the stream's
# copy, was slower: the Python calls per buffer cost more than the copy saves.)
SIG_SCHEME = "2:"
# Columns the signature leaves out: the file name (the same text may arrive under
# another name) and the report id (in the metadata hashed already).
_SIG_SKIP = ["doc", "report_id"]


def _content_sig(report: Report, table: pa.Table) -> str:
    """Hash of everything a save would write, except names (doc/path), which may differ
    when the same text arrives under another file name. `table` is in span order
    (prepare_claims sorts claims that are not), so the same claims in another order
    give the same signature."""
    return _signature(report, [batch.serialize() for batch in table.drop_columns(_SIG_SKIP).to_batches()])


def _signature(report: Report, batch_messages: list) -> str:
    """`_content_sig` from the IPC messages of the table's batches without the skipped
    columns (each message whole, or in consecutive pieces)."""
    h = hashlib.sha1()
    h.update(_meta_json(report))
    # the IPC stream of the table without the skipped columns, as pieces: its schema
    # message (the same for every report: made once), each record batch's message, the
    # end-of-stream marker. The same bytes as `_ipc_bytes` (tests/test_store_prepared.py)
    # without a stream writer and its copy of the whole stream per report.
    h.update(_SIG_SCHEMA_MESSAGE)
    for message in batch_messages:
        h.update(message)
    h.update(_END_OF_STREAM)
    return SIG_SCHEME + h.hexdigest()


def _ipc_bytes(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    # the options pyarrow would pick from the environment, fixed: the bytes hashed do
    # not depend on ARROW_* variables (and the variables are not looked up per report)
    with pa.ipc.new_stream(sink, table.schema, options=_IPC_OPTIONS) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _meta_json(report: Report) -> bytes:
    # json.dumps of the report's fields but doc, path and text (sorted keys, no ASCII
    # escapes, str() of what JSON has no type for), laid out by etl/store/meta_json.py
    return meta_json(report)


def legacy_sig(report: Report, table: pa.Table) -> str:
    """The scheme-1 signature of a prepared table (what a store built before issue 23's
    branch run23f holds): the IPC stream of the table with its claim ids, sorted by
    span. Only for a report whose stored signature is of that scheme."""
    h = hashlib.sha1()
    h.update(_meta_json(report))
    starts, ends = table.column("start").to_pylist(), table.column("end").to_pylist()
    body = table.add_column(0, "claim_id", pa.array(claim_ids(report.report_id, starts, ends), pa.string()))
    body = body.drop_columns(["doc"])
    if not _in_span_order(starts, ends):
        body = body.sort_by([("start", "ascending"), ("end", "ascending")])
    h.update(_ipc_bytes(body))
    return h.hexdigest()


_IPC_OPTIONS = pa.ipc.IpcWriteOptions(metadata_version=pa.ipc.MetadataVersion.V5)
# the signature's stream pieces that never change (V5 metadata is what serialize() writes)
_SIG_SCHEMA = pa.schema([f for f in _SCHEMA if f.name not in _SIG_SKIP], metadata=_SCHEMA.metadata)
_SIG_SCHEMA_MESSAGE = _SIG_SCHEMA.serialize()
# the table's message holds the signature's columns after the two it leaves out, the
# report id (made apart) and the doc (the one pass's first column): `_messages`
assert _SCHEMA.names[:2] == ["report_id", "doc"] and _SIG_SCHEMA.names == _SCHEMA.names[2:]
_END_OF_STREAM = b"\xff\xff\xff\xff\x00\x00\x00\x00"


def _in_span_order(starts: list, ends: list) -> bool:
    """Spans in strictly increasing (start, end) order, hence distinct."""
    if None in starts or None in ends:
        return False
    try:
        if all(map(operator.lt, starts, starts[1:])):     # the usual case: no tuples made
            return True
        return all(map(operator.lt, zip(starts, ends), zip(starts[1:], ends[1:])))
    except TypeError:           # not numbers: _valid says so
        return False


def _valid(report: Report, cols: dict[str, tuple], in_order: bool | None = None) -> bool:
    """True when `validate_claims` would find no problem, checked a column at a time
    (set, map and slice work in C). False means: ask validate_claims what is wrong
    (it may still find nothing, for an unusual but valid value type)."""
    return (all(_finite_floats(cols[name]) is not None for name in _DOUBLES)
            and _valid_but_numbers(report, cols, in_order))


def _valid_but_numbers(report: Report, cols: dict[str, tuple], in_order: bool | None = None) -> bool:
    """`_valid` without the DOUBLE columns' check (`_finite_floats` makes and checks them)."""
    text, n = report.text, len(report.text)
    starts, ends = cols["start"], cols["end"]
    if report.report_id != content_hash(text):
        return False
    if not set(map(type, starts)) | set(map(type, ends)) <= {int}:
        return False
    if starts and (min(starts) < 0 or max(ends) > n or not all(map(operator.le, starts, ends))):
        return False
    if tuple(map(text.__getitem__, map(slice, starts, ends))) != cols["text"]:
        return False
    # spans in strict order are distinct (extraction gives them so): no set to build
    if in_order is None:
        in_order = _in_span_order(starts, ends)
    if not in_order and len(set(zip(starts, ends))) != len(starts):
        return False
    try:
        if not all(set(cols[name]) <= allowed for name, allowed in _ENUMS):
            return False
    except TypeError:           # an unhashable value
        return False
    # the checks that pair two columns look at each distinct pair once (a handful)
    counted, roles = cols["counted"], cols["role"]
    if not set(map(type, counted)) <= {type(None), bool}:
        return False
    if any(c is not None and c != (r == "total") for c, r in set(zip(counted, roles))):
        return False
    of_start, of_end = cols["of_start"], cols["of_end"]
    if not set(map(type, of_start)) | set(map(type, of_end)) <= {type(None), int}:
        return False
    for a, b in set(zip(of_start, of_end)):
        if (a is None) != (b is None) or (a is not None and not 0 <= a < b <= n):
            return False
    return True


_ENUM_FIELDS = (("unit_class", UNIT_CLASSES), ("approx", APPROX_KINDS), ("kind", NON_CLAIM_KINDS),
                ("role", ROLES))
_ENUMS = tuple((name, frozenset((None, *allowed))) for name, allowed in _ENUM_FIELDS)


def validate_claims(report: Report, claims: list[Claim]) -> list[str]:
    """Problems that make a batch of claims unsavable, one line each ([] if fine).

    The offset invariant ``report.text[start:end] == claim.text`` is the one every
    page relies on; enums are checked so the store never holds values the dashboard's
    filters cannot show.
    """
    problems: list[str] = []
    text, n = report.text, len(report.text)
    if report.report_id != content_hash(text):
        # claim ids, dedup of renamed files and corrections all rest on this
        problems.append(f"report_id {report.report_id!r} is not content_hash(text) "
                        f"({content_hash(text)!r})")
    seen: dict[tuple[int, int], int] = {}
    enums = _ENUM_FIELDS
    for i, c in enumerate(claims):
        start, end, ctext = c.start, c.end, c.text
        bad = []
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= n):
            bad.append(f"span outside the report text (length {n})")
        elif text[start:end] != ctext:
            bad.append(f"text != report.text[start:end] ({text[start:end]!r})")
        j = seen.setdefault((start, end), i)
        if j != i:
            bad.append(f"same span as claim #{j}")
        for name, allowed in enums:
            v = getattr(c, name)
            if v is not None and v not in allowed:
                bad.append(f"{name} {v!r} not in {allowed}")
        for name in ("value", "value_max"):
            v = getattr(c, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float, Decimal))
                                  or not math.isfinite(v)):
                bad.append(f"{name} {v!r} is not a finite number (Decimal, int or float)")
        if c.counted is not None and (not isinstance(c.counted, bool) or c.counted != (c.role == "total")):
            bad.append(f"counted {c.counted!r} does not follow role {c.role!r} (only a total counts)")
        if (c.of_start is None) != (c.of_end is None) or (
                c.of_start is not None and not (0 <= c.of_start < c.of_end <= n)):
            bad.append(f"of [{c.of_start}, {c.of_end}] is not a span of the report text")
        if bad:
            problems.append(f"claim #{i} {ctext!r} [{start}:{end}]: " + "; ".join(bad))
            if len(problems) >= 20:
                problems.append("... (stopped after 20 bad claims)")
                break
    return problems


class BadClaims(ValueError):
    """Claims that break the offset invariant or an enum; `problems` has one line each."""

    def __init__(self, doc: str, problems: list[str]):
        super().__init__(f"{doc}: {len(problems)} bad claim(s), nothing saved:\n  " + "\n  ".join(problems))
        self.problems = problems


class PreparedClaims:
    """A report's claims as the store writes them: validated, one Arrow table with
    the claims table's columns but claim_id (`prepared_schema`), and the content
    signature. Making it touches no
    database, so worker processes make it and the one writer only inserts (an Arrow
    table also crosses between processes far cheaper than a list of Claims).

    From the compiled one pass the table is held as its IPC message (`message`) and
    read only when asked for: the writer reads a batch's messages into one table
    (`claims_table`), not a table per report in the reading thread."""
    __slots__ = ("_table", "sig", "n_claims", "n_mentions", "text_utf8", "message", "_sig_head", "_sig_body_at")

    def __init__(self, table: pa.Table | None, sig: str | None, n_claims: int, text_utf8: bytes | None = None,
                 *, message: bytes | None = None, rows: int | None = None,
                 sig_head: bytes | None = None, sig_body_at: int = 0) -> None:
        self._table = table
        # the content signature; None until `sign` (it hashes the report's metadata too)
        self.sig = sig
        self.n_claims = n_claims          # rows with is_claim (the rest are non-claim mentions)
        self.n_mentions = table.num_rows if table is not None else rows
        # the report text's UTF-8 when its maker had it (the report id's hash, `prepare_claims`):
        # the store's reports table takes these bytes instead of encoding the text again
        self.text_utf8 = text_utf8
        # the table's IPC message (its schema `prepared_schema`), when the table is not read yet
        self.message = message
        # the signature's own message metadata and where the message's body it shares begins
        self._sig_head = sig_head
        self._sig_body_at = sig_body_at

    def sign(self, report: Report) -> str:
        """The content signature of these claims with `report`'s metadata (`_content_sig`),
        made where the report is described: by `prepare_claims`, or by a one-worker run's
        writer, which describes its reports itself (etl/pipeline.py, `described`)."""
        if self._sig_head is not None and self.message is not None:
            # the signature's message: its own metadata, then the same body as the
            # table's without the report id's and the doc's buffers
            self.sig = _signature(report, [self._sig_head, memoryview(self.message)[self._sig_body_at:]])
        else:
            self.sig = _content_sig(report, self.table)
        return self.sig

    @property
    def table(self) -> pa.Table:
        if self._table is None:         # two threads may both read it: the same table
            self._table = _table_from_message(self.message)
        return self._table

    def __reduce__(self):
        return _prepared_claims, (self._table, self.sig, self.n_claims, self.text_utf8, self.message,
                                  self.n_mentions, self._sig_head, self._sig_body_at)

    def __repr__(self) -> str:
        return f"PreparedClaims(n_mentions={self.n_mentions}, n_claims={self.n_claims}, sig={self.sig!r})"


def _prepared_claims(table, sig, n_claims, text_utf8, message, rows, sig_head=None, sig_body_at=0) -> PreparedClaims:
    return PreparedClaims(table, sig, n_claims, text_utf8, message=message, rows=rows, sig_head=sig_head,
                          sig_body_at=sig_body_at)


def claims_table(parts: list[PreparedClaims | pa.Table]) -> pa.Table:
    """The claims of `parts` (prepared reports, or tables of the prepared schema), in
    order, as one table with one chunk per column. A report held as its message is
    read as a record batch (a view of the message) and joins the others' batches: no
    table per report. (Joining the messages into one IPC stream read at once cost more
    than these reads: a copy of every message.)"""
    batches: list[pa.RecordBatch] = []
    for p in parts:
        if isinstance(p, PreparedClaims):
            if p._table is None and p.message is not None:
                batches.append(_READ_BATCH(_BUFFER(p.message), _SCHEMA))
                continue
            p = p.table
        batches.extend(p.to_batches())
    return _FROM_BATCHES(batches, schema=_SCHEMA).combine_chunks()


_FROM_BATCHES = pa.Table.from_batches


def prepare_claims(report: Report, claims: list[Claim], *, text_utf8: bytes | None = None,
                   signed: bool = True) -> PreparedClaims:
    """Validate and convert; BadClaims (a ValueError) names the bad claims.
    `text_utf8`: `report.text` as UTF-8, from a caller that encoded it for the report id
    (`content_hash_and_utf8`), kept for the store's reports table. `signed=False`: the
    report's metadata is not known yet, and `PreparedClaims.sign` makes the signature
    once it is.

    The one place claims are checked before the store. From the compiled build, one
    pass over the claims reads and checks every field and writes it into its Arrow
    column's buffers (etl/extraction/claim_columns.py), which are laid out as the IPC
    message of the table (`_messages`), whose body the signature hashes too, and the
    table is read back from that message, not converted; otherwise, or when that pass
    is not sure, the checks run on the columns the table is built from (`_valid`), and
    only when those fail does `validate_claims` go claim by claim to say what is wrong.
    The table is in span order, as extraction gives it (claims in another order are
    sorted first)."""
    one_pass = _one_pass()
    built = one_pass(claims, report.text) if one_pass is not None else None
    if built is not None and report.report_id == content_hash(report.text):
        buffers, n_claims = built
        messages = _messages(report.report_id, len(claims), buffers)
        if messages is not None:
            message, sig_head, sig_body_at = messages
            prep = PreparedClaims(None, None, n_claims, text_utf8, message=message, rows=len(claims),
                                  sig_head=sig_head, sig_body_at=sig_body_at)
            if signed:
                prep.sign(report)
            return prep
        table = _table_from_buffers(report.report_id, buffers, len(claims))
    else:
        cols, floats = _checked_columns(report, claims)
        table = _table(report.report_id, cols, floats, len(claims))
        n_claims = cols["is_claim"].count(True)
    prep = PreparedClaims(table, None, n_claims, text_utf8)
    if signed:
        prep.sign(report)
    return prep


def _checked_columns(report: Report, claims: list[Claim]) -> tuple[dict[str, tuple], dict[str, list]]:
    """The columns and the DOUBLE columns as floats, checked a column at a time, in span
    order; BadClaims when validate_claims finds a problem."""
    cols = _columns(claims)
    in_order = _in_span_order(cols["start"], cols["end"])
    floats = {name: _finite_floats(cols[name]) for name in _DOUBLES}
    if None in floats.values() or not _valid_but_numbers(report, cols, in_order):
        problems = validate_claims(report, claims)
        if problems:
            raise BadClaims(report.doc, problems)
    if not in_order:
        cols = _columns(sorted(claims, key=_SPAN))
    if not in_order or None in floats.values():
        floats = _floats(cols)
    return cols, floats


def _one_pass() -> Any:
    """etl/extraction/claim_columns.claim_columns when the compiled build runs, else None
    (its Python source is slower than the column-wise path). Looked up on first use, so
    a process that never prepares claims does not load the build."""
    if not _ONE_PASS:
        from ..extraction import BUILD
        fn = None
        if BUILD.startswith("compiled"):
            from ..extraction.claim_columns import FIELDS, claim_columns
            if FIELDS == _FIELDS:
                fn = claim_columns
        _ONE_PASS.append(fn)
    return _ONE_PASS[0]


_ONE_PASS: list[Any] = []


def _messages(report_id: str, n: int, buffers: list[tuple]) -> tuple[bytes, bytes, int] | None:
    """The IPC message of the table's batch (the report id repeated, then the one
    pass's columns), the metadata of the signature's message and where its body starts
    in the table's message (etl/extraction/arrow_message.py `table_messages`: the same
    bytes as serializing the table's batch and the signature's); None for a report
    without claims (a table with no rows has no batch: the signature hashes none) or when
    a schema has no template."""
    if not n:
        return None
    if not _WRITE_MESSAGES:
        from ..extraction.arrow_buffers import repeated
        from ..extraction.arrow_message import record_batch_message, table_messages
        table = message_template(_SCHEMA, record_batch_message)
        sig = message_template(_SIG_SCHEMA, record_batch_message)
        _WRITE_MESSAGES.append(None if table is None or sig is None else
                               (partial(table_messages, *table, *sig), repeated))
    if _WRITE_MESSAGES[0] is None:
        return None
    write, repeated = _WRITE_MESSAGES[0]
    return write(n, [repeated(report_id, n), buffers[0]], buffers[1:])


_WRITE_MESSAGES: list[Any] = []
_SPAN = attrgetter("start", "end")
