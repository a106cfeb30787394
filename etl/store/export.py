"""The store written out for other tools: Parquet (claims by campaign and year) and CSV.

The CSVs are for spreadsheets, so a text cell that a spreadsheet would run as a formula
(=, +, -, @ first) gets a leading apostrophe, by the rule the dashboard's downloads use
(etl.views.text.FORMULA_START); the Parquet files keep the text exactly as stored.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from etl.views.text import FORMULA_START

from .connection import Connection, sql_path

# What a previous export leaves in its folder: only such a folder is written over
# without force (its claims/ folder is replaced whole).
EXPORT_NAMES = frozenset({"claims", "reports.parquet", "corrections.parquet",
                          "report_edits.parquet", "claims.csv", "reports.csv"})


class ExportRefused(Exception):
    """The output folder holds files that are not a previous export."""


def check_out_dir(out: Path) -> None:
    """Refuse a non-empty folder that is not a previous export: its files would be
    replaced or, for claims/, deleted."""
    if not out.exists():
        return
    if not out.is_dir():
        raise NotADirectoryError(f"the output is not a folder: {out.name}")
    other = sorted(p.name for p in out.iterdir()
                   if p.name not in EXPORT_NAMES and not p.name.startswith(".export-tmp-"))
    if other:
        shown = "、".join(other[:3]) + (" …" if len(other) > 3 else "")
        raise ExportRefused(
            f"输出文件夹不是空的，也不是之前的导出（{shown}）；请换一个文件夹，或加 --force 覆盖 / "
            "the output folder is not empty and not a previous export: use another folder, "
            "or --force")


class Export(Connection):
    def export(self, out_dir: str | Path, force: bool = False) -> dict[str, Path]:
        """Write the store for other tools (corrections applied):

        - claims/          Parquet, hive-partitioned campaign=.../year=... ('__none__' for
                           NULL; both keys are text so pandas/pyarrow can read it back)
        - reports.parquet, corrections.parquet (reports as edited by users, deleted ones
                           left out, like their claims), report_edits.parquet (the
                           audit of those edits, deletions and restores)
        - claims.csv, reports.csv   UTF-8 with BOM so Excel shows Chinese (reports.csv
                           leaves out the full text: Excel cells stop at 32,767 chars);
                           formula-like text cells start with an apostrophe

        Everything is written into a temporary folder inside out_dir first, then moved
        into place, so a failed export never leaves half-written files behind. A folder
        holding anything but a previous export is refused (ExportRefused) unless `force`.
        """
        out = Path(out_dir)
        if not force:
            check_out_dir(out)
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / f".export-tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            (tmp / "claims").mkdir()
            with self.reading() as con:
                con.execute(
                    "COPY (SELECT * EXCLUDE (campaign, year), "
                    "coalesce(campaign, '__none__') AS campaign, "
                    "coalesce(CAST(year AS VARCHAR), '__none__') AS year "
                    f"FROM claims_effective ORDER BY report_id, start) TO {sql_path(tmp / 'claims')} "
                    "(FORMAT parquet, PARTITION_BY (campaign, year), OVERWRITE_OR_IGNORE)")
                con.execute("COPY (SELECT * EXCLUDE (content_sig) FROM reports_effective ORDER BY report_id) "
                            f"TO {sql_path(tmp / 'reports.parquet')} (FORMAT parquet)")
                con.execute("COPY (SELECT * FROM corrections ORDER BY id) "
                            f"TO {sql_path(tmp / 'corrections.parquet')} (FORMAT parquet)")
                con.execute("COPY (SELECT * FROM report_edits ORDER BY id) "
                            f"TO {sql_path(tmp / 'report_edits.parquet')} (FORMAT parquet)")
                claims = "SELECT * FROM claims_effective"
                con.execute(f"COPY (SELECT {_defused_columns(con, claims)} FROM ({claims}) "
                            f"ORDER BY report_id, start) TO {sql_path(tmp / 'claims.plain.csv')} (HEADER)")
                reports = "SELECT * EXCLUDE (text, content_sig) FROM reports_effective"
                con.execute(f"COPY (SELECT {_defused_columns(con, reports)} FROM ({reports}) "
                            f"ORDER BY report_id) TO {sql_path(tmp / 'reports.plain.csv')} (HEADER)")
            for name in ("claims", "reports"):
                _add_bom(tmp / f"{name}.plain.csv", tmp / f"{name}.csv")
            written: dict[str, Path] = {}
            for name in ("reports.parquet", "corrections.parquet", "report_edits.parquet",
                         "claims.csv", "reports.csv"):
                os.replace(tmp / name, out / name)
                written[name] = out / name
            old = tmp / "claims.old"
            if (out / "claims").exists():
                os.replace(out / "claims", old)
            os.replace(tmp / "claims", out / "claims")
            written["claims"] = out / "claims"
            return {"claims": written.pop("claims"), **written}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _defused_columns(con, select: str) -> str:
    """The select list of `select`'s columns, names and order unchanged, with each text
    column made spreadsheet-safe: an apostrophe before a formula-like first character."""
    starts = ", ".join(_literal(c) for c in FORMULA_START)
    out = []
    for name, typ, *_ in con.execute(f"DESCRIBE {select}").fetchall():
        col = '"' + name.replace('"', '""') + '"'
        if typ == "VARCHAR":
            out.append(f"CASE WHEN left({col}, 1) IN ({starts}) THEN {_literal(chr(39))} || {col} "
                       f"ELSE {col} END AS {col}")
        else:
            out.append(col)
    return ", ".join(out)


def _literal(s: str) -> str:
    """A SQL string literal (the characters are the fixed FORMULA_START ones)."""
    return "'" + s.replace("'", "''") + "'"


def _add_bom(src: Path, dst: Path) -> None:
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        fo.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(fi, fo, 1 << 20)
    src.unlink()
