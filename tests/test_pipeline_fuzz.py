"""Whatever a user drops in the folder, the pipeline never raises: every input becomes
a stored report or a skipped file with a reason. Random bytes, random encodings of
real text, truncated multibyte sequences, huge lines, mixed scripts and markup, under
every supported extension; and the hand-made bad-file zoo through `etl run`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from badfiles import make_bad_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.pipeline import process_file
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "data" / "corpus" / "003_3e7bccd1fa082b11.txt").read_text(encoding="utf-8")[:3000]
TRAD = (ROOT / "data" / "corpus" / "004_4b241ff30e2278d6.txt").read_text(encoding="utf-8")[:3000]
TRIED = {"n": 0}

texts = st.one_of(
    st.just(SAMPLE), st.just(TRAD),
    st.text(max_size=400),
    st.lists(st.sampled_from([SAMPLE[:200], TRAD[:200], "<p>", "</div>", "&nbsp;", "27万元", "\x00", "\ufeff",
                              "𠀀𪚥", "Ελληνικά", "العربية", "\r\n", "x" * 5000, "一" * 3000]), max_size=12).map("".join),
)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-le", "latin-1"])


def _bytes_for(text: str, enc: str, cut: int | None) -> bytes:
    data = text.encode(enc, errors="replace")
    return data[:cut] if cut is not None else data


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.one_of(st.binary(max_size=3000),
                 st.builds(_bytes_for, texts, encodings, st.one_of(st.none(), st.integers(0, 4000)))),
       st.sampled_from([".txt", ".md", ".html", ".htm", ".docx", ".pdf"]))
def test_process_file_never_raises(tmp_path, data, suffix):
    TRIED["n"] += 1
    f = tmp_path / f"fuzz{TRIED['n']}{suffix}"
    f.write_bytes(data)
    res = process_file(f)
    assert res.ok or (res.reason and "\n" not in res.reason)
    assert not (res.reason or "").startswith("internal error"), res.reason
    if res.ok:
        text = res.report.text
        for c in res.claims:
            assert text[c.start:c.end] == c.text


def test_bad_file_zoo_through_etl_run(tmp_path):
    folder = tmp_path / "zoo"
    expected = make_bad_files(folder)
    db = tmp_path / "zoo.duckdb"
    res = subprocess.run([sys.executable, "-m", "etl", "run", str(folder), "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    store = Store(db, read_only=True)
    rows = store.query_df("SELECT path, status, reason FROM run_files")
    by_name = {Path(p).name: (s, r) for p, s, r in rows.itertuples(index=False)}
    for name, reason in expected.items():
        if name == "missing.txt":
            continue        # not in the folder: only named paths can be missing
        status, why = by_name[name]
        if reason:
            assert status == "skipped" and reason in why, (name, status, why)
            assert reason in res.stdout        # the summary lists it with its reason
        else:
            assert status in ("read", "unchanged"), (name, status, why)
