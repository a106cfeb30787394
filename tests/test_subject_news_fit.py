"""The judged bench news claims as training data for the subject weights
(bench/subject_gold_news.tsv, tools/subject_data.py's news set, tools/train_subjects.py's
news weight): the gold points at its figures, it is scored with the audits' strictness,
and a news claim weighs what the fit is told it weighs."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import subject_data as sd  # noqa: E402
import train_subjects  # noqa: E402

BENCH = sd.GOLD_SETS["news"][1]


def test_news_gold_holds_the_judged_seeds_only():
    gold = sd.load_news_gold()
    rows = [g for gs in gold.values() for g in gs]
    assert {g["seed"] for g in rows} == {17, 23, 29, 31, 37, 41}     # 43 is held out
    assert len(rows) == 861
    assert len({(g["doc"], g["start"], g["seed"]) for g in rows}) == len(rows)
    assert sum(not g["accepted"] for g in rows) == 16      # "none": framed periods, time frames


@pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/bench_corpus")
def test_news_gold_offsets_point_at_their_figures():
    from etl.reading.ingest import read_document
    for doc, rows in sd.load_news_gold().items():
        text = read_document(BENCH / doc).raw_text
        for g in rows:
            assert text[g["start"]:g["end"]] == g["text"], (doc, g["start"])


def test_news_right_is_the_audits_strictness():
    row = {"accepted": ["冰雪产业总规模", "冰雪产业"]}
    assert sd.news_right(row, "冰雪产业")
    assert sd.news_right(row, "冰雪产業")                     # t2s, as the scorer
    assert not sd.news_right(row, "冰雪产业总")               # cut inside 总规模
    assert sd.same_subject("冰雪产业总规模", "冰雪产业总")     # which the scorer's containment lets pass
    assert not sd.news_right(row, "冰雪产业总规模超")          # a run-on
    assert sd.news_right({"accepted": []}, None) and not sd.news_right({"accepted": []}, "山火")
    assert sd.news_same_head({"accepted": ["德国企业"]}, "受访德国企业")
    assert not sd.news_same_head({"accepted": ["山火"]}, "燃烧")


def _example(pos: str, set_: str) -> sd.Example:
    cands = [("甲", {"a": 1.0}), ("乙", {"b": 1.0})]
    return sd.Example("d", "1个", None, pos, cands, [pos == "甲", pos == "乙"], set_, 17 if set_ == "news" else None)


def test_fit_weighs_news_claims_as_told():
    exs = [_example("甲", "dev")] * 3 + [_example("乙", "news")] * 2
    alone = train_subjects.fit(exs, news_weight=0.0, steps=200)
    assert alone["a"] > alone.get("b", 0.0)            # the news claims left out
    heavy = train_subjects.fit(exs, news_weight=3.0, steps=200)
    assert heavy["b"] > heavy["a"]                      # 6 news against 3 development
    # centred on a prior: a strong penalty keeps it, and features no claim has are kept
    prior = {"a": 2.0, "b": 0.0, "unseen": 0.5}
    kept = train_subjects.fit(exs, news_weight=3.0, steps=200, l2=10.0, prior=prior)
    assert kept["a"] > kept["b"] and kept["unseen"] == 0.5


@pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/bench_corpus")
def test_news_examples_pair_traced_figures_by_start():
    """26辆卡车的援助物资 (seed 23, judged de_construction): the gold written from the
    note, 卡车, is among the traced candidates, so the fit can learn it."""
    gold = {k: v for k, v in sd.load_news_gold().items() if k == "20231031.md"}
    docs = [sd.Doc("20231031.md", "news", BENCH / "20231031.md",
                   (BENCH / "20231031.md").read_text(encoding="utf-8"), None)]
    exs = sd.examples(docs, gold)
    assert exs and all(e.set == "news" and e.seed == 23 for e in exs)
    truck = [e for e in exs if e.text == "26辆"]
    assert len(truck) == 1 and truck[0].gold == "卡车"
    assert [t for (t, _), ok in zip(truck[0].cands, truck[0].positive) if ok] == ["卡车"]
