"""pyarrow's first conversion of a Python list, without importing pandas.

`pa.array(a_list)` first asks whether the list is a pandas object, and pyarrow answers
that by importing pandas: 0.3–0.4 s of CPU, at the start of every `etl run` and in every
worker process, for a question whose answer is always no on the write path (it only
converts lists). `lists_without_pandas()` lets pyarrow's one look-up find no pandas, so
it records "no pandas" and converts lists straight away.

Only for processes that have not imported pandas and do not convert pandas objects (the
`etl run` command and its workers); a process that has (the dashboard, the tests) is left
as it is. pandas stays importable: pyarrow imports it again the moment a pandas feature
is asked for (`to_pandas`, `Table.from_pandas`). Until then `pa.array(a_series)` would
read a Series as a plain sequence (NaN not taken as null): hence only these processes.
"""
from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec


class _HidePandas:
    """A finder that fails the import of pandas (and only of pandas)."""

    @staticmethod
    def find_spec(name: str, path=None, target=None) -> ModuleSpec | None:
        if name == "pandas":
            raise ImportError("pandas is not looked up for converting lists")
        return None


def lists_without_pandas() -> bool:
    """Make pyarrow's pandas look-up come out empty, if it has not happened yet and
    pandas is not imported. True when pandas stays out of this process's conversions."""
    import pyarrow as pa

    if "pandas" in sys.modules:
        return False
    sys.meta_path.insert(0, _HidePandas)
    try:
        pa.array([], pa.string())      # the conversion that looks pandas up, once per process
    finally:
        sys.meta_path.remove(_HidePandas)
    return "pandas" not in sys.modules
