"""The app runs on its own packages (requirements.lock) alone: `make run` installs neither
the test packages nor the build tools, so nothing `etl run` or `etl extract` imports may
need a package only requirements-dev.lock pins (mypy, librt ...). A fresh interpreter in
which every such import fails, running from the Python source as a checkout without the
compiled build does, must still store and extract every figure. (Stop 29's main failed
this: literal_scan imported mypy_extensions, then in no lock of the app.)"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
from importlib.metadata import packages_distributions
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

# the modules of argv[1] (JSON), refused as if not installed, then `python -m etl ARGS`
_WITHOUT_BUILD_TOOLS = """
import importlib.abc, json, runpy, sys

BUILD_ONLY = set(json.loads(sys.argv.pop(1)))

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BUILD_ONLY:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
sys.argv = ["etl"] + sys.argv[1:]
runpy.run_module("etl", run_name="__main__")
"""


def _pinned(lock: str) -> set[str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {canonicalize_name(m) for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", text, re.M)}


def dev_only_modules() -> list[str]:
    """The top-level modules of the packages requirements-dev.lock pins and requirements.lock
    does not, as installed here."""
    dev_only = _pinned("requirements-dev.lock") - _pinned("requirements.lock")
    return sorted(m for m, dists in packages_distributions().items()
                  if any(canonicalize_name(d) in dev_only for d in dists))


def _etl(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, REPORT_FIGURES_PURE="1")
    return subprocess.run([sys.executable, "-c", _WITHOUT_BUILD_TOOLS, json.dumps(dev_only_modules()),
                           *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_dev_only_packages_are_known():
    mods = dev_only_modules()
    assert {"mypy", "librt", "pytest", "hypothesis"} <= set(mods), mods
    assert not {"duckdb", "jieba", "pyarrow", "mypy_extensions"} & set(mods), mods


def test_a_run_and_an_extract_need_no_build_tools(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    for p in CORPUS[:2]:
        (d / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "figures.duckdb"
    res = _etl("run", str(d), "--db", str(db), "--no-progress")
    assert res.returncode == 0, res.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = con.execute("SELECT status FROM run_files").fetchall()
        n = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        con.close()
    assert statuses == [("read",), ("read",)] and n > 50
    out = tmp_path / "claims.jsonl"
    res = _etl("extract", str(d), "-o", str(out))
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(out.read_text(encoding="utf-8").splitlines()) > 50
