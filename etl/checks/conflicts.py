"""Conflicts: the same metric for the same organisation, campaign and year, given as
values that cannot both be true (their intervals do not meet: 6600余人 and 6650人 agree;
6600余人 and 6800人 do not).

  conflict.same_metric     the same non-generic subject, organisation, year and campaign
                           (blocking.conflict_candidates), the same qualifiers, and the
                           words around both figures agree (context ≥ conflicts.context_min):
                           the same statement restated with another number. Covers one
                           report contradicting itself too.
  conflict.same_sentence   two sentences tied by a duplicate figure (吸引55个部门…), where a
                           unit occurs once on each side and its values differ, with
                           matching subjects or values within conflicts.anchored_ratio.
  conflict.reprint         two reprints of one article (near_duplicates) where the same
                           passage (the words around agree, as for dup.reprint) gives
                           another value: 27万元 in one copy, 29万元 in the other. The
                           copies' organisation, year, campaign or date may differ (each
                           outlet dates and files its copy); the two are one fact.

Never a conflict: pairs already grouped as duplicates; a figure after 其中/包括 (a part
of a total, not a restatement); a series (conflicts.max_versions values) or values more
than conflicts.max_ratio apart; and, across reports, a figure stated "as of" (截至,
目前, 累计 …) unless both reports carry the same date. Reports published on different
dates give medium severity and say that the later one may be an update.
"""
from __future__ import annotations

import pandas as pd

from ..extraction.normalize import to_simplified
from .blocking import EPS, attach_a, conflict_candidates
from .config import CheckRules
from .context import add_contexts, similarity_sql
from .duplicates import REL_SQL
from .findings import ClaimRef, Finding
from .prepare import sql_list
from .wording import doc_label, fmt_interval, quote

CONTRA_SQL = f"(a.hi < b.lo - {EPS} * greatest(1, abs(b.lo)) OR b.hi < a.lo - {EPS} * greatest(1, abs(a.lo)))"
SAME_QUAL_SQL = """a.per IS NOT DISTINCT FROM b.per AND a.change IS NOT DISTINCT FROM b.change
  AND a.share_of IS NOT DISTINCT FROM b.share_of
  AND (a.aggregate = '累计') IS NOT DISTINCT FROM (b.aggregate = '累计')"""


def _guards(rules: CheckRules) -> str:
    """Conditions every conflict pair (aliases a, b; sentences sa_, sb_) must meet."""
    upd = "|".join(rules.update_words).replace("'", "''")
    return f"""{SAME_QUAL_SQL}
          AND NOT a.in_part AND NOT b.in_part
          AND (a.report_id = b.report_id
               OR (a.published IS NOT NULL AND a.published = b.published)
               OR (least(a.report_id, b.report_id), greatest(a.report_id, b.report_id))
                  IN (SELECT (ra, rb) FROM ck_conf_reprints)
               OR NOT (regexp_matches(sa_.sentence, '{upd}') OR regexp_matches(sb_.sentence, '{upd}')))"""


