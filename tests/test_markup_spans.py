"""Markup is found by two literal-led searches (tags, entities) merged in text order;
they must find exactly what one combined regex finds, entities inside tags included."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.extraction.normalize import _markup_spans, strip_markup

# the single regex the two searches replace (leftmost match at each position)
REFERENCE = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>|<[A-Za-z/!?][^>]*>"
    r"|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);", re.S | re.I)

PIECES = ["<", ">", "&", ";", "p", "a", "#", "x", "1", "!--", "-->", "/", "script", "</script>",
          "style", "&amp;", "&nbsp;", "&#20154;", "<p>", "<br/>", "共30条", " ", "\n", '"', "=", "?"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_two_searches_find_what_one_regex_finds(text):
    assert _markup_spans(text) == [m.span() for m in REFERENCE.finditer(text)]


def test_an_entity_inside_a_tag_belongs_to_the_tag():
    raw = '<a href="?a=1&amp;b=2">捐款&nbsp;30万元</a>'
    assert _markup_spans(raw) == [(0, 23), (25, 31), (35, 39)]
    view, omap = strip_markup(raw)
    assert view == "捐款\u00a030万元"
    i = view.index("30")
    assert raw[omap.start(i):omap.end(i + 4)] == "30万元"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=12))
def test_raw_spans_in_one_walk_equal_bisection_one_by_one(raw, spans):
    from etl.extraction.normalize import normalize
    t = normalize(raw, markup=True)
    n = len(t.text)
    spans = [(min(s, n - 1), min(s + w, n)) for s, w in spans if n]
    ordered = sorted(spans)
    for batch in (ordered, spans):        # in text order, and out of order
        # OffsetMap.start/.end: each offset on its own, by bisection
        assert t.raw_spans(batch) == [(t.to_raw.start(s), t.to_raw.end(e)) for s, e in batch]


# pieces that reach each branch of the tag regex: plain tags of every first letter,
# the names of the block forms in both cases, letters that fold to s, i, k under re.I
# (ſ, ı, K), Chinese text next to a tag, and broken tags
TAG_PIECES = ["<", ">", "<p>", "</p>", "<strong>", "</strong>", "<span class=\"a\">", "<td>",
              "<!--", "-->", "<!x", "<?xml ", "</", "<script", "<SCRIPT ", "</script>",
              "<Style>", "</style >", "<noscript>", "</noScript>", "<template>", "</template>",
              "<scripts>", "<ſcript>", "<ſtyle>", "<noſcript>", "<ScrIpt>", "<ıtem>", "<K>",
              "<中>", "<5", "< p>", "共30条", "文", "x", "=", "\"", "\n", " ", "-", "<a href=\"中文\">"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TAG_PIECES), max_size=30).map("".join))
def test_the_tag_finds_are_the_tag_regex(text):
    from etl.extraction.normalize import _TAG, _tag_spans
    assert _tag_spans(text) == [m.span() for m in _TAG.finditer(text)]


def test_the_tag_finds_on_the_bundled_reports():
    from pathlib import Path

    from etl.extraction.normalize import _TAG, _tag_spans
    root = Path(__file__).resolve().parents[1] / "data" / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(root.iterdir()) if p.is_file()]
    page = "<html><head><style>p{x:1}</style><script>var a='<p>';</script></head><body>" \
           "<!-- c > d --><p>共<strong>30</strong>条<br/><a href='?a=1&amp;b=2'>链接</a></p></body></html>"
    for text in [*texts, page]:
        assert _tag_spans(text) == [m.span() for m in _TAG.finditer(text)]
