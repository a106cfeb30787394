"""Reading the store: one read-only query at a time, with bound parameters."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .connection import Connection

if TYPE_CHECKING:     # pandas is imported by duckdb when a frame is asked for; not at start-up
    import pandas as pd

_READ_ONLY_SQL = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*"
                            r"(select|with|from|values|table|describe|show|summarize|explain|pivot|unpivot)\b",
                            re.IGNORECASE | re.DOTALL)


class Reads(Connection):
    def query_df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run one read-only query (SELECT/WITH/...) with bound parameters."""
        if not _READ_ONLY_SQL.match(sql):
            raise ValueError("query_df runs read-only queries only (SELECT, WITH, FROM, DESCRIBE ...)")
        with self.reading() as con:
            return con.execute(sql, params).df() if params is not None else con.execute(sql).df()
    def counts(self) -> dict:
        with self.reading() as con:
            row = con.execute(
                "SELECT (SELECT count(*) FROM reports_effective), "
                "(SELECT count(*) FROM claims_effective WHERE is_claim), "
                "(SELECT count(*) FROM claims_effective), (SELECT count(*) FROM corrections), "
                "(SELECT count(*) FROM runs)").fetchone()
        return dict(zip(("reports", "claims", "mentions", "corrections", "runs"), row))
