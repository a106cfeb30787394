"""describe reads the paragraph view of a long report only where it looks (desc34): the
head and the end for find_organisation (text_view.paragraphs_from), the lead from a prefix
(paragraph_lead_end), and _alias_view asks simp before making the view. Each gives what
the whole view gives."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.reading import campaigns, organisations, text_view
from etl.reading.text_view import lead_end, paragraphs, simplified

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench_corpus"   # absent in a clean clone (CI)


def _reports(every: int) -> list[str]:
    """The bundled reports and every `every`-th bench file when the bench corpus is here,
    as simplified views."""
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    if BENCH.is_dir():
        paths += sorted(BENCH.iterdir())[::every]
    return [simplified(p.read_text(encoding="utf-8")) for p in paths]


# spaces, sentence ends, line breaks and long runs of body text, so that breaks fall at
# every place a slice or a prefix can start or end
pieces = st.lists(st.tuples(st.sampled_from(["正", "文", "。", "！", "”", "\n", " ", "\u3000", "\t", "a"]),
                            st.integers(1, 90)), max_size=40)
texts = pieces.map(lambda ps: "".join(c * k for c, k in ps))


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 400))
def test_paragraphs_from_is_the_views_rest(text, start):
    assert text_view.paragraphs_from(text, start) == paragraphs(text)[start:]


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(1, 200))
def test_a_prefix_of_simp_gives_that_prefix_of_the_view(text, size):
    assert text_view.paragraphs_of(text[:size]) == paragraphs(text)[:size]


@pytest.mark.parametrize("prefix", [8, 64, 4096])
def test_paragraph_lead_end_is_lead_end_of_the_view(monkeypatch, prefix):
    monkeypatch.setattr(text_view, "_LEAD_PREFIX", prefix)   # small: the prefix doubles

    @settings(max_examples=300, deadline=None)
    @given(texts)
    def check(text):
        assert text_view.paragraph_lead_end(text) == lead_end(paragraphs(text))
    check()
    for simp in _reports(5):
        assert text_view.paragraph_lead_end(simp) == lead_end(paragraphs(simp))


def test_alias_view_asks_simp_first():
    """The view is "" exactly when no alias is written in the paragraph view (what it
    asked before), here and with an alias split by a paragraph break."""
    r = campaigns.campaign_rules()
    # a break inside an alias (” ends a sentence and is squeezed): written in simp, in no
    # alias in the view
    split = next(s for s in ("开展" + a[:2] + "” " + a[2:] for a in r.lookup if len(a) >= 4)
                 if not campaigns._alias_written(paragraphs(s)))
    assert campaigns._alias_written(split)
    samples = _reports(9) + [split, split.replace("” ", "”\u3000 "), split.replace("” ", "")]
    for simp in samples:
        campaigns._alias_view.cache_clear()
        expected = ("" if campaigns.SCAN_COMPILED and not campaigns._alias_written(paragraphs(simp))
                    else text_view.squeezed(simp))
        assert campaigns._alias_view(simp) == expected
    if campaigns.SCAN_COMPILED:   # the compiled scans decide: the break keeps the alias apart
        assert campaigns._alias_view(split) == ""


def test_find_organisation_reads_the_view_as_the_whole_view_reads(monkeypatch):
    """find_organisation with the view's head, end and lead made apart answers as it does
    with each taken from the whole view (a long report's tail starts anywhere: the
    character before a hit there decides whether it opens a clause)."""
    reports = _reports(4)
    # a listed name right at the tail's start, after a break or a clause mark
    name = next(iter(organisations.organisation_rules().strong))
    body = "工作人员认真学习有关文件精神并开展讨论。" * 300
    rest = organisations.organisation_rules().shapes.tail_chars - len(name) - 5
    for before in ("。 ", "。\u3000 ", "，", "作"):   # the name starts where the tail does
        reports.append(body + before + name + "召开会议。" + "后" * rest)
    got = [organisations.find_organisation(s, None) for s in reports]
    monkeypatch.setattr(organisations, "paragraphs_from", lambda s, k: paragraphs(s)[k:])
    monkeypatch.setattr(organisations, "paragraph_lead_end", lambda s: lead_end(paragraphs(s)))
    assert got == [organisations.find_organisation(s, None) for s in reports]
