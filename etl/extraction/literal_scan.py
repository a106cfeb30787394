"""Whole-text scans for a set of literal words or characters, one character at a time.

CPython's regex engine tries a pattern that opens with a class or an alternation at
every character, at ~60-180 instructions a character of Chinese text; describe runs
a few such passes over every report (campaign aliases, place names, the squeezed view:
bench/RESULTS.md, describe26-28). Compiled by mypyc (native.MODULES), `ord(text[i])`
reads a code point without making a string, and one look-up in a table indexed by it
says whether a word can start there: ~25-30 instructions a character. The Python
source of this module is far slower than `re`, so callers take these scans only when
the compiled build runs (`COMPILED`) and the regex otherwise; the answers are the same
(tests/test_literal_scan.py).
"""
from __future__ import annotations

from typing import Final, Iterable

from mypy_extensions import i64

from .text_spans import char_table as _plane_table, walks_compiled

_PLANE: Final = 0x10000     # the tables cover the basic plane; beyond it, a dict
_REACH: Final = 8           # Literals.last_at holds places 0..7 (a byte each)


class Literals:
    """A set of literal words, found as a regex alternation of them finds them
    (rules.alternation): leftmost, then the longest word there, not overlapping."""

    table: bytes                      # code point -> 1 + index of its group, or 0
    groups: list[list[str]]           # the words opening with one character, longest first
    wide: dict[int, int]              # beyond the basic plane: code point -> 1 + group
    # The scan reads the character `reach` - 1 on from where a word could start (reach: the
    # shortest word's length, at most _REACH) and looks up the last place among the words'
    # first `reach` characters at which it stands (`last_at`: 1 + that place, 0 for none),
    # which says where the next word can start at the earliest: `reach` on when it stands
    # in no word's head. Most characters of a report stand in none (the campaign aliases:
    # one scan step per 1.9 characters of bench text, where a step per character tried
    # each; a first character is tried only where the word's head can end).
    reach: int
    last_at: bytes

    def __init__(self, words: Iterable[str]) -> None:
        by_first: dict[str, list[str]] = {}
        for w in sorted(set(words), key=len, reverse=True):
            if w:
                by_first.setdefault(w[0], []).append(w)
        if len(by_first) > 255:
            raise ValueError("Literals: more than 255 first characters")
        table = bytearray(_PLANE)
        self.groups = []
        self.wide = {}
        for first, group in by_first.items():
            self.groups.append(group)
            code = ord(first)
            if code < _PLANE:
                table[code] = len(self.groups)
            else:
                self.wide[code] = len(self.groups)
        self.table = bytes(table)
        reach = min((len(w) for group in self.groups for w in group), default=1)
        self.reach = min(reach, _REACH)
        last_at = bytearray(_PLANE)
        for group in self.groups:
            for w in group:
                for k, ch in enumerate(w[:self.reach]):
                    if ord(ch) < _PLANE:   # a character beyond the plane is never skipped
                        last_at[ord(ch)] = max(last_at[ord(ch)], k + 1)
        self.last_at = bytes(last_at)

    def find(self, text: str, start: int = 0, end: int = -1) -> list[tuple[int, int, str]]:
        """(start, end, word) of every word in text[start:end] (end -1: the text's end),
        in text order: what `finditer` of their alternation finds in that window."""
        n: i64 = len(text)
        stop: i64 = n if end < 0 or end > n else end
        i: i64 = start if start > 0 else 0
        out: list[tuple[int, int, str]] = []
        table = self.table
        wide = self.wide
        reach: i64 = self.reach
        last_at = self.last_at
        while i + reach <= stop:   # a shorter rest holds no word
            c: i64 = ord(text[i + reach - 1])
            k: i64 = reach   # a character beyond the plane: no step
            if c < _PLANE:   # (an if, not a conditional: that one boxed an int a step)
                k = last_at[c]
            if k < reach:   # no word starts before i + reach - k
                i += reach - k
                continue
            c = ord(text[i])
            g: i64 = table[c] if c < _PLANE else wide.get(c, 0)
            if g:
                w = _longest_at(text, i, stop, self.groups[g - 1])
                if w:
                    size: i64 = len(w)
                    out.append((i, i + size, w))
                    i += size
                    continue
            i += 1
        return out

    def every(self, text: str, start: int = 0, end: int = -1) -> list[tuple[int, str]]:
        """(start, word) of every place in text[start:end] where a word is written, each
        word there longest first, overlapping ones too: what a `str.find` from each place
        on of each word finds (organisations' unit and committee words)."""
        n: i64 = len(text)
        stop: i64 = n if end < 0 or end > n else end
        i: i64 = start if start > 0 else 0
        out: list[tuple[int, str]] = []
        table = self.table
        wide = self.wide
        reach: i64 = self.reach
        last_at = self.last_at
        while i + reach <= stop:
            c: i64 = ord(text[i + reach - 1])
            k: i64 = reach
            if c < _PLANE:
                k = last_at[c]
            if k < reach:
                i += reach - k
                continue
            c = ord(text[i])
            g: i64 = table[c] if c < _PLANE else wide.get(c, 0)
            if g:
                for w in self.groups[g - 1]:
                    if _written_at(text, i, stop, w):
                        out.append((i, w))
            i += 1
        return out

    def occurs(self, text: str, skip: bytes) -> bool:
        """Whether a word is written in `text` once the characters marked in `skip`
        (char_table) are left out: `bool(self.find(without_chars(text, skip)))`, without
        making that text (the words hold no skipped character). Steps by the words' heads
        only where the character read is kept and stands in no head: a word starting at
        or before it, within `reach`, would hold it among its first `reach` kept
        characters, skipped ones in between or not; elsewhere one place at a time."""
        n: i64 = len(text)
        i: i64 = 0
        table = self.table
        wide = self.wide
        reach: i64 = self.reach
        last_at = self.last_at
        while i + reach <= n:   # a shorter rest holds fewer than `reach` kept characters
            c: i64 = ord(text[i + reach - 1])
            if c < _PLANE:
                if not skip[c] and not last_at[c]:
                    i += reach
                    continue
            c = ord(text[i])
            g: i64 = table[c] if c < _PLANE else wide.get(c, 0)
            if g:
                for w in self.groups[g - 1]:
                    if _written_skipping(text, i, n, w, skip):
                        return True
            i += 1
        return False

    def words(self, text: str) -> list[str]:
        """The words found in `text`, in text order (a regex `findall`)."""
        return [w for _, _, w in self.find(text)]


