"""jieba's dictionary, loaded once and lazily: word boundaries and part-of-speech tags.

Segmenting a whole report would cost more than everything else the extractor does,
so jieba only ever sees the few characters around a figure. Tags come from jieba's
dictionary (the table jieba.posseg reads) rather than its HMM tagger: a dict lookup
per word instead of a Viterbi pass per window.

Only two tables are read: jieba's prefix dictionary (word -> count, every prefix of a
word with count 0) and its tag table. Importing jieba and jieba.posseg and letting each
read its dictionary cost about 1.5 s at every start; the two tables are kept together
in one cache entry instead (etl/file_cache.py, keyed by jieba's dictionary file), which
needs no jieba import at all. They are kept split by the words' first character and
packed: a start unpacks the characters its text needs, and a lookup reads a small
table (`_shard`). That is the Python source's path. The compiled build reads the same
words from one flat table of bytes instead (etl/extraction/word_table.py, built from
the packed tables and kept in the cache beside them): a walk reads a slot per character
where a dict look-up sliced, hashed and compared a string and touched two cold objects.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from functools import cache
from pathlib import Path
from array import array
from itertools import compress
from math import log
from typing import TYPE_CHECKING, Any, Final

from .. import rules
from . import word_table
from .text_spans import char_table

if TYPE_CHECKING:
    from mypy_extensions import i64     # mypyc's native integer (annotations only)


def _import_jieba(name: str) -> Any:
    """jieba's module `name`, without the warnings its source sets off when Python
    compiles it (the first import after an install that wrote no bytecode, or with
    PYTHONDONTWRITEBYTECODE): its regexes are plain strings such as "[\\.0-9]+", an
    invalid escape sequence to Python (a DeprecationWarning in 3.11, shown as a
    SyntaxWarning from 3.12: seven lines on a user's terminal that are not ours to fix)."""
    import importlib
    import warnings
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="invalid escape sequence",
                                category=SyntaxWarning)
        warnings.filterwarnings("ignore", message="invalid escape sequence",
                                category=DeprecationWarning)
        return importlib.import_module(name)


@cache
def _jieba():
    import logging      # here, not at the top: only jieba's own cut needs it (5 ms at a start)

    jieba = _import_jieba("jieba")
    jieba.setLogLevel(logging.WARNING)
    # jieba caches its prefix dictionary in the temp dir; keep it in a user-owned folder
    cache_dir = os.environ.get("REPORT_FIGURES_CACHE") or os.path.join(
        tempfile.gettempdir(), f"report-figures-{os.getuid() if hasattr(os, 'getuid') else 'u'}")
    os.makedirs(cache_dir, exist_ok=True)
    jieba.dt.tmp_dir = cache_dir
    jieba.dt.initialize()
    return jieba


def _load_tables() -> None:
    """The packed tables' index, from the cache (built from jieba's dictionary the
    first time), and their bytes mapped from it: a start reads the index (about a
    millisecond) and the bytes of the characters its text needs, not all 9.7 MB (which
    unpickled cost 15-20 ms of every start); the words of one first character become a
    table when first asked for (`_shard`)."""
    from .. import file_cache
    head, blob, base = file_cache.mapped("jieba", "shards", _dictionary_key(), _build_packed)
    names, index = head
    _BLOB.append(blob)
    _BLOB_BASE.append(base)
    _PACKED.update(index)
    _TAG_NAMES.extend(names)        # last: a table that is not empty says all is loaded


