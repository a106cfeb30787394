"""Things a test session builds once and every test process shares: `make test` runs
pytest on several worker processes (pytest-xdist), and the five-report store the
dashboard tests read took a whole `etl run` in each of them.

`once(name, build)` runs build(folder) the first time any process of the session asks
for `name`, under a file lock, and hands every later caller (any worker) that folder.
Readers that may write, or that another process may open for writing, take a private
copy (`private_copy`): DuckDB lets one process at a time open a file for writing.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable

# Set by tests/conftest.py for the session: a folder all workers of this run share.
# Outside pytest (a script importing a helper) each process builds its own.
SESSION_DIR: Path | None = None


def once(name: str, build: Callable[[Path], None]) -> Path:
    """The folder `build` filled for this session (built now if no process has yet)."""
    from filelock import FileLock

    root = SESSION_DIR if SESSION_DIR is not None else Path(tempfile.mkdtemp(prefix="rf-tests-"))
    folder, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)     # a build that failed half-way
            folder.mkdir(parents=True)
            build(folder)
            done.touch()
    return folder


def private_copy(db: Path, dest_dir: Path) -> Path:
    """A copy of a DuckDB store (and its write-ahead log, if any) in dest_dir."""
    dest = Path(dest_dir) / db.name
    shutil.copy(db, dest)
    wal = Path(str(db) + ".wal")
    if wal.exists():
        shutil.copy(wal, Path(str(dest) + ".wal"))
    return dest
