"""Page state in the address bar: the sidebar filters and each page's own choices
(metric, grouping, chart type ...) are query parameters, so a copied link reopens the
same view and a reload keeps it.

A page calls `bind(name, key, ...)` just before drawing the widget whose session-state
key is `key`; `_ui.run` writes every bound widget's value back to the URL once the page
has run (`publish`). The URL wins only when it says something the page did not write
itself (a pasted link, a reload, a value edited by hand); otherwise the widget wins, so
a click is never undone by the address the previous run wrote. Values are the stored
codes (funds_disbursed, campaign, 2021), not the labels a widget shows, so a link does
not break when a label's count changes. Unknown values in a link are dropped. Names
differ from page to page (a page must not read another page's leftover parameter).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import streamlit as st

SEEN = "_url_seen"          # session_state: per widget key, what its param last said
PUBLISHED = "_url_published"    # session_state: per name, what this session last wrote
WRITTEN = "_url_written"        # session_state: per widget key, every value this session wrote
KINDS = ("str", "list", "int", "ints", "bool")
TRUE, FALSE = "1", "0"


@dataclass(frozen=True)
class Param:
    name: str                  # in the URL
    key: str                   # the widget's session_state key
    kind: str = "str"          # str | list | int | ints (a list of ints) | bool
    options: tuple | None = None   # allowed values (None: any)


_BOUND: ContextVar[list[Param] | None] = ContextVar("report_figures_url_bound", default=None)


def parse(p: Param, raw: list[str]):
    """URL strings -> the widget's value; None when nothing usable is there."""
    try:
        if p.kind in ("list", "ints"):
            # a year list may hold （未标注） for "not known" besides the years
            vals = [int(x) if p.kind == "ints" and x.isdigit() else x for x in raw]
            if p.options is not None:
                vals = [v for v in vals if v in p.options]
            return list(dict.fromkeys(vals)) or None
        one = raw[-1]
        value = {"str": str, "int": int, "bool": lambda s: s == TRUE}[p.kind](one)
        if p.kind == "bool" and one not in (TRUE, FALSE):
            return None
    except ValueError:
        return None
    return value if p.options is None or value in p.options else None


def encode(p: Param, value) -> list[str]:
    """The widget's value -> URL strings ([] = leave the parameter out)."""
    if value is None:
        return []
    if p.kind in ("list", "ints"):
        return [str(v) for v in value]
    if p.kind == "bool":
        return [TRUE if value else FALSE]
    return [str(value)] if str(value) != "" else []


def bind(name: str, key: str, kind: str = "str", options: Iterable | None = None) -> None:
    """Before the widget `key` is drawn: take its value from the URL when the URL says
    something new, and remember to write it back after the page has run."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    p = Param(name, key, kind, None if options is None else tuple(options))
    seen = st.session_state.setdefault(SEEN, {})
    raw = st.query_params.get_all(name)
    # what this session last wrote under the name for another widget (对比's log scale
    # is one widget per metric and class): not news, so a new metric keeps its default
    carried = seen.get(key) != raw and st.session_state.get(PUBLISHED, {}).get(name) == raw
    # a click that races the previous run's URL update is sent with the address that run
    # replaced: a value this session wrote for the live widget earlier is stale, unless
    # the browser's back/forward brought it back
    stale = (key in st.session_state and not _history_navigation()
             and tuple(raw) in st.session_state.get(WRITTEN, {}).get(key, ()))
    # new to the URL (keyed by widget: pages may share a name), or a widget not drawn
    # since (its page was left; browser back brings its address back)
    if raw and not carried and not stale and (seen.get(key) != raw or key not in st.session_state):
        value = parse(p, raw)
        if value is not None:
            st.session_state[key] = value
        seen[key] = raw
    bound = _BOUND.get()
    if bound is not None:
        bound.append(p)


def publish(params: Iterable[Param]) -> None:
    """The URL shows each bound widget's current value (an empty one is left out)."""
    seen = st.session_state.setdefault(SEEN, {})
    published = st.session_state.setdefault(PUBLISHED, {})
    written = st.session_state.setdefault(WRITTEN, {})
    for p in params:
        raw = encode(p, st.session_state.get(p.key))
        if raw:
            if st.query_params.get_all(p.name) != raw:
                st.query_params[p.name] = raw if len(raw) > 1 else raw[0]
            seen[p.key] = raw
            published[p.name] = raw
            written.setdefault(p.key, set()).add(tuple(raw))
        else:
            if p.name in st.query_params:
                del st.query_params[p.name]
            seen.pop(p.key, None)
            published.pop(p.name, None)


def _history_navigation() -> bool:
    """True when this run was started by the browser's back or forward button."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


@contextmanager
def page_state() -> Iterator[None]:
    """Collect the params a page binds while it runs; publish them when it finishes
    (not when it stops early: a page switch or a rerun writes its own URL)."""
    bound: list[Param] = []
    token = _BOUND.set(bound)
    try:
        yield
        publish(bound)
    finally:
        _BOUND.reset(token)
