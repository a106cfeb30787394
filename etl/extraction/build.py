"""Compile the extraction modules with mypyc:  python -m etl.extraction.build [--force] [--plain]

Writes etl/extraction/<module>.<abi>.so, the shared native__mypyc.<abi>.so beside them
and the manifest etl/extraction/native-build.json (the hashes of the sources they were
built from, and which kind of build it is). Does nothing when the build is already
current. Exit status 1 when it cannot build (no compiler, no mypy, a type error): the
Python source then runs, slower but the same.

With GCC the build is profile-guided: the C is compiled once with counters
(-fprofile-generate), a short training run extracts the bundled demo reports and the
golden sentences on that build in a scratch copy of the package, and the C is compiled
again with the counts (-fprofile-use), which keeps the code a figure runs through
together and moves the cold paths out of its way (bench/RESULTS.md, branch pgo17). When
any step of that fails, the plain build is made instead, never a half-trained one.
See etl/extraction/native.py for when the compiled modules are used.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from . import native

ROOT = native.HERE.parent.parent
BUILD_DIR = ROOT / ".tmp" / "native-build"
PROFILE_DIR = BUILD_DIR / "profile"
TRAIN_DIR = BUILD_DIR / "train"
TRAIN_TIMEOUT = 300     # seconds of wall time; the training takes about 10 s of CPU
TRAIN_PASSES = 3        # over the demo reports and golden sentences
# On every build, after mypyc's own flags (-O3 ...). The group's functions call one another
# and mypyc's runtime in the same library: hidden, those calls are direct (and can be
# inlined) instead of going through the PLT, 20,303 of its 45,390 calls; the modules reach
# the library through capsules, and PyInit_* stay exported (PyMODINIT_FUNC). -fno-plt: the
# calls into libpython load the address from the GOT instead of jumping through a stub.
COMMON_FLAGS: list[str] = ["-fvisibility=hidden", "-fno-plt"]
PGO_GENERATE = ["-fprofile-generate={dir}", "-fprofile-update=single"]
# partial-training: code the short training never reached is optimised as usual, not for size
PGO_USE = ["-fprofile-use={dir}", "-fprofile-partial-training", "-Wno-missing-profile"]
# REPORT_FIGURES_PGO_FAIL=train makes the training fail (tests: the plain build must follow)
FAIL_ENV = "REPORT_FIGURES_PGO_FAIL"


class TrainingFailed(Exception):
    pass


def _suffix() -> str:
    return importlib.machinery.EXTENSION_SUFFIXES[0]


def _remove_old() -> None:
    """A half-built set must never load: drop the manifest first, then the binaries."""
    native.MANIFEST.unlink(missing_ok=True)
    for m in (*native.MODULES, "native__mypyc"):
        (native.HERE / f"{m}{_suffix()}").unlink(missing_ok=True)


def _generate_c() -> list:
    """mypyc's C for the group, and the setuptools extensions that compile it."""
    from mypyc.build import mypycify

    paths = [str((native.HERE / f"{m}.py").relative_to(ROOT)) for m in native.MODULES]
    with contextlib.chdir(ROOT):
        return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *paths],
                        opt_level="3", group_name=native.GROUP, target_dir=str(BUILD_DIR / "c"))


def _compile(ext: list, lib: Path, cflags: list[str], ldflags: list[str]) -> Path:
    """Compile every extension into lib/ (not into the package); returns lib/etl/extraction."""
    from setuptools import Distribution

    saved = [(e.extra_compile_args, e.extra_link_args) for e in ext]
    for e in ext:
        e.extra_compile_args = [*e.extra_compile_args, *cflags]
        e.extra_link_args = [*e.extra_link_args, *ldflags]
    shutil.rmtree(lib, ignore_errors=True)
    try:
        with contextlib.chdir(ROOT):
            # setup() minus its config files: pyproject.toml describes the package, not this build
            dist = Distribution({"name": "report-figures-native", "ext_modules": ext})
            # --force: the same objects are compiled again with other flags (and the profile
            # is looked up by their paths, so they stay in one --build-temp)
            dist.script_args = ["-q", "build_ext", "--force", "--parallel", str(os.cpu_count() or 1),
                                "--build-temp", str(BUILD_DIR / "obj"), "--build-lib", str(lib)]
            dist.parse_command_line()
            dist.run_commands()
    finally:    # the same extensions are compiled again with other flags
        for e, (cargs, largs) in zip(ext, saved):
            e.extra_compile_args, e.extra_link_args = cargs, largs
    return lib / Path(*native.PACKAGE.split("."))


def _manifest(digests: dict[str, str], kind: str, flags: list[str], note: str = "") -> str:
    record: dict[str, object] = {"abi": native.abi_tag(), "sources": digests,
                                 "build": kind, "flags": flags}
    if note:
        record["note"] = note
    return json.dumps(record, indent=1)


def _install(built: Path, manifest: str, into: Path) -> None:
    """The binaries first, the manifest last: a copy cut short is never trusted."""
    (into / native.MANIFEST.name).unlink(missing_ok=True)
    for m in (*native.MODULES, "native__mypyc"):
        shutil.copy2(built / f"{m}{_suffix()}", into / f"{m}{_suffix()}")
    (into / native.MANIFEST.name).write_text(manifest, encoding="utf-8")


