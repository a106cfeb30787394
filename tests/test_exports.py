"""Exports without a browser (issue 7): tables (CSV with BOM, Excel), the briefing
workbook, source lines, briefing items and specs, the export-chart/briefing command
lines' argument handling, and — the main promise — that an exported chart is the chart
the page shows: the same figure JSON from the page (AppTest) and from the export path.

Drawing PNG/SVG/PDF/PPTX needs Chromium: tests/test_exports_render.py."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app_store import (
    XSS_CAMPAIGN,
    XSS_IMG,
    XSS_ORG,
    XSS_SCRIPT,
    XSS_TITLE,
    db,  # noqa: F401  (fixture)
    open_page,
)

from etl.exports import briefing, tables
from etl.store import Store
from etl.views import charts, items, sources, text
from etl.views.model import Chart, Table

ROOT = Path(__file__).resolve().parents[1]


def runner(path):
    store = Store(path, read_only=True)
    return lambda qp: store.query_df(qp[0], list(qp[1]))


def page_figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def same_figure(page_spec: dict, fig) -> None:
    """Data and every text a reader sees (title, axes, annotations) are identical."""
    exported = json.loads(fig.to_json())
    assert page_spec["data"] == exported["data"]
    pl, el = page_spec["layout"], exported["layout"]
    assert pl["title"]["text"] == el["title"]["text"]
    assert pl.get("annotations") == el.get("annotations")
    for axis in ("xaxis", "yaxis"):
        assert pl[axis].get("title") == el[axis].get("title")
        assert pl[axis].get("type") == el[axis].get("type")
    assert pl["height"] == el["height"]


def normalised(df: pd.DataFrame) -> pd.DataFrame:
    """Cells as plain Python values (NaN/NA/None -> None, numbers -> float), for
    comparing a frame with what a spreadsheet gives back."""
    def cell(v):
        if v is None or (isinstance(v, str) and v == "") or (not isinstance(v, str) and pd.isna(v)):
            return None                     # a spreadsheet keeps no empty strings
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)):
            return float(v)
        return v
    return pd.DataFrame({c: [cell(v) for v in df[c]] for c in df.columns})


# ------------------------------------------------------------ the chart on screen

@pytest.mark.parametrize("state, item", [
    ({"c_metric": "funds_disbursed", "c_terms": "慰问金"},
     {"chart": "compare", "metric_id": "funds_disbursed", "subject": "慰问金", "by": "campaign"}),
    ({"c_metric": "participants", "c_dim": "organisation", "c_chart": "dots"},
     {"chart": "compare", "metric_id": "参与人数", "by": "organisation", "type": "dots"}),
    ({"c_metric": "funds_disbursed", "c_dim": "year", "c_chart": "timeline",
      "flt_campaign": ["党史学习教育"]},
     {"chart": "compare", "metric_id": "funds_disbursed", "by": "year", "type": "timeline",
      "filters": {"campaign": ["党史学习教育"]}}),
    ({"c_metric": "orgs_involved", "c_dim": "level", "c_agg_orgs_involved_orgs": "count"},
     {"chart": "compare", "metric_id": "orgs_involved", "by": "level", "agg": "count"}),
    ({"c_metric": "orgs_involved", "c_unit_orgs_involved": "__all__", "c_dim": "level",
      "c_agg_orgs_involved_orgs": "count"},
     {"chart": "compare", "metric_id": "orgs_involved", "by": "level", "agg": "count", "unit": "all"}),
    ({"c_metric": "people_reached", "c_unit_people_reached": "户"},
     {"chart": "compare", "metric_id": "people_reached", "unit": "户"}),
])
def test_compare_export_is_the_chart_on_screen(db, state, item):
    at = open_page("compare", **state)
    [spec] = page_figures(at)
    chart = items.build(item, runner(db))
    same_figure(spec, chart.fig)
    # the page's tables are the export's: the chart's data, and the figures behind its sums
    shown = [d.value.reset_index(drop=True) for d in at.dataframe]
    pd.testing.assert_frame_equal(shown[0], chart.data.df, check_dtype=False)
    if chart.ledger is not None:
        pd.testing.assert_frame_equal(shown[1], chart.ledger.df.drop(columns=["claim_id"]), check_dtype=False)
    assert len(shown) == 1 + (chart.ledger is not None)


def test_overview_export_is_the_chart_on_screen(db):
    at = open_page("overview", flt_year=[2021, 2022])
    [spec] = page_figures(at)
    chart = items.build({"chart": "overview", "filters": {"year": [2021, 2022]}}, runner(db))
    same_figure(spec, chart.fig)
    assert "筛选：年份：2021、2022" in chart.source


def test_the_page_item_rebuilds_the_same_chart(db):
    """加入简报 stores filters and options; the 简报 page (and `python -m etl briefing`)
    rebuild from them: the same figure."""
    at = open_page("compare", c_metric="participants", c_terms="干部职工",
                   flt_org=["中央和国家机关工委"])
    [spec] = page_figures(at)
    at.button(key="c_dl_brief").click().run()
    [item] = at.session_state["briefing_items"]
    assert item["filters"] == {"organisation": ["中央和国家机关工委"]}
    assert item["subject"] == ["干部职工"] and item["metric_id"] == "participants"
    assert "metric" not in item and item["unit"] == "人"
    same_figure(spec, items.build(item, runner(db)).fig)
    # yaml round trip (the spec file the 简报 page downloads)
    import yaml
    again = yaml.safe_load(yaml.safe_dump({"items": [item]}, allow_unicode=True))["items"][0]
    same_figure(spec, items.build(again, runner(db)).fig)


def test_pages_offer_downloads_and_the_basket(db):
    at = open_page("compare")
    labels = [b.label for b in at.get("download_button")]
    # the chart, its data, and the figures behind its sums
    assert labels[:3] == ["PNG", "SVG", "PDF"] and labels[3:] == ["下载 CSV", "下载 Excel"] * 2
    at.button(key="c_dl_brief").click().run()
    at.button(key="c_dl_brief").click().run()             # twice: kept once
    at.button(key="c_data_dl_brief").click().run()        # the chart's data as a table
    at.switch_page("pages/overview.py").run()
    assert [b.label for b in at.get("download_button")] == ["PNG", "SVG", "PDF", "下载 CSV", "下载 Excel"]
    at.button(key="ov_dl_brief").click().run()
    at.button(key="ov_big_dl_brief").click().run()
    at.switch_page("pages/explore.py").run()
    at.text_input(key="x_text").input("慰问金").run()
    at.button(key="x_dl_brief").click().run()
    basket = at.session_state["briefing_items"]
    assert [i.get("chart") or i.get("table") for i in basket] == [
        "compare", "compare", "overview", "biggest", "explore"]
    at.switch_page("pages/briefing.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "简报"
    text_ = " ".join(m.value for m in at.markdown)
    assert "资金发放：按专项活动合计" in text_ and "数字明细：慰问金" in text_
    assert [b.label for b in at.get("download_button")] == ["下载 PowerPoint", "下载 Excel", "下载规格文件"]
    at.button(key="b_up_1").click().run()
    at.button(key="b_del_0").click().run()
    assert len(at.session_state["briefing_items"]) == 4
    at.button(key="b_clear").click().run()
    assert "还没有选中的图表或表格" in at.info[0].value


def test_hostile_report_text_stays_text_in_exported_figures(db):
    run = runner(db)
    for item in ({"chart": "compare", "metric": "money", "by": "organisation"},
                 {"chart": "compare", "metric": "money", "by": "campaign", "type": "dots"},
                 {"chart": "overview"}):
        chart = items.build(item, run)
        raw = json.dumps(json.loads(chart.fig.to_json()), ensure_ascii=False)
        assert "<script" not in raw and "<img" not in raw and "<b>活动" not in raw
    chart = items.build({"chart": "compare", "metric": "money", "by": "organisation"}, run)
    raw = json.dumps(json.loads(chart.fig.to_json()), ensure_ascii=False)
    assert "&lt;img src=x onerror=alert(1)&gt;单位" in raw
    # the tables keep the characters, as the data they are
    assert XSS_ORG in set(chart.data.df["单位"])
    chart = items.build({"chart": "compare", "metric": "money", "by": "campaign", "type": "dots"}, run)
    assert XSS_CAMPAIGN in set(chart.data.df["专项活动"]) and XSS_TITLE in set(chart.data.df["报告"])
    # a title given in a spec is escaped too
    chart = items.build({"chart": "overview", "title": f"{XSS_SCRIPT}简报"}, run)
    assert chart.title == f"{XSS_SCRIPT}简报"
    assert chart.fig.layout.title.text == "&lt;script&gt;alert(1)&lt;/script&gt;简报"


# ------------------------------------------------------------------- source line

def test_source_line_names_reports_organisations_dates_and_filters(db):
    run = runner(db)
    chart = items.build({"chart": "compare", "metric": "money", "subject": "慰问金",
                            "filters": {"campaign": ["党史学习教育"]}}, run)
    line1, line2, line3 = chart.source.split("\n")
    assert line1.startswith("数据来源：") and "份报告：《" in line1
    assert line3 == "汇总方式：合计；刻度：对数刻度（相邻主刻度相差 10 倍，长度不与数值成正比）"
    assert "中央和国家机关工委" in line2 and "筛选：活动：党史学习教育" in line2
    assert "报告日期：" in line2 or "报告年份：" in line2
    notes = [a.text for a in chart.fig.layout.annotations if a.name == "source"]
    assert notes and notes[0].split("<br>")[:2] == [text.plotly_text(line1), text.plotly_text(line2)]


def test_source_text_dates():
    row = {"n_reports": 2, "names": ["甲", "乙"], "n_orgs": 1, "orgs": ["某单位"],
           "first_date": "2021-06-01", "last_date": "2022-03-01", "undated": 0,
           "first_year": 2021, "last_year": 2022}
    assert sources.source_text(row) == ("数据来源：2 份报告：《甲》、《乙》\n"
                                         "1 个单位：某单位；报告日期：2021-06-01 至 2022-03-01")
    row.update(undated=1, names=["甲"], n_orgs=4)
    assert sources.source_text(row, "活动：X") == (
        "数据来源：2 份报告：《甲》 等\n4 个单位：某单位 等；报告年份：2021–2022 年；筛选：活动：X")
    assert sources.source_text({"n_reports": 0}) == "数据来源：0 份报告"


# ------------------------------------------------------------------------ tables

FRAME = pd.DataFrame({
    "原文": ["27万元", "6600余名", "1069名"],
    "金额（万元）": [27.0, 153.6115, None],
    "数字个数": pd.array([2, 1, 3], dtype="Int64"),
    "年份": pd.array([2021, 2020, None], dtype="Int64"),
    "主体": ["慰问金", "干部职工", None],
})


def test_csv_starts_with_bom_and_reads_back_equal():
    data = tables.to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    pd.testing.assert_frame_equal(normalised(back), normalised(FRAME))
    assert data.decode("utf-8-sig").splitlines()[0] == "原文,金额（万元）,数字个数,年份,主体"


def test_excel_reads_back_equal_with_numbers_as_numbers_and_widths(tmp_path):
    data = tables.to_excel_bytes(FRAME, sheet="数据", title="慰问金：按专项活动合计（数据）",
                                 source="数据来源：2 份报告")
    pd.testing.assert_frame_equal(normalised(pd.read_excel(io.BytesIO(data))), normalised(FRAME))
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["数据", "说明"]
    ws = wb["数据"]
    assert ws["B2"].value == 27 and ws["B2"].data_type == "n" and ws["B2"].number_format == "#,##0.00"
    assert ws["C2"].value == 2 and ws["C2"].number_format == "#,##0"
    assert ws["D2"].value == 2021 and ws["D2"].number_format == "General"     # a year: no 2,021
    assert ws.column_dimensions["A"].width >= 10                # 6600余名: CJK counted double
    assert ws.column_dimensions["B"].width >= len("金额（万元）") * 2
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    notes = pd.read_excel(io.BytesIO(data), sheet_name="说明")
    assert notes.iloc[0].tolist() == ["数据", "慰问金：按专项活动合计（数据）", 3, "数据来源：2 份报告"]


def test_cells_that_look_like_formulas_are_defused():
    df = pd.DataFrame({"原文": ["=HYPERLINK(\"http://x\")", "+1", "@SUM(A1)", "27万元"]})
    back = pd.read_csv(io.BytesIO(tables.to_csv_bytes(df)), encoding="utf-8-sig")
    assert back["原文"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "27万元"]
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(tables.to_excel_bytes(df))).active
    assert all(c.data_type == "s" for c in ws["A"][1:])


def test_sheet_names_are_legal_and_unique():
    taken: set[str] = set()
    names = []
    for wanted in ["a/b:c*d?[e]", "x" * 40, "x" * 40, "说明", ""]:
        names.append(tables.sheet_name(wanted, taken | {"说明"}))
        taken.add(names[-1])
    assert names[0] == "a_b_c_d__e_"
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)
    assert names[3] == "说明 (2)" and names[4] == "表"


def test_briefing_workbook_has_a_sheet_per_table_and_chart(db):
    run = runner(db)
    built = [items.build(i, run) for i in (
        {"chart": "compare", "metric": "money", "subject": "慰问金"},
        {"table": "explore", "class": ["money"], "text": "慰问金"},
        {"table": "biggest", "class": "people"},
        {"table": "overview"})]
    data = briefing.xlsx_bytes(built, "测试简报")
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == ["慰问金（金额）：按专项活动合计（数据）", "计入与未计入", "数字明细：慰问金",
                            "最大的数字：人数", "各专项活动的数字个数（按类别）（数据）", "说明"]
    wanted = [t for it in built for t in ((it.data, it.ledger) if isinstance(it, Chart) else (it,)) if t]
    for (name, back), t in zip(sheets.items(), wanted):
        pd.testing.assert_frame_equal(normalised(back), normalised(t.df), check_dtype=False, obj=name)
    assert set(sheets["计入与未计入"]["合计"]) >= {"计入", "人均或单价"}
    # units in the headers, numbers as numbers
    money = sheets["慰问金（金额）：按专项活动合计（数据）"]
    assert "合计：金额（万元）" in money.columns and money["合计：金额（万元）"].dtype == float
    assert sheets["最大的数字：人数"]["数值（人）"].dtype.kind in "if"
    about = pd.read_excel(io.BytesIO(data), sheet_name="说明", header=None)
    assert about.iloc[0, 0] == "测试简报"
    assert about.iloc[3, 3].startswith("数据来源：")


# ---------------------------------------------------------------- briefing items

@pytest.mark.parametrize("item, message", [
    ({"chart": "pie"}, "unknown chart 'pie'"),
    ({"chart": "compare", "metric": "gold"}, "unknown metric 'gold'"),
    ({"chart": "compare", "metric_id": "gold"}, "unknown metric id 'gold'"),
    ({"chart": "compare", "metric_id": ["funds_disbursed", "funds_raised"]}, "one metric_id at a time"),
    ({"table": "explore", "metric_id": ["资金"]}, "unknown metric id '资金'"),
    ({"chart": "compare", "by": "colour"}, "unknown by 'colour'"),
    ({"chart": "compare", "agg": "mode"}, "unknown agg 'mode'"),
    ({"chart": "compare", "type": "pie"}, "unknown type 'pie'"),
    ({"chart": "compare", "colour": "red"}, "unknown key 'colour'"),
    ({"metric": "money"}, "exactly one of"),
    ({"chart": "overview", "table": "explore"}, "exactly one of"),
    ({"chart": "overview", "filters": {"region": ["安徽"]}}, "unknown filter 'region'"),
    ({"chart": "overview", "filters": {"year": ["去年"]}}, "year must be a number"),
    ({"table": "explore", "order": "random"}, "unknown order 'random'"),
    ({"table": "explore", "all": "maybe"}, "not a yes/no value"),
    ("overview", "must be a mapping"),
])
def test_bad_items_say_what_is_wrong(db, item, message):
    with pytest.raises(items.ItemError, match=message):
        items.build(item, runner(db))


def test_an_item_that_matches_nothing_is_none(db):
    run = runner(db)
    assert items.build({"chart": "compare", "subject": "不存在的主体"}, run) is None
    assert items.build({"chart": "overview", "filters": {"year": [1999]}}, run) is None


def test_filenames_are_safe():
    assert text.safe_filename("../../etc/passwd") == "etc_passwd"
    assert text.safe_filename('a<b>:"c"|d?*') == "a_b_c_d"
    assert text.safe_filename("...") == "图表"
    assert text.safe_filename("慰问金（金额）：按专项活动合计") == "慰问金（金额）：按专项活动合计"
    assert Chart(fig=None, title=XSS_SCRIPT, source="").name == "script_alert(1)_script"
    assert Table(pd.DataFrame(), title=XSS_IMG).name == "img src=x onerror=alert(1)"


# ------------------------------------------------------------------- command line

def cli(*args, env=None, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_export_chart_data_formats_without_a_browser(db, tmp_path):
    """csv, xlsx and json need no Chromium; json is the figure the page shows."""
    out = tmp_path / "out"
    r = cli("export-chart", "--db", str(db), "--chart", "compare", "--metric", "money",
            "--subject", "慰问金", "--by", "campaign", "--format", "csv,xlsx,json", "--out", str(out),
            "--name", "慰问金")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["慰问金.csv", "慰问金.json", "慰问金.xlsx"]
    chart = items.build({"chart": "compare", "metric": "money", "subject": ["慰问金"]}, runner(db))
    exported = json.loads((out / "慰问金.json").read_text(encoding="utf-8"))
    # drawn with plotly's template, whichever process built it (Streamlit's holds placeholders)
    assert exported == json.loads(charts.for_export(chart.fig).to_json())
    assert exported["layout"]["template"]["layout"]["colorway"][0] != "#000001"
    csv = (out / "慰问金.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")
    pd.testing.assert_frame_equal(normalised(pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")),
                                  normalised(chart.data.df), check_dtype=False)
    pd.testing.assert_frame_equal(normalised(pd.read_excel(out / "慰问金.xlsx")),
                                  normalised(chart.data.df), check_dtype=False)
    # the workbook also lists every figure behind the sums, counted or left out and why
    ledger = pd.read_excel(out / "慰问金.xlsx", sheet_name="计入与未计入")
    pd.testing.assert_frame_equal(normalised(ledger), normalised(chart.ledger.df), check_dtype=False)


def test_export_chart_json_equals_the_page(db, tmp_path):
    """The command line's options reach the same figure as the page's widgets."""
    at = open_page("compare", c_metric="participants", c_terms="干部职工", c_dim="year",
                   flt_year=[2021, 2014])
    [spec] = page_figures(at)
    r = cli("export-chart", "--db", str(db), "--metric-id", "participants", "--subject", "干部职工",
            "--by", "year", "--year", "2021", "--year", "2014", "--format", "json", "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    [path] = tmp_path.glob("*.json")
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported["data"] == spec["data"]
    assert exported["layout"]["title"] == spec["layout"]["title"]
    assert exported["layout"]["annotations"] == spec["layout"]["annotations"]


def test_export_chart_metric_id_is_the_page_default(db, tmp_path):
    """--metric-id takes the metric's id or its Chinese name, as the page's 指标 picker."""
    at = open_page("compare")
    [spec] = page_figures(at)
    r = cli("export-chart", "--db", str(db), "--metric-id", "资金发放", "--format", "json,csv",
            "--out", str(tmp_path), "--name", "funds")
    assert r.returncode == 0, r.stderr
    exported = json.loads((tmp_path / "funds.json").read_text(encoding="utf-8"))
    assert exported["data"] == spec["data"]
    assert exported["layout"]["title"] == spec["layout"]["title"]
    assert exported["layout"]["annotations"] == spec["layout"]["annotations"]
    shown = at.dataframe[0].value                         # the chart's data (then its ledger)
    back = pd.read_csv(tmp_path / "funds.csv", encoding="utf-8-sig")
    pd.testing.assert_frame_equal(normalised(back), normalised(shown.reset_index(drop=True)),
                                  check_dtype=False)


def test_briefing_spec_takes_metric_ids(db, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("title: 指标\nitems:\n"
                    "  - {table: compare, metric_id: 服务帮扶对象, unit: 户}\n"
                    "  - {table: explore, metric_id: [funds_raised]}\n", encoding="utf-8")
    r = cli("briefing", "--db", str(db), "--spec", str(path), "--out", str(tmp_path / "out"),
            env={"BROWSER_PATH": str(tmp_path / "no-chromium"), "PATH": "/nonexistent"})
    assert r.returncode == 0, r.stderr
    sheets = pd.read_excel(tmp_path / "out" / "指标.xlsx", sheet_name=None)
    first, explore = list(sheets.values())[:2]
    want = items.build({"table": "compare", "metric_id": "people_reached", "unit": "户"}, runner(db))
    pd.testing.assert_frame_equal(normalised(first), normalised(want.df), check_dtype=False)
    assert "服务帮扶对象（户）" in " ".join(first.columns)
    n = Store(db, read_only=True).query_df("SELECT count(*) AS n FROM claims_effective WHERE is_claim "
                                           "AND metric = 'funds_raised'")["n"][0]
    assert len(explore) == n > 0 and set(explore["指标"]) == {"捐款筹资"}


@pytest.mark.parametrize("args, code, message", [
    (["--format", "gif"], 2, "unknown format 'gif'"),
    (["--metric", "gold"], 2, "unknown metric 'gold'"),
    (["--metric-id", "gold"], 2, "unknown metric id 'gold'"),
    (["--metric", "funds_disbursed"], 2, "use metric_id / --metric-id"),
    (["--by", "colour"], 2, "unknown by 'colour'"),
    (["--subject", "不存在的主体", "--format", "csv"], 1, "no figures match"),
])
def test_export_chart_bad_options(db, tmp_path, args, code, message):
    r = cli("export-chart", "--db", str(db), "--out", str(tmp_path), *args)
    assert r.returncode == code and message in r.stderr, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr


def test_export_chart_without_a_store(tmp_path):
    r = cli("export-chart", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path))
    assert r.returncode == 1 and "no store" in r.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_without_a_browser_the_error_says_what_to_install(db, tmp_path):
    r = cli("export-chart", "--db", str(db), "--format", "png", "--out", str(tmp_path),
            env={"BROWSER_PATH": str(tmp_path / "no-chromium"), "PATH": "/nonexistent"})
    assert r.returncode == 4, r.stderr
    assert "chromium" in r.stderr and "fonts-noto-cjk" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("spec, message", [
    ("items: []", "needs an `items:` list"),
    ("items: [{chart: pie}]", "item 1: unknown chart 'pie'"),
    ("colour: red\nitems: [{chart: overview}]", "unknown spec key 'colour'"),
    ("items: [overview]", "item 1: must be a mapping"),
    ("items: [{chart: overview}", "while parsing"),
])
def test_briefing_bad_specs(db, tmp_path, spec, message):
    path = tmp_path / "spec.yaml"
    path.write_text(spec, encoding="utf-8")
    r = cli("briefing", "--db", str(db), "--spec", str(path), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()


def test_briefing_tables_only_needs_no_browser(db, tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"title": "只有表格", "filters": {"campaign": ["党史学习教育"]},
                                "items": [{"table": "explore", "class": ["money"]},
                                          {"table": "biggest", "class": "money"}]},
                               ensure_ascii=False), encoding="utf-8")
    r = cli("briefing", "--db", str(db), "--spec", str(path), "--out", str(tmp_path / "out"),
            env={"BROWSER_PATH": str(tmp_path / "no-chromium"), "PATH": "/nonexistent"})
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["只有表格.pptx", "只有表格.xlsx"]
    sheets = pd.read_excel(tmp_path / "out" / "只有表格.xlsx", sheet_name=None)
    assert set(sheets["数字明细"]["专项活动"]) == {"党史学习教育"}
    from pptx import Presentation                 # tables are table slides: no picture to draw
    prs = Presentation(tmp_path / "out" / "只有表格.pptx")
    assert [sum(sh.has_table for sh in sl.shapes) for sl in prs.slides] == [0, 1, 1]


def _table_slide_cells(slide) -> list[list[str]]:
    [shape] = [sh for sh in slide.shapes if sh.has_table]
    return [[c.text_frame.text for c in row.cells] for row in shape.table.rows]


def test_a_table_becomes_a_table_slide_with_its_title_source_and_first_rows():
    from pptx import Presentation
    from pptx.oxml.ns import qn
    df = pd.DataFrame({"数字": [f"{i}万元" for i in range(20)],
                       "数值（万元）": [i * 1.5 for i in range(20)],
                       "计入合计": [True, False] * 10,
                       "句子": ["很长的句子" * 20] * 20, "claim_id": ["x"] * 20})
    table = Table(df, title="最大的数字：金额", source="数据来源：2 份报告\n筛选：活动：党史学习教育")
    deck = briefing.outline([table], "测试简报", ["生成时间：今天"])
    assert [s.kind for s in deck] == ["cover", "table"]
    assert deck[1].note.startswith(f"共 20 行，此页显示前 {briefing.TABLE_ROWS} 行")
    prs = Presentation(io.BytesIO(briefing.pptx_bytes([table], "测试简报", ["生成时间：今天"])))
    slide = list(prs.slides)[1]
    names = {sh.name: sh for sh in slide.shapes}
    assert names["标题"].text_frame.text == "最大的数字：金额"
    assert names["数据来源"].text_frame.text.split("\n")[:2] == ["数据来源：2 份报告", "筛选：活动：党史学习教育"]
    cells = _table_slide_cells(slide)
    assert cells[0] == ["数字", "数值（万元）", "计入合计", "句子"]          # claim_id is not for readers
    assert len(cells) == briefing.TABLE_ROWS + 1
    assert cells[2] == ["1万元", "1.5", "否", "很长的句子" * 7 + "…"]
    run = names["表格"].table.cell(1, 0).text_frame.paragraphs[0].runs[0]._r
    assert run.find(qn("a:rPr")).find(qn("a:ea")).get("typeface") == briefing.EA_FONT


def test_the_export_commands_do_not_import_streamlit(db, tmp_path):
    code = ("import sys, runpy; sys.argv = ['etl', 'export-chart', '--db', %r, '--format', 'json', "
            "'--out', %r]\ntry:\n    runpy.run_module('etl', run_name='__main__')\nexcept SystemExit as e:\n"
            "    assert e.code == 0, e.code\nprint('streamlit' in sys.modules)") % (str(db), str(tmp_path))
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "False"