def _dictionary_key() -> str:
    """Names jieba's dictionary as it is on disk (path, size, modification time),
    found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return "no-jieba"
    # resolved: checkouts sharing one venv through a symlink share one cache entry
    where = Path(origin).resolve()
    st = os.stat(where.parent / "dict.txt")
    return hashlib.sha1(f"{where}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:20]


def _build_packed() -> tuple[tuple[tuple[str, ...], dict[str, tuple[int, int, int, int]]], bytes]:
    """((tag names, first character -> where its words lie in the blob), the blob): per
    character its words ("\\n"-joined, UTF-8), their counts (array "q") and their tags
    (array "H" of 1 + the index in the tag names, 0 for a word without a tag, which every
    prefix is), one after the other; where: (offset, and the three lengths)."""
    freq: dict[str, int] = _jieba().dt.FREQ
    tags: dict[str, str] = _import_jieba("jieba.posseg").dt.word_tag_tab
    names = tuple(sorted(set(tags.values())))
    index = {t: k + 1 for k, t in enumerate(names)}
    by_first: dict[str, list[str]] = {}
    for w in freq:
        if w:
            by_first.setdefault(w[0], []).append(w)
    where: dict[str, tuple[int, int, int, int]] = {}
    pieces: list[bytes] = []
    offset = 0
    for ch, words in by_first.items():
        packed = ("\n".join(words).encode("utf-8"), array("q", [freq[w] for w in words]).tobytes(),
                  array("H", [index.get(tags.get(w, ""), 0) for w in words]).tobytes())
        where[ch] = (offset, len(packed[0]), len(packed[1]), len(packed[2]))
        pieces.extend(packed)
        offset += len(packed[0]) + len(packed[1]) + len(packed[2])
    return (names, where), b"".join(pieces)


# jieba's two tables, split by a word's first character: every lookup of the segmenter
# (a word, its prefixes, its tag) goes to the small table of that character, whose
# entries lie together in memory, instead of a random place in one table of 500,000
# words (a cache miss each: the largest single cost of extraction); and a start
# unpacks only the characters its text needs (one table took 0.27 s to load).
_PACKED: Final[dict[str, tuple[int, int, int, int]]] = {}
_TAG_NAMES: Final[list[str]] = []
_BLOB: Final[list[Any]] = []            # the packed bytes (a mapped file, or bytes)
_BLOB_BASE: Final[list[int]] = []       # where they start in it
# CJK characters' tables by code point (no one-character string is made to find them)
_CJK_FREQ: Final[list[dict[str, int] | None]] = [None] * (0x9FFF - 0x4E00 + 1)
_CJK_TAGS: Final[list[dict[str, str] | None]] = [None] * (0x9FFF - 0x4E00 + 1)
_OTHER_FREQ: Final[dict[str, dict[str, int]]] = {}
_OTHER_TAGS: Final[dict[str, dict[str, str]]] = {}


def _unpack(ch: str) -> tuple[dict[str, int], dict[str, str]]:
    """The prefix dictionary and the tag table of the words starting with `ch`."""
    if not _TAG_NAMES:
        _load_tables()
    found = _PACKED.get(ch)
    if found is None:
        return {}, {}
    blob = _BLOB[0]
    at = _BLOB_BASE[0] + found[0]
    w_end = at + found[1]
    c_end = w_end + found[2]
    words = blob[at:w_end].decode("utf-8").split("\n")
    freq = dict(zip(words, array("q", blob[w_end:c_end])))
    idx = array("H", blob[c_end:c_end + found[3]])
    names = ["", *_TAG_NAMES]
    # at C speed: the words with a tag, and their tags in the same order
    tags = dict(zip(compress(words, idx), map(names.__getitem__, filter(None, idx))))
    return freq, tags


def _shard(code: int) -> dict[str, int]:
    """The prefix dictionary (word -> count, 0 for a prefix only) of the words that
    start with the character chr(code)."""
    if _CJK_LO <= code <= _CJK_HI:
        found = _CJK_FREQ[code - _CJK_LO]
        if found is not None:
            return found
    else:
        other = _OTHER_FREQ.get(chr(code))
        if other is not None:
            return other
    return _build_shard(code)[0]


def _tag_shard(code: int) -> dict[str, str]:
    if _CJK_LO <= code <= _CJK_HI:
        found = _CJK_TAGS[code - _CJK_LO]
        if found is not None:
            return found
    else:
        other = _OTHER_TAGS.get(chr(code))
        if other is not None:
            return other
    return _build_shard(code)[1]


def _build_shard(code: int) -> tuple[dict[str, int], dict[str, str]]:
    freq, tags = _unpack(chr(code))
    own = _own_words().get(chr(code))
    if own is not None:
        _add_own_words(freq, tags, own)
    if _CJK_LO <= code <= _CJK_HI:
        _CJK_FREQ[code - _CJK_LO] = freq
        _CJK_TAGS[code - _CJK_LO] = tags
    else:
        _OTHER_FREQ[chr(code)] = freq
        _OTHER_TAGS[chr(code)] = tags
    return freq, tags


def _own_words() -> dict[str, list[tuple[str, str]]]:
    """data/rules/segmenter_words.yaml's words (terms jieba's dictionary lacks: 在轨, 并网)
    by first character, as (word, tag); read once. They join a character's tables when
    those are built, not the cached packed tables, so changing the list needs no rebuild."""
    if not _OWN_WORDS:
        count, found = rules.segmenter_words()
        _OWN_COUNT.append(count)
        for w, t in found.items():
            _OWN_WORDS.setdefault(w[0], []).append((w, t))
        _OWN_WORDS.setdefault("", [])        # marks the list read, even when empty
    return _OWN_WORDS


def _add_own_words(freq: dict[str, int], tags: dict[str, str], own: list[tuple[str, str]]) -> None:
    """Our words into one character's tables: the word with its count and tag, and
    every prefix of it that is no word yet as a prefix (count 0), as jieba's table
    holds them, so that a match grows through it."""
    for w, t in own:
        for k in range(1, len(w)):
            if w[:k] not in freq:
                freq[w[:k]] = 0
        if not freq.get(w):
            freq[w] = _OWN_COUNT[0]
        tags[w] = t


_OWN_WORDS: Final[dict[str, list[tuple[str, str]]]] = {}
_OWN_COUNT: Final[list[int]] = []


def _count(word: str) -> int:
    """The word's count in the dictionary; 0 for a prefix of a word or an unknown word."""
    if not word:
        return 0
    if _TABLE_WALK:
        t = _table()
        size: i64 = _TABLE_SIZE[0]
        node = word_table.node_of(t, size, word, 0, len(word))
        return word_table.count(t, size, node) if node >= 0 else 0
    return _shard(ord(word[0])).get(word, 0)


