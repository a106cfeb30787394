"""`etl run` never imports pandas (issue 23): pyarrow would import it (0.3–0.4 s) on its
first conversion of a list only to ask whether the list is a pandas object. The run in a
fresh interpreter, so nothing the test session imported hides an import."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
from command_script import as_command
from store_reads import store_rows

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))

_RUN = """
import sys
from etl.cli import main
code = main(sys.argv[1:])
print("pandas imported" if "pandas" in sys.modules else "no pandas")
sys.exit(code)
"""


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _RUN, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_a_run_stores_reports_without_importing_pandas(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_bytes(CORPUS[0].read_bytes())
    (d / "no_figures.txt").write_text("支部开展主题党日活动，党员同志积极参加。\n", encoding="utf-8")
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    db = tmp_path / "figures.duckdb"
    res = _run("run", str(d), "--db", str(db), "--no-progress")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith("no pandas")
    con = duckdb.connect(str(db), read_only=True)
    try:
        reports = con.execute("SELECT doc, year, tags, meta_source, n_claims FROM reports ORDER BY doc").fetchall()
        statuses = con.execute("SELECT path, status FROM run_files ORDER BY path").fetchall()
        n = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        con.close()
    assert [r[0] for r in reports] == ["a.txt", "no_figures.txt"]
    assert reports[1][4] == 0 and reports[0][4] == n > 0
    assert isinstance(reports[0][2], list) and reports[0][3].startswith("{")
    assert [(Path(p).name, s) for p, s in statuses] == [    # the broken file is still recorded
        ("a.txt", "read"), ("broken.docx", "skipped"), ("no_figures.txt", "read")]


def test_pandas_still_works_after_a_run_in_the_same_process(tmp_path):
    """The run leaves pandas importable, and pyarrow's pandas features (to_pandas,
    from_pandas) still work once something asks for them."""
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_bytes(CORPUS[1].read_bytes())
    script = _RUN.replace("sys.exit(code)", """
import pandas as pd
import pyarrow as pa
t = pa.Table.from_pandas(pd.DataFrame({"a": [1.5, None]}))
assert t.column("a").null_count == 1
assert pa.table({"b": [1, 2]}).to_pandas().b.tolist() == [1, 2]
print("pandas fine")
sys.exit(code)""")
    res = subprocess.run([sys.executable, "-c", script, "run", str(d), "--db", str(tmp_path / "s.duckdb"),
                          "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split()[-4:] == ["no", "pandas", "pandas", "fine"]


def test_a_process_with_pandas_is_left_as_it_is():
    from etl.store.arrow_lists import lists_without_pandas
    import pandas  # noqa: F401  - the dashboard and the tests have it
    assert lists_without_pandas() is False
    assert "pandas" in sys.modules


_AS_COMMAND = as_command('''
print("numpy imported" if "numpy" in sys.modules else "no numpy")
print("pandas imported" if "pandas" in sys.modules else "no pandas", flush=True)
''')


def test_the_run_command_leaves_numpy_out_and_stores_the_same(tmp_path):
    """`python -m etl run` imports pyarrow without numpy (lean_imports.py): nothing of
    the run needs it. The store it builds equals one built in a process that has numpy."""
    d = tmp_path / "reports"
    d.mkdir()
    for p in CORPUS[:2]:
        (d / p.name).write_bytes(p.read_bytes())
    (d / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    lean, full = tmp_path / "lean.duckdb", tmp_path / "full.duckdb"
    res = subprocess.run([sys.executable, "-c", _AS_COMMAND, "run", str(d), "--db", str(lean),
                          "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split()[-4:] == ["no", "numpy", "no", "pandas"]
    from etl.pipeline import run
    run([d], full, progress=False)                  # this process has numpy and pandas

    claims = "SELECT * FROM claims ORDER BY claim_id"
    reports = "SELECT * EXCLUDE (ingested_at) FROM reports ORDER BY report_id"
    assert store_rows(lean, claims) == store_rows(full, claims) and len(store_rows(lean, claims)) > 100
    assert store_rows(lean, reports) == store_rows(full, reports)
    assert sorted((Path(p).name, s) for p, s in store_rows(lean, "SELECT path, status FROM run_files")) == sorted(
        [("broken.docx", "skipped")] + [(p.name, "read") for p in CORPUS[:2]])


def test_a_process_that_has_pyarrow_is_left_as_it_is():
    """Embedded runs (etl.cli.main(["run", ...]) from other code) keep numpy:
    test_pandas_still_works_after_a_run_in_the_same_process runs exactly that."""
    from etl.lean_imports import pyarrow_without_numpy
    import pyarrow  # noqa: F401
    assert pyarrow_without_numpy() is False      # pyarrow already in: left as it is
