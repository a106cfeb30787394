"""报告: one report's text with every number highlighted in place (colour = unit class,
non-claims in grey), its metadata on top, and any figure's fields on demand.

Deep links: ?report=<report_id> opens a report, and &start=<offset> (the 核查 page's
links) selects the figure that starts at (or covers) that offset: its details show on
the right, it is marked in the text and scrolled into view (a long report scrolls in
its own box; pages/_reader.py), and its context is quoted beside the details. An HTML
report is shown as a reader sees it (etl.reading.visible). The URL follows the
selection, so it can be copied as a link to that figure. Editing the report's metadata
and deleting or restoring it live in pages/_report_edit.py."""
import pandas as pd
import streamlit as st

from etl.reading.visible import visible
from etl.views import queries as q
from etl.views.labels import (CLASS_BG, CLASS_COLOR, UNIT_CLASS_ZH, approx_zh, fmt_value, kind_zh,
                              level_zh, metric_zh, unit_class_zh)
from pages import _access, _data, _reader, _report_edit, _ui
from pages._markdown import Mark, escape_markdown, highlight_markdown

NON_CLAIM_FG = "#8c8c8c"
SELECTED_FG = "#ffffff"         # the selected figure: white on its class's strong colour
SELECTED_MARK = "◀"
CONTEXT = 60                    # characters quoted on each side of the selected figure
CORRECTED = "✎"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def main() -> None:
    st.title("报告")
    _report_edit.deleted_reports("r")
    rid = pick_report(_ui.shared_filters())
    if rid is None:
        return
    rows = _data.query(q.report_row(rid))
    if rows.empty:
        st.warning("找不到这份报告（可能已被重新导入）。请在上方重新选择。")
        return
    report = rows.iloc[0]
    mentions = _data.query(q.report_mentions(rid))
    header(report, mentions)
    _report_edit.panel(report)

    t1, t2, _ = st.columns([2, 2, 4])
    with_nonclaims = t1.toggle("显示非数字陈述", value=True, key="r_nonclaims")
    numbered = t2.toggle("显示编号", value=True, key="r_numbers")
    st.markdown(legend())

    # an HTML page is shown as a reader sees it; the figures' offsets index its source
    view = visible(str(report["text"] or ""), report.get("format"))
    text = view.text
    mentions = mentions.assign(shown_start=[view.shown_at(int(x)) for x in mentions["start"]],
                               shown_end=[view.shown_at(int(x)) for x in mentions["end"]])
    # a figure asked for (another page, a new ?start= link) brings the page to it too
    link = st.query_params.get("start")
    asked = "report_claim" in st.session_state or link not in (None, st.session_state.get("r_start_seen"))
    selected = select_figure(mentions, with_nonclaims)
    left, right = st.columns([3, 2], gap="large")
    with left:
        # a long report scrolls in its own box beside the details; a short one needs no box
        with st.container(height=720 if len(text) > 1200 else "content", key="r_text_box"):
            st.markdown(highlight_markdown(text, marks(mentions, with_nonclaims, numbered, selected)))
        if selected is not None:      # into view (a report opened plainly: its box only)
            hit = mentions[mentions["claim_id"] == selected].iloc[0]
            _reader.scroll_to(text[int(hit["shown_start"]):int(hit["shown_end"])], selected,
                              SELECTED_MARK, page=asked)
    with right:
        figure_panel(mentions, with_nonclaims, text)


def pick_report(f: q.Filters) -> str | None:
    """Search + select; the report may also come from ?report=<id> or another page."""
    wanted = st.query_params.get("report") or st.session_state.get("report_id")
    c1, c2 = st.columns([2, 5])
    search = c1.text_input("搜索标题、文件名或单位", key="r_search")
    found = _data.query(q.report_list(f, search, 200))
    ids = found["report_id"].tolist()
    names = {r.report_id: _report_name(r) for r in found.itertuples()}
    if wanted and wanted not in names and not search.strip():
        row = _data.query(q.report_row(wanted))     # asked for, but outside the filters
        if not row.empty:
            ids.insert(0, wanted)
            names[wanted] = _report_name(row.iloc[0])
    if not ids:
        _ui.no_match()
        return None
    if st.session_state.get("r_pick") not in ids:
        st.session_state["r_pick"] = wanted if wanted in ids else ids[0]
    rid = c2.selectbox(f"选择报告（{len(found):,} 份符合条件{'，只列出前 200 份' if len(found) == 200 else ''}）",
                       ids, format_func=lambda i: names.get(i, i), key="r_pick")
    st.session_state["report_id"] = rid
    if st.query_params.get("report") != rid:
        st.query_params["report"] = rid
        if "start" in st.query_params:       # an offset into the report shown before
            del st.query_params["start"]
    return rid


