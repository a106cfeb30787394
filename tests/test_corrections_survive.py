"""A user's correction is never lost: not by re-extracting the same report, not by a
changed rule file that re-extracts every report, not by opening the store with a newer
schema (corrections key on the claim id, report content hash + offsets, which none of
these change), and not by an edit of the report's text, which changes every claim id:
the correction follows its figure by its text and context, and one whose figure is gone
is listed on the 更正 page and in the run summary, never dropped (issue 22, item 1)."""
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


def etl_run(db: Path, env: dict | None = None, corpus: Path = CORPUS) -> str:
    res = subprocess.run([sys.executable, "-m", "etl", "run", str(corpus), "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})})
    assert res.returncode == 0, res.stderr
    return res.stdout


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


FIGURE = "27万元"        # 000's 走访慰问 figure, corrected to 111111 below


def _edit_report(path: Path, edit) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(edit(text), encoding="utf-8")


def test_correction_follows_its_figure_across_small_edits_and_is_listed_when_it_is_gone(tmp_path):
    corpus = tmp_path / "reports"
    corpus.mkdir()
    src = next(CORPUS.glob("000_*.txt"))
    report = corpus / src.name
    shutil.copy(src, report)
    db = tmp_path / "c.duckdb"
    etl_run(db, corpus=corpus)
    store = Store(db)
    row = store.query_df("SELECT claim_id, start FROM claims_effective WHERE text = ?", [FIGURE]).iloc[0]
    store.add_correction(row.claim_id, "value", 111111, who="审校", why="核对原件")
    store.add_correction(row.claim_id, "subject", "慰问金（核对）", who="审校")

    # 1. two characters before the figure, in its own sentence: every claim id changes
    pos = int(row.start)
    _edit_report(report, lambda t: t[:pos - 30] + "今年" + t[pos - 30:])
    out = etl_run(db, corpus=corpus)
    got = Store(db, read_only=True).query_df(
        "SELECT claim_id, start, value, subject, corrected FROM claims_effective WHERE text = ?", [FIGURE])
    assert len(got) == 1
    assert got.start[0] == pos + 2 and got.claim_id[0] != row.claim_id
    assert (got.value[0], got.subject[0], bool(got.corrected[0])) == (111111, "慰问金（核对）", True)
    assert "1 corrected figure(s) found again in edited text" in out
    assert Store(db, read_only=True).orphaned_corrections().empty

    # 2. and right next to it: the context after the figure still places it
    _edit_report(report, lambda t: t[:pos + 2] + "共" + t[pos + 2:])
    etl_run(db, corpus=corpus)
    got = Store(db, read_only=True).query_df(
        "SELECT start, value FROM claims_effective WHERE text = ?", [FIGURE])
    assert (int(got.start[0]), got.value[0]) == (pos + 3, 111111)

    # 3. the figure deleted: the correction matches nothing, is kept and is listed
    _edit_report(report, lambda t: t.replace(FIGURE, "", 1))
    out = etl_run(db, corpus=corpus)
    after = Store(db, read_only=True)
    assert after.query_df("SELECT count(*) AS n FROM claims_effective WHERE text = ?", [FIGURE]).n[0] == 0
    assert len(corrections_for(after, row.claim_id)) == 0      # it moved in step 1 …
    orphans = after.orphaned_corrections()
    assert sorted(orphans.field) == ["subject", "value"]        # … and is kept, listed
    assert set(orphans.anchor_text) == {FIGURE} and set(orphans.doc) == {src.name}
    assert after.counts()["corrections"] == 2
    assert "corrections that match no figure now: 2" in out and FIGURE in out


def test_a_figure_whose_text_appears_elsewhere_is_not_mistaken_for_it():
    """Deleting the corrected figure must not move its correction to another mention
    with the same text in other words."""
    from etl.store.anchors import Anchor, find_figure
    text = "今年发放慰问金27万元，用于走访。乙捐款27万元。"
    anchor = Anchor("27万元", "丙单位今年发放慰问金", "，用于困难党员", start=40)
    other = text.index("27万元", 10)
    assert find_figure(text, [("b", other, other + 4)], anchor) is None
    first = text.index("27万元")
    assert find_figure(text, [("a", first, first + 4), ("b", other, other + 4)], anchor) == "a"
