"""tools/fit_metrics.py replays each call the extractor made to assign_metric into
metric_features, the features its weights are fitted on (and tools/loro_metrics.py
scores): both take the same arguments. A keyword added to one alone (`unmasked`) broke
both tools while every other test passed. Run on a bundled report in a fresh Python,
with the extraction from source, as the tools run."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = sorted((ROOT / "data" / "corpus").glob("*.txt"))[0]

_REPLAY = """
import sys
sys.path.insert(0, "tools")
import fit_metrics as fm
found = fm._claims_with_calls(fm.Path(sys.argv[1]))
examples = [fm._example("r", c.text, "other", "kit", (c, call)) for c, call in found]
modelled = [e for e in examples if e.candidates]
print(len(found), len(modelled), sum(bool(e.features) for e in modelled))
"""


def test_the_fit_replays_every_recorded_call_into_features():
    env = {k: v for k, v in os.environ.items() if k != "REPORT_FIGURES_PURE"}
    done = subprocess.run([sys.executable, "-c", _REPLAY, str(REPORT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    claims, modelled, with_features = map(int, done.stdout.split())
    assert claims > 20 and modelled > 5
    assert with_features > modelled // 2      # the features were found, not only no error
