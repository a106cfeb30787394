"""The template of a record batch's IPC metadata for one schema, read from pyarrow's own.

etl/extraction/arrow_message.py writes a batch's IPC message from its buffers; the
metadata (a flatbuffer `Message` holding a `RecordBatch`, format/Message.fbs and
Schema.fbs) is laid out alike for every batch of a schema with rows, so it is made here
once: pyarrow serializes a one-row batch, and the bytes are cut at the numbers that
change from batch to batch (`RecordBatch.length`, `Message.bodyLength`, each `FieldNode`
and each `Buffer`). What comes back is the constant pieces and, for each cut, which
numbers go there (a run: the first, in the order `record_batch_message` numbers them,
and how many). Before it is used,
the writer and the template together must give pyarrow's own message for a sample batch
(nulls and none, empty and non-ASCII strings), so a pyarrow that lays its metadata out
otherwise makes the store serialize as before instead of writing other bytes.
"""
from __future__ import annotations

import struct
from typing import Callable

import pyarrow as pa

# buffers a column of each type has in a message: validity, [offsets,] values
_BUFFERS = {pa.int64(): 2, pa.float64(): 2, pa.bool_(): 2, pa.string(): 3}


def message_template(schema: pa.Schema, write: Callable[..., bytes]) -> tuple[list[bytes], list[int]] | None:
    """(pieces, slots) for `write` (`record_batch_message`), or None when the schema holds
    a type it does not lay out, or when `write` does not give pyarrow's own message for a
    sample batch (a pyarrow that lays its metadata out otherwise): then the caller
    serializes as before."""
    if not all(f.type in _BUFFERS for f in schema):
        return None
    template = _template(schema)
    if template is None:
        return None
    columns = [_sample(f.type, nulls=i % 2 == 0) for i, f in enumerate(schema)]
    sample = pa.RecordBatch.from_arrays([_array(f.type, c) for f, c in zip(schema, columns)], schema=schema)
    if write(*template, 3, columns) != sample.serialize().to_pybytes():
        return None
    return template


def _sample(typ: pa.DataType, nulls: bool) -> tuple[int, bytes | None, bytes | None, bytes]:
    """Three rows of a column as (null count, validity, offsets, values): the middle
    one null, or not (an empty string, a false)."""
    validity = b"\x05" if nulls else None
    if typ == pa.string():
        return int(nulls), validity, struct.pack("<4i", 0, 2, 2, 5), "ab万".encode()
    values = {pa.int64(): struct.pack("<3q", 7, 0, 9), pa.float64(): struct.pack("<3d", 1.5, 0.0, 2.5),
              pa.bool_(): b"\x01"}[typ]
    return int(nulls), validity, None, values


def _array(typ: pa.DataType, column: tuple[int, bytes | None, bytes | None, bytes]) -> pa.Array:
    nulls, validity, offsets, values = column
    parts = [validity] + ([offsets] if offsets is not None else []) + [values]
    return pa.Array.from_buffers(typ, 3, [None if p is None else pa.py_buffer(p) for p in parts], nulls)


def _template(schema: pa.Schema) -> tuple[list[bytes], list[int]] | None:
    """The pieces and slots, read from pyarrow's message for a batch of one row."""
    one_row = pa.RecordBatch.from_arrays([pa.nulls(1, f.type) for f in schema], schema=schema)
    message = one_row.serialize().to_pybytes()
    marker, size = struct.unpack_from("<Ii", message, 0)
    meta = memoryview(message)[8:8 + size]
    root = _u32(meta, 0)
    fields = _fields(meta, root)            # version, header_type, header, bodyLength ...
    if len(fields) < 4 or not fields[2] or not fields[3]:
        return None
    header = _ref(meta, root + fields[2])
    batch = _fields(meta, header)           # length, nodes, buffers ...
    if len(batch) < 3 or not all(batch[:3]):
        return None
    nodes = _ref(meta, header + batch[1])
    buffers = _ref(meta, header + batch[2])
    n_nodes, n_buffers = _u32(meta, nodes), _u32(meta, buffers)
    if (marker != 0xFFFFFFFF or n_nodes != len(schema)
            or n_buffers != sum(_BUFFERS[f.type] for f in schema)):
        return None
    # where each number sits in the metadata, by its index in record_batch_message's list
    at = {header + batch[0]: 0, root + fields[3]: 1}
    at.update((nodes + 4 + 8 * i, 2 + i) for i in range(2 * n_nodes))
    at.update((buffers + 4 + 8 * i, 2 + 2 * n_nodes + i) for i in range(2 * n_buffers))
    # cut at each number; numbers side by side in the metadata and in the writer's
    # order make one run (first, count): no empty piece between them
    pieces, slots, done = [], [], 0
    for pos in sorted(at):
        if slots and done == 8 + pos and at[pos] == slots[-2] + slots[-1]:
            slots[-1] += 1
        else:
            pieces.append(message[done:8 + pos])
            slots += [at[pos], 1]
        done = 8 + pos + 8
    pieces.append(message[done:8 + size])
    return pieces, slots


def _u32(meta: memoryview, pos: int) -> int:
    return struct.unpack_from("<I", meta, pos)[0]


def _ref(meta: memoryview, pos: int) -> int:
    """Where the offset stored at `pos` points (a table or a vector)."""
    return pos + _u32(meta, pos)


def _fields(meta: memoryview, table: int) -> list[int]:
    """The offsets of a flatbuffer table's fields from its vtable (0: not present)."""
    vtable = table - struct.unpack_from("<i", meta, table)[0]
    size = struct.unpack_from("<H", meta, vtable)[0]
    return list(struct.unpack_from(f"<{(size - 4) // 2}H", meta, vtable + 4))
