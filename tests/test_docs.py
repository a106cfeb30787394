"""The README stays true: its quick start is the two make targets, every dashboard page
and every command it has is documented (sqlite-utils' habit of testing the docs)."""
from __future__ import annotations

import re
from pathlib import Path

from etl.cli import _parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_exactly_two_make_commands():
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_dashboard_page_is_documented():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    titles = re.findall(r'st\.Page\([^)]*title="([^"]+)"', app)
    assert len(titles) >= 7
    for title in titles:
        assert title in README, f"page {title} is not in the README"


def test_every_command_is_documented():
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"-m etl {name}" in README, f"`python -m etl {name}` is not in the README"
