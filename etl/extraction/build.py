"""Compile the extraction modules with mypyc:  python -m etl.extraction.build [--force]

Writes etl/extraction/<module>.<abi>.so, the shared native__mypyc.<abi>.so beside them
and the manifest etl/extraction/native-build.json (the hashes of the sources they were built from). Does nothing
when the build is already current. Exit status 1 when it cannot build (no compiler,
no mypy, a type error): the Python source then runs, slower but the same.
See etl/extraction/native.py for when the compiled modules are used.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.machinery
import json
import os
import sys
import time

from . import native

ROOT = native.HERE.parent.parent
BUILD_DIR = ROOT / ".tmp" / "native-build"


def _remove_old() -> None:
    """A half-built set must never load: drop the manifest first, then the binaries."""
    native.MANIFEST.unlink(missing_ok=True)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for m in (*native.MODULES, "native__mypyc"):
        (native.HERE / f"{m}{suffix}").unlink(missing_ok=True)


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import Distribution

    digests = native.source_digests()
    _remove_old()
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    paths = [str((native.HERE / f"{m}.py").relative_to(ROOT)) for m in native.MODULES]
    with contextlib.chdir(ROOT):
        ext = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *paths],
                       opt_level="3", group_name=native.GROUP, target_dir=str(BUILD_DIR / "c"))
        # setup() minus its config files: pyproject.toml describes the package, not this build
        dist = Distribution({"name": "report-figures-native", "ext_modules": ext})
        dist.script_args = ["-q", "build_ext", "--inplace", "--parallel", str(os.cpu_count() or 1),
                            "--build-temp", str(BUILD_DIR / "obj"), "--build-lib", str(BUILD_DIR / "lib")]
        dist.parse_command_line()
        dist.run_commands()
    # the sources may not change during a build; if they did, the next make rebuilds
    if native.source_digests() == digests:
        native.MANIFEST.write_text(json.dumps(
            {"abi": native.abi_tag(), "sources": digests}, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when current")
    args = ap.parse_args(argv)
    ok, why = native.compiled_status()
    if ok and not args.force:
        return 0
    if os.environ.get(native.PURE_ENV, "") not in ("", "0") and not args.force:
        print(f"native build: {why}; not building", file=sys.stderr)
        return 0
    print(f"native build: compiling {len(native.MODULES)} modules with mypyc ({why or 'forced'})",
          file=sys.stderr)
    t = time.perf_counter()
    try:
        build()
    except BaseException as e:     # setup() raises SystemExit on a compiler error
        _remove_old()
        print(f"native build: not built ({type(e).__name__}: {e}); the Python source will run",
              file=sys.stderr)
        return 1
    print(f"native build: done in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