def match_conflicts(a, rules: CheckRules, groups: pd.DataFrame, reprints: pd.DataFrame | None = None) -> dict:
    """TEMP ck_conf(a_id, b_id, rule, sim). `reprints` (ra, rb): near-duplicate report
    pairs, where a changed figure is a conflict whatever the words around it."""
    stats = conflict_candidates(a, rules)
    a.register("ck_conf_reprints", reprints[["ra", "rb"]] if reprints is not None and len(reprints) else
               pd.DataFrame({"ra": pd.Series(dtype=object), "rb": pd.Series(dtype=object)}))
    a.register("ck_conf_groups", groups[["claim_id", "dup_group"]] if len(groups) else
               pd.DataFrame({"claim_id": pd.Series(dtype=object), "dup_group": pd.Series(dtype=object)}))
    sents = """JOIN ck_sent sa_ ON sa_.report_id = a.report_id AND sa_.sentence_start = a.sentence_start
        JOIN ck_sent sb_ ON sb_.report_id = b.report_id AND sb_.sentence_start = b.sentence_start"""
    attach_a(a, "ck_cpair", "ck_cpair_a")
    a.table("ck_cfeat", f"""
        SELECT p.a_id, p.b_id, a.report_id = b.report_id AS same_report
        FROM ck_cpair_a p JOIN ck b ON b.claim_id = p.b_id {sents}
        WHERE {_guards(rules)}
          -- figures of one sentence are parts of one statement, not restatements
          -- (采用14篇（其中9篇被头条刊用）; 占…的65%，…占…的69%)
          AND NOT (a.report_id = b.report_id AND a.sentence_start = b.sentence_start)""")
    add_contexts(a, "ck_cfeat", rules)
    a.table("ck_conf", f"""
        SELECT a_id, b_id, 'conflict.same_metric' AS rule, sim FROM (
          SELECT f.a_id, f.b_id, f.same_report, {similarity_sql('xa.bg', 'xb.bg')} AS sim
          FROM ck_cfeat f JOIN ck_ctx xa ON xa.claim_id = f.a_id JOIN ck_ctx xb ON xb.claim_id = f.b_id)
        WHERE sim >= CASE WHEN same_report THEN {rules.conflict_context_min_same_report}
                          ELSE {rules.conflict_context_min} END""")
    # anchored: the sentence pairs of duplicate matches (ck_sentalign holds the units
    # that occur once on each side, among figures not matched as duplicates)
    a.table("ck_conf", f"""
        SELECT * FROM ck_conf
        UNION ALL
        SELECT al.a_id, al.b_id, 'conflict.same_sentence' AS rule, NULL AS sim
        FROM ck_sentalign_a al JOIN ck b ON b.claim_id = al.b_id {sents}
        LEFT JOIN ck_subj sa ON sa.subject = a.subject LEFT JOIN ck_subj sb ON sb.subject = b.subject
        LEFT JOIN ck_series xa ON xa.org = a.organisation AND xa.unit = a.unit AND xa.skey = sa.skey
        LEFT JOIN ck_series xb ON xb.org = b.organisation AND xb.unit = b.unit AND xb.skey = sb.skey
        WHERE {CONTRA_SQL} AND {_guards(rules)}
          AND (a.year IS NULL OR b.year IS NULL OR a.year = b.year)
          AND NOT list_contains({sql_list(rules.skip_classes)}, a.unit_class)
          AND greatest(coalesce(xa.n_values, 0), coalesce(xb.n_values, 0)) <= {rules.conflict_max_versions}
          AND ({REL_SQL} <> 'none'
               OR greatest(a.value, b.value) <= {rules.conflict_anchored_ratio} * least(a.value, b.value))""")
    _reprint_conflicts(a, rules)
    a.table("ck_conf", """
        SELECT DISTINCT ON (least(a_id, b_id), greatest(a_id, b_id)) c.* FROM ck_conf c
        LEFT JOIN ck_conf_groups ga ON ga.claim_id = c.a_id LEFT JOIN ck_conf_groups gb ON gb.claim_id = c.b_id
        WHERE ga.dup_group IS NULL OR gb.dup_group IS NULL OR ga.dup_group <> gb.dup_group""")
    counts = a.df("SELECT rule, count(*) AS n FROM ck_conf GROUP BY rule")
    stats.update({f"pairs:{r}": int(n) for r, n in zip(counts["rule"], counts["n"])})
    return stats


def _reprint_conflicts(a, rules: CheckRules) -> None:
    """conflict.reprint: in two reprints of one article, the figure of the same passage
    with another value. Each figure pairs with the copy whose words agree best, and not
    with one its own report's copy already matched as a duplicate."""
    a.table("ck_rcand", f"""
        SELECT x.claim_id AS a_id, y.claim_id AS b_id
        FROM ck_conf_reprints r JOIN ck x ON x.report_id = r.ra JOIN ck y ON y.report_id = r.rb
          AND y.unit = x.unit
        WHERE NOT x.in_part AND NOT y.in_part
          AND NOT list_contains({sql_list(rules.skip_classes)}, x.unit_class)
          AND x.claim_id NOT IN (SELECT a_id FROM ck_dmatch UNION SELECT b_id FROM ck_dmatch)
          AND y.claim_id NOT IN (SELECT a_id FROM ck_dmatch UNION SELECT b_id FROM ck_dmatch)""")
    attach_a(a, "ck_rcand", "ck_rcand_a")
    a.table("ck_rconf", f"""
        SELECT p.a_id, p.b_id FROM ck_rcand_a p JOIN ck b ON b.claim_id = p.b_id
        WHERE {CONTRA_SQL} AND {SAME_QUAL_SQL}""")
    add_contexts(a, "ck_rconf", rules)
    a.table("ck_conf", f"""
        SELECT * FROM ck_conf
        UNION ALL
        SELECT a_id, b_id, 'conflict.reprint' AS rule, sim FROM (
          SELECT p.a_id, p.b_id, {similarity_sql('xa.bg', 'xb.bg')} AS sim
          FROM ck_rconf p JOIN ck_ctx xa ON xa.claim_id = p.a_id JOIN ck_ctx xb ON xb.claim_id = p.b_id)
        WHERE sim >= {rules.dup_reprint_context_min}
        QUALIFY row_number() OVER (PARTITION BY a_id ORDER BY sim DESC, b_id) = 1
            AND row_number() OVER (PARTITION BY b_id ORDER BY sim DESC, a_id) = 1""")


