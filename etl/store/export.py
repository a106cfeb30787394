"""The store written out for other tools: Parquet (claims by campaign and year) and CSV."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from .connection import Connection, sql_path


class Export(Connection):
    def export(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the store for other tools (corrections applied):

        - claims/          Parquet, hive-partitioned campaign=.../year=... ('__none__' for
                           NULL; both keys are text so pandas/pyarrow can read it back)
        - reports.parquet, corrections.parquet (reports as edited by users, deleted ones
                           left out, like their claims), report_edits.parquet (the
                           audit of those edits, deletions and restores)
        - claims.csv, reports.csv   UTF-8 with BOM so Excel shows Chinese (reports.csv
                           leaves out the full text: Excel cells stop at 32,767 chars)

        Everything is written into a temporary folder inside out_dir first, then moved
        into place, so a failed export never leaves half-written files behind.
        """
        out = Path(out_dir)
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
                con.execute("COPY (SELECT * FROM claims_effective ORDER BY report_id, start) "
                            f"TO {sql_path(tmp / 'claims.plain.csv')} (HEADER)")
                con.execute("COPY (SELECT * EXCLUDE (text, content_sig) FROM reports_effective ORDER BY report_id) "
                            f"TO {sql_path(tmp / 'reports.plain.csv')} (HEADER)")
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


def _add_bom(src: Path, dst: Path) -> None:
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        fo.write(b"\xef\xbb\xbf")
        shutil.copyfileobj(fi, fo, 1 << 20)
    src.unlink()
