"""Every regular expression a command compiles, its program kept from one start to the next.

`re.compile` parses a pattern and builds its program in Python: a one-sentence `etl run`
compiled about 150 patterns that no cache held (the extraction modules' own, describe's,
the metric lexicons', the standard library's), 0.03–0.04 s of CPU, and `etl extract`
60 of them, 0.02–0.03 s (bench/RESULTS.md). `install()` gives the `re` module a compile
that looks the pattern up in one table of programs built before by this exact Python
(`_sre.compile` checks every program it is handed) and builds a pattern it does not hold
as `re.compile` would, adding it to the table at exit. What comes back is the pattern
`re.compile` makes: `re.Pattern` equality compares pattern, flags and program
(tests/test_regex_programs.py).

Only for a process that is the command (etl/__main__.py, `report-figures`), as
etl/dataclass_code.py; only str patterns without DEBUG or TEMPLATE (anything else goes
to `re`'s own compile, as does anything unexpected). The table is disposable like the
parsed-data cache (etl/file_cache.py): a missing or damaged entry means compiling as
before. etl/regex_cache.py's named entries step aside while this is installed.
"""
from __future__ import annotations

import atexit
import hashlib
import re
import sys
from array import array
from typing import Any

from . import file_cache

try:            # CPython's own regex compiler (3.11+: re._parser, re._compiler)
    import _sre
    from re import _compiler, _parser
    ENGINE: str | None = f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"
except (ImportError, AttributeError):
    ENGINE = None

# several times what the commands compile (about 1.1 MB for `etl run` and `etl extract`
# together); past this an entry keeps only the patterns of the process that writes it
# (edited rules leave old patterns behind, and a large table is slower to read)
_MAX_BYTES = 8 << 20
# printed, or deprecated (TEMPLATE: gone from 3.13's re): re's own path
_SKIP_FLAGS = re.DEBUG | getattr(re, "TEMPLATE", 0)

_programs: dict[tuple[str, int], tuple[Any, ...]] = {}
_used: set[tuple[str, int]] = set()
_state = {"installed": False, "added": False, "loaded": 0}
_re_compile = re._compile


def _entry():
    key = hashlib.sha1(str(ENGINE).encode()).hexdigest()[:20]
    return file_cache.cache_dir() / "regex_programs" / f"programs.{key}.v{file_cache.FORMAT}.pickle"


def program_of(pattern: str, flags: int) -> tuple[Any, ...]:
    """The arguments `re._compiler.compile` hands to `_sre.compile` after the pattern, the
    program as an array of plain integers (compact, unpickled at C speed)."""
    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (flags | p.state.flags, array("I", code), p.state.groups - 1, groupindex, tuple(indexgroup))


def program(pattern: str, flags: int) -> tuple[Any, ...]:
    """program_of's, with the program as bytes (marshal keeps bytes, not arrays)."""
    flags_out, code, groups, groupindex, indexgroup = program_of(pattern, flags)
    return (flags_out, code.tobytes(), groups, groupindex, indexgroup)


def _compile(pattern, flags):
    """re._compile, with the program of a str pattern from the table."""
    if type(pattern) is not str:
        return _re_compile(pattern, flags)
    if isinstance(flags, re.RegexFlag):
        flags = flags.value
    cache = re._cache
    try:
        return cache[str, pattern, flags]
    except KeyError:
        pass
    if type(flags) is not int or flags & _SKIP_FLAGS:
        return _re_compile(pattern, flags)
    key = (pattern, flags)
    try:
        found = _programs.get(key)
        if found is None:
            found = program(pattern, flags)
            _programs[key] = found
            _state["added"] = True
        _used.add(key)
        flags_out, code, groups, groupindex, indexgroup = found
        compiled = _sre.compile(pattern, flags_out, array("I", code).tolist(), groups,
                                groupindex, indexgroup)
    except Exception:       # noqa: BLE001 - a bad pattern raises its error from re itself
        _programs.pop(key, None)
        return _re_compile(pattern, flags)
    if len(cache) >= re._MAXCACHE:      # re's own bounded cache, as re._compile keeps it
        try:
            del cache[next(iter(cache))]
        except (StopIteration, RuntimeError, KeyError):
            pass
    cache[str, pattern, flags] = compiled
    return compiled


def install() -> bool:
    """Compile regexes through the table for the rest of this process. False (and
    nothing changed) when this Python's `re` is not the one this was written for."""
    if _state["installed"]:
        return True
    if ENGINE is None or re._compile is not _re_compile or not hasattr(re, "_cache"):
        return False
    _state["loaded"] = file_cache.load_table(_entry(), _programs)
    re._compile = _compile
    _state["installed"] = True
    atexit.register(save)
    return True


def installed() -> bool:
    return _state["installed"]


def save() -> None:
    """Write the table if this process compiled a pattern it did not hold (at exit; the
    commands that end with os._exit call it first)."""
    if not _state["added"]:
        return
    _state["added"] = False
    file_cache.save_table(_entry(), _programs, _used, max_bytes=_MAX_BYTES)
