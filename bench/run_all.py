"""Run every benchmark and write bench/RESULTS.md (machine, date, commands, figures).

    .venv/bin/python bench/run_all.py [--quick]

Each benchmark is a script of its own in bench/ and prints a table; this collects them.
They need ../shared/bench_corpus (never bundled). --quick runs the smaller variants.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run(title: str, args: list[str], timeout: int = 7200) -> str:
    cmd = " ".join(["python", *args])
    print(f"== {title}: {cmd}", flush=True)
    res = subprocess.run([PY, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    body = res.stdout.strip() or res.stderr.strip()[-3000:]
    print(body, flush=True)
    return f"## {title}\n\n`{cmd}`\n\n```\n{body}\n```\n" if "|---" not in body else \
        f"## {title}\n\n`{cmd}`\n\n{_fenced_except_tables(body)}\n"


def _fenced_except_tables(body: str) -> str:
    """Markdown tables stay tables; other lines go in a code block."""
    out, plain = [], []
    for line in body.splitlines():
        if line.startswith("|"):
            if plain:
                out.append("```\n" + "\n".join(plain) + "\n```")
                plain = []
            out.append(line)
        else:
            plain.append(line)
    if plain:
        out.append("```\n" + "\n".join(plain) + "\n```")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    parts = [f"# Benchmark results\n\nMachine: {cpu}, {os.cpu_count()} cores, "
             f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
             f"Python {platform.python_version()}, {platform.system()} {platform.release()}.  \n"
             f"Date: {dt.datetime.now():%Y-%m-%d %H:%M}. Reproduce with `make bench` "
             f"(or `.venv/bin/python bench/run_all.py`). Figures are CPU or wall seconds as each "
             f"table says; ratios are measured in the same run, on the same text.\n"]
    parts.append(run("Extraction throughput (issue 3)", ["bench/extract_bench.py", "--repeat", "5"]))
    parts.append(run("Extraction throughput, Python source instead of the compiled build",
                     ["bench/extract_bench.py", "--repeat", "3", "--source"]))
    parts.append(run("The whole path against extraction alone (issue 23)",
                     ["bench/whole_path.py", "--rounds", "2" if args.quick else "3"]
                     + (["--files", "300"] if args.quick else [])))
    parts.append(run("Report metadata (issue 19)", ["bench/describe_bench.py", "--repeat", "3"]))
    parts.append(run("Extraction on one long line (issue 22)",
                     ["bench/long_lines.py", "--sizes", "1,3" if args.quick else "1,3,10"]))
    parts.append(run("Against the alternatives (issue 8)",
                     ["bench/compare_bench.py", "--files", "300" if args.quick else "1424"]))
    if not args.quick:
        parts.append(run("Scaling: workers and Dask on >100 MB (issue 8)", ["bench/scale_bench.py"]))
    parts.append(run("Dashboard on 1M claims (issue 5)", ["bench/dashboard_bench.py"]))
    parts.append(run("Checks on 1M claims (issue 6)", ["bench/checks_bench.py"]))
    if (ROOT / "bench" / "export_bench.py").exists():
        parts.append(run("Chart exports (issue 7)", ["bench/export_bench.py"]))
    parts.append(run("Recognizers-Text outside suite (issue 3)", ["bench/recognizers_report.py"]))
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(parts), encoding="utf-8")
    print("wrote bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
