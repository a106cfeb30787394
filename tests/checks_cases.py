"""Helpers for the checks' tests: build an in-memory store from labelled cases
(tests/golden/checks_cases.yaml) and score the findings against the labels."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from etl.checks.run import CheckResult, run_checks
from etl.claim import content_hash
from etl.extraction.extract import extract_text
from etl.extraction.normalize import to_simplified
from etl.report import Report
from etl.store import Store

ROOT = Path(__file__).resolve().parents[1]
CASES_FILE = Path(__file__).resolve().parent / "golden" / "checks_cases.yaml"
SCORED = ("duplicate", "conflict", "arithmetic", "arithmetic_ok", "near_duplicate_report")
ALARMS = ("conflict", "arithmetic", "duplicate", "near_duplicate_report")   # claims a reader acts on


def load_cases() -> list[dict]:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def report_from_text(doc: str, text: str, *, org: str | None = "测试机关工委", campaign: str | None = None,
                     year: int | None = 2021) -> tuple[Report, list]:
    report = Report(report_id=content_hash(text), doc=doc, path=doc, format="txt", encoding="utf-8",
                    text=text, organisation=org, campaign=campaign, year=year)
    return report, extract_text(text, doc)


def build_store(reports: list[dict]) -> Store:
    from etl.pipeline import process_file
    store = Store(":memory:")
    batch = []
    for spec in reports:
        if "file" in spec:
            p = process_file(ROOT / spec["file"])
            assert p.ok, p.reason
            report, claims = p.report, p.claims
            for k, attr in (("org", "organisation"), ("campaign", "campaign"), ("year", "year")):
                if k in spec:
                    setattr(report, attr, spec[k])
        else:
            report, claims = report_from_text(spec["doc"], spec["text"], org=spec.get("org", "测试机关工委"),
                                              campaign=spec.get("campaign"), year=spec.get("year", 2021))
        batch.append((report, claims, spec.get("file") or spec["doc"]))
    store.save_reports(batch)
    return store


def run_case(case: dict) -> CheckResult:
    store = build_store(case["reports"])
    try:
        return run_checks(store)
    finally:
        store.close()


def _key(texts) -> Counter:
    return Counter(to_simplified(t) for t in texts)


@dataclass
class Score:
    hits: list = field(default_factory=list)          # (case, type, texts)
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)  # (case, type, texts, detail)

    def add(self, other: "Score") -> None:
        self.hits += other.hits
        self.misses += other.misses
        self.false_alarms += other.false_alarms

    def by_type(self) -> dict[str, dict[str, float]]:
        out = {}
        for t in SCORED:
            h = sum(1 for x in self.hits if x[1] == t)
            m = sum(1 for x in self.misses if x[1] == t)
            f = sum(1 for x in self.false_alarms if x[1] == t)
            out[t] = {"hits": h, "misses": m, "false_alarms": f,
                      "precision": h / (h + f) if h + f else 1.0, "recall": h / (h + m) if h + m else 1.0}
        return out


def score_case(case: dict, result: CheckResult) -> Score:
    """Match findings to labels: same type and the same claim texts (near-duplicate
    labels list no texts and match on type)."""
    ignore = set(case.get("ignore") or [])
    expected = [(e["type"], _key(e.get("texts") or [])) for e in case.get("expect") or []]
    found = [(f.type, _key(c.text for c in f.claims), f.detail) for f in result.findings if f.type not in ignore]
    s = Score()
    used = [False] * len(found)
    for etype, etexts in expected:
        for i, (ftype, ftexts, _) in enumerate(found):
            if not used[i] and ftype == etype and (ftexts == etexts or etype == "near_duplicate_report"):
                used[i] = True
                s.hits.append((case["id"], etype, sorted(etexts.elements())))
                break
        else:
            s.misses.append((case["id"], etype, sorted(etexts.elements())))
    for i, (ftype, ftexts, detail) in enumerate(found):
        if not used[i]:
            s.false_alarms.append((case["id"], ftype, sorted(ftexts.elements()), detail))
    return s
