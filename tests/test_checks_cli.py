"""`python -m etl check`: files directly, or the claims of a store."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store_reads import findings_df, last_check_run
from test_app_store import copy_store

from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]


def etl(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_check_files_directly_writes_jsonl(tmp_path):
    out = tmp_path / "findings.jsonl"
    p = etl("check", "data/corpus", "-o", str(out))
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in rows] == ["duplicate", "duplicate", "duplicate", "arithmetic_ok"]
    for r in rows:
        assert list(r) == ["type", "claims", "detail", "severity"]
        for c in r["claims"]:
            text = (ROOT / "data" / "corpus" / c["doc"]).read_text(encoding="utf-8")
            assert text[c["start"]:c["end"]] == c["text"]
    assert rows[0]["detail"] == "000 与 002 均报告慰问金 27万元"
    assert "checked" in p.stderr and "duplicate 3" in p.stderr


def test_check_store_saves_results_and_filters_types(tmp_path):
    db = copy_store(tmp_path)
    p = etl("check", "--db", str(db), "--type", "arithmetic_ok")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["type"] == "arithmetic_ok"
    assert len(findings_df(Store(db, read_only=True))) == 5       # all types are saved


def test_no_save_leaves_the_store_alone(tmp_path):
    db = copy_store(tmp_path)
    assert etl("check", "--db", str(db), "--no-save").returncode == 0
    assert last_check_run(Store(db, read_only=True)) is None


def test_a_missing_store_or_unreadable_files_say_so(tmp_path):
    p = etl("check", "--db", str(tmp_path / "nope.duckdb"))
    assert p.returncode == 1 and "no store" in p.stderr
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    p = etl("check", str(tmp_path / "broken.pdf"))
    assert p.returncode == 1 and "skipped" in p.stderr and "Traceback" not in p.stderr
    (tmp_path / "one.txt").write_text("工委领导班子成员专程走访慰问25位老党员老干部。", encoding="utf-8")
    p = etl("check", str(tmp_path / "one.txt"))
    assert p.returncode == 0 and p.stdout == "" and "no findings" in p.stderr
