"""Report metadata (describe) on the bench corpus: CPU seconds, whole and by field.

    .venv/bin/python bench/describe_bench.py [--corpus ../shared/bench_corpus] [--files N] [--repeat R]
                                             [--against DIR --rounds K] [--instructions [--every K]]

Prints the best CPU time of `repeat` runs of etl.reading.describe over every file (with
the simplified view it makes), then of the organisation and campaign finders alone on a
simplified view made before timing, and characters per second.

--against DIR (another checkout, e.g. `git worktree add /tmp/before main`) runs this script
there and here in turn, `rounds` times, each in its own process: on a loaded machine only
figures taken in the same run, interleaved, compare.

--instructions counts the instructions describe runs, which load on the machine does not
move: valgrind's callgrind runs describe once on every K-th file (default 7: 204 files)
and once on none (start-up, rules, one warm-up report), and prints the difference; with
--against, in that checkout first (needs valgrind; about two minutes a checkout). The
start-up figure includes numpy's import where describe loads it (etl/reading/text_view.py);
`etl run` has it loaded already (pyarrow).
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
    ap.add_argument("--instructions", action="store_true", help="count instructions (callgrind)")
    ap.add_argument("--every", type=int, default=7, help="with --instructions: every K-th file")
    a = ap.parse_args(argv)
    if not a.corpus.is_dir():
        print(f"no corpus at {a.corpus}", file=sys.stderr)
        return 1
    if a.instructions:
        return _instructions(a)
    if a.against:
        return _interleaved(a)
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


# callgrind's run, in the checkout given: rules loaded, one report described to warm up,
# then (once = 1) every K-th bench file described once
_ONCE = """
import sys
tree, corpus, every, once = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, tree)
from pathlib import Path
from etl.reading.describe import describe
paths = sorted(p for p in Path(corpus).iterdir() if p.suffix in (".md", ".txt"))
docs = [(p.name, p.read_text(encoding="utf-8")) for p in paths[::every]]
describe(paths[1].read_text(encoding="utf-8"), paths[1].name)
for name, t in docs if once else ():
    describe(t, name)
"""


def _instructions(a: argparse.Namespace) -> int:
    """callgrind's instruction count of describe on every K-th file, in `--against` (when
    given) and here: a run that describes them less a run that only starts up."""
    import re
    import tempfile
    n = len(sorted(p for p in a.corpus.iterdir() if p.suffix in (".md", ".txt"))[::a.every])
    trees = ([("against", a.against.resolve())] if a.against else []) + [("this", ROOT)]
    for label, tree in trees:
        counts = []
        with tempfile.TemporaryDirectory() as tmp:
            for once in (1, 0):
                out = subprocess.run(
                    ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
                     sys.executable, "-c", _ONCE, str(tree), str(a.corpus.resolve()),
                     str(a.every), str(once)],
                    cwd=tree, capture_output=True, text=True, check=True).stderr
                m = re.search(r"Collected : (\d+)", out)
                if not m:
                    print(out[-2000:], file=sys.stderr)
                    return 1
                counts.append(int(m.group(1)))
        d = counts[0] - counts[1]
        print(f"{label:8s} describe on {n} files (every {a.every}th): {d / 1e6:,.0f} M instructions "
              f"({d / n / 1e6:.2f} M per file); start-up, rules, one report {counts[1] / 1e6:,.0f} M",
              flush=True)
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
