"""Time the role step (etl/extraction/roles.py) against the whole extraction, in one run.

    .venv/bin/python tools/roles_bench.py [--corpus ../shared/bench_corpus] [--files N] [--repeat R]

For every report: extract_text (which ends with the role step), then the role step
alone again on the same claims (it is idempotent), timed by itself. Prints CPU
seconds, seconds per million characters, and extraction throughput with and without
the role step's share. Uses the compiled build when it is current (make native).
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "bench_corpus"))
    ap.add_argument("--files", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from etl.extraction import BUILD as build
    from etl.extraction.extract import extract_text
    from etl.extraction.normalize import normalize
    from etl.extraction.roles import assign_roles
    from etl.extraction.scanner import scan
    from etl.extraction.text_spans import Boundaries

    paths = sorted(p for p in Path(args.corpus).iterdir() if p.suffix in (".md", ".txt"))[:args.files]
    texts = [p.read_text(encoding="utf-8") for p in paths]
    n = sum(map(len, texts))
    extract_text(texts[0], "warm")
    # the role step's inputs, made once (outside the timing)
    inputs = []
    for i, t in enumerate(texts):
        claims = extract_text(t, str(i))
        norm = normalize(t, markup=None)
        bounds = Boundaries(norm.text)
        bounds.sentence(len(norm.text) // 2)     # the reversed text extraction has built
        spans = [(m.start, m.end) for m in scan(norm.text)]
        assert len(spans) == len(claims)
        inputs.append((claims, spans, norm.text, bounds))
    best_ex = best_roles = float("inf")
    for _ in range(args.repeat):
        gc.collect()
        t0 = time.process_time()
        for i, t in enumerate(texts):
            extract_text(t, str(i))
        best_ex = min(best_ex, time.process_time() - t0)
        gc.collect()
        t0 = time.process_time()
        for claims, spans, view, bounds in inputs:
            assign_roles(claims, spans, view, bounds)
        best_roles = min(best_roles, time.process_time() - t0)
    print(f"build       {build}")
    print(f"corpus      {len(texts)} files, {n:,} characters")
    print(f"extract     {best_ex:.2f} CPU s, {n / best_ex / 1e6:.2f} M chars/s (with the role step)")
    print(f"role step   {best_roles:.3f} CPU s, {best_roles / n * 1e6:.4f} s per M chars, "
          f"{best_roles / best_ex * 100:.1f}% of extraction")
    print(f"without it  {n / (best_ex - best_roles) / 1e6:.2f} M chars/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
