"""Near-duplicate reports: the same article reprinted by another outlet.

Each report's text is simplified (t2s), stripped of spaces and punctuation, and cut into
character shingles (`near_duplicates.shingle` characters, hashed with a rolling hash in
numpy). MinHash signatures over those shingles are cut into LSH bands (numpy; the
band count and width that datasketch's MinHashLSH would choose for the threshold), and
reports sharing a band are candidate pairs (never all pairs); each is then scored exactly:
Jaccard of the two shingle sets, and containment (the share of the shorter text's
shingles found in the longer one, for a reprint wrapped in another site's page
furniture). A pair is reported when either reaches its threshold.
"""
from __future__ import annotations

import difflib
import functools
import re

import numpy as np
import pandas as pd

from ..extraction.normalize import to_simplified
from ..reading.visible import visible
from .config import CheckRules
from .findings import ClaimRef, Finding
from .wording import doc_label

_KEEP = re.compile(r"[\u3400-\u9fff\uf900-\ufaff0-9A-Za-z０-９Ａ-Ｚａ-ｚ]+")
_MAX_HASH = np.uint64((1 << 32) - 1)


def shingles(text: str, k: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the k-character shingles of the text's words.

    >>> len(shingles("用心用情用力書寫初心答卷", 5)) == len(shingles("用心用情用力书写初心答卷！", 5))
    True
    """
    s = "".join(_KEEP.findall(to_simplified(text)))
    if len(s) < k:
        return np.zeros(0, dtype=np.uint64)
    cp = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    win = np.lib.stride_tricks.sliding_window_view(cp, k)
    powers = np.array([1_000_003 ** (k - 1 - j) % (1 << 64) for j in range(k)], dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = (win * powers).sum(axis=1, dtype=np.uint64)
        h = (h ^ (h >> np.uint64(29))) * np.uint64(0xBF58476D1CE4E5B9)
    return np.unique(h >> np.uint64(32))


def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(seed)
    a = gen.randint(1, 2**63 - 1, size=num_perm, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    b = gen.randint(0, 2**63 - 1, size=num_perm, dtype=np.int64).astype(np.uint64)
    return a, b


def signature(hashes: np.ndarray, perms: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """MinHash values of a shingle set: min over shingles of (a*h + b) >> 32 for each of
    the num_perm (a, b) pairs, a multiply-shift family (no modulo, so it vectorises)."""
    a, b = perms
    out = np.full(len(a), _MAX_HASH, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(0, len(hashes), 4096):      # bounded memory for long reports
            chunk = hashes[i:i + 4096][:, None]
            out = np.minimum(out, ((chunk * a + b) >> np.uint64(32)).min(axis=0))
    return out


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) minimising the false-positive plus false-negative area
    of the banding curve 1 - (1 - s**r)**b around the threshold (equal weights), the
    choice MinHashLSH makes (it integrates with scipy; a fine grid does the same here).

    >>> lsh_bands(0.3, 128), lsh_bands(0.5, 128)
    ((37, 3), (25, 5))
    """
    below = np.linspace(0.0, threshold, 2001)
    above = np.linspace(threshold, 1.0, 2001)

    def area(y: np.ndarray, x: np.ndarray) -> float:     # trapezoid rule
        return float(((y[1:] + y[:-1]) * np.diff(x)).sum() / 2)

    best, best_err = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = area(1 - (1 - below ** r) ** b, below)
            fn = area((1 - above ** r) ** b, above)
            if fp + fn < best_err:
                best, best_err = (b, r), fp + fn
    return best


def candidate_pairs(sig: np.ndarray, bands: int, rows: int) -> list[tuple[int, int]]:
    """Pairs (i < j) of signature rows that agree on every value of at least one band."""
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        part = np.ascontiguousarray(sig[:, band * rows:(band + 1) * rows])
        buckets: dict[bytes, list[int]] = {}
        for i, key in enumerate(part):
            buckets.setdefault(key.tobytes(), []).append(i)
        for members in buckets.values():
            for x, i in enumerate(members):
                pairs.update((i, j) for j in members[x + 1:])
    return sorted(pairs)


def find_near_duplicates(reports: pd.DataFrame, rules: CheckRules) -> pd.DataFrame:
    """Pairs of reports (report_id, doc, text and optionally format columns in) that are largely the same text:
    ra, rb, doc_a, doc_b, jaccard, containment (ra < rb).

    Candidates share an LSH band of their signatures (`candidate_pairs`); a candidate
    whose signature agreement already rules it out (estimated Jaccard and containment
    both 0.15 below their thresholds) is dropped before the exact comparison."""
    cols = ["ra", "rb", "doc_a", "doc_b", "jaccard", "containment"]
    k, perms = rules.shingle, _permutations(rules.num_perm)
    ids, sets, sigs = [], [], []
    for rid, text, fmt in zip(reports["report_id"], reports["text"], _formats(reports)):
        h = shingles(visible(text or "", fmt).text, k)
        if len(h) >= rules.min_shingles:
            ids.append(rid)
            sets.append(h)
            sigs.append(signature(h, perms))
    if len(ids) < 2:
        return pd.DataFrame(columns=cols)
    sig = np.vstack(sigs)
    size = np.array([len(h) for h in sets], dtype=np.float64)
    docs = dict(zip(reports["report_id"], reports["doc"]))
    pairs = candidate_pairs(sig, *_bands(rules.lsh_threshold, rules.num_perm))
    rows = []
    if pairs:
        a, b = np.array(pairs, dtype=np.int64).T
        est_j = (sig[a] == sig[b]).mean(axis=1)
        small = np.minimum(size[a], size[b])
        est_c = est_j * (size[a] + size[b]) / ((1 + est_j) * small)
        keep = (est_j >= rules.jaccard_min - 0.15) | (est_c >= rules.containment_min - 0.15)
        for i, j in zip(a[keep], b[keep]):
            inter = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
            jac = inter / (len(sets[i]) + len(sets[j]) - inter)
            cont = inter / min(len(sets[i]), len(sets[j]))
            if jac >= rules.jaccard_min or cont >= rules.containment_min:
                ra, rb = sorted((ids[i], ids[j]))
                rows.append((ra, rb, docs[ra], docs[rb], round(jac, 3), round(cont, 3)))
    return pd.DataFrame(rows, columns=cols)


@functools.cache
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    return lsh_bands(threshold, num_perm)


def _shared_passage(ta: str, tb: str, limit: int = 6000) -> tuple[int, int, int, int]:
    """Spans of the longest passage the two texts share (within their first `limit` chars)."""
    m = difflib.SequenceMatcher(None, ta[:limit], tb[:limit], autojunk=True).find_longest_match(
        0, min(len(ta), limit), 0, min(len(tb), limit))
    size = min(m.size, 40)
    return m.a, m.a + size, m.b, m.b + size


def _formats(reports: pd.DataFrame) -> list:
    return reports["format"].tolist() if "format" in reports else [None] * len(reports)


def near_duplicate_findings(pairs: pd.DataFrame, reports: pd.DataFrame) -> list[Finding]:
    texts = dict(zip(reports["report_id"], zip(reports["text"], _formats(reports))))
    out = []
    for r in pairs.itertuples():
        (ta, fa), (tb, fb) = texts[r.ra], texts[r.rb]
        va, vb = visible(ta or "", fa), visible(tb or "", fb)
        a0, a1, b0, b1 = _shared_passage(va.text, vb.text)
        # the passage as stored: offsets into each report's own text
        a0, a1, b0, b1 = va.stored_at(a0), va.stored_end(a1), vb.stored_at(b0), vb.stored_end(b1)
        refs = (ClaimRef(r.doc_a, a0, a1, (ta or "")[a0:a1], r.ra, None, "report"),
                ClaimRef(r.doc_b, b0, b1, (tb or "")[b0:b1], r.rb, None, "report"))
        la, lb = doc_label(r.doc_a), doc_label(r.doc_b)
        detail = (f"{la} 与 {lb} 正文大部分相同（{_scores_text(r.jaccard, r.containment)}），"
                  f"疑为同一稿件的转载，其中的数字只应计一次")
        out.append(Finding("near_duplicate_report", refs, detail, "low", "near_dup.minhash",
                           {"jaccard": float(r.jaccard), "containment": float(r.containment)}))
    return out


def _scores_text(jaccard: float, containment: float) -> str:
    """'字符片段重合率 0.82，较短一篇的 95% 见于另一篇'"""
    return f"字符片段重合率（Jaccard）{jaccard:.2f}，较短一篇的 {containment:.0%} 见于另一篇"