def _report_name(r) -> str:
    get = r.get if isinstance(r, pd.Series) else lambda k: getattr(r, k, None)
    title = get("title") if isinstance(get("title"), str) else get("doc")
    date = get("published") if isinstance(get("published"), str) else ""
    org = get("organisation") if isinstance(get("organisation"), str) else ""
    return " · ".join(x for x in (title, date, org) if x)


def header(r: pd.Series, mentions: pd.DataFrame) -> None:
    title = r["title"] if isinstance(r["title"], str) and r["title"] else r["doc"]
    st.header(escape_markdown(title), anchor=False)
    meta = [("日期", r["published"]), ("年份", None if pd.isna(r["year"]) else int(r["year"])),
            ("来源", r["source"]), ("单位", r["organisation"]), ("层级", level_zh(r["level"]) if r["level"] else None),
            ("地区", r["region"]), ("专项活动", r["campaign"]), ("文件", r["doc"]),
            ("格式", f"{r['format']} · {r['encoding']}")]
    parts = [f"{k}：{v}" for k, v in meta if isinstance(v, (str, int)) and str(v)]
    st.caption(escape_markdown("　".join(parts)))
    tags = list(r["tags"]) if r["tags"] is not None and not isinstance(r["tags"], float) else []
    n_claims = int(mentions["is_claim"].sum()) if len(mentions) else 0
    line = f"{n_claims} 个数字陈述，共 {len(mentions)} 处数字；{int(r['n_chars'] or 0):,} 字"
    if tags:
        line += "；地方提法：" + "、".join(tags)
    st.caption(escape_markdown(line))


def legend() -> str:
    items = [f':color[{UNIT_CLASS_ZH[c]}]{{background="{bg}"}}' for c, bg in CLASS_BG.items()]
    items.append(f':color[非数字陈述]{{foreground="{NON_CLAIM_FG}"}}')
    items.append(f"{CORRECTED} 已更正")
    return "图例：" + "　".join(items)


def marks(mentions: pd.DataFrame, with_nonclaims: bool, numbered: bool,
          selected: str | None = None) -> list[Mark]:
    out = []
    for i, m in enumerate(mentions.itertuples(), start=1):
        suffix = (CORRECTED if m.corrected else "") + (str(i).translate(SUPERSCRIPT) if numbered else "")
        s, e = int(m.shown_start), int(m.shown_end)
        if m.claim_id == selected:           # the figure whose details are shown
            strong = CLASS_COLOR.get(m.unit_class, CLASS_COLOR["other"]) if m.is_claim else NON_CLAIM_FG
            out.append(Mark(s, e, foreground=SELECTED_FG, background=strong,
                            suffix=suffix + SELECTED_MARK))
        elif m.is_claim:
            out.append(Mark(s, e, background=CLASS_BG.get(m.unit_class, CLASS_BG["other"]), suffix=suffix))
        elif with_nonclaims:
            out.append(Mark(s, e, foreground=NON_CLAIM_FG, suffix=suffix))
    return out


def _pool(mentions: pd.DataFrame, with_nonclaims: bool) -> pd.DataFrame:
    numbered = mentions.assign(n=range(1, len(mentions) + 1))
    return numbered if with_nonclaims else numbered[numbered["is_claim"].astype(bool)]


def claim_at(pool: pd.DataFrame, offset: str) -> str | None:
    """The figure a ?start=<offset> link means: the one starting there, else the one
    covering it (None for an offset outside every figure, or not a number)."""
    try:
        off = int(str(offset).strip())
    except ValueError:
        return None
    starts, ends = pool["start"].astype(int), pool["end"].astype(int)
    hit = pool[starts == off]
    if hit.empty:
        hit = pool[(starts <= off) & (ends > off)]
    return str(hit["claim_id"].iloc[0]) if len(hit) else None


