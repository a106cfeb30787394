"""Dashboard pages (registered with st.navigation in app.py) and their shared modules.

The queries, labels, charts and tables the pages show are etl/views/ (the command-line
exports draw from the same code); the pages import them directly. Modules starting with
an underscore are the Streamlit-side helpers, not pages:
  _config    where the store and uploads live (env vars, read on every run)
  _markdown  escaping report text for markdown and plotly (no streamlit)
  _access    who may write: REPORT_FIGURES_READONLY, st.login + REPORT_FIGURES_EDITORS
  _uploads   upload limits and safe file names; files go in through etl.pipeline
  _upload_worker  reading and extraction of an upload in a worker process, on a time budget
  _upload_warm    what that worker's fork server loads once (pipeline, segmenter dictionary)
  _data      the ONLY st.cache_resource / st.cache_data wrappers
  _ui        small streamlit pieces shared by pages (filters, empty states, details)
  _download  download buttons (PNG/SVG/PDF, CSV/Excel) and the briefing basket
"""
