"""Streamlit pieces every page uses: the shared sidebar filters, empty states, the
error guard, claim details and links between pages."""
from __future__ import annotations

import logging
import runpy
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Callable

import pandas as pd
import streamlit as st

from etl import errors
from etl.store import StoreBusy
from etl.views import queries as q
from etl.views import sources, ui_text
from etl.views.labels import (FIELD_ZH, NONE_LABEL, ROLE_ZH, approx_zh, fmt_value, kind_zh, level_zh,
                              metric_evidence_zh, metric_zh, subject_zh, unit_class_zh)
from pages import _access, _data, _url
from pages._markdown import escape_markdown

PAGE_FILES = {name: f"pages/{name}.py" for name in
              ("overview", "explore", "compare", "checks", "report", "upload", "corrections", "guide")}
# Shared filter widgets live in app.py's sidebar, so their keys survive page changes.
SHARED_KEYS = {"campaign": "flt_campaign", "organisation": "flt_org", "year": "flt_year"}
# ... and their names in the address bar (pages/_url.py), the same on every page
SHARED_PARAMS = {"campaign": "campaign", "organisation": "org", "year": "year"}

_log = logging.getLogger("report_figures.pages")
PAGE_FAILED = "页面出错，请刷新页面再试；如果问题持续，请联系管理员（详细信息已记入服务器日志）。"

EMPTY_HELP = (
    "还没有数据。添加报告的三种方法：\n\n"
    "1. 在项目目录运行 `make run`：用自带的 5 份示例报告建库并启动看板；\n"
    "2. 打开左侧的 **上传** 页面，上传 txt、md、html、docx 或 pdf 报告；\n"
    "3. 命令行：`python -m etl run 报告目录 --db data/figures.duckdb`。"
)


# True while app.py's navigation runs a page. Streamlit treats a `pages/` folder as
# legacy auto-discovered pages until st.navigation has run once in the process (and
# AppTest re-enters that mode on every run): a first request for /report then runs
# pages/report.py by itself, without app.py's page config, filters and navigation.
_IN_APP: ContextVar[bool] = ContextVar("report_figures_in_app", default=False)


@contextmanager
def app_running():
    token = _IN_APP.set(True)
    try:
        yield
    finally:
        _IN_APP.reset(token)


def _run_app_instead() -> None:
    """Run app.py now; its st.navigation resolves the requested page and runs it."""
    runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")


def run(main: Callable[[], None], *, needs_data: bool = True) -> None:
    """Run a page body; a missing/empty store or a busy store gives a useful message
    instead of a traceback."""
    if not _IN_APP.get() and main is not sidebar_filters:
        _run_app_instead()
        return
    try:
        if needs_data and _data.n_reports() == 0:
            empty_state()
            return
        with _url.page_state():       # the page's choices go into its address
            main()
    except StoreBusy:
        st.warning("数据库正被写入（`etl run` 正在运行），请稍后刷新页面。")
    except PermissionError as exc:    # a write path the access policy refuses (pages._access)
        _access.read_only_note(str(exc) or None)
    except FileNotFoundError:
        empty_state()
    except Exception as exc:          # noqa: BLE001 - the page must not show a traceback
        if type(exc).__module__.startswith("streamlit"):
            raise                     # st.rerun / st.switch_page / st.stop work by raising
        # the reader gets one clear line; the details (paths, exception text) go to the
        # server's log only
        _log.exception("page failed")
        problem = errors.explain(exc)
        st.error(problem.zh if problem is not None else PAGE_FAILED)


EMPTY_READONLY = ("还没有数据。这是只读看板，不能在这里上传报告；请管理员在服务器上运行 "
                  "`python -m etl run 报告目录 --db 数据库文件` 导入报告。")


def chinese_interface() -> None:
    """Streamlit's own English words (the upload box, "Select all", "Stop", a failed
    download) replaced in the browser with Chinese (data/rules/ui_zh.yaml)."""
    with st.sidebar:
        st.html(ui_text.browser_script(), unsafe_allow_javascript=True, width="content")


def empty_state() -> None:
    st.info(EMPTY_HELP if _access.can_write() else EMPTY_READONLY)
    # the file's name only: a reader is not shown where the server keeps its files
    st.caption(f"当前数据库：{escape_markdown(_data.db_path().name)}"
               f"（可用环境变量 REPORT\\_FIGURES\\_DB 指定）")


def no_match() -> None:
    st.info("没有符合当前筛选条件的数字。可以在左侧栏清除筛选，或放宽本页的条件。")


# ------------------------------------------------------------------- shared filters

def _options() -> dict[str, list]:
    df = _data.query(q.filter_options())
    out: dict[str, list] = {}
    for field, part in df.groupby("field", sort=False):
        vals = [v for v in part["value"].tolist() if isinstance(v, str)]
        if field == "year":
            vals = sorted((int(v) for v in vals), reverse=True)
        else:
            vals = sorted(vals)
        if part["value"].isna().any():
            vals.append(NONE_LABEL)
        out[field] = vals
    return out


def _reset_filters() -> None:
    for key in SHARED_KEYS.values():
        st.session_state[key] = []


