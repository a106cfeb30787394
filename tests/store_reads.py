"""Reads the tests make of a store: claims, reports, findings and corrections as the
product stores them. The dashboard and the exports run their own queries (etl/views/);
these live here, not on `Store`, because only tests need them."""
from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from etl.claim import Claim
from etl.report import Report
from etl.store import Store
from etl.store.schema import CLAIM_FIELDS, REPORT_FIELDS, ident

_LIST_FILTERS = ("campaign", "organisation", "level", "year", "unit_class", "approx")


def store_rows(db: Path, sql: str) -> list[tuple]:
    """The rows of one query on a store file, opened read-only and closed again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# what two runs over the same files must both have stored (their timestamps aside)
STORED_TABLES = ("SELECT * FROM claims ORDER BY claim_id",
                 "SELECT * EXCLUDE (ingested_at) FROM reports ORDER BY report_id",
                 "SELECT * EXCLUDE (seen_at) FROM report_files ORDER BY path")


def stored_tables(db: Path) -> list[list[tuple]]:
    """The claims, reports and report_files rows of a store, in a fixed order."""
    return [store_rows(db, sql) for sql in STORED_TABLES]


def _like_pattern(text: str) -> str:
    """Substring pattern for ILIKE ... ESCAPE '\\' (user's % and _ match literally)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _decimal(x: float | None) -> Decimal | None:
    """A stored DOUBLE back as the plainest Decimal: 270000.0 -> Decimal('270000')."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if float(x).is_integer():
        return Decimal(int(x))
    return Decimal(repr(float(x)))


def claims_df(store: Store, *, report_id: str | None = None, doc: str | None = None,
              campaign: list | None = None, organisation: list | None = None,
              level: list | None = None, year: list | None = None,
              unit_class: list | None = None, approx: list | None = None,
              is_claim: bool | None = None, text: str | None = None,
              limit: int | None = None) -> pd.DataFrame:
    """Rows of claims_effective (corrections applied), filtered. None or an empty
    list means "no filter" (a cleared multiselect shows everything)."""
    where, params = [], []
    if report_id is not None:
        where.append("report_id = ?"); params.append(report_id)
    if doc is not None:
        where.append("doc = ?"); params.append(doc)
    lists = dict(campaign=campaign, organisation=organisation, level=level, year=year,
                 unit_class=unit_class, approx=approx)
    for col in _LIST_FILTERS:
        vals = lists[col]
        if vals:
            vals = [int(v) for v in vals] if col == "year" else [str(v) for v in vals]
            where.append(f"list_contains(?, {ident(col)})"); params.append(vals)
    if is_claim is not None:
        where.append("is_claim = ?"); params.append(bool(is_claim))
    if text:
        where.append("(subject ILIKE ? ESCAPE '\\' OR sentence ILIKE ? ESCAPE '\\' "
                     "OR text ILIKE ? ESCAPE '\\')")
        params += [_like_pattern(text)] * 3
    sql = "SELECT * FROM claims_effective"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY published NULLS LAST, doc, start"
    if limit is not None:
        sql += " LIMIT ?"; params.append(int(limit))
    with store.reading() as con:
        return con.execute(sql, params).df()


def reports_df(store) -> pd.DataFrame:
    """One row per report (without its text), with the file names it was seen under."""
    with store.reading() as con:
        return con.execute(
            "SELECT r.* EXCLUDE (text, content_sig), coalesce(f.n_files, 0) AS n_files, "
            "f.paths FROM reports r LEFT JOIN (SELECT report_id, count(*) AS n_files, "
            "list(path ORDER BY path) AS paths FROM report_files GROUP BY report_id) f "
            "USING (report_id) ORDER BY r.published NULLS LAST, r.doc").df()


def report(store, report_id: str) -> Report | None:
    names = ", ".join(ident(c) for c in REPORT_FIELDS)
    with store.reading() as con:
        row = con.execute(f"SELECT {names} FROM reports WHERE report_id = ?", [report_id]).fetchone()
    if row is None:
        return None
    d = dict(zip(REPORT_FIELDS, row))
    d["tags"] = list(d.get("tags") or [])
    ms = d.get("meta_source")
    d["meta_source"] = json.loads(ms) if isinstance(ms, str) else (ms or {})
    return Report(**d)


def claims_of(store, report_id: str) -> list[Claim]:
    """The report's claims with corrections applied, in text order."""
    names = ", ".join(ident(c) for c in CLAIM_FIELDS)
    with store.reading() as con:
        rows = con.execute(f"SELECT {names} FROM claims_effective WHERE report_id = ? "
                           f"ORDER BY start, \"end\"", [report_id]).fetchall()
    out = []
    for r in rows:
        d = dict(zip(CLAIM_FIELDS, r))
        for k in ("value", "value_max"):
            if k in d:
                d[k] = _decimal(d[k])
        out.append(Claim(**d))
    return out


def findings_df(store, *, types: list | None = None, report_id: str | None = None) -> pd.DataFrame:
    """Stored findings, each with its claims as a list of {doc, start, end, text,
    report_id, claim_id, role} in order; optionally only some types, or only those
    touching one report. High severity first."""
    where, params = [], []
    if types:
        where.append("list_contains(?, f.type)"); params.append([str(t) for t in types])
    if report_id is not None:
        where.append("list_contains(f.report_ids, ?)"); params.append(report_id)
    sql = ("SELECT f.*, c.claims FROM findings f LEFT JOIN ("
           "SELECT finding_id, list({'doc': doc, 'start': start, 'end': \"end\", 'text': text, "
           "'report_id': report_id, 'claim_id': claim_id, 'role': role} ORDER BY pos) AS claims "
           "FROM finding_claims GROUP BY finding_id) c USING (finding_id)")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += (" ORDER BY CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 "
            "ELSE 3 END, f.type, f.finding_id")
    with store.reading() as con:
        return con.execute(sql, params).df()


def last_check_run(store) -> dict | None:
    """The latest check run (counts and stats as dicts), or None if never checked."""
    with store.reading() as con:
        cur = con.execute("SELECT * FROM check_runs ORDER BY finished_at DESC NULLS LAST LIMIT 1")
        row = cur.fetchone()
        if row is None:
            return None
        d = dict(zip([c[0] for c in cur.description], row))
    for k in ("counts", "stats"):
        if isinstance(d.get(k), str):
            d[k] = json.loads(d[k])
    return d


def corrections_for(store, claim_id: str) -> list[dict]:
    with store.reading() as con:
        cur = con.execute("SELECT * FROM corrections WHERE claim_id = ? ORDER BY id", [claim_id])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


def known_files(store) -> dict[str, str]:
    """Every stored path -> report_id, in one query (a run checks many files)."""
    with store.reading() as con:
        return dict(con.execute("SELECT path, report_id FROM report_files").fetchall())
