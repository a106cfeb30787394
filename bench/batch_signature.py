"""The claims' Arrow conversions once per batch, with a signature per report's slice (issue 23).

    .venv/bin/python bench/table_stage.py inputs --files /tmp/b100 --out /tmp/b100.pkl
    .venv/bin/python bench/batch_signature.py /tmp/b100.pkl [--rounds 7]

Times (process CPU, best of R, one process so the paths are interleaved) what the table
stage costs a batch of reports:
- per report, as `prepare_claims` does: `_table` (the conversions) and the scheme-2
  signature (sha1 over the metadata and the IPC stream of the report's table);
- per batch: the same columns over the whole batch converted once (`pa.array` per column),
  and a candidate scheme-3 signature per report: sha1 over the metadata and, per column
  of the report's slice, the buffers of a copy rebased to offset 0 (with their lengths).
A slice's own IPC bytes cannot serve: the writer keeps a string slice's values buffer
up to the next 64-byte boundary, i.e. with the next report's bytes (run25), so they
depend on the batch. The script checks that the candidate is the same for a report
alone, in the batch, and in the batch reversed.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import os
import pickle
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", help="pickled (Report, claims) from bench/table_stage.py inputs")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    sys.path.insert(0, os.getcwd())
    from etl.store.arrow_lists import lists_without_pandas
    lists_without_pandas()
    import pyarrow as pa

    from etl.claim import content_hash
    from etl.store import prepared as P

    with open(args.inputs, "rb") as fh:
        items = pickle.load(fh)
    one = P._one_pass()
    if one is None:
        raise SystemExit("needs the compiled build (the one pass over the claims)")
    built = []
    for report, claims in items:
        content_hash(report.text)
        cols = dict(zip(P._FIELDS, one(claims, report.text)))
        built.append((report, cols, len(claims)))
    skip = set(P._SIG_SKIP)

    def per_report(group, sig=True):
        for report, cols, n in group:
            table = P._table(report.report_id, cols, {k: cols[k] for k in P._DOUBLES}, n)
            if sig:
                P._content_sig(report, table)

    def batch_table(group):
        ids = [report.report_id for report, _, n in group for _ in range(n)]
        arrays = [pa.array(ids, pa.string())]
        for name, get, _double in P._PLAN:
            typ = P._SCHEMA.field(name).type
            if get is None:
                arrays.append(pa.nulls(len(ids), typ))
            else:
                arrays.append(pa.array([v for _, cols, _ in group for v in cols[name]], typ))
        return pa.Table.from_arrays(arrays, schema=P._SCHEMA)

    def slice_sigs(group, table):
        table = table.select([f.name for f in table.schema if f.name not in skip])
        out, at = [], 0
        for report, _, n in group:
            h = hashlib.sha1(P._meta_json(report))
            for col in table.slice(at, n).columns:
                arr = col.chunk(0) if col.num_chunks == 1 else pa.concat_arrays(col.chunks)
                for buf in pa.concat_arrays([arr, arr.slice(0, 0)]).buffers():   # a rebased copy
                    h.update(b"-" if buf is None else len(buf).to_bytes(8, "little"))
                    if buf is not None:
                        h.update(buf)
            out.append(h.hexdigest())
            at += n
        return out

    def best(fn):
        times = []
        for _ in range(args.rounds):
            gc.collect()
            t = time.process_time()
            fn()
            times.append(time.process_time() - t)
        return 1e3 * min(times)

    per_report(built)
    slice_sigs(built, batch_table(built))
    print(f"{len(built)} reports, {sum(n for *_, n in built)} mentions; best of {args.rounds}, ms CPU")
    print(f"  per report: conversions (_table)            {best(lambda: per_report(built, sig=False)):7.1f}")
    print(f"  per report: conversions + scheme-2 sig      {best(lambda: per_report(built)):7.1f}")
    print(f"  per batch: conversions once                 {best(lambda: batch_table(built)):7.1f}")
    print(f"  per batch: conversions + slice sigs         {best(lambda: slice_sigs(built, batch_table(built))):7.1f}")
    in_batch = slice_sigs(built, batch_table(built))
    alone = [slice_sigs([b], batch_table([b]))[0] for b in built]
    reverse = slice_sigs(built[::-1], batch_table(built[::-1]))[::-1]
    print(f"  slice sig alone = in the batch: {sum(a == b for a, b in zip(alone, in_batch))}/{len(built)}; "
          f"batch reversed: {sum(a == b for a, b in zip(reverse, in_batch))}/{len(built)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
