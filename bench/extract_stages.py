"""Where `etl extract DIR -o FILE` spends its CPU beyond extraction alone (issue 23).

    .venv/bin/python bench/extract_stages.py [--corpus ../shared/bench_corpus] [--files N]

One fresh process does what cmd_extract does (etl/cli.py: the cycle collector paused,
read_documents, read_claims, claims_jsonl, one write a report), with a CPU timer around
each stage, every text seen once as the command sees it. Then, in the same process, the
extraction once more over the same texts, as `bench/whole_path.py`'s "extraction alone"
(best of R passes over the same texts in one process) times it from its second pass on.
The extraction's memo tables are keyed by the text: the segmenter's windows and the
parsed numerals are cleared when full (in both passes alike on the whole corpus), while
the phrase and word memos (subject_features, subject_words, the segmenter's word counts)
never fill on it, so the second pass finds every phrase answered: on the whole corpus
the first pass costs 3.15 % more instructions (bench/RESULTS.md, first34), on a few
hundred files far more (712 bench files: 5.5 s against 7.4 s for texts new to a warm
process). The last line splits the command's distance to extraction alone into that
part and the command's own stages.
"""
from __future__ import annotations

import time

_T0 = time.process_time()   # the interpreter's start is in the command's start-up too

import argparse
import gc
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--files", type=int)
    a = ap.parse_args(argv)
    clock = time.process_time
    from etl.claim_lines import claims_jsonl
    from etl.extraction import BUILD
    from etl.pipeline import read_claims
    from etl.reading.ingest import ReadError, iter_report_paths, read_documents

    paths = list(iter_report_paths([a.corpus]))[:a.files]
    cpu = {"start-up (interpreter, imports)": clock() - _T0, "reading and decoding": 0.0,
           "extraction (each text the first time)": 0.0, "JSON Lines": 0.0, "writing": 0.0}
    docs = []
    gc.disable()
    with tempfile.TemporaryFile() as out:
        reading = read_documents(paths)    # a run of files at a time, as cmd_extract reads
        while True:
            t0 = clock()
            got = next(reading, None)
            t1 = clock()
            if got is None:
                break
            doc = got[1]
            cpu["reading and decoding"] += t1 - t0
            if isinstance(doc, ReadError):
                continue
            claims = read_claims(doc)
            t2 = clock()
            lines = claims_jsonl(claims)
            t3 = clock()
            out.write(lines)
            t4 = clock()
            cpu["extraction (each text the first time)"] += t2 - t1
            cpu["JSON Lines"] += t3 - t2
            cpu["writing"] += t4 - t3
            docs.append(doc)
            del claims, lines
        out.flush()
        t0 = clock()
    cpu["writing"] += clock() - t0
    command = sum(cpu.values())

    def extract(ds) -> float:
        t = clock()
        for d in ds:
            read_claims(d)
        return clock() - t

    again = extract(docs)
    chars = sum(len(d.raw_text) for d in docs)
    print(f"{len(docs)} files, {chars:,} characters ({a.corpus}), {BUILD}, CPU seconds\n")
    print("| stage of `etl extract`, in one process | CPU s | × extraction, second sight |")
    print("|---|---:|---:|")
    for k, v in cpu.items():
        print(f"| {k} | {v:.2f} | {v / again:.3f} |")
    print(f"| **the command** | **{command:.2f}** | **{command / again:.3f}** |")
    print(f"| extraction again, the same texts (whole_path's 'extraction alone') | {again:.2f} | 1.000 |")
    first = cpu["extraction (each text the first time)"]
    print(f"\nthe command against extraction alone: {again / command:.2f}×; of its "
          f"{command - again:.2f} s beyond it, {first - again:+.2f} s is the extraction seeing "
          f"each text the first time, {command - first:.2f} s the command's own stages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
