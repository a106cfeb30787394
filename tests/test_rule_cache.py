"""Rule files are parsed once and then read from the cache (etl/file_cache.py), and an
edited file is never served from a stale entry (issue 23)."""
from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from etl import file_cache, rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("REPORT_FIGURES_CACHE", str(d))
    return d


def entries(cache: Path, name: str) -> list[Path]:
    return sorted((cache / "rules").glob(f"{name.split('.')[0]}.*.pickle"))


def test_a_parsed_rule_file_is_read_from_the_cache(tmp_path, cache, monkeypatch):
    f = tmp_path / "units.yaml"
    f.write_text("units:\n  元: [元, money, 1]\n", encoding="utf-8")
    assert rules.load_yaml(f) == {"units": {"元": ["元", "money", 1]}}
    assert len(entries(cache, "units.yaml")) == 1

    def no_parsing(*a, **k):
        raise AssertionError("parsed again")
    monkeypatch.setattr(yaml, "safe_load", no_parsing)
    assert rules.load_yaml(f) == {"units": {"元": ["元", "money", 1]}}


def test_editing_a_yaml_invalidates_its_entry(tmp_path, cache):
    f = tmp_path / "units.yaml"
    f.write_text("units:\n  元: [元, money, 1]\n", encoding="utf-8")
    rules.load_yaml(f)
    first = entries(cache, "units.yaml")
    # same size, and the same modification time: the content decides, not the stat
    st = f.stat()
    f.write_text("units:\n  人: [人, people, 1]\n", encoding="utf-8")
    import os
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert rules.load_yaml(f) == {"units": {"人": ["人", "people", 1]}}
    now = entries(cache, "units.yaml")
    assert len(now) == 2 and set(first) < set(now)     # a new entry beside the old one


def test_a_few_versions_are_kept_side_by_side(tmp_path, cache):
    """Two checkouts with different rules sharing one cache do not evict each other
    (each start would parse again); older versions beyond file_cache.KEEP are dropped."""
    import os
    f = tmp_path / "units.yaml"
    texts = [f"units:\n  元{i}: [元, money, 1]\n" for i in range(file_cache.KEEP + 2)]
    for i, text in enumerate(texts):
        f.write_text(text, encoding="utf-8")
        rules.load_yaml(f)
        # the entry just written gets a modification time a second after the last
        newest = max(entries(cache, "units.yaml"), key=lambda e: e.stat().st_mtime_ns)
        os.utime(newest, ns=(10**18 + i * 10**9, 10**18 + i * 10**9))
    assert len(entries(cache, "units.yaml")) == file_cache.KEEP
    # the newest versions are still read without parsing; the oldest was parsed again
    f.write_text(texts[-2], encoding="utf-8")
    before = set(entries(cache, "units.yaml"))
    assert rules.load_yaml(f) == {"units": {f"元{len(texts) - 2}": ["元", "money", 1]}}
    assert set(entries(cache, "units.yaml")) == before


def test_a_broken_or_foreign_entry_is_parsed_again(tmp_path, cache):
    f = tmp_path / "approx.yaml"
    f.write_text("prefix: {约: about}\n", encoding="utf-8")
    rules.load_yaml(f)
    [entry] = entries(cache, "approx.yaml")
    entry.write_bytes(b"\x80\x04 not a pickle")
    assert rules.load_yaml(f) == {"prefix": {"约": "about"}}
    assert pickle.loads(entry.read_bytes()) == {"prefix": {"约": "about"}}


def test_a_malformed_file_still_names_itself_and_is_not_cached(tmp_path, cache):
    f = tmp_path / "numerals.yaml"
    f.write_text("digits: [一, 二\n", encoding="utf-8")
    with pytest.raises(rules.RuleError, match="numerals.yaml"):
        rules.load_yaml(f)
    assert entries(cache, "numerals.yaml") == []
    f.write_bytes(b"digits: \xff\xfe\n")
    with pytest.raises(rules.RuleError, match="numerals.yaml"):
        rules.load_yaml(f)


def test_an_unwritable_cache_only_means_parsing(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("REPORT_FIGURES_CACHE", str(blocker / "sub"))   # cannot be a folder
    f = tmp_path / "qualifiers.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    assert rules.load_yaml(f) == {"a": 1}


def test_every_rule_file_reads_the_same_from_the_cache(cache):
    for path in sorted(rules.RULES_DIR.glob("*.yaml")):
        parsed = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert rules.load_yaml(path) == parsed          # parses and stores
        assert rules.load_yaml(path) == parsed          # from the entry


def test_an_edited_rule_changes_extraction_in_the_next_process(tmp_path):
    """End to end: a copy of the rules, extracted from once (cache filled), then a unit
    word edited; the next process sees the edit."""
    import shutil
    rules_copy = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, rules_copy)
    env_cache = tmp_path / "cache"
    code = ("from etl.extraction.extract import extract_text;"
            "print([c.unit_class for c in extract_text('发放慰问金27万元。', 'x') if c.is_claim])")
    env = {"REPORT_FIGURES_RULES": str(rules_copy), "REPORT_FIGURES_CACHE": str(env_cache),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def run() -> str:
        res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        return res.stdout.strip()

    assert run() == "['money']"
    assert (env_cache / "rules").is_dir()
    units = rules_copy / "units.yaml"
    text = units.read_text(encoding="utf-8")
    assert "\n  元: [元, money, 1]\n" in text
    units.write_text(text.replace("\n  元: [元, money, 1]\n", "\n  元: [元, items, 1]\n"), encoding="utf-8")
    assert run() == "['items']"


def test_a_mapped_entry_reads_back_its_head_and_its_bytes(cache):
    """file_cache.mapped (jieba's tables): built once, then the head unpickled and the
    blob read from the file at `base`; a truncated entry is built again."""
    calls = []

    def build():
        calls.append(1)
        return ({"a": (0, 3), "b": (3, 2)}, "甲乙".encode("utf-8")[:5] + b"xy")

    first = file_cache.mapped("t", "blob", "k1", build)
    head, blob, base = file_cache.mapped("t", "blob", "k1", build)
    assert calls == [1]
    assert first[0] == head == {"a": (0, 3), "b": (3, 2)}
    assert bytes(blob[base:base + 3]).decode() == "甲" and bytes(blob[base + 5:]) == b"xy"
    [entry] = (cache / "t").iterdir()
    data = entry.read_bytes()
    entry.write_bytes(data[:-1])            # the blob cut short: never read as it is
    head, blob, base = file_cache.mapped("t", "blob", "k1", build)
    assert calls == [1, 1] and bytes(blob[base:]) == "甲乙".encode("utf-8")[:5] + b"xy"
    assert entry.read_bytes() == data       # and written whole again
