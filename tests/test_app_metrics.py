"""Metrics in the dashboard (issue 10): every claim's `metric` (data/rules/metrics.yaml)
and `metric_evidence` shown in Explore and on the Report page, correctable on the
Corrections page, and the Compare page's primary choice (one metric, one unit at a
time, repeated figures counted once). A corrected metric wins everywhere."""
from __future__ import annotations

import pandas as pd
import pytest
from store_reads import corrections_for
from test_app_pages import (  # noqa: F401  (fixtures)
    _claim,
    _rid,
    charts,
    db,
    ok,
    open_page,
    sql,
    values,
    writable_db,
)
from test_app_store import copy_store

from etl.checks.run import run_checks, save_results
from etl.extraction.metrics import metrics
from etl.store import Store
from etl.views import compare, items
from etl.views.labels import metric_ids

DOC0 = "000_35e2ab27f9b7f4d4.txt"


def bars(at) -> dict:
    """The Compare page's horizontal bar chart as {category: value}."""
    spec = charts(at)[0]
    return dict(zip(values(spec["data"][0]["y"]), values(spec["data"][0]["x"])))


def runner(path):
    store = Store(path, read_only=True)
    return lambda qp: store.query_df(qp[0], list(qp[1]))


# -------------------------------------------------------------------- explore

def test_explore_shows_each_figures_metric_and_evidence_and_filters_by_it(db):
    at = open_page("explore")
    df = at.dataframe[0].value
    assert {"指标", "指标依据"} <= set(df.columns)
    assert set(df["指标"]) <= {m.zh for m in metrics()}
    at.multiselect(key="x_metric").set_value(["funds_disbursed"]).run()
    ok(at)
    df = at.dataframe[0].value
    n = sql(db, "SELECT count(*) AS n FROM claims_effective WHERE is_claim "
                "AND metric = 'funds_disbursed'")["n"][0]
    assert len(df) == n > 0 and set(df["指标"]) == {"资金发放"}
    assert all(isinstance(e, str) and e for e in df["指标依据"])
    row = df[df["原文"] == "27万元"].iloc[0]
    assert "慰问金" in row["指标依据"]
    assert f"共 {n:,} 个数字" in " ".join(c.value for c in at.caption)


def test_report_details_show_the_metric_and_its_evidence(db):
    rid = _rid(db, DOC0)
    at = open_page("report", report_id=rid)
    at.selectbox(key="r_claim").set_value(_claim(db, "27万元")).run()
    ok(at)
    fields = dict(zip(at.dataframe[0].value["字段"], at.dataframe[0].value["内容"]))
    assert fields["指标"] == "资金发放"
    assert fields["指标依据"] == "主体含“慰问金”；前动词“发放”"
    everything = at.dataframe[-1].value
    assert everything.loc[everything["原文"] == "27万元", "指标"].tolist() == ["资金发放"]


# -------------------------------------------------------------------- compare

def test_compare_offers_metrics_in_taxonomy_order_children_under_parents(db):
    at = open_page("compare")
    box = at.selectbox(key="c_metric")
    assert box.value == "funds_disbursed"
    labels = box.options
    assert len(labels) == len(metric_ids())
    assert labels[0].startswith("资金发放（") and labels[1].startswith("\u3000└ 捐款筹资（")
    n = sql(db, "SELECT count(*) AS n FROM claims_effective WHERE is_claim "
                "AND metric = 'funds_disbursed'")["n"][0]
    assert labels[0] == f"资金发放（{n}）"


