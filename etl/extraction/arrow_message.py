"""A record batch as Arrow's IPC message, written from its columns' buffers.

The store's table stage needs each report's claims twice over: as an Arrow table, and as
the IPC bytes of that table without the report id and the file name, which the content
signature hashes. Wrapping each column's buffers as an array (`pa.Array.from_buffers`,
~26 calls a report) and serializing the batch again costs more than writing the message
once and reading the table back from it (`pa.ipc.read_record_batch`, one call, no copy):
bench/RESULTS.md, branch table31. The table's message holds the report id and the file
name too (`table_messages`), so that no column of the table is made apart by pyarrow (a
scalar, a repeat and two `add_column`s a report: branch table32); the signature's message
is the same body without those two columns' buffers, under its own metadata.

The message is the one `RecordBatch.serialize()` writes: a continuation marker, the
length of the metadata, the metadata (a flatbuffer), then the body, each buffer padded to
8 bytes. For a given schema the metadata is always laid out alike; only its numbers
change (the row count, the body's length, each column's length and null count, each
buffer's offset and length). So the metadata comes as a template made once by pyarrow
(etl/store/batch_message.py): the constant bytes between those numbers and which number
goes where.

Compiled with the extraction modules (native.py MODULES), beside arrow_buffers.py whose
buffers it lays out.
"""
from __future__ import annotations

from typing import Final

from librt.strings import BytesWriter, write_i64_le
from mypy_extensions import i64

# Zero bytes padding a buffer of the body to a multiple of 8, by how many are missing
_PADDING: Final = (b"", b"\0", b"\0" * 2, b"\0" * 3, b"\0" * 4, b"\0" * 5, b"\0" * 6, b"\0" * 7)


def record_batch_message(pieces: list[bytes], slots: list[int], n: i64,
                         columns: list[tuple[int, bytes | None, bytes | None, bytes]]) -> bytes:
    """The IPC message of a batch of `n` rows (n > 0) whose columns are `columns`, each
    (null count, validity bitmap or None when nothing is null, int32 offsets or None,
    values): arrow_buffers' `buffers()`. `pieces` are the metadata template's constant
    bytes (the continuation marker and length included), one more than the runs in
    `slots`, which holds (first, count) pairs: run i, between piece i and piece i + 1,
    holds `count` numbers from number `first` on, of: the row count, the body's length,
    each column's (length, null count), each buffer's (offset, length). (Numbers are
    written as runs, not one by one: 4 runs for ~200 numbers, bench/RESULTS.md table33.)"""
    parts = [_metadata(pieces, slots, n, columns)]
    _body(parts, columns)
    return b"".join(parts)


def table_messages(pieces: list[bytes], slots: list[int], sig_pieces: list[bytes], sig_slots: list[int],
                   n: i64, lead: list[tuple[int, bytes | None, bytes | None, bytes]],
                   columns: list[tuple[int, bytes | None, bytes | None, bytes]]) -> tuple[bytes, bytes, i64]:
    """(the message of the batch of `lead` + `columns` under the template (pieces,
    slots); the metadata of the message of `columns` alone under (sig_pieces, sig_slots);
    where in the first message the second one's body starts): the body of `columns`
    alone is the first message's last bytes, so it is written once."""
    head = _metadata(pieces, slots, n, lead + columns)
    parts = [head]
    at: i64 = len(head) + _body(parts, lead)
    _body(parts, columns)
    return b"".join(parts), _metadata(sig_pieces, sig_slots, n, columns), at


def _metadata(pieces: list[bytes], slots: list[int], n: i64,
              columns: list[tuple[int, bytes | None, bytes | None, bytes]]) -> bytes:
    """The message's metadata: the template with the numbers in its slots."""
    # the numbers as 8 little-endian bytes each, in that order (no Python int per number)
    nodes = BytesWriter()
    buffers = BytesWriter()
    offset: i64 = 0
    for nulls, validity, offsets, values in columns:
        write_i64_le(nodes, n)
        write_i64_le(nodes, nulls)
        # no bitmap is written for a column without nulls: an empty buffer in its place
        offset = _buffer(buffers, offset, validity if nulls else None)
        if offsets is not None:
            offset = _buffer(buffers, offset, offsets)
        offset = _buffer(buffers, offset, values)
    numbers = BytesWriter()
    write_i64_le(numbers, n)
    write_i64_le(numbers, offset)
    numbers.write(nodes.getvalue())
    numbers.write(buffers.getvalue())
    raw = numbers.getvalue()
    out = BytesWriter()
    out.write(pieces[0])
    # slots holds runs of numbers that stand side by side: (first number, count) pairs
    for i in range(len(slots) >> 1):
        first: i64 = slots[2 * i]
        count: i64 = slots[2 * i + 1]
        out.write(raw[8 * first:8 * (first + count)])
        piece = pieces[i + 1]
        if len(piece):
            out.write(piece)
    return out.getvalue()


def _body(parts: list[bytes], columns: list[tuple[int, bytes | None, bytes | None, bytes]]) -> i64:
    """Appends the body's pieces to `parts`: the columns' buffers in order, each padded to
    8 bytes (joined once at the end: one copy of each, no growing buffer); their length."""
    size: i64 = 0
    for nulls, validity, offsets, values in columns:
        if nulls and validity is not None:
            size += _padded(parts, validity)
        if offsets is not None:
            size += _padded(parts, offsets)
        size += _padded(parts, values)
    return size


def _buffer(buffers: BytesWriter, offset: i64, data: bytes | None) -> i64:
    """Records a buffer's (offset, length); the next buffer's offset."""
    size: i64 = 0 if data is None else len(data)
    write_i64_le(buffers, offset)
    write_i64_le(buffers, size)
    return offset + (size + 7 & -8)


def _padded(parts: list[bytes], data: bytes) -> i64:
    size: i64 = len(data)
    if size:
        parts.append(data)
        missing: i64 = -size & 7
        if missing:
            parts.append(_PADDING[missing])
    return size + (-size & 7)
