"""Layering: etl/ (the pipeline, the store, the command line and its exports) never
depends on the dashboard. The pages import etl (the views in etl/views/), never the
other way round, nothing in etl imports streamlit, and no two etl modules import each
other, directly or round a longer loop."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

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
import etl.cli, etl.views.items, etl.views.queries
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
    assert sorted(p.suffix for p in (tmp_path / "pack").iterdir()) == [".pptx", ".xlsx"]   # table slides


def _etl_modules() -> dict[str, Path]:
    mods = {}
    for p in (ROOT / "etl").rglob("*.py"):
        parts = p.relative_to(ROOT).with_suffix("").parts
        mods[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return mods


def _import_graph() -> dict[str, set[str]]:
    """etl module -> the etl modules it imports anywhere (top level or inside a function)."""
    mods = _etl_modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                mod = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
            else:
                continue
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                # a module importing its own package (for a sibling) is not a dependency
                if t and t != name and not name.startswith(t + "."):
                    graph[name].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_among_etl_modules():
    graph = _import_graph()
    assert "etl.extraction.extract" in graph["etl.pipeline"]      # the graph sees lazy imports
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]

