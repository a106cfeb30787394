"""`etl run` takes its files a few at a time through each stage in turn (etl/pipeline.py,
STAGE_FILES): a file that fails at any stage is reported with its reason, and the
other files of its group are still stored, in order."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl import pipeline
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
STAGES = ("read", "extract", "describe", "prepare")


@pytest.fixture
def group_of_files(tmp_path) -> list[Path]:
    """One group's worth of distinct reports (STAGE_FILES of them)."""
    texts = [p.read_text(encoding="utf-8") for p in CORPUS]
    files = []
    for i in range(pipeline.STAGE_FILES):
        f = tmp_path / "in" / f"r{i}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(f"第{i}号通报\n" + texts[i % len(texts)], encoding="utf-8")
        files.append(f)
    return files


def _break_stages(monkeypatch, victims: dict[str, Path]) -> None:
    """Each stage raises for its own victim file (a bug, not a user's bad file)."""
    import etl.reading.describe as describe_mod
    import etl.reading.ingest as ingest
    import etl.store as store_mod

    def breaks(stage, real, name_of):
        def wrapper(*a, **kw):
            if name_of(*a, **kw) == victims[stage].name:
                raise RuntimeError(f"broken {stage}")
            return real(*a, **kw)
        return wrapper

    monkeypatch.setattr(ingest, "read_document",
                        breaks("read", ingest.read_document, lambda p, **kw: Path(p).name))
    monkeypatch.setattr(pipeline, "read_claims_and_view",
                        breaks("extract", pipeline.read_claims_and_view, lambda doc: doc.name))
    monkeypatch.setattr(describe_mod, "describe",
                        breaks("describe", describe_mod.describe, lambda text, name, **kw: name))
    monkeypatch.setattr(store_mod, "prepare_claims",
                        breaks("prepare", store_mod.prepare_claims, lambda report, claims, **kw: report.doc))


def test_a_file_failing_at_each_stage_leaves_its_group_stored(group_of_files, tmp_path, monkeypatch):
    assert len(group_of_files) >= len(STAGES) + 2 and pipeline.STAGE_FILES >= len(STAGES) + 2
    victims = dict(zip(STAGES, group_of_files[1::1]))     # files 1-4; 0 and 5.. are fine
    _break_stages(monkeypatch, victims)
    summary = pipeline.store_files(group_of_files, tmp_path / "s.duckdb", progress=False)

    assert [o.path for o in summary.files if o.status == "new"] == [
        str(f) for f in group_of_files if f not in victims.values()]
    failed = {o.path: o.reason for o in summary.files if o.status == "skipped"}
    assert failed == {str(f): f"internal error while processing: RuntimeError: broken {stage}"
                      for stage, f in victims.items()}
    stored = Store(tmp_path / "s.duckdb", read_only=True).query_df("SELECT path FROM reports")
    assert sorted(stored["path"]) == sorted(str(f) for f in group_of_files if f not in victims.values())


def test_one_file_and_a_group_give_the_same_results(group_of_files):
    """process_file (a group of one) and process_files agree, reasons included."""
    files = group_of_files + [group_of_files[0].parent / "missing.txt"]
    one = [pipeline.process_file(f, for_store=True) for f in files]
    grouped = list(pipeline.process_files(files, for_store=True, group=3))
    assert [r.path for r in grouped] == [str(f) for f in files]
    assert [(r.reason, r.report) for r in grouped] == [(r.reason, r.report) for r in one]
    assert [r.prepared.n_mentions for r in grouped[:-1]] == [r.prepared.n_mentions for r in one[:-1]]
    assert grouped[-1].reason == "no such file"


def test_each_stage_runs_over_the_group_before_the_next(group_of_files, monkeypatch):
    """Read a group in a row, then extract each: `group` files, or fewer once their texts
    hold STAGE_CHARS characters."""
    import etl.reading.ingest as ingest
    events = []
    read, extract = ingest.read_document, pipeline.read_claims_and_view

    def reading(p, **kw):
        events.append(("read", Path(p).name))
        return read(p, **kw)

    def extracting(doc):
        events.append(("extract", doc.name))
        return extract(doc)
    monkeypatch.setattr(ingest, "read_document", reading)
    monkeypatch.setattr(pipeline, "read_claims_and_view", extracting)
    files = group_of_files[:5]
    names = [f.name for f in files]

    list(pipeline.process_files(files, group=3))
    assert events == ([("read", n) for n in names[:3]] + [("extract", n) for n in names[:3]]
                      + [("read", n) for n in names[3:]] + [("extract", n) for n in names[3:]])
    events.clear()
    monkeypatch.setattr(pipeline, "STAGE_CHARS", 1)
    list(pipeline.process_files(files, group=3))
    assert events == [e for n in names for e in (("read", n), ("extract", n))]
