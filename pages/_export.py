"""Downloads of what a table shows: CSV (UTF-8 with BOM, so Excel shows Chinese) and
Excel. Defined in etl/exports/tables.py (the command line and the briefing pack write
tables the same way) and re-exported here for the pages."""
from etl.exports.tables import (Sheet, _defuse_formulas, to_csv_bytes,  # noqa: F401
                                to_excel_bytes, workbook_bytes)
