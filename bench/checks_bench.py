"""The checks (issue 6) on a synthetic store of 1,000,000 claims, on one core.

    .venv/bin/python bench/checks_bench.py                       # 1M claims, bench/out/checks_1m.duckdb
    .venv/bin/python bench/checks_bench.py --claims 100000 --near-dup-reports 5000

1. The store: bench/dashboard_synthetic.py builds 1M claims in ~100k reports (reused,
   not duplicated here; it is rebuilt only when missing or with --rebuild).
2. Planted cases: every labelled case of tests/golden/checks_cases.yaml is added
   `--replicas` times, each copy under its own organisation, so the expected findings
   are known among the million synthetic claims.
3. Timing: run_checks with DuckDB on one thread (`SET threads = 1`; the Python parts are
   single-threaded anyway), claim checks (duplicates, conflicts, arithmetic) on the whole
   store; near-duplicate reports timed separately on the first --near-dup-reports
   reports, since they scale with reports and text, not claims.
4. Score: findings touching planted claims against the labels (hits, misses, false
   alarms), and how many findings touch only synthetic claims.

The synthetic sentences are one template ("全年围绕{subject}累计完成{n}{unit}。"), so the
same subject with another number in one report is a genuine self-contradiction by the
rules' definition: those within-report conflicts are counted, not hidden.
"""
from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def build_store(path: Path, n_claims: int, rebuild: bool) -> dict:
    import dashboard_synthetic
    if path.exists() and not rebuild:
        return {"path": str(path), "reused": True}
    return dashboard_synthetic.build(path, n_claims)


def plant(path: Path, replicas: int) -> list[tuple[str, dict]]:
    """Add the labelled cases, each replica under its own organisation; returns
    (organisation, case) for scoring."""
    from checks_cases import ROOT as TROOT
    from checks_cases import load_cases, report_from_text

    from etl.pipeline import process_file
    from etl.store import Store

    store = Store(path)
    planted, batch = [], []
    for r in range(replicas):
        for case in load_cases():
            org = f"基准测试机关{r:03d}_{case['id']}"
            for spec in case["reports"]:
                if "file" in spec:
                    p = process_file(TROOT / spec["file"])
                    report, claims = p.report, p.claims
                    text = report.text + f"\n（基准副本 {r} {case['id']}）"   # distinct text: the store keys reports by content
                    # keep each file's own organisation (per replica and case)
                    report, claims = report_from_text(report.doc, text, campaign=report.campaign, year=report.year,
                                                      org=f"{report.organisation or '未知单位'}#{r:03d}_{case['id']}")
                    doc = f"r{r:03d}__{case['id']}__{Path(spec['file']).name}"
                else:
                    text = spec["text"] + f"\n（基准副本 {r} {case['id']}）"
                    report, claims = report_from_text(spec["doc"], text, org=spec.get("org") and f"{spec['org']}{r:03d}" or org,
                                                      campaign=spec.get("campaign"), year=spec.get("year", 2021))
                    doc = f"r{r:03d}__{case['id']}__{spec['doc']}"
                report.doc = doc
                for c in claims:
                    c.doc = doc
                batch.append((report, claims, f"planted/{doc}"))
            planted.append((org, case))
    store.save_reports(batch)
    return planted


def score(store_path: Path, result, planted) -> dict:
    """Findings on planted claims vs labels; findings touching synthetic claims only.
    Planted reports are named r<replica>__<case id>__<doc>."""
    from checks_cases import Score, score_case

    from etl.checks.run import CheckResult

    found: dict[tuple[str, str], list] = {}
    synthetic_only = 0
    for f in result.findings:
        keys = {tuple(c.doc.split("__")[:2]) for c in f.claims if "__" in c.doc}
        if not keys:
            synthetic_only += 1
        for key in keys:
            found.setdefault(key, []).append(f)
    total = Score()
    for org, case in planted:
        if case["id"] in NEEDS_NEAR_DUP:
            continue
        r = org[len("基准测试机关"):len("基准测试机关") + 3]
        total.add(score_case(case, CheckResult(found.get((f"r{r}", case["id"]), []), result.groups)))
    return {"score": total, "synthetic_only_findings": synthetic_only}


