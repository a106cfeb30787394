"""Every rule file in data/rules/ is loaded by the code that reads it, and each one's
shape is checked: a new file needs a loader here, and a malformed entry is refused
with a message that names the file (never a KeyError deep inside extraction)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from etl import rules
from etl.checks.config import check_rules
from etl.extraction import metrics, roles, subjects, tables
from etl.reading.campaigns import campaign_rules
from etl.reading.organisations import organisation_rules
from etl.reading.page_facts import page_rules
from etl.views import ui_text

RULES = Path(__file__).resolve().parents[1] / "data" / "rules"

# file -> the loaders that read and validate it
LOADERS = {
    "approx.yaml": [rules.approx],
    "campaigns.yaml": [campaign_rules],
    "checks.yaml": [check_rules],
    "cjk_radicals.yaml": [rules.cjk_look_alikes],
    "counting.yaml": [roles.counting_rules],
    "metric_model.yaml": [metrics.model_rules],
    "metrics.yaml": [rules.metric_rules, metrics.metrics],
    "nonclaims.yaml": [rules.nonclaims, rules.classify_words],
    "numerals.yaml": [rules.numerals],
    "organisations.yaml": [organisation_rules],
    "page_facts.yaml": [page_rules],
    "phrase_chars.yaml": [rules.phrase_chars],
    "qualifiers.yaml": [rules.qualifiers],
    "segmenter_words.yaml": [rules.segmenter_words],
    "subject_weights.yaml": [subjects._load_weights],
    "subjects.yaml": [rules.subject_rules],
    "tables.yaml": [tables.table_rules],
    "ui_zh.yaml": [ui_text.translations],
    "units.yaml": [rules.units, rules.classes_by_subject, rules.subject_words,
                   rules.unit_not_before, rules.implied_units, rules.class_cues, rules.class_heads],
}


def test_every_rule_file_has_a_loader():
    assert sorted(p.name for p in RULES.glob("*.yaml")) == sorted(LOADERS)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_each_rule_file_loads_and_is_not_empty(name):
    data = yaml.safe_load((RULES / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data
    for load in LOADERS[name]:
        assert load()


def test_every_unit_has_a_known_class_and_a_positive_factor():
    for u in rules.units().values():
        assert u.unit_class in ("money", "people", "person_times", "orgs", "items", "events",
                                "percent", "duration", "other")
        assert u.factor > 0, u


def test_qualifier_cues_are_covered_by_the_quick_check():
    q = rules.qualifiers()
    for word in (*q.aggregate, *q.increase, *q.decrease, *q.per_average):
        assert not q.quick_check.isdisjoint(word), word


@pytest.fixture
def patched_rules(monkeypatch):
    """Load a rule file with one entry changed: rules._load returns the edited copy."""
    def patch(name: str, edit) -> None:
        data = yaml.safe_load((RULES / name).read_text(encoding="utf-8"))
        edit(data)
        original = rules._load

        def fake(n: str) -> dict:
            return data if n == name else original(n)

        monkeypatch.setattr(rules, "_load", fake)
        for loader in _CACHED:
            loader.cache_clear()

    yield patch
    for loader in _CACHED:
        loader.cache_clear()


_CACHED = (rules.qualifiers, rules.classify_words, rules.units, rules.approx, rules.segmenter_words)


def test_a_cue_word_the_quick_check_misses_is_refused(patched_rules):
    patched_rules("qualifiers.yaml", lambda d: d["aggregate"]["words"].append("同时"))
    with pytest.raises(rules.RuleError, match="qualifiers.yaml: quick_check has no character of"):
        rules.qualifiers()


def test_a_missing_classify_group_is_refused(patched_rules):
    patched_rules("nonclaims.yaml", lambda d: d["classify"].pop("quotes"))
    with pytest.raises(rules.RuleError, match="nonclaims.yaml: classify.*quotes"):
        rules.classify_words()


def test_a_unit_with_an_unknown_class_is_refused(patched_rules):
    patched_rules("units.yaml", lambda d: d["units"].update({"枚": ["枚", "medals", 1]}))
    with pytest.raises(rules.RuleError, match="unknown unit class 'medals'"):
        rules.units()


def test_an_unknown_approximation_is_refused(patched_rules):
    patched_rules("approx.yaml", lambda d: d["prefix"].update({"差不多": "roughly"}))
    with pytest.raises(rules.RuleError, match="unknown approx 'roughly'"):
        rules.approx()


def test_an_end_only_suffix_needs_its_approximation(patched_rules):
    # the scanner reads the approximation of 多/余 (at a figure's end) from outer_suffix
    patched_rules("approx.yaml", lambda d: d["outer_suffix_at_end"].append("来着"))
    with pytest.raises(rules.RuleError, match="'来着' is not an outer_suffix word"):
        rules.approx()


def test_a_segmenter_word_without_a_tag_is_refused(patched_rules):
    patched_rules("segmenter_words.yaml", lambda d: d["words"].update({"在轨": None}))
    with pytest.raises(rules.RuleError, match="segmenter_words.yaml: '在轨'"):
        rules.segmenter_words()


def test_a_list_where_words_belong_is_refused():
    with pytest.raises(rules.RuleError, match="x: expected a list of words"):
        rules.words({"not": "a list"}, "x", rules.RuleError)
