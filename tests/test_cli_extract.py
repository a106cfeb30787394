"""`python -m etl extract` as a user runs it: JSON Lines with offsets into the file's
decoded text, one clear line per unreadable file, and no traceback ever."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from badfiles import make_bad_files

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
FIELDS = {"doc", "start", "end", "text", "is_claim", "kind", "value", "value_max", "unit",
          "unit_class", "approx", "subject", "sentence", "per", "aggregate", "change", "share_of"}


def run_extract(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "etl", "extract", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_corpus_lines_have_the_contract_fields_and_offsets(tmp_path):
    out = tmp_path / "claims.jsonl"
    res = run_extract(*CORPUS, "-o", out)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["doc"] for r in rows} == {p.name for p in CORPUS}
    texts = {p.name: open(p, encoding="utf-8", newline="").read() for p in CORPUS}
    for r in rows:
        assert FIELDS <= r.keys()
        assert texts[r["doc"]][r["start"]:r["end"]] == r["text"]
        assert r["is_claim"] == (r["kind"] is None)
    claims = [r for r in rows if r["is_claim"]]
    assert len(claims) > 100
    assert all(r["unit_class"] for r in claims)
    # file order, then text order
    order = [(r["doc"], r["start"]) for r in rows]
    assert order == sorted(order)


def test_bad_files_get_one_line_each_and_the_rest_goes_on(tmp_path):
    expected = make_bad_files(tmp_path)
    names = [n for n in expected if n != "huge_line.txt"]   # its own test reads 50 MB
    res = run_extract(*[tmp_path / n for n in names])
    assert res.returncode == 0          # some files were read
    assert "Traceback" not in res.stderr
    skipped = [line for line in res.stderr.splitlines() if ": skipped: " in line]
    bad = [n for n in names if expected[n]]
    assert len(skipped) == len(bad)
    for n in bad:
        line = next(line for line in skipped if n in line)
        assert expected[n] in line
    docs = {json.loads(line)["doc"] for line in res.stdout.splitlines()}
    assert "gb18030.txt" in docs and "big5.txt" in docs and "name with spaces 和中文.txt" in docs


def test_nothing_readable_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    res = run_extract(tmp_path / "empty.txt", tmp_path / "binary.txt")
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "empty file" in res.stderr and "binary" in res.stderr


def test_gb18030_offsets_index_the_decoded_text(tmp_path):
    text = CORPUS[0].read_text(encoding="utf-8")
    f = tmp_path / "gbk.txt"
    f.write_bytes(text.encode("gb18030"))
    res = run_extract(f)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows and all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert any(r["text"] == "27万元" and r["value"] == 270000 for r in rows)


def test_word_and_pdf_files_leave_no_cycles_behind(tmp_path, monkeypatch):
    """The cycle collector waits while `extract` runs (etl/cli.py); what python-docx and
    pypdf leave in cycles is collected after each such file, and the collector runs again
    afterwards, also when the output cannot be written."""
    import gc

    import docx
    from badfiles import corpus_text, text_pdf

    from etl.cli import main

    def folder(name: str, files: int) -> Path:
        d = tmp_path / name
        d.mkdir()
        for k in range(files):
            w = docx.Document()
            w.add_paragraph(corpus_text(chars=600 + k))
            w.save(d / f"r{k}.docx")
            (d / f"r{k}.pdf").write_bytes(text_pdf(f"Total {270000 + k} yuan"))
        (d / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
        return d

    def left_over(d: Path) -> int:
        """Objects in cycles when one `extract` of the folder ends (the command line's
        own parser makes some, the same number each time). The collector is kept from
        starting again at the end, which would free them before they are counted."""
        gc.collect()
        with monkeypatch.context() as m:
            m.setattr(gc, "enable", lambda: None)
            assert main(["extract", str(d), "-o", str(tmp_path / "claims.jsonl")]) == 0
        assert not gc.isenabled()
        gc.enable()
        return gc.collect()

    one, six = folder("one", 1), folder("six", 6)
    left_over(six)                          # the parsers' first use
    assert left_over(six) == left_over(one)  # without the collections: about 100 more a file
    assert (tmp_path / "claims.jsonl").read_text(encoding="utf-8").count("\n") > 3
    assert main(["extract", str(one), "-o", str(tmp_path / "claims.jsonl")]) == 0
    assert gc.isenabled()
    try:
        main(["extract", str(one), "-o", str(tmp_path / "no" / "such" / "dir.jsonl")])
    except OSError:
        pass
    assert gc.isenabled()


def _command(code: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          cwd=ROOT, timeout=300, check=False)


def test_extract_ends_without_teardown_and_says_what_the_ordinary_exit_says(tmp_path):
    """`etl extract` as the whole process ends by os._exit once its output is out
    (etl/cli.py _exit_now): stdout, stderr and the exit status are what the same
    command run through main(argv), which returns normally, gives; atexit is skipped."""
    (tmp_path / "empty.txt").write_bytes(b"")
    files = [*CORPUS[:2], tmp_path / "empty.txt"]
    ordinary = ("import atexit, sys; from etl.cli import main; "
                "atexit.register(lambda: print('teardown', file=sys.stderr)); "
                "sys.exit(main(['extract', *sys.argv[1:]]))")
    whole = ("import atexit, sys; from etl.cli import main; "
             "atexit.register(lambda: print('teardown', file=sys.stderr)); "
             "sys.argv[0] = 'etl'; sys.argv.insert(1, 'extract'); sys.exit(main())")
    for args in (files, [tmp_path / "empty.txt"]):
        a, b = _command(ordinary, *args), _command(whole, *args)
        assert a.returncode == b.returncode == (0 if len(args) > 1 else 1)
        assert a.stdout == b.stdout and (len(a.stdout) > 10_000) == (len(args) > 1)
        assert a.stderr.replace(b"teardown\n", b"") == b.stderr and b"skipped: empty file" in b.stderr
        assert b"teardown" in a.stderr and b"teardown" not in b.stderr
    out = tmp_path / "out.jsonl"
    b = _command(whole, *files, "-o", out)
    assert b.returncode == 0 and out.read_bytes() == _command(ordinary, *files).stdout
