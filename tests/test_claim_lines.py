"""`etl extract` writes, byte for byte, what the standard encoder wrote before it was
made fast (issue 23): `json.dumps(asdict-based to_dict, ensure_ascii=False)` per line.

The reference below is the old path, kept here verbatim, so the fast one (one
template a line: etl/claim_lines.py) is checked against it on the
bundled reports, on benchmark reports when they are around, through the command line
(stdout and -o), and on made-up claims whose strings hold the separators themselves."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.claim import Claim, number_out
from etl.claim_lines import KEYS, claims_jsonl

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
BENCH = ROOT.parent / "shared" / "bench_corpus"


def old_to_dict(c: Claim) -> dict:
    """Claim.to_dict as it was before issue 23 (dataclasses.asdict)."""
    d = dataclasses.asdict(c)
    d["value"] = number_out(c.value)
    d["value_max"] = number_out(c.value_max)
    d["of"] = None if c.of_start is None else [c.of_start, c.of_end]
    del d["of_start"], d["of_end"]
    return d


def old_lines(claims) -> bytes:
    return "".join(json.dumps(old_to_dict(c), ensure_ascii=False) + "\n" for c in claims).encode("utf-8")


def expected_output(paths, claims_only: bool = False) -> bytes:
    from etl.pipeline import read_claims
    from etl.reading.ingest import iter_report_paths, read_document
    out = []
    for p in iter_report_paths(paths):
        claims = read_claims(read_document(p))
        out.append(old_lines(c for c in claims if c.is_claim or not claims_only))
    return b"".join(out)


def run_extract(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "extract", *map(str, args)],
                          capture_output=True, cwd=ROOT, timeout=600)


def test_to_dict_keys_are_the_fields_in_order():
    names = [f.name for f in dataclasses.fields(Claim) if f.name not in ("of_start", "of_end")]
    c = Claim("a.txt", 0, 3, "27万", True, of_start=0, of_end=2)
    assert list(c.to_dict()) == names + ["of"] == list(KEYS)
    assert c.to_dict() == old_to_dict(c)


def test_cli_output_on_the_bundled_reports_is_byte_identical(tmp_path):
    expected = expected_output(CORPUS)
    assert expected.count(b"\n") > 300
    out = tmp_path / "claims.jsonl"
    res = run_extract(*CORPUS, "-o", out)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == expected
    res = run_extract(*CORPUS)
    assert res.returncode == 0, res.stderr
    assert res.stdout == expected


def test_cli_claims_only_is_byte_identical():
    res = run_extract("--claims-only", *CORPUS[:2])
    assert res.returncode == 0, res.stderr
    assert res.stdout == expected_output(CORPUS[:2], claims_only=True)


@pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/bench_corpus")
def test_cli_output_on_benchmark_reports_is_byte_identical(tmp_path):
    files = sorted(p for p in BENCH.iterdir() if p.suffix == ".md")[::60]   # 24 reports across the years
    out = tmp_path / "claims.jsonl"
    res = run_extract(*files, "-o", out)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == expected_output(files)


# strings that would fool a careless rewrite of the separators
tricky = st.lists(st.sampled_from(list(',":[]{}\\ \n\t\x00\x1f\u2028万元人doc of%') +
                                  [',"start":', '},{"doc":', '"of":[1,2]', '\\"', "\ud800", "%s", "%d%%"]),
                  max_size=12).map("".join)
numbers = st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=6),
                    st.sampled_from([Decimal("NaN"), Decimal("-0"), Decimal("0E-7")]),
                    st.integers(-2**70, 2**70).map(Decimal),
                    st.sampled_from([Decimal("0.00001"), Decimal("1.5E-7"), Decimal("2.4"),
                                     Decimal("1E+16"), Decimal("12345678901234567.5")]))


@st.composite
def claims(draw):
    start = draw(st.integers(0, 10**6))
    of = draw(st.one_of(st.none(), st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))))
    return Claim(draw(tricky), start, start + draw(st.integers(0, 9)), draw(tricky), draw(st.booleans()),
                 kind=draw(st.one_of(st.none(), tricky)), value=draw(numbers), value_max=draw(numbers),
                 unit=draw(st.one_of(st.none(), tricky)), subject=draw(st.one_of(st.none(), tricky)),
                 sentence=draw(tricky), reason=draw(tricky), counted=draw(st.one_of(st.none(), st.booleans())),
                 metric_evidence=draw(st.one_of(st.none(), tricky)),
                 of_start=None if of is None else of[0], of_end=None if of is None else of[1])


def _old_or_error(cs):
    try:
        return old_lines(cs)
    except UnicodeEncodeError:      # a lone surrogate: the old path failed on writing it too
        return None


def _assert_encoded_as_json_dumps_does(cs):
    expected = _old_or_error(cs)
    if expected is None:
        with pytest.raises(UnicodeEncodeError):
            claims_jsonl(cs)
    else:
        assert claims_jsonl(cs) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(claims(), max_size=6))
def test_made_up_claims_encode_as_json_dumps_does(cs):
    _assert_encoded_as_json_dumps_does(cs)


def test_both_templates_hold_the_keys_in_order():
    import re

    from etl.claim_lines import BARE, LINE
    for template in (LINE, BARE):
        assert tuple(k.decode() for k in re.findall(rb'"(\w+)": ', template)) == KEYS


@st.composite
def bare_non_claims(draw):
    """Non-claims with nothing but a kind, a value and a reason: the short template."""
    start = draw(st.integers(0, 10**6))
    return Claim(draw(tricky), start, start + draw(st.integers(0, 9)), draw(tricky), False,
                 kind=draw(st.one_of(st.none(), tricky)), value=draw(numbers),
                 value_max=draw(numbers), reason=draw(tricky))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(bare_non_claims(), claims()), max_size=8))
def test_bare_non_claims_encode_as_json_dumps_does(cs):
    _assert_encoded_as_json_dumps_does(cs)


def test_fields_of_other_types_are_written_as_json_dumps_writes_them():
    # a bool is an int to %d and 1 == True to a dict: each must still come out as
    # json.dumps writes it (through the slow path), and the claims around it too
    base = {"doc": "a.txt", "start": 3, "end": 5, "text": "27万", "is_claim": True,
            "value": Decimal(270000), "unit": "元", "unit_class": "money", "approx": "exact",
            "sentence": "发放27万元。", "sentence_start": 0, "sentence_end": 7, "reason": "quantity",
            "counted": True, "role": "total"}
    odd = [Claim(**{**base, "start": True}), Claim(**{**base, "is_claim": 1}),
           Claim(**{**base, "counted": 1}), Claim(**{**base, "sentence_start": False}),
           Claim(**{**base, "of_start": True, "of_end": 2}), Claim(**{**base, "kind": 1}),
           Claim(**{**base, "value": Decimal("1E+16"), "value_max": Decimal("-0")}),
           Claim(**{**base, "value": Decimal("NaN")}), Claim(**{**base, "metric_evidence": ["x"]}),
           Claim(**{**base, "is_claim": False, "counted": None, "role": None, "sentence": "",
                    "sentence_start": None, "sentence_end": None, "unit": None, "unit_class": None,
                    "approx": None, "kind": 0}),
           # offsets the writer's own digits do not take (a sign, past 2**62 - 1) and its
           # largest: each as json.dumps writes it
           Claim(**{**base, "start": -1}), Claim(**{**base, "end": 2**70}),
           Claim(**{**base, "end": 2**62 - 1}), Claim(**{**base, "end": 2**62}),
           Claim(**{**base, "of_start": -3, "of_end": 2**64}),
           Claim("a.txt", -5, 2**62, "2021年", False, kind="year", value=Decimal(2021), reason="year_suffix")]
    normal = Claim(**base)
    for c in odd:
        cs = [normal, c, normal]
        assert claims_jsonl(cs) == old_lines(cs), c


_LENGTHS = sorted({0, 1, 9, 10, 11, 99, 100, 101, 109, 110, 999, 1000, 1005, 100005, 2**62 - 1}
                  | {10**k + d for k in range(1, 19) for d in (-1, 0, 1, 7)})


@pytest.mark.parametrize("n", _LENGTHS)
def test_offsets_of_every_length_are_written_as_json_dumps_writes_them(n):
    # the writer's digits come two a call: every length, a 0 inside and at the end
    cs = [Claim("a.txt", n, n, "2021年", False, kind="year", value=Decimal(2021), reason="year_suffix"),
          Claim("a.txt", n, n, "27万", True, kind="quantity", value=Decimal(270000), sentence="27万",
                sentence_start=n, sentence_end=n, reason="quantity", of_start=n, of_end=n)]
    assert claims_jsonl(cs) == old_lines(cs)


def test_claims_sharing_the_last_claims_fields_or_with_none_set_are_written_whole():
    # the writer reuses the last claim's pieces (is_claim/kind, units, roles, sentence)
    # when its fields are the same objects: the first claim has no last claim, a claim
    # with every optional field None must not take that for "the same as before", and a
    # None sentence goes through the slow path
    empty = Claim("a.txt", 0, 2, "27", True)
    full = Claim("a.txt", 3, 5, "27万", True, kind="amount", value=Decimal(270000), unit="元",
                 unit_class="money", approx="exact", subject="慰问金", sentence="发放27万元。",
                 sentence_start=0, sentence_end=7, per="person", reason="quantity",
                 metric="funds_disbursed", metric_evidence="慰问金", role="total", counted=True,
                 of_start=0, of_end=9)
    same = dataclasses.replace(full, start=6, end=8)
    other = dataclasses.replace(full, kind=None, unit=None, role=None, counted=False,
                                sentence="另发放27万元。", sentence_start=None)
    no_sentence = Claim("a.txt", 0, 2, "27", True, sentence=None)
    cs = [empty, full, same, other, same, empty, no_sentence, empty, full]
    for k in range(len(cs)):
        assert claims_jsonl(cs[k:]) == old_lines(cs[k:]), k


def test_only_an_empty_sentence_lets_a_non_claim_take_the_bare_template():
    # the bare template is chosen by the sentence's type and length: a non-claim with
    # every other optional field None but a sentence (or a str subclass's empty one, or
    # a non-string) must be written whole, as json.dumps writes it
    class Text(str):
        pass

    bare = Claim("a.txt", 0, 5, "2021年", False, kind="year", value=Decimal(2021),
                 reason="year_suffix")
    cs = [dataclasses.replace(bare, sentence=s)
          for s in ("", "2021年。", " ", Text(""), Text("年"), [], "", "2021年。")]
    for k in range(len(cs)):
        assert claims_jsonl(cs[k:]) == old_lines(cs[k:]), k


def test_reports_gathered_into_pieces_are_written_as_they_were_one_by_one():
    import io

    from etl.claim_lines import JsonlFile

    class Counted(io.BytesIO):
        writes = 0

        def write(self, b):
            self.writes += 1
            return super().write(b)

    reports = [[Claim(f"r{k}.txt", i, i + 2, "27万", True, value=Decimal(i), unit="元",
                      sentence="发放27万元。", sentence_start=0, sentence_end=7, reason="quantity")
                for i in range(k)] for k in range(6)]
    expected = [old_lines(r) for r in reports]
    each = Counted()
    one_by_one = JsonlFile(each, 1)
    for k, r in enumerate(reports):
        one_by_one.add(r)
        assert each.getvalue() == b"".join(expected[:k + 1])    # no report waits
    assert each.writes == 5                     # the empty report writes nothing
    gathered = Counted()
    pieces = JsonlFile(gathered, 2 * len(expected[4]))
    for r in reports:
        pieces.add(r)
    # the first five reports (10 lines) reach the piece (8 lines); the last one waits for flush()
    assert gathered.writes == 1 and gathered.getvalue() == b"".join(expected[:5])
    pieces.flush()
    assert gathered.getvalue() == b"".join(expected) and gathered.writes == 2
    pieces.flush()
    assert gathered.writes == 2


def test_kept_encodings_write_what_each_claim_would_alone(monkeypatch):
    # texts, values, bare tails and the pieces of claims' lines are encoded once and
    # kept across calls (claim_jsonl._TEXTS, _VALUES, _BARE_TAILS, _CHUNKS): equal
    # Decimals written differently, NaN (which has no equal), a file name with % in it
    # (written into the report's template) and the tables emptied when full must still
    # give each claim's own line
    import etl.extraction.claim_jsonl as cl     # the writer's loop (compiled or source)

    values = [Decimal(100), Decimal("1E+2"), Decimal("100.0"), Decimal("-0"), Decimal(0),
              Decimal("0.5"), Decimal("0.50"), Decimal("NaN"), None]
    cs = [Claim(f"r{i % 3}%s.txt", i, i + 2, "2021年" if i % 2 else "第一", False, kind="year",
                value=v, value_max=values[(i + 1) % len(values)], reason="year_suffix")
          for i, v in enumerate(values * 2)]
    cs += [Claim("r.txt", 9, 12, "100万", True, value=v, unit="元", sentence="共100万元。",
                 sentence_start=0, sentence_end=6, reason="quantity") for v in values]
    for kept in (20_000, 2):
        monkeypatch.setattr(cl, "_KEPT", kept)
        for _ in range(3):
            for c in cs:
                assert claims_jsonl([c]) == old_lines([c]), c
            assert claims_jsonl(cs) == old_lines(cs)
    for kept in (cl._TEXTS, cl._VALUES, cl._BARE_TAILS, cl._CHUNKS):
        assert len(kept) <= 2 + 2 * len(values)
