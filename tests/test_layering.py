"""Layering: etl/ (the pipeline, the store, the command line and its exports) never
depends on the dashboard. The pages import etl (pages._queries and pages._figures are
re-exports of etl/views/queries.py and etl/views/figures.py), never the other way round,
and nothing in etl imports streamlit."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_app_store import app_store

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("pages", "streamlit")


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return out


def test_no_module_under_etl_imports_pages_or_streamlit():
    bad = [f"{p.relative_to(ROOT)}:{line} imports {name}"
           for p in sorted((ROOT / "etl").rglob("*.py"))
           for line, name in _imports(p)
           if name.split(".")[0] in FORBIDDEN]
    assert not bad, bad


# A fresh interpreter: import the command line, run both commands, then report which
# modules got loaded (the commands import their dependencies lazily, when they run).
PROBE = r"""
import json, runpy, sys
import etl.exports.cli, etl.views.figures, etl.views.queries
for argv in ARGVS:
    sys.argv = ["etl"] + argv
    try:
        runpy.run_module("etl", run_name="__main__")
    except SystemExit as e:
        assert e.code in (0, None), (argv, e.code)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("pages", "streamlit"))))
"""


def test_the_command_line_loads_nothing_from_pages_nor_streamlit(tmp_path):
    db = str(app_store())
    spec = tmp_path / "spec.yaml"
    spec.write_text("items:\n  - {table: compare, metric_id: funds_disbursed}\n"
                    "  - {table: explore, class: [money]}\n", encoding="utf-8")
    argvs = [["export-chart", "--db", db, "--metric-id", "funds_disbursed", "--format", "json,csv",
              "--out", str(tmp_path / "chart")],
             ["briefing", "--db", db, "--spec", str(spec), "--out", str(tmp_path / "pack")]]
    code = f"ARGVS = {argvs!r}\n" + PROBE
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1]) == []
    assert sorted(p.suffix for p in (tmp_path / "chart").iterdir()) == [".csv", ".json"]
    assert [p.suffix for p in (tmp_path / "pack").iterdir()] == [".xlsx"]
