"""From a figure to its sentence, and page state in the URL (issue 20, points 1, 2, 4):
headless with AppTest against the shared test store, plus the pure mapping from a
clicked chart mark to the figures behind it (etl/views/marks.py). The clicks themselves
run in a browser: tests/e2e/test_navigation_browser.py."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_store import APP, db, ok  # noqa: F401  (db is a fixture)

from etl.views import marks
from etl.views import queries as q
from etl.views.text import plotly_text, shorten
from pages import _url
from pages._url import Param

# --------------------------------------------------------------- URL <-> widgets


def _open(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    ok(at)
    return at


def qp(at: AppTest, name: str) -> list[str]:
    v = at.query_params.get(name)
    return [] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]


def test_a_copied_compare_link_reopens_the_same_view(db):
    at = _open("compare", metric="people_reached", by="year", chart="timeline",
               campaign="党史学习教育")
    assert at.session_state["c_metric"] == "people_reached"
    assert at.session_state["c_dim"] == "year"
    assert at.session_state["c_chart"] == "timeline"
    assert at.session_state["flt_campaign"] == ["党史学习教育"]
    assert any("侧栏筛选：活动：党史学习教育" in c.value for c in at.caption)
    # the page wrote back what it shows, so the URL can be copied again
    assert qp(at, "metric") == ["people_reached"]
    assert qp(at, "chart") == ["timeline"]


def test_a_widget_change_goes_into_the_url_and_is_not_undone(db):
    at = _open("compare")
    assert qp(at, "by") == ["campaign"]
    at.radio(key="c_dim").set_value("organisation").run()
    ok(at)
    assert qp(at, "by") == ["organisation"]
    at.run()                                # a rerun keeps the user's choice
    assert at.session_state["c_dim"] == "organisation"
    at.multiselect(key="flt_year").set_value([2021]).run()
    assert qp(at, "year") == ["2021"]
    at.multiselect(key="flt_year").set_value([]).run()
    assert "year" not in at.query_params


def test_a_click_sent_with_the_address_before_the_last_run_keeps_the_click(db):
    # a click that races the previous run's URL update arrives with the address that
    # run replaced: the value the session itself wrote earlier is stale, not a link
    at = _open("compare")
    at.radio(key="c_dim").set_value("year").run()
    assert qp(at, "by") == ["year"]
    at.query_params["by"] = "campaign"         # what the browser still showed
    at.radio(key="c_chart").set_value("dots").run()
    ok(at)
    assert at.session_state["c_dim"] == "year"
    assert qp(at, "by") == ["year"]


def test_explore_and_overview_state_in_the_url(db):
    at = _open("explore", **{"class": "people", "q": "慰问", "limit": "100", "all": "1"})
    assert at.session_state["x_class"] == ["people"]
    assert at.session_state["x_text"] == "慰问"
    assert at.session_state["x_limit"] == 100 and at.session_state["x_all"] is True
    at = _open("overview", biggest="people")
    assert at.session_state["ov_class"] == "people"


def test_unknown_values_in_a_link_are_dropped(db):
    at = _open("compare", metric="no_such_metric", by="<script>", campaign=["党史学习教育", "不存在"],
               year="abc")
    assert at.session_state["c_metric"] != "no_such_metric"
    assert at.session_state["c_dim"] == "campaign"
    assert at.session_state["flt_campaign"] == ["党史学习教育"]
    assert not at.session_state["flt_year"]


@pytest.mark.parametrize("kind, value, raw", [
    ("list", ["甲", "乙"], ["甲", "乙"]), ("ints", [2021, 2020], ["2021", "2020"]),
    ("int", 500, ["500"]), ("bool", True, ["1"]), ("bool", False, ["0"]), ("str", "慰问金", ["慰问金"])])
def test_url_values_round_trip(kind, value, raw):
    p = Param("p", "k", kind)
    assert _url.encode(p, value) == raw
    assert _url.parse(p, raw) == value


def test_url_parse_refuses_what_the_widget_could_not_show():
    assert _url.parse(Param("p", "k", "int"), ["x"]) is None
    assert _url.parse(Param("p", "k", "bool"), ["yes"]) is None
    assert _url.parse(Param("p", "k", "str", ("bar", "dots")), ["pie"]) is None
    assert _url.parse(Param("p", "k", "ints", (2021, "（未标注）")), ["2021", "（未标注）", "1999"]) == [
        2021, "（未标注）"]
    assert _url.encode(Param("p", "k", "list"), []) == []
    assert _url.encode(Param("p", "k"), "") == []


# ------------------------------------------------------- clicked mark -> figures

def _chart_data(labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"专项活动": labels, "数值": range(len(labels))})


def test_a_clicked_bar_is_its_group():
    data = _chart_data(["党史学习教育", "不忘初心、牢记使命主题教育"])
    assert marks.compare_pick({"point_index": 1, "curve_number": 0}, "bar", data, "campaign") == \
        marks.Pick("不忘初心、牢记使命主题教育")
    assert marks.compare_pick({"point_index": 5}, "bar", data, "campaign") is None


def test_a_clicked_timeline_point_is_its_group_and_year():
    data = pd.DataFrame({"专项活动": ["甲", "乙", "甲"], "年份": [2020, 2020, 2021]})
    assert marks.compare_pick({"curve_number": 1, "x": 2020}, "timeline", data, "campaign") == \
        marks.Pick("乙", year=2020)
    by_year = pd.DataFrame({"年份": [2020, 2021]})
    assert marks.compare_pick({"curve_number": 0, "x": 2021}, "timeline", by_year, "year") == \
        marks.Pick("2021", year=2021)


def test_a_clicked_dot_is_its_figure_even_with_a_long_escaped_label():
    long = "<b>中央和国家机关工委关于开展慰问活动的通知</b>"
    data = _chart_data([long, "乙"])
    point = {"curve_number": 0, "point_index": 0, "x": 27.0, "y": plotly_text(shorten(long, 24))}
    pick = marks.compare_pick(point, "dots", data, "campaign")
    assert pick == marks.Pick(long, value=27.0)
    rows = pd.DataFrame({"grp": [long, long, "乙"], "value": [270000, 30000, 270000],
                         "claim_id": ["a", "b", "c"]})
    assert marks.behind(rows, pick, "campaign", 1e4)["claim_id"].tolist() == ["a"]
    assert marks.behind(rows, marks.Pick(long), "campaign", 1e4)["claim_id"].tolist() == ["a", "b"]


def test_the_events_points_are_read_from_the_state_or_a_dict():
    assert marks.points(None) == []
    assert marks.points({"selection": {"points": [{"x": 1}]}}) == [{"x": 1}]
    assert marks.points({"selection": {"points": []}}) == []


def test_a_clicked_overview_segment_is_its_campaign_and_class():
    data = pd.DataFrame({"专项活动": ["党史学习教育", "（未标注）"], "合计（个）": [3, 1],
                         "金额（个）": [2, 1], "人数（个）": [1, 0]})
    assert marks.overview_pick({"curve_number": 1, "y": "党史学习教育"}, data) == ("党史学习教育", "people")
    assert marks.overview_pick({"curve_number": 0, "y": "（未标注）"}, data) == ("（未标注）", "money")
    assert marks.overview_pick({"curve_number": 2, "y": "党史学习教育"}, data) is None


def test_behind_a_compare_bar_are_exactly_the_ledger_rows_of_its_group(db):
    """The figures listed for a bar are the ones its sum is made of (counted or not)."""
    from etl.store import Store
    from etl.views import compare
    store = Store(db, read_only=True)
    base = q.Filters()
    opts = compare.CompareOptions(metric="funds_disbursed")
    def run(qp):
        return store.query_df(qp[0], list(qp[1]))
    chart = compare.compare_chart(base, opts, run, None)
    f, o, _cls, _ = compare.charted(base, opts, compare.unit_rows(base, opts, run))
    rows = run(q.compare_ledger(f, o.dim, None))
    by = "专项活动"
    for i, label in enumerate(chart.data.df[by]):
        pick = marks.compare_pick({"point_index": i}, "bar", chart.data.df, o.dim)
        got = marks.behind(rows, pick, o.dim, 1e4)
        assert len(got) >= int(chart.data.df["数字个数"].iloc[i])
        ledger = chart.ledger.df[chart.ledger.df[by] == label]
        assert sorted(got["claim_id"]) == sorted(ledger["claim_id"])


def test_the_reader_script_carries_report_text_only_as_a_string():
    from pages._reader import scroll_script
    js = scroll_script('27万元</script><script>alert(1)</script>"', "c1", "◀", page=False)
    body = js.removeprefix("<script>").removesuffix("</script>")
    assert "</script>" not in body and "<script>" not in body
    assert "page = false" in js and '"c1"' in js
    assert "page = true" in scroll_script("27万元", "c1", "◀")


def test_a_dot_as_drawn_maps_back_to_its_one_figure(db):
    """A dot's x is what the chart drew (base units since the axes read 万/亿): taken
    from the drawn figure itself, it names exactly one ledger row."""
    from etl.store import Store
    from etl.views import compare
    store = Store(db, read_only=True)
    base = q.Filters()
    opts = compare.CompareOptions(metric="funds_disbursed", chart="dots")
    def run(qp):
        return store.query_df(qp[0], list(qp[1]))
    chart = compare.compare_chart(base, opts, run, None)
    f, o, _cls, _ = compare.charted(base, opts, compare.unit_rows(base, opts, run))
    rows = run(q.compare_ledger(f, o.dim, None))
    trace = chart.fig.data[0]
    point = {"curve_number": 0, "point_index": 0, "x": float(trace.x[0]), "y": trace.y[0]}
    pick = marks.compare_pick(point, "dots", chart.data.df, o.dim)
    assert pick is not None
    got = marks.behind(rows, pick, o.dim, 1.0)
    assert len(got) == 1 and float(got["value"].iloc[0]) == float(trace.x[0])


@pytest.mark.parametrize("chart_type", ["bar", "timeline", "dots"])
def test_the_compare_prefetch_is_every_query_the_chart_runs(db, chart_type):
    """The page runs `compare_queries` side by side before drawing; the chart must then
    find every query it runs in the cache, so the two lists must be the same queries."""
    from etl.store import Store
    from etl.views import compare, sources
    store = Store(db, read_only=True)
    base = q.Filters(campaign=("党史学习教育",))
    opts = compare.CompareOptions(metric="funds_disbursed", chart=chart_type)
    ran: list = []
    def run(qp):
        ran.append((qp[0], tuple(qp[1])))
        return store.query_df(qp[0], list(qp[1]))
    units = compare.unit_rows(base, opts, run)
    dup = sources.dup_source(run)
    ran.clear()
    chart = compare.compare_chart(base, opts, run, dup, units=units)
    assert chart is not None
    wanted = [(sql, tuple(p)) for sql, p in compare.compare_queries(base, opts, dup, units)]
    assert sorted(wanted) == sorted(ran)
    assert compare.compare_queries(base, opts, dup, units.iloc[0:0]) == []
