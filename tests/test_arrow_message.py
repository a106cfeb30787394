"""A record batch's IPC message written from the one pass's buffers
(etl/extraction/arrow_message.py, with the metadata template of etl/store/batch_message.py)
is the message pyarrow serializes for the same table, and the table read back from it
is the table the store made before (equal values, schema, IPC bytes, signature).
Run on the Python source here; on the compiled build as well when it is in place."""
from __future__ import annotations

import pickle

import pyarrow as pa
from hypothesis import given, settings

from etl.extraction import arrow_buffers, arrow_message
from etl.store import prepared
from etl.store.batch_message import message_template
from test_claim_columns import LONG, LONG_REPORT, builders, same_table, source_of, table_of, varied_claims
from test_store_prepared import REPORT, TEXT, good_claims


def writers():
    """The compiled modules when the build is in place, and the Python source's."""
    out = [(arrow_message, arrow_buffers)]
    if not arrow_message.__file__.endswith(".py"):
        out.append((source_of(arrow_message), source_of(arrow_buffers)))
    return out


def serialized(table: pa.Table, skip: list[str] = prepared._SIG_SKIP) -> bytes:
    """pyarrow's own message for the table's batch (by default without the columns the
    signature leaves out: what the signature hashed before)."""
    (batch,) = table.drop_columns(skip).to_batches()
    return batch.serialize().to_pybytes()


def check_report(report, claims, text):
    n = len(claims)
    table_template = message_template(prepared._SCHEMA, arrow_message.record_batch_message)
    sig_template = message_template(prepared._SIG_SCHEMA, arrow_message.record_batch_message)
    for build in builders():
        buffers, _ = build(claims, text)
        want = table_of((buffers, 0), n, report)
        for messages, columns in writers():
            assert messages.record_batch_message(*sig_template, n, buffers[1:]) == serialized(want)
            lead = [columns.repeated(report.report_id, n), buffers[0]]
            message, sig_head, at = messages.table_messages(*table_template, *sig_template, n, lead, buffers[1:])
            assert message == serialized(want, [])
            assert sig_head + message[at:] == serialized(want)
            got = prepared._table_from_message(message)
            assert same_table(got, want)
            assert got.schema.equals(prepared._SCHEMA, check_metadata=True)
            assert (prepared._signature(report, [sig_head, memoryview(message)[at:]])
                    == prepared._content_sig(report, want))


@settings(max_examples=100, deadline=None)
@given(varied_claims())
def test_message_is_pyarrows_own(claims):
    """Whatever the unchecked fields hold (nulls anywhere, empty, long, astral strings,
    all-null columns), the same bytes as serializing the table's batch."""
    if claims:
        check_report(LONG_REPORT, claims, LONG)


def test_one_claim_and_the_good_claims():
    claims = good_claims()
    check_report(REPORT, claims[:1], TEXT)
    check_report(REPORT, claims, TEXT)


def test_prepare_claims_takes_the_message_path_with_the_one_pass(monkeypatch):
    """With the one pass (compiled or its source), prepare_claims reads the table from
    the message: the same table and signature as the column-wise path."""
    claims = good_claims()
    results = []
    for fn in (builders()[-1], None):
        monkeypatch.setattr(prepared, "_ONE_PASS", [fn])
        results.append(prepared.prepare_claims(REPORT, claims))
    a, b = results
    assert isinstance(a.table.column("start").chunk(0).buffers()[1], pa.Buffer)
    assert same_table(a.table, b.table) and a.sig == b.sig and a.n_claims == b.n_claims
    # a table read from a message crosses to another process as itself
    assert same_table(pickle.loads(pickle.dumps(a.table, protocol=5)), b.table)


def test_no_message_without_claims():
    assert prepared._messages(REPORT.report_id, 0, []) is None


def test_a_repeated_string_is_pa_repeat():
    """The report id's column: the buffers pa.repeat makes (offsets and UTF-8; no
    validity), for an empty, a non-ASCII and an astral string, and no row."""
    for value in ("a" * 32, "", "报告.md", "\U00020000x"):
        for n in (0, 1, 3, 9):
            want = pa.repeat(pa.scalar(value, pa.string()), n)
            for _, columns in writers():
                nulls, validity, offsets, values = columns.repeated(value, n)
                got = pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(values)], nulls)
                assert validity is None and got.equals(want)
                assert [b.to_pybytes() for b in got.buffers()[1:]] == [b.to_pybytes() for b in want.buffers()[1:]]


def test_template_round_trips_another_schema():
    """The template is read from pyarrow's serialization of any schema of these types,
    not written for the claims' columns alone."""
    schema = pa.schema([("b", pa.bool_()), ("s", pa.string()), ("f", pa.float64()), ("i", pa.int64())])
    batch = pa.RecordBatch.from_arrays([pa.array([True, None, False]), pa.array(["ab", None, "万元"]),
                                        pa.array([1.5, 2.0, None]), pa.array([None, None, None], pa.int64())],
                                       schema=schema)
    columns = []
    for array in batch.columns:
        bufs = [b.to_pybytes() if b is not None else None for b in array.buffers()]
        validity, rest = bufs[0] if array.null_count else None, bufs[1:]
        offsets = rest[0] if len(rest) == 2 else None
        columns.append((array.null_count, validity, offsets, rest[-1]))
    for messages, _ in writers():
        write = messages.record_batch_message
        assert write(*message_template(schema, write), 3, columns) == batch.serialize().to_pybytes()


def test_no_template_for_other_types():
    assert message_template(pa.schema([("t", pa.timestamp("us"))]), arrow_message.record_batch_message) is None


def test_no_template_when_the_writer_is_not_pyarrows_layout():
    """The template is checked against pyarrow's own message for a sample batch once: a
    writer that lays out otherwise (here: one buffer's padding lost) is not used."""
    def unpadded(pieces, slots, n, columns):
        return arrow_message.record_batch_message(pieces, slots, n, columns)[:-1]
    assert message_template(prepared._SIG_SCHEMA, unpadded) is None
    assert message_template(prepared._SIG_SCHEMA, arrow_message.record_batch_message) is not None


def test_without_a_template_the_buffers_are_wrapped_as_before(monkeypatch):
    claims = good_claims()
    monkeypatch.setattr(prepared, "_ONE_PASS", [builders()[-1]])
    with_message = prepared.prepare_claims(REPORT, claims)
    monkeypatch.setattr(prepared, "_WRITE_MESSAGES", [None])
    without = prepared.prepare_claims(REPORT, claims)
    assert same_table(with_message.table, without.table) and with_message.sig == without.sig
