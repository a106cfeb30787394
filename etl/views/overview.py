"""The 总览 page: how many figures each campaign has by class, and the biggest figures."""
from __future__ import annotations

import pandas as pd

from etl.views import charts
from etl.views import queries as q
from etl.views.compare import typed_numbers
from etl.views.labels import (NONE_LABEL, UNIT_CLASS_ZH, approx_zh, axis_unit, fmt_value, how_drawn,
                              metric_ids, metric_zh, scale, subject_zh, unit_class_zh)
from etl.views.model import Chart, Table
from etl.views.sources import Runner, filter_note, rows_source, source, sources_sql

OVERVIEW_TITLE = "各专项活动的数字个数（按类别）"
# The unit a class is totalled in; None = every counter of the class (个, 家, 支 ...).
TOTAL_UNIT = {"money": "元", "people": "人", "person_times": "人次"}


def overview_counts(groups: pd.DataFrame) -> pd.DataFrame:
    """Figures per campaign and unit class, from the Overview's one-scan query."""
    figs = groups[groups["is_claim"].fillna(False).astype(bool)]
    return (figs.assign(campaign=figs["campaign"].fillna(NONE_LABEL))
            .groupby(["campaign", "unit_class"], as_index=False)["n"].sum()
            .sort_values(["campaign", "unit_class"]))


def overview_chart(f: q.Filters, run: Runner, dup: q.DupSource | None) -> Chart | None:
    """The Overview's chart: claims per campaign, split by unit class."""
    counts = overview_counts(run(q.overview_groups(f, dup)))
    if counts.empty:
        return None
    src = source(f, run, reports_only=True) + "\n" + how_drawn("计数（每类数字的个数）", False)
    fig = charts.counts_by_class(counts, title=OVERVIEW_TITLE, source=src)
    wide = (counts.assign(unit_class=counts["unit_class"].map(unit_class_zh))
            .pivot_table(index="campaign", columns="unit_class", values="n", aggfunc="sum",
                         fill_value=0, sort=False))
    wide = wide[[unit_class_zh(c) for c in UNIT_CLASS_ZH if unit_class_zh(c) in wide.columns]]
    wide.columns = [f"{c}（个）" for c in wide.columns]
    wide.insert(0, "合计（个）", wide.sum(axis=1))
    data = wide.reset_index().rename(columns={"campaign": "专项活动"})
    data.columns.name = None
    table = Table(typed_numbers(data), title=f"{OVERVIEW_TITLE}（数据）", source=src)
    return Chart(fig=fig, title=OVERVIEW_TITLE, source=src, data=table)


def headline(totals: pd.DataFrame) -> pd.DataFrame:
    """The Overview's headline figures from `q.metric_totals`: one row per metric and
    unit, in taxonomy order, with the value as a reader reads it (27 万元, 6,600 人)
    and a line on how it was made."""
    order = {m: i for i, m in enumerate(metric_ids())}
    rows = []
    for r in totals.itertuples():
        if not r.n:
            continue
        value = fmt_value(r.total, r.unit_class, r.unit, digits=2)   # 27 万元, 1.98 万亿元
        how = f"{int(r.n):,} 个数字相加（其中约数 {int(r.n_approx):,} 个）"
        if r.n_left_out:
            how += f"；另有 {int(r.n_left_out):,} 个未计入（重复、分项、人均、增减、计划、背景等）"
        how += "。" + q.how_summed([r.unit_class])
        rows.append((order.get(r.metric, len(order)), r.metric, metric_zh(r.metric), r.unit_class,
                     r.unit, float(r.total), value, how))
    cols = ["_order", "metric", "label", "unit_class", "unit", "total", "value", "how"]
    return (pd.DataFrame(rows, columns=cols).sort_values(["_order", "unit_class"])
            .drop(columns="_order").reset_index(drop=True))


def overview_queries(f: q.Filters, unit_class: str, dup: q.DupSource | None,
                     limit: int = 10) -> list[q.Query]:
    """Every query the Overview runs for the selection `f` (independent of each other,
    so the page can run them side by side)."""
    return [q.report_summary(f), q.overview_groups(f, dup), q.metric_totals(f, dup),
            sources_sql(f, reports_only=True),
            q.biggest(f, unit_class, TOTAL_UNIT.get(unit_class), limit, dup)]


def biggest_table(f: q.Filters, unit_class: str, run: Runner, dup: q.DupSource | None,
                  limit: int = 10) -> Table:
    """The Overview's "最大的数字": the largest figures of a class, repeats dropped."""
    unit = TOTAL_UNIT.get(unit_class)
    big = run(q.biggest(f, unit_class, unit, limit, dup))
    if dup is not None:     # repeated figures: keep the first copy
        big = big.assign(_k=big["dup_group"].fillna(big["claim_id"])).drop_duplicates("_k")
    big = big.head(limit)
    shown_unit = axis_unit(unit_class, unit)
    value_col = f"数值（{shown_unit}）" if shown_unit else "数值"
    df = pd.DataFrame({
        "数字": big["text"],
        value_col: big["value"].astype(float) / scale(unit_class),
        "计量单位": big["unit"],
        "近似": big["approx"].map(approx_zh),
        "主体": big["subject"].map(subject_zh),
        "句子": big["sentence"],
        "报告": big["report"],
        "日期": big["published"].fillna(""),
        "专项活动": big["campaign"],
        "单位": big["organisation"],
        "已更正": big["corrected"].map(lambda b: "✎ 已更正" if b else ""),
    })
    if shown_unit:
        df = df.drop(columns="计量单位")
    title = f"最大的数字：{unit_class_zh(unit_class)}"
    src = rows_source(pd.DataFrame({"report_id": big["report_id"], "name": big["report"],
                                    "org": big["organisation"], "published": big["published"]}),
                      filter_note(f))
    return Table(typed_numbers(df), title=title, source=src,
                 keys=big[["claim_id", "report_id"]].reset_index(drop=True))
