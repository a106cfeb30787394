"""Properties of the extractor on generated text: it never raises, every span indexes the
text it was given (text[start:end] == claim.text), spans are ordered and do not
overlap, and every claim is a well-formed record. Text is built from corpus sentences,
figures people write, markup and noise."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.claim import APPROX_KINDS, NON_CLAIM_KINDS, UNIT_CLASSES
from etl.extraction.extract import extract_text

ROOT = Path(__file__).resolve().parents[1]
_SENTENCES = [s for p in sorted((ROOT / "data" / "corpus").glob("*.txt"))
              for s in p.read_text(encoding="utf-8").replace("\n", "。").split("。") if s.strip()]
_FIGURES = ["27万元", "6600余名", "2.4万余人次", "减少了40%", "每人1000元", "共计12.2万元", "近3万元",
            "三至五次", "5—10人", "百分之四十五", "三分之二", "九成以上", "壹拾贰万元", "１２３个",
            "2万1千元", "1,200.5吨", "不超过25个", "21天以上", "十九大", "2021年12月30日", "17:30",
            "一是", "（一）", "1、", "第八届", "100周年", "029-85385207", "“四零”", "1+5+2"]
_NOISE = ["<p>", "</p>", "&nbsp;", "\u200b", "\r\n", " ", "\u3000", "“", "”", "《", "》", "(", ")", "—", "-", "~"]

pieces = st.one_of(st.sampled_from(_SENTENCES), st.sampled_from(_FIGURES), st.sampled_from(_NOISE),
                   st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8))
texts = st.lists(pieces, max_size=30).map("".join)


def _check(text: str, markup):
    claims = extract_text(text, "prop", markup=markup)
    last_end = -1
    for c in claims:
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert c.start >= last_end            # in order, no overlap
        last_end = c.end
        if c.is_claim:
            assert c.kind is None
            assert c.unit_class in UNIT_CLASSES
            assert c.approx in APPROX_KINDS
            assert isinstance(c.value, Decimal) and c.value.is_finite()
            assert c.value_max is None or c.value_max > c.value
            assert c.sentence_start <= c.start and c.end <= c.sentence_end
        else:
            assert c.kind in NON_CLAIM_KINDS


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_plain_text(text):
    _check(text, False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_markup_and_auto(text):
    _check(text, True)
    _check(text, None)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12),
       st.sampled_from(["元", "万元", "人", "名", "个", "人次", "%", "条"]))
def test_arabic_figure_round_trip(n, unit):
    text = f"共计{n}{unit}。"
    got = [c for c in extract_text(text, "x") if c.is_claim]
    assert len(got) == 1
    factor = 10000 if unit == "万元" else 1
    assert got[0].value == n * factor
