"""The reports' text goes to the store as an Arrow string array encoded here
(`writes.utf8_strings`): the same array as pyarrow's conversion, and the texts
themselves when one array's 32-bit offsets could not hold them."""
from __future__ import annotations

import pyarrow as pa

from etl.store import writes


def test_the_same_array_as_pyarrows():
    for texts in ([], [""], ["abc", "", "发放慰问金27万元", "𝄞 astral", "\r\nCRLF\x00nul"]):
        got = writes.utf8_strings(texts)
        got.validate(full=True)
        assert got.type == pa.string() and got.equals(pa.array(texts, type=pa.string()))


def test_too_long_for_one_array_left_to_pyarrow(monkeypatch):
    monkeypatch.setattr(writes, "_STRING_BYTES", 5)
    assert writes.utf8_strings(["abc", "中"]) == ["abc", "中"]      # 3 + 3 bytes
    assert writes.utf8_strings(["ab", "中"]).to_pylist() == ["ab", "中"]


def test_the_bytes_given_are_taken_and_the_rest_encoded():
    texts = ["abc", "发放慰问金27万元", "𝄞 astral"]
    given = [None, "发放慰问金27万元".encode(), None]
    got = writes.utf8_strings(texts, given)
    assert got.equals(pa.array(texts, type=pa.string()))
    # the given bytes are what is stored (not the text encoded again): a stand-in shows it
    assert writes.utf8_strings(["ab", "cd"], [b"xy", None]).to_pylist() == ["xy", "cd"]


def test_a_run_hands_the_report_ids_bytes_to_the_store(tmp_path):
    """process_file(for_store=True) keeps the UTF-8 the report id hashed, for the writer:
    the text's own UTF-8, and the id is its hash, as content_hash gives it; a prepared
    report pickled (a worker's way) keeps it."""
    import hashlib
    import pickle

    from etl import pipeline
    from etl.claim import content_hash

    f = tmp_path / "r.txt"
    f.write_text("某市去年共发放慰问金27万元，惠及1,200户。\r\n𝄞 done", encoding="utf-8")
    res = pipeline.process_file(f, for_store=True)
    assert res.ok and res.prepared is not None
    text = res.report.text
    assert res.prepared.text_utf8 == text.encode("utf-8")
    assert res.report.report_id == content_hash(text) == hashlib.sha256(text.encode()).hexdigest()[:32]
    assert pickle.loads(pickle.dumps(res.prepared)).text_utf8 == res.prepared.text_utf8
    # without the bytes, as the Dask path or a caller's own claims give it: None
    assert pipeline._prepared(pipeline.Processed(str(f), res.report, [])).prepared.text_utf8 is None
