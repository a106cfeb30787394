"""核查: duplicate, conflicting and inconsistent figures (etl/checks, issue 6).

Reads what `python -m etl check` (or the 重新核查 button here) stored: the findings
with their claims, and the run they came from. A duplicate or a conflict shows its
figures' sentences side by side; every claim has a button that opens the Report page at
the figure in the same tab (the sidebar filters and the briefing basket stay; the
address it lands on, ?report=<report_id>&start=<offset>, is also a link to share).
Data comes through pages._data (the shared cache); the SQL is built here because it
only concerns this page.
"""
import json
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from etl.views import queries as q
from etl.views.labels import local_time, zone_label
from pages import _access, _data, _ui, _url
from pages._markdown import Mark, escape_inline, escape_markdown, highlight_markdown

TYPE_ZH = {
    "conflict": "数字冲突",
    "arithmetic": "计算不符",
    "near_duplicate_report": "疑似转载",
    "duplicate": "重复报道",
    "arithmetic_ok": "计算已核对",
}
TYPE_HELP = {
    "conflict": "同一单位、同一活动、同一年份的同一指标，在不同报告（或同一报告前后）中数值不相容。",
    "arithmetic": "文中写明的关系不成立：每人金额 × 人数 ≠ 总额，各项之和 ≠ 合计，比例与其分子分母不符。",
    "near_duplicate_report": "两篇报告正文大部分相同（转载），其中的数字只应计一次。",
    "duplicate": "多份报告报道了同一个数字；总览和对比中只计一次。",
    "arithmetic_ok": "文中写明且经核算成立的关系（容差来自数字的书写精度）。",
}
SEVERITY_BADGE = {"high": ":red-badge[高]", "medium": ":orange-badge[中]", "low": ":blue-badge[低]",
                  "info": ":gray-badge[提示]"}
ROLE_ZH = {"count": "数量", "per": "单价", "total": "总额", "part": "分项", "whole": "总数",
           "share": "比例", "figure": "", "report": "报告"}
PAGE_SIZE = 30
SIDE_BY_SIDE = ("duplicate", "conflict")     # findings whose sentences are compared
MARK_BG = "#ffe0b2"