def _known(word: str) -> bool:
    """The word is in the dictionary with a count above 0 (not only a prefix of one): the
    table's word bit, without reading the count (a cold array the cuts' tests never need)."""
    if not word:
        return False
    if _TABLE_WALK:
        t = _table()
        node = word_table.node_of(t, _TABLE_SIZE[0], word, 0, len(word))
        return node >= 0 and word_table.is_word(t, node)
    return _shard(ord(word[0])).get(word, 0) > 0


def _pair_known(a: int, b: int) -> bool:
    """`_known` of the two characters of code points a and b, without making the string."""
    if _TABLE_WALK:
        t = _table()
        size: i64 = _TABLE_SIZE[0]
        node = word_table.child(t, size, size, a)
        if node >= 0:
            node = word_table.child(t, size, node, b)
        return node >= 0 and word_table.is_word(t, node)
    return _known(chr(a) + chr(b))


def cut(text: str) -> list[str]:
    """Words of a short window; unknown words (参学率) are guessed by jieba's HMM."""
    return _jieba().dt.lcut(text, HMM=True)


def cut_forward(text: str, max_len: int = 6, lengths: list[int] | None = None) -> list[str]:
    """Words by forward maximum matching on jieba's dictionary. jieba's table also
    holds every prefix of a word (with count 0), so a match grows only while the
    prefix is known: two or three lookups per character. Several times faster than
    jieba's DAG on the short windows the subject finder reads, and as good there. A
    run of single characters that are not function words (参学率) is kept as one
    unknown word, as jieba's HMM would.
    lengths (len(text) slots of -1): where a word starts, the lengths of the words found
    there are noted as `_word_lengths` gives them, so that a backward cut of the same
    text (`settle`) does not look them up again. Each start's words are found by one
    walk of the dictionary (`_word_lengths`). A cut that notes them also notes whether
    it is in doubt (`doubtful`), from what the walks found, for `doubtful` to read
    instead of walking the words again (`_FORWARD_DOUBT`)."""
    out: list[str] = []
    run_start = -1            # start of a run of single content characters
    doubt = False             # `doubtful(out)`, worked out as the words are found
    i, n = 0, len(text)
    walk = _TABLE_WALK        # the table and its size read once, not at every word
    t = _table() if walk else b""
    size: i64 = _TABLE_SIZE[0] if walk else 0
    while i < n:
        c = ord(text[i])
        found: int        # bit L: text[i:i + L] is a word (an int either way, not an object)
        if walk:
            found = word_table.word_lengths(t, size, text, i, n, max_len)
        else:
            found = _word_lengths(text, i, n, max_len)
        if lengths is not None:
            lengths[i] = found
        best = i + 1
        word = ""             # text[i:best] when longer than one character
        if found:
            k = max_len
            while not (found >> k) & 1:
                k -= 1
            best = i + k
            word = text[i:best]
        if best == i + 2 and c == _QI and _count(word) < _RARE and _known(text[i + 1:i + 3]):
            best = i + 1       # 其人数, 其子女, 其家属: the pronoun, then the word (not 其人, 其子)
            word = ""
        if best == i + 1 and _CJK_LO <= c <= _CJK_HI and not _FUNCTION_TABLE[c]:
            if run_start < 0:
                run_start = i
        else:
            if run_start >= 0:
                if lengths is not None and not doubt:
                    doubt = _run_in_doubt(text, run_start, i, max_len, lengths)
                out.append(text[run_start:i])
                run_start = -1
            out.append(word if best > i + 1 else text[i])
        i = best
    if run_start >= 0:
        if lengths is not None and not doubt:
            doubt = _run_in_doubt(text, run_start, n, max_len, lengths)
        out.append(text[run_start:])
    if lengths is not None:
        _FORWARD_DOUBT[0] = (out, doubt)
    return out


