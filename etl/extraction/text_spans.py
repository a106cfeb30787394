"""Sentence, clause and line boundaries of a text, looked up by offset.

A sentence ends at 。！？；(and their ASCII forms) or a line break; a clause also ends
at a comma or colon. The enumeration comma 、 joins the parts of one noun phrase
(部门、单位) and does not end a clause, nor does the comma of 1,200.

Only figures that are claims need their sentence and clause, so those are found by a
short walk each way from the figure (a table look-up per character) rather than
by listing every separator of the report; a search that finds nothing within
`_REACH` characters (a page with no punctuation) falls back to the full list.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Final

import re
from functools import cache

if TYPE_CHECKING:
    from mypy_extensions import i64     # mypyc's native integer (annotations only)

_SENTENCE_CHARS: Final = "。！？；!?;\n"
_CLAUSE_CHARS: Final = _SENTENCE_CHARS + "，,：:"
_SENTENCE_END: Final = re.compile(f"[{_SENTENCE_CHARS}]")
_CLAUSE_END: Final = re.compile(f"[{_CLAUSE_CHARS}]")


def char_table(chars: str | frozenset[str]) -> bytes:
    """1 at the code point of each of `chars` in the Basic Multilingual Plane: the short
    searches around a figure test a character by one index (ord of text[k] makes no
    string in the compiled build) instead of a regex search or a set look-up each (their
    call and per-character class test cost several times more on the few dozen
    characters to the next stop); a caller tests a character beyond the plane against
    `chars` itself."""
    t = bytearray(0x10000)
    for ch in chars:
        if ord(ch) < 0x10000:
            t[ord(ch)] = 1
    return bytes(t)


def first_in(text: str, lo: int, hi: int, table: bytes, chars: str | frozenset[str]) -> int:
    """Where the first of `chars` in text[lo:hi] is, else -1, by `table` (`char_table`
    of `chars`) for a character in the Basic Multilingual Plane and `chars` beyond it."""
    j = max(lo, 0)
    hi = min(hi, len(text))
    while j < hi:
        c = ord(text[j])
        if c < 0x10000:
            if table[c]:
                return j
        elif text[j] in chars:
            return j
        j += 1
    return -1


def first_marked(text: str, pos: int, table: bytes) -> int:
    """Where the first character from `pos` on that `table` (`char_table`) marks is, else
    -1; a character beyond the Basic Multilingual Plane is never marked. For a class
    searched through a whole text: compiled with native integers this is about 30
    instructions a character, where a regex search for the same class costs 33-61 (its
    class test) and each call a match object (callgrind, bench/RESULTS.md speed28). The
    Python source keeps the regex search (`walks_compiled`): interpreted, this loop is
    many times slower."""
    n: i64 = len(text)
    j: i64 = pos if pos > 0 else 0     # as a regex search reads a negative pos
    while j < n:
        c: i64 = ord(text[j])
        if c < 0x10000 and table[c]:
            return j
        j += 1
    return -1


@cache
def walks_compiled() -> bool:
    """Whether `first_marked` runs compiled (mypyc makes it a builtin, without __code__)."""
    return not hasattr(first_marked, "__code__")


_SENTENCE_TABLE: Final = char_table(_SENTENCE_CHARS)
_BLANKS: Final = " \t\r\n\u00a0\u3000"     # trimmed off a sentence's ends
_BLANK_TABLE: Final = char_table(_BLANKS)


def _blank(text: str, k: int) -> bool:
    """text[k] in _BLANKS (none lies beyond the plane)."""
    c = ord(text[k])
    return c < 0x10000 and _BLANK_TABLE[c] != 0
_CLAUSE_TABLE: Final = char_table(_CLAUSE_CHARS)
_REACH: Final = 400    # characters searched each way before falling back to the full list
# A "sentence" longer than this is a page without punctuation (a table dump, a hostile
# upload): a figure on it sees only _LONG_WINDOW characters each side, so the work per
# figure stays bounded and extraction stays linear in the length of the text. Real
# reports' longest sentence is under 3,000 characters (bench corpus: 2,934).
_LONG_SPAN: Final = 4000
_LONG_WINDOW: Final = 300


def after_sorted(a: list[int], x: int) -> int:
    """bisect_right(a, x) for a sorted list of ints: the loop compiled with the list
    read directly, where a call of the bisect module through Python cost about 1,000
    instructions (boxing, rich comparisons) for the lines, openers and sentence ends
    every figure looks up."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _ends(pattern: re.Pattern, text: str) -> list[int]:
    """Offsets just after each separator."""
    return [m.end() for m in pattern.finditer(text)]


