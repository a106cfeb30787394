"""A user's correction is never lost: not by re-extracting the same report, not by a
changed rule file that re-extracts every report, not by opening the store with a newer
schema. Corrections key on the claim id (report content hash + offsets), which none of
these change."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from store_reads import corrections_for

from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def etl_run(db: Path, env: dict | None = None) -> None:
    res = subprocess.run([sys.executable, "-m", "etl", "run", str(CORPUS), "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})
    assert res.returncode == 0, res.stderr


def the_claim(store: Store, text: str, doc_prefix: str):
    df = store.query_df("SELECT claim_id, value, subject, unit_class, corrected FROM claims_effective "
                        "WHERE text = ? AND doc LIKE ? ORDER BY start", [text, doc_prefix + "%"])
    return df.iloc[0]


def test_correction_survives_rerun_rule_change_and_reopen(tmp_path):
    db = tmp_path / "c.duckdb"
    etl_run(db)
    store = Store(db)
    row = the_claim(store, "24篇", "001")
    store.add_correction(row.claim_id, "subject", "活动信息（简报）", who="审校", why="统一口径")
    store.add_correction(row.claim_id, "value", 25, who="审校", why="原文后附表为25篇")

    etl_run(db)                                  # 1. the same reports again
    again = the_claim(Store(db, read_only=True), "24篇", "001")
    assert (again.value, again.subject, bool(again.corrected)) == (25, "活动信息（简报）", True)

    rules = tmp_path / "rules"                   # 2. a changed rule file re-extracts everything
    shutil.copytree(ROOT / "data" / "rules", rules)
    units = (rules / "units.yaml").read_text(encoding="utf-8")
    (rules / "units.yaml").write_text(units.replace("  篇: [篇, items, 1]", "  篇: [篇, other, 1]"),
                                      encoding="utf-8")
    etl_run(db, {"REPORT_FIGURES_RULES": str(rules)})
    after = the_claim(Store(db, read_only=True), "24篇", "001")
    assert after.unit_class == "other"           # the new rule took effect …
    assert (after.value, after.subject, bool(after.corrected)) == (25, "活动信息（简报）", True)  # … the fix stayed

    reopened = Store(db)                         # 3. opening (and migrating) keeps them too
    assert len(corrections_for(reopened, row.claim_id)) == 2