def main() -> None:
    st.title("核查")
    st.caption("自动核查重复报道、数字冲突和计算关系。误报比漏报更有害：只有证据充分时才提示问题，"
               "每条结论都写明依据，请点击数字回到原文核对。")
    if not _tables_ready():
        st.info("还没有核查结果。点击下方按钮核查，或在命令行运行 `python -m etl check`。")
        recheck_button(primary=True)
        return
    run = last_run()
    stale = header(run)
    recheck_button(primary=stale)

    f = _ui.shared_filters()
    if note := _ui.filter_note(f):
        st.caption("当前筛选：" + escape_markdown(note))
    counts = _data.query(count_query(f))
    by_type = dict(zip(counts["type"], counts["n"]))
    cols = st.columns(len(TYPE_ZH))
    for col, (t, label) in zip(cols, TYPE_ZH.items()):
        col.metric(label, f"{int(by_type.get(t, 0)):,}", help=TYPE_HELP[t])

    c1, c2 = st.columns([3, 2])
    _url.bind("type", "ck_types", "list", options=TYPE_ZH)
    _url.bind("search", "ck_search")
    types = c1.multiselect("类型", list(TYPE_ZH), default=list(TYPE_ZH), format_func=TYPE_ZH.get,
                           key="ck_types", placeholder="全部类型")
    search = c2.text_input("在说明中搜索", key="ck_search", placeholder="如：慰问金、000")
    total = int(sum(int(by_type.get(t, 0)) for t in (types or TYPE_ZH)))
    if total == 0:
        st.success("当前筛选下没有核查发现。")
        return
    pages = max(1, -(-total // PAGE_SIZE))
    page = st.number_input(f"页码（共 {pages} 页）", 1, pages, 1, key="ck_page") if pages > 1 else 1
    rows = _data.query(findings_query(f, tuple(types), search, PAGE_SIZE, (page - 1) * PAGE_SIZE))
    if rows.empty:
        _ui.no_match()
        return
    for i, r in enumerate(rows.itertuples()):
        finding_card(r, key=f"ck_{r.finding_id}_{i}")


# ----------------------------------------------------------------------- queries

def _tables_ready() -> bool:
    df = _data.query(("SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = current_schema() "
                      "AND table_name IN ('findings', 'finding_claims', 'check_runs')", ()))
    return int(df["n"].iloc[0]) == 3


def _report_filter(f: q.Filters) -> tuple[str, list]:
    """Findings touching at least one report inside the shared filters."""
    w, p = q.where(f, reports_only=True)
    if w == "TRUE":
        return "TRUE", []
    return f"list_has_any(f.report_ids, (SELECT list(report_id) FROM reports_effective WHERE {w}))", p


def count_query(f: q.Filters) -> q.Query:
    w, p = _report_filter(f)
    return f"SELECT f.type, count(*) AS n FROM findings f WHERE {w} GROUP BY f.type", tuple(p)


def findings_query(f: q.Filters, types: tuple, search: str, limit: int, offset: int) -> q.Query:
    w, p = _report_filter(f)
    if types:
        w += " AND list_contains(?, f.type)"
        p.append(list(types))
    if search.strip():
        w += " AND f.detail ILIKE ? ESCAPE '\\'"
        p.append(q.like(search.strip()))
    sql = ("SELECT f.finding_id, f.type, f.severity, f.rule, f.detail, f.data, c.claims "
           "FROM findings f LEFT JOIN (SELECT fc.finding_id, list({'doc': fc.doc, 'start': fc.start, "
           "'end': fc.\"end\", 'text': fc.text, 'report_id': fc.report_id, 'claim_id': fc.claim_id, "
           "'role': fc.role, 'sentence': k.sentence, 'sentence_start': k.sentence_start} "
           "ORDER BY fc.pos) AS claims FROM finding_claims fc LEFT JOIN claims k "
           "ON k.claim_id = fc.claim_id GROUP BY fc.finding_id) c USING (finding_id) "
           f"WHERE {w} ORDER BY CASE f.type WHEN 'conflict' THEN 0 WHEN 'arithmetic' THEN 1 "
           "WHEN 'near_duplicate_report' THEN 2 WHEN 'duplicate' THEN 3 ELSE 4 END, "
           "CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, "
           "f.finding_id LIMIT ? OFFSET ?")
    return sql, tuple(p + [int(limit), int(offset)])


def last_run() -> pd.Series | None:
    df = _data.query((
        "SELECT r.*, (SELECT max(ingested_at) FROM reports) AS last_ingest, "
        "greatest((SELECT max(\"at\") FROM corrections), (SELECT max(\"at\") FROM report_edits)) "
        "AS last_correction "
        "FROM check_runs r ORDER BY finished_at DESC NULLS LAST LIMIT 1", ()))
    return None if df.empty else df.iloc[0]


# ---------------------------------------------------------------------- rendering

def header(run: pd.Series | None) -> bool:
    """The last run in one line; True when reports or corrections came after it."""
    if run is None:
        st.info("还没有核查结果。")
        return True
    st.caption(f"上次核查：{local_time(run['finished_at'])}（{zone_label()}） · {int(run['n_reports'] or 0):,} 份报告 · "
               f"{int(run['n_claims'] or 0):,} 个数字 · 用时 {float(run['seconds'] or 0):.1f} 秒")
    later = [t for t in (run["last_ingest"], run["last_correction"]) if pd.notna(t)]
    if later and max(later) > run["finished_at"]:
        st.warning("核查之后又有报告导入或数字被更正，结果可能已过时，请重新核查。")
        return True
    return False


def recheck_button(*, primary: bool) -> None:
    if not _access.can_write():        # re-checking writes the findings into the store
        st.caption(":material/lock: 只读看板：核查结果由管理员用 `python -m etl check` 更新。")
        return
    if st.button("重新核查", key="ck_run", type="primary" if primary else "secondary",
                 icon=":material/fact_check:"):
        from etl.checks.run import run_checks, save_results
        with st.spinner("正在核查全部数字……"):
            store = _data.writable_store()
            result = run_checks(store)
            save_results(store, result)
        _data.clear()
        st.session_state["ck_done"] = f"核查完成：{len(result.findings):,} 条结果，用时 {result.stats['seconds:total']:.1f} 秒。"
        st.rerun()
    if msg := st.session_state.pop("ck_done", None):
        st.success(msg)


def report_link(ref: dict) -> str:
    """?report=<report_id>&start=<offset> on the Report page (url_path 'report')."""
    return "report?" + urlencode({"report": ref["report_id"], "start": int(ref["start"])})


def _label(ref: dict) -> str:
    from etl.checks.wording import doc_label
    role = ROLE_ZH.get(ref.get("role") or "", "")
    return f"{doc_label(ref['doc'])} · {ref['text']}" + (f"（{role}）" if role else "")


def sentence_markdown(ref: dict) -> str:
    """The figure's sentence with the figure highlighted (markdown; report text escaped)."""
    sentence, text = ref.get("sentence"), str(ref.get("text") or "")
    if not isinstance(sentence, str) or not sentence:
        return escape_markdown(text)
    at = -1
    if isinstance(ref.get("sentence_start"), (int, float)) and ref.get("start") is not None:
        at = int(ref["start"]) - int(ref["sentence_start"])
    if sentence[at:at + len(text)] != text or at < 0:
        at = sentence.find(text)
    marks = [Mark(at, at + len(text), background=MARK_BG)] if at >= 0 and text else []
    return highlight_markdown(sentence, marks, paragraphs=False)


def finding_card(r, *, key: str) -> None:
    refs = list(r.claims) if isinstance(r.claims, (list, tuple)) or hasattr(r.claims, "__len__") else []
    refs = [dict(x) for x in refs if x is not None and x.get("doc") is not None]
    linked = [x for x in refs if x.get("report_id")]
    with st.container(border=True):
        st.markdown(f"{SEVERITY_BADGE.get(r.severity, '')} **{TYPE_ZH.get(r.type, r.type)}**　"
                    f"{escape_markdown(r.detail)}")
        if r.type in SIDE_BY_SIDE and len(linked) >= 2:
            # the sentences side by side: the reader compares what each report says
            for row in range(0, len(linked), 3):
                cols = st.columns(3 if len(linked) > 2 else 2, border=True)
                for i, (col, ref) in enumerate(zip(cols, linked[row:row + 3]), start=row):
                    col.caption(escape_markdown(_label(ref)))
                    col.markdown(sentence_markdown(ref))
                    if col.button("在报告中查看", key=f"{key}_go{i}", icon=":material/article:"):
                        _ui.goto_report(ref["report_id"], ref.get("claim_id"))
        elif linked:
            cols = st.columns(min(len(linked), 4))
            for i, ref in enumerate(linked):
                if cols[i % len(cols)].button(escape_markdown(_label(ref)), key=f"{key}_go{i}", icon=":material/article:",
                                              help="在报告中查看这个数字所在的句子"):
                    _ui.goto_report(ref["report_id"], ref.get("claim_id"))
        data = json.loads(r.data) if isinstance(r.data, str) and r.data else {}
        if data:
            st.caption(_data_line(r.rule, data))


def _data_line(rule: str, data: dict) -> str:
    """The numbers behind a finding, for the curious (rule id kept for bug reports)."""
    bits = []
    if "similarity" in data and data["similarity"] is not None:
        bits.append(f"上下文相似度 {data['similarity']:.2f}")
    if "jaccard" in data:
        bits.append(f"Jaccard {data['jaccard']:.2f}，包含率 {data['containment']:.0%}")
    if "size" in data:
        bits.append(f"{data['size']} 处")
    return " · ".join(bits + [f"规则 {rule}"])


_ui.run(main)