def line_ends_of(text: str) -> list[int]:
    """Offsets just after each line break: one find per line (compiled, a C call that
    copies nothing), where splitting the text into lines copied all of it and built
    three lists of numbers (about 1,200 instructions a line)."""
    ends: list[int] = []
    i = text.find("\n")
    while i >= 0:
        i += 1
        ends.append(i)
        i = text.find("\n", i)
    return ends


def _bounded(s: int, e: int, pos: int) -> tuple[int, int]:
    """(s, e) itself, or the window of it around `pos` when the span is too long."""
    if e - s <= _LONG_SPAN:
        return s, e
    return max(s, pos - _LONG_WINDOW), min(e, pos + _LONG_WINDOW)


def _thousands(text: str, end: int) -> bool:
    """The separator before `end` is the comma of 1,200 (a digit before, three after)."""
    return (text[end - 1] == "," and end >= 2 and text[end - 2].isdigit()
            and len(text[end:end + 3]) == 3 and text[end:end + 3].isdigit())


class Boundaries:
    """Where the sentence, clause and line around an offset start and end (a sentence
    or clause longer than _LONG_SPAN: the window of it around the offset)."""

    __slots__ = ("text", "_sent", "_clause", "_lines", "_furniture", "_last_sent",
                 "_last_clause", "_last_line", "_word_places", "_word_places_of")

    def __init__(self, text: str, line_ends: list[int] | None = None):
        self.text = text
        self._sent: list[int] | None = None      # every sentence end: the fallback
        self._clause: list[int] | None = None
        # lines: every mention asks (`line_ends`: line_ends_of(text), found already)
        self._lines = line_ends_of(text) if line_ends is None else line_ends
        self._furniture: dict[int, bool] = {}
        # the last sentence and clause found, untrimmed: figures come in text order and
        # several share one sentence, whose span holds for any offset inside it
        self._last_sent = (0, 0)
        self._last_clause = (0, 0)
        self._last_line = (0, 0)
        # where the furniture words stand in the text (starts, ends), found on the first
        # question and kept for the words they were found for
        self._word_places: tuple[list[int], list[int]] | None = None
        self._word_places_of: tuple[str, ...] | None = None

    @staticmethod
    def _around(ends: list[int], pos: int, n: int) -> tuple[int, int]:
        i = after_sorted(ends, pos)
        start = ends[i - 1] if i else 0
        end = ends[i] if i < len(ends) else n
        return start, end

    def _start_before(self, table: bytes, pos: int) -> int | None:
        """Just after the last separator before `pos` (0 if none), None if it is
        farther back than _REACH."""
        text = self.text
        j = min(pos, len(text)) - 1
        lo = max(0, pos - _REACH)
        while j >= lo:
            c = ord(text[j])
            if c < 0x10000 and table[c]:
                return j + 1
            j -= 1
        return 0 if pos <= _REACH else None

    def _end_after(self, table: bytes, pos: int) -> int | None:
        """Just after the first separator at or after `pos` (the text's end if none)."""
        text = self.text
        n = len(text)
        j = max(pos, 0)
        hi = min(n, pos + _REACH)
        while j < hi:
            c = ord(text[j])
            if c < 0x10000 and table[c]:
                return j + 1
            j += 1
        return n if pos + _REACH >= n else None

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `pos`, surrounding blanks trimmed.

        >>> b = Boundaries("前言。发放慰问金27万元，吸引55个部门。\\n下一句")
        >>> s, e = b.sentence(10); b.text[s:e]
        '发放慰问金27万元，吸引55个部门。'
        """
        s, e = self._last_sent
        if not s <= pos < e:
            s0 = self._start_before(_SENTENCE_TABLE, pos)
            e0 = self._end_after(_SENTENCE_TABLE, pos)
            if s0 is None or e0 is None:
                if self._sent is None:
                    self._sent = _ends(_SENTENCE_END, self.text)
                s, e = self._around(self._sent, pos, len(self.text))
            else:
                s, e = s0, e0
            self._last_sent = (s, e)
        s, e = _bounded(s, e, pos)
        text = self.text
        # the blanks by a table (all in the plane): text[s] made a one-character string
        # and searched the blanks with it, for every figure's sentence
        while s < e and _blank(text, s):
            s += 1
        while e > s and _blank(text, e - 1):
            e -= 1
        return s, e

    def clause(self, pos: int) -> tuple[int, int]:
        """(start, end) of the clause holding `pos`.

        >>> b = Boundaries("帮助1,200名学生，完成学业")
        >>> s, e = b.clause(3); b.text[s:e]
        '帮助1,200名学生，'
        """
        ls, le = self._last_clause
        if not ls <= pos < le:
            ls, le = self._last_clause = self._clause_at(pos)
        return _bounded(ls, le, pos)

    def _clause_at(self, pos: int) -> tuple[int, int]:
        text = self.text
        s = self._start_before(_CLAUSE_TABLE, pos)
        while s and _thousands(text, s):
            s = self._start_before(_CLAUSE_TABLE, s - 1)
        e = self._end_after(_CLAUSE_TABLE, pos)
        while e and e < len(text) and _thousands(text, e):
            e = self._end_after(_CLAUSE_TABLE, e)
        if s is not None and e is not None:
            return s, e
        if self._clause is None:
            self._clause = _ends(_CLAUSE_END, text)
        ends, n = self._clause, len(text)
        i = after_sorted(ends, pos)
        lo = i - 1
        while lo >= 0 and _thousands(text, ends[lo]):
            lo -= 1
        hi = i
        while hi < len(ends) and _thousands(text, ends[hi]):
            hi += 1
        return (ends[lo] if lo >= 0 else 0), (ends[hi] if hi < len(ends) else n)

    def line(self, pos: int) -> tuple[int, int]:
        # the last line found holds for any offset inside it (figures come in order)
        s, e = self._last_line
        if s <= pos < e:
            return s, e
        found = self._around(self._lines, pos, len(self.text))
        self._last_line = found
        return found

    def furniture_line(self, start: int, end: int, words: tuple[str, ...]) -> bool:
        """Whether the line [start, end) holds one of `words` (page furniture); memoised
        per line, since a line holds many figures. One `in` per word: a regex
        alternation of them tested a class of first characters at every character of
        the line, several times the cost on the long lines of a report."""
        hit = self._furniture.get(start)
        if hit is None:
            hit = self._holds(start, end, words)
            self._furniture[start] = hit
        return hit

    def _holds(self, start: int, end: int, words: tuple[str, ...]) -> bool:
        """Whether one of `words` lies in [start, end), by the places of the words in
        the whole text, found once (`word_places`): a find per first character goes at
        memchr speed, where the walk along each line tested every character (callgrind,
        100 bench files: 31 M for the lines with figures)."""
        if self._word_places_of is not words:
            self._word_places = word_places(self.text, words)
            self._word_places_of = words
        places = self._word_places
        if places is None:
            return _holds_word(self.text, start, end, words)
        starts, ends = places
        k = after_sorted(starts, start - 1)     # the first word starting at or after start
        n = len(starts)
        while k < n and starts[k] < end:
            if ends[k] <= end:
                return True
            k += 1
        return False


def _holds_word(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Whether text[start:end] holds one of `words`: one walk along the line with a table
    of the words' first characters, a bounded find only where one stands (an `in` per
    word was a search of the line each, 14 of them per line; callgrind: about half the
    instructions on the bench reports' lines). tests/test_extraction_speed_paths.py
    holds it equal to the `in` per word."""
    firsts = _FIRST_CHARS.get(words)
    if firsts is None:
        firsts = _first_chars(words)
    table, by_first = firsts
    if not table:
        # a word not starting in the Basic Multilingual Plane (or empty): one `in` each
        line = text[start:end]
        for w in words:
            if w in line:
                return True
        return False
    j = start
    while j < end:
        c = ord(text[j])
        if c < 0x10000 and table[c]:
            for w in by_first[c]:
                hi = j + len(w)
                if hi <= end and text.find(w, j, hi) == j:
                    return True
        j += 1
    return False


