"""The claims as the checks see them: one TEMP table with each figure's interval.

A figure stands for the interval its writing allows (data/rules/checks.yaml,
`precision`), computed in SQL for every claim at once:

    27万元      step 1万 (its last written digit)      -> [265000, 275000]
    12.2万元    step 1000                              -> [121500, 122500]
    95.5%       step 0.1                               -> [95.45, 95.55]
    122名       a count written in full                -> [122, 122]
    6600余人    one unit of its last non-zero digit up -> [6600, 6700]
    近3万元     ... down                               -> [20000, 30000]
    45%以上     open above                             -> [45, inf)

Two intervals: `lo, hi` (what the words allow; open sides are infinite) decide whether
two figures *contradict*; `mlo, mhi` (open sides closed at one digit unit) decide whether
two figures are *the same figure*: 45%以上 is compatible with 80% but is not 80%.

Tables made (all TEMP, prefix ck_):
    ck         one row per claim with a value and a unit
    ck_sent    one row per sentence holding a claim (report_id, sentence_start, sentence)
    ck_subj    one row per distinct subject (subjects.subject_table)
"""
from __future__ import annotations

from .config import CheckRules
from .subjects import subject_table

INF = 1e300


def sql_list(words) -> str:
    """A SQL list literal of our own rule words (quotes doubled)."""
    return "[" + ", ".join("'" + w.replace("'", "''") + "'" for w in words) + "]"


def regex_alt(words) -> str:
    import re
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)).replace("'", "''")


def interval_sql(rules: CheckRules) -> str:
    """SELECT list computing step, lsd, h, sig and the open_* flags from columns text,
    value, value_max, approx, unit_class, cue (the `n` CTE below)."""
    counting = sql_list(sorted(rules.counting_classes))
    open_over, open_under = regex_alt(rules.open_over), regex_alt(rules.open_under)
    return f"""
    SELECT *,
      CASE WHEN step <= 1 AND list_contains({counting}, unit_class) AND value = round(value)
           THEN 0 ELSE step / 2 END AS h,
      regexp_matches(t, '{open_over}') OR cue = 'over' AS open_over,
      regexp_matches(t, '{open_under}') OR cue = 'under' AS open_under
    FROM (
      SELECT *,
        CASE WHEN factor IS NOT NULL THEN factor * power(10, -dec)
             WHEN value <> round(value) THEN 0.01
             ELSE power(10, length(CAST(CAST(round(value) AS HUGEINT) AS VARCHAR))
                        - length(rtrim(CAST(CAST(round(value) AS HUGEINT) AS VARCHAR), '0'))) END AS step,
        CASE WHEN factor IS NOT NULL AND dec > 0 THEN factor * power(10, -dec)
             WHEN factor IS NOT NULL THEN factor * power(10, izeros)
             WHEN value <> round(value) THEN 0.01
             ELSE power(10, length(CAST(CAST(round(value) AS HUGEINT) AS VARCHAR))
                        - length(rtrim(CAST(CAST(round(value) AS HUGEINT) AS VARCHAR), '0'))) END AS lsd,
        CASE WHEN factor IS NOT NULL
             THEN length(rtrim(ltrim(replace(ntxt, '.', ''), '0'), CASE WHEN dec > 0 THEN '' ELSE '0' END))
             ELSE length(rtrim(CAST(CAST(round(value) AS HUGEINT) AS VARCHAR), '0')) END AS sig
      FROM (
        SELECT *,
          CASE WHEN numv > 0 AND abs(value / numv / power(10, round(log10(value / numv))) - 1) < 1e-6
               THEN power(10, round(log10(value / numv))) END AS factor
        FROM (
          SELECT *, TRY_CAST(ntxt AS DOUBLE) AS numv,
            CASE WHEN contains(ntxt, '.') THEN length(split_part(ntxt, '.', 2)) ELSE 0 END AS dec,
            length(split_part(ntxt, '.', 1)) - length(rtrim(split_part(ntxt, '.', 1), '0')) AS izeros
          FROM n)))"""