def test_compare_charts_one_unit_at_a_time_most_common_first(db):
    at = open_page("compare", c_metric="people_reached")
    unit = at.selectbox(key="c_unit_people_reached")
    counts = sql(db, "SELECT unit, count(*) AS n FROM claims_effective WHERE is_claim AND "
                     "metric = 'people_reached' GROUP BY unit ORDER BY n DESC, unit")
    assert unit.value == counts["unit"][0] == "人"
    assert unit.options == [f"{u}（{n}）" for u, n in zip(counts["unit"], counts["n"])]
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == "服务帮扶对象（人）"
    unit.set_value("户").run()
    ok(at)
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == "服务帮扶对象（户）"
    assert sum(bars(at).values()) == sql(
        db, "SELECT sum(value) AS s FROM claims_effective WHERE is_claim AND "
            "metric = 'people_reached' AND unit = '户'")["s"][0]
    # people and person-times never add up: no "every unit" choice for a metric spanning them
    at.selectbox(key="c_metric").set_value("volunteers_mobilised").run()
    ok(at)
    assert "全部量词（个、家、支…）" not in at.selectbox(key="c_unit_volunteers_mobilised").options
    # counters may: the last choice for organisations involved
    at.selectbox(key="c_metric").set_value("orgs_involved").run()
    ok(at)
    assert at.selectbox(key="c_unit_orgs_involved").options[-1] == "全部量词（个、家、支…）"


@pytest.mark.parametrize("terms", [(), ("慰问金", "职工")])
def test_the_pages_units_are_the_exports_units(db, terms):
    """The page reads every metric's units from one scan (q.metric_units); the command
    line asks per metric (q.unit_counts): same units, same order, same classes."""
    from etl.views import queries as q
    run = runner(db)
    breakdown = run(q.metric_units(q.Filters(subject_terms=terms)))
    for m in metric_ids():
        pd.testing.assert_frame_equal(
            compare.units_from(breakdown, m),
            compare.unit_rows(q.Filters(), compare.CompareOptions(metric=m, terms=terms), run),
            check_dtype=False, obj=m)


def test_compare_funds_disbursed_equals_sql_counting_repeats_once(tmp_path, monkeypatch):
    """The checks group 27万元, reported by two reports, into one figure: the chart counts
    it once, exactly as a direct aggregate over claims_effective with metric =
    'funds_disbursed' that keeps one value per duplicate group."""
    path = copy_store(tmp_path)
    store = Store(path)
    save_results(store, run_checks(store))
    monkeypatch.setenv("REPORT_FIGURES_DB", str(path))
    monkeypatch.setenv("REPORT_FIGURES_UPLOADS", str(tmp_path / "uploads"))
    at = open_page("compare")
    got = bars(at)
    expected = sql(path, """
        WITH f AS (SELECT coalesce(e.campaign, '（未标注）') AS c, g.dup_group, max(e.value) AS v
                   FROM claims_effective e JOIN claim_dup_groups g USING (claim_id)
                   WHERE e.is_claim AND e.metric = 'funds_disbursed' AND e.unit = '元'
                     AND coalesce(e.counted, true)
                   GROUP BY 1, 2)
        SELECT c, sum(v) AS y FROM f GROUP BY c""")
    from etl.views.text import plotly_text
    assert got == pytest.approx({plotly_text(c): y for c, y in zip(expected["c"], expected["y"])})
    each = sql(path, "SELECT sum(value) AS y FROM claims_effective WHERE is_claim AND "
                     "metric = 'funds_disbursed' AND unit = '元' AND campaign = '党史学习教育'")["y"][0]
    assert got["党史学习教育"] == pytest.approx(each - 270_000)     # the repeat counted once (元)
    assert "只计一次" in " ".join(c.value for c in at.caption)
    # the export path gives the same numbers
    chart = items.build({"chart": "compare", "metric_id": "funds_disbursed"}, runner(path))
    table = chart.data.df.set_index("专项活动")["合计：资金发放（万元）"]
    assert table.to_dict() == pytest.approx(dict(zip(expected["c"], expected["y"] / 1e4)))
    # a dot per figure, the repeated one once within each campaign's row of dots
    at.radio(key="c_chart").set_value("dots").run()
    ok(at)
    n_dots = sum(len(values(t["x"])) for t in charts(at)[0]["data"])
    n = sql(path, "SELECT count(DISTINCT (coalesce(e.campaign, ''), g.dup_group)) AS n "
                  "FROM claims_effective e JOIN claim_dup_groups g USING (claim_id) "
                  "WHERE e.is_claim AND e.metric = 'funds_disbursed' AND e.unit = '元'")["n"][0]
    assert n_dots == n


