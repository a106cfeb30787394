"""The dashboard's charts and tables as pure functions: defined in etl/exports/figures.py
(`python -m etl export-chart` / `briefing` build the same figures, and etl must not
depend on this package) and re-exported here, so the pages keep `pages._figures`.
Add new charts and tables there."""
from etl.exports.figures import *  # noqa: F401,F403
from etl.exports.figures import _bool, _list, _numbers, _scaled, _sources_sql, _tuple  # noqa: F401
