"""`serve [PATH...]`: build the store for these reports, check it, open the dashboard.

With folders, their reports go into a store of their own (etl/stores.py), never the
demo store; without, the bundled demo reports are served (built on first use). The
dashboard is started as `python -m streamlit run app.py` in a child process with
REPORT_FIGURES_DB (and REPORT_FIGURES_UPLOADS beside a user's store) set, so nothing
here imports streamlit.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import stores

APP = stores.ROOT / "app.py"


def add_parser(sub) -> None:
    s = sub.add_parser(
        "serve", help="build the store for these reports and open the dashboard",
        description="Read the reports under PATH (files or folders) into their own store, "
                    "check them, and start the dashboard on it. Without PATH: the bundled "
                    "demo reports. A re-run only reads what changed.")
    s.add_argument("paths", nargs="*", help="report files or folders (default: the demo reports)")
    s.add_argument("--db", help="store file (default: $REPORT_FIGURES_DB, else one per set of "
                                "folders under ~/.local/share/report-figures/stores/)")
    s.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    s.add_argument("--address", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--workers", type=int, default=1, help="processes for reading (0 = all cores)")
    s.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    s.add_argument("--build-only", action="store_true",
                   help="build and check the store, print its path, and do not start the dashboard")
    s.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import subprocess  # here: every command builds this parser, only serve starts a process

    db = Path(args.db).expanduser().resolve() if args.db else stores.store_for(args.paths)
    demo = stores.is_demo(args.paths) and not args.db and not stores.env_db()
    if args.paths or not db.exists():
        code = _build(args.paths or [str(stores.DEMO_CORPUS)], db, args.workers)
        if code:
            return code
    print(f"store: {db}", file=sys.stderr)
    if args.build_only:
        return 0
    env = dict(os.environ, **{stores.DB_ENV: str(db)})
    if not demo and not os.environ.get("REPORT_FIGURES_UPLOADS"):
        env["REPORT_FIGURES_UPLOADS"] = str(stores.uploads_for(db))
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
           "--server.address", args.address]
    if args.no_browser:
        cmd += ["--server.headless", "true"]
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def _build(paths: list[str], db: Path, workers: int) -> int:
    """`run` then `check` into db, as `make run` does for the demo store."""
    from .checks.run import run_checks, save_results
    from .pipeline import RunBusy, run
    from .store import Store, StoreBusy

    db.parent.mkdir(parents=True, exist_ok=True)
    missing = [p for p in paths if not Path(p).expanduser().exists()]
    if missing:
        print(f"error: no such file or folder: {missing[0]}", file=sys.stderr)
        return 1
    try:
        summary = run(paths, db, workers=workers if workers > 0 else (os.cpu_count() or 1))
        print(summary.table(), file=sys.stderr)
        if summary.files_read == 0 and not Path(db).exists():
            print("error: no report could be read", file=sys.stderr)
            return 1
        store = Store(db)
        save_results(store, run_checks(store))
    except (StoreBusy, RunBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0