def _run_in_doubt(text: str, a: int, b: int, max_len: int, noted: list[int]) -> bool:
    """What `doubtful` says of the run of single content characters text[a:b] in a
    forward cut that noted `noted`: no word of two to max_len characters starts at a
    (else the cut had taken it), so a run that long is unknown; a longer one may still be
    a word. A lone character is in doubt when it makes a word with the one before it
    (bit 2 of what the cut noted there, when a word started there; `noted` holds -1
    elsewhere)."""
    if b - a > 1:
        return b - a <= max_len or not _known(text[a:b])
    if a == 0:
        return False
    before = noted[a - 1]
    if before >= 0 and max_len >= 2:
        return (before >> 2) & 1 == 1
    return _pair_known(ord(text[a - 1]), ord(text[a]))


# the last forward cut that noted its word lengths and whether it is in doubt: the list
# itself, compared by identity (one tuple replaced whole, so a thread reads a pair)
_FORWARD_DOUBT: Final[list[tuple[list[str], bool]]] = [([], False)]


def cut_backward(text: str, max_len: int = 6, known: list[int] | None = None) -> list[str]:
    """Words by backward maximum matching: the longest dictionary word ending at each
    point, from the end of the text. Anchored at the end, so the words just before a
    figure come out whole where forward matching would cut them (商会赞助人民币: forward
    gives 赞助人 + 民币, backward 赞助 + 人民币). Unknown runs as in `cut_forward`.
    known: the word lengths a forward cut of the text with the same max_len noted
    (`cut_forward`, -1 where it noted none); filled in here."""
    out: list[str] = []
    run_end = -1
    n = len(text)
    # per start j, the lengths of the words starting there (bit L: text[j:j + L] is a
    # word), found once by growing the prefix as `cut_forward` does: each end i asked
    # every start behind it afresh (five slices and look-ups), most starts several times
    ends = known if known is not None else [-1] * n
    i = n
    while i > 0:
        best = i - 1
        word = ""
        for j in range(max(0, i - max_len), i - 1):
            lengths = ends[j]
            if lengths < 0:
                lengths = ends[j] = _word_lengths(text, j, n, max_len)
            if (lengths >> (i - j)) & 1:
                best = j
                word = text[j:i]
                break
        c = ord(text[best])
        if best == i - 1 and _CJK_LO <= c <= _CJK_HI and not _FUNCTION_TABLE[c]:
            if run_end < 0:
                run_end = i
        else:
            if run_end >= 0:
                out.append(text[i:run_end])
                run_end = -1
            out.append(word if best < i - 1 else text[best])
        i = best
    if run_end >= 0:
        out.append(text[0:run_end])
    out.reverse()
    return out


