"""Report Figures ETL: read reports, find every numeric mention, store the claims.

Pure Python; never imports streamlit. Entry point: `python -m etl --help`.
"""
