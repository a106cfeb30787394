"""What a run's writes cost DuckDB, table by table and column by column, in instructions (issue 23).

    .venv/bin/python bench/store_instructions.py prepare DIR [--files N]     # once
    .venv/bin/python bench/store_instructions.py count DIR [--variants as_run,none,...]

`prepare` reads, extracts, describes and prepares N bench files spread over the corpus
(as `etl run` would, `process_file`) and keeps each of the run's batches (`--schedule`: 64
files, then a row group of mentions; or 64, 128, then 256 files) in DIR as Arrow IPC: the claims' table and the reports' ids and text. `count` then
writes them, for each variant, into a fresh store file the way a run's store does (one
thread, checkpoint per 256 MB of log; per batch: the text, then the claims with DuckDB's
claim ids, one commit; the closing checkpoint) in a child process under cachegrind
(`--cache-sim=no`: the same count on any load; one uncounted warming run first), and
prints its instructions, the log it wrote and the file it left, against `none`.
bench/store_side.py times the same writes in CPU seconds.

Variants:
  as_run          both tables, as a run writes them
  none            the same process and empty tables, nothing written (the harness)
  claims_only     the claims without the reports' text; text_only: the text alone
  null_sentence   claims.sentence written as NULL (what offsets into the report's text
                  would spare the writes; bench/RESULTS.md, branch store26)
  derived_check   sentence written as NULL where it is the report text's slice at its
                  offsets, decided in DuckDB at the insert (substr over the batch's text)
  null_doc        claims.doc written as NULL (the report's doc on every claim)
  dict_report_id  report_id and doc handed over as Arrow dictionaries
  one_tx          every batch in one transaction (a new store written without the log:
                  DuckDB writes a transaction past a row group straight to the file)
  no_vacuum       as_run with `SET max_vacuum_tasks = 0`: the closing checkpoint does not
                  merge part-filled row groups (with those next to a row group written
                  straight to the file, it rewrites that one too)
Needs valgrind.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VARIANTS = ("as_run", "none", "claims_only", "text_only", "null_sentence", "derived_check",
            "null_doc", "dict_report_id", "one_tx", "no_vacuum")
# the sentence a claim carries is the report text's slice at its offsets (extraction makes
# it so; non-claims carry "" and no offsets): NULL where that holds
_DERIVED_CHECK = ("CASE WHEN v.sentence_start IS NULL THEN nullif(v.sentence, '') "
                  "WHEN v.sentence = substr(x.text, v.sentence_start + 1, v.sentence_end - v.sentence_start) "
                  "THEN NULL ELSE v.sentence END")


def prepare(out: Path, files: int, corpus: Path, schedule: str) -> None:
    from etl.store.arrow_lists import lists_without_pandas
    lists_without_pandas()
    import pyarrow as pa

    from etl.pipeline import process_file
    from store_side import run_batches
    paths = sorted(corpus.iterdir())
    if files < len(paths):
        paths = [paths[i * len(paths) // files] for i in range(files)]
    done = [r for r in (process_file(p, for_store=True) for p in paths) if r.ok]
    out.mkdir(parents=True, exist_ok=True)
    from etl.store import Store
    with tempfile.TemporaryDirectory(prefix="store_instr_") as tmp:     # the claims table as the store makes it
        Store(Path(tmp) / "schema.duckdb").close()
        import duckdb
        con = duckdb.connect(str(Path(tmp) / "schema.duckdb"), read_only=True)
        (out / "claims_ddl.sql").write_text(
            con.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'claims'").fetchone()[0])
        con.close()
    for i, b in enumerate(run_batches([r.prepared.n_mentions for r in done], schedule)):
        tables = {"claims": pa.concat_tables([done[k].prepared.table for k in b]).combine_chunks(),
                  "texts": pa.table({"report_id": [done[k].report.report_id for k in b],
                                     "text": [done[k].report.text for k in b]})}
        for name, table in tables.items():
            with pa.OSFile(str(out / f"{name}{i}.arrow"), "wb") as f, pa.ipc.new_file(f, table.schema) as w:
                w.write_table(table)
    print(f"{len(done)} reports in {i + 1} batches -> {out}")


def child(variant: str, prepared: Path, db: Path) -> None:
    """Write the prepared batches into a new store file `db` as `variant` says."""
    import duckdb
    import pyarrow as pa

    from etl.store.schema import CLAIM_COLUMNS, CLAIM_ID_SQL
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    claims_ddl = (prepared / "claims_ddl.sql").read_text()
    con = duckdb.connect(str(db))
    settings = ["SET max_vacuum_tasks = 0"] if variant == "no_vacuum" else []
    for sql in ("SET threads = 1", "SET checkpoint_threshold = '256MB'", *settings, claims_ddl,
                "CREATE TABLE t (report_id VARCHAR PRIMARY KEY, text VARCHAR)"):
        con.execute(sql)

    def value(c: str) -> str:
        if c == "claim_id":
            return re.sub(r'(report_id|"start"|"end")', r"v.\1", CLAIM_ID_SQL)
        if c == "sentence" and variant == "null_sentence" or c == "doc" and variant == "null_doc":
            return "NULL"
        if c == "sentence" and variant == "derived_check":
            return _DERIVED_CHECK
        return f'v."{c}"'
    join = " LEFT JOIN x ON x.report_id = v.report_id" if variant == "derived_check" else ""
    insert = (f"INSERT INTO claims ({', '.join(chr(34) + c + chr(34) for c in CLAIM_COLUMNS)}) "
              f"SELECT {', '.join(value(c) for c in CLAIM_COLUMNS)} FROM v{join}")
    i = 0
    while (prepared / f"claims{i}.arrow").exists():
        claims = pa.ipc.open_file(str(prepared / f"claims{i}.arrow")).read_all()
        texts = pa.ipc.open_file(str(prepared / f"texts{i}.arrow")).read_all()
        if variant == "dict_report_id":
            for name in ("report_id", "doc"):
                claims = claims.set_column(claims.schema.get_field_index(name), name,
                                           claims.column(name).dictionary_encode())
        if variant != "none":
            if variant != "one_tx" or i == 0:
                con.begin()
            con.register("x", texts)
            con.register("v", claims)
            if variant != "claims_only":
                con.execute("INSERT INTO t SELECT * FROM x")
            if variant != "text_only":
                con.execute(insert)
            con.unregister("v")
            con.unregister("x")
            if variant != "one_tx":
                con.commit()
        i += 1
    if variant == "one_tx":
        con.commit()
    wal = Path(str(db) + ".wal")
    log = wal.stat().st_size if wal.exists() else 0
    con.close()
    print(f"log {log} file {db.stat().st_size}")


def count(prepared: Path, variants: list[str]) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)    # count a second start, not the compiling
    rows = {}
    with tempfile.TemporaryDirectory(prefix="store_instr_") as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        for v in variants:
            args = [__file__, "--child", v, str(prepared), str(Path(tmp) / f"{v}.duckdb")]
            subprocess.run([python, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            res = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                                  f"--cachegrind-out-file={Path(tmp) / 'cg.out'}", python, *args],
                                 cwd=ROOT, env=env, capture_output=True, text=True)
            m = re.search(r"I\s+refs:\s+([\d,]+)", res.stderr)
            sizes = re.search(r"log (\d+) file (\d+)", res.stdout)
            if res.returncode != 0 or m is None or sizes is None:
                raise SystemExit(f"{v}: {res.stderr[-2000:]}")
            rows[v] = (int(m.group(1).replace(",", "")), int(sizes.group(1)), int(sizes.group(2)))
            print(f"{v}: {rows[v][0]:,} instructions", file=sys.stderr, flush=True)
    base = rows.get("none", (0, 0, 0))[0]
    print("| variant | instructions | − none | log MB | file MB |\n|---|---:|---:|---:|---:|")
    for v, (n, log, size) in rows.items():
        print(f"| {v} | {n / 1e6:,.0f} M | {(n - base) / 1e6:,.0f} M | {log / 1e6:.1f} | {size / 1e6:.1f} |")


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("prepare", "count"))
    ap.add_argument("dir", type=Path, help="where the prepared batches are kept")
    ap.add_argument("--files", type=int, default=300, help="prepare: N bench files spread over the corpus")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--schedule", choices=("rows", "doubling"), default="rows",
                    help="prepare: the run's batches (rows: a row group of mentions after the first 64 "
                         "files; doubling: 64, 128, then 256 files, as before branch batch27)")
    ap.add_argument("--variants", default="as_run,none,claims_only,text_only,null_sentence")
    args = ap.parse_args()
    if args.action == "prepare":
        sys.path.insert(0, str(ROOT / "bench"))
        prepare(args.dir, args.files, args.corpus, args.schedule)
        return 0
    variants = [v for v in args.variants.split(",") if v]
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        ap.error(f"unknown variants: {', '.join(sorted(unknown))}")
    count(args.dir, variants)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
