"""How a chart says how it was drawn (issue 20): large numbers in 万/亿, the scale
(对数刻度) in the axis title, the source line and the title, the aggregation in the
source line, and timelines that break over years without data."""
from __future__ import annotations

import pandas as pd
import pytest
from test_app_store import app_store

from etl.store import Store
from etl.views import charts, items
from etl.views.labels import fmt_big, fmt_value, how_drawn, with_scale


@pytest.mark.parametrize("x, shown", [
    (1_978_466_843_998, "1.98万亿"), (31_216_000, "3,121.6万"), (270_000, "27万"),
    (123_456_789, "1.23亿"), (100_000_000, "1亿"), (6600, "6,600"), (12.5, "12.5"),
    (0, "0"), (-50_000, "-5万"), (None, ""), (float("nan"), "")])
def test_large_numbers_read_in_wan_and_yi(x, shown):
    assert fmt_big(x) == shown


@pytest.mark.parametrize("value, cls, unit, shown", [
    (270_000, "money", "元", "27 万元"), (3.5e9, "money", "元", "35 亿元"),
    (1_978_466_843_998, "money", None, "1.9785 万亿元"), (5000, "money", "元", "5,000 元"),
    (6600, "people", "人", "6,600 人"), (24_000, "person_times", "人次", "2.4 万人次"),
    (45, "percent", "%", "45 %")])
def test_a_figure_value_reads_in_wan_and_yi(value, cls, unit, shown):
    assert fmt_value(value, cls, unit) == shown


def test_axis_titles_and_source_lines_say_the_scale_and_the_aggregate():
    assert with_scale("资金发放（元）", True) == "资金发放（元，对数刻度）"
    assert with_scale("年份", True) == "年份（对数刻度）"
    assert with_scale("资金发放（元）", False) == "资金发放（元）"
    assert how_drawn("合计", True).startswith("汇总方式：合计；刻度：对数刻度")
    assert how_drawn(None, False) == "每个点是一个数字，不汇总；刻度：线性刻度"


def test_linear_ticks_are_round_and_labelled_in_wan():
    axis = charts.value_axis_scale([270_000.0, 31_216_000.0], log=False)
    assert axis["type"] == "linear" and axis["tickvals"][0] == 0
    steps = {b - a for a, b in zip(axis["tickvals"], axis["tickvals"][1:])}
    assert len(steps) == 1                                   # evenly spaced
    assert axis["tickvals"][-1] >= 31_216_000
    assert "1,000万" in axis["ticktext"] and all(t == "0" or t.endswith("万") or t.endswith("亿")
                                                  for t in axis["ticktext"])


def test_log_ticks_are_labelled_in_wan_and_yi():
    axis = charts.value_axis_scale([259_600.0, 34_486_000.0], log=True)
    assert axis["type"] == "log" and "100万" in axis["ticktext"] and "1,000万" in axis["ticktext"]


def _line(fig, name: str) -> dict:
    t = next(t for t in fig.data if t.name == name)
    return {"x": [int(v) for v in t.x], "y": list(t.y), "connectgaps": t.connectgaps,
            "customdata": [list(c) for c in t.customdata]}


def test_timeline_breaks_where_a_year_has_no_data():
    df = pd.DataFrame({"label": ["甲", "甲", "甲", "乙", "乙"],
                       "year": [2018, 2019, 2022, 2019, 2020],
                       "y": [1e5, 2e5, 3e5, 5e4, 6e4], "n_figures": [1] * 5, "n_approx": [0] * 5})
    fig = charts.timeline(df, title="年度变化", value_title="金额（元）", source="数据来源：测试",
                          unit="元")
    a, b = _line(fig, "甲"), _line(fig, "乙")
    assert a["x"] == [2018, 2019, 2020, 2021, 2022]          # the missing years are there, empty
    assert a["y"] == [1e5, 2e5, None, None, 3e5] and a["connectgaps"] is False
    assert b["x"] == [2019, 2020] and None not in b["y"]     # nothing to break: as it was
    assert a["customdata"][0][2] == "10万元" and a["customdata"][2][2] == ""


@pytest.fixture(scope="module")
def run():
    store = Store(app_store(), read_only=True)
    return lambda qp: store.query_df(qp[0], list(qp[1]))


def test_log_and_linear_versions_have_different_titles_and_say_their_scale(run):
    log = items.build({"chart": "compare", "metric_id": "funds_disbursed"}, run)
    lin = items.build({"chart": "compare", "metric_id": "funds_disbursed", "log": False}, run)
    assert log.title == "资金发放：按专项活动合计（对数刻度）" and lin.title == "资金发放：按专项活动合计"
    assert log.fig.layout.xaxis.title.text == "资金发放（元，对数刻度）"
    assert lin.fig.layout.xaxis.title.text == "资金发放（元）"
    assert "刻度：对数刻度" in log.source and "汇总方式：合计" in log.source
    assert "刻度：线性刻度" in lin.source
    # the source annotation (PNG, PDF and the slide text) carries the same line
    notes = " ".join(a.text for a in log.fig.layout.annotations if a.name == charts.SOURCE)
    assert "刻度：对数刻度" in notes and "汇总方式：合计" in notes
    # hovers and bar labels read in 万, the data table keeps numbers in 万元
    bar = log.fig.data[0]
    assert all(t.endswith("万") or t.endswith("亿") for t in bar.text)
    assert all(c[2].endswith("元") for c in bar.customdata)
    assert "合计：资金发放（万元）" in log.data.df.columns


def test_a_maximum_and_a_count_say_their_aggregate(run):
    mx = items.build({"chart": "compare", "metric_id": "funds_disbursed", "agg": "max",
                      "type": "timeline", "by": "year"}, run)
    assert "最大值" in mx.title and "汇总方式：最大值" in mx.source
    n = items.build({"chart": "overview"}, run)
    assert "汇总方式：计数" in n.source
