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
_LONG_WORD: Final = 3       # Literals.longer: the words this long or longer
_FEW_SHORT: Final = 2       # and only when the others are this few (each a str.find)


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
    # One or two short words (工委 among the listed organisations, 四风 among the campaign
    # aliases) hold every step to 2 characters; where none of them is written in the
    # window (str.find skips through it in C), the longer words' own scan, stepping by
    # their shorter heads, finds what the whole set finds.
    short: list[str]
    longer: Literals | None

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
        every_word = [w for group in self.groups for w in group]
        self.short = [w for w in every_word if len(w) < _LONG_WORD]
        longer = [w for w in every_word if len(w) >= _LONG_WORD]
        self.longer = (Literals(longer) if longer and 0 < len(self.short) <= _FEW_SHORT
                       else None)

    def _short_written(self, text: str, start: int, end: int) -> bool:
        """Whether a short word is written in text[start:end] (end -1: the text's end)."""
        n: i64 = len(text)
        stop: i64 = n if end < 0 or end > n else end
        begin: i64 = start if start > 0 else 0
        for w in self.short:
            if text.find(w, begin, stop) >= 0:
                return True
        return False

    def find(self, text: str, start: int = 0, end: int = -1) -> list[tuple[int, int, str]]:
        """(start, end, word) of every word in text[start:end] (end -1: the text's end),
        in text order: what `finditer` of their alternation finds in that window."""
        longer = self.longer
        if longer is not None and not self._short_written(text, start, end):
            return longer.find(text, start, end)
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
        longer = self.longer
        if longer is not None and not self._short_written(text, start, end):
            return longer.every(text, start, end)
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


def any_written_skipping(text: str, words: list[str], skip: bytes) -> bool:
    """Whether one of `words` is written in `text` once the characters marked in `skip`
    are passed over (Literals.occurs for a few short words: each first character found
    by `str.find`, which skips through a report in C, where one such word in a scan
    held its steps to two characters). The words hold no skipped character."""
    n: i64 = len(text)
    for w in words:
        at: i64 = text.find(w[0])
        while at >= 0:
            if _written_skipping(text, at, n, w, skip):
                return True
            at = text.find(w[0], at + 1)
    return False


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


# The bits of a name table (organisations._name_table), by code point of the basic plane
PLACE_FIRST: Final = 1   # the first character of a place suffix (市 of 市, 自 of 自治区)
SCOPE_FIRST: Final = 2   # the first character of a scope word (中 of 中央)
BOUNDARY: Final = 4      # a name can start after it: not CJK, or a stop character
NAME_CHAR: Final = 8     # can stand in a name: CJK, neither a stop nor a bad character


def placed_starts(zone: str, kinds: bytes, lo: int, hi: int, suffixes: list[str],
                  scopes: list[str], prefixes: list[str]) -> list[int]:
    """Where a placed name can start in `zone` after a boundary character (never at 0),
    ascending: a superset of the starts at which organisations' placed pattern matches.
    A place is lo..hi name characters and a suffix, so a chain can start only where a
    run of name characters begins, after a boundary, lo..hi characters before a place
    suffix written within the run (one start a run, where a start at every place lo..hi
    before a suffix's first character was tried: 10,776 starts on every 7th bench file's
    heads, 8,165 of them failing); a scope name where a scope word is written; a
    prefix's where either follows the prefix. `kinds`: a name table."""
    n: i64 = len(zone)
    out: list[int] = []
    run: i64 = 0    # where the run of name characters ending at i - 1 begins
    last: i64 = 0   # the last start kept (they come in order)
    i: i64 = 0
    while i < n:
        c: i64 = ord(zone[i])
        k: i64 = BOUNDARY   # beyond the plane: not CJK
        if c < _PLANE:
            k = kinds[c]
        if k & PLACE_FIRST and run > last and i - hi <= run and run <= i - lo:
            if _is_boundary(zone, run - 1, kinds) and _any_written_at(zone, i, n, suffixes):
                out.append(run)
                last = run
        if k & SCOPE_FIRST and i > last and _is_boundary(zone, i - 1, kinds):
            if _any_written_at(zone, i, n, scopes):
                out.append(i)
                last = i
        if not k & NAME_CHAR:
            run = i + 1
        i += 1
    before: list[int] = []   # a prefix written before a chain or a scope word (中共): rare
    for prefix in prefixes:
        size: i64 = len(prefix)
        at: i64 = zone.find(prefix)
        while at >= 0:
            if at > 0 and _is_boundary(zone, at - 1, kinds) and (
                    _any_written_at(zone, at + size, n, scopes)
                    or _place_within(zone, at + size, n, lo, hi, kinds, suffixes)):
                before.append(at)
            at = zone.find(prefix, at + 1)
    if before:
        return sorted(set(out) | set(before))
    return out


def name_run_start(zone: str, end: int, lo: int, hi: int, kinds: bytes) -> int:
    """Where a name of lo..hi name characters ending at `end` can start: the start of the
    run of name characters that ends there, when it is lo..hi long and opens the zone or
    follows a boundary character; else -1. A name pattern of name characters cannot
    start inside the run (the character before is no boundary) nor before it (organisations'
    unit and committee names, found from the word after them)."""
    s: i64 = end
    floor: i64 = end - hi - 1 if end - hi - 1 > 0 else 0
    while s > floor:
        c: i64 = ord(zone[s - 1])
        if c >= _PLANE or not kinds[c] & NAME_CHAR:
            break
        s -= 1
    if end - s < lo or end - s > hi:
        return -1
    if s > 0 and not _is_boundary(zone, s - 1, kinds):
        return -1   # after a bad character, or a run longer than hi
    return s


def _is_boundary(zone: str, at: i64, kinds: bytes) -> bool:
    c: i64 = ord(zone[at])
    return c >= _PLANE or kinds[c] & BOUNDARY != 0


def _any_written_at(zone: str, i: i64, stop: i64, words: list[str]) -> bool:
    """Whether one of `words` is written at zone[i:] before `stop`."""
    if i >= stop:
        return False
    first: i64 = ord(zone[i])
    for w in words:
        if ord(w[0]) == first and _written_at(zone, i, stop, w):
            return True
    return False


def _place_within(zone: str, p: i64, n: i64, lo: int, hi: int, kinds: bytes,
                  suffixes: list[str]) -> bool:
    """Whether a place suffix is written lo..hi characters after `p`, with only name
    characters from `p` to it (a chain can start at `p`)."""
    j: i64 = p
    while j < n and j <= p + hi:
        c: i64 = ord(zone[j])
        k: i64 = 0
        if c < _PLANE:
            k = kinds[c]
        if j >= p + lo and k & PLACE_FIRST and _any_written_at(zone, j, n, suffixes):
            return True
        if not k & NAME_CHAR:
            return False
        j += 1
    return False


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