def test_compare_dots_order_is_stable_for_equal_values(db):
    """Equal values are ordered by claim_id in SQL, so a dot chart redraws identically."""
    run = runner(db)
    item = {"chart": "compare", "metric_id": "orgs_involved", "unit": "all", "type": "dots",
            "by": "campaign"}
    first = items.build(item, run).data.df
    assert first.duplicated(["专项活动", next(c for c in first.columns if "参与单位" in c)]).any()
    for _ in range(3):
        pd.testing.assert_frame_equal(items.build(item, run).data.df, first)


# ---------------------------------------------------------------- corrections

def test_corrections_offer_every_metric_by_its_chinese_name(db):
    cid = _claim(db, "27万元")
    at = open_page("corrections", fix_claim_id=cid)
    box = at.selectbox(key=f"k_metric_{cid}")
    assert box.value == "funds_disbursed"
    assert len(box.options) == len(metric_ids()) + 1          # and （未设置）
    assert box.options[1] == "资金发放（金额）" and "\u3000└ 捐款筹资（金额）" in box.options
    assert "服务帮扶对象（人数、人次、其他）" in box.options


def test_a_metric_correction_moves_a_figure_to_another_metrics_chart(writable_db):
    cid = _claim(writable_db, "27万元")
    campaign = sql(writable_db, "SELECT campaign FROM claims_effective WHERE claim_id = ?",
                   [cid])["campaign"][0]
    at = open_page("compare")
    disbursed_before = bars(at)[campaign]
    at.selectbox(key="c_metric").set_value("funds_raised").run()
    raised_before = bars(at).get(campaign, 0.0)

    at = open_page("corrections", fix_claim_id=cid)
    at.selectbox(key=f"k_metric_{cid}").set_value("funds_raised")
    at.text_input(key=f"k_who_{cid}").input("王审核")
    at.text_area(key=f"k_why_{cid}").input("这是捐款，不是发放")
    at.button[0].click().run()
    ok(at)
    assert "已保存更正：指标" in at.success[0].value
    hist = at.dataframe[-1].value
    assert hist[["字段", "原值", "新值"]].values.tolist() == [["指标", "资金发放", "捐款筹资"]]
    row = sql(writable_db, "SELECT metric, corrected_fields FROM claims_effective WHERE claim_id = ?", [cid])
    assert row["metric"][0] == "funds_raised" and list(row["corrected_fields"][0]) == ["metric"]

    at.switch_page("pages/compare.py").run()
    ok(at)
    assert bars(at)[campaign] == pytest.approx(disbursed_before - 270_000)
    at.selectbox(key="c_metric").set_value("funds_raised").run()
    assert bars(at)[campaign] == pytest.approx(raised_before + 270_000)

    # shown as corrected in Explore and on the Report page
    at.switch_page("pages/explore.py").run()
    at.multiselect(key="x_metric").set_value(["funds_raised"]).run()
    df = at.dataframe[0].value
    fixed = df[df["原文"] == "27万元"].iloc[0]
    assert fixed["指标"] == "捐款筹资" and fixed["已更正"] == "✎"
    assert fixed["指标依据"].startswith("✎ 人工更正（自动判定的依据：主体含“慰问金”")
    at.session_state["report_id"] = _rid(writable_db, DOC0)
    at.switch_page("pages/report.py").run()
    at.selectbox(key="r_claim").set_value(cid).run()
    fields = dict(zip(at.dataframe[0].value["字段"], at.dataframe[0].value["内容"]))
    assert fields["指标"] == "捐款筹资（已更正 ✎）" and fields["已更正字段"] == "指标"


def test_the_store_accepts_only_metrics_of_the_taxonomy(writable_db):
    store = Store(writable_db)
    cid = _claim(writable_db, "27万元")
    with pytest.raises(ValueError, match="metric must be an id from data/rules/metrics.yaml"):
        store.add_correction(cid, "metric", "资金发放", who="测试")
    store.add_correction(cid, "metric", "funds_raised", who="测试")
    [k] = corrections_for(store, cid)
    assert (k["field"], k["old_value"], k["new_value"]) == ("metric", "funds_disbursed", "funds_raised")
