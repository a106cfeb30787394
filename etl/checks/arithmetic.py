"""Arithmetic: relations a sentence states, checked with the precision it is written in.

  arith.per_count   N × per-unit amount = total, in one sentence:
                    122名…每人1000元，共计12.2万元 -> 122 × 1000 = 122000 ∈ [121500, 122500] ✓
                    The per claim (Claim.per = 人) takes the nearest count whose unit fits
                    (arithmetic.per_counts) and the next claim with the same unit and a
                    total word (Claim.aggregate in total_words).
  arith.sum         parts listed before a total that says it sums them (甲10人、乙20人，
                    合计30人): two or more claims with the total's unit and no per/change/
                    share qualifier, after the last 其中 (or per/change figure) in the
                    sentence. A 共 opening the list (共开展现场教学9次、专题教学2次，合计11次)
                    does not end it.
  arith.part_whole  其中: a part named in the 其中 clause cannot exceed the total before
                    it (其中 parts need not add up, so only "part > whole" is flagged;
                    when two or more parts do add up to the total it is verified).
  arith.share       a percentage of a part in a whole: 共有党员200名，其中女党员50名，占25%
                    or 女党员50名，占党员总数200名的25%. When the whole is not a stated
                    figure (完成51件、占年度控制目标数的65%) nothing can be verified and
                    nothing is reported.

Each figure is an interval (prepare.py); a relation holds when the computed interval
meets the stated one. Holding relations are reported as arithmetic_ok (only when every
figure is bounded, so "verified" means something); broken ones as arithmetic, high
severity when every figure is exact, medium when one is approximate.
"""
from __future__ import annotations

import pandas as pd

from .config import CheckRules
from .findings import ClaimRef, Finding
from .prepare import INF, sql_list
from .wording import fmt_figure, fmt_interval, quote

_BREAK = "，,；;。）)：:"


def _last_word_sql(prefix: str, words, *, end: bool) -> str:
    """0-based offset in `prefix` where the last of `words` starts (or ends, with
    end=True); -1 when none occurs. Words are our own rule words."""
    parts = []
    for w in words:
        w_sql, n = w.replace("'", "''"), len(w)
        found = f"strpos(reverse({prefix}), reverse('{w_sql}'))"
        parts.append(f"CASE WHEN {found} > 0 THEN length({prefix}) - {found} - {n} + 1 + {n if end else 0} ELSE -1 END")
    return parts[0] if len(parts) == 1 else f"greatest({', '.join(parts)})"


def _refs(r, names: list[tuple[str, str]]) -> tuple[ClaimRef, ...]:
    return tuple(ClaimRef(r.doc, int(getattr(r, f"{n}_start")), int(getattr(r, f"{n}_end")),
                          getattr(r, f"{n}_text"), r.report_id, getattr(r, f"{n}_claim_id"), role)
                 for n, role in names)


def _cols(alias: str) -> str:
    return ", ".join(f'{alias}.{c} AS {alias}_{c.strip(chr(34))}' for c in
                     ("claim_id", "start", '"end"', "text", "value", "unit", "lo", "hi", "approx"))


def per_count(a, rules: CheckRules) -> pd.DataFrame:
    pc = pd.DataFrame([(p, u) for p, us in rules.per_counts.items() for u in us], columns=["per", "unit"])
    a.register("ck_percount_frame", pc)
    return a.df(f"""
        WITH p AS (SELECT * FROM ck WHERE per IS NOT NULL),
        tq AS (SELECT p.claim_id AS p_id, t.claim_id AS t_id,
                     row_number() OVER (PARTITION BY p.claim_id ORDER BY t.start) AS k
              FROM p JOIN ck t ON t.report_id = p.report_id AND t.sentence_start = p.sentence_start
               AND t.start > p.start AND t.unit = p.unit AND t.per IS NULL AND t.change IS NULL
               AND list_contains({sql_list(rules.total_words)}, t.aggregate)),
        nq AS (SELECT p.claim_id AS p_id, n.claim_id AS n_id, n.start AS n_start,
                     row_number() OVER (PARTITION BY p.claim_id ORDER BY (n.start > p.start), abs(n.start - p.start)) AS k
              FROM p JOIN ck_percount_frame pc ON pc.per = p.per
              JOIN ck n ON n.report_id = p.report_id AND n.sentence_start = p.sentence_start
               AND n.unit = pc.unit AND n.per IS NULL AND n.change IS NULL AND n.share_of IS NULL
               AND n.claim_id <> p.claim_id)
        SELECT p.report_id, p.doc, p.per, t.aggregate, {_cols('p')}, {_cols('n')}, {_cols('t')}
        FROM tq JOIN nq ON nq.p_id = tq.p_id AND nq.k = 1 AND tq.k = 1
        JOIN ck p ON p.claim_id = tq.p_id JOIN ck n ON n.claim_id = nq.n_id JOIN ck t ON t.claim_id = tq.t_id
        WHERE n.claim_id <> t.claim_id AND n.start < t.start""")


