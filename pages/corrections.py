"""更正: fix a claim's value, unit, unit class, subject, metric, approximation, claim
status or whether sums count it; kept with who and why (Store.add_correction) and shown as corrected everywhere.
The form is offered only when the access policy allows writes (pages/_access.py); a
logged-in editor is recorded under their e-mail. Corrections whose figure is gone from
its edited report are listed on top (kept, not applied); below the history, the edits
and deletions of reports, and the deleted reports with a restore form (pages/_report_edit.py)."""
from decimal import Decimal, InvalidOperation

import pandas as pd
import streamlit as st

from etl.views import queries as q
from etl.views.labels import (APPROX_ZH, FIELD_ZH, ROLE_ZH, UNIT_CLASS_ZH, approx_zh,
                              correction_value_zh, local_time, metric_ids, metric_option,
                              metric_zh, subject_zh, unit_class_zh, zone_label)
from pages import _access, _data, _report_edit, _ui
from pages._markdown import escape_markdown

NO_CHOICE = ""


def main() -> None:
    st.title("更正")
    st.caption("更正不会改动原始提取结果，而是另行记录（谁、何时、为什么），之后所有页面都显示更正后的值并标记 ✎。")
    if msg := st.session_state.pop("k_done", None):
        st.success(msg)
    cid = pick_claim()
    if cid:
        rows = _data.query(q.claim(cid))
        if rows.empty:
            st.warning("找不到这个数字（报告可能已被重新导入）。")
        else:
            row = rows.iloc[0]
            left, right = st.columns([2, 3], gap="large")
            with left:
                st.markdown("**当前值**")
                st.dataframe(_ui.claim_fields(row), hide_index=True, width="stretch", key="k_now")
            with right:
                if _access.can_write():
                    correction_form(row)
                else:
                    _access.read_only_note()
    orphans()
    st.subheader("更正记录", anchor=False)
    history()
    st.subheader("报告信息的修改与删除", anchor=False)
    _report_edit.deleted_reports("k")
    _report_edit.history()


def pick_claim() -> str | None:
    """The claim from Explore/Report (session or ?claim=), or one found by searching."""
    wanted = st.query_params.get("claim") or st.session_state.get("fix_claim_id")
    search = st.text_input("查找要更正的数字（原文、主体或句子中的词）", key="k_search",
                           placeholder="如：27万元、慰问金")
    ids, labels = [], {}
    if wanted:
        row = _data.query(q.claim(wanted))
        if not row.empty:
            ids.append(wanted)
            labels[wanted] = _label(row.iloc[0])
    if search.strip():
        found = _data.query(q.find_claims(search, 50))
        for r in found.itertuples():
            if r.claim_id not in labels:
                ids.append(r.claim_id)
                labels[r.claim_id] = _label(r)
    if not ids:
        st.info("在“数字明细”或“报告”页面选中一个数字后点“更正这个数字”，或在上面搜索。")
        return None
    if st.session_state.get("k_pick") not in ids:
        st.session_state["k_pick"] = ids[0]
    cid = st.selectbox("数字", ids, format_func=labels.get, key="k_pick")
    st.session_state["fix_claim_id"] = cid
    if st.query_params.get("claim") != cid:
        st.query_params["claim"] = cid
    return cid


def _label(r) -> str:
    get = r.get if isinstance(r, pd.Series) else lambda k: getattr(r, k, None)
    subject = get("subject") if isinstance(get("subject"), str) else ""
    report = get("report") or get("title") or get("doc") or ""
    status = "" if get("is_claim") else "（非数字陈述）"
    return f"{get('text')}{status} · {subject} · {report}"


def _num_text(v) -> str:
    if v is None or pd.isna(v):
        return ""
    d = Decimal(repr(float(v)))
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


