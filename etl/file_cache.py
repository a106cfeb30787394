"""Files parsed once and kept on disk as Python data, keyed by their content.

Parsing the rule files' YAML took about a fifth of a second at every start (PyYAML
builds every node in Python); unpickling the parsed data takes milliseconds. The key is
a hash of the file's bytes (reading 100 KB of YAML to hash it is cheap), so an edited
file, or another copy of the rules (REPORT_FIGURES_RULES), is parsed afresh and can
never be served stale data. Cache entries are disposable: a missing, unreadable or
unwritable cache only means parsing again.

What is kept (one sub-folder each): "rules", the rule files' parsed YAML (etl/rules.py);
"jieba", the segmenter's tables (etl/extraction/segmenter.py); "regex", the compiled
programs of the large regexes built at start (etl/regex_cache.py); "opencc", the
characters OpenCC's t2s changes (etl/extraction/normalize.py); "schema", a new store's
schema as one script (etl/store/schema.py); "dataclass", the compiled code of the methods
@dataclass writes (etl/dataclass_code.py).

The folder is REPORT_FIGURES_CACHE, else $XDG_CACHE_HOME/report-figures, else
~/.cache/report-figures (a temporary folder of this user's when there is no home).
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any, Callable

FORMAT = 1     # bump when what is cached changes shape
# Versions of one file kept side by side: two checkouts (or branches) with different
# rules, or two virtual environments' jieba, that share a cache folder would otherwise
# evict each other's entry at every start and pay the parse each time.
KEEP = 4


def cache_dir() -> Path:
    env = os.environ.get("REPORT_FIGURES_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "report-figures"
    home = Path.home() if "HOME" in os.environ else None
    if home is not None:
        return home / ".cache" / "report-figures"
    uid = os.getuid() if hasattr(os, "getuid") else "u"
    return Path(tempfile.gettempdir()) / f"report-figures-{uid}"


def parsed(data: bytes, kind: str, name: str, parse: Callable[[bytes], Any]) -> Any:
    """parse(data), from the cache when these exact bytes were parsed before.

    `kind` names the parser (a sub-folder: "rules"), `name` the file (for a reader of
    the folder); parse errors propagate and nothing is cached for them."""
    return built(kind, name, hashlib.sha1(data).hexdigest()[:20], lambda: parse(data))


def built(kind: str, name: str, key: str, build: Callable[[], Any]) -> Any:
    """build(), from the cache when it was built before under this `key` (which must
    change whenever what build() reads changes)."""
    entry = cache_dir() / kind / f"{name}.{key}.v{FORMAT}.pickle"
    try:
        with open(entry, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:       # a truncated or foreign entry: build again and overwrite it
        pass
    value = build()
    store(entry, value)
    return value


def store(entry: Path, value: Any) -> None:
    """Write an entry atomically (a reader never sees half a file); failures are ignored."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        _drop_old_versions(entry)
    except OSError:
        pass


def _drop_old_versions(entry: Path) -> None:
    """Keep the KEEP most recently written entries of entry's file (entry among them)."""
    stem = entry.name.split(".")[0]
    others = []
    for old in entry.parent.glob(f"{stem}.*.pickle"):
        if old != entry and old.name.split(".")[0] == stem:
            try:
                others.append((old.stat().st_mtime_ns, old))
            except OSError:
                continue
    for _, old in sorted(others, reverse=True)[KEEP - 1:]:
        old.unlink(missing_ok=True)
