"""A `python -c` script that runs `python -m etl ARGS…` and calls `say()` as the process
ends: at `os._exit` (a finished run ends by it, etl/cli.py `_exit_now`) and otherwise when
the module returns or raises. Tests use it to look at the process state `etl` left."""
from __future__ import annotations

_TEMPLATE = """
import os, runpy, sys

def say():
{say}

real_exit = os._exit
def exit_now(code):
    say()
    real_exit(code)
os._exit = exit_now
sys.argv = ["etl"] + sys.argv[1:]
try:
    runpy.run_module("etl", run_name="__main__")      # as `python -m etl ...`
finally:
    say()
"""


def as_command(say_body: str) -> str:
    """The script, with `say_body` (statements, unindented) as say()'s body."""
    body = "\n".join("    " + line for line in say_body.strip().splitlines())
    return _TEMPLATE.format(say=body)
