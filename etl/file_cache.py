"""Files parsed once and kept on disk as Python data, keyed by their content.

Parsing the rule files' YAML took about a fifth of a second at every start (PyYAML
builds every node in Python); unpickling the parsed data takes milliseconds. The key is
a hash of the file's bytes (reading 100 KB of YAML to hash it is cheap), so an edited
file, or another copy of the rules (REPORT_FIGURES_RULES), is parsed afresh and can
never be served stale data. Cache entries are disposable: a missing, unreadable or
unwritable cache only means parsing again.

What is kept (one sub-folder each): "rules", the rule files' parsed YAML (etl/rules.py);
"jieba", the segmenter's tables (etl/extraction/segmenter.py; `mapped` entries: an
index, and bytes read from the file as they are needed; and the dictionary as one table
of bytes, etl/extraction/word_table.py); "regex", the compiled
programs of the large regexes built at start (etl/regex_cache.py); "opencc", the
characters OpenCC's t2s changes (etl/extraction/normalize.py); "schema", a new store's
schema as one script (etl/store/schema.py); "dataclass", the compiled code of the methods
@dataclass writes (etl/dataclass_code.py); "regex_programs", every pattern a command
compiles (etl/regex_programs.py).

The folder is REPORT_FIGURES_CACHE, else $XDG_CACHE_HOME/report-figures, else
~/.cache/report-figures (a temporary folder of this user's when there is no home).
"""
from __future__ import annotations

import hashlib
import marshal
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


def mapped(kind: str, name: str, key: str, build: Callable[[], tuple[Any, bytes]]) -> tuple[Any, Any, int]:
    """(head, blob, base) for a build() of (head, blob): the head (small Python data)
    unpickled, the blob mapped from the entry (mmap: only the pages read are read, so a
    start that needs a little of a large blob pays for that little), its bytes starting
    at `base` in it. The blob as bytes where a file cannot be mapped. An entry is the
    lengths of the pickled head and of the blob (8 bytes each), the head, the blob; like
    every entry it is written whole and replaced, never changed in place, so a mapping
    stays valid for the life of the process."""
    entry = cache_dir() / kind / f"{name}.{key}.v{FORMAT}.mapped.pickle"
    try:
        with open(entry, "rb") as fh:
            lengths = fh.read(16)
            n, m = int.from_bytes(lengths[:8], "little"), int.from_bytes(lengths[8:], "little")
            head = pickle.loads(fh.read(n))
            if os.fstat(fh.fileno()).st_size != 16 + n + m:
                raise ValueError("a truncated entry")
            try:
                import mmap
                return head, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ), 16 + n
            except (OSError, ValueError):   # no mapping here: the blob as bytes
                return head, fh.read(), 0
    except Exception:       # missing, truncated or foreign: build again and overwrite it
        pass
    head, blob = build()
    data = pickle.dumps(head, protocol=pickle.HIGHEST_PROTOCOL)
    store_bytes(entry, [len(data).to_bytes(8, "little"), len(blob).to_bytes(8, "little"), data, blob])
    return head, blob, 0


def load_table(entry: Path, into: dict) -> int:
    """Add the table save_table kept at `entry` to `into`; how many items it held (0 when
    the entry is missing, damaged or not a table: the caller builds them again). marshal's
    format is this Python's own, so `entry` must name the Python (etl/regex_programs.py,
    etl/dataclass_code.py)."""
    try:
        with open(entry, "rb") as fh:
            table = marshal.loads(pickle.load(fh))
    except Exception:       # noqa: BLE001 - missing, truncated or foreign: build as before
        return 0
    if not isinstance(table, dict):
        return 0
    into.update(table)
    return len(table)


def save_table(entry: Path, table: dict, used: set, *, max_items: int | None = None,
               max_bytes: int | None = None) -> None:
    """Keep `table` (code objects, bytes, tuples: what marshal writes, several times faster
    to read than pickle's objects) for load_table. Past `max_items` items or `max_bytes`
    marshalled, only the keys this process `used` (edited sources leave old keys behind);
    nothing when a value cannot be marshalled."""
    if max_items is not None and len(table) > max_items:
        table = {k: table[k] for k in used if k in table}
    try:
        data = marshal.dumps(table)
        if max_bytes is not None and len(data) > max_bytes:
            data = marshal.dumps({k: table[k] for k in used if k in table})
    except ValueError:
        return
    store(entry, data)


def store(entry: Path, value: Any) -> None:
    """Write an entry atomically (a reader never sees half a file); failures are ignored."""
    store_bytes(entry, [pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)])


def store_bytes(entry: Path, pieces: list[bytes]) -> None:
    """Write the pieces as one entry, atomically; failures are ignored."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                for piece in pieces:
                    fh.write(piece)
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