def _word_lengths(text: str, j: int, n: int, max_len: int) -> int:
    """The lengths (two to max_len characters) of the dictionary words text[j:] starts
    with, as bits: the prefix grows while the table knows it (it holds every prefix of a
    word), so a start not opening any word costs one look-up."""
    if _TABLE_WALK:
        return word_table.word_lengths(_table(), _TABLE_SIZE[0], text, j, n, max_len)
    freq = _shard(ord(text[j]))
    lengths = 0
    e = j + 2
    while e <= n and e - j <= max_len:
        f = freq.get(text[j:e])
        if f is None:
            break
        if f:
            lengths |= 1 << (e - j)
        e += 1
    return lengths


def cut_anchored(text: str, at_end: bool) -> list[str]:
    """Bidirectional maximum matching: forward and backward, the one with fewer words
    unknown to the dictionary, then fewer words; on a tie, the direction anchored where
    the figure is (backward for the words before a figure, `at_end`)."""
    noted = [-1] * len(text)      # the forward cut's walks, read again by `doubtful` and `settle`
    fwd = cut_forward(text, 6, noted)
    if not doubtful(fwd):
        return fwd
    return settle(text, fwd, at_end, frozenset(), noted)


def settle(text: str, fwd: list[str], at_end: bool, cues: frozenset[str] = frozenset(),
           lengths: list[int] | None = None) -> list[str]:
    """`cut_anchored` once forward matching (`fwd`) is in doubt (`doubtful`): the
    backward cut decides. Between two cuts with as many words and unknown words, the
    likelier one (the larger product of the words' dictionary counts, jieba's own
    criterion; with as many words its total cancels) wins: 电动汽车充电|量 over
    充|电量, 党的十九|大 over 十|九大, 全社会跨区域 over 全社|会跨区|域. The cut anchored
    at the figure keeps a tie, and a window before the figure keeps it against a forward
    cut that leaves a lone verb, preposition or pronoun where the two differ (在全省|分
    两批: the backward 省分 is no word either, but 分 is what the figure's batches
    divide, a cue the class rules read on its own). A lone word among `cues` (the words
    that stand between a counted noun and its figure: 超, 达) is no such word: the backward
    cut would glue the cue to the noun before it (基金收|入超 for 基金收入|超).
    lengths: what the forward cut noted (`cut_forward`), or None."""
    noted = lengths if lengths is not None else [-1] * len(text)
    bwd = cut_backward(text, 6, noted)
    if fwd == bwd:
        return fwd
    # (unknown words, words): the two cuts' word lengths are noted at their words' starts
    kf = (_unknown_words(fwd, text, noted), len(fwd))
    kb = (_unknown_words(bwd, text, noted), len(bwd))
    if kf < kb:
        return fwd
    if kb < kf:
        return bwd
    lf, lb = _log_count(fwd), _log_count(bwd)
    if lf > lb + _LIKELIER and not (at_end and _lone_function_word(fwd, bwd, cues)):
        return fwd
    if lb > lf + _LIKELIER:
        return bwd
    return bwd if at_end else fwd


