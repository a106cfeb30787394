"""Where a chart's figures come from: the repeated-figure groups the checks made (so a
figure several reports repeat counts once) and the source line every chart and table
carries (数据来源：N 份报告：《…》 等, the organisations, the dates, the filters)."""
from __future__ import annotations

from typing import Callable

import pandas as pd

from etl.views import queries as q
from etl.views.text import shorten

Runner = Callable[[q.Query], pd.DataFrame]


DUP_TABLES = ("figure_groups", "claim_dup_groups")


def dup_source(run: Runner) -> q.DupSource | None:
    """Where a duplicates module put `dup_group`, if anywhere and if it has run (an
    empty grouping means every report's figure counts; see queries.DupSource)."""
    df = run(q.dup_columns())
    have = df[df["has_dup"] & df["has_claim_id"]]["table_name"].tolist()
    if q.VIEW in have:
        return q.DupSource(None, view_only="claims" not in have)
    tables = [t for t in DUP_TABLES if t in have] + sorted(
        t for t in have if t not in DUP_TABLES and t not in ("claims", "corrections"))
    if not tables:
        return None
    n = run((f"SELECT count(*) AS n FROM (SELECT 1 FROM {q.quote(tables[0])} "
             f"WHERE dup_group IS NOT NULL LIMIT 1)", ()))["n"].iloc[0]
    return q.DupSource(tables[0]) if int(n) else None


def dup_caption(dup: q.DupSource | None) -> str:
    return ("重复报道的同一数字只计一次。" if dup is not None else
            "每份报告的数字各计一次：同一数字被几份报告重复报道时会重复计入（去重模块接入后自动只计一次）。")


# ----------------------------------------------------------------------- source line

def filter_note(f: q.Filters) -> str:
    """One line naming the active shared filters (plain text)."""
    parts = []
    for label, vals in (("活动", f.campaign), ("单位", f.organisation), ("年份", f.year)):
        if vals:
            shown = "、".join(str(v) for v in vals[:3]) + ("等" if len(vals) > 3 else "")
            parts.append(f"{label}：{shown}")
    return "；".join(parts)


def sources_sql(f: q.Filters, *, reports_only: bool) -> q.Query:
    """Reports behind a selection: how many, the biggest three, their organisations
    and dates. reports_only: the filtered reports (whole-store charts), else the reports
    that hold the filtered claims."""
    if reports_only:
        w, p = q.where(f, reports_only=True)
        per = (f"SELECT report_id, coalesce(title, doc) AS name, organisation AS org, published, "
               f"year, coalesce(n_claims, 0) AS n FROM reports_effective WHERE {w}")
    else:
        # count the claims per report, then name each report from its row: carrying the
        # report's columns (and every claim's file name) through the grouping cost a
        # quarter of this query's CPU time on a million claims
        w, p = q.where(f)
        per = (f"SELECT k.report_id, coalesce(r.title, r.doc) AS name, r.organisation AS org, "
               f"r.published, r.year, k.n FROM (SELECT report_id, count(*) AS n "
               f"FROM {q.FAST_VIEW} AS ce WHERE {w} GROUP BY report_id) k "
               f"LEFT JOIN reports_effective r ON r.report_id = k.report_id")
    # one pass over `per` for the counts and dates; top-3 lists as small top-N sorts
    return (f"WITH per AS MATERIALIZED ({per}) SELECT count(*) AS n_reports, "
            f"(SELECT list(name) FROM (SELECT name FROM per ORDER BY n DESC, name LIMIT 3)) AS names, "
            f"count(DISTINCT org) AS n_orgs, "
            f"(SELECT list(org) FROM (SELECT org FROM per WHERE org IS NOT NULL GROUP BY org "
            f"ORDER BY sum(n) DESC, org LIMIT 3)) AS orgs, "
            f"min(published) AS first_date, max(published) AS last_date, "
            f"count(*) FILTER (WHERE published IS NULL) AS undated, "
            f"min(year) AS first_year, max(year) AS last_year FROM per",
            tuple(p))


def as_list(v) -> list:
    if isinstance(v, str):
        return [v]
    if v is None or not hasattr(v, "__len__"):
        return []
    return [x for x in list(v) if isinstance(x, str) and x]


def source_text(row: dict | pd.Series, note: str = "") -> str:
    """'数据来源：N 份报告：《A》、《B》、《C》 等' and, on a second line, the organisations,
    the dates and the filters. Plain text (escape for the target)."""
    n = int(row["n_reports"] or 0)
    names = as_list(row.get("names"))
    shown = "、".join(f"《{shorten(x, 28)}》" for x in names)
    line1 = f"数据来源：{n:,} 份报告" + (("：" + shown + (" 等" if n > len(names) else "")) if shown else "")
    parts = []
    n_orgs, orgs = int(row.get("n_orgs") or 0), as_list(row.get("orgs"))
    if n_orgs:
        parts.append(f"{n_orgs:,} 个单位：" + "、".join(shorten(o, 16) for o in orgs)
                     + (" 等" if n_orgs > len(orgs) else ""))
    first, last = row.get("first_date"), row.get("last_date")
    if isinstance(first, str) and isinstance(last, str) and not int(row.get("undated") or 0):
        parts.append(f"报告日期：{first}" + (f" 至 {last}" if last != first else ""))
    elif pd.notna(row.get("first_year")):
        y0, y1 = int(row["first_year"]), int(row["last_year"])
        parts.append(f"报告年份：{y0}" + (f"–{y1}" if y1 != y0 else "") + " 年")
    if note:
        parts.append("筛选：" + note)
    return line1 + ("\n" + "；".join(parts) if parts else "")


def rows_source(rows: pd.DataFrame, note: str = "") -> str:
    """The source line of a table, from its own rows (no query): columns report_id,
    name, org, published and, if known, year."""
    if rows.empty:
        return source_text({"n_reports": 0}, note)
    cols = {"name": ("name", "first"), "org": ("org", "first"),
            "published": ("published", "first"), "n": ("name", "size")}
    if "year" in rows:
        cols["year"] = ("year", "first")
    per = rows.groupby("report_id", sort=False).agg(**cols)
    if "year" not in per:
        per["year"] = pd.to_numeric(per["published"].astype("string").str[:4], errors="coerce")
    per = per.sort_values(["n", "name"], ascending=[False, True])
    orgs = per.dropna(subset=["org"]).groupby("org", sort=False)["n"].sum().sort_values(ascending=False)
    dated = per["published"].dropna().astype(str)
    row = {"n_reports": len(per), "names": per["name"].dropna().astype(str).head(3).tolist(),
           "n_orgs": per["org"].nunique(), "orgs": orgs.index.astype(str)[:3].tolist(),
           "first_date": dated.min() if len(dated) else None,
           "last_date": dated.max() if len(dated) else None,
           "undated": int(per["published"].isna().sum()),
           "first_year": per["year"].min(), "last_year": per["year"].max()}
    return source_text(row, note)


def source(f: q.Filters, run: Runner, *, reports_only: bool = False) -> str:
    """The source line of a chart or table drawn from the selection `f`."""
    df = run(sources_sql(f, reports_only=reports_only))
    row = df.iloc[0].to_dict() if len(df) else {"n_reports": 0}
    return source_text(row, filter_note(f))
