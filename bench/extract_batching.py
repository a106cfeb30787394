"""Does `etl extract` pay for interleaving extraction with JSON Lines? (issue 23)

    .venv/bin/python bench/extract_batching.py [--corpus ../shared/bench_corpus] [--rounds 4] [--batch-chars 1000000]

The command extracts a file and encodes its lines, file by file (etl/cli.py
cmd_extract). If the extraction's and the encoder's code and tables evicted each other
from the caches, extracting a batch of files (about `--batch-chars` characters) and then
encoding the batch's lines would cost less CPU for the same bytes. One process reads the
corpus once, warms the extraction up with one whole pass, and then runs both orders in
turn (which goes first alternates by round), each writing to a temporary file, with a
CPU timer around the extraction and the encoding; it checks that both wrote the same
bytes.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--batch-chars", type=int, default=1_000_000)
    a = ap.parse_args(argv)
    from etl.claim_lines import claims_jsonl
    from etl.extraction import BUILD
    from etl.pipeline import read_claims
    from etl.reading.ingest import ReadError, iter_report_paths, read_document

    docs = [d for d in map(read_document, iter_report_paths([a.corpus])) if not isinstance(d, ReadError)]
    clock = time.process_time
    gc.disable()                # as cmd_extract does

    def file_by_file(out) -> tuple[float, float]:
        x = e = 0.0
        for d in docs:
            t0 = clock()
            claims = read_claims(d)
            t1 = clock()
            out.write(claims_jsonl(claims))
            x += t1 - t0
            e += clock() - t1
        return x, e

    def batched(out) -> tuple[float, float]:
        x = e = 0.0
        i = 0
        while i < len(docs):
            batch: list = []
            size = 0
            while i < len(docs) and size < a.batch_chars:
                batch.append(docs[i])
                size += len(docs[i].raw_text)
                i += 1
            t0 = clock()
            extracted = [read_claims(d) for d in batch]
            t1 = clock()
            for claims in extracted:
                out.write(claims_jsonl(claims))
            x += t1 - t0
            e += clock() - t1
        return x, e

    for d in docs:              # warm: every table filled once, as in whole_path's rounds
        read_claims(d)
    modes = {"file by file": file_by_file, f"batches of ~{a.batch_chars:,} chars": batched}
    runs: dict[str, list[tuple[float, float]]] = {k: [] for k in modes}
    digests: set[str] = set()
    for r in range(a.rounds):
        order = list(modes.items())
        for name, fn in (order if r % 2 == 0 else order[::-1]):
            with tempfile.TemporaryFile() as out:
                runs[name].append(fn(out))
                out.seek(0)
                digests.add(hashlib.sha256(out.read()).hexdigest())
    chars = sum(len(d.raw_text) for d in docs)
    print(f"{len(docs)} files, {chars:,} characters ({a.corpus}), {BUILD}, CPU seconds, "
          f"{a.rounds} rounds (order alternating)\n")
    print("| order | extraction, per round | JSON Lines, per round | both, best |")
    print("|---|---|---|---:|")
    for name, rs in runs.items():
        xs = " / ".join(f"{x:.2f}" for x, _ in rs)
        es = " / ".join(f"{e:.2f}" for _, e in rs)
        print(f"| {name} | {xs} | {es} | {min(x + e for x, e in rs):.2f} |")
    print(f"\nsame bytes in every run: {'yes' if len(digests) == 1 else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
