"""What a run's save costs DuckDB, table by table (issue 23): insert, commit (the log),
final checkpoint, log and file size, for the claims and the reports' text apart, in the
batches a run makes (64, 128, then 256 files), against other ways of writing them.

    .venv/bin/python bench/store_side.py [--corpus ../shared/bench_corpus] [--files N]
        [--rounds R] [--variants as_run,ckpt_per_batch,one_tx,...]

The files are read, extracted, described and prepared once (`process_file`,
`prepare_claims`); each variant then writes the same Arrow tables into a fresh store
file of its own, on one DuckDB thread with the run's checkpoint threshold, and the
variants alternate round by round. CPU seconds of this thread (DuckDB works in it).
Variants (bench/RESULTS.md, branch run23m, has the figures):
  as_run          the run's batches, one final checkpoint
  ckpt_per_batch  a checkpoint at every commit (DuckDB then skips the log)
  one_tx          everything in one transaction (past a row group, 122,880 rows,
                  DuckDB writes it straight to the file: no log; and no mid-run reports)
  no_claim_id     claims without the claim_id column; no_sentence: without sentence
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.store.arrow_lists import lists_without_pandas  # noqa: E402

lists_without_pandas()

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

from etl.pipeline import FIRST_BATCH, process_file  # noqa: E402
from etl.run_batches import BatchSchedule, hold_back  # noqa: E402
from etl.store import Store  # noqa: E402
from etl.store.schema import CLAIM_COLUMNS, CLAIM_ID_SQL  # noqa: E402

VARIANTS = ("as_run", "ckpt_per_batch", "one_tx", "no_claim_id", "no_sentence")


def run_batches(mentions: list[int], schedule: str = "rows") -> list[list[int]]:
    """The files (positions) of each batch a run saves, given each file's mentions (time
    limits aside): "rows" is the run's schedule (etl/run_batches.py: FIRST_BATCH files,
    then what fills the claims table's last row group, then whole row groups, a batch's
    held-back reports starting the next), "doubling" the one before branch batch27 (64,
    128, then 256 files)."""
    out: list[list[int]] = []
    if schedule == "doubling":
        a, size = 0, FIRST_BATCH
        while a < len(mentions):
            out.append(list(range(a, min(a + size, len(mentions)))))
            a, size = a + size, min(2 * size, 256)
        return out
    plan, batch, seen_rows = BatchSchedule(), [], 0
    for i in range(len(mentions)):
        batch.append(i)
        rows = sum(mentions[k] for k in batch)
        seen_rows += mentions[i]
        if plan.full(len(batch), rows, 0.0, (len(mentions) - i - 1) * seen_rows / (i + 1)):
            held = [] if plan.first() or rows <= plan.goal() else hold_back([mentions[k] for k in batch], rows - plan.goal())
            if held is None and len(batch) < plan.files:
                continue                  # none make the excess: wait for the next file
            held = held or []
            keep = [k for j, k in enumerate(batch) if j not in set(held)]
            out.append(keep)
            plan.saved_batch(len(keep), sum(mentions[k] for k in keep))
            batch = [batch[j] for j in held]
    return out + ([batch] if batch else [])


def write(work: Path, ddl: str, sql: str, tables: list[pa.Table], settings: list[str]) -> dict:
    db = work / "v.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        if p.exists():
            p.unlink()
    con = duckdb.connect(str(db))
    for s in ["SET threads = 1", "SET checkpoint_threshold = '256MB'", *settings, ddl]:
        con.execute(s)
    ins = com = 0.0
    for tab in tables:
        t = time.thread_time()
        con.begin()
        con.register("v", tab)
        con.execute(sql)
        con.unregister("v")
        t2 = time.thread_time()
        con.commit()
        ins, com = ins + t2 - t, com + time.thread_time() - t2
    wal = Path(str(db) + ".wal")
    log = wal.stat().st_size if wal.exists() else 0
    t = time.thread_time()
    con.close()
    ck = time.thread_time() - t
    return {"insert": ins, "commit": com, "checkpoint": ck, "log MB": log / 1e6, "file MB": db.stat().st_size / 1e6}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "bench_corpus"))
    ap.add_argument("--files", type=int, default=0, help="only the first N files")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args()
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants: {', '.join(sorted(unknown))}")
    paths = sorted(Path(args.corpus).iterdir())
    paths = paths[:args.files] if args.files else paths
    done = [r for r in (process_file(p, for_store=True) for p in paths) if r.ok]
    batches = run_batches([r.prepared.n_mentions for r in done])
    claims = [pa.concat_tables([done[i].prepared.table for i in b]).combine_chunks() for b in batches]
    texts = [pa.table({"report_id": [done[i].report.report_id for i in b],
                       "text": [done[i].report.text for i in b]}) for b in batches]
    with tempfile.TemporaryDirectory(prefix="store_side_") as tmp:
        work = Path(tmp)
        Store(work / "schema.duckdb")           # the claims table as the store makes it
        con = duckdb.connect(str(work / "schema.duckdb"), read_only=True)
        claims_ddl = con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'claims'").fetchone()[0]
        con.close()
        text_ddl = "CREATE TABLE t (report_id VARCHAR, text VARCHAR)"

        def claims_sql(drop: str | None) -> tuple[str, str]:
            cols = [c for c in CLAIM_COLUMNS if c != drop]
            names = ", ".join(f'"{c}"' for c in cols)
            values = ", ".join(CLAIM_ID_SQL if c == "claim_id" else f'"{c}"' for c in cols)
            ddl = claims_ddl.replace("claim_id VARCHAR, ", "") if drop == "claim_id" else claims_ddl
            return ddl, f"INSERT INTO claims ({names}) SELECT {values} FROM v"

        cases = []
        for v in variants:
            settings = ["SET checkpoint_threshold = '1MB'"] if v == "ckpt_per_batch" else []
            drop = {"no_claim_id": "claim_id", "no_sentence": "sentence"}.get(v)
            ddl, sql = claims_sql(drop)
            one = v == "one_tx"
            cases.append((f"claims {v}", ddl, sql, [pa.concat_tables(claims).combine_chunks()] if one else claims, settings))
            if v in ("as_run", "ckpt_per_batch", "one_tx"):
                cases.append((f"text {v}", text_ddl, "INSERT INTO t SELECT * FROM v",
                              [pa.concat_tables(texts)] if one else texts, settings))
        gc.collect()
        gc.freeze()
        print(f"{len(done)} reports, {sum(t.num_rows for t in claims):,} mentions, batches "
              f"{[len(b) for b in batches]}, load {os.getloadavg()[0]:.1f}")
        print("| table, variant | round | insert | commit | checkpoint | in all | log MB | file MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for rnd in range(args.rounds):
            for label, ddl, sql, tables, settings in cases:
                r = write(work, ddl, sql, tables, settings)
                total = r["insert"] + r["commit"] + r["checkpoint"]
                print(f"| {label} | {rnd + 1} | {r['insert']:.3f} | {r['commit']:.3f} | {r['checkpoint']:.3f} "
                      f"| {total:.3f} | {r['log MB']:.1f} | {r['file MB']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
