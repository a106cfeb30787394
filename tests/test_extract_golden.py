"""Golden cases from tests/golden/claims.yaml: real sentences and what a reader expects
of every figure in them. Known gaps are strict xfails: a fix makes them fail until the
case is moved to the passing lists."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from etl.extraction.extract import extract_text
from etl.reading.text_view import simplified as _simplified

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "claims.yaml").read_text(encoding="utf-8"))


def _cases() -> list:
    out = []
    for section in ("dev", "held_out", "bugs_caught", "known_gaps"):
        for case in GOLDEN.get(section) or []:
            marks = [pytest.mark.xfail(strict=True, reason="known gap")] if section == "known_gaps" else []
            out.append(pytest.param(case, id=f"{section}:{case['text'][:40]}", marks=marks))
    return out


def _same_subject(expected: str, got: str | None) -> bool:
    """The scorer's rule: one contains the other, after traditional -> simplified."""
    if not got:
        return False
    e, g = _simplified(expected), _simplified(got)
    return e in g or g in e


@pytest.mark.parametrize("case", _cases())
def test_golden(case):
    text = case["text"]
    mentions = extract_text(text, "golden")
    for m in mentions:   # the offset invariant, for every mention
        assert text[m.start:m.end] == m.text
    claims = [m for m in mentions if m.is_claim]
    if not case["expect"]:
        assert claims == [], f"expected no claims, got {[c.text for c in claims]}"
        return
    for exp in case["expect"]:
        found = [m for m in mentions if m.text == exp["span"]]
        assert found, f"no mention {exp['span']!r}; got {[m.text for m in mentions]}"
        m = found[0]
        want_claim = exp.get("claim", True)
        assert m.is_claim == want_claim, f"{exp['span']}: is_claim {m.is_claim} ({m.reason})"
        if not want_claim:
            if "kind" in exp:
                assert m.kind == exp["kind"], f"{exp['span']}: kind {m.kind} ({m.reason})"
            continue
        for key, attr in (("value", "value"), ("value_max", "value_max")):
            if key in exp:
                assert m.__getattribute__(attr) == Decimal(str(exp[key])), f"{exp['span']}: {key} {getattr(m, attr)}"
        for key, attr in (("unit", "unit"), ("class", "unit_class"), ("approx", "approx"),
                          ("per", "per"), ("aggregate", "aggregate"), ("change", "change")):
            if key in exp:
                assert getattr(m, attr) == exp[key], f"{exp['span']}: {attr} {getattr(m, attr)!r}"
        if "share_of" in exp:
            assert m.share_of and _simplified(m.share_of) == exp["share_of"], m.share_of
        if "subject" in exp:
            if exp["subject"] is None:
                assert m.subject is None, f"{exp['span']}: subject {m.subject!r}, expected none"
            else:
                assert _same_subject(exp["subject"], m.subject), f"{exp['span']}: subject {m.subject!r}"
        if "subject_exact" in exp:
            got = _simplified(m.subject) if m.subject else m.subject
            assert got == exp["subject_exact"], f"{exp['span']}: subject {m.subject!r}"
