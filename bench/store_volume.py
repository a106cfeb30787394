"""What a store's tables hold, column by column: bytes on disk and bytes as written (issue 23).

    .venv/bin/python bench/store_volume.py DB [TABLE ...]      # default: claims reports

For each table: its rows, then per column the bytes its segments take in the file, the
compression DuckDB chose, and for string columns the UTF-8 bytes written (what an insert
appends, the log carries and a checkpoint scans back and compresses) and the distinct
values. Make the store with `etl run DIR --db NEW` on the files to measure.

The bytes on disk are read from `pragma_storage_info`, which gives each segment's block
and offset but not its size: a segment is counted from its offset to the next segment's
offset in its block (the block's end for the last one, so a part-filled last block
counts whole), and every additional block of a segment whole. Shares are exact
enough to rank the columns; the sum runs a little over the table's true size.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from etl.store.schema import ident  # noqa: E402


def disk_bytes(con, table: str) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Bytes in the file per column (validity masks as "COLUMN (validity)") and the
    compressions its segments use, from the segments' extents in their blocks."""
    block = con.execute("SELECT block_size FROM pragma_database_size() "
                        "WHERE database_name = current_database()").fetchone()[0]
    segments = con.execute(
        "SELECT column_name, segment_type, compression, block_id, block_offset, additional_block_ids "
        "FROM pragma_storage_info(?) WHERE persistent", [table]).fetchall()
    offsets: dict[int, list[int]] = defaultdict(list)
    for _, _, _, block_id, offset, _ in segments:
        if block_id is not None and block_id >= 0:
            offsets[block_id].append(offset)
    size: dict[str, int] = defaultdict(int)
    kinds: dict[str, set[str]] = defaultdict(set)
    for name, seg_type, compression, block_id, offset, extra in segments:
        key = name + (" (validity)" if seg_type == "VALIDITY" else "")
        kinds[key].add(compression)
        if block_id is None or block_id < 0:      # constant segments take no block
            continue
        end = min((o for o in offsets[block_id] if o > offset), default=block)
        size[key] += end - offset + block * len(extra or [])
    return dict(size), dict(kinds)


def written_bytes(con, table: str) -> dict[str, tuple[int, int]]:
    """(UTF-8 bytes, distinct values) of each string column."""
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = current_schema() "
        "AND data_type = 'VARCHAR' ORDER BY column_index", [table]).fetchall()]
    if not cols:
        return {}
    parts = [f"coalesce(sum(strlen({ident(c)})), 0), count(DISTINCT {ident(c)})" for c in cols]
    row = con.execute(f"SELECT {', '.join(parts)} FROM {ident(table)}").fetchone()
    return {c: (row[2 * i], row[2 * i + 1]) for i, c in enumerate(cols)}


def report(con, table: str) -> list[str]:
    rows = con.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()[0]
    size, kinds = disk_bytes(con, table)
    written = written_bytes(con, table)
    total = sum(size.values()) or 1
    out = [f"{table}: {rows:,} rows, ~{total / 1e6:.2f} MB in the file, "
           f"{sum(b for b, _ in written.values()) / 1e6:.2f} MB of strings written",
           "| column | on disk | share | compression | strings written | distinct |",
           "|---|---:|---:|---|---:|---:|"]
    for name, b in sorted(size.items(), key=lambda kv: -kv[1]):
        w = written.get(name)
        out.append(f"| {name} | {b / 1e6:.2f} MB | {100 * b / total:.1f} % | {','.join(sorted(kinds[name]))} | "
                   + (f"{w[0] / 1e6:.2f} MB | {w[1]:,} |" if w else "| |"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("tables", nargs="*", default=["claims", "reports"])
    args = ap.parse_args()
    con = duckdb.connect(str(args.db), read_only=True)
    try:
        for table in args.tables:
            print("\n".join(report(con, table)) + "\n")
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
