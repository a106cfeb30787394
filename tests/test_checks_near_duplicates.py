"""Near-duplicate reports: MinHash LSH candidates, exact shingle scores."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.checks.config import check_rules
from etl.checks.near_duplicates import (
    candidate_pairs,
    find_near_duplicates,
    lsh_bands,
    near_duplicate_findings,
    shingles,
)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def corpus(name: str) -> str:
    return next(CORPUS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def frame(texts: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"report_id": list(texts), "doc": [f"{k}.txt" for k in texts], "text": list(texts.values())})


def test_a_reprint_under_other_page_furniture_is_found():
    body = corpus("002")
    reprint = "首页 > 新闻中心 > 机关党建\n把实事好事办到干部职工心坎上\n来源：中国机关党建网\n" + body + "\n版权所有"
    pairs = find_near_duplicates(frame({"a": body, "b": reprint, "c": corpus("003")}), check_rules())
    assert pairs[["ra", "rb"]].values.tolist() == [["a", "b"]]
    assert pairs["containment"][0] > 0.95
    f = near_duplicate_findings(pairs, frame({"a": body, "b": reprint}))[0]
    assert f.type == "near_duplicate_report" and "a 与 b 正文大部分相同" in f.detail
    for c, text in zip(f.claims, (body, reprint)):
        assert text[c.start:c.end] == c.text and c.text


def test_two_outlets_writing_about_one_campaign_are_not_reprints():
    # 000 and 002 share figures (27万元, 55个部门) but not their text
    assert find_near_duplicates(frame({"000": corpus("000"), "002": corpus("002")}), check_rules()).empty


def test_traditional_and_simplified_copies_are_one_text():
    assert (shingles("全國政協機關77名局級幹部", 5) == shingles("全国政协机关77名局级干部", 5)).all()


def test_short_texts_are_not_called_reprints():
    line = "发放慰问金27万元。" * 3
    assert find_near_duplicates(frame({"a": line, "b": line}), check_rules()).empty


@pytest.mark.parametrize("threshold, num_perm, expected", [
    # what datasketch 2.0's MinHashLSH chose (b, r) for these, before it was dropped
    (0.3, 128, (37, 3)), (0.5, 128, (25, 5)), (0.8, 256, (17, 15)), (0.1, 128, (64, 2)),
])
def test_bands_are_the_ones_minhash_lsh_chose(threshold, num_perm, expected):
    assert lsh_bands(threshold, num_perm) == expected


def test_rows_sharing_a_band_are_candidates_and_no_others():
    sig = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 3, 4], [8, 8, 8, 8], [1, 2, 3, 4]], dtype=np.uint64)
    assert candidate_pairs(sig, bands=2, rows=2) == [(0, 1), (0, 2), (0, 4), (1, 4), (2, 4)]
    assert candidate_pairs(sig, bands=1, rows=4) == [(0, 4)]
