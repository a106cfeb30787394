"""pytest collects the doctests in etl/. Modules running compiled (native.py) hide
their docstring examples from doctest, and pytest refuses a module whose file is not
the .py; tests/test_native_build.py runs those doctests on the source instead."""
from __future__ import annotations

from etl.extraction import BUILD, native


def pytest_ignore_collect(collection_path, config):
    if (BUILD.startswith("compiled") and collection_path.suffix == ".py"
            and collection_path.parent == native.HERE and collection_path.stem in native.MODULES):
        return True
    return None
