"""Charts and tables as files: PNG, SVG, PDF, CSV, Excel, and a briefing pack
(PowerPoint + Excel). No streamlit here. What to draw comes from etl/views/ (Chart and
Table, the same objects the pages show).

  render    figure -> PNG/SVG/PDF bytes with kaleido and ONE Chromium per process
  pdf_text  a PDF's text layer as written (金, not the Kangxi radical ⾦ Chromium names)
  tables    frame -> CSV (UTF-8 with BOM) / Excel bytes; a workbook of many tables
  briefing  charts -> one 16:9 PowerPoint; charts' data and tables -> one workbook
  charts    `export-chart` and `briefing` for the command line (etl/cli.py)

Nothing here imports the pages package or streamlit (tests/test_layering.py).
"""