def sums(a, rules: CheckRules) -> pd.DataFrame:
    """Totals with a sum word and the list of parts before them (arith.sum)."""
    plain = "x.per IS NULL AND x.change IS NULL AND x.share_of IS NULL"
    return a.df(f"""
        WITH t AS (
          SELECT t.*, s.sentence,
            -- relative offset just after the last 其中/包括 before the total (-1: none)
            {_last_word_sql("substr(s.sentence, 1, t.start - t.sentence_start)", rules.part_words, end=True)} AS qz
          FROM ck t JOIN ck_sent s USING (report_id, sentence_start)
          WHERE list_contains({sql_list(rules.sum_words)}, t.aggregate) AND t.per IS NULL AND t.change IS NULL),
        prev AS (
          SELECT t.claim_id, max(x.start) AS prev_total
          FROM t JOIN ck x ON x.report_id = t.report_id AND x.sentence_start = t.sentence_start
           AND x.unit = t.unit AND x.start < t.start AND (x.per IS NOT NULL OR x.change IS NOT NULL)
          GROUP BY t.claim_id),
        parts AS (
          SELECT t.claim_id AS t_id, x.claim_id AS x_id, x.start, x."end", x.text, x.value, x.lo, x.hi, x.approx
          FROM t LEFT JOIN prev USING (claim_id)
          JOIN ck x ON x.report_id = t.report_id AND x.sentence_start = t.sentence_start AND x.unit = t.unit
           AND x.start < t.start AND {plain}
           AND x.start > coalesce(prev.prev_total, -1) AND x.start - x.sentence_start >= t.qz)
        SELECT t.report_id, t.doc, t.aggregate, {_cols('t')},
               list(p.x_id ORDER BY p.start) AS part_ids, list(p.start ORDER BY p.start) AS part_starts,
               list(p."end" ORDER BY p.start) AS part_ends, list(p.text ORDER BY p.start) AS part_texts,
               sum(p.value) AS part_sum, sum(p.lo) AS part_lo, sum(p.hi) AS part_hi,
               bool_and(p.approx = 'exact') AS parts_exact, count(*) AS n_parts
        FROM t JOIN parts p ON p.t_id = t.claim_id
        GROUP BY ALL HAVING count(*) >= 2""")


def qizhong(a, rules: CheckRules) -> pd.DataFrame:
    """其中 clauses: the total before 其中 and the parts in its clause (arith.part_whole)."""
    breaks = "[" + "".join(_BREAK) + "]"
    prefix = "substr(s.sentence, 1, c.start - c.sentence_start)"
    return a.df(f"""
        WITH x AS (
          SELECT *, nullif(qz0, -1) AS qz FROM (
            SELECT c.*, s.sentence,
              {_last_word_sql(prefix, rules.part_words, end=False)} AS qz0,
              {_last_word_sql(prefix, rules.part_words, end=True)} AS qz_end
            FROM ck c JOIN ck_sent s USING (report_id, sentence_start)
            WHERE c.per IS NULL AND c.change IS NULL AND c.share_of IS NULL)),
        parts AS (   -- in the 其中 clause: no clause break between 其中 and the part
          SELECT * FROM x WHERE qz IS NOT NULL
            AND NOT regexp_matches(substr(sentence, qz_end + 1, start - sentence_start - qz_end), '{breaks}')),
        total AS (
          SELECT p.claim_id AS p_id, t.claim_id AS t_id,
                 row_number() OVER (PARTITION BY p.claim_id ORDER BY t.start DESC) AS k
          FROM parts p JOIN x t ON t.report_id = p.report_id AND t.sentence_start = p.sentence_start
           AND t.unit = p.unit AND t."end" - t.sentence_start <= p.qz)
        SELECT t.report_id, t.doc, {_cols('t')},
               list(p.claim_id ORDER BY p.start) AS part_ids, list(p.start ORDER BY p.start) AS part_starts,
               list(p."end" ORDER BY p.start) AS part_ends, list(p.text ORDER BY p.start) AS part_texts,
               list(p.lo ORDER BY p.start) AS part_los, list(p.value ORDER BY p.start) AS part_values,
               sum(p.value) AS part_sum, sum(p.lo) AS part_lo, sum(p.hi) AS part_hi,
               bool_and(p.approx = 'exact') AS parts_exact, count(*) AS n_parts
        FROM total k JOIN x p ON p.claim_id = k.p_id JOIN x t ON t.claim_id = k.t_id
        WHERE k.k = 1
        GROUP BY ALL""")


