"""Report Figures ETL: read reports, find every numeric mention, store the claims.

Python (the extraction modules may run compiled: see etl/native.py); never imports
streamlit. Entry point: `python -m etl --help`.
"""
from . import native

# decided before any extraction module is imported
BUILD = native.select()