def word_places(text: str, words: tuple[str, ...]) -> tuple[list[int], list[int]] | None:
    """(starts, ends) of every place one of `words` stands in `text`, in order of start
    (one place per word found there); None when a word is empty or starts beyond the
    Basic Multilingual Plane. tests/test_extraction_speed_paths.py holds the lines'
    answers equal to `_holds_word`."""
    firsts = _FIRST_CHARS.get(words)
    if firsts is None:
        firsts = _first_chars(words)
    if not firsts[0]:
        return None
    plan = _FIND_PLANS.get(words)
    if plan is None:
        plan = _FIND_PLANS[words] = _find_plan(words)
    found: list[tuple[int, int]] = []
    for ch, ws in plan.items():
        i = text.find(ch)
        while i >= 0:
            for w, k in ws:         # ch stands at w[k]
                s = i - k
                e = s + len(w)
                if s >= 0 and text.find(w, s, e) == s:
                    found.append((s, e))
            i = text.find(ch, i + 1)
    found.sort()
    return [s for s, _ in found], [e for _, e in found]


def _find_plan(words: tuple[str, ...]) -> dict[str, list[tuple[str, int]]]:
    """The character each word is looked for by (its k-th) -> (word, k) pairs. A find of
    one character in a two-byte string runs memchr for the character's low byte; a low
    byte between 0x4E and 0x9F is also the high byte of nearly every common ideograph,
    and each such false hit sends the find into a character-by-character scan (首 当 关
    网 联: about half of `word_places`'s cost, callgrind). So each word is found by its
    first character beyond ASCII (a blank or a > would stop the find everywhere) whose
    low byte lies outside that range (and is not 0), else by its first character."""
    plan: dict[str, list[tuple[str, int]]] = {}
    for w in words:
        k = 0
        for j, ch in enumerate(w):
            low = ord(ch) & 0xFF
            if ord(ch) > 0x7F and low != 0 and not 0x4E <= low <= 0x9F:
                k = j
                break
        plan.setdefault(w[k], []).append((w, k))
    return plan


def _first_chars(words: tuple[str, ...]) -> tuple[bytes, dict[int, tuple[str, ...]]]:
    """(1 at the code point of each word's first character, code point -> its words);
    an empty table when a word is empty or starts beyond the plane."""
    if any(not w or ord(w[0]) >= 0x10000 for w in words):
        found: tuple[bytes, dict[int, tuple[str, ...]]] = (b"", {})
    else:
        by_first: dict[int, tuple[str, ...]] = {}
        for w in words:
            by_first[ord(w[0])] = (*by_first.get(ord(w[0]), ()), w)
        found = (char_table("".join(w[0] for w in words)), by_first)
    _FIRST_CHARS[words] = found
    return found


_FIRST_CHARS: Final[dict[tuple[str, ...], tuple[bytes, dict[int, tuple[str, ...]]]]] = {}
_FIND_PLANS: Final[dict[tuple[str, ...], dict[str, list[tuple[str, int]]]]] = {}