def _longest_at(text: str, i: i64, stop: i64, group: list[str]) -> str:
    """The first (longest) word of `group` written at text[i:] before `stop`, or ""
    (every word of the group opens with text[i])."""
    for w in group:
        if _written_at(text, i, stop, w):
            return w
    return ""


def _written_at(text: str, i: i64, stop: i64, w: str) -> bool:
    """Whether `w` (which opens with text[i]) is written at text[i:] before `stop`."""
    size: i64 = len(w)
    if i + size > stop:
        return False
    k: i64 = 1
    while k < size and ord(text[i + k]) == ord(w[k]):
        k += 1
    return k == size


def _written_skipping(text: str, i: i64, stop: i64, w: str, skip: bytes) -> bool:
    """Whether `w` (which opens with text[i]) is written at text[i:] before `stop`, the
    characters marked in `skip` passed over between its characters."""
    size: i64 = len(w)
    k: i64 = 1
    j: i64 = i + 1
    while k < size:
        while j < stop:
            c: i64 = ord(text[j])
            if c >= _PLANE or not skip[c]:
                break
            j += 1
        if j >= stop or ord(text[j]) != ord(w[k]):
            return False
        k += 1
        j += 1
    return True


def char_table(chars: str) -> bytes:
    """text_spans.char_table, refusing a character beyond the basic plane (the scans here
    have no fallback for one)."""
    for ch in chars:
        if ord(ch) >= _PLANE:
            raise ValueError(f"char_table: {ch!r} is beyond the basic plane")
    return _plane_table(chars)


def without_chars(text: str, table: bytes) -> str:
    """`text` with every character marked in `table` (char_table) left out; `text`
    itself when it holds none."""
    n: i64 = len(text)
    pos: i64 = 0
    i: i64 = 0
    parts: list[str] = []
    dropped = False
    while i < n:
        c: i64 = ord(text[i])
        if c < _PLANE and table[c]:
            if i > pos:
                parts.append(text[pos:i])
            pos = i + 1
            dropped = True
        i += 1
    if not dropped:
        return text
    if pos < n:
        parts.append(text[pos:])
    return "".join(parts)


def paragraph_breaks(text: str, spaces: str, space_table: bytes, ends: bytes) -> str:
    """`text` with each run of `spaces` right after a character marked in `ends` turned
    into as many newlines (text_view.paragraphs; `text` itself when it has none). The
    spaces are rare in these reports (one character in 240), so each is found by
    `str.find` and tested here, where the interpreter's steps a space cost more than
    the finds (bench/RESULTS.md, desc31)."""
    n: i64 = len(text)
    starts: list[int] = []
    for sp in spaces:
        at: i64 = text.find(sp)
        while at >= 0:
            if at > 0:
                c: i64 = ord(text[at - 1])
                if c < _PLANE and ends[c]:   # the first space of a run
                    starts.append(at)
            at = text.find(sp, at + 1)
    if not starts:
        return text
    starts.sort()
    parts: list[str] = []
    pos: i64 = 0
    for begin in starts:
        stop: i64 = begin + 1
        while stop < n:
            c = ord(text[stop])
            if c >= _PLANE or not space_table[c]:
                break
            stop += 1
        parts.append(text[pos:begin])
        parts.append("\n" * (stop - begin))
        pos = stop
    parts.append(text[pos:])
    return "".join(parts)


