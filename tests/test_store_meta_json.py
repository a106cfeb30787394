"""The metadata JSON the content signature hashes (etl/store/meta_json.py) is
json.dumps's text, byte for byte, for whatever a report's fields hold: the usual values
laid out directly, anything else handed to json.dumps."""
from __future__ import annotations

import dataclasses
import datetime
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.report import Report
from etl.store import meta_json, prepared


def dumped(report: Report) -> bytes:
    """What the signature hashed before meta_json: json.dumps of to_dict's fields."""
    meta = {k: v for k, v in report.to_dict().items() if k not in ("doc", "path", "text")}
    return json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode()


class Name(str):
    pass


# strings json escapes (quotes, backslashes, control characters) and does not (CJK,
# astral, DEL, U+2028, a lone surrogate: the UTF-8 then fails either way)
_STRINGS = st.text(alphabet=st.sampled_from('a"\\\n\t\x00\x1f\x7f万\u2028\U00020000\ud800 '), max_size=8)
_ODD = st.sampled_from([1.5, True, False, datetime.date(2022, 9, 24), Name("x"), ("a",), 2 ** 70, -3])
_VALUES = st.one_of(st.none(), _STRINGS, _ODD)


@st.composite
def reports(draw):
    strings = {f: draw(_VALUES) for f in ("title", "published", "source", "organisation", "level",
                                          "region", "campaign", "campaign_evidence", "format", "encoding")}
    year = draw(st.one_of(st.none(), st.integers(-5, 3000), _ODD))
    tags = draw(st.one_of(st.lists(_STRINGS, max_size=3), st.lists(_VALUES, max_size=3)))
    meta_source = draw(st.one_of(st.dictionaries(_STRINGS, _STRINGS, max_size=3),
                                 st.dictionaries(st.one_of(_STRINGS, st.integers(0, 3)), _VALUES, max_size=3)))
    return Report(report_id=draw(_STRINGS), doc="r.txt", path="/x/r.txt", text="正文", year=year,
                  tags=tags, meta_source=meta_source, **strings)


def outcome(make, report):
    """The bytes, or the type of the error raised (keys json cannot sort, a lone
    surrogate ...)."""
    try:
        return make(report)
    except Exception as e:  # noqa: BLE001 (the same error either way is what is checked)
        return type(e)


@settings(max_examples=400, deadline=None)
@given(reports())
def test_the_same_bytes_as_json_dumps(report):
    want = outcome(dumped, report)
    assert outcome(meta_json.meta_json, report) == want
    assert outcome(prepared._meta_json, report) == want


def test_a_usual_report_is_laid_out_without_json_dumps(monkeypatch):
    report = Report("0123abcd", "r.txt", "/x/r.txt", "md", "utf-8", "正文", title="《新闻联播》 \"20220924\"",
                    published="2022-09-24", year=2022, tags=["最强党支部", "a\\b"],
                    meta_source={"title": "text", "published": "filename", "year": "filename"})
    want = dumped(report)
    monkeypatch.setattr(meta_json, "_dumped", None)     # the direct layout only
    assert meta_json.meta_json(report) == want
    assert meta_json.meta_json(dataclasses.replace(report, tags=[], meta_source={})) == \
        dumped(dataclasses.replace(report, tags=[], meta_source={}))


def test_the_keys_are_to_dicts():
    report = Report("0123abcd", "r.txt", "/x/r.txt", "md", "utf-8", "正文")
    assert set(meta_json.KEYS) == set(report.to_dict()) - set(meta_json.SKIPPED)