def uses_gcc() -> bool:
    """Whether the C compiler setuptools will call is GCC (the PGO flags are GCC's)."""
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    try:
        out = subprocess.run([*cc, "--version"], check=False, capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "Free Software Foundation" in out and "clang" not in out.lower()


def training_texts() -> list[str]:
    """The bundled demo reports and every golden sentence: what the training extracts.
    Never the bench corpus (not bundled; and the training must be short)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "corpus").iterdir())
             if p.suffix in (".txt", ".md")]
    golden = ROOT / "tests" / "golden" / "claims.yaml"
    if golden.exists():
        import yaml
        cases = yaml.safe_load(golden.read_text(encoding="utf-8"))
        texts += [c["text"] for section in cases.values() if isinstance(section, list)
                  for c in section if isinstance(c, dict) and isinstance(c.get("text"), str)]
    return texts


def train(texts_file: Path) -> int:
    """The training run (in a subprocess, on the instrumented build): extract every text
    TRAIN_PASSES times; exit status 1 unless the compiled build ran."""
    from . import BUILD
    if not BUILD.startswith("compiled") or os.environ.get(FAIL_ENV) == "train":
        print(f"native build: training ran on {BUILD}", file=sys.stderr)
        return 1
    from . import segmenter
    from .extract import extract_text
    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    segmenter.warm_up()
    mentions = 0
    for _ in range(TRAIN_PASSES):
        for i, t in enumerate(texts):
            mentions += len(extract_text(t, f"train{i}"))
    print(f"native build: training extracted {mentions:,} mentions from {len(texts)} texts",
          file=sys.stderr)
    return 0 if mentions else 1


def _run_training(instrumented: Path, manifest: str) -> None:
    """A scratch copy of the package with the instrumented build in it runs train();
    the live package never holds the instrumented build. Raises TrainingFailed."""
    shutil.rmtree(TRAIN_DIR, ignore_errors=True)
    shutil.copytree(ROOT / "etl", TRAIN_DIR / "etl",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", native.MANIFEST.name))
    _install(instrumented, manifest, TRAIN_DIR / Path(*native.PACKAGE.split(".")))
    texts = TRAIN_DIR / "texts.json"
    texts.write_text(json.dumps(training_texts(), ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != native.PURE_ENV}
    env.update(PYTHONPATH=str(TRAIN_DIR), PYTHONDONTWRITEBYTECODE="1",
               REPORT_FIGURES_RULES=str(ROOT / "data" / "rules"))
    try:
        res = subprocess.run([sys.executable, "-m", f"{native.PACKAGE}.build", "--train", str(texts)],
                             check=False, cwd=TRAIN_DIR, env=env, capture_output=True, text=True,
                             timeout=TRAIN_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as e:
        raise TrainingFailed(f"training did not run ({e})") from e
    if res.returncode != 0:
        raise TrainingFailed(f"training exited {res.returncode}: {res.stderr.strip()[-500:]}")
    print(res.stderr.strip(), file=sys.stderr)
    if not any(PROFILE_DIR.rglob("*.gcda")):
        raise TrainingFailed("training wrote no profile")


def _said(step: str, since: float) -> float:
    now = time.perf_counter()
    print(f"native build: {step} {now - since:.0f} s", file=sys.stderr)
    return now


def build(plain: bool = False) -> str:
    """Build and install; returns the kind of build installed ("pgo" or "plain")."""
    digests = native.source_digests()
    _remove_old()
    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    ext = _generate_c()
    kind, flags, note = "plain", list(COMMON_FLAGS), ""
    built: Path | None = None
    if plain:
        note = "--plain"
    elif not uses_gcc():
        note = "the C compiler is not GCC"
    else:
        shutil.rmtree(PROFILE_DIR, ignore_errors=True)
        gen = [f.format(dir=PROFILE_DIR) for f in PGO_GENERATE]
        use = [f.format(dir=PROFILE_DIR) for f in PGO_USE]
        try:
            t = time.perf_counter()
            instrumented = _compile(ext, BUILD_DIR / "lib-instrumented", [*COMMON_FLAGS, *gen], gen[:1])
            t = _said("instrumented compile", t)
            _run_training(instrumented, _manifest(digests, "pgo-training", [*COMMON_FLAGS, *gen]))
            t = _said("training", t)
            built = _compile(ext, BUILD_DIR / "lib", [*COMMON_FLAGS, *use], [])
            _said("compile with the profile", t)
            kind, flags = "pgo", [*COMMON_FLAGS, *use]
        # whatever goes wrong on this path, the plain build follows (setup() exits on a compiler error)
        except (Exception, SystemExit) as e:  # noqa: BLE001
            note = f"profile-guided build failed, plain instead ({type(e).__name__}: {e})"
            print(f"native build: {note}", file=sys.stderr)
        finally:
            shutil.rmtree(TRAIN_DIR, ignore_errors=True)
    if built is None:
        built = _compile(ext, BUILD_DIR / "lib", list(COMMON_FLAGS), [])
    # the sources may not change during a build; if they did, the next make rebuilds
    if native.source_digests() == digests:
        _install(built, _manifest(digests, kind, flags, note), native.HERE)
    return kind


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when current")
    ap.add_argument("--plain", action="store_true", help="no profile-guided optimisation")
    ap.add_argument("--train", metavar="TEXTS_JSON", help=argparse.SUPPRESS)   # build's own subprocess
    args = ap.parse_args(argv)
    if args.train:
        return train(Path(args.train))
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
        kind = build(plain=args.plain)
    except BaseException as e:     # setup() raises SystemExit on a compiler error
        _remove_old()
        print(f"native build: not built ({type(e).__name__}: {e}); the Python source will run",
              file=sys.stderr)
        return 1
    print(f"native build: {kind} build done in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
