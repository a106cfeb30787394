"""Do two figures sit in the same words? Context similarity for candidate pairs.

A figure's context is the text around it inside its sentence (`context_before`
characters before, `context_after` after), simplified (t2s) with digits masked, as a set
of character bigrams. Two contexts are compared with the overlap coefficient
|A ∩ B| / min(|A|, |B|), so a short sentence quoted inside a longer one still scores high.

Only the claims that appear in candidate pairs get a context (t2s runs in Python on
those distinct windows, never on the whole store).
"""
from __future__ import annotations

import re

import pandas as pd

from ..extraction.normalize import to_simplified
from .config import CheckRules

_DIGITS = re.compile(r"[0-9０-９.．,，%％]+")


def mask(window: str) -> str:
    """Simplified text with numbers masked, for comparing the words around figures.

    >>> mask("發放慰問金27萬元")
    '发放慰问金#万元'
    """
    s = to_simplified(window)
    return _DIGITS.sub("#", s)


def add_contexts(a, pairs_table: str, rules: CheckRules, *, columns=("a_id", "b_id")) -> None:
    """Make/extend TEMP table ck_ctx(claim_id, bg) for the claims named in `pairs_table`.
    bg is the distinct bigram list of the masked window."""
    ids = " UNION ".join(f"SELECT {c} AS claim_id FROM {pairs_table}" for c in columns)
    existing = a.df("SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'ck_ctx' AND temporary")["n"][0]
    have = "AND c.claim_id NOT IN (SELECT claim_id FROM ck_ctx)" if existing else ""
    win = a.df(f"""
        SELECT c.claim_id,
          substr(s.sentence, greatest(1, c.start - c.sentence_start - {rules.dup_context_before} + 1),
                 least({rules.dup_context_before}, c.start - c.sentence_start)) AS left_w,
          substr(s.sentence, c."end" - c.sentence_start + 1, {rules.dup_context_after}) AS right_w
        FROM ck c JOIN ck_sent s USING (report_id, sentence_start)
        WHERE c.claim_id IN ({ids}) {have}""")
    win["w"] = [mask(l or "") + "|" + mask(r or "") for l, r in zip(win["left_w"], win["right_w"])]
    frame = pd.DataFrame({"claim_id": win["claim_id"], "w": win["w"]})
    a.register("ck_ctx_frame", frame)
    sql = """SELECT CAST(claim_id AS VARCHAR) AS claim_id, list_distinct(list_filter(
                 list_transform(range(1, length(CAST(w AS VARCHAR))), lambda i: substr(CAST(w AS VARCHAR), i, 2)),
                 lambda b: NOT contains(b, '|'))) AS bg
             FROM ck_ctx_frame"""
    if existing:
        a.table("ck_ctx", f"SELECT * FROM ck_ctx UNION ALL {sql}")
    else:
        a.table("ck_ctx", sql)


def similarity_sql(x: str, y: str) -> str:
    """SQL for the overlap coefficient of two bigram lists (0 when either is empty)."""
    return (f"CASE WHEN len({x}) = 0 OR len({y}) = 0 THEN 0.0 ELSE "
            f"len(list_intersect({x}, {y})) / least(len({x}), len({y})) END")


def similarity(a_window: str, b_window: str) -> float:
    """The same measure in Python (tests, explanations).

    >>> round(similarity("重点慰问全国劳模，发放慰问金", "下拨慰问金"), 2)   # 慰问, 问金 of 4 bigrams
    0.5
    """
    def grams(w: str) -> set[str]:
        w = mask(w)
        return {w[i:i + 2] for i in range(len(w) - 1)}
    A, B = grams(a_window), grams(b_window)
    if not A or not B:
        return 0.0
    return len(A & B) / min(len(A), len(B))
