"""Compiled regular expressions whose compiled program is kept in the parsed-data cache.

`re.compile` parses a pattern and optimises its character sets in Python: the scanner's
alternations of every unit, slogan and name (built from data/rules) and the shapes of
organisation names cost about 0.08 s of CPU at every start of `etl run` and `etl
extract`, most of what a one-sentence file costs after the imports (bench/RESULTS.md).
The program that compile produces is a list of integers; `regex()` keeps it in the
cache folder (etl/file_cache.py), keyed by the pattern, its flags and the exact Python
build, and hands it back to the regex engine (`_sre.compile`, the call `re.compile`
ends with), which checks every program it is given. Anything unexpected (another
Python's `re` internals, an unreadable entry, a program the engine refuses) falls back
to `re.compile`: the result is always the pattern `re.compile` makes, equal to it as
`re.Pattern` objects compare (pattern, flags and program; tests/test_regex_cache.py).

Only for the few large patterns built at start: a small one compiles faster than its
cache entry is read. Many small patterns built together (the metrics' word lists) are
kept as one entry by `regexes`. In a command that installed etl/regex_programs.py
(every pattern's program in one table) both step aside for it.
"""
from __future__ import annotations

import hashlib
import re

from . import file_cache, regex_programs

try:
    import _sre
except ImportError:     # not CPython: ENGINE is None and _sre is never asked
    pass

_ENGINE = regex_programs.ENGINE    # None: not the `re` this was written for


def regex(name: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags), from the cached program when this Python compiled
    it before. `name` says which pattern of the code this is (one name per place that
    builds a pattern, e.g. "scanner.dispatch.3"): the cache keeps the last few
    versions of each name, so the programs of rules since changed are dropped."""
    flags = int(flags)
    if _ENGINE is None or regex_programs.installed():     # that table holds it: no file of its own
        return re.compile(pattern, flags)
    # the entry's file name: the cache keeps KEEP versions per name up to its first dot
    name = name.replace(".", "-")
    key = hashlib.sha1(f"{_ENGINE}|{flags}|{pattern}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
    try:
        flags_out, code, groups, groupindex, indexgroup = file_cache.built(
            "regex", name, key, lambda: regex_programs.program_of(pattern, flags))
        return _sre.compile(pattern, flags_out, code.tolist(), groups, groupindex, indexgroup)
    except Exception:       # noqa: BLE001 - any surprise: the ordinary compile
        return re.compile(pattern, flags)


def regexes(name: str, patterns: list[str], flags: int = 0) -> list[re.Pattern[str]]:
    """[re.compile(p, flags) for p in patterns], their programs kept as one cache entry:
    for a place that builds many small patterns at once (the metrics' word lists), where
    reading an entry for each costs about as much as compiling the small ones."""
    flags = int(flags)
    if _ENGINE is None or regex_programs.installed():
        return [re.compile(p, flags) for p in patterns]
    name = name.replace(".", "-")
    # each pattern with its length: no two lists of patterns give the same text
    joined = "".join(f"{len(p)}:{p}" for p in patterns)
    key = hashlib.sha1(f"{_ENGINE}|{flags}|{joined}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
    try:
        programs = file_cache.built("regex", name, key, lambda: [regex_programs.program_of(p, flags) for p in patterns])
        if len(programs) != len(patterns):
            raise ValueError("an entry of another length")
        return [_sre.compile(p, flags_out, code.tolist(), groups, groupindex, indexgroup)
                for p, (flags_out, code, groups, groupindex, indexgroup) in zip(patterns, programs)]
    except Exception:       # noqa: BLE001 - any surprise: the ordinary compile
        return [re.compile(p, flags) for p in patterns]
