"""The shortcuts extraction takes for speed give what the plain code would."""
from __future__ import annotations

import gc
from dataclasses import fields
from decimal import Decimal

import pytest

from etl.claim import Claim
from etl.extraction.extract import extract_text, new_claim


@pytest.mark.parametrize("args, kw", [
    (("d.txt", 3, 8, "27万元", True), {"sentence": "发放慰问金27万元。", "sentence_start": 0,
                                       "sentence_end": 10, "reason": "unit"}),
    (("d.txt", 0, 4, "2021", False, "year", Decimal(2021)), {"reason": "year"}),
])
def test_new_claim_is_the_dataclass_with_defaults(args, kw):
    want = Claim(*args, **kw)
    kind = args[5] if len(args) > 5 else None
    value = args[6] if len(args) > 6 else None
    got = new_claim(*args[:5], kind, value, kw["reason"], kw.get("sentence", ""),
                    kw.get("sentence_start"), kw.get("sentence_end"))
    # every field set (a field new_claim forgot would raise here) and equal
    assert {f.name: getattr(got, f.name) for f in fields(Claim)} == \
        {f.name: getattr(want, f.name) for f in fields(Claim)}
    assert got == want


@pytest.mark.parametrize("enabled", [True, False])
def test_extract_text_leaves_the_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        claims = extract_text("发放慰问金27万元，吸引55个部门的6600余名干部职工。", "d.txt")
        assert gc.isenabled() is enabled
        assert [c.text for c in claims if c.is_claim] == ["27万元", "55个", "6600余名"]
        with pytest.raises(TypeError):
            extract_text(None, "d.txt")     # type: ignore[arg-type]
        assert gc.isenabled() is enabled    # also when extraction raises
    finally:
        (gc.enable if was else gc.disable)()
