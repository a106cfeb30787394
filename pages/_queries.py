"""The dashboard's SQL: defined in etl/queries.py (the command-line exports run the same
queries, and etl must not depend on this package) and re-exported here, so the pages
keep `from pages import _queries as q`. Add new queries in etl/queries.py."""
from etl.queries import *  # noqa: F401,F403
from etl.queries import _contains, _fast_view, _ident, _in, _op, _source  # noqa: F401
