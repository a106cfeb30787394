"""A byte buffer written to piece by piece: the Python source's stand-in for mypyc's
`librt.strings.BytesWriter`.

The JSON Lines writer (claim_jsonl.py) writes a report's lines into one buffer. Compiled,
it uses librt's, whose `write` and `append` mypyc turns into inline C; librt comes with
mypy, a build tool the app does not install (tests/test_app_packages.py), so the source
uses this one: the same methods over a bytearray.
"""
from __future__ import annotations


class BytesWriter:
    __slots__ = ("_buf",)

    def __init__(self) -> None:
        self._buf = bytearray()

    def write(self, b: bytes | bytearray) -> None:
        self._buf += b

    def append(self, x: int) -> None:
        self._buf.append(x)

    def truncate(self, size: int) -> None:
        del self._buf[size:]

    def getvalue(self) -> bytes:
        return bytes(self._buf)

    def __len__(self) -> int:
        return len(self._buf)
