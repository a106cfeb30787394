"""How long chart and table exports take (issue 7), in one process as the dashboard and
the command line run them.

    .venv/bin/python bench/export_bench.py --db data/figures.duckdb
    .venv/bin/python bench/export_bench.py --db bench/out/dashboard_1m.duckdb --repeat 5

Measured: building the chart (queries + plotly figure), the first export of the
process (starts Chromium), then each format again (median of --repeat), a 3-chart
PowerPoint, the workbook and CSV of the tables. Needs Chromium and a CJK font.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(fn, *a, **kw):
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    return out, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "data" / "figures.duckdb"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    if not Path(args.db).exists():
        # the demo store `make run` builds; a fresh clone has none yet
        from etl.pipeline import run as etl_run
        print(f"building {args.db} from the bundled reports ...")
        from etl.cli import DEFAULT_CORPUS
        etl_run([DEFAULT_CORPUS], args.db, progress=False)
    t0 = time.perf_counter()
    from etl.exports import briefing, render, tables
    from etl.store import Store
    from etl.views import items, sources
    imports = time.perf_counter() - t0
    store = Store(args.db, read_only=True)
    run = lambda qp: store.query_df(qp[0], list(qp[1]))       # noqa: E731
    n = int(store.query_df("SELECT count(*) AS n FROM claims")["n"][0])
    print(f"store {args.db}: {n:,} claims; imports {imports:.2f} s")

    wanted = [{"chart": "compare", "metric": "money", "subject": "慰问金", "by": "campaign"},
              {"chart": "overview"},
              {"chart": "compare", "metric": "people", "by": "year", "type": "timeline"}]
    rows = []
    charts = []
    dup = sources.dup_source(run)
    for item in wanted:
        chart, s = timed(items.build, item, run, dup)
        charts.append(chart)
        rows.append((f"build {item.get('chart')} {item.get('type', '')}".strip(), s))

    fig = charts[0].fig
    _, first = timed(render.render, fig, "png")
    rows.append(("first export (png, starts Chromium)", first))
    for fmt in ("png", "svg", "pdf"):
        times = [timed(render.render, fig, fmt)[1] for _ in range(args.repeat)]
        rows.append((f"{fmt} (median of {args.repeat}; min {min(times):.2f}, max {max(times):.2f})",
                     statistics.median(times)))
    # the PDF's text-layer repair alone (part of every pdf export above)
    from etl.exports import pdf_text
    from etl.views.charts import for_export
    w, h = render.size(fig)
    raw = render._start().render(for_export(fig).to_dict(),      # Chromium's own PDF, unrepaired
                                 {"format": "pdf", "width": w, "height": h, "scale": 1})
    times = [timed(pdf_text.searchable, raw)[1] for _ in range(args.repeat)]
    rows.append((f"  of which pdf text layer (金 not ⾦; median of {args.repeat})", statistics.median(times)))
    pptx, s = timed(briefing.pptx_bytes, charts, "基准简报", briefing.subtitle_lines())
    rows.append((f"pptx, cover + {len(charts)} charts ({len(pptx) / 1e6:.1f} MB)", s))
    table = items.build({"table": "explore", "limit": 10_000, "all": True}, run, dup)
    pptx, s = timed(briefing.pptx_bytes, [table], "基准简报", briefing.subtitle_lines())
    rows.append((f"pptx, cover + a table slide of {len(table.df):,} rows ({len(pptx) / 1e6:.2f} MB)", s))
    xlsx, s = timed(briefing.xlsx_bytes, charts + [table], "基准简报")
    rows.append((f"xlsx, {len(charts) + 1} sheets incl. {len(table.df):,} rows ({len(xlsx) / 1e6:.1f} MB)", s))
    _, s = timed(tables.to_csv_bytes, table.df)
    rows.append((f"csv, {len(table.df):,} rows", s))
    width = max(len(r[0]) for r in rows)
    for name, s in rows:
        print(f"  {name:<{width}}  {s:6.2f} s")
    render.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
