"""Plotly figure builders: defined in etl/exports/charts.py (the command-line exports
draw the same figures) and re-exported here for the pages."""
from etl.exports.charts import *  # noqa: F401,F403
from etl.exports.charts import _finish, _labels, _row_header  # noqa: F401
