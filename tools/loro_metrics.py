"""Leave-one-report-out accuracy of the metric model (what each figure measures).

    .venv/bin/python tools/loro_metrics.py [--eval-dir ../shared/eval] [--show-errors]

For each labelled report: fit the weights (tools/fit_metrics.py) on the claims of every
other report, predict this report's claims; then score the concatenated predictions.
Printed beside it: the stored weights (data/rules/metric_model.yaml, fitted on every
report) and a re-fit on every report, on the same claims.

What this does NOT hold out: the word lists of data/rules/metrics.yaml, which were
written by people who had read these reports. Only the numbers are fitted here; a
word list is a hand rule, admitted with golden cases from at least two reports.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_metrics as fm  # noqa: E402


def loro(examples: list[fm.Example], without_subject: bool = False) -> list[str | None]:
    """Each report predicted by weights fitted on the others; `without_subject`: its
    claims read as if the extractor had found no subject (robustness to subject choice)."""
    preds: list[str | None] = [None] * len(examples)
    for doc in sorted({e.doc for e in examples}):
        params = fm.fit([e for e in examples if e.doc != doc])
        for i, e in enumerate(examples):
            if e.doc == doc:
                if without_subject and e.no_subject is not None:
                    e = dataclasses.replace(e, features=e.no_subject)
                preds[i] = fm.predict(params, e)
    return preds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=fm.DEFAULT_EVAL)
    ap.add_argument("--show-errors", action="store_true")
    a = ap.parse_args(argv)
    examples = fm.collect(a.eval_dir)
    preds = loro(examples)
    print(f"{len({e.doc for e in examples})} reports, {len(examples)} labelled claims "
          f"({sum(e.source == 'kit' for e in examples)} of the kit's gold)")
    fm.report("LEAVE-ONE-REPORT-OUT", examples, preds)
    fm.report("LORO, subjects withheld", examples, loro(examples, without_subject=True))
    fm.report("stored weights (fit on all)", examples, [fm.predict(fm.hand_params(), e) for e in examples])
    fm.report("extractor as run", examples, [e.extracted for e in examples])
    if a.show_errors:
        for e, p in zip(examples, preds):
            if p != e.gold:
                print(f"- {e.doc} {e.text}: gold {e.gold} loro {p}  "
                      + " ".join(f"{pos}:{m}:{w}" for pos, m, w in e.features))
    return 0


if __name__ == "__main__":
    sys.exit(main())
