"""What the worker-process tests share (test_run_process_ahead.py, test_worker_start_methods.py):
waiting for a condition, and a folder of copies of some reports."""
from __future__ import annotations

import time
from pathlib import Path


def wait_for(predicate, timeout: float = 10.0) -> bool:
    """Whether `predicate()` came true within `timeout` seconds (asked every 50 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def copy_reports(reports: list[Path], folder: Path) -> Path:
    """`folder`, made, holding a copy of each of `reports`."""
    folder.mkdir()
    for p in reports:
        (folder / p.name).write_bytes(p.read_bytes())
    return folder
