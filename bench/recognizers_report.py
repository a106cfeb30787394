"""Pass rates of our extractor on the Recognizers-Text Chinese specs, per group.

    .venv/bin/python bench/recognizers_report.py              # the table
    .venv/bin/python bench/recognizers_report.py --details    # + every failing case, why
    .venv/bin/python bench/recognizers_report.py --draft-yaml # expected-fail YAML for now

Same adapter as tests/test_recognizers_specs.py (tests/recognizers_adapter.py). Groups:
plain, A (our convention deliberately differs), B-<group> (conventions GUIDE.md does not
fix), C (approximation cases that should pass), D (rare notation), notsupported
(NotSupported: python, and in no table). See /work/shared/external/recognizers-specs/README.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import recognizers_adapter as ra  # noqa: E402


def rate(passed: int, n: int) -> str:
    return f"{100 * passed / n:5.1f}%" if n else "    -"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true", help="list failing cases with reasons")
    ap.add_argument("--draft-yaml", action="store_true",
                    help="print an expected-fail YAML for the current behaviour (review it)")
    args = ap.parse_args()

    outcomes = ra.evaluate_all()
    if args.draft_yaml:
        sys.stdout.write(ra.draft_expected_yaml(outcomes))
        return 0

    rows = ra.summarise(outcomes)
    print(f"{'group':<14} {'cases':>5} {'passed':>6} {'rate':>6}")
    for g, n, ok in rows:
        print(f"{g:<14} {n:>5} {ok:>6} {rate(ok, n):>6}")
    print("-" * 34)
    ns = [o for o in outcomes if o.case.notsupported_python]
    print(f"{'(NS-python all)':<14} {len(ns):>5} {sum(o.passed for o in ns):>6} "
          f"{rate(sum(o.passed for o in ns), len(ns)):>6}   (incl. those in tables A-D)")
    pc = [o for o in outcomes if o.case.group in ("plain", "C")]
    print(f"{'plain+C':<14} {len(pc):>5} {sum(o.passed for o in pc):>6} "
          f"{rate(sum(o.passed for o in pc), len(pc)):>6}")
    print(f"{'everything':<14} {len(outcomes):>5} {sum(o.passed for o in outcomes):>6} "
          f"{rate(sum(o.passed for o in outcomes), len(outcomes)):>6}")

    for f in ra.FILES:
        sel = [o for o in outcomes if o.case.file == f]
        print(f"  {f:<20} {sum(o.passed for o in sel)}/{len(sel)}")

    expected = ra.load_expected_fail()
    stale = [o for o in outcomes if (o.case.key in expected) == o.passed]
    if stale:
        print(f"\n{len(stale)} case(s) disagree with {ra.EXPECTED_FAIL_PATH.name} "
              "(listed but passing, or failing but not listed):")
        for o in stale:
            state = "now passes" if o.passed else "now fails"
            print(f"  {o.case.test_id}: {state}" + ("" if o.passed else f": {ra.explain(o)}"))

    if args.details:
        print("\nFailing cases:")
        for o in outcomes:
            if not o.passed:
                print(f"  {o.case.file} #{o.case.index} [{o.case.group}] {o.case.input!r}")
                print(f"      {ra.explain(o)}")
                print(f"      checks: {o.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
