"""Charts and tables out of the dashboard and the command line: PNG, SVG, PDF, CSV,
Excel, and a briefing pack (PowerPoint + Excel). No streamlit here.

  text      report text made safe for plotly titles/labels; file names
  charts    the plotly figure builders (pages/_charts.py re-exports them)
  model     Chart and Table: what an export is made from (figure or frame + title + source)
  render    figure -> PNG/SVG/PDF bytes with kaleido and ONE Chromium per process
  tables    frame -> CSV (UTF-8 with BOM) / Excel bytes; a workbook of many tables
  briefing  charts -> one 16:9 PowerPoint; charts' data and tables -> one workbook
  figures   which charts and tables the dashboard shows: filters + options -> Chart/Table
            (the SQL is etl/queries.py); the pages re-export it as pages._figures
  cli       `python -m etl export-chart` and `python -m etl briefing`

The command line builds its figures with the same code as the pages; nothing here
imports the pages package or streamlit (tests/test_layering.py).
"""
