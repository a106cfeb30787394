"""The dashboard's SQL: filters in, (sql, params) out. Pure: no streamlit, no duckdb.

The pages and the command-line exports
(`python -m etl export-chart` / `briefing`, through etl/views/items.py) both use it;
every query runs through `Store.query_df` (or the dashboard's cached wrapper of it).

Every aggregate is computed by DuckDB (GROUP BY, LIMIT) so a page never pulls a million
rows into pandas. Values are always bound parameters; the few identifiers that vary
(sort order, grouping column, aggregate) come from the whitelists below.

Claims are read from FAST_VIEW, an equivalent of the store's claims_effective view
that is about twice as fast on a million claims (see `_fast_view`).

Repeated figures: when several reports repeat one figure, the checks (etl/checks,
issue 6) give those claims a shared `dup_group` in the figure_groups table. `DupSource`
says where such a column lives (a table keyed by claim_id, or the view itself); the
`figures` CTE then counts each group once. Without one, every claim is its own figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from etl.store.anchors import ORPHANS_SQL
from etl.store.schema import CLAIM_COLUMNS, VIEW_REPORT_COLUMNS
from etl.views.labels import LEFT_OUT_ZH, NONE_LABEL

Query = tuple[str, tuple]

VIEW = "claims_effective"


def _fast_view() -> str:
    """claims_effective, computed about twice as fast on a 1M-claim store.

    The view joins every claim to the corrections pivot and to its report; only
    corrected claims need the first join. So: uncorrected claims straight from `claims`
    plus their report's columns (named as the view names them, see
    etl.store.schema.view_sql, with the same anti-join that leaves a deleted report's
    claims out), and the view's own rows for corrected claims.
    tests/test_app_store.py checks that this equals the view, row for row."""
    report_cols = []
    for col in VIEW_REPORT_COLUMNS:
        if col not in CLAIM_COLUMNS:
            report_cols.append(f"r.{col}")
        elif col != "doc":
            report_cols.append(f"r.{col} AS report_{col}")
    return ("(SELECT c.*, false AS corrected, []::VARCHAR[] AS corrected_fields, "
            + ", ".join(report_cols) + " FROM claims c LEFT JOIN reports_effective r ON r.report_id = c.report_id "
            "WHERE c.report_id NOT IN (SELECT report_id FROM deleted_report_ids) "
            "AND NOT EXISTS (SELECT 1 FROM corrections k WHERE k.claim_id = c.claim_id) "
            f"UNION ALL BY NAME SELECT * FROM {VIEW} "
            "WHERE claim_id IN (SELECT claim_id FROM corrections))")


FAST_VIEW = _fast_view()
DIMENSIONS = ("campaign", "organisation", "level", "year")
AGGREGATES = {"sum": "sum(value)", "max": "max(value)", "avg": "avg(value)",
              "median": "median(value)", "count": "count(*)"}
EXPLORE_ORDER = {
    "published_desc": "published DESC NULLS LAST, doc, start",
    "published_asc": "published ASC NULLS LAST, doc, start",
    "value_desc": "value DESC NULLS LAST, doc, start",
    "value_asc": "value ASC NULLS LAST, doc, start",
    "doc": "doc, start",
}
EXPLORE_COLUMNS = ("claim_id", "report_id", "text", "value", "value_max", "unit",
                   "unit_class", "approx", "subject", "metric", "metric_evidence", "sentence",
                   "campaign", "organisation", "level", "year", "published", "doc", "title",
                   "corrected", "corrected_fields")
_LIST_COLUMNS = ("campaign", "organisation", "year", "level", "unit_class", "approx", "metric")
_REPORT_COLUMNS = ("campaign", "organisation", "year", "level")


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the data to. Empty tuple = no filter. NONE_LABEL in a
    tuple stands for "not known" (NULL)."""
    campaign: tuple = ()
    organisation: tuple = ()
    year: tuple = ()
    level: tuple = ()
    unit_class: tuple = ()
    approx: tuple = ()
    metric: tuple = ()              # metric ids (data/rules/metrics.yaml)
    text: str = ""                  # substring of subject or sentence
    subject_terms: tuple = ()       # any of these in subject (Compare's refinement)
    unit: str | None = None
    claims_only: bool = True        # False: every numeric mention

    def but(self, **changes) -> "Filters":
        return replace(self, **changes)


