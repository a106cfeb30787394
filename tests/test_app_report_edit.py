"""The 报告 page's 修改报告信息 and 删除报告, the deleted reports' restore form and the
corrections that lost their figure on the 更正 page (issues 19 and 22), with AppTest."""
from __future__ import annotations

import pytest
from test_app_pages import _rid
from test_app_store import ok, open_page, use_writable_copy

from etl.store import Store

DOC = "000_35e2ab27f9b7f4d4.txt"
CAMPAIGN = "不忘初心、牢记使命主题教育"


@pytest.fixture
def store(monkeypatch, tmp_path):
    return use_writable_copy(monkeypatch, tmp_path)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_user_edits_a_reports_metadata_and_every_page_shows_it(store):
    rid = _rid(store, DOC)
    at = open_page("report", report_id=rid)
    at.text_input(key=f"re_title_{rid}").input("工会走访慰问工作情况")
    at.text_input(key=f"re_published_{rid}").input("2019-12-01")
    at.selectbox(key=f"re_campaign_{rid}").set_value(CAMPAIGN)
    at.selectbox(key=f"re_level_{rid}").set_value("provincial")
    at.text_input(key=f"re_who_{rid}").input("审校甲")
    at.text_area(key=f"re_why_{rid}").input("按原件落款")
    button(at, "保存修改").click().run()
    ok(at)
    assert "已保存" in at.success[0].value and "标题" in at.success[0].value
    assert at.header[0].value == "工会走访慰问工作情况"
    note = " ".join(c.value for c in at.caption if "自动提取的原值" in c.value).replace("\\", "")
    assert "专项活动：党史学习教育" in note and "层级" in note      # what the extraction said
    s = Store(store, read_only=True)
    rep = s.query_df("SELECT title, published, year, campaign, level FROM reports_effective "
                     "WHERE report_id = ?", [rid]).iloc[0]
    assert (rep.title, rep.published, rep.year, rep.campaign, rep.level) == (
        "工会走访慰问工作情况", "2019-12-01", 2019, CAMPAIGN, "provincial")
    audit = s.query_df("SELECT field, who, why FROM report_edits ORDER BY field")
    assert audit.field.tolist() == ["campaign", "level", "published", "title"]
    assert set(audit.who) == {"审校甲"} and set(audit.why) == {"按原件落款"}
    # the explore table shows the new title and campaign for the report's figures
    ex = open_page("explore")
    shown = " ".join(str(df.value.to_csv()) for df in ex.dataframe)
    assert "工会走访慰问工作情况" in shown


def test_a_bad_date_is_refused_with_a_reason_and_nothing_is_saved(store):
    rid = _rid(store, DOC)
    at = open_page("report", report_id=rid)
    at.text_input(key=f"re_published_{rid}").input("2019年12月")
    at.text_input(key=f"re_who_{rid}").input("审校甲")
    button(at, "保存修改").click().run()
    assert at.error and "日期格式" in at.error[0].value
    assert Store(store, read_only=True).query_df("SELECT count(*) AS n FROM report_edits").n[0] == 0


def test_a_user_deletes_a_report_and_restores_it_on_the_corrections_page(store):
    rid = _rid(store, DOC)
    before = Store(store, read_only=True).counts()
    at = open_page("report", report_id=rid)
    at.text_input(key=f"re_del_who_{rid}").input("审校甲")
    at.text_input(key=f"re_del_why_{rid}").input("重复导入")
    button(at, "删除报告").click().run()
    assert at.error and "确认删除" in at.error[0].value            # not without the tick
    assert Store(store, read_only=True).counts() == before
    at.checkbox(key=f"re_del_sure_{rid}").check()
    button(at, "删除报告").click().run()
    ok(at)
    assert "已删除报告" in at.success[0].value
    s = Store(store, read_only=True)
    assert s.counts()["reports"] == before["reports"] - 1
    assert s.query_df("SELECT count(*) AS n FROM claims_effective WHERE report_id = ?", [rid]).n[0] == 0
    assert rid not in at.selectbox(key="r_pick").options
    k = open_page("corrections")
    assert any(df.value["原因"].tolist() == ["重复导入"] for df in k.dataframe if "原因" in df.value)
    k.text_input(key="k_restore_who").input("审校乙")
    k.text_input(key="k_restore_why").input("误删")
    button(k, "恢复报告").click().run()
    ok(k)
    assert "已恢复" in k.success[0].value
    assert Store(store, read_only=True).counts() == before
    fields = Store(store, read_only=True).query_df(
        "SELECT new_value, who, why FROM report_edits WHERE field = 'deleted' ORDER BY id")
    assert fields.values.tolist() == [["true", "审校甲", "重复导入"], ["false", "审校乙", "误删"]]


def test_read_only_shows_no_edit_or_delete_form(store, monkeypatch):
    monkeypatch.setenv("REPORT_FIGURES_READONLY", "1")
    rid = _rid(store, DOC)
    at = open_page("report", report_id=rid)
    keys = {w.key for w in at.text_input}
    assert f"re_title_{rid}" not in keys and f"re_del_who_{rid}" not in keys
    assert not any(b.label in ("保存修改", "删除报告") for b in at.button)
    assert any("只读" in i.value for i in at.info)


def test_a_correction_that_lost_its_figure_is_listed_on_the_corrections_page(store):
    s = Store(store)
    with s.writing() as con:     # as left by a run after the figure was deleted from its report
        con.execute("INSERT INTO corrections (claim_id, report_id, start, \"end\", field, old_value, "
                    "new_value, who, \"at\", why, path, anchor_text, anchor_before, anchor_after) "
                    "VALUES ('gone', 'old', 10, 14, 'value', '270000', '111111', '审校', now(), '核对', "
                    "'corpus/000.txt', '27万元', '发放慰问金', '，用于走访')")
    at = open_page("corrections")
    assert any("找不到原来的数字" in w.value for w in at.warning)
    [table] = [d.value for d in at.dataframe if "原来的位置" in d.value]
    assert table["原来的位置"].tolist() == ["…发放慰问金【27万元】，用于走访…"]
    assert table["新值"].tolist() == ["111111"]


def test_uploading_a_deleted_reports_text_again_says_it_stays_deleted(store):
    from pathlib import Path
    rid = _rid(store, DOC)
    Store(store).delete_report(rid, who="审校甲", why="重复导入")
    body = (Path(__file__).resolve().parents[1] / "data" / "corpus" / DOC).read_bytes()
    at = open_page("upload")
    at.file_uploader(key="u_files").set_value([("again.txt", body, "text/plain")]).run()
    at.button(key="u_go").click().run()
    ok(at)
    assert any("已删除的报告内容相同" in w.value for w in at.warning)
    assert Store(store, read_only=True).query_df(
        "SELECT count(*) AS n FROM reports_effective WHERE report_id = ?", [rid]).n[0] == 0
