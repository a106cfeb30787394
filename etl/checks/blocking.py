"""Candidate pairs, never all pairs: claims meet only inside a block.

Duplicates (the same figure): block = (organisation, unit, value cell, subject word).
  The value cell is the figure's matching interval [mlo, mhi] cut on a grid of two
  significant digits of its value (g = 10^(floor(log10 v) - 1)), so 6600余人 (cells
  66..67 of 100) meets 6600人 (cell 66) and 6612人; a figure covers at most 25 cells.
  The subject word is the normalised subject, each of its list parts, or one of their
  character bigrams: a subject inside another shares all its bigrams with it, so
  部门、单位 meets 部门 and 干部职工 meets 干部职工参赛. Only claims of different
  reports pair up.

Conflicts (the same metric, different values): block = (organisation, year, campaign,
  unit, subject key) over non-generic subjects; values may differ, so no value cell. A
  block with more than `max_versions` different values is a series (daily counts), not
  two versions of one figure, and values further apart than `max_ratio` are two metrics.

Blocks larger than `max_block` are skipped and counted in the run's stats: a number
that common inside one organisation's reports identifies nothing.
"""
from __future__ import annotations

from .config import CheckRules
from .prepare import sql_list

EPS = 1e-9


def attach_a(a, pairs: str, out: str, id_col: str = "a_id") -> None:
    """TEMP `out` = the pairs with claim a's whole row as a struct column `a`.

    Queries over pairs then join claim b alone (FROM out p JOIN ck b ON b.claim_id =
    p.b_id) and still write a.mlo, a.subject ...: with only one claim table in the
    join, the optimiser cannot join ck with itself on per/change/interval conditions
    first (measured: 80 s instead of 0.1 s at 100k claims)."""
    a.table(out, f"SELECT p.*, a AS a FROM {pairs} p JOIN ck a ON a.claim_id = p.{id_col}")


def cells_sql(alias: str = "c") -> str:
    lo = f"CAST(floor({alias}.mlo / {alias}.g + {EPS}) AS BIGINT)"
    hi = f"CAST(floor({alias}.mhi / {alias}.g + {EPS}) AS BIGINT)"
    return f"range({lo}, least({hi}, {lo} + 24) + 1)"


def duplicate_candidates(a, rules: CheckRules) -> dict:
    """TEMP ck_dpair(a_id, b_id): cross-report pairs sharing a duplicate block (with a
    subject word); ck_vpair(a_id, b_id): pairs sharing a value block only (organisation,
    unit, value cell), for the sentence-pair rule; ck_series(org, unit, skey, n_values)."""
    skip = sql_list(rules.skip_classes)
    a.table("ck_dcell", f"""
        SELECT c.claim_id, c.report_id, c.organisation AS org, c.unit, c.g, c.subject,
               unnest({cells_sql('c')}) AS cell
        FROM ck c WHERE c.organisation IS NOT NULL AND NOT list_contains({skip}, c.unit_class)""")
    a.table("ck_dkey", """
        SELECT claim_id, report_id, org, unit, g, cell, tok,
               count(*) OVER (PARTITION BY org, unit, g, cell, tok) AS bn
        FROM (SELECT d.*, unnest(s.tokens) AS tok
              FROM ck_dcell d JOIN ck_subj s USING (subject))""")
    big = a.df(f"SELECT count(*) AS blocks FROM "
               f"(SELECT DISTINCT org, unit, g, cell, tok FROM ck_dkey WHERE bn > {rules.dup_max_block})")
    a.table("ck_dpair", f"""
        SELECT DISTINCT x.claim_id AS a_id, y.claim_id AS b_id
        FROM ck_dkey x JOIN ck_dkey y
          ON x.org = y.org AND x.unit = y.unit AND x.g = y.g AND x.cell = y.cell AND x.tok = y.tok
        WHERE x.report_id < y.report_id AND x.bn <= {rules.dup_max_block}""")
    a.table("ck_vkey", """
        SELECT claim_id, report_id, org, unit, g, cell,
               count(*) OVER (PARTITION BY org, unit, g, cell) AS bn
        FROM ck_dcell""")
    vbig = a.df(f"SELECT count(*) AS blocks FROM "
                f"(SELECT DISTINCT org, unit, g, cell FROM ck_vkey WHERE bn > {rules.dup_max_block})")
    a.table("ck_vpair", f"""
        SELECT DISTINCT x.claim_id AS a_id, y.claim_id AS b_id
        FROM ck_vkey x JOIN ck_vkey y
          ON x.org = y.org AND x.unit = y.unit AND x.g = y.g AND x.cell = y.cell
        WHERE x.report_id < y.report_id AND x.bn <= {rules.dup_max_block}""")
    # how many different values a subject takes in an organisation's reports
    a.table("ck_series", """
        SELECT c.organisation AS org, c.unit, s.skey, count(DISTINCT c.value) AS n_values
        FROM ck c JOIN ck_subj s USING (subject)
        WHERE c.organisation IS NOT NULL GROUP BY ALL""")
    n = a.df("SELECT (SELECT count(*) FROM ck_dpair) AS d, (SELECT count(*) FROM ck_vpair) AS v")
    return {"dup_candidate_pairs": int(n["d"][0]), "dup_value_pairs": int(n["v"][0]),
            "dup_blocks_skipped": int(big["blocks"][0]) + int(vbig["blocks"][0])}


