"""Plotly figure builders. Pure: DataFrames in, figures out (no streamlit, no SQL).

Every chart gets a Chinese title, axis titles with units and a source line naming the
reports it came from. All text that may come from a report goes through `plotly_text`
(plotly understands a few HTML tags; a report's `<b>` must stay characters).

The dashboard and the command-line exports
draw with these same functions, so a downloaded chart is the chart on screen.
"""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from etl.views.labels import (CLASS_COLOR, UNIT_CLASS_ZH, fmt_big, subject_zh, unit_class_zh,
                              with_scale)
from etl.views.text import plotly_text, shorten

FONT = "Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, sans-serif"
EXACT_COLOR = "#1f6fd1"
APPROX_NOTE = "斜纹/空心：含约数（约、余、近、以上、不超过、至少、范围）"
# Line colours, set on every figure: Streamlit's own plotly template holds placeholder
# colours (#000001 ...) that only its frontend replaces, so a figure built inside the
# dashboard must not lean on the template for anything that is drawn.
COLORWAY = ["#1f6fd1", "#e67e00", "#2e9b4a", "#d33b3b", "#7b4fd6", "#178f8f", "#b59a00",
            "#8a5a2b", "#777777", "#d45fa8"]
EXPORT_TEMPLATE = "plotly"     # what files are drawn with, whichever process builds the figure
# Files put a Latin font first: Chromium's PDF maps the digits of Noto Sans CJK to NUL in
# the text layer (axis ticks and values could not be copied or searched); Chinese still
# comes from the CJK fonts, glyph by glyph.
EXPORT_FONT = "Liberation Sans, Arial, Helvetica, " + FONT


SOURCE = "source"          # name of the annotation holding the source line (and note)
LINE_PX = 16               # height of one more line of the source annotation


def _finish(fig: go.Figure, *, title: str, source: str, note: str = "",
            height: int = 460, bottom: int = 90) -> go.Figure:
    """Title, source line (and an optional note) under the plot, CJK font, margins.
    `source` is plain text; a newline in it starts another line."""
    src = [s for s in source.split("\n") if s.strip()]
    lines = [plotly_text(s) for s in src] + ([plotly_text(note)] if note else [])
    more = LINE_PX * max(0, len(src) - 1)       # room for the extra source lines
    bottom += more
    height += more
    fig.update_layout(
        title={"text": plotly_text(title), "x": 0.01, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 30, "t": 60, "b": bottom},
        annotations=list(fig.layout.annotations) + [dict(
            name=SOURCE, text="<br>".join(lines), showarrow=False, xref="paper", yref="paper",
            x=0, y=0, yshift=-bottom + 8, xanchor="left", yanchor="bottom",
            align="left", font={"size": 11, "color": "#666"})],
        hoverlabel={"font": {"family": FONT}},
        plot_bgcolor="white",
        colorway=COLORWAY,
    )
    fig.update_xaxes(automargin=True, gridcolor="#eee", zerolinecolor="#ccc")
    fig.update_yaxes(automargin=True, gridcolor="#eee", zerolinecolor="#ccc")
    return fig


def for_export(fig: go.Figure) -> go.Figure:
    """A copy as files draw it: EXPORT_TEMPLATE (the dashboard process has Streamlit's
    template as plotly's default, with placeholder colours, see COLORWAY; the command
    line has plotly's: files must look the same from both) and EXPORT_FONT."""
    out = go.Figure(fig)
    out.update_layout(template=EXPORT_TEMPLATE, font_family=EXPORT_FONT)
    return out


def source_lines(fig: go.Figure) -> list[str]:
    """The source line(s) and note under a chart, as plain text (slide and sheet text)."""
    out = []
    for a in fig.layout.annotations:
        if a.name == SOURCE and a.text:
            out += [html.unescape(x) for x in str(a.text).split("<br>")]
    return out


def for_slide(fig: go.Figure, font_size: int = 15) -> go.Figure:
    """A copy for a slide, where the title and the source line are slide text: no
    title, no source annotation, the space they took given back, larger type."""
    out = go.Figure(fig)
    # assigned, not update_layout(annotations=...): that merges lists element by element
    out.layout.annotations = [a for a in out.layout.annotations if a.name != SOURCE]
    out.update_layout(title={"text": ""}, font={"size": font_size}, margin={"t": 45, "b": 20})
    for a in out.layout.annotations:          # the row header grows with the rest
        a.font.size = font_size - 1
    return out


def _row_header(fig: go.Figure, text: str) -> None:
    """The category axis of a horizontal chart named above its labels: a rotated axis
    title collides with long Chinese labels (plotly measures them before the CJK font)."""
    fig.add_annotation(text=plotly_text(text), xref="paper", yref="paper", x=0, y=1,
                       xanchor="right", yanchor="bottom", showarrow=False, xshift=-8, yshift=4,
                       font={"size": 12, "color": "#444"})


