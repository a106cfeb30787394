"""What an export is made from. The dashboard and the command line build these with
the same code (etl/views/items.py and the page modules), then hand them to render/tables/briefing."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from etl.views.text import safe_filename


@dataclass
class Table:
    """A table as shown: column headers carry the units ("金额（万元）"), numbers are
    numbers. `title` and `source` are plain text (escaped by whoever draws them)."""
    df: pd.DataFrame
    title: str
    source: str = ""
    sheet: str = ""             # preferred sheet name (default: from the title)
    # on screen only (never exported): claim_id and report_id of each row, in order,
    # so a row click can open the figure in its report
    keys: pd.DataFrame | None = None

    @property
    def name(self) -> str:
        return safe_filename(self.title, "表格")


@dataclass
class Chart:
    """A chart as shown: the plotly figure (title, units and source line inside it),
    its data as a table, and what the page says about it."""
    fig: go.Figure
    title: str                  # plain text (the figure holds it plotly-escaped)
    source: str                 # plain text; may hold a newline
    data: Table | None = None
    notes: list[str] = field(default_factory=list)   # captions under the chart on screen
    # for a chart of sums: every figure behind it, counted or left out and why
    ledger: Table | None = None

    @property
    def name(self) -> str:
        return safe_filename(self.title, "图表")