def _lone_function_word(fwd: list[str], bwd: list[str], cues: frozenset[str]) -> bool:
    """Where the two cuts differ, the forward one has a one-character word the
    dictionary tags a verb, preposition or pronoun (全省|分, 及其|他), not one of `cues`."""
    i = 0
    while i < len(fwd) and i < len(bwd) and fwd[i] == bwd[i]:
        i += 1
    j = 0
    while j < len(fwd) - i and j < len(bwd) - i and fwd[-1 - j] == bwd[-1 - j]:
        j += 1
    for k in range(i, len(fwd) - j):
        w = fwd[k]
        if len(w) == 1 and tag(w)[:1] in ("v", "p", "r") and w not in cues:
            return True
    return False


def _log_count(words: list[str]) -> float:
    """The log of the product of the words' dictionary counts (an unknown word counts 1)."""
    total = 0.0
    for w in words:
        lc = _LOG_COUNTS.get(w)
        if lc is None:
            lc = _word_log_count(w)
        total += lc      # (adding 0.0 for an unknown word leaves the sum as it was)
    return total


def _word_log_count(w: str) -> float:
    """log of the word's count (0.0 for 1 or less), memoised: a lookup costs a tenth of
    the count's and the log's (a call through Python) in the compiled build."""
    c = _count(w)
    lc = log(c) if c > 1 else 0.0
    if len(_LOG_COUNTS) >= _LOG_COUNTS_MAX:
        _LOG_COUNTS.clear()
    _LOG_COUNTS[w] = lc
    return lc


_LOG_COUNTS: Final[dict[str, float]] = {}
_LOG_COUNTS_MAX: Final = 100_000     # words; cleared when full


# how much likelier (in log counts) one cut must be to win a tie: rounding apart
_LIKELIER: Final = 1e-9


def doubtful(words: list[str]) -> bool:
    """Forward matching may have cut a word wrongly: it left an unknown run of two or
    more characters (赞助人|民币), or a lone character that makes a word with the one
    before it (中服|务: 服务). Of the last forward cut that noted its word lengths (the
    list itself, as `cut_forward` returned it, unchanged) the cut already said it."""
    last = _FORWARD_DOUBT[0]
    if last[0] is words:
        return last[1]
    prev = ""
    for w in words:
        if _CJK_LO <= ord(w[0]) <= _CJK_HI:
            if len(w) == 1:
                if prev and w not in _FUNCTION_CHARS and _pair_known(ord(prev[len(prev) - 1]), ord(w[0])):
                    return True
            elif not _known(w):
                return True
        prev = w
    return False


def _unknown_words(words: list[str], text: str, noted: list[int]) -> int:
    """How many words of a cut of `text` (two or more characters, opening with a CJK
    character) the dictionary lacks, read from the word lengths noted at their starts
    (`cut_forward`, `cut_backward`; max_len 6), where the dictionary was walked once:
    a word of up to six characters is known when its length's bit is set. A start with
    nothing noted is noted now; a longer word is looked up."""
    unknown = 0
    n = len(text)
    at = 0
    for w in words:
        size = len(w)
        if size > 1 and _CJK_LO <= ord(w[0]) <= _CJK_HI:
            if size <= 6:
                found = noted[at]
                if found < 0:
                    found = noted[at] = _word_lengths(text, at, n, 6)
                if not (found >> size) & 1:
                    unknown += 1
            elif not _known(w):
                unknown += 1
        at += size
    return unknown


# Dictionary counts below this are rare words (其人 3, 其子 332), not function words
# (其中 34173, 其余 4454).
_RARE: Final = 1000

