"""The compiled (mypyc) build of the extraction modules: the same claims as the Python
source, and never used once a source has changed since it was built (etl/extraction/native.py)."""
from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from etl.extraction import build as build_mod
from etl.extraction import native

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
COMPILED, WHY = native.compiled_status()

# CI's `make test` must have built it; `make test-python` (another Python, from source)
# says so with REPORT_FIGURES_PURE=1
needs_build = pytest.mark.skipif(
    not COMPILED and (not os.environ.get("CI") or bool(os.environ.get(native.PURE_ENV))),
    reason=f"compiled build not in use here: {WHY} (make test builds it)")


def _run(args, env_extra=None, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k != native.PURE_ENV}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=600)


def _golden_sentences(path: Path) -> Path:
    """Every sentence of the golden cases, traditional ones included, in one file."""
    cases = yaml.safe_load((ROOT / "tests" / "golden" / "claims.yaml").read_text(encoding="utf-8"))
    texts = [c["text"] for section in cases.values() if isinstance(section, list) for c in section]
    path.write_text("\n".join(texts), encoding="utf-8")
    return path


@needs_build
def test_ci_runs_the_compiled_build():
    assert COMPILED, f"make test should have built the compiled modules: {WHY}"
    build = _run(["-c", "import etl.extraction as x; print(x.BUILD)"]).stdout.strip()
    assert build.startswith("compiled (mypyc")
    if os.environ.get("CI") and build_mod.uses_gcc():
        # with GCC the build is profile-guided unless its training failed (build.py)
        assert build == "compiled (mypyc, profile-guided)", json.loads(native.MANIFEST.read_text())


@needs_build
def test_compiled_and_source_find_the_same_claims(tmp_path):
    files = [*CORPUS, _golden_sentences(tmp_path / "golden.txt")]
    outs = {}
    for build, env in (("compiled", None), ("source", {native.PURE_ENV: "1"})):
        out = tmp_path / f"{build}.jsonl"
        res = _run(["-m", "etl", "extract", *map(str, files), "-o", str(out)], env)
        assert res.returncode == 0, res.stderr
        outs[build] = out.read_text(encoding="utf-8")
    assert outs["compiled"].count("\n") > 500
    assert outs["compiled"] == outs["source"]


@needs_build
def test_an_edited_source_makes_the_whole_set_load_from_source(tmp_path):
    copy = tmp_path / "etl"
    shutil.copytree(ROOT / "etl", copy, ignore=shutil.ignore_patterns("__pycache__"))
    probe = ["-c", "import etl.extraction.extract, etl.extraction.subjects; print(etl.extraction.BUILD); "
             "print(etl.extraction.extract.__file__); print(etl.extraction.subjects.__file__)"]
    env = {"PYTHONPATH": str(tmp_path), "REPORT_FIGURES_RULES": str(ROOT / "data" / "rules")}
    build, *files = _run(probe, env, cwd=tmp_path).stdout.split("\n")[:3]
    assert build == native.select()
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    assert all(f.endswith(suffix) for f in files)

    with open(copy / "extraction" / "subjects.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit after the build\n")
    res = _run(probe, env, cwd=tmp_path)
    build, *files = res.stdout.split("\n")[:3]
    assert build.startswith("Python source (sources changed since the build (subjects)"), res.stderr
    # the unedited modules load from source too: compiled code would call the old subjects
    assert all(f.endswith(".py") for f in files)


def test_without_a_manifest_the_source_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "MANIFEST", tmp_path / "absent.json")
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    assert native.compiled_status() == (False, "not built (make builds it)")
    monkeypatch.setenv(native.PURE_ENV, "1")
    assert native.compiled_status() == (False, f"{native.PURE_ENV} is set")


def test_doctests_of_the_compiled_modules_hold_on_the_source():
    """pytest skips these modules' doctests when they run compiled (etl/extraction/conftest.py)."""
    code = ("import doctest, importlib, etl.extraction.native as n\n"
            "r = [doctest.testmod(importlib.import_module('etl.extraction.' + m)) for m in n.MODULES]\n"
            "print(sum(x.attempted for x in r), sum(x.failed for x in r))")
    res = _run(["-c", code], {native.PURE_ENV: "1"})
    attempted, failed = map(int, res.stdout.split())
    assert attempted >= 25 and failed == 0, res.stdout + res.stderr