def select_figure(mentions: pd.DataFrame, with_nonclaims: bool) -> str | None:
    """Which figure's details show (session_state r_claim, the picker's value), before
    the text is drawn so the text can mark it. Precedence: a figure another page asked
    for (Explore / 核查 buttons), a new ?start=<offset> link, the picker's own value, the
    first real figure. The URL's start= then follows the selection."""
    if mentions.empty:
        return None
    pool = _pool(mentions, with_nonclaims)
    if pool.empty:
        return None
    ids = pool["claim_id"].tolist()
    wanted = st.session_state.pop("report_claim", None)
    link = st.query_params.get("start")
    if wanted is None and link is not None and link != st.session_state.get("r_start_seen"):
        wanted = claim_at(pool, link)     # ?report=…&start=<offset>: a link to one figure
        if wanted is None:
            st.session_state["r_start_missed"] = link
    if wanted in ids:
        st.session_state["r_claim"] = wanted
    elif st.session_state.get("r_claim") not in ids:      # start at the first real figure
        claims = pool.loc[pool["is_claim"].astype(bool), "claim_id"].tolist()
        st.session_state["r_claim"] = (claims or ids)[0]
    cid = st.session_state["r_claim"]
    start = str(int(pool.loc[pool["claim_id"] == cid, "start"].iloc[0]))
    st.session_state["r_start_seen"] = start
    if link != start:
        st.query_params["start"] = start
    return cid


def context_markdown(text: str, row: pd.Series) -> str:
    """A few dozen characters either side of the figure, the figure highlighted (`text`
    is the report as shown: shown_start/shown_end place the figure in it)."""
    s, e = int(row["shown_start"]), int(row["shown_end"])
    a, b = max(0, s - CONTEXT), min(len(text), e + CONTEXT)
    bg = CLASS_BG.get(row["unit_class"], CLASS_BG["other"]) if row["is_claim"] else "#e4e4e4"
    piece = text[a:b].replace("\r", " ").replace("\n", " ")     # one line, same length
    body = highlight_markdown(piece, [Mark(s - a, e - a, background=bg)], paragraphs=False)
    return ("…" if a > 0 else "") + body + ("…" if b < len(text) else "")


def figure_panel(mentions: pd.DataFrame, with_nonclaims: bool, text: str = "") -> None:
    st.subheader("数字详情", anchor=False)
    if mentions.empty:
        st.info("这份报告里没有找到数字。")
        return
    numbered = mentions.assign(n=range(1, len(mentions) + 1))
    pool = _pool(mentions, with_nonclaims)
    if pool.empty:
        st.info("这份报告没有数字陈述。打开“显示非数字陈述”可查看其他数字。")
        return
    if missed := st.session_state.pop("r_start_missed", None):
        st.warning(f"链接指向的位置（第 {escape_markdown(str(missed))} 个字符）没有数字，显示的是第一个数字。")
    ids = pool["claim_id"].tolist()
    label = {r.claim_id: _figure_label(r) for r in pool.itertuples()}
    cid = st.selectbox("选择一个数字（编号与正文中的上标一致）", ids, format_func=label.get, key="r_claim")
    row = numbered[numbered["claim_id"] == cid].iloc[0].copy()
    row["report_id"] = st.session_state.get("report_id")
    st.dataframe(_ui.claim_fields(row), hide_index=True, width="stretch", key="r_fields")
    if text:
        st.caption("上下文：" + context_markdown(text, row))
    if isinstance(row["sentence"], str) and row["sentence"]:
        st.caption("所在句子：" + escape_markdown(row["sentence"]))
    if not _access.can_write():
        _access.read_only_caption()
    elif st.button("更正这个数字", key="r_fix", icon=":material/edit:"):
        _ui.goto_correction(cid)
    with st.expander(f"本报告全部数字（{len(pool)}）"):
        st.dataframe(pd.DataFrame({
            "编号": pool["n"], "原文": pool["text"],
            "数值": [fmt_value(v, c, u) for v, c, u in zip(pool["value"], pool["unit_class"], pool["unit"])],
            "类别": [unit_class_zh(c) if ok else f"非陈述：{kind_zh(k)}"
                   for c, ok, k in zip(pool["unit_class"], pool["is_claim"], pool["kind"])],
            "近似": pool["approx"].map(approx_zh), "主体": pool["subject"],
            "指标": [metric_zh(m) if isinstance(m, str) and ok else ""
                   for m, ok in zip(pool["metric"], pool["is_claim"])],
            "已更正": pool["corrected"].map(lambda b: CORRECTED if b else ""),
        }), hide_index=True, width="stretch", key="r_all")


def _figure_label(r) -> str:
    kind = unit_class_zh(r.unit_class) if r.is_claim else f"非陈述·{kind_zh(r.kind)}"
    subject = f" · {r.subject}" if isinstance(r.subject, str) and r.subject else ""
    mark = f" {CORRECTED}" if r.corrected else ""
    return f"{r.n}. {r.text}{subject} · {kind}{mark}"


_ui.run(main)
