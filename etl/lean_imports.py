"""What an `etl run` process leaves out of its start: numpy, under pyarrow.

pyarrow takes numpy as optional (its C++ core converts lists, builds tables and writes
IPC streams without it) but imports it whenever it can: 0.11 s of CPU, a fifth of a
one-file run's start, for a library the run never calls. `pyarrow_without_numpy()`
imports pyarrow while numpy cannot be found, so pyarrow records "no numpy" and goes on.

Only for a process that will never hand pyarrow a numpy array: the `etl run` command
when it is the whole process (its worker processes fork from it). Not the dashboard, not
the tests, not `etl.cli.main(["run", ...])` called from other code, not `--dask` (pandas,
and with it numpy, is Dask's currency): pyarrow cannot take numpy up later, so its pandas
features would stay off. numpy itself stays importable for anything else. This sits
outside etl/store, whose package imports pyarrow the moment any of its modules is.
"""
from __future__ import annotations

import sys
from importlib.machinery import ModuleSpec


class _HideNumpy:
    """A finder that fails the import of numpy (and only of numpy)."""

    @staticmethod
    def find_spec(name: str, path=None, target=None) -> ModuleSpec | None:
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError("numpy is not loaded for converting lists")
        return None


def pyarrow_without_numpy() -> bool:
    """Import pyarrow without numpy, if neither is imported yet. True when pyarrow
    was imported here without it."""
    if "pyarrow" in sys.modules or "numpy" in sys.modules:
        return False
    sys.meta_path.insert(0, _HideNumpy)
    try:
        import pyarrow  # noqa: F401
    finally:
        sys.meta_path.remove(_HideNumpy)
    return "numpy" not in sys.modules
