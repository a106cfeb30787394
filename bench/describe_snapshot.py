"""Report metadata, every field of every report, written once and compared after a change.

    .venv/bin/python bench/describe_snapshot.py write FILE
    .venv/bin/python bench/describe_snapshot.py compare FILE

The reports: the bench corpus, the dev reports (shared/corpus) and the dev2 reports
(shared/eval/reports-dev2), each read as `etl run` reads it (read_document) and
described as `etl run` describes it (the page's text, its HTML metadata), and each once
more in traditional script (OpenCC s2t), so the simplified view is exercised too. One
line per report: its name, then describe()'s whole answer as JSON (meta_source
included). `compare` prints the first differences and their count; exit status 1 when
anything differs. Speed work on etl/reading must keep this at 0 differences.
Keep FILE outside the repository (the bench corpus is never bundled).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from extract_snapshot import write_or_compare  # noqa: E402  (bench/ is on the path: the script's own folder)


def reports() -> list[Path]:
    bench = sorted(p for p in (SHARED / "bench_corpus").iterdir() if p.suffix in (".md", ".txt"))
    dev = sorted((SHARED / "corpus").glob("*.txt"))
    dev2 = sorted(p for p in (SHARED / "eval" / "reports-dev2").iterdir() if p.name != "SOURCES.md")
    return [*bench, *dev, *dev2]


def lines() -> list[str]:
    import opencc

    from etl.reading.describe import describe
    from etl.reading.ingest import ReadError, read_document
    s2t = opencc.OpenCC("s2t").convert
    out = []
    for p in reports():
        doc = read_document(p)
        name = f"{p.parent.name}/{p.name}"
        if isinstance(doc, ReadError):
            out.append(f"{name}\tunread: {doc.reason}")
            continue
        for label, text in (("", doc.text), (" (traditional)", s2t(doc.text))):
            meta = describe(text, doc.name, html_meta=doc.html_meta)
            out.append(f"{name}{label}\t"
                       + json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("write", "compare"))
    ap.add_argument("file")
    args = ap.parse_args()
    return write_or_compare(args.action, Path(args.file), lines(), "descriptions", width=400)


if __name__ == "__main__":
    raise SystemExit(main())
