"""A prepared report holds its claims' table as the IPC message the one pass wrote, and
the writer reads a batch's messages as one table (`prepared.claims_table`): the same
table, row for row and chunk for chunk, as reading each report's table and
concatenating them, in any mix with tables given as such (a run's rewritten first
batch, a report without claims, a worker's pickled report)."""
from __future__ import annotations

import pickle
from pathlib import Path

import pyarrow as pa
import pytest

from etl.pipeline import process_file
from etl.store import prepared
from etl.store.schema import prepared_schema

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))      # 5 reports


@pytest.fixture(scope="module")
def preps():
    out = [process_file(p, for_store=True).prepared for p in CORPUS]
    assert all(p is not None for p in out)
    return out


def concatenated(parts) -> pa.Table:
    """What the writer inserted before: each report's table, concatenated, one chunk."""
    tables = [p if isinstance(p, pa.Table) else p.table for p in parts]
    return pa.concat_tables(tables).combine_chunks()


def fresh(p: prepared.PreparedClaims) -> prepared.PreparedClaims:
    """The same report, its table not read yet (a pickled copy keeps the message)."""
    return pickle.loads(pickle.dumps(p))


def test_the_same_table_as_the_reports_tables_concatenated(preps):
    from etl.extraction import BUILD
    if not BUILD.startswith("compiled"):
        pytest.skip("the message is written by the compiled one pass only")
    held = [fresh(p) for p in preps]
    assert all(p.message is not None and p._table is None for p in held if p.n_mentions)
    got = prepared.claims_table(held)
    want = concatenated(preps)
    assert got.equals(want) and got.schema.equals(want.schema, check_metadata=True)
    assert got.num_rows == sum(p.n_mentions for p in preps) and got.column(0).num_chunks == 1
    assert all(p._table is None for p in held if p.n_mentions)        # nothing read one by one


def test_any_mix_of_messages_tables_and_empty_reports(preps):
    empty = prepared.prepare_claims(process_file(CORPUS[0]).report, [])
    assert empty.n_mentions == 0 and empty.message is None
    read = fresh(preps[2])
    read.table                                                      # read already: taken as a table
    parts = [preps[0].table, fresh(preps[1]), read, empty, fresh(preps[3]), fresh(preps[4]),
             preps[4].table, fresh(preps[0])]
    got = prepared.claims_table(parts)
    assert got.equals(concatenated(parts))
    assert prepared.claims_table([empty]).equals(pa.Table.from_batches([], schema=prepared_schema()))


def test_the_table_read_when_asked_and_kept(preps):
    p = fresh(preps[1])
    assert p.n_mentions == preps[1].n_mentions and p.n_claims == preps[1].n_claims and p.sig == preps[1].sig
    t = p.table
    assert t.equals(preps[1].table) and p.table is t
    assert fresh(p).table.equals(t)                                 # pickled after the read
