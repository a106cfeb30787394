"""Which build of the extraction modules runs: compiled by mypyc, or the Python source.

`make` compiles the modules every mention passes through (`MODULES`) with mypyc
(`python -m etl.extraction.build`, profile-guided with GCC; the manifest says which kind
of build, `build_kind()`), which makes extraction about 1.5 times as fast; the
source stays the truth and runs whenever the compiled build cannot be trusted:

- no build (no C compiler, a fresh checkout before `make`), or
- any of those sources edited since the build (the manifest records their hashes), or
- REPORT_FIGURES_PURE=1 in the environment (profilers and debuggers see Python frames).

The compiled modules call one another directly, not through their Python module
objects, so they are used all together or not at all.
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent      # etl/extraction
PACKAGE = __name__.rpartition(".")[0]       # "etl.extraction"
MANIFEST = HERE / "native-build.json"
GROUP = f"{PACKAGE}.native"   # the shared library is etl/extraction/native__mypyc.<abi>.so
MODULES = ("numerals", "normalize", "text_spans", "word_table", "segmenter", "scanner", "classify",
           "subject_words", "phrases", "subject_features", "subjects", "qualifiers",
           "metrics", "roles", "tables", "extract", "claim_columns", "claim_record",
           "literal_scan", "claim_jsonl", "arrow_buffers", "arrow_message", "soft_breaks")
PURE_ENV = "REPORT_FIGURES_PURE"


def source_digests() -> dict[str, str]:
    return {m: hashlib.sha256((HERE / f"{m}.py").read_bytes()).hexdigest() for m in MODULES}


def abi_tag() -> str:
    return sys.implementation.cache_tag or ""


def build_kind() -> str:
    """How the build in place was made, from its manifest: "pgo" (profile-guided, the
    default with GCC), "plain", or "" when there is none (etl/extraction/build.py)."""
    try:
        kind = json.loads(MANIFEST.read_text(encoding="utf-8")).get("build", "plain")
    except (OSError, ValueError, AttributeError):
        return ""
    return kind if isinstance(kind, str) else ""


def compiled_status() -> tuple[bool, str]:
    """(usable, why not): whether the compiled modules match the sources as they are."""
    if os.environ.get(PURE_ENV, "") not in ("", "0"):
        return False, f"{PURE_ENV} is set"
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False, "not built (make builds it)"
    except (OSError, ValueError) as e:
        return False, f"unreadable build manifest ({e})"
    if not isinstance(manifest, dict):
        return False, "unreadable build manifest (not a JSON object)"
    if manifest.get("abi") != abi_tag():
        return False, f"built for {manifest.get('abi')}, running {abi_tag()}"
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    missing = [m for m in MODULES if not (HERE / f"{m}{suffix}").exists()]
    if missing or not (HERE / f"native__mypyc{suffix}").exists():
        return False, f"compiled files missing ({', '.join(missing) or 'native__mypyc'})"
    stale = [m for m, d in source_digests().items() if manifest.get("sources", {}).get(m) != d]
    if stale:
        return False, f"sources changed since the build ({', '.join(stale)}); run make"
    return True, ""


class _SourceFirst:
    """Import finder that loads the listed extraction modules from their .py files,
    ahead of the compiled extensions the standard finder would pick."""

    def find_spec(self, fullname, path=None, target=None):
        pkg, _, name = fullname.rpartition(".")
        if pkg != PACKAGE or name not in MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, HERE / f"{name}.py")


def compiled_in_use() -> bool:
    """Whether this process runs the compiled MODULES (select() has decided, as the
    package's import does before any of them is imported)."""
    return not any(isinstance(f, _SourceFirst) for f in sys.meta_path)


def select() -> str:
    """Decide once per process, before any of MODULES is imported; returns a line for
    logs and benchmarks."""
    ok, why = compiled_status()
    if ok:
        return "compiled (mypyc, profile-guided)" if build_kind() == "pgo" else "compiled (mypyc)"
    if compiled_in_use():          # not yet turned to the source (select runs once or more)
        sys.meta_path.insert(0, _SourceFirst())
    return f"Python source ({why})"