def sidebar_filters() -> None:
    """The shared filters (campaign, organisation, year), drawn in app.py's sidebar."""
    if _data.n_reports() == 0:
        return
    opts = _options()
    with st.sidebar:
        st.markdown("**筛选（所有页面通用）**")
        for field, key, label in (("campaign", SHARED_KEYS["campaign"], "专项活动"),
                                  ("organisation", SHARED_KEYS["organisation"], "单位"),
                                  ("year", SHARED_KEYS["year"], "年份")):
            options = opts.get(field, [])
            _url.bind(SHARED_PARAMS[field], key, "ints" if field == "year" else "list",
                      options=options)
            if key in st.session_state:   # values that vanished from the store are dropped
                st.session_state[key] = [v for v in st.session_state[key] if v in options]
            st.multiselect(label, options, key=key, placeholder="全部")
        if any(st.session_state.get(k) for k in SHARED_KEYS.values()):
            st.button("清除筛选", on_click=_reset_filters, key="flt_reset")


def shared_filters() -> q.Filters:
    ss = st.session_state
    return q.Filters(campaign=tuple(ss.get(SHARED_KEYS["campaign"]) or ()),
                     organisation=tuple(ss.get(SHARED_KEYS["organisation"]) or ()),
                     year=tuple(ss.get(SHARED_KEYS["year"]) or ()))


def filter_note(f: q.Filters) -> str:
    """One line naming the active shared filters (plain text)."""
    return sources.filter_note(f)


def source_line(f: q.Filters) -> str:
    """The source line of a chart drawn from the claims selected by `f` (reports,
    organisations, dates, filters; etl.views.sources.source, as the exports write it)."""
    return sources.source(f, _data.query)


def source_text(n: int, names: list[str]) -> str:
    """'数据来源：N 份报告：《A》、《B》、《C》等' (plain text; escape for the target)."""
    shown = "、".join(f"《{x}》" for x in names if x)
    more = " 等" if n > len(names) else ""
    return f"数据来源：{n:,} 份报告{('：' + shown + more) if shown else ''}"


# ---------------------------------------------------------------- claim details

def claim_fields(row: pd.Series | dict) -> pd.DataFrame:
    """A claim's fields as a two-column table of text (rendered as text, never markup)."""
    r = dict(row)
    corrected = r.get("corrected_fields")
    corrected = list(corrected) if corrected is not None and not isinstance(corrected, float) else []
    rows = [
        ("原文", r.get("text")),
        ("是否为数字陈述", "是" if r.get("is_claim") else f"否（{kind_zh(r.get('kind')) or '其他'}）"),
        ("数值", fmt_value(r.get("value"), r.get("unit_class"), r.get("unit"))),
        ("上限", fmt_value(r.get("value_max"), r.get("unit_class"), r.get("unit"))),
        ("单位", r.get("unit")),
        ("类别", unit_class_zh(r.get("unit_class")) if r.get("unit_class") else ""),
        ("近似", approx_zh(r.get("approx"))),
        ("主体", subject_zh(r.get("subject")) if r.get("is_claim") else r.get("subject")),
        ("指标", (metric_zh(r.get("metric")) + ("（已更正 ✎）" if "metric" in corrected else ""))
         if not _blank(r.get("metric")) else ""),
        ("指标依据", metric_evidence_zh(r.get("metric_evidence"), "metric" in corrected)),
        ("每…", r.get("per")),
        ("合计/累计", r.get("aggregate")),
        ("增减", {"increase": "增加", "decrease": "减少"}.get(r.get("change"), r.get("change"))),
        ("占比之于", r.get("share_of")),
        ("作用", _role_line(r, "counted" in corrected)),
        ("所在句子", r.get("sentence")),
        ("判定规则", r.get("reason")),
        ("已更正字段", "、".join(FIELD_ZH.get(c, c) for c in corrected)),
        ("数字编号", r.get("claim_id")),
    ]
    if "campaign" in r:
        rows += [("专项活动", r.get("campaign")), ("单位（报告）", r.get("organisation")),
                 ("层级", level_zh(r.get("level"))), ("年份", r.get("year")),
                 ("报告", r.get("title") or r.get("doc"))]
    shown = [(k, "" if _blank(v) else str(v)) for k, v in rows]
    return pd.DataFrame([x for x in shown if x[1] != ""], columns=["字段", "内容"])


def _role_line(r: dict, corrected: bool) -> str:
    """总数，计入合计 / 分项，不计入合计（所属总数在第 123 字起） for a money, people or
    person-times claim; empty for the rest."""
    role = r.get("role")
    if _blank(role):
        return ""
    line = f"{ROLE_ZH.get(role, role)}，{'计入' if r.get('counted') else '不计入'}合计"
    if corrected:
        line += "（已更正 ✎）"
    if not _blank(r.get("of_start")):
        line += f"；所属的数字在原文第 {int(r['of_start'])} 字起"
    return line


def _blank(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def show_claim(row: pd.Series | dict, *, key: str) -> None:
    """Fields of one claim plus buttons to its report and to correct it."""
    st.dataframe(claim_fields(row), hide_index=True, width="stretch", key=f"{key}_fields")
    c1, c2, _ = st.columns([1, 1, 3])
    if c1.button("在报告中查看", key=f"{key}_to_report", icon=":material/article:"):
        goto_report(str(row["report_id"]), str(row["claim_id"]))
    if not _access.can_write():
        _access.read_only_caption(c2)
    elif c2.button("更正这个数字", key=f"{key}_to_fix", icon=":material/edit:"):
        goto_correction(str(row["claim_id"]))


def goto_report(report_id: str, claim_id: str | None = None) -> None:
    st.session_state["report_id"] = report_id
    if claim_id:
        st.session_state["report_claim"] = claim_id
    st.switch_page(PAGE_FILES["report"])


def goto_correction(claim_id: str) -> None:
    st.session_state["fix_claim_id"] = claim_id
    st.switch_page(PAGE_FILES["corrections"])