# cases whose findings need the near-duplicate pass (scored there, not with the claim checks)
NEEDS_NEAR_DUP = {"reprint_of_002", "ho_reprint_with_edit"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "checks_1m.duckdb")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the synthetic store")
    ap.add_argument("--replicas", type=int, default=3, help="copies of each labelled case (default 3)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--near-dup-reports", type=int, default=20_000)
    ap.add_argument("--near-dup-corpus", type=Path, default=ROOT.parent / "shared" / "bench_corpus",
                    help="real texts to time the near-duplicate pass on (skipped when missing)")
    args = ap.parse_args(argv)

    from etl.checks.config import check_rules
    from etl.checks.near_duplicates import find_near_duplicates
    from etl.checks.run import run_checks
    from etl.store import Store

    t = time.perf_counter()
    info = build_store(args.db, args.claims, args.rebuild or not args.db.exists())
    planted = plant(args.db, args.replicas) if not info.get("reused") else None
    if planted is None:      # reused store: the cases were planted when it was built
        from checks_cases import load_cases
        planted = [(f"基准测试机关{r:03d}_{c['id']}", c) for r in range(args.replicas) for c in load_cases()]
    print(f"store: {args.db} ({'reused' if info.get('reused') else 'built'}, {time.perf_counter() - t:.0f} s)")

    store = Store(args.db, read_only=True)
    counts = store.counts()
    t = time.perf_counter()
    result = run_checks(store, threads=args.threads, near_duplicates=False)
    seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"claim checks: {counts['claims']:,} claims in {counts['reports']:,} reports: {seconds:.1f} s "
          f"on {args.threads} DuckDB thread(s), peak RSS {rss:,.0f} MB  [{platform.processor() or platform.machine()}]")
    for k, v in result.stats.items():
        if k.startswith("seconds:") or "pairs" in k or "skipped" in k:
            print(f"  {k:32s} {v}")
    print(f"  findings: {result.counts()}; duplicate groups: {result.groups['dup_group'].nunique():,}")

    s = score(args.db, result, planted)
    table = s["score"].by_type()
    print(f"planted cases ({len(planted)} = {args.replicas} replicas x {len(planted) // max(1, args.replicas)} cases):")
    for ty, row in table.items():
        print(f"  {ty:24s} hits {row['hits']:4d} misses {row['misses']:3d} false alarms {row['false_alarms']:3d}")
    print(f"  findings touching only synthetic claims: {s['synthetic_only_findings']:,}")

    planted_sql = "report_id IN (SELECT report_id FROM report_files WHERE path LIKE 'planted/%')"
    reports = store.query_df(f"SELECT * FROM (SELECT report_id, doc, text FROM reports WHERE {planted_sql}) "
                             f"UNION ALL SELECT * FROM (SELECT report_id, doc, text FROM reports "
                             f"WHERE NOT {planted_sql} ORDER BY report_id LIMIT ?)", [args.near_dup_reports])
    t = time.perf_counter()
    pairs = find_near_duplicates(reports, check_rules())
    def kind(a: str, b: str) -> str:
        if "__" not in a or "__" not in b:
            return "other"
        (ra, ca, _), (rb, cb, _) = a.split("__", 2), b.split("__", 2)
        if ca == cb and ca in NEEDS_NEAR_DUP:
            return "planted" if ra == rb else "copy"     # copies of one text across replicas
        if (ca == cb and ra != rb) or a.split("__", 2)[2] == b.split("__", 2)[2]:
            return "copy"       # the same source text under two replicas or two cases
        return "other"
    kinds = [kind(a, b) for a, b in zip(pairs["doc_a"], pairs["doc_b"])]
    print(f"near-duplicate reports: {len(reports):,} reports ({reports['text'].str.len().sum() / 1e6:.1f} M chars) "
          f"in {time.perf_counter() - t:.1f} s: {kinds.count('planted')} of {len(NEEDS_NEAR_DUP) * args.replicas} "
          f"planted reprints found, {kinds.count('copy')} pairs of copies of one text across replicas (correct), "
          f"{kinds.count('other')} other pairs")
    if args.near_dup_corpus.is_dir():
        import pandas as pd
        files = sorted(p for p in args.near_dup_corpus.iterdir() if p.suffix in (".md", ".txt"))
        texts = pd.DataFrame({"report_id": [p.name for p in files], "doc": [p.name for p in files],
                              "text": [p.read_text(encoding="utf-8", errors="replace") for p in files]})
        t = time.perf_counter()
        pairs = find_near_duplicates(texts, check_rules())
        print(f"near-duplicate reports on real text ({args.near_dup_corpus.name}): {len(texts):,} reports "
              f"({texts['text'].str.len().sum() / 1e6:.1f} M chars) in {time.perf_counter() - t:.1f} s: "
              f"{len(pairs)} pairs")
        for r in pairs.head(5).itertuples():
            print(f"  {r.doc_a} ~ {r.doc_b}: Jaccard {r.jaccard}, containment {r.containment}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
