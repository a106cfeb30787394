"""A user edits a report's metadata or deletes it (issue 19, part 2): validated, with
who, when and why; shown at once in every view, source line and export; kept through
re-runs; a deleted report takes its claims and findings with it and can be restored."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from test_store import report_a, report_b

from etl.store import Store
from etl.store.schema import MIGRATIONS
from etl.views import queries as q
from etl.views import sources

CAMPAIGN = "不忘初心、牢记使命主题教育"


def two_reports(store: Store):
    ra, ca = report_a()
    rb, cb = report_b()
    store.save_report(ra, ca, path="corpus/a.txt")
    store.save_report(rb, cb, path="corpus/b.txt")
    return ra, rb


def edits(store: Store) -> pd.DataFrame:
    return store.query_df("SELECT report_id, field, old_value, new_value, who, \"at\", why "
                          "FROM report_edits ORDER BY id")


def test_an_edit_shows_in_every_view_source_line_and_export(fresh_store, tmp_path):
    s = fresh_store
    ra, rb = two_reports(s)
    changed = s.edit_report(ra.report_id, {"title": "2019年主题教育工作总结", "published": "2019-11-20",
                                           "organisation": "安徽省直机关工委", "level": "provincial",
                                           "campaign": CAMPAIGN}, who="编辑甲", why="原文落款")
    assert sorted(changed) == ["campaign", "level", "organisation", "published", "title"]
    audit = edits(s)
    assert len(audit) == 5 and set(audit.who) == {"编辑甲"} and set(audit.why) == {"原文落款"}
    assert audit.set_index("field").loc["organisation", "old_value"] == "中央和国家机关工委"
    assert audit["at"].notna().all()

    rep = s.query_df(*q.report_row(ra.report_id)).iloc[0]
    assert (rep.title, rep.published, int(rep.year), rep.organisation, rep.level, rep.campaign) == (
        "2019年主题教育工作总结", "2019-11-20", 2019, "安徽省直机关工委", "provincial", CAMPAIGN)
    assert sorted(rep.edited_fields) == ["campaign", "level", "organisation", "published", "title"]
    assert pd.isna(rep.campaign_evidence)          # the extracted words no longer explain it
    # the claims' view and the dashboard's fast path read the edited values
    for src in ("claims_effective", q.FAST_VIEW):
        got = s.query_df(f"SELECT DISTINCT title, campaign, year, organisation FROM {src} AS v "
                         f"WHERE report_id = ?", [ra.report_id])
        assert got.values.tolist() == [["2019年主题教育工作总结", CAMPAIGN, 2019, "安徽省直机关工委"]]
    # filters, the report list and a chart's source line
    f = q.Filters(campaign=(CAMPAIGN,))
    assert s.query_df(*q.report_list(f)).report_id.tolist() == [ra.report_id]
    assert CAMPAIGN in s.query_df(*q.filter_options()).value.tolist()
    line = sources.source(f, lambda qp: s.query_df(qp[0], list(qp[1])))
    assert "2019年主题教育工作总结" in line and "安徽省直机关工委" in line
    # the export
    out = s.export(tmp_path / "export")
    reports = pd.read_parquet(out["reports.parquet"]).set_index("report_id")
    assert reports.loc[ra.report_id, "title"] == "2019年主题教育工作总结"
    assert reports.loc[ra.report_id, "campaign"] == CAMPAIGN
    assert reports.loc[rb.report_id, "organisation"] == "呼伦贝尔市直机关工委"    # untouched
    claims = pd.read_parquet(out["claims"])
    assert set(claims.loc[claims.report_id == ra.report_id, "campaign"].astype(str)) == {CAMPAIGN}
    assert "2019年主题教育工作总结" in out["reports.csv"].read_text(encoding="utf-8-sig")


def test_clearing_and_re_editing_a_field_the_latest_edit_wins(fresh_store):
    s = fresh_store
    ra, _ = two_reports(s)
    s.edit_report(ra.report_id, {"campaign": None, "organisation": ""}, who="甲")
    rep = s.query_df(*q.report_row(ra.report_id)).iloc[0]
    assert pd.isna(rep.campaign) and pd.isna(rep.organisation)
    s.edit_report(ra.report_id, {"campaign": CAMPAIGN}, who="乙")
    assert s.query_df(*q.report_row(ra.report_id)).campaign[0] == CAMPAIGN
    assert s.edit_report(ra.report_id, {"campaign": CAMPAIGN}, who="乙") == []   # no change, no row
    assert len(edits(s)) == 3


@pytest.mark.parametrize("changes, message", [
    ({"level": "national"}, "level must be one of"),
    ({"campaign": "主题教育"}, "canonical name"),
    ({"published": "2019-02-30"}, "not a real date"),
    ({"published": "2019年11月"}, "yyyy-mm-dd"),
    ({"title": "  "}, "title cannot be blank"),
    ({"title": "\u202e\u200b"}, "no visible characters"),
    ({"region": "安徽"}, "cannot edit field"),
    ({"title": "x" * 301}, "longer than"),
])
def test_bad_edits_are_refused_and_nothing_is_saved(fresh_store, changes, message):
    s = fresh_store
    ra, _ = two_reports(s)
    with pytest.raises(ValueError, match=message):
        s.edit_report(ra.report_id, {"organisation": "新单位", **changes}, who="甲")
    assert edits(s).empty
    with pytest.raises(ValueError, match="who must name"):
        s.edit_report(ra.report_id, {"title": "新标题"}, who=" ")
    with pytest.raises(ValueError, match="no report"):
        s.edit_report("nope", {"title": "新标题"}, who="甲")


def test_edits_survive_re_extraction_and_follow_a_changed_file(fresh_store):
    s = fresh_store
    ra, _ = two_reports(s)
    s.edit_report(ra.report_id, {"title": "人工标题", "level": "county"}, who="甲")
    s.save_report(*report_a(), path="corpus/a.txt")          # the same file again
    assert s.query_df(*q.report_row(ra.report_id)).title[0] == "人工标题"
    r2, c2 = report_a(text="发放慰问金28万元，吸引55个部门的6600余名干部职工踊跃参赛。")
    s.save_report(r2, c2, path="corpus/a.txt")              # the file changed: a new report id
    assert s.query_df(*q.report_row(r2.report_id)).title[0] != "人工标题"
    followed = s.follow_edits()
    assert followed.report_edits_moved == 2
    rep = s.query_df(*q.report_row(r2.report_id)).iloc[0]
    assert (rep.title, rep.level) == ("人工标题", "county")


def _checks_results(s: Store, ra, rb) -> None:
    """One duplicate group and one finding spanning both reports, one finding on b only."""
    ids = s.query_df("SELECT claim_id, report_id, doc, start, \"end\", text FROM claims "
                     "WHERE text IN ('55个', '120场') ORDER BY report_id")
    a55 = ids[ids.report_id == ra.report_id].iloc[0]
    b120 = ids[ids.report_id == rb.report_id].iloc[0]
    findings = pd.DataFrame({"finding_id": ["f1", "f2"], "type": ["duplicate", "arithmetic"],
                             "severity": ["low", "low"], "rule": ["r", "r"], "detail": ["两份报告", "b 自己"],
                             "report_ids": [[ra.report_id, rb.report_id], [rb.report_id]],
                             "data": ["{}", "{}"]})
    fc = pd.DataFrame([{"finding_id": "f1", "pos": 0, **a55.to_dict(), "role": "a"},
                       {"finding_id": "f1", "pos": 1, **b120.to_dict(), "role": "b"},
                       {"finding_id": "f2", "pos": 0, **b120.to_dict(), "role": "a"}])
    groups = pd.DataFrame({"claim_id": [a55.claim_id, b120.claim_id], "dup_group": ["g", "g"],
                           "dup_size": [2, 2], "dup_primary": [True, False]})
    s.save_check_results({"run_id": "chk"}, findings, fc, groups)


def test_delete_hides_the_report_its_claims_and_findings_until_restored(fresh_store, tmp_path):
    s = fresh_store
    ra, rb = two_reports(s)
    _checks_results(s, ra, rb)
    before = s.counts()
    s.delete_report(ra.report_id, who="甲", why="重复导入")
    assert s.query_df(*q.report_row(ra.report_id)).empty
    assert s.query_df("SELECT count(*) AS n FROM claims_effective WHERE report_id = ?", [ra.report_id]).n[0] == 0
    assert s.query_df(f"SELECT count(*) AS n FROM {q.FAST_VIEW} AS v WHERE report_id = ?",
                      [ra.report_id]).n[0] == 0
    after = s.counts()
    assert (after["reports"], after["claims"]) == (before["reports"] - 1, before["claims"] - 3)
    assert s.query_df("SELECT finding_id FROM findings").finding_id.tolist() == ["f2"]
    assert s.query_df("SELECT DISTINCT finding_id FROM finding_claims").finding_id.tolist() == ["f2"]
    # b's copy of the shared figure still counts (once); the group is kept for a restore
    assert s.query_df("SELECT count(*) AS n FROM figure_groups").n[0] == 2
    events = s.query_df(*q.overview_groups(q.Filters(), q.DupSource(table="figure_groups")))
    assert events.loc[events.unit_class == "events", "n"].sum() == 1
    out = s.export(tmp_path / "export")
    assert ra.report_id not in pd.read_parquet(out["reports.parquet"]).report_id.tolist()
    assert ra.report_id not in set(pd.read_parquet(out["claims"]).report_id)
    assert pd.read_parquet(out["report_edits.parquet"]).field.tolist() == ["deleted"]
    # nothing is lost: the rows are kept, and the audit says who, when and why
    assert s.query_df("SELECT count(*) AS n FROM claims WHERE report_id = ?", [ra.report_id]).n[0] == 3
    audit = edits(s).iloc[-1]
    assert (audit.field, audit.new_value, audit.who, audit.why) == ("deleted", "true", "甲", "重复导入")
    # re-running the same file does not bring it back
    assert s.save_report(*report_a(), path="corpus/a.txt") == "unchanged"
    s.follow_edits()
    assert s.query_df(*q.report_row(ra.report_id)).empty
    with pytest.raises(ValueError, match="deleted reports cannot be edited"):
        s.edit_report(ra.report_id, {"title": "x"}, who="甲")
    listed = s.query_df("SELECT report_id FROM reports_edited WHERE deleted")
    assert listed.report_id.tolist() == [ra.report_id]
    s.restore_report(ra.report_id, who="乙", why="误删")
    assert s.counts()["claims"] == before["claims"]
    assert s.query_df(*q.report_row(ra.report_id)).title[0] == ra.title
    assert edits(s).field.tolist() == ["deleted", "deleted"]


def test_a_store_made_before_edits_gets_the_tables_and_its_corrections_their_anchors(store_path):
    con = duckdb.connect(str(store_path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
                "applied_at TIMESTAMP)")
    for version, name, statements in MIGRATIONS[:2]:          # the schema as it was
        for sql in statements:
            con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    text = "今年发放慰问金27万元，用于走访。"
    con.execute("INSERT INTO reports (report_id, doc, path, text, title) VALUES ('r', 'a.txt', "
                "'corpus/a.txt', ?, '旧标题')", [text])
    con.execute("INSERT INTO corrections (claim_id, report_id, start, \"end\", field, new_value, who, "
                "\"at\") VALUES ('c', 'r', 7, 11, 'value', '111111', '甲', now())")
    con.close()
    s = Store(store_path)
    k = s.query_df("SELECT path, anchor_text, anchor_before, anchor_after FROM corrections").iloc[0]
    assert (k.path, k.anchor_text, k.anchor_before, k.anchor_after) == (
        "corpus/a.txt", "27万元", "今年发放慰问金", "，用于走访。")
    assert s.query_df("SELECT title FROM reports_effective").title.tolist() == ["旧标题"]
    s.edit_report("r", {"title": "新标题"}, who="甲")
    assert s.query_df("SELECT title FROM reports_effective").title.tolist() == ["新标题"]
