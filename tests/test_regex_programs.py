"""etl/regex_programs.py: a command's patterns compiled through the table are the
patterns re.compile makes, the table is written once and read after, and anything it
does not take (bytes, DEBUG, a bad pattern, a damaged entry) goes to re as before."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# compiles patterns of the shapes etl builds (named groups, back references,
# look-arounds, flags as ints and as RegexFlag, a large character class) through `re`,
# and holds each to what re's own compiler makes of it in the same process
PROBE = r'''
import json, re, sys
from re import _compiler
from etl import regex_programs
hooked = sys.argv[1] == "hooked"
if hooked:
    assert regex_programs.install()
PATTERNS = [
    (r"(?P<num>\d+(?:\.\d+)?)(?P<big>万|亿)?(?P<unit>元|人次?)", 0),
    (r"(\w+)\s(?P<again>\1)", 0),
    (r"(?<![\d.])((?:19|20)\d{2})年(?!代)", 0),
    (r"copyright|版权|©|icp|all rights", re.IGNORECASE),
    (r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M),
    ("[" + "".join(chr(c) for c in range(0x4E00, 0x9FFF, 7)) + "]+", 0),
    (r"<(?:!--.*?-->|(script|style)\b[^>]*>.*?</\1\s*>)", re.DOTALL | re.IGNORECASE),
    (r"(?i)[a-z]+\d", 0),
]
TEXT = "2021年发放慰问金27万元，共计6600人次 版权 Copyright ab ab\n## 标题 ##\n<script>x</script>Ab1"
out = {"found": [], "same": []}
for p, f in PATTERNS:
    got = re.compile(p, f)
    ref = _compiler.compile(p, int(f))          # re's own compiler, no cache of any kind
    out["same"].append(got == ref and (got.flags, got.groups, dict(got.groupindex))
                       == (ref.flags, ref.groups, dict(ref.groupindex)))
    out["found"].append([m.span() for m in got.finditer(TEXT)])
out["module"] = [re.findall(r"\d+", TEXT), re.sub(r"(\d)万", r"\1 万", TEXT)[:20]]
out["bytes"] = [b.decode() for b in re.compile(rb"\d+").findall(b"a12b3")]
try:
    re.compile(r"(unclosed")
    out["error"] = None
except re.error as exc:
    out["error"] = str(exc)
out["state"] = regex_programs._state if hooked else None
print(json.dumps(out))
'''


def _probe(cache: Path, mode: str) -> dict:
    env = dict(os.environ, REPORT_FIGURES_CACHE=str(cache))
    out = subprocess.run([sys.executable, "-c", PROBE, mode], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_patterns_from_the_table_are_the_ones_re_compiles(tmp_path):
    cache = tmp_path / "cache"
    plain = _probe(cache, "plain")
    plain.pop("state")
    assert not (cache / "regex_programs").exists()
    first = _probe(cache, "hooked")      # compiles, writes the table at exit
    second = _probe(cache, "hooked")     # reads every program from the table
    assert first["state"]["loaded"] == 0 and first["state"]["added"] is True     # saved at exit
    assert second["state"]["loaded"] >= 8 and second["state"]["added"] is False
    for got in (first, second):
        got.pop("state")
        assert all(got["same"]), got["same"]
        assert got == plain
    assert plain["error"] and plain["bytes"] == ["12", "3"]


def test_a_damaged_table_means_compiling_again(tmp_path):
    cache = tmp_path / "cache"
    _probe(cache, "hooked")
    [entry] = list((cache / "regex_programs").iterdir())
    entry.write_bytes(entry.read_bytes()[:40])      # truncated
    got = _probe(cache, "hooked")
    assert got["state"]["loaded"] == 0 and all(got["same"])


def test_a_program_the_engine_refuses_is_compiled_by_re(tmp_path, monkeypatch):
    """A wrong program under a pattern's key (another Python's, or a damaged value)
    is refused by _sre.compile, and the pattern comes from re itself."""
    import re

    from etl import regex_programs
    if regex_programs.ENGINE is None:
        return
    pattern = r"(?P<n>\d+)万元"
    monkeypatch.setattr(regex_programs, "_programs", {(pattern, 0): (0, b"\x00\x01\x02\x03", 0, {}, ())})
    monkeypatch.setattr(re, "_compile", regex_programs._compile)
    re.purge()
    got = re.compile(pattern)
    assert got == re._compiler.compile(pattern, 0) and got.match("27万元").group("n") == "27"
    assert (pattern, 0) not in regex_programs._programs
    re.purge()