def correction_form(row: pd.Series) -> None:
    cid = row["claim_id"]
    classes = list(UNIT_CLASS_ZH)
    approxes = list(APPROX_ZH)
    metrics = metric_ids()
    acc = _access.current()
    with st.form(f"k_form_{cid}"):
        st.markdown("**改为**")
        c1, c2 = st.columns(2)
        value = c1.text_input("数值（基本单位：金额填元，如 27万元 填 270000）",
                              value=_num_text(row["value"]), key=f"k_value_{cid}")
        unit = c2.text_input("计量单位", value=row["unit"] if isinstance(row["unit"], str) else "",
                             key=f"k_unit_{cid}")
        cur_cls = row["unit_class"] if row["unit_class"] in classes else NO_CHOICE
        unit_class = c1.selectbox("类别", [NO_CHOICE] + classes, index=([NO_CHOICE] + classes).index(cur_cls),
                                  format_func=lambda c: unit_class_zh(c) if c else "（未设置）",
                                  key=f"k_class_{cid}")
        cur_ap = row["approx"] if row["approx"] in approxes else NO_CHOICE
        approx = c2.selectbox("近似", [NO_CHOICE] + approxes, index=([NO_CHOICE] + approxes).index(cur_ap),
                              format_func=lambda a: approx_zh(a) if a else "（未设置）",
                              key=f"k_approx_{cid}")
        subject = st.text_input("主体（数的是什么）",
                                value=row["subject"] if isinstance(row["subject"], str) else "",
                                key=f"k_subject_{cid}")
        cur_metric = row.get("metric") if row.get("metric") in metrics else NO_CHOICE
        metric = st.selectbox("指标（衡量的是什么）", [NO_CHOICE] + metrics,
                              index=([NO_CHOICE] + metrics).index(cur_metric),
                              format_func=_metric_label, key=f"k_metric_{cid}",
                              help="对比页按指标汇总；指标表见 data/rules/metrics.yaml")
        is_claim = st.radio("是否为数字陈述", [True, False], index=0 if row["is_claim"] else 1,
                            format_func=lambda b: "是：报告的数量" if b else "否：日期、序号、口号等",
                            horizontal=True, key=f"k_isclaim_{cid}")
        counted = None
        if isinstance(row.get("role"), str):       # money, people, person-times: sums read it
            role = ROLE_ZH.get(row["role"], row["role"])
            counted = st.radio("计入合计", [True, False], index=0 if row["counted"] else 1,
                               format_func=lambda b: "计入：求和时相加" if b else "不计入：求和时略去",
                               horizontal=True, key=f"k_counted_{cid}",
                               help=f"提取时判定为“{role}”；对比、总览和简报的合计只加计入的数字")
        if acc.email:        # a logged-in editor: the correction is theirs
            who = st.text_input("更正人", value=acc.email, disabled=True, key=f"k_who_{cid}")
            who = acc.email
        else:
            who = st.text_input("更正人（必填）", value=st.session_state.get("k_who", ""),
                                key=f"k_who_{cid}")
        why = st.text_area("原因", key=f"k_why_{cid}", height=80,
                           placeholder="如：原文是“27万元”，提取成了 2.7 万元")
        if not st.form_submit_button("保存更正", type="primary"):
            return
    changes, problems = _changes(row, value=value, unit=unit, unit_class=unit_class, approx=approx,
                                 subject=subject, is_claim=is_claim, metric=metric, counted=counted)
    if not who.strip():
        problems.append("请填写更正人。")
    if not changes and not problems:
        st.info("没有改动。")
        return
    if problems:
        for p in problems:
            st.error(escape_markdown(p))
        return
    store = _data.writable_store()
    saved, errors = [], []
    for field, new in changes.items():
        try:
            store.add_correction(cid, field, new, who=who.strip(), why=why.strip())
            saved.append(FIELD_ZH.get(field, field))
        except ValueError as exc:
            errors.append(f"{FIELD_ZH.get(field, field)}：{exc}")
    _data.clear()
    st.session_state["k_who"] = who.strip()
    for e in errors:
        st.error(escape_markdown(e))
    if saved:
        st.session_state["k_done"] = f"已保存更正：{'、'.join(saved)}。"
        st.rerun()


