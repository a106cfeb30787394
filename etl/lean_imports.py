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

import os
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


def duckdb_without_metadata() -> bool:
    """Import duckdb with its package version read from its own METADATA file, instead
    of through importlib.metadata (imported for that one call: email, zipfile, csv and a
    search of every path entry, about 0.01 s of a one-file run's start). Only when
    neither is imported yet and exactly one duckdb dist-info lies beside the package;
    anything else duckdb asks of importlib.metadata meanwhile goes to the real module.
    True when duckdb was imported here without it."""
    import importlib.util
    import types

    if "duckdb" in sys.modules or "importlib.metadata" in sys.modules:
        return False
    spec = importlib.util.find_spec("duckdb")
    if spec is None or not spec.origin:
        return False
    site = os.path.dirname(os.path.dirname(spec.origin))
    try:
        infos = [e.path for e in os.scandir(site)
                 if e.name.startswith("duckdb-") and e.name.endswith(".dist-info")]
        if len(infos) != 1:
            return False
        with open(os.path.join(infos[0], "METADATA"), encoding="utf-8") as fh:
            found = [line[len("Version:"):].strip() for _, line in zip(range(20), fh)
                     if line.startswith("Version:")]
    except OSError:
        return False
    if not found:
        return False
    version_found = found[0]

    def real():
        sys.modules.pop("importlib.metadata", None)
        from importlib import metadata
        return metadata

    def version(name: str) -> str:
        return version_found if name == "duckdb" else real().version(name)

    stub = types.ModuleType("importlib.metadata")
    stub.version = version

    def other(attr: str):           # anything else asked of it: the real module's
        if attr.startswith("__"):   # what the import system looks for (__path__ …)
            raise AttributeError(attr)
        return getattr(real(), attr)

    stub.__getattr__ = other
    sys.modules["importlib.metadata"] = stub
    try:
        import duckdb  # noqa: F401
    finally:
        if sys.modules.get("importlib.metadata") is stub:
            del sys.modules["importlib.metadata"]
    return "importlib.metadata" not in sys.modules
