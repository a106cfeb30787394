"""The role step (etl/extraction/roles.py): golden cases from real sentences
(tests/golden/counting.yaml), properties that hold for any report, and the rule file."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import rules
from etl.extraction import roles
from etl.claim import COUNTED_CLASSES, ROLES, Claim
from etl.extraction.extract import extract_text

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "counting.yaml").read_text(encoding="utf-8"))


def _cases() -> list:
    out = []
    for section in ("dev", "held_out", "known_gaps"):
        for case in GOLDEN.get(section) or []:
            marks = [pytest.mark.xfail(strict=True, reason="known gap")] if section == "known_gaps" else []
            out.append(pytest.param(case, id=f"{section}:{case['source']}:{case['text'][:24]}", marks=marks))
    return out


def _find(mentions: list[Claim], span: str, nth: int = 0) -> Claim:
    found = [m for m in mentions if m.text == span]
    assert len(found) > nth, f"no mention {span!r} #{nth}; got {[m.text for m in mentions]}"
    return found[nth]


@pytest.mark.parametrize("case", _cases())
def test_golden(case):
    mentions = extract_text(case["text"], "golden")
    for exp in case["expect"]:
        m = _find(mentions, exp["span"], exp.get("nth", 0))
        assert m.unit_class in COUNTED_CLASSES, f"{exp['span']}: class {m.unit_class}"
        assert m.role == exp["role"], f"{exp['span']}: role {m.role} ({m.role_reason})"
        assert m.counted == (exp["role"] == "total")
        if "of" in exp:
            target = _find(mentions, exp["of"], exp.get("of_nth", 0))
            assert (m.of_start, m.of_end) == (target.start, target.end), \
                f"{exp['span']}: of {m.of_start}-{m.of_end}, expected {target.start}-{target.end}"
        elif exp["role"] not in ("part", "restatement"):
            assert m.of_start is None


def test_every_rule_has_cases_from_two_reports():
    """A hand rule lands only with golden cases from at least two different reports."""
    by_rule: dict[str, set[str]] = {}
    for section in ("dev", "held_out"):
        for case in GOLDEN[section]:
            for rule in case["rule"].split(","):
                rule = rule.strip()
                if not rule.startswith("not:"):
                    by_rule.setdefault(rule, set()).add(case["source"])
    by_rule["part:full-list"].add("bench 20251208")     # test_full_list_on_another_class
    thin = {r: s for r, s in by_rule.items() if len(s) < 2}
    assert not thin, thin


def test_full_list_on_another_class():
    """The second report for part:full-list counts venues (orgs), a class the role step
    leaves alone; the rule is the same arithmetic, so it is tried on that class here."""
    from etl.extraction.normalize import normalize
    from etl.extraction.scanner import scan
    from etl.extraction.text_spans import Boundaries
    text = "共有41个竞赛场馆，其中广东赛区36个，香港赛区3个，澳门赛区2个，广东赛区21个场馆与十五运会共用。"
    claims = extract_text(text, "bench 20251208")
    view = normalize(text).text
    roles.assign_roles(claims, [(m.start, m.end) for m in scan(view)], view, Boundaries(view),
                       classes=frozenset({"orgs"}))
    got = {c.text: (c.role, c.of_start) for c in claims if c.role}
    assert got["36个"] == ("part", 2) and got["3个"][0] == "part" and got["2个"][0] == "part"
    assert got["21个"] == ("part", text.index("36个"))


# ------------------------------------------------------------------- properties

def _check_invariants(claims: list[Claim]) -> None:
    by_span = {(c.start, c.end): c for c in claims}
    for c in claims:
        if not c.is_claim or c.unit_class not in COUNTED_CLASSES:
            assert c.role is None and c.counted is None and c.of_start is None, c
            continue
        assert c.role in ROLES, c
        assert c.counted == (c.role == "total"), c
        has_of = c.of_start is not None
        assert has_of == (c.role in ("part", "restatement")), c
        if not has_of:
            continue
        target = by_span.get((c.of_start, c.of_end))
        assert target is not None and target is not c, c
        assert target.unit_class == c.unit_class
        if c.role == "part":
            assert target.role in ("total", "part"), (c, target)
        else:      # a restatement points at the first mention: earlier, and not itself restated
            assert target.start < c.start and target.role in ("total", "part"), (c, target)
    for c in claims:              # no cycles in `of`
        seen = set()
        x = c
        while x.of_start is not None:
            assert (x.start, x.end) not in seen, c
            seen.add((x.start, x.end))
            x = by_span[(x.of_start, x.of_end)]
    for cls in COUNTED_CLASSES:   # a sum of the counted never exceeds the sum of all
        figs = [c for c in claims if c.is_claim and c.unit_class == cls and c.value is not None]
        assert sum(c.value for c in figs if c.counted) <= sum(c.value for c in figs)


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "corpus").glob("*.txt")), ids=lambda p: p.name[:3])
def test_invariants_on_the_bundled_reports(path):
    _check_invariants(extract_text(path.read_text(encoding="utf-8"), path.name))


# Pieces real reports are made of; hypothesis strings them together with figures.
_PIECES = ["发放慰问金{n}万元", "共计{n}万元", "其中{n}人", "每人{n}元", "{n}名班子成员参加",
           "同比增加{n}人", "计划投入{n}万元", "慰问困难党员{n}名", "已帮扶{n}名", "合计{n}人次",
           "包括{n}名老党员", "最高保额可达{n}万元", "{n}名党员干部", "另有{n}人", "线上{n}万元",
           "今年发放{n}万元", "累计发放{n}万元", "惠及群众{n}人次", "人均{n}元", "{n}余名职工"]
_SEPS = ["，", "。", "；", "、", "\n", "。\n\n"]


@st.composite
def reports(draw) -> str:
    parts = []
    if draw(st.booleans()):        # a headline
        parts.append(draw(st.sampled_from(_PIECES)).format(n=draw(st.integers(1, 999))) + "\n\n")
    for _ in range(draw(st.integers(1, 14))):
        piece = draw(st.sampled_from(_PIECES))
        n = draw(st.sampled_from([5, 10, 27, 50, 100, 126, 300]) | st.integers(1, 5000))
        parts.append(piece.format(n=n) + draw(st.sampled_from(_SEPS)))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_invariants_on_generated_reports(text):
    _check_invariants(extract_text(text, "gen"))


def test_restatements_and_parts_are_never_counted():
    text = ("省委组织部划拨700万元党费用于走访慰问\n\n近日,省委组织部划拨700万元党费,用于走访慰问。"
            "共慰问困难党员120名,其中老党员30名。")
    claims = extract_text(text, "t")
    roles_ = {(c.text, c.role) for c in claims if c.role}
    assert ("700万元", "restatement") in roles_ and ("30名", "part") in roles_
    assert not any(c.counted for c in claims if c.role in ("part", "restatement"))


# ------------------------------------------------------------------ value ranges

@pytest.mark.parametrize("written,value,approx,lo,hi", [
    ("27万元", 270000, "exact", 265000, 275000),
    ("6600余名", 6600, "over", 6600, 6700),
    ("10万余人", 100000, "over", 100000, 110000),
    ("8.4万多人", 84000, "over", 84000, 85000),
    ("3万多元", 30000, "over", 30000, 40000),
    ("近5万元", 50000, "under", 40000, 50000),
    ("317.5万元", 3175000, "exact", 3174500, 3175500),
])
def test_interval(written, value, approx, lo, hi):
    c = Claim("d", 0, len(written), written, True, value=Decimal(value), approx=approx)
    got = roles.interval(c, written)
    assert got == pytest.approx((lo, hi))


def test_rule_file_is_read_and_checked(tmp_path, monkeypatch):
    r = roles.counting_rules()
    assert "其中" in r.part_markers and r.sum_max_items >= 2
    bad = tmp_path / "counting.yaml"
    bad.write_text("part_markers: 其中\n", encoding="utf-8")
    with pytest.raises(rules.RuleError):
        roles.CountingRules(rules.load_yaml(bad))
