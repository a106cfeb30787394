"""Small pieces of the checks: rules file, subjects, wording, the Finding record,
grouping. Real subjects and figures from the bundled reports."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from etl.checks.config import check_rules
from etl.checks.duplicates import components
from etl.checks.findings import ClaimRef, Finding
from etl.checks.subjects import relation, subject_key
from etl.checks.wording import doc_label, fmt_figure, fmt_interval
from etl.rules import RuleError

# ------------------------------------------------------------------ rules file

def test_rules_file_loads_and_is_consistent():
    r = check_rules()
    assert "duration" in r.skip_classes and r.dup_max_block > 0
    assert 0 < r.conflict_context_min <= r.conflict_context_min_same_report <= 1
    assert set(r.sum_words) <= set(r.total_words)          # every sum word is a total word
    assert r.synonyms["慰问资金"] == "慰问金"


def test_a_broken_rules_file_names_the_entry(tmp_path):
    text = Path(check_rules.__wrapped__.__defaults__[0]).read_text(encoding="utf-8")
    bad = tmp_path / "checks.yaml"
    bad.write_text(text.replace("context_min: 0.35", "context_min: 1.5"), encoding="utf-8")
    with pytest.raises(RuleError, match="duplicates.context_min"):
        check_rules.__wrapped__(bad)
    bad.write_text("precision: {}\n", encoding="utf-8")
    with pytest.raises(RuleError, match="missing section"):
        check_rules.__wrapped__(bad)


# ------------------------------------------------------------------ subjects

@pytest.mark.parametrize("a, b, rel", [
    ("慰问金", "慰問金", "same"),               # 004 is traditional script
    ("慰问资金", "慰问金", "same"),              # synonym
    ("部门、单位", "部门", "contains"),          # 000: 19个部门、单位 / 18个部门
    ("干部职工参赛", "干部职工", "contains"),
    ("党组(党委)书记", "党组书记", "same"),      # a bracketed remark is not the subject
    ("慰问金", "专项资金", "none"),
    ("", "", "none"),                           # empty subjects never match
    (None, "慰问金", "none"),
])
def test_subject_relation(a, b, rel):
    assert relation(subject_key(a), subject_key(b)) == rel


def test_contained_subjects_share_a_blocking_word():
    a, b = subject_key("党员干部和积极分子投身疫情防控工作"), subject_key("党员干部")
    assert set(a.tokens) & set(b.tokens)
    assert subject_key("方面").generic and not subject_key("慰问金").generic


# ------------------------------------------------------------------ wording

def test_figures_are_written_the_way_reports_write_them():
    assert fmt_figure(270000, "元") == "27万元"
    assert fmt_figure(779700, "人次") == "77.97万人次"
    assert fmt_figure(8.2e6, "元") == "820万元"
    assert fmt_interval(265000, 275000, "元") == "26.5～27.5万元"
    assert fmt_interval(6600, 6700, "人") == "6600～6700人"
    assert doc_label("002_75a48a2a2127064a.txt") == "002"


# ------------------------------------------------------------------ the record

def _finding(**kw) -> Finding:
    refs = (ClaimRef("000_35e2ab27f9b7f4d4.txt", 2630, 2634, "27万元", "r0", "c0", "figure"),
            ClaimRef("002_75a48a2a2127064a.txt", 1928, 1932, "27万元", "r2", "c2", "figure"))
    args = dict(type="duplicate", claims=refs, detail="000 与 002 均报告慰问金 27万元", severity="info",
                rule="dup.same_subject")
    args.update(kw)
    return Finding(**args)


def test_finding_json_has_exactly_the_issue_keys():
    d = json.loads(_finding().to_jsonl())
    assert list(d) == ["type", "claims", "detail", "severity"]
    assert d["claims"][0] == {"doc": "000_35e2ab27f9b7f4d4.txt", "start": 2630, "end": 2634, "text": "27万元"}


def test_finding_id_is_stable_and_order_free():
    f = _finding()
    g = _finding(claims=tuple(reversed(f.claims)), detail="another wording")
    assert f.finding_id == g.finding_id
    assert f.finding_id != _finding(type="conflict", severity="high").finding_id


def test_unknown_type_or_severity_is_refused():
    with pytest.raises(ValueError):
        _finding(type="dup")
    with pytest.raises(ValueError):
        _finding(severity="urgent")


# ------------------------------------------------------------------ grouping

def test_components_close_chains_and_name_groups_by_smallest_id():
    pairs = pd.DataFrame({"a_id": ["c", "a", "x"], "b_id": ["b", "c", "y"]})
    got = dict(components(pairs).itertuples(index=False))
    assert got == {"a": "a", "b": "a", "c": "a", "x": "x", "y": "x"}
    assert components(pairs.iloc[0:0]).empty
