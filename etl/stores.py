"""Which store file holds which reports, so a user's reports never mix with the demo.

    demo store     data/figures.duckdb: the bundled reports in data/corpus/ (`make run`)
    your reports   one store per set of folders, in the user's data folder
                   (~/.local/share/report-figures/stores/<folder>-<hash>.duckdb; on
                   Windows %LOCALAPPDATA%), made by `run PATH` and `serve PATH`
    REPORT_FIGURES_DB   overrides both, for the command line and the dashboard alike
    REPORT_FIGURES_HOME overrides the user's data folder (stores/ and uploads/ go in it)
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_CORPUS = ROOT / "data" / "corpus"
DEMO_DB = ROOT / "data" / "figures.duckdb"
DB_ENV = "REPORT_FIGURES_DB"
HOME_ENV = "REPORT_FIGURES_HOME"

_UNSAFE = re.compile(r"[^\w.-]+")


def env_db() -> Path | None:
    """$REPORT_FIGURES_DB as an absolute path, or None when unset or empty."""
    env = os.environ.get(DB_ENV, "").strip()
    return Path(env).expanduser().resolve() if env else None


def default_db() -> Path:
    """The store a command uses when given no --db: $REPORT_FIGURES_DB, else the demo store."""
    return env_db() or DEMO_DB


def data_home() -> Path:
    """Where a user's own stores and uploads live: $REPORT_FIGURES_HOME, else the
    platform's per-user data folder."""
    env = os.environ.get(HOME_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "report-figures"
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "report-figures"


def is_demo(paths: list[str] | None) -> bool:
    """True for no paths or exactly the bundled corpus folder."""
    if not paths:
        return True
    return [Path(p).expanduser().resolve() for p in paths] == [DEMO_CORPUS.resolve()]


def store_for(paths: list[str] | None) -> Path:
    """The store for these reports: $REPORT_FIGURES_DB if set; the demo store for the
    bundled corpus; otherwise a store of their own, named after the first folder and a
    hash of all the paths (the same folders always get the same store).

    >>> store_for(None) == default_db()
    True
    """
    if env_db() or is_demo(paths):
        return default_db()
    resolved = sorted(str(Path(p).expanduser().resolve()) for p in paths or [])
    first = Path(resolved[0])
    name = _UNSAFE.sub("_", first.stem if first.is_file() else first.name).strip("._") or "reports"
    digest = hashlib.sha1("\n".join(resolved).encode("utf-8")).hexdigest()[:8]
    return data_home() / "stores" / f"{name[:40]}-{digest}.duckdb"


def uploads_for(db: Path) -> Path:
    """Where the dashboard keeps files uploaded into a user's store: beside it."""
    return db.with_name(db.stem + "-uploads")