def reprint_conflict_pairs(a) -> pd.DataFrame:
    """a_id, b_id of the conflict.reprint pairs: one fact reported with two values."""
    return a.df("SELECT a_id, b_id FROM ck_conf WHERE rule = 'conflict.reprint'")


def conflict_findings(a) -> list[Finding]:
    rows = a.df("""
        SELECT m.rule, m.sim,
               a.claim_id AS a_claim, a.report_id AS a_report, a.doc AS a_doc, a.start AS a_start,
               a."end" AS a_end, a.text AS a_text, a.subject AS a_subject, a.lo AS a_lo, a.hi AS a_hi,
               b.claim_id AS b_claim, b.report_id AS b_report, b.doc AS b_doc, b.start AS b_start,
               b."end" AS b_end, b.text AS b_text, b.subject AS b_subject, b.lo AS b_lo, b.hi AS b_hi,
               a.unit, coalesce(a.organisation, b.organisation) AS org, coalesce(a.year, b.year) AS year,
               coalesce(a.campaign, b.campaign) AS campaign, a.published AS a_pub, b.published AS b_pub
        FROM ck_conf m JOIN ck a ON a.claim_id = m.a_id JOIN ck b ON b.claim_id = m.b_id
        ORDER BY a.doc, a.start""")
    out: list[Finding] = []
    for r in rows.itertuples():
        if (r.b_doc, r.b_start) < (r.a_doc, r.a_start):        # earlier report (by name) first
            r = r._replace(**{f"{x}_{f}": getattr(r, f"{y}_{f}") for x, y in (("a", "b"), ("b", "a"))
                              for f in ("claim", "report", "doc", "start", "end", "text", "subject", "lo", "hi", "pub")})
        refs = (ClaimRef(r.a_doc, int(r.a_start), int(r.a_end), r.a_text, r.a_report, r.a_claim, "figure"),
                ClaimRef(r.b_doc, int(r.b_start), int(r.b_end), r.b_text, r.b_report, r.b_claim, "figure"))

        def said(label, subject, text):
            subj = to_simplified(subject) if isinstance(subject, str) and subject else ""
            return f"{label} 写{subj}{quote(text)}"
        la, lb = doc_label(r.a_doc), doc_label(r.b_doc)
        if r.a_report == r.b_report:
            la, lb = f"{la} 前文", "后文"
        scope = "、".join(str(x) for x in (r.org, f"{int(r.year)}年" if pd.notna(r.year) else None,
                                           r.campaign) if isinstance(x, str) and x)
        clash = f"{fmt_interval(r.a_lo, r.a_hi, r.unit)} 与 {fmt_interval(r.b_lo, r.b_hi, r.unit)} 不相容"
        if r.rule == "conflict.reprint":
            detail = (f"{said(la, r.a_subject, r.a_text)}，{said(lb, r.b_subject, r.b_text)}：两篇为同一稿件的"
                      f"转载，同一段文字中的数字被改动，{clash}；合计时只计一次")
        else:
            why = "上下文相同" if r.rule == "conflict.same_metric" else "同一句中其他数字一致"
            detail = (f"{said(la, r.a_subject, r.a_text)}，{said(lb, r.b_subject, r.b_text)}：同为{scope}的同一数字"
                      f"（{why}），但 {clash}")
        severity = "high"
        if isinstance(r.a_pub, str) and isinstance(r.b_pub, str) and r.a_pub != r.b_pub and r.a_report != r.b_report:
            severity = "medium"      # published apart: one may update the other
            detail += f"（两篇发布于 {r.a_pub} 和 {r.b_pub}，也可能是后者更新了数字）"
        out.append(Finding("conflict", refs, detail, severity, r.rule,
                           {"similarity": None if pd.isna(r.sim) else round(float(r.sim), 3)}))
    return out
