"""pyproject.toml, the requirements files and the lock files say the same thing
(issue 21): the requirements files list pyproject's dependencies and extras, and every
version the lock files pin is one pyproject allows."""
from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_lines(name: str) -> set[str]:
    """The requirements of a requirements file (comments and -r lines left out), normalised."""
    out = set()
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.add(str(Requirement(line)))
    return out


def normalised(reqs: list[str]) -> set[str]:
    return {str(Requirement(r)) for r in reqs}


def pins(name: str) -> dict[str, list[Version]]:
    """name -> the versions a lock file pins (several where markers split by platform)."""
    out: dict[str, list[Version]] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", line)
        if m:
            out.setdefault(canonicalize_name(m[1]), []).append(Version(m[2]))
    return out


def test_requirements_files_list_what_pyproject_declares():
    extras = PROJECT["optional-dependencies"]
    assert requirement_lines("requirements.txt") == normalised(PROJECT["dependencies"])
    assert requirement_lines("requirements-dev.txt") == normalised(extras["dev"] + extras["scale"])
    assert requirement_lines("requirements-native.txt") == normalised(extras["build"])


def test_every_locked_version_is_one_pyproject_allows():
    app, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    extras = [r for group in PROJECT["optional-dependencies"].values() for r in group]
    for lock, reqs in ((app, PROJECT["dependencies"]), (dev, PROJECT["dependencies"] + extras)):
        for r in map(Requirement, reqs):
            name = canonicalize_name(r.name)
            assert name in lock, f"{name} is not in the lock"
            for v in lock[name]:
                assert r.specifier.contains(v, prereleases=True), f"{name} {v} outside {r.specifier}"
    for name, versions in app.items():        # the dev lock adds packages, never changes one
        assert dev.get(name) == versions, name


def test_the_light_install_has_no_minhash_library_nor_scipy_nor_build_tools():
    app = pins("requirements.lock")
    assert not {"datasketch", "scipy", "mypy", "dask", "distributed", "pytest"} & set(app)


def test_the_console_command_is_the_cli():
    module, func = PROJECT["scripts"]["report-figures"].split(":")
    assert getattr(importlib.import_module(module), func).__module__ == "etl.cli"