def value_axis_scale(values, log: bool) -> dict:
    """Axis type and ticks labelled as a reader says them (27万, 1亿: labels.fmt_big):
    log axes get 1-2-5 ticks (plotly's own label 300 as "3"), linear axes 1-2-2.5-5
    steps from zero."""
    nums = [float(v) for v in values if v is not None and v == v]
    if not log:
        ticks = linear_ticks(min(nums, default=0.0), max(nums, default=0.0))
        return {"type": "linear", "tickmode": "array", "tickvals": ticks,
                "ticktext": [fmt_big(t) for t in ticks]}
    pos = [v for v in nums if v > 0]
    if not pos:
        return {"type": "log"}
    lo, hi = min(pos), max(pos)
    ticks = [m * 10 ** k for k in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
             for m in (1, 2, 5)]
    ticks = [t for t in ticks if lo / 2.5 <= t <= hi * 2.5]
    if len(ticks) > 10:                     # many decades: powers of ten only
        ticks = [t for t in ticks if f"{t:.0e}".startswith("1")]
    # an explicit range, so the smallest bar still has a visible length
    return {"type": "log", "tickmode": "array", "tickvals": ticks,
            "ticktext": [fmt_big(t) for t in ticks],
            "range": [math.log10(lo / 3), math.log10(hi * 1.8)]}


def linear_ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    """About n round ticks from min(0, lo) to a little past hi (room for bar labels;
    ticks past the drawn range are simply not shown)."""
    lo, hi = min(0.0, lo), max(0.0, hi)
    if hi - lo <= 0:
        return [0.0, 1.0]
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first, last = math.floor(lo / step), math.ceil(hi * 1.25 / step)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _value_text(values, unit: str) -> list[str]:
    """Hover text of each value: 27万元, 6,600人."""
    return [fmt_big(v) + unit if v is not None and v == v else "" for v in values]


def _labels(values) -> list[str]:
    return [plotly_text(v) for v in values]


def _short_labels(values, n: int) -> list[str]:
    """Axis labels cut to n characters, then escaped (cutting after escaping could
    split an entity: "&l…")."""
    return [plotly_text(shorten(v, n)) for v in values]


def bar(df: pd.DataFrame, *, title: str, value_title: str, group_title: str, source: str,
        log: bool = False, horizontal: bool = True, unit: str = "") -> go.Figure:
    """One bar per group. df columns: label, y, n_figures, n_approx (a group holding an
    approximate figure is hatched). `unit` follows each value in the hover (27万元);
    the value axis title says the scale (对数刻度)."""
    cats = _labels(df["label"])
    pattern = ["/" if (a or 0) > 0 else "" for a in df["n_approx"]]
    custom = list(zip(df["n_figures"].astype(int), df["n_approx"].fillna(0).astype(int),
                      _value_text(df["y"], unit)))
    text = [fmt_big(v) for v in df["y"]]
    common = dict(marker={"color": EXACT_COLOR,
                          "pattern": {"shape": pattern, "fgcolor": "white", "fillmode": "overlay",
                                      "size": 7, "solidity": 0.35}},
                  text=text, textposition="outside", cliponaxis=False, customdata=custom)
    if horizontal:
        trace = go.Bar(x=df["y"], y=cats, orientation="h",
                       hovertemplate="%{y}<br>%{customdata[2]}<br>%{customdata[0]} 个数字，其中约数 %{customdata[1]} 个<extra></extra>",
                       **common)
    else:
        trace = go.Bar(x=cats, y=df["y"],
                       hovertemplate="%{x}<br>%{customdata[2]}<br>%{customdata[0]} 个数字，其中约数 %{customdata[1]} 个<extra></extra>",
                       **common)
    fig = go.Figure(trace)
    value_axis = {"title": {"text": plotly_text(with_scale(value_title, log))},
                  **value_axis_scale(df["y"], log)}
    group_axis = {"title": {"text": plotly_text(group_title)}, "type": "category"}
    if horizontal:
        group_axis.update(autorange="reversed", tickmode="array", tickvals=cats,
                          ticktext=_short_labels(df["label"], 22), title={"text": ""})
        fig.update_layout(xaxis=value_axis, yaxis=group_axis)
        _row_header(fig, group_title)
        height = max(320, 110 + 30 * len(cats))
    else:
        fig.update_layout(xaxis=group_axis, yaxis=value_axis)
        height = 460
    note = APPROX_NOTE if any(pattern) else ""
    return _finish(fig, title=title, source=source, note=note, height=height,
                   bottom=100 if note else 80)