def _metric_label(m: str) -> str:
    if not m:
        return "（未设置）"
    from etl.extraction.metrics import by_id
    classes = "、".join(unit_class_zh(c) for c in UNIT_CLASS_ZH if c in by_id()[m].unit_classes)
    return f"{metric_option(m)}（{classes}）" if m != "other" else metric_option(m)


def _changes(row: pd.Series, **new) -> tuple[dict, list[str]]:
    """Fields whose new value differs from the current one, and input problems."""
    changes, problems = {}, []
    text = new["value"].strip().replace(",", "")
    if text != _num_text(row["value"]):
        if not text:
            problems.append("数值不能清空；如果这不是数字陈述，请把“是否为数字陈述”改为“否”。")
        else:
            try:
                d = Decimal(text)
                if not d.is_finite():
                    raise InvalidOperation
                changes["value"] = text
            except InvalidOperation:
                problems.append(f"数值“{new['value']}”不是数字（请填基本单位的数，如 270000）。")
    for field in ("unit", "subject"):
        old = row[field] if isinstance(row[field], str) else ""
        if new[field].strip() != old:
            changes[field] = new[field].strip() or None
    for field in ("unit_class", "approx", "metric"):
        old = row[field] if isinstance(row[field], str) else ""
        if new[field] != old:
            changes[field] = new[field] or None
    if bool(new["is_claim"]) != bool(row["is_claim"]):
        changes["is_claim"] = bool(new["is_claim"])
    if new.get("counted") is not None and bool(new["counted"]) != bool(row["counted"]):
        changes["counted"] = bool(new["counted"])
    return changes, problems


def orphans() -> None:
    """Corrections whose figure is gone from its report (the report's text changed and
    the figure is no longer in it): kept, and shown here so that someone can redo them."""
    df = _data.query(q.orphaned_corrections())
    if df.empty:
        return
    st.warning(f"有 {len(df)} 条更正找不到原来的数字：报告的文字已改动，原数字不在其中。"
               "这些更正仍然保留，但不再作用于任何数字；请在新的报告文本中找到对应数字后重新更正。",
               icon=":material/link_off:")
    st.dataframe(pd.DataFrame({
        "时间（UTC）": df["at"], "更正人": df["who"], "字段": df["field"].map(lambda f: FIELD_ZH.get(f, f)),
        "新值": _shown(df, "new_value"),
        "原来的位置": [f"…{b or ''}【{t or ''}】{a or ''}…" for b, t, a in
                  zip(df["anchor_before"], df["anchor_text"], df["anchor_after"])],
        "报告": [r if isinstance(r, str) and r else d for r, d in zip(df["report"], df["doc"])],
        "原因": df["why"],
    }), hide_index=True, width="stretch", key="k_orphans")


def history() -> None:
    df = _data.query(q.corrections(500))
    acc = _access.current()
    if df.empty:
        st.caption("还没有更正。")
        return
    st.dataframe(pd.DataFrame({
        f"时间（{zone_label()}）": df["at"].map(local_time),
        "更正人": df["who"].map(lambda w: _access.shown_editor(w, acc)),
        "数字": df["text"], "字段": df["field"].map(lambda f: FIELD_ZH.get(f, f)),
        "原值": _shown(df, "old_value"), "新值": _shown(df, "new_value"), "原因": df["why"],
        "主体": df["subject"].map(subject_zh), "报告": df["report"], "数字编号": df["claim_id"],
    }), hide_index=True, width="stretch", key="k_history")
    st.caption(f"最近 {len(df)} 条更正（同一字段以最新一条为准）。")


def _shown(df: pd.DataFrame, col: str) -> list[str]:
    """Old/new values as a reader knows them: 是/否, Chinese names for codes, — for none."""
    return [correction_value_zh(f, v) for f, v in zip(df["field"], df[col])]


_ui.run(main)
