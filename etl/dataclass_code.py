"""The code of the methods `@dataclass` writes, compiled once and kept in the cache.

`@dataclass` writes each class's __init__, __repr__, __eq__, __hash__ … as source text
and hands it to `exec`, which compiles it at every start: about 80 classes in a one-file
`etl run` (etl's own, duckdb's Python layer, filelock's), 0.06–0.07 s of CPU in
`compile`, the largest single item of its start after the C extensions (bench/RESULTS.md).
`install()` gives the dataclasses module an `exec` that looks the text up in a table of
code objects compiled before by this exact Python (marshal, as for .pyc files) and runs
that instead. Compiling a text gives the same code object every time, so the classes are
the same; a text not in the table is compiled as `exec` would (no inherited `from
__future__` flags) and added at exit.

Only for a process that is the command (etl/__main__.py); the cache is disposable like
the others (etl/file_cache.py): a missing or damaged entry means compiling as before.
"""
from __future__ import annotations

import atexit
import dataclasses
import hashlib
import sys
from importlib.util import MAGIC_NUMBER

from . import file_cache

# more texts than any one command needs many times over: past this, an entry keeps only
# the texts of the process that writes it (edited classes leave old texts behind)
_MAX_TEXTS = 4000

_codes: dict[str, object] = {}
_used: set[str] = set()
_state = {"installed": False, "added": False, "loaded": 0}


def _entry():
    key = hashlib.sha1(f"{sys.version}|{MAGIC_NUMBER.hex()}".encode()).hexdigest()[:20]
    return file_cache.cache_dir() / "dataclass" / f"code.{key}.v{file_cache.FORMAT}.pickle"


def _exec(source, globals=None, locals=None, /):
    if type(source) is str:
        _used.add(source)
        code = _codes.get(source)
        if code is None:
            # as exec compiles a text: named "<string>", no flags of this module's futures
            code = compile(source, "<string>", "exec", dont_inherit=True)
            _codes[source] = code
            _state["added"] = True
        source = code
    exec(source, globals, locals)


def install() -> bool:
    """Serve dataclasses' generated code from the cache for the rest of this process.
    False (and nothing changed) when dataclasses does not write its code through exec."""
    if _state["installed"]:
        return True
    # the methods' text goes to exec from _create_fn (3.11, 3.12) or, all of a class's at
    # once, from _FuncBuilder (3.13)
    if "exec" in vars(dataclasses) or not (hasattr(dataclasses, "_create_fn")
                                           or hasattr(dataclasses, "_FuncBuilder")):
        return False        # another hook, or a dataclasses that builds its methods otherwise
    _state["loaded"] = file_cache.load_table(_entry(), _codes)
    dataclasses.exec = _exec
    _state["installed"] = True
    atexit.register(save)
    return True


def save() -> None:
    """Write the table if this process compiled a text it did not hold (at exit; the
    commands that end with os._exit call it first)."""
    if not _state["added"]:
        return
    _state["added"] = False
    file_cache.save_table(_entry(), _codes, _used, max_items=_MAX_TEXTS)
