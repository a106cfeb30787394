"""Charts and tables out of the dashboard and the command line: PNG, SVG, PDF, CSV,
Excel, and a briefing pack (PowerPoint + Excel). No streamlit here.

  text      report text made safe for plotly titles/labels; file names
  charts    the plotly figure builders (pages/_charts.py re-exports them)
  model     Chart and Table: what an export is made from (figure or frame + title + source)
  render    figure -> PNG/SVG/PDF bytes with kaleido and ONE Chromium per process
  tables    frame -> CSV (UTF-8 with BOM) / Excel bytes; a workbook of many tables
  briefing  charts -> one 16:9 PowerPoint; charts' data and tables -> one workbook
  cli       `python -m etl export-chart` and `python -m etl briefing`

Which charts and tables the dashboard shows (the queries and titles) is in
pages/_figures.py; the command line builds its figures with the same code.
"""
