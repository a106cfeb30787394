"""Report metadata (describe) on the bench corpus: CPU seconds, whole and by field.

    .venv/bin/python bench/describe_bench.py [--corpus ../shared/bench_corpus] [--files N] [--repeat R]
                                             [--against DIR --rounds K]

Prints the best CPU time of `repeat` runs of etl.reading.describe over every file (with
the simplified view it makes), then of the organisation and campaign finders alone on a
simplified view made before timing, and characters per second.

--against DIR (another checkout, e.g. `git worktree add /tmp/before main`) runs this script
there and here in turn, `rounds` times, each in its own process: on a loaded machine only
figures taken in the same run, interleaved, compare.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.reading import campaigns, describe, organisations  # noqa: E402
from etl.reading.text_view import simplified  # noqa: E402
from extract_bench import best_of  # noqa: E402  (bench/ is on the path: the script's own folder)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "bench_corpus")
    ap.add_argument("--files", type=int)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout to time in turn with this one")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args(argv)
    if a.against:
        return _interleaved(a)
    if not a.corpus.is_dir():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 1
    paths = sorted(p for p in a.corpus.iterdir() if p.suffix in (".md", ".txt"))[:a.files]
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    chars = sum(len(t) for _, t in docs)
    simp = {name: simplified(t) for name, t in docs}
    organisations.organisation_rules(), campaigns.campaign_rules()
    describe.describe("预热。", "x.txt")  # rules and OpenCC loaded before timing

    def run_describe() -> None:
        for name, t in docs:
            describe.describe(t, name)

    def run_org() -> None:
        for name, t in docs:
            organisations.find_organisation(simp[name], None)

    def run_campaign() -> None:
        for name, t in docs:
            campaigns.find_campaign(simp[name], None, None)

    print(f"{len(docs)} files, {chars / 1e6:.1f} M characters, best of {a.repeat}")
    for label, fn in (("describe (all fields)", run_describe), ("organisation", run_org),
                      ("campaign", run_campaign)):
        s = best_of(fn, a.repeat)
        print(f"{label:24s} {s:6.2f} s CPU  {chars / s / 1e6:6.1f} M chars/s")
    return 0


def _interleaved(a: argparse.Namespace) -> int:
    """This script in `a.against` and here, in turn: the describe line of each run."""
    args = ["--corpus", str(a.corpus.resolve()), "--repeat", str(a.repeat)]
    if a.files:
        args += ["--files", str(a.files)]
    for i in range(a.rounds):
        for label, root in (("against", a.against.resolve()), ("this", ROOT)):
            out = subprocess.run([sys.executable, str(root / "bench" / "describe_bench.py"), *args],
                                 cwd=root, capture_output=True, text=True, check=True).stdout
            line = next((ln for ln in out.splitlines() if ln.startswith("describe")), out.strip())
            print(f"round {i + 1} {label:8s} {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