def name_starts(zone: str, kinds: bytes, lo: int, hi: int, prefixes: tuple[str, ...],
                stop: bytes) -> list[int]:
    """Where a placed name can start in `zone` (organisations._placed_starts, in one pass):
    `kinds` marks a place suffix's first character 1 and a scope word's 2 (char_table
    values); a name opens at a scope word's first character, or lo..hi characters before
    a place suffix's, or at a prefix written just before either; kept when the character
    before it is not CJK or is a stop character (`stop`), never at 0."""
    n: i64 = len(zone)
    opens: list[bool] = [False] * n
    i: i64 = 0
    while i < n:
        c: i64 = ord(zone[i])
        if c < _PLANE:
            k: i64 = kinds[c]
            if k:
                if k & 2:
                    opens[i] = True
                if k & 1:
                    s: i64 = i - hi if i - hi > 0 else 0
                    while s <= i - lo:
                        opens[s] = True
                        s += 1
        i += 1
    # a prefix's starts read the marks as the place and scope words left them (a copy of
    # 3,000 marks a head cost more than the few prefixes written)
    before: list[int] = []
    for prefix in prefixes:
        size: i64 = len(prefix)
        at: i64 = zone.find(prefix)
        while at >= 0:
            if at + size < n and opens[at + size]:
                before.append(at)
            at = zone.find(prefix, at + 1)
    for at in before:
        opens[at] = True
    out: list[int] = []
    s = 1
    while s < n:
        if opens[s]:
            c = ord(zone[s - 1])
            if c < 0x4E00 or c > 0x9FFF or stop[c]:
                out.append(s)
        s += 1
    return out


# ---------------------------------------------------------------- the page's own lines
# (page_facts and text_view.head_lines, desc33: each replaces an interpreter step per
# line or per place, which cost more than the C-level finds around it)

def nth_end(text: str, ch: str, n: int) -> int:
    """The offset just after the n-th `ch` of `text` (n >= 1), or -1 when it holds fewer."""
    at: i64 = -1
    k: i64 = 0
    while k < n:
        at = text.find(ch, at + 1)
        if at < 0:
            return -1
        k += 1
    return at + 1


def opening_with(lines: list[str], ch: str) -> list[int]:
    """The indexes of the lines whose first character that is not a space (str.isspace,
    as str.strip drops them) is `ch`, a single character."""
    want: i64 = ord(ch)
    out: list[int] = []
    i: i64 = 0
    for line in lines:
        j: i64 = 0
        size: i64 = len(line)
        while j < size:
            c: i64 = ord(line[j])
            if c == want:
                out.append(i)
                break
            if not (c == 32 or 9 <= c <= 13 or 28 <= c <= 31 or c > 127 and line[j].isspace()):
                break
            j += 1
        i += 1
    return out


def folded_near(text: str, anchors: str, backs: list[int], words: list[str], folds: str) -> bool:
    """Whether one of `words` (written in lower case) is in `text`, each character compared
    as re.IGNORECASE compares it with a lower-case ASCII letter: itself, its ASCII upper
    case, or a character that `folds` pairs with it ("İi" reads İ as i); looked for only
    `backs` characters before each place of a character of `anchors` (every word holds
    one of them at one of those distances)."""
    n: i64 = len(text)
    for a in anchors:
        at: i64 = text.find(a)
        while at >= 0:
            for back in backs:
                if at >= back:
                    for w in words:
                        if _folded_at(text, at - back, n, w, folds):
                            return True
            at = text.find(a, at + 1)
    return False


def _folded_at(text: str, i: i64, n: i64, w: str, folds: str) -> bool:
    """Whether `w` is written at text[i:], compared as folded_near compares."""
    size: i64 = len(w)
    if i + size > n:
        return False
    k: i64 = 0
    while k < size:
        c: i64 = ord(text[i + k])
        want: i64 = ord(w[k])
        if c != want and not (65 <= c <= 90 and c + 32 == want) and not (
                c > 127 and _folds_to(c, want, folds)):
            return False
        k += 1
    return True


def _folds_to(c: i64, want: i64, folds: str) -> bool:
    """Whether `folds` (pairs: a character, the letter it reads as) pairs c with want."""
    j: i64 = 0
    size: i64 = len(folds) - 1
    while j < size:
        if ord(folds[j]) == c and ord(folds[j + 1]) == want:
            return True
        j += 2
    return False


# True when the extraction modules (this one among them, built together) run compiled
COMPILED: Final = walks_compiled()