def conflict_candidates(a, rules: CheckRules) -> dict:
    """TEMP ck_cpair(a_id, b_id): pairs with the same organisation, year, campaign, unit
    and non-generic subject key whose values contradict each other (lo/hi do not meet).
    Pairs inside one report are included (a report can contradict itself)."""
    a.table("ck_ckey", f"""
        SELECT *, count(*) OVER w AS bn, count(DISTINCT value) OVER w AS n_values
        FROM (SELECT c.claim_id, c.report_id, c.start, c.organisation AS org, c.year, c.campaign,
                     c.unit, c.value, s.skey
              FROM ck c JOIN ck_subj s USING (subject)
              WHERE c.organisation IS NOT NULL AND NOT s.generic
                AND NOT list_contains({sql_list(rules.skip_classes)}, c.unit_class))
        WINDOW w AS (PARTITION BY org, year, campaign, unit, skey)""")
    big = a.df(f"SELECT count(DISTINCT (org, year, campaign, unit, skey)) AS blocks FROM ck_ckey "
               f"WHERE bn > {rules.conflict_max_block}")
    a.table("ck_cpair0", f"""
        SELECT x.claim_id AS a_id, y.claim_id AS b_id
        FROM ck_ckey x JOIN ck_ckey y
          ON x.org = y.org AND x.unit = y.unit AND x.skey = y.skey
             AND x.year IS NOT DISTINCT FROM y.year AND x.campaign IS NOT DISTINCT FROM y.campaign
        WHERE (x.report_id < y.report_id OR (x.report_id = y.report_id AND x.start < y.start))
          AND x.bn <= {rules.conflict_max_block} AND x.n_values <= {rules.conflict_max_versions}
          AND greatest(x.value, y.value) <= {rules.conflict_max_ratio} * least(x.value, y.value)""")
    attach_a(a, "ck_cpair0", "ck_cpair1")
    a.table("ck_cpair", f"""
        SELECT p.a_id, p.b_id FROM ck_cpair1 p JOIN ck b ON b.claim_id = p.b_id
        WHERE (a.hi < b.lo - {EPS} * greatest(1, abs(b.lo)) OR b.hi < a.lo - {EPS} * greatest(1, abs(a.lo)))""")
    n = int(a.df("SELECT count(*) AS n FROM ck_cpair")["n"][0])
    return {"conflict_candidate_pairs": n, "conflict_blocks_skipped": int(big["blocks"][0])}
