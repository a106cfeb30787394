"""Large patterns are compiled once and their program read back from the cache
(etl/regex_cache.py); what comes back is always the pattern re.compile makes (issue 23)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl import regex_cache, regex_programs

# named groups, back references, look-arounds, flags, a large character class
PATTERNS = [
    (r"(?P<num>\d+(?:\.\d+)?)(?P<big>万|亿)?(?P<unit>元|人次?)", 0),
    (r"(\w+)\s(?P<again>\1)", 0),
    (r"(?<![\d.])((?:19|20)\d{2})年(?!代)", 0),
    (r"copyright|版权|©|icp|all rights", re.IGNORECASE),
    (r"^#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE),
    ("[" + "".join(chr(c) for c in range(0x4E00, 0x9FFF, 7)) + "]+", 0),
    (r"<(?:!--.*?-->|(script|style)\b[^>]*>.*?</\1\s*>)", re.DOTALL | re.IGNORECASE),
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("REPORT_FIGURES_CACHE", str(d))
    return d


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "regex").glob("*.pickle"))


def same(a: re.Pattern, b: re.Pattern) -> None:
    # Pattern equality compares the pattern, the flags and the compiled program
    assert a == b
    assert (a.pattern, a.flags, a.groups, dict(a.groupindex)) == (b.pattern, b.flags, b.groups, dict(b.groupindex))


@pytest.mark.parametrize("k", range(len(PATTERNS)))
def test_a_cached_pattern_is_the_pattern_re_compile_makes(cache, k):
    pattern, flags = PATTERNS[k]
    first = regex_cache.regex(f"t.{k}", pattern, flags)        # compiled, then kept
    again = regex_cache.regex(f"t.{k}", pattern, flags)        # read back
    same(first, re.compile(pattern, flags))
    same(again, re.compile(pattern, flags))
    assert again.findall("2021年发放慰问金27万元，共计6600人次 版权 Copyright ab ab") == \
        re.compile(pattern, flags).findall("2021年发放慰问金27万元，共计6600人次 版权 Copyright ab ab")


def test_the_program_is_read_back_not_compiled_again(cache, monkeypatch):
    if regex_cache._ENGINE is None:
        pytest.skip("not CPython's regex engine: re.compile every time")
    pattern = PATTERNS[0][0]
    regex_cache.regex("t.read", pattern)
    assert len(entries(cache)) == 1

    def no_compiling(*a, **k):
        raise AssertionError("compiled again")
    monkeypatch.setattr(regex_programs, "program_of", no_compiling)
    monkeypatch.setattr(regex_cache.re, "compile", no_compiling)
    got = regex_cache.regex("t.read", pattern)
    monkeypatch.undo()
    same(got, re.compile(pattern))


def test_another_pattern_or_flags_under_the_same_name_is_its_own_entry(cache):
    a = regex_cache.regex("t.same", "ab+")
    b = regex_cache.regex("t.same", "ab+", re.IGNORECASE)
    c = regex_cache.regex("t.same", "ab*")
    same(a, re.compile("ab+"))
    same(b, re.compile("ab+", re.IGNORECASE))
    same(c, re.compile("ab*"))
    assert len(entries(cache)) == (3 if regex_cache._ENGINE else 0)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", None])
def test_a_damaged_entry_falls_back_to_compiling(cache, damage):
    pattern = PATTERNS[1][0]
    regex_cache.regex("t.bad", pattern)
    for entry in entries(cache):
        if damage is None:      # a well-formed entry with a program the engine refuses
            import pickle
            flags, code, groups, gi, ig = pickle.loads(entry.read_bytes())
            code[len(code) // 2] = 4_000_000
            entry.write_bytes(pickle.dumps((flags, code, groups, gi, ig)))
        else:
            entry.write_bytes(damage)
    same(regex_cache.regex("t.bad", pattern), re.compile(pattern))


def test_a_bad_pattern_raises_as_re_compile_does(cache):
    with pytest.raises(re.error):
        regex_cache.regex("t.error", "(unclosed")
    assert entries(cache) == []


def test_no_cache_folder_still_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")      # a file where the folder should be
    monkeypatch.setenv("REPORT_FIGURES_CACHE", str(blocker / "cache"))
    same(regex_cache.regex("t.nocache", PATTERNS[2][0]), re.compile(PATTERNS[2][0]))


def test_the_scanner_and_organisation_patterns_are_what_re_compile_makes(cache):
    """The patterns cached at start, built from the rules: compiled, then read back."""
    from etl.extraction import scanner
    from etl.reading import organisations

    for _ in range(2):
        scanner._dispatch.cache_clear()
        organisations.organisation_rules.cache_clear()
        _, table = scanner._dispatch()
        shapes = organisations.organisation_rules().shapes
        pats = [*set(table.values()), shapes.placed, shapes.unit, shapes.placed_here,
                shapes.unit_here, shapes.committee_here, shapes.boundary, shapes.place]
        for pat in pats:
            same(pat, re.compile(pat.pattern, pat.flags & ~re.UNICODE))
    if regex_cache._ENGINE:
        assert len(entries(cache)) >= len(pats)


def test_the_traditional_characters_from_the_cache_are_opencc_s(cache):
    from etl.extraction import normalize

    normalize._traditional_chars.cache_clear()
    fresh = normalize._traditional_chars()
    normalize._traditional_chars.cache_clear()
    cached = normalize._traditional_chars()
    assert cached == fresh
    assert cached.pattern[1:-1] == normalize._changed_chars()     # what OpenCC says now
    assert normalize.to_simplified("萬人次，臺灣") == "万人次，台湾"


def test_a_list_of_patterns_is_one_entry_of_what_re_compile_makes(cache, monkeypatch):
    pats = [p for p, f in PATTERNS if f == 0]
    first = regex_cache.regexes("t.list", pats)
    again = regex_cache.regexes("t.list", pats)       # read back
    for a, b, p in zip(first, again, pats):
        same(a, re.compile(p))
        same(b, re.compile(p))
    assert len(first) == len(again) == len(pats)
    assert regex_cache.regexes("t.empty", []) == []
    if regex_cache._ENGINE is None:
        return
    assert len([e for e in entries(cache) if e.name.startswith("t-list.")]) == 1

    def no_compiling(*a, **k):
        raise AssertionError("compiled again")
    monkeypatch.setattr(regex_programs, "program_of", no_compiling)
    monkeypatch.setattr(regex_cache.re, "compile", no_compiling)
    got = regex_cache.regexes("t.list", pats)
    monkeypatch.undo()
    for a, p in zip(got, pats):
        same(a, re.compile(p))
    # another list under the same name is its own entry, not the first one's programs
    other = regex_cache.regexes("t.list", pats[:2])
    assert [x.pattern for x in other] == pats[:2]
