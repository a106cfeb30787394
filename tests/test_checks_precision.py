"""Written precision: the interval each figure stands for (etl/checks/prepare.py),
on figures from the bundled reports."""
from __future__ import annotations

import pytest
from checks_cases import report_from_text

from etl.checks.config import check_rules
from etl.checks.prepare import INF, prepare
from etl.store import Store


def intervals(text: str) -> dict[str, tuple]:
    store = Store(":memory:")
    try:
        store.save_reports([(*report_from_text("a.txt", text), "a.txt")])
        with store.analysis() as a:
            prepare(a, check_rules())
            df = a.df("SELECT text, lo, hi, mlo, mhi, sig FROM ck")
        return {r.text: (r.lo, r.hi, r.mlo, r.mhi, r.sig) for r in df.itertuples()}
    finally:
        store.close()


@pytest.mark.parametrize("sentence, figure, lo, hi", [
    # a multiplier leaves the last written digit uncertain by half a unit
    ("下拨慰问金27万元。", "27万元", 265000, 275000),
    ("每人1000元，共计12.2万元。", "12.2万元", 121500, 122500),
    ("市直机关党员干部向市红十字会捐赠疫情防控资金153.6115万元。", "153.6115万元", 1536114.5, 1536115.5),
    # a count written in full is exact
    ("122名生活困难的职工收到了慰问金。", "122名", 122, 122),
    # 余/多: up to one unit of the last non-zero digit
    ("吸引55个部门的6600余名干部职工踊跃参赛。", "6600余名", 6600, 6700),
    ("3000余名党员干部观看了网络授课视频。", "3000余名", 3000, 4000),
    ("各突击队累计2.4万余人次坚守在社区疫情防控一线。", "2.4万余人次", 24000, 25000),
    # 近: down by one unit
    ("筹措了近3万元的资金。", "近3万元", 20000, 30000),
    # a percentage to its decimals
    ("参学率达到95.5%。", "95.5%", 95.45, 95.55),
])
def test_written_precision(sentence, figure, lo, hi):
    got = intervals(sentence)[figure]
    assert got[0] == pytest.approx(lo) and got[1] == pytest.approx(hi)


def test_open_ended_words_leave_one_side_open_for_contradiction_but_not_for_matching():
    lo, hi, mlo, mhi, _ = intervals("仅公务接待一项同比减少45%以上。")["45%以上"]
    assert (lo, hi) == (45, INF)          # 80% does not contradict 45%以上
    assert (mlo, mhi) == (45, 46)         # ... but is not the same figure


def test_a_cue_before_an_exact_figure_makes_it_a_bound():
    # 突破4800亿元: more than 4800亿, compatible with 4897.3亿 (新闻联播 2022-11-01)
    lo, hi, *_ = intervals("经港珠澳大桥进出口总值突破4800亿元。")["突破4800亿元"]   # 突破 is now in the span
    assert lo == 4.8e11 and hi >= INF


def test_significant_digits():
    got = intervals("吸引55个部门的6600余名干部职工，发放慰问金27万元，最高保额可达300万元。")
    assert got["55个"][4] == 2 and got["6600余名"][4] == 2 and got["27万元"][4] == 2
    assert got["300万元"][4] == 1
