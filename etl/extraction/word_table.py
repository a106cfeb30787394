"""jieba's prefix dictionary as one flat table of bytes: a trie whose transitions
(node, next character) -> child are slots of an open-addressing hash.

The segmenter's walks (a word grows one character at a time while the dictionary
knows the prefix) looked each prefix up in a dict of str: a new slice, its hash, a
probe, a compare with a cold key object and a touch of a cold int: ~500,000 entries
spread over 60-80 MB of Python objects, the largest single cost of extraction in cache
misses. Here a step of the walk reads one 6-byte slot of a 6 MB table (compiled, `b[i]`
on a bytes object is one load): no string is made or hashed.

Layout (`SLOT` bytes a slot, `size` slots, a power of two; a node *is* its slot):
    slots   parent + 1 (3 bytes, little-endian; 0: an empty slot, size + 1: the root),
            the character's code point (3 bytes; its top bit set when the node is a word,
            i.e. its count is above 0)
    tags    one byte a slot: 1 + the index of the word's tag in the table's names, 0 none
    counts  four bytes a slot (little-endian): the word's count, 0 for a prefix only
Every prefix of a word is a node (jieba's table holds them all), so a walk stops at the
first prefix the table lacks, as the dict walk stops at the first absent key.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from mypy_extensions import i64     # mypyc's native integer (annotations only)

SLOT: Final = 6
WORD_BIT: Final = 0x80        # in a slot's last byte (code points need 21 bits of 24)
_MUL_NODE: Final = 0x9E3779B1
_MUL_CHAR: Final = 0x85EBCA6B


def _home(node: i64, c: i64, mask: i64) -> i64:
    """The first slot probed for (node, c): both below 2**24, so the sum stays below
    2**57, in range of a native integer and equal in Python."""
    x: i64 = node * _MUL_NODE + c * _MUL_CHAR
    return (x ^ (x >> 29)) & mask


def child(t: bytes, size: i64, node: i64, c: i64) -> i64:
    """The node for `node`'s prefix followed by the character of code point c, or -1 when
    the dictionary has no such prefix (the root is node `size`)."""
    mask: i64 = size - 1
    x: i64 = node * _MUL_NODE + c * _MUL_CHAR      # `_home`, written out: no call a step
    h: i64 = (x ^ (x >> 29)) & mask
    c0: i64 = c & 0xFF
    c1: i64 = (c >> 8) & 0xFF
    c2: i64 = c >> 16
    p: i64 = node + 1
    while True:
        o: i64 = h * SLOT
        q0: i64 = t[o]
        q1: i64 = t[o + 1]
        q2: i64 = t[o + 2]
        if q0 == 0 and q1 == 0 and q2 == 0:
            return -1
        if (t[o + 3] == c0 and t[o + 4] == c1 and (t[o + 5] & 0x7F) == c2
                and q0 | (q1 << 8) | (q2 << 16) == p):
            return h
        h = (h + 1) & mask


def is_word(t: bytes, node: i64) -> bool:
    return (t[node * SLOT + 5] & WORD_BIT) != 0


def node_of(t: bytes, size: i64, text: str, lo: i64, hi: i64) -> i64:
    """The node of text[lo:hi] (lo < hi), or -1."""
    node: i64 = size
    k: i64 = lo
    while k < hi:
        node = child(t, size, node, ord(text[k]))
        if node < 0:
            return -1
        k += 1
    return node


def word_lengths(t: bytes, size: i64, text: str, j: i64, n: i64, max_len: i64) -> i64:
    """The lengths (two to max_len characters, ending by n) of the dictionary words
    text[j:] starts with, as bits (bit L: text[j:j + L] is a word)."""
    if j >= n:
        return 0
    node: i64 = child(t, size, size, ord(text[j]))
    lengths: i64 = 0
    e: i64 = j + 1
    while node >= 0 and e < n and e + 1 - j <= max_len:
        node = child(t, size, node, ord(text[e]))
        e += 1
        if node >= 0 and (t[node * SLOT + 5] & WORD_BIT) != 0:
            # (not `1 << ...`: mypyc shifts a literal 1 as a 32-bit C int, bits from 31 on wrap)
            lengths |= (e - e + 1) << (e - j)
    return lengths


def count(t: bytes, size: i64, node: i64) -> int:
    """The count of the node's word (0 for a prefix only)."""
    o: i64 = size * (SLOT + 1) + node * 4
    v: i64 = t[o] | (t[o + 1] << 8) | (t[o + 2] << 16) | (t[o + 3] << 24)
    return v


def tag_index(t: bytes, size: i64, node: i64) -> i64:
    """1 + the index of the node's tag in the table's names, 0 for none."""
    v: i64 = t[size * SLOT + node]
    return v


def build(entries: list[tuple[str, int, int]]) -> tuple[int, bytes]:
    """(size, table) for (word or prefix, count, tag index) entries in which every
    prefix of an entry is an entry of its own."""
    size = 1 << 10
    while size < 2 * len(entries):       # at most half full: short probes
        size <<= 1
    if size >= 1 << 23:
        raise ValueError("too many entries for 3-byte node numbers")
    mask = size - 1
    slots = bytearray(size * SLOT)
    tags = bytearray(size)
    counts = bytearray(size * 4)
    nodes: dict[str, int] = {}
    for w, cnt, tag in sorted(entries, key=lambda e: len(e[0])):     # parents first
        parent = nodes[w[:-1]] if len(w) > 1 else size
        c = ord(w[-1])
        if c >= 1 << 21 or cnt < 0 or cnt >= 1 << 32 or not 0 <= tag < 256:
            raise ValueError(f"an entry the table cannot hold: {w!r}")
        h = _home(parent, c, mask)
        while slots[h * SLOT] or slots[h * SLOT + 1] or slots[h * SLOT + 2]:
            h = (h + 1) & mask
        o = h * SLOT
        slots[o:o + SLOT] = ((parent + 1) | ((c | (WORD_BIT << 16 if cnt > 0 else 0)) << 24)).to_bytes(SLOT, "little")
        tags[h] = tag
        counts[h * 4:h * 4 + 4] = cnt.to_bytes(4, "little")
        nodes[w] = h
    return size, bytes(slots) + bytes(tags) + bytes(counts)
