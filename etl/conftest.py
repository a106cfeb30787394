"""pytest collects the doctests in etl/. Modules running compiled (etl/native.py) hide
their docstring examples from doctest, and pytest refuses a module whose file is not
the .py; tests/test_native_build.py runs those doctests on the source instead."""
from __future__ import annotations

import etl
from etl import native


def pytest_ignore_collect(collection_path, config):
    if (etl.BUILD.startswith("compiled") and collection_path.suffix == ".py"
            and collection_path.parent == native.ETL and collection_path.stem in native.MODULES):
        return True
    return None
