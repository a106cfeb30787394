"""Run every check over a store, or over files read directly.

    result = run_checks(store)            # stored claims (corrections applied)
    result = check_paths(["a.txt", ...])  # extract the files into a private in-memory store
    save_results(store, result)           # findings + duplicate groups into the store

The heavy work is SQL on a private in-memory DuckDB (Store.analysis): the stored claims
are copied once, the store file is released, then blocking, matching and grouping run
as joins. Python only touches candidate pairs, distinct subjects and report texts.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pandas as pd

from .arithmetic import arithmetic_findings
from .config import CheckRules, check_rules
from .conflicts import conflict_findings, match_conflicts, reprint_conflict_pairs
from .duplicates import duplicate_findings, group_duplicates, join_groups, match_duplicates
from .findings import Finding
from .prepare import prepare

_ORDER = {"conflict": 0, "arithmetic": 1, "near_duplicate_report": 2, "duplicate": 3, "arithmetic_ok": 4}


@dataclass
class CheckResult:
    findings: list[Finding]
    groups: pd.DataFrame                 # claim_id, dup_group, dup_size, dup_primary
    stats: dict = field(default_factory=dict)    # counts and seconds per stage
    run: dict = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.type] = out.get(f.type, 0) + 1
        return out


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def run_checks(store, *, rules: CheckRules | None = None, threads: int | None = None,
               near_duplicates: bool = True) -> CheckResult:
    """All checks over the claims in `store` (an etl.store.Store)."""
    rules = rules or check_rules()
    started, t0 = _now(), time.perf_counter()
    stats: dict = {}
    lap = [time.perf_counter()]

    def timed(name: str) -> None:
        now = time.perf_counter()
        stats[f"seconds:{name}"] = round(now - lap[0], 3)
        lap[0] = now

    with store.analysis(threads=threads) as a:
        reports = a.df(f"SELECT report_id, doc, text, format FROM {a.src}.reports_effective") if near_duplicates else None
        stats.update(prepare(a, rules))
        timed("prepare")
        findings: list[Finding] = []
        reprints = None
        if near_duplicates:
            reprints, nd_findings = _near_duplicates(reports, rules, stats)
            findings += nd_findings
            del reports
            timed("near_duplicates")
        stats.update(match_duplicates(a, rules, reprints))
        groups = group_duplicates(a)
        findings += duplicate_findings(a, groups)
        timed("duplicates")
        stats.update(match_conflicts(a, rules, groups, reprints))
        findings += conflict_findings(a)
        # a reprint's changed figure is still one fact: sums count it once
        groups = join_groups(a, groups, reprint_conflict_pairs(a))
        timed("conflicts")
        findings += arithmetic_findings(a, rules)
        timed("arithmetic")
    findings.sort(key=lambda f: (_ORDER[f.type], f.claims[0].doc, f.claims[0].start))
    seconds = time.perf_counter() - t0
    stats["seconds:total"] = round(seconds, 3)
    run = {"run_id": f"check-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}", "started_at": started,
           "finished_at": _now(), "n_reports": stats.get("reports"), "n_claims": stats.get("claims"),
           "seconds": seconds, "stats": stats}
    result = CheckResult(findings, groups, stats, run)
    run["counts"] = result.counts()
    return result


def _near_duplicates(reports: pd.DataFrame, rules: CheckRules, stats: dict):
    from .near_duplicates import find_near_duplicates, near_duplicate_findings
    pairs = find_near_duplicates(reports, rules)
    stats["near_duplicate_pairs"] = len(pairs)
    return pairs, near_duplicate_findings(pairs, reports)


def check_paths(paths: Iterable[str | Path], *, rules: CheckRules | None = None,
                max_mb: float = 20.0, errors=None) -> CheckResult:
    """Read and extract the given files (folders are walked) into a private in-memory
    store, the way `etl run` stores them, and check them. Unreadable files are reported
    through `errors(path, reason)`."""
    from ..pipeline import store_files
    from ..reading.ingest import iter_report_paths
    from ..store import Store

    store = Store(":memory:")
    try:
        summary = store_files(list(iter_report_paths([str(p) for p in paths])), store,
                              max_mb=max_mb, label="check")
        if errors:
            for path, reason in summary.skipped:
                errors(path, reason)
        return run_checks(store, rules=rules)
    finally:
        store.close()


def findings_frames(findings: list[Finding]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The findings and their claim references as the store's table rows."""
    f_rows, c_rows = [], []
    for f in findings:
        fid = f.finding_id
        f_rows.append((fid, f.type, f.severity, f.rule, f.detail, f.report_ids,
                       json.dumps(f.data, ensure_ascii=False, default=float)))
        for i, c in enumerate(f.claims):
            c_rows.append((fid, i, c.claim_id, c.report_id, c.doc, c.start, c.end, c.text, c.role))
    fdf = pd.DataFrame(f_rows, columns=["finding_id", "type", "severity", "rule", "detail", "report_ids", "data"])
    cdf = pd.DataFrame(c_rows, columns=["finding_id", "pos", "claim_id", "report_id", "doc", "start", "end",
                                        "text", "role"])
    # the same rule over the same spans is one finding (e.g. a pair reached twice)
    keep = ~fdf["finding_id"].duplicated()
    fdf = fdf[keep]
    cdf = cdf[cdf["finding_id"].isin(fdf["finding_id"])].drop_duplicates(["finding_id", "pos"])
    return fdf, cdf


def save_results(store, result: CheckResult) -> None:
    from ..rules import rules_version
    fdf, cdf = findings_frames(result.findings)
    run = dict(result.run, rules_version=rules_version())
    store.save_check_results(run, fdf, cdf, result.groups)
