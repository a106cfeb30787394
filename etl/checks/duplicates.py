"""Duplicates: the same figure about the same thing in several reports, grouped.

A candidate pair (blocking.duplicate_candidates: same organisation, unit, value cell and
subject word, different reports) is the same figure when its matching intervals meet
(6600余人 [6600, 6700] and 6600人), the year and campaign agree where both are known, the
per/change/share qualifiers agree, and one of these holds:

  dup.same_subject   the subjects are the same after normalisation (慰问金 / 慰問金), and
                     either the figure has two or more significant digits (27万, 55) and
                     the subject is not generic, or the words around both agree
                     (context ≥ duplicates.context_min);
  dup.contained      one subject contains the other (部门、单位 ⊇ 部门) and the words
                     around both agree;
  dup.sentence_pair  two or more figures of two sentences match one to one (one of them
                     with two significant digits), whatever their subjects: 吸引55个部门的
                     6600余名干部职工 / 吸引55个部门276支队伍、6600余人报名参赛;
  dup.reprint        the two reports are reprints of each other (near_duplicates) and
                     the figures match in value and in the words around them.

A subject that takes many values in one organisation's reports (duplicates.
series_min_values: daily 病例, the 部门 of many activities) is a series: its equal values
need the sentence rules. Figures in sentences about one day or week (periodic_words: 新增, 今天 …) match only
between reports of the same date. Empty subjects never match each other. Matched pairs are closed transitively into
groups (connected components); each group gets a dup_group id (its smallest claim id)
and one primary claim (an exact figure first, then the earliest report), so Compare and
Overview can count each figure once.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..extraction.normalize import to_simplified
from .blocking import EPS, attach_a, duplicate_candidates
from .config import CheckRules
from .context import add_contexts, similarity_sql
from .findings import ClaimRef, Finding
from .wording import doc_label, fmt_interval, join_labels, quote

REL_SQL = """CASE WHEN sa.skey IS NULL OR sb.skey IS NULL OR sa.skey = '' OR sb.skey = '' THEN 'none'
     WHEN sa.skey = sb.skey THEN 'same'
     WHEN (length(sa.skey) >= 2 AND length(sb.skey) >= 2 AND
           (contains(sa.skey, sb.skey) OR contains(sb.skey, sa.skey)))
          OR len(list_intersect(sa.parts, sb.parts)) > 0 THEN 'contains'
     ELSE 'none' END"""

MATCH_SQL = f"""a.mlo <= b.mhi + {EPS} * greatest(1, abs(b.mhi)) AND b.mlo <= a.mhi + {EPS} * greatest(1, abs(a.mhi))"""

QUALIFIERS_SQL = """a.per IS NOT DISTINCT FROM b.per AND a.change IS NOT DISTINCT FROM b.change
  AND (a.share_of IS NULL) = (b.share_of IS NULL)"""

SCOPE_SQL = f"""(a.year IS NULL OR b.year IS NULL OR a.year = b.year)
  AND (a.campaign IS NULL OR b.campaign IS NULL OR a.campaign = b.campaign)
  AND {QUALIFIERS_SQL}
  AND NOT ((a.periodic OR b.periodic) AND a.published IS DISTINCT FROM b.published)"""


def match_duplicates(a, rules: CheckRules, reprints: pd.DataFrame | None = None) -> dict:
    """TEMP ck_dmatch(a_id, b_id, rule, sim): the accepted duplicate pairs."""
    stats = duplicate_candidates(a, rules)
    attach_a(a, "ck_dpair", "ck_dpair_a")
    a.table("ck_dfeat", f"""
        SELECT p.a_id, p.b_id, {REL_SQL} AS rel, least(a.sig, b.sig) AS sig,
               coalesce(sa.generic, true) OR coalesce(sb.generic, true) AS generic,
               greatest(coalesce(xa.n_values, 0), coalesce(xb.n_values, 0)) >= {rules.dup_series_min_values} AS series
        FROM ck_dpair_a p JOIN ck b ON b.claim_id = p.b_id
        LEFT JOIN ck_subj sa ON sa.subject = a.subject LEFT JOIN ck_subj sb ON sb.subject = b.subject
        LEFT JOIN ck_series xa ON xa.org = a.organisation AND xa.unit = a.unit AND xa.skey = sa.skey
        LEFT JOIN ck_series xb ON xb.org = b.organisation AND xb.unit = b.unit AND xb.skey = sb.skey
        WHERE {MATCH_SQL} AND {SCOPE_SQL}""")
    add_contexts(a, "ck_dfeat", rules)
    tau = rules.dup_context_min
    a.table("ck_dmatch", f"""
        SELECT a_id, b_id, rule, sim FROM (
          SELECT *, CASE
              WHEN rel = 'same' AND NOT series AND ((sig >= 2 AND NOT generic) OR sim >= {tau})
                THEN 'dup.same_subject'
              WHEN rel = 'contains' AND NOT series AND sim >= {tau} THEN 'dup.contained'
            END AS rule
          FROM (SELECT f.*, {similarity_sql('xa.bg', 'xb.bg')} AS sim
                FROM ck_dfeat f JOIN ck_ctx xa ON xa.claim_id = f.a_id JOIN ck_ctx xb ON xb.claim_id = f.b_id))
        WHERE rule IS NOT NULL""")
    _match_sentence_pairs(a)
    if reprints is not None and len(reprints):
        _match_reprints(a, rules, reprints)
    _align_sentence_pairs(a)
    counts = a.df("SELECT rule, count(*) AS n FROM ck_dmatch GROUP BY rule")
    stats.update({f"pairs:{r}": int(n) for r, n in zip(counts["rule"], counts["n"])})
    return stats


def _match_sentence_pairs(a) -> None:
    """dup.sentence_pair: two sentences of different reports in which two or more figures
    match one to one (吸引55个部门的6600余名… / 吸引55个部门…6600余人…), at least one of
    them with two significant digits: the same passage, whatever the subjects say."""
    attach_a(a, "ck_vpair", "ck_vpair_a")
    a.table("ck_vmatch", f"""
        SELECT p.a_id, p.b_id, a.report_id AS ra, a.sentence_start AS sa, b.report_id AS rb,
               b.sentence_start AS sb, greatest(a.sig, b.sig) AS sig
        FROM ck_vpair_a p JOIN ck b ON b.claim_id = p.b_id
        WHERE {MATCH_SQL} AND {SCOPE_SQL}""")
    a.table("ck_dmatch", """
        SELECT * FROM ck_dmatch
        UNION ALL
        SELECT a_id, b_id, 'dup.sentence_pair' AS rule, NULL AS sim FROM (
          SELECT *, count(*) OVER (PARTITION BY ra, sa, rb, sb) AS n_pairs,
                 count(*) OVER (PARTITION BY ra, sa, rb, sb, a_id) AS n_a,
                 count(*) OVER (PARTITION BY ra, sa, rb, sb, b_id) AS n_b,
                 max(sig) OVER (PARTITION BY ra, sa, rb, sb) AS best_sig
          FROM ck_vmatch)
        WHERE n_pairs >= 2 AND n_a = 1 AND n_b = 1 AND best_sig >= 2
          AND (a_id, b_id) NOT IN (SELECT (a_id, b_id) FROM ck_dmatch)""")


def _align_sentence_pairs(a) -> None:
    """For conflicts.same_sentence: the sentence pairs tied by a match, and in each the
    units that occur exactly once on either side among the figures not matched
    (TEMP ck_sentalign(ra, sa, rb, sb, unit, a_id, b_id) and ck_sentalign_a)."""
    a.table("ck_sentpair", """
        SELECT DISTINCT a.report_id AS ra, a.sentence_start AS sa, b.report_id AS rb, b.sentence_start AS sb
        FROM ck_dmatch m JOIN ck a ON a.claim_id = m.a_id JOIN ck b ON b.claim_id = m.b_id""")
    a.table("ck_sentside", """
        SELECT sp.ra, sp.sa, sp.rb, sp.sb, c.claim_id, c.unit, 'a' AS side
        FROM ck_sentpair sp JOIN ck c ON c.report_id = sp.ra AND c.sentence_start = sp.sa
        WHERE c.claim_id NOT IN (SELECT a_id FROM ck_dmatch UNION SELECT b_id FROM ck_dmatch)
        UNION ALL
        SELECT sp.ra, sp.sa, sp.rb, sp.sb, c.claim_id, c.unit, 'b' AS side
        FROM ck_sentpair sp JOIN ck c ON c.report_id = sp.rb AND c.sentence_start = sp.sb
        WHERE c.claim_id NOT IN (SELECT a_id FROM ck_dmatch UNION SELECT b_id FROM ck_dmatch)""")
    a.table("ck_sentalign", """
        SELECT x.ra, x.sa, x.rb, x.sb, x.unit, x.claim_id AS a_id, y.claim_id AS b_id
        FROM (SELECT *, count(*) OVER (PARTITION BY ra, sa, rb, sb, unit) AS n FROM ck_sentside WHERE side = 'a') x
        JOIN (SELECT *, count(*) OVER (PARTITION BY ra, sa, rb, sb, unit) AS n FROM ck_sentside WHERE side = 'b') y
          ON x.ra = y.ra AND x.sa = y.sa AND x.rb = y.rb AND x.sb = y.sb AND x.unit = y.unit
        WHERE x.n = 1 AND y.n = 1""")
    attach_a(a, "ck_sentalign", "ck_sentalign_a")


def _match_reprints(a, rules: CheckRules, reprints: pd.DataFrame) -> None:
    """dup.reprint: figures of two reprinted reports, matched on value and context. The
    two are one article, so the year, campaign and date each outlet gave it do not
    matter (a reprint is often dated by its own publication); the qualifiers do."""
    a.register("ck_reprint_frame", reprints[["ra", "rb"]])
    a.table("ck_rside", "SELECT r.rb, a AS a FROM ck_reprint_frame r JOIN ck a ON a.report_id = r.ra")
    a.table("ck_rpair", f"""
        SELECT a.claim_id AS a_id, b.claim_id AS b_id, {REL_SQL} AS rel
        FROM ck_rside r JOIN ck b ON b.report_id = r.rb AND b.unit = a.unit
        LEFT JOIN ck_subj sa ON sa.subject = a.subject LEFT JOIN ck_subj sb ON sb.subject = b.subject
        WHERE {MATCH_SQL} AND {QUALIFIERS_SQL}
          AND (a.claim_id, b.claim_id) NOT IN (SELECT (a_id, b_id) FROM ck_dmatch)
          AND (b.claim_id, a.claim_id) NOT IN (SELECT (a_id, b_id) FROM ck_dmatch)""")
    add_contexts(a, "ck_rpair", rules)
    a.table("ck_dmatch", f"""
        SELECT * FROM ck_dmatch
        UNION ALL
        SELECT a_id, b_id, 'dup.reprint' AS rule, sim FROM (
          SELECT p.a_id, p.b_id, p.rel, {similarity_sql('xa.bg', 'xb.bg')} AS sim
          FROM ck_rpair p JOIN ck_ctx xa ON xa.claim_id = p.a_id JOIN ck_ctx xb ON xb.claim_id = p.b_id)
        WHERE sim >= {rules.dup_reprint_context_min}""")


def components(pairs: pd.DataFrame) -> pd.DataFrame:
    """Connected components of an edge list (a_id, b_id): claim_id -> dup_group, the
    smallest claim id of its component. Vectorised min-label propagation.

    >>> components(pd.DataFrame({"a_id": ["b", "c"], "b_id": ["c", "d"]})).sort_values("claim_id").values.tolist()
    [['b', 'b'], ['c', 'b'], ['d', 'b']]
    """
    if pairs.empty:
        return pd.DataFrame({"claim_id": pd.Series(dtype=object), "dup_group": pd.Series(dtype=object)})
    ids, inv = np.unique(np.concatenate([pairs["a_id"].to_numpy(object), pairs["b_id"].to_numpy(object)]),
                         return_inverse=True)
    n = len(pairs)
    u, v = inv[:n], inv[n:]
    label = np.arange(len(ids))      # ids are sorted, so the smallest index is the smallest id
    while True:
        m = np.minimum(label[u], label[v])
        new = label.copy()
        np.minimum.at(new, u, m)
        np.minimum.at(new, v, m)
        new = new[new]               # pointer jumping: converge in O(log diameter) rounds
        if np.array_equal(new, label):
            break
        label = new
    return pd.DataFrame({"claim_id": ids, "dup_group": ids[label]})


def group_duplicates(a) -> pd.DataFrame:
    """claim_id, dup_group, dup_size, dup_primary for every claim in a group of 2+.

    Transitive closure can chain two different figures through an approximate one
    (2379人 ~ 2300多名 ~ 2310名): a group whose matching intervals have no common point
    is split again using only the pairs with the same nominal value."""
    pairs = a.df("SELECT a_id, b_id FROM ck_dmatch")
    comp = components(pairs)
    a.register("ck_comp_frame0", comp)
    a.table("ck_comp_frame", "SELECT CAST(claim_id AS VARCHAR) AS claim_id, "
                             "CAST(dup_group AS VARCHAR) AS dup_group FROM ck_comp_frame0")
    bad = a.df(f"""
        SELECT g.dup_group FROM ck_comp_frame g JOIN ck c USING (claim_id)
        GROUP BY g.dup_group HAVING max(c.mlo) > min(c.mhi) + {EPS} * greatest(1, abs(min(c.mhi)))""")
    if len(bad):
        a.register("ck_bad_frame", bad)
        a.table("ck_bad_pairs", """
            SELECT m.a_id, m.b_id FROM ck_dmatch m
            JOIN ck_comp_frame g ON g.claim_id = m.a_id JOIN ck_bad_frame x ON x.dup_group = g.dup_group""")
        attach_a(a, "ck_bad_pairs", "ck_bad_pairs_a")
        strict = a.df("""
            SELECT p.a_id, p.b_id FROM ck_bad_pairs_a p JOIN ck b ON b.claim_id = p.b_id
            WHERE a.value = b.value""")
        keep = comp[~comp["dup_group"].isin(set(bad["dup_group"]))]
        comp = pd.concat([keep, components(strict)], ignore_index=True)
        a.register("ck_comp_frame1", comp)
        a.table("ck_comp_frame", "SELECT CAST(claim_id AS VARCHAR) AS claim_id, "
                                 "CAST(dup_group AS VARCHAR) AS dup_group FROM ck_comp_frame1")
    return a.df("""
        SELECT g.claim_id, g.dup_group, count(*) OVER (PARTITION BY g.dup_group) AS dup_size,
               row_number() OVER (PARTITION BY g.dup_group ORDER BY (c.approx = 'exact') DESC,
                   c.published NULLS LAST, c.doc, c.start) = 1 AS dup_primary
        FROM ck_comp_frame g JOIN ck c USING (claim_id)""")


def join_groups(a, groups: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """`groups` with the claims of `pairs` (a_id, b_id) joined into one group each: one
    fact reported with two values (conflict.reprint), counted once like a duplicate."""
    if pairs.empty:
        return groups
    edges = pd.concat([groups[["claim_id", "dup_group"]].set_axis(["a_id", "b_id"], axis=1), pairs],
                      ignore_index=True)
    comp = components(edges)
    comp = comp[comp["claim_id"].isin(set(pairs["a_id"]) | set(pairs["b_id"]) | set(groups["claim_id"]))]
    a.register("ck_joined_frame", comp)
    return a.df("""
        SELECT CAST(g.claim_id AS VARCHAR) AS claim_id, CAST(g.dup_group AS VARCHAR) AS dup_group,
               count(*) OVER (PARTITION BY g.dup_group) AS dup_size,
               row_number() OVER (PARTITION BY g.dup_group ORDER BY (c.approx = 'exact') DESC,
                   c.published NULLS LAST, c.doc, c.start) = 1 AS dup_primary
        FROM ck_joined_frame g JOIN ck c ON c.claim_id = g.claim_id""")


_RULE_ZH = {
    "dup.same_subject": "",
    "dup.contained": "（主体一方包含另一方，上下文相同）",
    "dup.sentence_pair": "（两句中多个数字一一相同）",
    "dup.reprint": "（两篇报告为转载关系）",
}


def duplicate_findings(a, groups: pd.DataFrame) -> list[Finding]:
    """One `duplicate` finding per group that spans two or more reports."""
    if groups.empty:
        return []
    a.register("ck_groups_frame", groups)
    rows = a.df("""
        SELECT g.dup_group, c.claim_id, c.report_id, c.doc, c.start, c."end", c.text, c.subject,
               c.unit, c.mlo, c.mhi, c.approx,
               (SELECT min(rule) FROM ck_dmatch m WHERE m.a_id = c.claim_id OR m.b_id = c.claim_id) AS rule
        FROM ck_groups_frame g JOIN ck c USING (claim_id)
        ORDER BY g.dup_group, c.published NULLS LAST, c.doc, c.start""")
    out: list[Finding] = []
    for gid, grp in rows.groupby("dup_group", sort=False):
        if grp["report_id"].nunique() < 2:
            continue
        refs = tuple(ClaimRef(r.doc, int(r.start), int(r.end), r.text, r.report_id, r.claim_id, "figure")
                     for r in grp.itertuples())
        labels = [doc_label(d) for d in grp["doc"]]
        subjects = Counter(s for s in grp["subject"] if isinstance(s, str) and s)
        subject = subjects.most_common(1)[0][0] if subjects else ""    # ties: earliest report
        texts = list(dict.fromkeys(to_simplified(t) for t in grp["text"]))
        rules = sorted(set(r for r in grp["rule"] if isinstance(r, str)))
        why = "".join(_RULE_ZH.get(r, "") for r in rules if r != "dup.same_subject")
        lo, hi = float(grp["mlo"].max()), float(grp["mhi"].min())
        if len(texts) == 1:
            detail = f"{join_labels(labels)} 均报告{to_simplified(subject)} {texts[0]}{why}"
        else:
            parts = [f"{doc_label(r.doc)} 的{quote(r.text)}" for r in grp.itertuples()]
            shared = fmt_interval(lo, hi, grp["unit"].iloc[0]) if lo <= hi else "相同数值"
            detail = (f"{' 与 '.join(dict.fromkeys(parts))} 是同一数字"
                      f"（{to_simplified(subject) + '，' if subject else ''}{shared}），写法或精度不同{why}")
        out.append(Finding("duplicate", refs, detail, "info", rules[0] if rules else "dup",
                           {"dup_group": gid, "rules": rules, "size": len(grp)}))
    return out
