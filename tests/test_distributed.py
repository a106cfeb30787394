"""The same run on more workers: a process pool and a Dask LocalCluster give exactly
the claims of a serial run (same ids, same values), and the Parquet parts the Dask
workers write read back to the very same records."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.distributed import process_chunk, read_part
from etl.pipeline import process_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def claims_of(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT claim_id, value, value_max, unit, unit_class, approx, subject, is_claim, "
                           "kind, per, aggregate FROM claims ORDER BY claim_id").fetchall()


def run(db: Path, *extra: str) -> None:
    res = subprocess.run([sys.executable, "-m", "etl", "run", "--db", str(db), *extra], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr


def test_parquet_parts_round_trip(tmp_path):
    part = process_chunk([str(p) for p in CORPUS] + [str(tmp_path / "missing.txt")], str(tmp_path))
    back = list(read_part(part))
    assert [b.path for b in back] == [str(p) for p in CORPUS] + [str(tmp_path / "missing.txt")]
    assert not back[-1].ok and "no such file" in back[-1].reason
    for b, p in zip(back, CORPUS):
        direct = process_file(p, for_store=True)
        assert b.report == direct.report
        assert b.prepared.table.equals(direct.prepared.table)
        assert (b.prepared.sig, b.prepared.n_claims) == (direct.prepared.sig, direct.prepared.n_claims)
        assert b.prepared.n_claims == sum(c.is_claim for c in process_file(p).claims) > 0


@pytest.mark.slow
def test_workers_and_dask_equal_serial(tmp_path):
    serial, pool, dask = tmp_path / "serial.duckdb", tmp_path / "pool.duckdb", tmp_path / "dask.duckdb"
    run(serial)
    run(pool, "--workers", "2")
    run(dask, "--dask", "local", "--workers", "2")
    want = claims_of(serial)
    assert len(want) > 300
    assert claims_of(pool) == want
    assert claims_of(dask) == want
