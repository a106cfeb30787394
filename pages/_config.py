"""Where the dashboard reads and writes. Read on every call (not at import) so tests
and the bench can point a running process at another store via the environment."""
from __future__ import annotations

import os
from pathlib import Path

from etl import stores

ROOT = Path(__file__).resolve().parent.parent
DB_ENV = stores.DB_ENV
UPLOADS_ENV = "REPORT_FIGURES_UPLOADS"


def db_path() -> Path:
    """The store file: $REPORT_FIGURES_DB, else the demo store, data/figures.duckdb
    (the command line's default too: etl/stores.py)."""
    return stores.default_db()


def uploads_dir() -> Path:
    """Where uploaded reports are kept: $REPORT_FIGURES_UPLOADS, else data/uploads/."""
    env = os.environ.get(UPLOADS_ENV)
    return Path(env).expanduser().resolve() if env else ROOT / "data" / "uploads"


def store_signature(path: Path) -> tuple:
    """Changes whenever the store file or its WAL changes, so cached query results go
    stale by themselves when `etl run` writes while the dashboard is open."""
    sig = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            st = p.stat()
            sig.append((st.st_mtime_ns, st.st_size))
        except OSError:
            sig.append(None)
    return tuple(sig)