def bounds_sql() -> str:
    """lo/hi (logical) and mlo/mhi (matching) from v, h, lsd (w), approx, open_*."""
    return f"""
      CASE approx
        WHEN 'over'     THEN value
        WHEN 'under'    THEN CASE WHEN open_under THEN 0 ELSE value - lsd END
        WHEN 'about'    THEN value - lsd
        WHEN 'at_most'  THEN 0
        WHEN 'at_least' THEN value - h
        ELSE value - h END AS lo,
      CASE approx
        WHEN 'over'     THEN CASE WHEN open_over THEN {INF} ELSE value + lsd END
        WHEN 'under'    THEN value
        WHEN 'about'    THEN value + lsd
        WHEN 'at_most'  THEN value + h
        WHEN 'at_least' THEN {INF}
        WHEN 'range'    THEN coalesce(value_max, value) + h
        ELSE value + h END AS hi,
      CASE approx
        WHEN 'under'    THEN value - lsd
        WHEN 'about'    THEN value - lsd
        WHEN 'at_most'  THEN value - lsd
        WHEN 'over'     THEN value
        ELSE value - h END AS mlo,
      CASE approx
        WHEN 'over'     THEN value + lsd
        WHEN 'about'    THEN value + lsd
        WHEN 'at_least' THEN value + lsd
        WHEN 'under'    THEN value
        WHEN 'range'    THEN coalesce(value_max, value) + h
        ELSE value + h END AS mhi"""


def prepare(a, rules: CheckRules) -> dict:
    """Copy the stored claims into TEMP tables ck, ck_sent, ck_subj (see the module
    docstring) and release the store. Returns counts for the run's stats."""
    src = a.src
    a.table("ck_raw", f"""
        SELECT claim_id, report_id, doc, start, "end", text, value, value_max, unit, unit_class,
               coalesce(approx, 'exact') AS approx, subject, sentence, sentence_start, sentence_end,
               per, aggregate, change, share_of, organisation, campaign, year, published
        FROM {src}.claims_effective
        WHERE is_claim AND value IS NOT NULL AND unit IS NOT NULL AND value > 0""")
    n_reports = int(a.df(f"SELECT count(*) AS n FROM {src}.reports_effective")["n"][0])
    a.release()
    a.table("ck_sent", """
        SELECT report_id, sentence_start, any_value(sentence) AS sentence
        FROM ck_raw GROUP BY report_id, sentence_start""")
    pre = "substr(sentence, greatest(1, start - sentence_start - 2), least(3, start - sentence_start))"
    cue_over, cue_under = regex_alt(rules.cue_over), regex_alt(rules.cue_under)
    a.table("ck", f"""
        WITH b0 AS (
          SELECT * EXCLUDE (sentence, approx),
            CASE WHEN approx = 'exact' AND regexp_matches({pre}, '({cue_over})$') THEN 'over'
                 WHEN approx = 'exact' AND regexp_matches({pre}, '({cue_under})$') THEN 'under' END AS cue,
            regexp_replace(translate(text, '０１２３４５６７８９．，', '0123456789.,'),
                           '([0-9]),([0-9]{{3}})', '\\1\\2', 'g') AS t,
            approx AS approx_written,
            -- after 其中/包括 in its sentence: a part of an earlier figure
            regexp_matches(substr(sentence, 1, start - sentence_start), '{regex_alt(rules.part_words)}') AS in_part,
            regexp_matches(sentence, '{regex_alt(rules.periodic_words)}') AS periodic
          FROM ck_raw),
        b AS (SELECT *, coalesce(cue, approx_written) AS approx FROM b0),
        r AS (SELECT *, regexp_extract_all(t, '[0-9]+(?:\\.[0-9]+)?') AS runs FROM b),
        n AS (SELECT *, CASE WHEN len(runs) = 1 AND NOT contains(t, '/') THEN runs[1] END AS ntxt FROM r),
        i AS ({interval_sql(rules)})
        SELECT * EXCLUDE (runs, numv, izeros, t, open_over, open_under, dec, ntxt, factor, cue),
          {bounds_sql()},
          power(10, floor(log10(value)) - 1) AS g
        FROM i""")
    a.table("ck_raw", "SELECT 1 AS x LIMIT 0")   # free the copy
    subjects = a.df("SELECT DISTINCT subject FROM ck WHERE subject IS NOT NULL")["subject"]
    a.register("ck_subj_frame", subject_table(subjects, rules))
    a.table("ck_subj", "SELECT CAST(subject AS VARCHAR) AS subject, CAST(skey AS VARCHAR) AS skey, "
                       "CAST(parts AS VARCHAR[]) AS parts, CAST(tokens AS VARCHAR[]) AS tokens, "
                       "CAST(generic AS BOOLEAN) AS generic FROM ck_subj_frame")
    n_claims = int(a.df("SELECT count(*) AS n FROM ck")["n"][0])
    return {"reports": n_reports, "claims": n_claims, "subjects": len(subjects)}
