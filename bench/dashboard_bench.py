"""How fast each dashboard page renders on a big store (AppTest, in process).

    .venv/bin/python bench/dashboard_bench.py                 # 1M-claim store, built if missing
    .venv/bin/python bench/dashboard_bench.py --db data/figures.duckdb --repeat 3

For every page it measures, with Streamlit's AppTest (script run time, no browser):
  cold     first render with empty caches (st.cache_data and st.cache_resource cleared)
  warm     first render in a new session with the caches filled by an earlier session
  filter   a change of the shared sidebar filter (one campaign), queries not cached yet
  widget   a change of one of the page's own widgets, not cached yet
Aims (issue 5): first render < 2 s, filter change < 0.5 s. The median of --repeat
runs is printed. Process start-up (imports) is measured once and reported apart.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

APP = str(ROOT / "app.py")
DEFAULT_DB = ROOT / "bench" / "out" / "dashboard_1m.duckdb"
PAGES = ["overview", "explore", "compare", "report", "upload", "corrections"]


def _widget_change(page: str, at) -> str:
    """Change one widget of `page` on AppTest `at` (not run yet); returns what changed."""
    if page == "overview":
        at.selectbox(key="ov_class").set_value("people")
        return "类别 → 人数"
    if page == "explore":
        at.multiselect(key="x_class").set_value(["money"])
        return "类别 → 金额"
    if page == "compare":
        at.radio(key="c_dim").set_value("year")
        return "按年份"
    if page == "report":
        at.toggle(key="r_nonclaims").set_value(False)
        return "隐藏非陈述"
    if page == "upload":
        return "（无）"
    at.text_input(key="k_search").input("慰问金")
    return "搜索 慰问金"


def _fresh():
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(APP, default_timeout=300)
    return at


def _timed(at) -> float:
    t = time.perf_counter()
    at.run()
    dt = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"page raised: {at.exception[0].value}")
    if at.error:
        raise RuntimeError(f"page showed an error: {at.error[0].value}")
    return dt


def _clear_caches() -> None:
    import streamlit as st
    st.cache_data.clear()
    st.cache_resource.clear()


def measure(page: str, campaign: str) -> dict:
    path = f"pages/{page}.py"
    # cold: a session whose first render of this page finds empty caches
    at = _fresh()
    at.run()
    _clear_caches()
    if page == "overview":
        at = _fresh()
    else:
        at.switch_page(path)
    cold = _timed(at)
    # warm: a new session, caches filled by the one above
    at = _fresh()
    at.run()
    if page != "overview":
        at.switch_page(path)
    warm = _timed(at)
    # filter change on the shared sidebar (not cached yet)
    at.multiselect(key="flt_campaign").set_value([campaign])
    flt = _timed(at)
    what = _widget_change(page, at)
    widget = _timed(at) if what != "（无）" else float("nan")
    return {"cold": cold, "warm": warm, "filter": flt, "widget": widget, "what": what}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    if not args.db.exists():
        from dashboard_synthetic import build
        print(f"building {args.db} ...", flush=True)
        print(build(args.db, 1_000_000), flush=True)
    os.environ["REPORT_FIGURES_DB"] = str(args.db.resolve())
    os.environ.setdefault("REPORT_FIGURES_UPLOADS", str(ROOT / "bench" / "out" / "uploads"))

    t = time.perf_counter()
    import plotly.graph_objects  # noqa: F401
    from streamlit.testing.v1 import AppTest  # noqa: F401  (imports counted as start-up)
    startup = time.perf_counter() - t
    # the first AppTest run of a process also imports the pages' modules: not a page cost
    t = time.perf_counter()
    warmup = _fresh()
    warmup.run()
    first = time.perf_counter() - t

    from etl.store import Store
    store = Store(args.db, read_only=True)
    counts = store.counts()
    campaigns = store.query_df("SELECT campaign FROM reports WHERE campaign IS NOT NULL "
                               "GROUP BY campaign ORDER BY count(*) DESC LIMIT 2")["campaign"].tolist()
    campaign = campaigns[-1]
    try:
        grouped = int(store.query_df("SELECT count(*) AS n FROM figure_groups")["n"][0])
    except Exception:        # noqa: BLE001 - a store from before the checks' migration
        grouped = 0

    rows = []
    for page in PAGES:
        runs = [measure(page, campaign) for _ in range(max(1, args.repeat))]
        med = {k: statistics.median(r[k] for r in runs) for k in ("cold", "warm", "filter", "widget")}
        rows.append((page, med, runs[0]["what"]))

    print(f"\nstore: {args.db} — {counts['reports']:,} reports, {counts['claims']:,} claims "
          f"({counts['mentions']:,} mentions, {grouped:,} in repeated-figure groups); "
          f"campaign filter: {campaign}")
    print(f"start-up: imports {startup:.2f} s, first AppTest run of the process {first:.2f} s "
          f"(module imports + cold caches; not counted below)\n")
    print("| page        | cold first render | warm first render | sidebar filter | page widget (what)        |")
    print("|-------------|------------------:|------------------:|---------------:|---------------------------|")
    for page, m, what in rows:
        widget = "—" if m["widget"] != m["widget"] else f"{m['widget']:.2f} s"
        print(f"| {page:<11} | {m['cold']:>15.2f} s | {m['warm']:>15.2f} s | {m['filter']:>12.2f} s | "
              f"{widget:>7} ({what})")
    worst_first = max(max(m["cold"], m["warm"]) for _, m, _ in rows)
    worst_filter = max(m["filter"] for _, m, _ in rows)
    print(f"\nworst first render {worst_first:.2f} s (aim < 2 s); "
          f"worst filter change {worst_filter:.2f} s (aim < 0.5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