# The CJK Unified Ideographs block, compared as code points (ord(text[i]) makes no
# one-character string in the compiled build)
_CJK_LO: Final = 0x4E00
_CJK_HI: Final = 0x9FFF

# Characters that stand alone as words and never start or end an unknown word.
_FUNCTION_CHARS: Final = frozenset("的了着过和与及或而且并在于从向对把被将给为以由等每各其该本此这那均共都也又再已约"
                            "之所则即因仅只就还更最很是有无不没个名位次达")
# … as a table by code point (every one is CJK): the cuts test the character at each
# single-character step, where `text[i] in _FUNCTION_CHARS` made a one-character string
# and hashed it (tests/test_extraction_speed_paths.py holds the two equal)
_FUNCTION_TABLE: Final = char_table(_FUNCTION_CHARS)
_QI: Final = ord("其")


def likeliest_cut(text: str, max_len: int = 6) -> list[str]:
    """The cut of a short text with the largest product of word probabilities (jieba's
    own criterion, its dictionary's counts over their total; a character unknown to the
    dictionary counts 1), found right to left as jieba's DAG route is."""
    n = len(text)
    best = [0.0] * (n + 1)
    step = [1] * (n + 1)
    for i in range(n - 1, -1, -1):
        counts = _prefix_counts(text, i, min(n, i + max_len))
        top, top_len = log(max(counts[0], 1)) - _LOG_TOTAL + best[i + 1], 1
        for k in range(1, len(counts)):
            c = counts[k]
            if c > 0:
                score = log(c) - _LOG_TOTAL + best[i + k + 1]
                if score > top:
                    top, top_len = score, k + 1
        best[i], step[i] = top, top_len
    out: list[str] = []
    i = 0
    while i < n:
        out.append(text[i:i + step[i]])
        i += step[i]
    return out


def _prefix_counts(text: str, i: int, stop: int) -> list[int]:
    """The counts of text[i:i + 1], text[i:i + 2] … up to text[i:stop], as far as the
    dictionary knows the prefix (a prefix it lacks ends the list; the first is always
    there, 0 for a character it lacks)."""
    if _TABLE_WALK:
        t = _table()
        size: i64 = _TABLE_SIZE[0]
        node = word_table.child(t, size, size, ord(text[i]))
        out = [word_table.count(t, size, node) if node >= 0 else 0]
        k: i64 = i + 1
        while node >= 0 and k < stop:
            node = word_table.child(t, size, node, ord(text[k]))
            if node >= 0:
                out.append(word_table.count(t, size, node))
            k += 1
        return out
    freq = _shard(ord(text[i]))
    out = [freq.get(text[i], 0)]
    for j in range(i + 2, stop + 1):
        c = freq.get(text[i:j])
        if c is None:
            break          # not even a prefix of a word: no longer word either
        out.append(c)
    return out


def word_across(text: str, k: int, lo: int = 0, reach: int = 4) -> str:
    """The word of the likeliest cut of text[lo:k + reach] that runs across position k
    (人员 in 6个人员集中区 read from 个: a unit that is not a word of its own), or ""."""
    pos = lo
    for w in likeliest_cut(text[lo:k + reach]):
        if pos < k < pos + len(w):
            return w
        pos += len(w)
        if pos >= k:
            break
    return ""


# the log of the total of jieba's dictionary counts (dict.txt: jieba.dt.total), which a
# word's count is divided by to make its probability
_LOG_TOTAL: Final = log(60_101_967)


def tag(word: str) -> str:
    """Dictionary part-of-speech tag ('n', 'v', 'vn' ...), '' for unknown words."""
    if not word:
        return ""
    if _TABLE_WALK:
        t = _table()
        size: i64 = _TABLE_SIZE[0]
        node = word_table.node_of(t, size, word, 0, len(word))
        return _TABLE_TAGS[word_table.tag_index(t, size, node)] if node >= 0 else ""
    return _tag_shard(ord(word[0])).get(word, "")


def is_word(word: str) -> bool:
    return _known(word)


