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
  unit, subject key) over non-generic subjects; values may differ, so no value cell.

Blocks larger than `max_block` are skipped and counted in the run's stats: a number
that common inside one organisation's reports identifies nothing.
"""
from __future__ import annotations

from .config import CheckRules

EPS = 1e-9


def cells_sql(alias: str = "c") -> str:
    lo = f"CAST(floor({alias}.mlo / {alias}.g + {EPS}) AS BIGINT)"
    hi = f"CAST(floor({alias}.mhi / {alias}.g + {EPS}) AS BIGINT)"
    return f"range({lo}, least({hi}, {lo} + 24) + 1)"


def duplicate_candidates(a, rules: CheckRules) -> dict:
    """TEMP ck_dpair(a_id, b_id): cross-report pairs sharing a duplicate block."""
    a.table("ck_dcell", f"""
        SELECT c.claim_id, c.report_id, c.organisation AS org, c.unit, c.g, c.subject,
               unnest({cells_sql('c')}) AS cell
        FROM ck c WHERE c.organisation IS NOT NULL AND c.subject IS NOT NULL""")
    a.table("ck_dkey", """
        SELECT claim_id, report_id, org, unit, g, cell, tok,
               count(*) OVER (PARTITION BY org, unit, g, cell, tok) AS bn
        FROM (SELECT d.*, unnest(s.tokens) AS tok
              FROM ck_dcell d JOIN ck_subj s USING (subject))""")
    big = a.df(f"SELECT count(*) AS blocks, coalesce(sum(bn), 0) AS keys FROM "
               f"(SELECT DISTINCT org, unit, g, cell, tok, bn FROM ck_dkey WHERE bn > {rules.dup_max_block})")
    a.table("ck_dpair", f"""
        SELECT DISTINCT x.claim_id AS a_id, y.claim_id AS b_id
        FROM ck_dkey x JOIN ck_dkey y
          ON x.org = y.org AND x.unit = y.unit AND x.g = y.g AND x.cell = y.cell AND x.tok = y.tok
        WHERE x.report_id < y.report_id AND x.bn <= {rules.dup_max_block}""")
    n = int(a.df("SELECT count(*) AS n FROM ck_dpair")["n"][0])
    return {"dup_candidate_pairs": n, "dup_blocks_skipped": int(big["blocks"][0])}


def conflict_candidates(a, rules: CheckRules) -> dict:
    """TEMP ck_cpair(a_id, b_id): pairs with the same organisation, year, campaign, unit
    and non-generic subject key whose values contradict each other (lo/hi do not meet).
    Pairs inside one report are included (a report can contradict itself)."""
    a.table("ck_ckey", """
        SELECT c.claim_id, c.report_id, c.start, c.organisation AS org, c.year, c.campaign,
               c.unit, s.skey, count(*) OVER (PARTITION BY c.organisation, c.year, c.campaign,
               c.unit, s.skey) AS bn
        FROM ck c JOIN ck_subj s USING (subject)
        WHERE c.organisation IS NOT NULL AND NOT s.generic""")
    big = a.df(f"SELECT count(DISTINCT (org, year, campaign, unit, skey)) AS blocks FROM ck_ckey "
               f"WHERE bn > {rules.conflict_max_block}")
    a.table("ck_cpair", f"""
        SELECT x.claim_id AS a_id, y.claim_id AS b_id
        FROM ck_ckey x JOIN ck_ckey y
          ON x.org = y.org AND x.unit = y.unit AND x.skey = y.skey
             AND x.year IS NOT DISTINCT FROM y.year AND x.campaign IS NOT DISTINCT FROM y.campaign
        JOIN ck a ON a.claim_id = x.claim_id JOIN ck b ON b.claim_id = y.claim_id
        WHERE (x.report_id < y.report_id OR (x.report_id = y.report_id AND x.start < y.start))
          AND x.bn <= {rules.conflict_max_block}
          AND (a.hi < b.lo - {EPS} * greatest(1, abs(b.lo)) OR b.hi < a.lo - {EPS} * greatest(1, abs(a.lo)))""")
    n = int(a.df("SELECT count(*) AS n FROM ck_cpair")["n"][0])
    return {"conflict_candidate_pairs": n, "conflict_blocks_skipped": int(big["blocks"][0])}
