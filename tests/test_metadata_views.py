"""The faster scans of etl/reading find exactly what the plain regexes found: names by
their shape (a boundary scan instead of a lookbehind at every position), the head lines,
the lead, the squeezed and paragraph views. Checked on the bundled reports and on
generated text mixing names, stop characters, punctuation and markup."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings, strategies as st

from etl.reading import organisations, text_view
from etl.rules import load_yaml, MetadataRuleError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

# pieces real reports are made of, so that generated text holds names and near-names
PIECES = ["市委组织部", "区", "县人民法院", "的", "在", "和", "，", "。", " ", "\n", "公司", "有限公司",
          "中共", "省", "市", "街道党工委", "社区", "帮助", "都香", "成都市", "杭州", "州市", "<p>", "**",
          "局", "委员会", "领导小组办公室", "党支部", "书记", "督导组", "第一", "天津市", "安徽省政府",
          "“", "”", "、", "\u3000", "。 ", "！\t", "2021年", "abc"]
texts = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def _plain(kind: str) -> re.Pattern:
    """The lookbehind form of a shape regex, as organisations.py built it before."""
    d = load_yaml(organisations.ORGANISATIONS_FILE, MetadataRuleError)
    start = f"(?<!{organisations.cjk_class_without(str(d['name_stop_chars']))})"
    sh = organisations.organisation_rules().shapes
    return re.compile(start + (sh.placed_here if kind == "placed" else sh.unit_here).pattern)


def _both(zone: str) -> None:
    sh = organisations.organisation_rules().shapes
    for kind, boundary, here in (("placed", sh.placed, sh.placed_here),
                                 ("unit", sh.unit, sh.unit_here)):
        fast = [m.span() for m in organisations._names(boundary, here, zone)]
        assert fast == [m.span() for m in _plain(kind).finditer(zone)], (kind, zone[:80])
    # and the unit names as find_organisation looks for them: from the unit words back
    units = [m.span() for m in organisations._unit_names(zone, sh)]
    assert units == [m.span() for m in _plain("unit").finditer(zone)], zone[:80]


def test_name_scan_on_the_bundled_reports():
    for path in CORPUS:
        view = text_view.paragraphs(text_view.simplified(path.read_text(encoding="utf-8")))
        _both(view[:3000])


@settings(max_examples=300, deadline=None)
@given(texts)
def test_name_scan_on_generated_text(text):
    _both(text)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_views_match_their_plain_forms(text):
    assert text_view.head_lines(text * 50, 7) == (text * 50).splitlines()[:7]
    view = text_view.paragraphs(text)
    plain = re.sub(r"(?<=[。！？!?…”])[ \t\u3000\xa0]+", lambda m: "\n" * len(m.group()), text)
    assert view == plain
    long = text * 20
    assert text_view.squeeze(long) == text_view._SQUEEZE.sub("", long)
    assert text_view.lead_end(view) == _lead_end_as_before(view)
    assert text_view.lead_end(view * 3) == _lead_end_as_before(view * 3)


def _lead_end_as_before(view: str, min_body: int = 60, max_lines: int = 15) -> int:
    pos, seen = 0, 0
    for line in view.split("\n"):
        if line.strip():
            seen += 1
            if len(line.strip()) >= min_body:
                return pos + len(line)
            if seen >= max_lines:
                break
        pos += len(line) + 1
    return min(len(view), 600)