def shares(a, rules: CheckRules) -> pd.DataFrame:
    """Percentages of a part in a stated whole (arith.share)."""
    words = "|".join(sorted(rules.share_words, key=len, reverse=True))
    return a.df(f"""
        WITH s AS (SELECT c.*, st.sentence FROM ck c JOIN ck_sent st USING (report_id, sentence_start)
                   WHERE c.unit = '%' AND c.change IS NULL),
        prevs AS (   -- the two figures before the percentage in its sentence
          SELECT s.claim_id AS s_id, x.claim_id AS x_id, x.start, x."end", x.unit,
                 row_number() OVER (PARTITION BY s.claim_id ORDER BY x.start DESC) AS k
          FROM s JOIN ck x ON x.report_id = s.report_id AND x.sentence_start = s.sentence_start
           AND x.start < s.start AND x.unit <> '%' AND x.per IS NULL AND x.change IS NULL),
        cand AS (
          SELECT s.claim_id AS s_id, s.sentence, s.sentence_start AS ss, s.start AS s_start,
                 c1.x_id AS c1, c1.start AS c1_start, c1."end" AS c1_end, c1.unit AS c1_unit,
                 c2.x_id AS c2, c2.start AS c2_start, c2."end" AS c2_end, c2.unit AS c2_unit
          FROM s JOIN prevs c1 ON c1.s_id = s.claim_id AND c1.k = 1
          LEFT JOIN prevs c2 ON c2.s_id = s.claim_id AND c2.k = 2),
        inside AS (  -- 女党员50名，占党员总数200名的25%: the whole sits between 占 and the share
          SELECT s_id, c2 AS a_id, c1 AS w_id FROM cand
          WHERE c2 IS NOT NULL AND c1_unit = c2_unit
            AND regexp_matches(substr(sentence, c2_end - ss + 1, c1_start - c2_end), '{words}')
            AND NOT regexp_matches(substr(sentence, c1_end - ss + 1, s_start - c1_end), '{words}')),
        after AS (   -- 其中女党员50名，占25%: the share word follows the part
          SELECT s_id, c1 AS a_id, c1_start, c1_unit, sentence, ss FROM cand
          WHERE regexp_matches(substr(sentence, c1_end - ss + 1, s_start - c1_end), '{words}')),
        whole AS (   -- ... and the whole is the figure before 其中
          SELECT f.s_id, f.a_id, w.claim_id AS w_id,
                 row_number() OVER (PARTITION BY f.s_id ORDER BY w.start DESC) AS k
          FROM after f JOIN ck a ON a.claim_id = f.a_id
          JOIN ck w ON w.report_id = a.report_id AND w.sentence_start = a.sentence_start AND w.unit = a.unit
           AND w."end" <= a.start AND w.per IS NULL AND w.change IS NULL
           AND contains(substr(f.sentence, w."end" - f.ss + 1, a.start - w."end"), '其中')),
        rel AS (SELECT s_id, a_id, w_id, 'inside' AS form FROM inside
                UNION ALL SELECT s_id, a_id, w_id, 'qizhong' AS form FROM whole WHERE k = 1)
        SELECT s.report_id, s.doc, r.form, {_cols('s')}, {_cols('a')}, {_cols('w')}
        FROM rel r JOIN ck s ON s.claim_id = r.s_id JOIN ck a ON a.claim_id = r.a_id JOIN ck w ON w.claim_id = r.w_id
        WHERE w.value > 0""")


def _bounded(*his: float) -> bool:
    return all(h < INF / 10 for h in his)


def _severity(*approxes: str) -> str:
    return "high" if all(x == "exact" for x in approxes) else "medium"


