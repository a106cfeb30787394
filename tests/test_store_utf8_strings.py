"""The reports' text goes to the store as an Arrow string array encoded here
(`writes.utf8_strings`): the same array as pyarrow's conversion, and the texts
themselves when one array's 32-bit offsets could not hold them."""
from __future__ import annotations

import pyarrow as pa

from etl.store import writes


def test_the_same_array_as_pyarrows():
    for texts in ([], [""], ["abc", "", "发放慰问金27万元", "𝄞 astral", "\r\nCRLF\x00nul"]):
        got = writes.utf8_strings(texts)
        got.validate(full=True)
        assert got.type == pa.string() and got.equals(pa.array(texts, type=pa.string()))


def test_too_long_for_one_array_left_to_pyarrow(monkeypatch):
    monkeypatch.setattr(writes, "_STRING_BYTES", 5)
    assert writes.utf8_strings(["abc", "中"]) == ["abc", "中"]      # 3 + 3 bytes
    assert writes.utf8_strings(["ab", "中"]).to_pylist() == ["ab", "中"]
