"""Fixing and removing a report (issue 19): the 报告 page's 修改报告信息 panel (title,
date, organisation, level, campaign), deleting a report, and the list of deleted reports
with a restore button (报告 and 更正 pages). Writes go through Store.edit_report /
delete_report / restore_report, with who and why, and follow the same access rule as
corrections (pages/_access.py): a read-only session sees the history and a note, never
a form."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.report import LEVELS
from etl.store.report_edits import campaign_names
from etl.views import queries as q
from etl.views.labels import level_zh
from pages import _access, _data
from pages._markdown import escape_markdown

NONE = ""
EDIT_FIELD_ZH = {"title": "标题", "published": "日期", "organisation": "单位", "level": "层级",
                 "campaign": "专项活动", "deleted": "删除/恢复"}


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def _who(key: str) -> str:
    """The editor: a logged-in user's e-mail, else a name typed in (required)."""
    acc = _access.current()
    if acc.email:
        st.text_input("修改人", value=acc.email, disabled=True, key=key)
        return acc.email
    return st.text_input("修改人（必填）", value=st.session_state.get("re_who_last", ""), key=key)


def panel(report: pd.Series) -> None:
    """修改报告信息 and 删除报告 for the report shown (an expander under its header)."""
    rid = str(report["report_id"])
    if msg := st.session_state.pop("re_done", None):
        st.success(msg)
    edited = [EDIT_FIELD_ZH.get(f, f) for f in (report.get("edited_fields") if report.get(
        "edited_fields") is not None else [])]
    label = "修改报告信息 / 删除报告" + (f"（已人工修改：{'、'.join(edited)}）" if edited else "")
    with st.expander(label, icon=":material/edit_note:"):
        if edited:
            st.caption(escape_markdown("自动提取的原值：" + extracted_note(rid, report)))
        if not _access.can_write():
            _access.read_only_note()
        else:
            edit_form(report)
            delete_form(rid)
        history(rid)


def extracted_note(rid: str, report: pd.Series) -> str:
    """The edited fields' values as extracted ("（空）" when none was found)."""
    df = _data.query(q.report_extracted(rid))
    if df.empty:
        return ""
    row = df.iloc[0]
    return "；".join(f"{EDIT_FIELD_ZH[f]}：{_shown(f, row[f])}" for f in report["edited_fields"]
                     if f in EDIT_FIELD_ZH and f in row)


def edit_form(report: pd.Series) -> None:
    rid = str(report["report_id"])
    campaigns = campaign_names()
    cur_campaign = _text(report.get("campaign"))
    options = [NONE] + campaigns + ([cur_campaign] if cur_campaign and cur_campaign not in campaigns else [])
    cur_level = _text(report.get("level"))
    # a value from before the list (kept as is unless the user picks another)
    levels = [NONE] + list(LEVELS) + ([cur_level] if cur_level and cur_level not in LEVELS else [])
    with st.form(f"re_form_{rid}"):
        st.markdown("**修改报告信息**")
        title = st.text_input("标题", value=_text(report.get("title")), key=f"re_title_{rid}")
        c1, c2 = st.columns(2)
        published = c1.text_input("日期（如 2021-06-30，或 2021-06、2021）",
                                  value=_text(report.get("published")), key=f"re_published_{rid}")
        organisation = c2.text_input("单位", value=_text(report.get("organisation")),
                                     key=f"re_org_{rid}")
        level = c1.selectbox("层级", levels, index=levels.index(cur_level),
                             format_func=lambda v: level_zh(v) if v else "（未设置）", key=f"re_level_{rid}")
        campaign = c2.selectbox("专项活动", options, index=options.index(cur_campaign),
                                format_func=lambda v: v or "（无专项活动）", key=f"re_campaign_{rid}")
        who = _who(f"re_who_{rid}")
        why = st.text_area("原因", key=f"re_why_{rid}", height=68, placeholder="如：落款单位是……；标题取自正文第一行")
        if not st.form_submit_button("保存修改", type="primary"):
            return
    new = {"title": title.strip(), "published": published.strip(), "organisation": organisation.strip(),
           "level": level, "campaign": campaign}
    changes = {f: (v or None) for f, v in new.items() if v != _text(report.get(f))}
    if not who.strip():
        st.error("请填写修改人。")
        return
    if not changes:
        st.info("没有改动。")
        return
    try:
        done = _data.writable_store().edit_report(rid, changes, who=who.strip(), why=why.strip())
    except ValueError as exc:
        st.error("没有保存：" + escape_markdown(_reason_zh(str(exc))))
        return
    _data.clear()
    st.session_state["re_who_last"] = who.strip()
    st.session_state["re_done"] = "已保存：" + "、".join(EDIT_FIELD_ZH[f] for f in done) + "。所有页面、图表和导出立即使用新值。"
    st.rerun()