def arithmetic_findings(a, rules: CheckRules) -> list[Finding]:
    out: list[Finding] = []
    for r in per_count(a, rules).itertuples():
        lo, hi = r.n_lo * r.p_lo, r.n_hi * r.p_hi
        ok = lo <= r.t_hi and r.t_lo <= hi
        product = fmt_figure(r.n_value * r.p_value, r.t_unit)
        expr = f"{r.n_text} × 每{r.per}{r.p_text} = {product}"
        refs = _refs(r, [("n", "count"), ("p", "per"), ("t", "total")])
        if ok and _bounded(hi, r.t_hi):
            out.append(Finding("arithmetic_ok", refs,
                               f"{expr}，与{quote((r.aggregate or '') + r.t_text)}一致（按书写精度 {r.t_text} 为 "
                               f"{fmt_interval(r.t_lo, r.t_hi, r.t_unit)}）", "info", "arith.per_count",
                               {"computed": r.n_value * r.p_value, "stated": r.t_value}))
        elif not ok:
            out.append(Finding("arithmetic", refs,
                               f"{expr}，但文中写{quote((r.aggregate or '') + r.t_text)}（按书写精度为 "
                               f"{fmt_interval(r.t_lo, r.t_hi, r.t_unit)}）",
                               _severity(r.n_approx, r.p_approx, r.t_approx), "arith.per_count",
                               {"computed": r.n_value * r.p_value, "stated": r.t_value}))
    for r in sums(a, rules).itertuples():
        ok = r.part_lo <= r.t_hi and r.t_lo <= r.part_hi
        parts = [ClaimRef(r.doc, int(s), int(e), t, r.report_id, i, "part")
                 for i, s, e, t in zip(r.part_ids, r.part_starts, r.part_ends, r.part_texts)]
        refs = (*parts, ClaimRef(r.doc, int(r.t_start), int(r.t_end), r.t_text, r.report_id, r.t_claim_id, "total"))
        expr = " + ".join(r.part_texts) + f" = {fmt_figure(r.part_sum, r.t_unit)}"
        total = (r.aggregate or "") + r.t_text
        if ok and _bounded(r.part_hi, r.t_hi):
            out.append(Finding("arithmetic_ok", refs, f"各项之和 {expr}，与{quote(total)}一致", "info",
                               "arith.sum", {"computed": r.part_sum, "stated": r.t_value}))
        elif not ok:
            out.append(Finding("arithmetic", refs,
                               f"各项之和 {expr}，但文中写{quote(total)}（按书写精度为 "
                               f"{fmt_interval(r.t_lo, r.t_hi, r.t_unit)}）",
                               _severity(r.t_approx, "exact" if r.parts_exact else "about"), "arith.sum",
                               {"computed": r.part_sum, "stated": r.t_value}))
    for r in qizhong(a, rules).itertuples():
        parts = [ClaimRef(r.doc, int(s), int(e), t, r.report_id, i, "part")
                 for i, s, e, t in zip(r.part_ids, r.part_starts, r.part_ends, r.part_texts)]
        refs = (ClaimRef(r.doc, int(r.t_start), int(r.t_end), r.t_text, r.report_id, r.t_claim_id, "whole"), *parts)
        too_big = [t for t, lo in zip(r.part_texts, r.part_los) if lo > r.t_hi]
        if too_big:
            out.append(Finding("arithmetic", refs,
                               f"“其中”所列 {'、'.join(too_big)} 大于其前的总数{quote(r.t_text)}"
                               f"（按书写精度至多 {fmt_figure(r.t_hi, r.t_unit)}）",
                               _severity(r.t_approx, "exact" if r.parts_exact else "about"), "arith.part_whole",
                               {"stated": r.t_value}))
        elif r.n_parts >= 2 and r.part_lo <= r.t_hi and r.t_lo <= r.part_hi and _bounded(r.part_hi, r.t_hi):
            out.append(Finding("arithmetic_ok", refs,
                               f"“其中”各项 {' + '.join(r.part_texts)} = {fmt_figure(r.part_sum, r.t_unit)}，"
                               f"与总数{quote(r.t_text)}一致", "info", "arith.part_whole",
                               {"computed": r.part_sum, "stated": r.t_value}))
    for r in shares(a, rules).itertuples():
        lo, hi = 100 * r.a_lo / r.w_hi, (100 * r.a_hi / r.w_lo if r.w_lo > 0 else INF)
        ok = lo <= r.s_hi and r.s_lo <= hi
        pct = 100 * r.a_value / r.w_value
        refs = _refs(r, [("a", "part"), ("w", "whole"), ("s", "share")])
        expr = f"{r.a_text} ÷ {r.w_text} = {fmt_figure(pct, '%')}"
        if ok and _bounded(hi, r.s_hi):
            out.append(Finding("arithmetic_ok", refs,
                               f"{expr}，与所述{quote(r.s_text)}一致（按书写精度 {r.s_text} 为 "
                               f"{fmt_interval(r.s_lo, r.s_hi, '%')}）", "info", "arith.share",
                               {"computed": pct, "stated": r.s_value}))
        elif not ok:
            out.append(Finding("arithmetic", refs,
                               f"{expr}，但文中写{quote(r.s_text)}（按书写精度为 {fmt_interval(r.s_lo, r.s_hi, '%')}）",
                               _severity(r.a_approx, r.w_approx, r.s_approx), "arith.share",
                               {"computed": pct, "stated": r.s_value}))
    return out
