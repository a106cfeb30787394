"""etl/dataclass_code.py: dataclasses' generated methods served from the cache are the
methods `exec` would have compiled, and the cache is written once and read after."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# defines dataclasses of the shapes etl uses (frozen, slots, defaults, a factory, an
# annotation that is a class, not a string) and prints what describes their methods
PROBE = r'''
import dataclasses, json, sys
from decimal import Decimal
from etl import dataclass_code
hooked = sys.argv[1] == "hooked"
if hooked:
    assert dataclass_code.install()

@dataclasses.dataclass(frozen=True, slots=True)
class Unit:
    written: str
    factor: Decimal = Decimal(1)
    names: tuple = ()

@dataclasses.dataclass
class Batch:
    rows: list = dataclasses.field(default_factory=list)
    n: int = 0

u = Unit("万元", Decimal(10000))
b = Batch()
b.rows.append(1)
try:
    u.written = "x"
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
methods = {f"{c.__name__}.{m}": getattr(c, m).__code__
           for c in (Unit, Batch) for m in ("__init__", "__repr__", "__eq__")}
print(json.dumps({
    "repr": [repr(u), repr(b), repr(Batch())],
    "eq": [u == Unit("万元", Decimal(10000)), u == Unit("元"), hash(u) == hash(Unit("万元", Decimal(10000)))],
    "frozen": frozen, "slots": Unit.__slots__,
    "annotations": {k: repr(v) for k, v in Unit.__init__.__annotations__.items()},
    "code": {k: [c.co_code.hex(), repr(c.co_consts), c.co_names, c.co_varnames, c.co_filename]
             for k, c in methods.items()},
    "state": dataclass_code._state if hooked else None,
}))
'''


def _probe(tmp_path: Path, mode: str) -> dict:
    env = dict(os.environ, REPORT_FIGURES_CACHE=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_cached_methods_are_the_ones_exec_compiles(tmp_path):
    plain = _probe(tmp_path, "plain")
    plain.pop("state")
    first = _probe(tmp_path, "hooked")      # compiles, writes the cache at exit
    second = _probe(tmp_path, "hooked")     # reads every text from the cache
    assert first["state"]["loaded"] == 0 and second["state"]["loaded"] > 0
    assert second["state"]["added"] is False
    for got in (first, second):
        state = got.pop("state")
        assert state["installed"]
        assert got == plain
    # the annotations are the classes themselves: the text is compiled without the
    # `from __future__ import annotations` of the module that compiles it
    assert second["annotations"]["factor"] == "<class 'decimal.Decimal'>"


def test_a_damaged_entry_means_compiling_again(tmp_path):
    _probe(tmp_path, "hooked")
    entries = list((tmp_path / "cache" / "dataclass").glob("code.*.pickle"))
    assert len(entries) == 1
    entries[0].write_bytes(b"not a pickle")
    got = _probe(tmp_path, "hooked")
    assert got["state"]["loaded"] == 0 and got["repr"][0] == "Unit(written='万元', factor=Decimal('10000'), names=())"