def opens_word(text: str) -> bool:
    """`text` is a dictionary word or the beginning of one (the table holds every prefix)."""
    if not text:
        return False
    if _TABLE_WALK:
        return word_table.node_of(_table(), _TABLE_SIZE[0], text, 0, len(text)) >= 0
    return text in _shard(ord(text[0]))


def crosses_word(text: str, start: int, end: int, max_len: int = 4) -> str | None:
    """A dictionary word that straddles the edge of text[start:end], if any.

    一次性, 四面八方, 千家万户: the numeral and its classifier are part of a longer
    word, so they are not a count. Returns the word, or None.
    """
    n = len(text)
    for a in range(max(0, start - max_len + 1), start + 1):
        if a >= n:
            break
        lo, hi = max(end, a + 2), min(n, a + max_len)
        if lo > hi:
            continue        # no word from a reaches the span's end: no walk (a figure of 2-4 characters)
        found = _word_lengths(text, a, n, max_len)     # bit L: text[a:a + L] is a word
        for b in range(lo, hi + 1):
            if (a < start or b > end) and a < end and b > start and (found >> (b - a)) & 1:
                if a < start and b <= start:
                    continue
                return text[a:b]
    return None


def warm_up() -> None:
    """Load the dictionary's tables now, every character's (from the cache a few
    tenths of a second; the first time, through jieba, two or three seconds): before
    forking workers, which then share them, and before a benchmark."""
    if _TABLE_WALK:
        _table()
        return
    if not _TAG_NAMES:
        _load_tables()
    for ch in list(_PACKED):
        _shard(ord(ch))


def _table() -> bytes:
    """The dictionary as one table (etl/extraction/word_table.py), what the compiled
    build walks: from the cache, built there from the packed tables and our own words
    the first time (keyed by both, so a changed word list is built afresh)."""
    if _TABLE:
        return _TABLE[0]
    from .. import file_cache
    head, blob, base = file_cache.mapped("jieba", "word_table", _table_key(), _build_table)
    size, names = head
    # a bytes object (what compiled code indexes natively), not the mapped file
    t = blob if isinstance(blob, bytes) and base == 0 else bytes(blob[base:])
    _TABLE_TAGS.extend(["", *names])
    _TABLE_SIZE.append(size)
    _TABLE.append(t)
    return t


def _table_key() -> str:
    """jieba's dictionary, our word list and the table's layout."""
    count, own = rules.segmenter_words()
    words = hashlib.sha1(repr((count, sorted(own.items()))).encode()).hexdigest()[:12]
    return f"{_dictionary_key()}-{words}-{word_table.SLOT}"


def _build_table() -> tuple[tuple[int, tuple[str, ...]], bytes]:
    """((size, tag names), table) of every character's tables as `_build_shard` makes
    them (jieba's packed words with ours added)."""
    if not _TAG_NAMES:
        _load_tables()
    chars = set(_PACKED) | {ch for ch in _own_words() if ch}
    names: list[str] = []
    index: dict[str, int] = {}
    entries: list[tuple[str, int, int]] = []
    for ch in sorted(chars):
        freq, tags = _unpack(ch)
        own = _own_words().get(ch)
        if own is not None:
            _add_own_words(freq, tags, own)
        for w, c in freq.items():
            t = tags.get(w, "")
            k = 0
            if t:
                if t not in index:
                    names.append(t)
                    index[t] = len(names)
                k = index[t]
            entries.append((w, c, k))
    size, table = word_table.build(entries)
    return (size, tuple(names)), table


_TABLE: Final[list[bytes]] = []
_TABLE_SIZE: Final[list[int]] = []
_TABLE_TAGS: Final[list[str]] = []     # "" then the table's tag names
# the compiled build walks the table; the Python source keeps the per-character dicts
# (interpreted, a table walk costs several bytecodes a byte read)
_TABLE_WALK: Final = not hasattr(word_table.child, "__code__")