def dots(df: pd.DataFrame, *, title: str, value_title: str, group_title: str, source: str,
         log: bool = False, unit: str = "") -> go.Figure:
    """Each figure a dot on its group's row; approximate figures hollow.
    df columns: label, y, approx (code), text, subject, report."""
    fig = go.Figure()
    is_approx = df["approx"].fillna("exact") != "exact"
    for name, mask, symbol in (("精确数字", ~is_approx, "circle"),
                               ("约数（空心）", is_approx, "circle-open")):
        part = df[mask]
        if part.empty:
            continue
        custom = list(zip(_labels(part["text"]), _labels(part["subject"].map(subject_zh)),
                          _labels(part["report"].map(lambda s: shorten(s, 30))),
                          _value_text(part["y"], unit)))
        fig.add_trace(go.Scatter(
            x=part["y"], y=_labels(part["label"]), mode="markers", name=name,
            marker={"symbol": symbol, "size": 10, "color": EXACT_COLOR,
                    "line": {"width": 2, "color": EXACT_COLOR}, "opacity": 0.75},
            customdata=custom,
            hovertemplate="%{customdata[0]}（%{customdata[1]}）<br>%{customdata[3]}<br>%{customdata[2]}<extra></extra>"))
    cats = list(dict.fromkeys(_labels(df["label"])))
    fig.update_layout(
        xaxis={"title": {"text": plotly_text(with_scale(value_title, log))},
               **value_axis_scale(df["y"], log)},
        yaxis={"type": "category",
               "categoryorder": "array", "categoryarray": cats, "autorange": "reversed",
               "tickmode": "array", "tickvals": cats,
               "ticktext": _short_labels(dict.fromkeys(df["label"]), 22)},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"})
    _row_header(fig, group_title)
    return _finish(fig, title=title, source=source, height=max(340, 130 + 34 * len(cats)))


def with_gaps(part: pd.DataFrame) -> pd.DataFrame:
    """One series' rows with an empty row (y None) for every year it has no data
    between its first and last year, so the line breaks there instead of bridging it."""
    years = part["year"].astype(int)
    if part.empty or years.max() - years.min() + 1 == len(years):
        return part.assign(year=years)
    full = pd.DataFrame({"year": range(int(years.min()), int(years.max()) + 1)})
    out = full.merge(part.assign(year=years), on="year", how="left")
    out["label"] = part["label"].iloc[0]
    return out


def timeline(df: pd.DataFrame, *, title: str, value_title: str, source: str,
             log: bool = False, unit: str = "") -> go.Figure:
    """A line per group over the years; a year that includes approximate figures gets a
    hollow marker; a year without figures breaks the line (no straight line across it).
    df columns: label, year, y, n_figures, n_approx."""
    fig = go.Figure()
    for i, (label, part) in enumerate(df.groupby("label", sort=False)):
        part = with_gaps(part.sort_values("year"))
        symbols = ["circle-open" if (a or 0) > 0 else "circle" for a in part["n_approx"].fillna(0)]
        color = COLORWAY[i % len(COLORWAY)]      # explicit: the same on screen and in files
        ys = [None if pd.isna(v) else float(v) for v in part["y"]]
        fig.add_trace(go.Scatter(
            x=part["year"].astype(int), y=ys, mode="lines+markers", connectgaps=False,
            name=plotly_text(shorten(label, 20)), line={"color": color},
            marker={"symbol": symbols, "size": 10, "color": color,
                    "line": {"width": 2, "color": color}},
            customdata=list(zip(part["n_figures"].fillna(0).astype(int),
                                part["n_approx"].fillna(0).astype(int), _value_text(ys, unit))),
            hovertemplate="%{x} 年<br>%{customdata[2]}<br>%{customdata[0]} 个数字，其中约数 %{customdata[1]} 个<extra></extra>"))
    fig.update_layout(
        xaxis={"title": {"text": "年份"}, "dtick": 1, "tickformat": "d"},
        yaxis={"title": {"text": plotly_text(with_scale(value_title, log))},
               **value_axis_scale(df["y"], log)},
        legend={"orientation": "h", "y": -0.18, "yanchor": "top", "x": 0})
    note = "空心点：该年份包含约数" if (df["n_approx"].fillna(0) > 0).any() else ""
    return _finish(fig, title=title, source=source, note=note, height=520, bottom=150)


def counts_by_class(df: pd.DataFrame, *, title: str, source: str) -> go.Figure:
    """Stacked horizontal bars: figures per campaign, split by unit class.
    df columns: campaign, unit_class, n."""
    fig = go.Figure()
    cats = list(dict.fromkeys(_labels(df["campaign"])))
    for cls in [c for c in UNIT_CLASS_ZH if c in set(df["unit_class"])]:   # fixed legend order
        part = df[df["unit_class"] == cls]
        fig.add_trace(go.Bar(
            x=part["n"], y=_labels(part["campaign"]), orientation="h",
            name=unit_class_zh(cls), marker={"color": CLASS_COLOR.get(cls, "#999")},
            hovertemplate=f"{unit_class_zh(cls)}：%{{x}} 个<extra>%{{y}}</extra>"))
    fig.update_layout(
        barmode="stack",
        xaxis={"title": {"text": "数字个数（个）"}},
        yaxis={"type": "category", "autorange": "reversed",
               "tickmode": "array", "tickvals": cats,
               "ticktext": _short_labels(dict.fromkeys(df["campaign"]), 18)},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "title": {"text": ""},
                "traceorder": "normal"},
        bargap=0.35)
    _row_header(fig, "专项活动")
    return _finish(fig, title=title, source=source, height=max(240, 170 + 40 * len(cats)))
