"""Dashboard pages (registered with st.navigation in app.py) and their shared modules.

Modules starting with an underscore are helpers, not pages:
  _config    where the store and uploads live (env vars, read on every run)
  _labels    Chinese names for codes, number formatting (no streamlit)
  _markdown  escaping report text for markdown and plotly (no streamlit)
  _access    who may write: REPORT_FIGURES_READONLY, st.login + REPORT_FIGURES_EDITORS
  _queries   SQL builders: filters -> (sql, params) (defined in etl/queries.py)
  _charts    plotly figure builders (no streamlit; defined in etl/exports/charts.py)
  _figures   each chart and table the pages show, built from filters + a query runner
             (defined in etl/exports/figures.py: `python -m etl export-chart` / `briefing`
             use it too, and etl never imports this package)
  _export    CSV / Excel bytes (etl/exports/tables.py)
  _uploads   upload checks and safe file names (no streamlit)
  _data      the ONLY st.cache_resource / st.cache_data wrappers
  _ui        small streamlit pieces shared by pages (filters, empty states, details)
  _download  download buttons (PNG/SVG/PDF, CSV/Excel) and the briefing basket
"""