@dataclass(frozen=True)
class DupSource:
    """Where dup_group lives: in `table` (keyed by claim_id; best a table holding only
    the claims that are repeated, like the checks' figure_groups, so that a claim
    without a row is its own figure), or on the view itself (table=None); `view_only`
    when the view computes it (then the fast path, which reads `claims`, lacks it)."""
    table: str | None = None
    view_only: bool = False


def like(text: str) -> str:
    """LIKE pattern for a substring; the user's % and _ match literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _op(text: str) -> str:
    """ILIKE only when case can matter: it is ~5x slower than LIKE on a million
    Chinese sentences, and Chinese has no case."""
    return "ILIKE" if any(ch.isascii() and ch.isalpha() for ch in text) else "LIKE"


def _contains(cols: tuple[str, ...], text: str) -> tuple[str, list]:
    """(col1 LIKE ? OR col2 LIKE ? ...) for a substring, with its parameters."""
    op = _op(text)
    return ("(" + " OR ".join(f"{c} {op} ? ESCAPE '\\'" for c in cols) + ")",
            [like(text)] * len(cols))


def _in(col: str, values: tuple, *, ints: bool = False) -> tuple[str, list]:
    known = [v for v in values if v != NONE_LABEL]
    if ints:
        known = [int(v) for v in known]
    parts, params = [], []
    if known:
        parts.append(f"list_contains(?, {col})")
        params.append(known)
    if NONE_LABEL in values:
        parts.append(f"{col} IS NULL")
    return "(" + " OR ".join(parts) + ")", params


def where(f: Filters, *, reports_only: bool = False) -> tuple[str, list]:
    """WHERE body for the claims view (or, with reports_only, for the reports table)."""
    parts, params = [], []
    cols = _REPORT_COLUMNS if reports_only else _LIST_COLUMNS
    for col in cols:
        values = getattr(f, col)
        if values:
            sql, p = _in(col, tuple(values), ints=col == "year")
            parts.append(sql)
            params += p
    if not reports_only:
        if f.claims_only:
            parts.append("is_claim")
        if f.unit:
            parts.append("unit = ?")
            params.append(f.unit)
        if f.text.strip():
            sql, p = _contains(("subject", "sentence"), f.text.strip())
            parts.append(sql)
            params += p
        terms = [t.strip() for t in f.subject_terms if t and t.strip()]
        if terms:
            any_term = [_contains(("subject",), t) for t in terms]
            parts.append("(" + " OR ".join(sql for sql, _ in any_term) + ")")
            params += [p for _, ps in any_term for p in ps]
    return (" AND ".join(parts) or "TRUE"), params


def quote(name: str) -> str:
    """A catalogue name (table found in duckdb_columns) as a quoted identifier."""
    return _ident(name)


def _ident(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return '"' + name + '"'


def _source(dup: DupSource | None = None) -> str:
    """The FROM clause: the effective claims (alias ce), with dup_group joined in when
    a duplicates table provides it."""
    if dup is not None and dup.table is None and dup.view_only:
        return f"{VIEW} AS ce"
    if dup is None or dup.table is None:
        return f"{FAST_VIEW} AS ce"
    return (f"{FAST_VIEW} AS ce LEFT JOIN (SELECT claim_id AS _dup_claim, dup_group "
            f"FROM {_ident(dup.table)}) d ON d._dup_claim = ce.claim_id")


def figures(f: Filters, dup: DupSource | None, dims: tuple[str, ...] = ()) -> tuple[str, list]:
    """SELECT with one row per figure: dims..., value, approx (bool), corrected (bool),
    n_reports. Claims that share a dup_group (within the filtered rows) count once; only
    that usually small grouped part is aggregated, the rest passes straight through."""
    w, params = where(f)
    dim_sql = "".join(f"{d}, " for d in dims)
    single = (f"SELECT {dim_sql}value, (approx IS DISTINCT FROM 'exact') AS approx, "
              f"corrected, 1 AS n_reports FROM {{src}} WHERE {{w}}")
    if dup is None:
        return single.format(src=_source(), w=w), params
    base = (f"SELECT {dim_sql}value, approx, corrected, report_id, dup_group "
            f"FROM {_source(dup)} WHERE {w}")
    return (f"SELECT {dim_sql}value, approx, corrected, n_reports FROM ("
            f"WITH b AS ({base}) "
            f"SELECT {dim_sql}value, (approx IS DISTINCT FROM 'exact') AS approx, corrected, "
            f"1 AS n_reports FROM b WHERE dup_group IS NULL "
            f"UNION ALL SELECT {dim_sql}max(value), bool_or(approx IS DISTINCT FROM 'exact'), "
            f"bool_or(corrected), count(DISTINCT report_id) FROM b WHERE dup_group IS NOT NULL "
            f"GROUP BY {dim_sql}dup_group)"), params


# ------------------------------------------------------------------------ sums: facts

def _left_out_sql() -> str:
    """The reason a sum leaves a figure out because of what it is in its report (its
    role, or a user's correction of `counted`), as a SQL CASE over one claim row; NULL
    when it counts. A figure of a class without roles (counted NULL) counts."""
    whens = "".join(f"WHEN role = '{role}' THEN '{LEFT_OUT_ZH[role]}' "
                    for role in ("restatement", "part", "rate", "change", "plan", "context"))
    return (f"CASE WHEN coalesce(counted, true) THEN NULL "
            f"WHEN list_contains(corrected_fields, 'counted') THEN '{LEFT_OUT_ZH['by_hand']}' "
            f"{whens}ELSE '{LEFT_OUT_ZH['by_hand']}' END")


LEDGER_DETAIL = ("text", "subject", "role", "unit")


def ledger(f: Filters, dup: DupSource | None, dims: tuple[str, ...] = (),
           detail: bool = False, keep: str = "") -> tuple[str, list]:
    """Every figure of the selection with whether a sum counts it: the one rule behind
    every total (对比, 总览, briefings, export-chart). Columns: dims..., claim_id,
    report_id, value, unit_class, approx (bool), corrected, n_copies, left_out (the
    reason in Chinese, NULL when counted).

    A sum counts facts, not mentions:
      1. a figure its report restates, breaks down, gives per person, as a change, a
         plan or as background is left out (its role; a user may override `counted`);
      2. people figures of one report may count the same persons: only its largest
         people figure counts;
      3. a figure several reports give (one dup_group of the checks) counts once, its
         largest copy. Last, so that a reprint changes no total: its figures are the
         same facts, and its largest people figure is its original's.
    detail: also the figure as written, its subject, role and unit, and the report's
    name and date (for the table that lists what was summed and what was left out).
    keep: a condition on `dims` columns only, applied before the ranking: it drops
    whole partitions, so what remains is ranked as without it, on fewer rows."""
    w, params = where(f)
    if keep:
        w = f"({w}) AND ({keep})"
    d = "".join(f"{x}, " for x in dims)
    grp = "dup_group" if dup is not None else "NULL::VARCHAR AS dup_group"
    extra = "".join(f"{c}, " for c in LEDGER_DETAIL) + "report, published, " if detail else ""
    extra_in = extra.replace("report, ", "coalesce(title, doc) AS report, ")
    # Each step ranks only the rows it is about (counted people; counted copies of a
    # figure several reports give) and lets the rest through: on a million claims the
    # window over every row was the Overview's slowest query.
    people = "why IS NULL AND unit_class = 'people'"
    copied = "why2 IS NULL AND dup_group IS NOT NULL"
    sql = (f"WITH b AS MATERIALIZED (SELECT {d}{extra_in}claim_id, report_id, value, unit_class, "
           f"(approx IS DISTINCT FROM 'exact') AS approx, corrected, {grp}, "
           f"{_left_out_sql()} AS why FROM {_source(dup)} WHERE {w}), "
           # 2. one people figure per report
           f"p AS MATERIALIZED (SELECT * EXCLUDE (rn), CASE WHEN rn > 1 THEN '{LEFT_OUT_ZH['overlap']}' END "
           f"AS why2 FROM (SELECT *, row_number() OVER (PARTITION BY {d}report_id ORDER BY value DESC "
           f"NULLS LAST, claim_id) AS rn FROM b WHERE {people}) "
           f"UNION ALL BY NAME SELECT *, why AS why2 FROM b WHERE NOT ({people})), "
           # 3. one copy of a figure several reports give (among the counted ones)
           f"g AS (SELECT * EXCLUDE (rn), CASE WHEN rn > 1 THEN '{LEFT_OUT_ZH['other_report']}' END "
           f"AS left_out FROM (SELECT *, row_number() OVER w AS rn, count(*) OVER w AS n_copies "
           f"FROM p WHERE {copied} WINDOW w AS (PARTITION BY {d}dup_group ORDER BY value DESC NULLS LAST, "
           f"report_id, claim_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) "
           f"UNION ALL BY NAME SELECT *, why2 AS left_out, 1 AS n_copies FROM p WHERE NOT ({copied})) "
           f"SELECT {d}{extra}claim_id, report_id, value, unit_class, approx, corrected, n_copies, "
           f"left_out FROM g")
    return sql, params


def compare_ledger(f: Filters, dim: str, dup: DupSource | None, limit: int = 5000) -> Query:
    """The figures behind a Compare chart, per group: the counted ones first (largest
    first), then those a sum leaves out, each with its reason."""
    d = _dim(dim)
    led, p = ledger(f, dup, (d,), detail=True)
    return (f"SELECT {d} AS grp, * EXCLUDE ({d}) FROM ({led}) ORDER BY grp NULLS LAST, "
            f"left_out IS NOT NULL, value DESC NULLS LAST, claim_id LIMIT ?", tuple(p + [int(limit)]))


def facts(f: Filters, dup: DupSource | None, dims: tuple[str, ...] = ()) -> tuple[str, list]:
    """One row per fact a sum counts (the ledger's counted rows): dims..., value, approx,
    corrected, n_reports (how many reports give it)."""
    led, params = ledger(f, dup, dims)
    d = "".join(f"{x}, " for x in dims)
    return (f"SELECT {d}value, approx, corrected, n_copies AS n_reports FROM ({led}) "
            f"WHERE left_out IS NULL"), params


def how_summed(unit_classes: tuple[str, ...] | list[str]) -> str:
    """How a total of these classes was made, in one Chinese sentence for a chart."""
    text = ("合计只计每个事实一次：重复陈述、已含于总数的分项、人均或单价、增减量、计划目标和背景情况不计入，"
            "多份报告报道的同一数字只计一次")
    if "people" in unit_classes:
        text += "；同一报告中的人数可能指同一批人，只取其中最大的一个，再按报告相加"
    return text + "。"


# ------------------------------------------------------------------- catalogue / options

def dup_columns() -> Query:
    """Relations that have a dup_group column (and whether they have claim_id)."""
    return ("SELECT table_name, bool_or(column_name = 'claim_id') AS has_claim_id, "
            "bool_or(column_name = 'dup_group') AS has_dup FROM duckdb_columns() "
            "WHERE schema_name = current_schema() AND column_name IN ('claim_id', 'dup_group') "
            "GROUP BY table_name", ())


def view_columns() -> Query:
    return ("SELECT column_name FROM (DESCRIBE claims_effective)", ())


def filter_options() -> Query:
    """Values of the shared sidebar filters with their report counts, in one scan."""
    return ("SELECT 'campaign' AS field, campaign AS value, count(*) AS n FROM reports_effective GROUP BY campaign "
            "UNION ALL SELECT 'organisation', organisation, count(*) FROM reports_effective GROUP BY organisation "
            "UNION ALL SELECT 'year', CAST(year AS VARCHAR), count(*) FROM reports_effective GROUP BY year "
            "UNION ALL SELECT 'level', level, count(*) FROM reports_effective GROUP BY level", ())


def units_of_class(f: Filters) -> Query:
    w, p = where(f.but(unit=None))
    return (f"SELECT unit, count(*) AS n FROM {_source()} WHERE {w} GROUP BY unit "
            f"ORDER BY n DESC, unit NULLS LAST", tuple(p))


def unit_counts(f: Filters) -> Query:
    """The units of a selection (a metric may span unit classes: 人, 人次, 户 ...), most
    common first, each with its figures and the unit classes it comes in."""
    w, p = where(f.but(unit=None))
    return (f"SELECT unit, count(*) AS n, list(DISTINCT unit_class ORDER BY unit_class) "
            f"FILTER (WHERE unit_class IS NOT NULL) AS classes FROM {_source()} WHERE {w} "
            f"GROUP BY unit ORDER BY n DESC, unit NULLS LAST", tuple(p))


def metric_units(f: Filters) -> Query:
    """Figures per metric, unit and unit class in the selection, ignoring its own metric
    and unit filters: in one scan, the Compare page's metric counts and the units of
    whichever metric is picked (etl.views.compare.units_from)."""
    w, p = where(f.but(metric=(), unit=None))
    return (f"SELECT metric, unit, unit_class, count(*) AS n FROM {_source()} WHERE {w} "
            f"GROUP BY ALL", tuple(p))


# -------------------------------------------------------------------------- overview

def report_summary(f: Filters, top: int = 3) -> Query:
    """Reports, campaigns, organisations, years of the filtered reports, and the names
    of the `top` reports with the most figures (the source line of whole-store charts)."""
    w, p = where(f, reports_only=True)
    return (f"SELECT count(*) AS reports, count(DISTINCT campaign) AS campaigns, "
            f"count(DISTINCT organisation) AS organisations, min(year) AS first_year, "
            f"max(year) AS last_year, (SELECT list(name) FROM (SELECT coalesce(title, doc) AS name "
            f"FROM reports_effective WHERE {w} ORDER BY n_claims DESC NULLS LAST, name LIMIT {int(top)})) AS names "
            f"FROM reports_effective WHERE {w}", tuple(p + p))


def overview_groups(f: Filters, dup: DupSource | None) -> Query:
    """One scan for the Overview: per campaign, claim/non-claim, unit class and unit,
    the number of figures, their total and how many are approximate or corrected."""
    fig, p = figures(f.but(claims_only=False), dup, ("campaign", "is_claim", "unit_class", "unit"))
    return (f"WITH fig AS ({fig}) SELECT campaign, is_claim, unit_class, unit, count(*) AS n, "
            f"sum(value) AS total, sum(approx::INT) AS n_approx, sum(corrected::INT) AS n_corrected "
            f"FROM fig GROUP BY ALL", tuple(p))


# The classes a headline adds up, each in its one unit (a metric's 户 or 个 are not added).
HEADLINE_UNITS = {"money": "元", "people": "人", "person_times": "人次"}


def metric_totals(f: Filters, dup: DupSource | None) -> Query:
    """The Overview's headline: per metric (never `other`) and headline unit, the sum of
    its facts (see `ledger`), how many facts went in, how many were approximate, and
    how many figures were left out."""
    sel = f.but(unit_class=tuple(HEADLINE_UNITS), unit=None)
    pairs = " OR ".join(f"(unit_class = '{c}' AND unit = '{u}')" for c, u in HEADLINE_UNITS.items())
    # metric, class and unit are the ledger's partitions: filtering them first ranks fewer rows
    keep = f"metric IS NOT NULL AND metric <> 'other' AND ({pairs})"
    led, p = ledger(sel, dup, ("metric", "unit_class", "unit"), keep=keep)
    return (f"SELECT metric, unit_class, unit, sum(value) FILTER (WHERE left_out IS NULL) AS total, "
            f"count(*) FILTER (WHERE left_out IS NULL) AS n, "
            f"count(*) FILTER (WHERE left_out IS NULL AND approx) AS n_approx, "
            f"count(*) FILTER (WHERE left_out IS NOT NULL) AS n_left_out FROM ({led}) "
            f"GROUP BY ALL", tuple(p))


def biggest(f: Filters, unit_class: str, unit: str | None, limit: int = 10,
            dup: DupSource | None = None) -> Query:
    """The largest figures of a class (a few extra rows so repeats can be dropped).

    Top-N over narrow columns first, then each row's sentence, figure as written and
    file name from `claims` (never corrected): carrying the long sentences through the
    sort made this query the slowest of the Overview on a million claims, and leaving
    text and doc to the join as well takes another ~15% off its CPU time."""
    w, p = where(f.but(unit_class=(unit_class,), unit=unit))
    dup_col = "dup_group" if dup is not None else "NULL::VARCHAR AS dup_group"
    n = int(limit) * (4 if dup is not None else 1)
    return (f"WITH top AS (SELECT claim_id, report_id, value, unit, approx, subject, title, "
            f"published, campaign, organisation, corrected, {dup_col} FROM {_source(dup)} "
            f"WHERE {w} ORDER BY value DESC NULLS LAST, claim_id LIMIT ?) "
            f"SELECT top.claim_id, top.report_id, c.text, top.value, top.unit, top.approx, "
            f"top.subject, coalesce(top.title, c.doc) AS report, top.published, top.campaign, "
            f"top.organisation, top.corrected, top.dup_group, c.sentence "
            f"FROM top JOIN claims c ON c.claim_id = top.claim_id "
            f"ORDER BY value DESC NULLS LAST, claim_id", tuple(p + [n]))


# --------------------------------------------------------------------------- explore

def explore(f: Filters, order: str = "published_desc", limit: int = 500, offset: int = 0) -> Query:
    w, p = where(f)
    cols = ", ".join(_ident(c) for c in EXPLORE_COLUMNS)
    return (f"SELECT {cols} FROM {_source()} WHERE {w} ORDER BY {EXPLORE_ORDER[order]} "
            f"LIMIT ? OFFSET ?", tuple(p + [int(limit), int(offset)]))


def count(f: Filters) -> Query:
    w, p = where(f)
    return (f"SELECT count(*) AS n FROM {_source()} WHERE {w}", tuple(p))


def sources(f: Filters, top: int = 3) -> Query:
    """How many reports a selection comes from and the names of the biggest few."""
    w, p = where(f)
    return (f"WITH per AS (SELECT report_id, any_value(coalesce(title, doc)) AS name, "
            f"count(*) AS n FROM {_source()} WHERE {w} GROUP BY report_id) "
            f"SELECT (SELECT count(*) FROM per) AS n_reports, "
            f"(SELECT list(name ORDER BY n DESC, name)[1:{int(top)}] FROM per) AS names",
            tuple(p))


# --------------------------------------------------------------------------- compare

def _dim(dim: str) -> str:
    if dim not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dim!r}")
    return dim


def compare(f: Filters, dim: str, agg: str, dup: DupSource | None, top: int = 30) -> Query:
    """One row per group: y (the aggregate of its facts, see `ledger`), facts,
    approximate, corrected, and n_mentions (the reports' mentions behind them)."""
    d = _dim(dim)
    fig, p = facts(f, dup, (d,))
    order = f"{d} ASC NULLS LAST" if d == "year" else "y DESC NULLS LAST, grp"
    return (f"WITH fig AS ({fig}) SELECT {d} AS grp, {AGGREGATES[agg]} AS y, "
            f"count(*) AS n_figures, sum(approx::INT) AS n_approx, "
            f"sum(corrected::INT) AS n_corrected, sum(n_reports) AS n_mentions FROM fig "
            f"GROUP BY {d} ORDER BY {order} LIMIT ?", tuple(p + [int(top)]))


def compare_timeline(f: Filters, dim: str, agg: str, dup: DupSource | None,
                     top: int = 8) -> Query:
    """Per year and group (the `top` groups by aggregate): y, figures, approximate."""
    d = _dim(dim)
    dims = ("year",) if d == "year" else (d, "year")
    fig, p = facts(f, dup, dims)
    if d == "year":
        return (f"WITH fig AS ({fig}) SELECT year AS grp, year, {AGGREGATES[agg]} AS y, "
                f"count(*) AS n_figures, sum(approx::INT) AS n_approx FROM fig "
                f"WHERE year IS NOT NULL GROUP BY year ORDER BY year", tuple(p))
    return (f"WITH fig AS ({fig}), top AS (SELECT {d} AS grp FROM fig GROUP BY {d} "
            f"ORDER BY {AGGREGATES[agg]} DESC NULLS LAST, grp LIMIT ?) "
            f"SELECT {d} AS grp, year, {AGGREGATES[agg]} AS y, count(*) AS n_figures, "
            f"sum(approx::INT) AS n_approx FROM fig WHERE year IS NOT NULL AND "
            f"EXISTS (SELECT 1 FROM top WHERE top.grp IS NOT DISTINCT FROM fig.{d}) GROUP BY {d}, year "
            f"ORDER BY year, grp", tuple(p + [int(top)]))


def compare_points(f: Filters, dim: str, dup: DupSource | None, top: int = 20,
                   per_group: int = 200) -> Query:
    """Individual figures for a dot chart: the `top` groups by total, at most
    `per_group` largest figures each (the count of the rest is in `n_in_group`)."""
    d = _dim(dim)
    w, p = where(f)
    key = "dup_group" if dup is not None else "NULL::VARCHAR"
    # repeated figures: keep the earliest report's copy (only the grouped rows are ranked)
    one = ("SELECT * FROM base WHERE fig IS NULL UNION ALL (SELECT * FROM base WHERE fig IS NOT NULL "
           "QUALIFY row_number() OVER (PARTITION BY grp, fig ORDER BY published NULLS LAST, report, "
           "claim_id) = 1)") if dup is not None else "SELECT * FROM base"
    return (f"WITH base AS (SELECT {d} AS grp, {key} AS fig, claim_id, value, approx, text, subject, "
            f"coalesce(title, doc) AS report, published, corrected FROM {_source(dup)} "
            f"WHERE {w}), one AS ({one}), "
            f"top AS (SELECT grp FROM one GROUP BY grp ORDER BY sum(value) DESC NULLS LAST, grp "
            f"LIMIT ?) SELECT grp, value, approx, text, subject, report, published, corrected, "
            f"count(*) OVER (PARTITION BY grp) AS n_in_group FROM one "
            f"WHERE EXISTS (SELECT 1 FROM top WHERE top.grp IS NOT DISTINCT FROM one.grp) "
            f"QUALIFY row_number() OVER (PARTITION BY grp ORDER BY value DESC NULLS LAST, claim_id) <= ? "
            f"ORDER BY grp, value DESC, claim_id", tuple(p + [int(top), int(per_group)]))


# ---------------------------------------------------------------------------- report

def report_list(f: Filters, search: str = "", limit: int = 200) -> Query:
    w, p = where(f, reports_only=True)
    if search.strip():
        sql, more = _contains(("title", "doc", "organisation"), search.strip())
        w += " AND " + sql
        p += more
    return (f"SELECT report_id, doc, title, published, year, organisation, campaign, n_claims "
            f"FROM reports_effective WHERE {w} ORDER BY published DESC NULLS LAST, doc LIMIT ?",
            tuple(p + [int(limit)]))


def report_row(report_id: str) -> Query:
    return ("SELECT * EXCLUDE (content_sig) FROM reports_effective WHERE report_id = ?", (report_id,))


def report_mentions(report_id: str) -> Query:
    return (f"SELECT claim_id, start, \"end\", text, is_claim, kind, value, value_max, unit, "
            f"unit_class, approx, subject, metric, metric_evidence, sentence, per, aggregate, "
            f"change, share_of, reason, corrected, corrected_fields FROM {_source()} "
            f"WHERE report_id = ? ORDER BY start, \"end\"",
            (report_id,))


def claim(claim_id: str) -> Query:
    return (f"SELECT * FROM {_source()} WHERE claim_id = ?", (claim_id,))


def find_claims(text: str, limit: int = 50) -> Query:
    """Claims (and other mentions) whose text, subject or sentence contains `text`;
    matches on the figure itself first, then on its subject, then in its sentence."""
    t = text.strip()
    cond, p = _contains(("text", "subject", "sentence"), t)
    op, pat = _op(t), like(t)
    return (f"SELECT claim_id, text, subject, is_claim, coalesce(title, doc) AS report "
            f"FROM {_source()} WHERE {cond} "
            f"ORDER BY (text {op} ? ESCAPE '\\') DESC, (subject {op} ? ESCAPE '\\') DESC, "
            f"is_claim DESC, published DESC NULLS LAST, doc, start LIMIT ?",
            tuple(p + [pat, pat, int(limit)]))


def deleted_reports() -> Query:
    """Deleted reports, latest deletion first, with who deleted each, when and why."""
    return ("SELECT r.report_id, r.doc, r.title, e.who, e.\"at\", e.why FROM reports_edited r "
            "JOIN (SELECT report_id, who, \"at\", why FROM report_edits WHERE field = 'deleted' "
            "QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY id DESC) = 1) e "
            "USING (report_id) WHERE r.deleted ORDER BY e.\"at\" DESC, r.doc", ())


def report_extracted(report_id: str) -> Query:
    """A report's metadata as extracted, before any user edit."""
    return ("SELECT title, published, organisation, level, campaign FROM reports WHERE report_id = ?",
            (report_id,))


def report_edits(report_id: str | None = None, limit: int = 500) -> Query:
    """The audit of report edits, deletions and restores (one report's, or all), newest first."""
    w, p = ("WHERE e.report_id = ? ", [report_id]) if report_id else ("", [])
    return ("SELECT e.id, e.\"at\", e.who, e.field, e.old_value, e.new_value, e.why, e.report_id, "
            "coalesce(r.title, r.doc, e.path) AS report FROM report_edits e "
            f"LEFT JOIN reports_edited r ON r.report_id = e.report_id {w}ORDER BY e.id DESC LIMIT ?",
            tuple(p + [int(limit)]))


# ------------------------------------------------------------------------ corrections

def corrections(limit: int = 500) -> Query:
    return ("SELECT k.id, k.\"at\", k.who, k.field, k.old_value, k.new_value, k.why, "
            "k.claim_id, k.report_id, coalesce(c.text, k.anchor_text) AS text, c.subject, "
            "coalesce(r.title, r.doc) AS report "
            "FROM corrections k LEFT JOIN claims c ON c.claim_id = k.claim_id "
            "LEFT JOIN reports_edited r ON r.report_id = k.report_id ORDER BY k.id DESC LIMIT ?",
            (int(limit),))


def orphaned_corrections() -> Query:
    """Corrections whose figure is in no stored report any more (etl/store/anchors.py)."""
    return (ORPHANS_SQL, ())
