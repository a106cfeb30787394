"""The 数字明细 page's table: every claim the filters select, with its fields in Chinese."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from etl.views import queries as q
from etl.views.labels import (approx_zh, fmt_value, level_zh, metric_evidence_zh, metric_zh,
                              subject_zh, unit_class_zh)
from etl.views.model import Table
from etl.views.sources import Runner, as_list, filter_note, rows_source


@dataclass(frozen=True)
class ExploreOptions:
    level: tuple = ()
    unit_class: tuple = ()
    approx: tuple = ()
    text: str = ""
    order: str = "published_desc"
    limit: int = 500
    everything: bool = False         # also non-claims
    metric: tuple = ()               # metric ids (NONE_LABEL: not assigned)

    def filters(self, base: q.Filters) -> q.Filters:
        return base.but(level=tuple(self.level), unit_class=tuple(self.unit_class),
                        approx=tuple(self.approx), metric=tuple(self.metric), text=self.text,
                        claims_only=not self.everything)


def claims_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Explore's rows with Chinese column names, as shown and downloaded."""
    return pd.DataFrame({
        "原文": rows["text"],
        "数值": [fmt_value(v, c, u) for v, c, u in zip(rows["value"], rows["unit_class"], rows["unit"])],
        "基本数值": rows["value"],
        "计量单位": rows["unit"],
        "类别": rows["unit_class"].map(lambda c: unit_class_zh(c) if isinstance(c, str) else ""),
        "近似": rows["approx"].map(approx_zh),
        "主体": rows["subject"].map(subject_zh),
        "指标": [metric_zh(m) if isinstance(m, str) else "" for m in rows["metric"]],
        "指标依据": [metric_evidence_zh(e, "metric" in as_list(k))
                 for e, k in zip(rows["metric_evidence"], rows["corrected_fields"])],
        "句子": rows["sentence"],
        "专项活动": rows["campaign"],
        "单位名称": rows["organisation"],
        "层级": rows["level"].map(level_zh),
        "年份": rows["year"].astype("Int64"),
        "日期": rows["published"],
        "报告": rows["title"].fillna(rows["doc"]),
        "已更正": rows["corrected"].map(lambda b: "✎" if b else ""),
    })


def claims_source(rows: pd.DataFrame, f: q.Filters) -> str:
    """The source line of Explore's rows (the reports of the rows shown)."""
    return rows_source(pd.DataFrame({"report_id": rows["report_id"],
                                     "name": rows["title"].fillna(rows["doc"]),
                                     "org": rows["organisation"], "published": rows["published"],
                                     "year": rows["year"]}), filter_note(f))


def explore_title(o: ExploreOptions) -> str:
    return "数字明细" + (f"：{o.text}" if o.text else "")


def explore_table(base: q.Filters, o: ExploreOptions, run: Runner) -> Table:
    f = o.filters(base)
    rows = run(q.explore(f, o.order, o.limit))
    return Table(claims_table(rows), title=explore_title(o), source=claims_source(rows, f))
