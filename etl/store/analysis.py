"""The checks' side of the store (etl/checks/): a scratch database for their joins, and
the results they save (findings, the claims each names, duplicate groups)."""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Iterator

import duckdb

from .connection import Connection, StoreBusy, is_lock_error, sql_path
from .schema import ident

if TYPE_CHECKING:     # pandas is imported by duckdb when a frame is asked for; not at start-up
    import pandas as pd


class Analysis(Connection):
    @contextmanager
    def analysis(self, *, threads: int | None = None) -> Iterator[Any]:
        """A private in-memory DuckDB for a multi-step analysis, with this store
        attached read-only as ``src`` (``main`` for a ":memory:" store). Copy what you
        need into TEMP tables, then call ``release()``: from then on the store file is
        free for writers while the joins run. Yields an object with

            src                        schema to read from: f"{a.src}.claims_effective"
            table(name, sql, params)   CREATE OR REPLACE TEMP TABLE name AS sql
            df(sql, params)            run a query, as a DataFrame
            register(name, frame)      expose a DataFrame / Arrow table as a view
            release()                  detach the store (no-op for ":memory:")

        Names passed to table/register must be plain identifiers; temp tables and
        registrations are dropped on exit.
        """
        own = not self.memory
        if own:
            if not self.path.exists():
                raise FileNotFoundError(f"store {self.path} does not exist yet; build it with "
                                        f"`python -m etl run` first")
            con = duckdb.connect(":memory:")
            ctx = None
        else:
            ctx = self._connection(write=True)
            con = ctx.__enter__()
        made: list[str] = []
        registered: list[str] = []
        attached = [False]
        try:
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            if own:
                deadline = time.monotonic() + self.lock_timeout
                while True:
                    try:
                        con.execute(f"ATTACH {sql_path(self.path)} AS src (READ_ONLY)")
                        break
                    except duckdb.Error as e:
                        if not is_lock_error(e) or time.monotonic() > deadline:
                            raise StoreBusy(f"store {self.path} is busy: {e}") from e
                        time.sleep(0.05)
                attached[0] = True

            def table(name: str, sql: str, params: list | None = None) -> None:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS {sql}",
                            params if params is not None else [])
                if name not in made:
                    made.append(name)

            def df(sql: str, params: list | None = None) -> pd.DataFrame:
                return con.execute(sql, params if params is not None else []).df()

            def register(name: str, frame: Any) -> None:
                ident(name)
                con.register(name, frame)
                registered.append(name)

            def release() -> None:
                if attached[0]:
                    con.execute("DETACH src")
                    attached[0] = False

            yield SimpleNamespace(src="src" if own else "main", table=table, df=df,
                                  register=register, release=release)
        finally:
            if own:
                con.close()
            else:
                for name in registered:
                    try:
                        con.unregister(name)
                    except duckdb.Error:
                        pass
                for name in made:
                    con.execute(f"DROP TABLE IF EXISTS temp.{ident(name)}")
                if threads:
                    con.execute("RESET threads")
                ctx.__exit__(None, None, None)

    def save_check_results(self, run: dict, findings: pd.DataFrame, finding_claims: pd.DataFrame,
                           groups: pd.DataFrame) -> None:
        """Replace the stored check results with one run's, in one transaction.

        run: run_id, started_at, finished_at, n_reports, n_claims, seconds, counts (dict),
        stats (dict), rules_version. findings: finding_id, type, severity, rule, detail,
        report_ids (list), data (JSON text). finding_claims: finding_id, pos, claim_id,
        report_id, doc, start, end, text, role. groups: claim_id, dup_group, dup_size,
        dup_primary."""
        f_cols = ["finding_id", "type", "severity", "rule", "detail", "report_ids", "data"]
        fc_cols = ["finding_id", "pos", "claim_id", "report_id", "doc", "start", "end", "text", "role"]
        g_cols = ["claim_id", "dup_group", "dup_size", "dup_primary"]
        views = {"_chk_findings": findings.reindex(columns=f_cols),
                 "_chk_finding_claims": finding_claims.reindex(columns=fc_cols),
                 "_chk_groups": groups.reindex(columns=g_cols)}
        rid = run["run_id"]
        with self.writing() as con:
            for name, frame in views.items():
                con.register(name, frame)
            try:
                con.execute("DELETE FROM finding_claims")
                con.execute("DELETE FROM findings")
                con.execute("DELETE FROM figure_groups")
                con.execute("INSERT INTO findings SELECT finding_id, ? AS run_id, type, severity, rule, "
                            "detail, CAST(report_ids AS VARCHAR[]), CAST(data AS JSON) FROM _chk_findings", [rid])
                con.execute('INSERT INTO finding_claims SELECT finding_id, CAST(pos AS INTEGER), claim_id, '
                            'report_id, doc, CAST(start AS INTEGER), CAST("end" AS INTEGER), text, role '
                            'FROM _chk_finding_claims')
                con.execute("INSERT INTO figure_groups SELECT claim_id, dup_group, CAST(dup_size AS INTEGER), "
                            "CAST(dup_primary AS BOOLEAN), ? FROM _chk_groups", [rid])
                con.execute("INSERT OR REPLACE INTO check_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [rid, run.get("started_at"), run.get("finished_at"), run.get("n_reports"),
                             run.get("n_claims"), len(findings),
                             json.dumps(run.get("counts") or {}, ensure_ascii=False),
                             json.dumps(run.get("stats") or {}, ensure_ascii=False, default=str),
                             run.get("seconds"), run.get("rules_version")])
            finally:
                for name in views:
                    con.unregister(name)