def _reason_zh(msg: str) -> str:
    """The store's reason, led by a Chinese gist for the common cases."""
    gist = {"published": "日期格式应为 2021-06-30、2021-06 或 2021", "title cannot": "标题不能为空",
            "level": "层级不在可选范围内", "campaign": "专项活动须为规范名称", "longer than": "内容过长",
            "visible": "没有可见字符"}
    for key, zh in gist.items():
        if key in msg:
            return f"{zh}（{msg}）"
    return msg


def delete_form(rid: str) -> None:
    with st.form(f"re_del_{rid}"):
        st.markdown("**删除报告**")
        st.caption("删除后，这份报告及其全部数字和核查结果不再出现在任何页面、图表和导出中；"
                   "重新导入同一文件不会恢复它，可在“已删除的报告”中恢复。")
        who = _who(f"re_del_who_{rid}")
        why = st.text_input("删除原因（必填）", key=f"re_del_why_{rid}", placeholder="如：重复导入、与本专题无关")
        sure = st.checkbox("确认删除这份报告", key=f"re_del_sure_{rid}")
        if not st.form_submit_button("删除报告", icon=":material/delete:"):
            return
    problems = [m for m, bad in (("请填写修改人。", not who.strip()), ("请填写删除原因。", not why.strip()),
                                 ("请勾选“确认删除这份报告”。", not sure)) if bad]
    for p in problems:
        st.error(p)
    if problems:
        return
    _data.writable_store().delete_report(rid, who=who.strip(), why=why.strip())
    _data.clear()
    st.session_state["re_who_last"] = who.strip()
    for key in ("report_id", "r_pick", "r_claim"):
        st.session_state.pop(key, None)
    for key in ("report", "start"):
        if key in st.query_params:
            del st.query_params[key]
    st.session_state["re_deleted_msg"] = "已删除报告。可在“已删除的报告”中恢复。"
    st.rerun()


def history(report_id: str | None = None) -> None:
    df = _data.query(q.report_edits(report_id))
    if df.empty:
        st.caption("这份报告的信息没有人工修改过。" if report_id else "还没有人工修改或删除报告。")
        return
    st.markdown("**修改记录**")
    st.dataframe(pd.DataFrame({
        "时间（UTC）": df["at"], "修改人": df["who"], "字段": df["field"].map(lambda f: EDIT_FIELD_ZH.get(f, f)),
        "原值": [_shown(f, v) for f, v in zip(df["field"], df["old_value"])],
        "新值": [_shown(f, v) for f, v in zip(df["field"], df["new_value"])],
        "原因": df["why"], **({} if report_id else {"报告": df["report"]}),
    }), hide_index=True, width="stretch", key=f"re_history_{report_id or 'all'}")


def _shown(field: str, v) -> str:
    if not isinstance(v, str):
        return "（空）"
    if field == "deleted":
        return "已删除" if v == "true" else "正常"
    return level_zh(v) if field == "level" else v


def deleted_reports(key: str) -> None:
    """The deleted reports, with who deleted each and why, and a form to restore one."""
    if msg := st.session_state.pop("re_deleted_msg", None):
        st.success(msg)
    df = _data.query(q.deleted_reports())
    if df.empty:
        return
    names = {r.report_id: (r.title if isinstance(r.title, str) and r.title else r.doc) for r in df.itertuples()}
    with st.expander(f"已删除的报告（{len(df)}）", icon=":material/delete:"):
        st.dataframe(pd.DataFrame({
            "报告": [names[i] for i in df["report_id"]], "文件": df["doc"], "删除人": df["who"],
            "删除时间（UTC）": df["at"], "原因": df["why"]}), hide_index=True, width="stretch",
            key=f"{key}_deleted")
        if not _access.can_write():
            _access.read_only_note()
            return
        with st.form(f"{key}_restore"):
            rid = st.selectbox("要恢复的报告", df["report_id"].tolist(), format_func=names.get,
                               key=f"{key}_restore_pick")
            who = _who(f"{key}_restore_who")
            why = st.text_input("恢复原因", key=f"{key}_restore_why")
            if not st.form_submit_button("恢复报告", icon=":material/restore:"):
                return
        if not who.strip():
            st.error("请填写修改人。")
            return
        _data.writable_store().restore_report(rid, who=who.strip(), why=why.strip())
        _data.clear()
        st.session_state["re_who_last"] = who.strip()
        st.session_state["re_deleted_msg"] = ("已恢复：" + escape_markdown(names[rid])
                                              + "。核查结果将在下次运行核查时更新。")
        st.rerun()


def warn_if_deleted(report_ids: list) -> None:
    """After an upload: a file whose text is a deleted report's stays deleted; say so."""
    deleted = _data.query(q.deleted_reports())
    hit = deleted[deleted["report_id"].isin([r for r in report_ids if r])]
    for r in hit.itertuples():
        name = r.title if isinstance(r.title, str) and r.title else r.doc
        st.warning(escape_markdown(f"《{name}》与一份已删除的报告内容相同，上传不会恢复它；"
                                   "需要时请在“已删除的报告”中恢复。"), icon=":material/delete:")
