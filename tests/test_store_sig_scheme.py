"""Claim ids made by DuckDB as it inserts, and the content signature's second scheme
(issue 23, branch run23f): the store holds the very ids `etl.claim.claim_id` gives, and
a store whose reports carry the first scheme's signatures (a store built before) sees
them unchanged: no row rewritten, each signature brought up to date once."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import duckdb

from etl import pipeline
from etl.claim import claim_id
from etl.store import Store, prepared
from store_reads import store_rows

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for p in CORPUS:
        shutil.copy(p, d / p.name)
    return d


def test_stored_claim_ids_are_claim_id_of_each_span(tmp_path):
    db = tmp_path / "s.duckdb"
    pipeline.run([_folder(tmp_path)], db, progress=False)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute('SELECT claim_id, report_id, start, "end" FROM claims').fetchall()
    assert len(rows) > 400
    assert all(cid == claim_id(rid, s, e) for cid, rid, s, e in rows)


def test_the_id_formula_holds_for_large_offsets(tmp_path):
    """Offsets past what the corpus reaches: DuckDB's text of an integer is Python's."""
    text = "甲" * 2_000_010 + "发放慰问金27万元。"
    p = tmp_path / "long.txt"
    p.write_text(text, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    pipeline.run([p], db, progress=False)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute('SELECT claim_id, report_id, start, "end" FROM claims').fetchall()
    assert rows and all(s > 2_000_000 for _, _, s, _ in rows)
    assert all(cid == claim_id(rid, s, e) for cid, rid, s, e in rows)


def _rows(db: Path) -> dict[str, list]:
    """Every stored row (the signature, ingest time and rules version aside)."""
    return {
        "claims": store_rows(db, "SELECT * FROM claims ORDER BY claim_id"),
        "reports": store_rows(db, "SELECT * EXCLUDE (content_sig, ingested_at, rules_version) "
                                  "FROM reports ORDER BY report_id"),
        "report_files": store_rows(db, "SELECT path, doc, report_id FROM report_files ORDER BY path"),
    }


def _as_first_scheme(db: Path) -> dict[str, str]:
    """Give every stored report the signature the code before this branch gave it."""
    sigs = {}
    for p in CORPUS:
        res = pipeline.process_file(p, for_store=True)
        sigs[res.report.report_id] = prepared.legacy_sig(res.report, res.prepared.table)
    with duckdb.connect(str(db)) as con:
        for rid, sig in sigs.items():
            con.execute("UPDATE reports SET content_sig = ? WHERE report_id = ?", [sig, rid])
    return sigs


def test_a_store_with_first_scheme_signatures_sees_its_reports_unchanged(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "s.duckdb"
    pipeline.run([folder], db, progress=False)
    rows = _rows(db)
    sigs = _as_first_scheme(db)
    assert all(len(s) == 40 for s in sigs.values())

    summary = pipeline.run([folder], db, progress=False)
    assert {f.status for f in summary.files} == {"unchanged"}
    assert _rows(db) == rows                   # nothing rewritten, nothing lost
    with duckdb.connect(str(db), read_only=True) as con:
        now = dict(con.execute("SELECT report_id, content_sig FROM reports").fetchall())
    assert set(now) == set(sigs)
    assert all(s.startswith(prepared.SIG_SCHEME) for s in now.values())
    # and the next run finds them unchanged by the new signature alone
    assert {f.status for f in pipeline.run([folder], db, progress=False).files} == {"unchanged"}


def test_a_first_scheme_report_whose_claims_changed_is_updated(tmp_path):
    """The old signature is compared, not trusted: a report whose claims differ from
    the ones stored is saved again, as before."""
    folder = _folder(tmp_path)
    db = tmp_path / "s.duckdb"
    pipeline.run([folder], db, progress=False)
    _as_first_scheme(db)
    victim = CORPUS[0]
    res = pipeline.process_file(victim, for_store=True)
    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE claims SET subject = 'stale' WHERE report_id = ?", [res.report.report_id])
        # the signature of what is stored now: other claims than extraction gives
        con.execute("UPDATE reports SET content_sig = ? WHERE report_id = ?",
                    ["0" * 40, res.report.report_id])
    summary = pipeline.run([folder], db, progress=False)
    status = {Path(f.path).name: f.status for f in summary.files}
    assert status.pop(victim.name) == "updated"
    assert set(status.values()) == {"unchanged"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM claims WHERE subject = 'stale'").fetchone()[0] == 0


def test_save_report_keeps_working_with_claims_given_one_by_one(tmp_path):
    """Store.save_report (the upload's path) computes the same ids."""
    store = Store(tmp_path / "s.duckdb")
    res = pipeline.process_file(CORPUS[0])
    claims = [dataclasses.replace(c) for c in res.claims]
    assert store.save_report(res.report, claims, path=str(CORPUS[0])) == "new"
    with duckdb.connect(str(store.path), read_only=True) as con:
        rows = con.execute('SELECT claim_id, report_id, start, "end" FROM claims').fetchall()
    assert len(rows) == len(claims)
    assert all(cid == claim_id(rid, s, e) for cid, rid, s, e in rows)
    assert store.save_report(res.report, claims, path=str(CORPUS[0])) == "unchanged"
