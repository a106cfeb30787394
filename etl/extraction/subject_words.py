"""The words around a figure, and what each is: the categories the subject finder
reads (noun, modifier, verb, joiner, quoted name, bracket, stop), cut by `segmenter`
and cached per window, and what a phrase's head word names (people, orgs, funds,
attribute and status words …, from data/rules/subjects.yaml and units.yaml).
"""
from __future__ import annotations

from typing import Any, Final

import re

from .. import rules
from . import segmenter
from .text_spans import char_table, first_in

_R: Final = rules.subject_rules()
_NOUN_TAGS: Final = frozenset(_R["noun_tags"])
_MOD_TAGS: Final = frozenset(_R["modifier_tags"])
DETERMINERS: Final = frozenset(_R["determiners"])
_STOP_WORDS: Final = frozenset(_R["stop_words"])
_TIME_WORDS: Final = frozenset(_R["time_words"])
LEFT_CUES: Final = frozenset(_R["left_cues"])
NOUN_SUFFIX_CHARS: Final = frozenset(_R["noun_suffix_chars"])
COMPOUND_HEADS: Final = tuple(_R["compound_heads"])
GENERIC_MONEY: Final = frozenset(_R["generic_money"])
CURRENCY_WORDS: Final = frozenset(_R["currency_words"])
_VERB_WORDS: Final = frozenset(_R.get("verbs") or ())
REPORT_VERBS: Final = frozenset(_R["report_verbs"])
_REPORT_VERB_NEXT: Final = frozenset(_R["report_verb_next"])
# (word lengths that can be one: most words are asked only their length)
_REPORT_VERB_SHORTEST: Final = min(map(len, REPORT_VERBS))
_REPORT_VERB_LONGEST: Final = max(map(len, REPORT_VERBS))
VERB_OK_CLASSES: Final = frozenset(_R["verb_ok_classes"])
WINDOW: Final = int(_R["window_after"])
LEFT_WINDOW: Final = int(_R["window_before"])
# Characters, not words (data/rules/phrase_chars.yaml): fixed by the script, not by the reports.
_CH: Final = rules.phrase_chars()
_FUNCTION_CHARS: Final = _CH.function_chars
_JOINERS: Final = _CH.joiners
_OPEN: Final = _CH.open_brackets
_CLOSE: Final = _CH.close_brackets
_QUOTES: Final = _CH.quotes
STOP_CHARS: Final = frozenset(_CH.stop_chars)
EDGE_CHARS: Final = _CH.edge_chars        # trimmed from a phrase's ends

Token = tuple[str, str]   # (word, category)
COMPOUND_HEAD_SET: Final = frozenset(COMPOUND_HEADS)


def tag(word: str) -> str:
    """The word's dictionary tag, as corrected in subjects.yaml `tag_fixes` (the
    dictionary tags 相册 a verb and 清单 an adjective, whatever the sentence)."""
    fixed = _TAG_FIXES.get(word)
    return fixed if fixed is not None else segmenter.tag(word)


_TAG_FIXES: Final[dict[str, str]] = {str(k): str(v) for k, v in (_R.get("tag_fixes") or {}).items()}


def head_class(phrase: str) -> str:
    """What the phrase's head word names: a class from the head lists (people, orgs,
    events, items, money, attribute, status …), else from its dictionary tag."""
    hc = _HEAD_CACHE.get(phrase)
    if hc is not None:
        return hc
    return _new_head_class(phrase, None)


def head_class_cut(phrase: str, phrase_tokens: tuple[Token, ...]) -> str:
    """`head_class(phrase)` for a caller that holds `tokens(phrase, True, True)` (the
    features' `info`, on its own miss: first sight only), so that a phrase with no closing
    mark to strip is not looked up again when its head class is new too."""
    hc = _HEAD_CACHE.get(phrase)
    if hc is not None:
        return hc
    return _new_head_class(phrase, phrase_tokens)


def _new_head_class(phrase: str, phrase_tokens: tuple[Token, ...] | None) -> str:
    """`head_class` of a phrase not in its memo, which then keeps it. phrase_tokens:
    see `head_class_cut`; None: the head's tokens are asked for here."""
    head = phrase.rstrip(")）”’\"」》")
    hc = ""
    n = len(head)
    for k in _HEAD_LENGTHS.get(head[-1:], ()):    # (longest first, as a loop down from the longest)
        if k <= n:
            cls = HEADS.get(head[n - k:])
            if cls is not None:
                hc = cls
                break
    if not hc:
        if phrase_tokens is not None and n == len(phrase) and n:
            toks = phrase_tokens
        else:
            toks = tokens(head, True, True) if head else ()
        t = tag(toks[-1][0]) if toks else ""
        hc = _TAG_CLASS.get(t, "noun" if t.startswith("n") else ("action" if t.startswith("v") else "unknown"))
    if len(_HEAD_CACHE) >= TOKEN_CACHE_MAX:
        _HEAD_CACHE.clear()
    _HEAD_CACHE[phrase] = hc
    return hc


_HEAD_CACHE: Final[dict[str, str]] = {}


def _head_table() -> dict[str, str]:
    out: dict[str, str] = {}
    for cls, words in _R["head_classes"].items():
        for w in words:
            out.setdefault(str(w), str(cls))
    for cls, words in rules.subject_words().items():
        for w in words:
            out.setdefault(str(w), cls)
    for w in _R["money_heads"]:
        out.setdefault(str(w), "money")
    for w in _R["attribute_nouns"]:
        out[str(w)] = "attribute"
    for w in _R["status_words"]:
        out[str(w)] = "status"
    return out


HEADS: Final = _head_table()


def _ends_on_noun_head(w: str) -> bool:
    """The word ends on a head word (two characters or more) of a class of things."""
    n = len(w)
    for k in _HEAD_LENGTHS.get(w[-1:], ()):
        if 2 <= k <= n:
            cls = HEADS.get(w[n - k:])
            if cls is not None:
                return cls in _THING_CLASSES
    return False


def listed_head(phrase: str) -> str:
    """The class of the head word the phrase ends on, from the head lists only ("" when
    none is listed; no dictionary tag)."""
    n = len(phrase)
    for k in _HEAD_LENGTHS.get(phrase[-1:], ()):
        if k <= n:
            cls = HEADS.get(phrase[n - k:])
            if cls is not None:
                return cls
    return ""


def _head_lengths() -> dict[str, tuple[int, ...]]:
    """Last character -> the lengths of the head words ending on it, longest first: a
    phrase's possible heads are looked up at those lengths only (a slice and a look-up
    for every length up to the longest head cost ~3,500 instructions a phrase)."""
    by_last: dict[str, set[int]] = {}
    for w in HEADS:
        if w:
            by_last.setdefault(w[-1], set()).add(len(w))
    return {ch: tuple(sorted(ls, reverse=True)) for ch, ls in by_last.items()}


_HEAD_LENGTHS: Final = _head_lengths()
_THING_CLASSES: Final = frozenset(("people", "orgs", "items", "money"))
_TAG_CLASS: Final[dict[str, str]] = {str(k): str(v) for k, v in _R["tag_classes"].items()}


def starts_at(text: str, word: str, at: int) -> bool:
    """text.startswith(word, at) for at >= 0, written with find: the compiled build
    has a native find with bounds but calls startswith with a position through Python."""
    return text.find(word, at, at + len(word)) == at


def starts_any(text: str, words: tuple[str, ...], at: int) -> bool:
    """text.startswith(words, at) for at >= 0 (see `starts_at`)."""
    for w in words:
        if text.find(w, at, at + len(w)) == at:
            return True
    return False


def ends_at(text: str, word: str, lo: int, hi: int) -> bool:
    """text.endswith(word, lo, hi), written with find as `starts_at` is (with a position
    the compiled build calls endswith through Python, ~1,000 instructions a call)."""
    if lo < 0 or hi < 0:
        return text.endswith(word, lo, hi)     # (counted from the end: as the method does)
    n = len(text)
    if hi > n:
        hi = n
    k = hi - len(word)
    return lo <= n and k >= lo and text.find(word, k, hi) == k


def ends_any(text: str, words: tuple[str, ...], lo: int, hi: int) -> bool:
    """text.endswith(words, lo, hi)."""
    for w in words:
        if ends_at(text, w, lo, hi):
            return True
    return False


def locate(view: str, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
    k = view.find(phrase, lo, hi)
    return (k, k + len(phrase)) if k >= 0 else None


# --- words and their categories -----------------------------------------------------

def _token(w: str) -> Any:
    """(word, category), memoised in a plain dict: a dozen lookups per window, and a
    dict lookup costs less than a call through functools' cache. Typed Any, so that the
    compiled build hands on the tuple kept here: as a Token it unpacks it and packs a
    new one for every word of every window."""
    tok: Any = _TOKEN_CACHE.get(w)
    if tok is None:
        if len(_TOKEN_CACHE) >= TOKEN_CACHE_MAX:
            _TOKEN_CACHE.clear()
        tok = (w, _category(w))     # (boxed once: a chained assignment boxed it twice)
        _TOKEN_CACHE[w] = tok
    return tok


_TOKEN_CACHE: Final[dict[str, Any]] = {}


def _char_token(ch: str) -> Any:
    """`_token` of a one-character word (a third of the words a window holds), kept by
    code point: a list read, where the memo would hash a new string and probe a large
    dict (a CJK character cut alone is a new string every time)."""
    c = ord(ch)
    if c >= 0x10000:
        return _token(ch)
    tok: Any = _CHAR_TOKENS[c]
    if tok is None:
        tok = (ch, _category(ch))      # (boxed once: the tuple kept is the one returned)
        _CHAR_TOKENS[c] = tok
    return tok


_CHAR_TOKENS: Final[list[Any]] = [None] * 0x10000     # (filled as the characters come)
TOKEN_CACHE_MAX: Final = 100_000     # distinct words; cleared when full (the vocabulary of a corpus fits)


def _category(w: str) -> str:
    """N noun, M modifier, V verb, J joiner, Q quoted name, O/C brackets, S stop.
    (Asked once per distinct word, on first sight: its first character is taken once,
    a new one-character string each time for a CJK character.)"""
    first_char = w[0]
    if first_char in _QUOTES and len(w) > 2 and w[-1] in _QUOTES:
        return "Q"
    listed = _LISTED_CATEGORY.get(w)
    if listed is not None:
        return listed
    if w.isspace() or first_char.isdigit() or first_char in STOP_CHARS or first_char in _QUOTES:
        return "S"
    if w in _VERB_WORDS:
        return "V"
    t = tag(w)
    if len(w) >= 2 and not t.startswith("v") and _ends_on_noun_head(w):
        return "N"       # 合同纠纷 is tagged a state word, 且 … the head word says noun
    if t == "":
        # not in the dictionary: a short new word (参学率) is a noun unless it starts
        # like a function word or a verb (共制, 划小为)
        if not _cjk(first_char) or len(w) > 3 or first_char in _FUNCTION_CHARS:
            return "S"
        first = tag(first_char)
        return "V" if first.startswith("v") and len(w) > 1 and w[-1] not in NOUN_SUFFIX_CHARS else "N"
    if t in _NOUN_TAGS:
        return "N"
    if t in ("t", "nrt"):
        return "S" if w in _TIME_WORDS else "N"
    if t in _MOD_TAGS:
        return "M"
    if t.startswith("v"):
        return "V"
    return "S"


def _listed_categories() -> dict[str, str]:
    """Joiners J, brackets O/C, determiners M, stop words S: one look-up for a new word
    where `_category` probed five sets in turn (a word in two lists keeps the first)."""
    out: dict[str, str] = {}
    for words, cat in ((_JOINERS, "J"), (_OPEN, "O"), (_CLOSE, "C"), (DETERMINERS, "M"), (_STOP_WORDS, "S")):
        for w in words:
            out.setdefault(w, cat)
    return out


_LISTED_CATEGORY: Final = _listed_categories()


def tokens(window: str, at_end: bool = False, phrase: bool = False) -> tuple[Token, ...]:
    """Words with categories; a short quoted name (“身边典型”) is one token. Cached
    (the same windows recur often), so a tuple: a caller that edits it copies it.
    at_end: the window ends at the figure (words before it), so where forward and
    backward matching disagree and neither knows more words, backward wins.
    phrase: the text is a phrase read in a window just cut (a candidate, its head), so
    its words are first looked for there (`within_clean`)."""
    # the window cut last in this direction, asked again (the words before the figure
    # after left_phrase read its phrase in them; a phrase's head after its info): a
    # string compare, where the memo would hash a fresh slice and probe a large dict
    side = 1 if at_end else 0
    last = _LAST_CUT[side]
    if last[0] == window:
        return last[1]
    # one plain dict per direction: a lookup costs far less than a call through
    # functools.lru_cache (which builds and hashes a key tuple)
    cache = _TOKENS_AT_END if at_end else _TOKENS_AHEAD
    toks = cache.get(window)
    if toks is None:
        if len(cache) >= _TOKENS_MAX:
            cache.clear()
        # most phrases not seen yet lie in a window just cut: their words are that
        # window's, without cutting again
        if phrase:
            derived = within_clean(window)
            if derived is not None:
                toks = cache[window] = derived
                _LAST_CUT[side] = (window, toks)
                return toks
        # the forward cut notes the word lengths it finds, which a backward cut reuses
        lengths = [-1] * len(window)
        fwd = segmenter.cut_forward(window, _MAX_WORD, lengths)
        if segmenter.doubtful(fwd):
            toks = cache[window] = _tokens_from(segmenter.settle(window, fwd, at_end, LEFT_CUES, lengths))
        else:
            # forward matching left nothing in doubt: the cut is the same both ways
            toks = cache[window] = _tokens_from(fwd)
            other = _TOKENS_AHEAD if at_end else _TOKENS_AT_END
            if len(other) < _TOKENS_MAX:
                other[window] = toks
            k = _CLEAN_NEXT[0] % _CLEAN_KEPT
            _CLEAN_RECENT[k] = (window, toks)
            _CLEAN_NEXT[0] = (k + 1) % _CLEAN_KEPT
        _LAST_CUT[side] = (window, toks)
    return toks


_TOKENS_AT_END: Final[dict[str, tuple[Token, ...]]] = {}
_TOKENS_AHEAD: Final[dict[str, tuple[Token, ...]]] = {}
_TOKENS_MAX: Final = 16384     # windows per direction; cleared when full
_MAX_WORD: Final = 6           # characters of a dictionary word (the cuts' default)
# the last windows cut whose forward cut left nothing in doubt, with their tokens: a
# ring of fixed size whose slots are overwritten, never removed (two threads extracting
# at once, two sessions of the dashboard, never index past its end)
_CLEAN_KEPT: Final = 8
_CLEAN_RECENT: Final[list[tuple[str, tuple[Token, ...]]]] = [("", ())] * _CLEAN_KEPT
_CLEAN_NEXT: Final[list[int]] = [0]     # the slot written next
# per direction (0 ahead, 1 at the end), the window cut last (or read in a recent
# window) and its tokens: one pair replaced whole, so that two threads never read one
# window's tokens for another (kept for the misses only: a pair made for every ask
# cost more than the asks it answered)
_LAST_CUT: Final[list[tuple[str, tuple[Token, ...]]]] = [("", ()), ("", ())]


def within_clean(text: str) -> tuple[Token, ...] | None:
    """The tokens of `text` read from a window cut just before, or None (then it is cut).

    Exact when `text` lies in a window whose forward cut was not in doubt and starts and
    ends on its token boundaries: forward matching from a word boundary repeats the
    window's words (no word reached past `text`'s end, or that end would not be a
    boundary), none of them is in doubt, and a quoted name is inside or outside whole.
    Not for a text holding 其 (the 其 rule of `cut_forward` reads two characters past a
    word) nor one opening on a group head (`_tokens_from` tags it by the word before)."""
    if "其" in text:
        return None
    newest = _CLEAN_NEXT[0] - 1
    for r in range(_CLEAN_KEPT):
        window, toks = _CLEAN_RECENT[(newest - r) % _CLEAN_KEPT]
        if not window:
            continue
        got = slice_within(window, toks, text)
        if got is not None:
            return got
    return None


def slice_within(window: str, toks: tuple[Token, ...], text: str) -> tuple[Token, ...] | None:
    """The tokens of the window (`toks`, its forward cut not in doubt) that spell `text`
    where it first occurs, when it starts and ends on token boundaries there and does not
    open on a group head; else None. (The caller rules out 其, see `within_clean`.)"""
    k = window.find(text)
    if k < 0:
        return None
    hi = k + len(text)
    pos = 0
    i = 0
    n = len(toks)
    while i < n and pos < k:
        pos += len(toks[i][0])
        i += 1
    if pos != k:
        return None
    j = i
    while j < n and pos < hi:
        pos += len(toks[j][0])
        j += 1
    if pos != hi or j == i or toks[i][0] in COMPOUND_HEAD_SET:
        return None
    return toks[i:j]


def _tokens_of(window: str, at_end: bool) -> tuple[Token, ...]:
    """The tokens of a window, cut now (no cache, no window cut before)."""
    return _tokens_from(segmenter.cut_anchored(window, at_end))


def _tokens_from(words: list[str]) -> tuple[Token, ...]:
    out: list[Any] = []     # (the tuples `_token` keeps, not new ones: see there)
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        one = len(w) == 1
        if one and _opens_quote(w):
            close = _OPEN_QUOTES[w]
            j = i + 1
            inner = ""
            while j < n and words[j] != close and len(inner) <= 12 and words[j][0] not in STOP_CHARS:
                inner += words[j]
                j += 1
            if j < n and words[j] == close and inner:
                out.append((w + inner + close, "Q"))
                i = j + 1
                continue
        tok = _char_token(w) if one else _token(w)
        if w in COMPOUND_HEAD_SET and tok[1] == "S" and out and out[-1][1] in ("N", "V"):
            tok = (w, "N")     # 服务点, 示范创建点: a group head (tagged a numeral) after a word
        elif (_REPORT_VERB_SHORTEST <= len(w) <= _REPORT_VERB_LONGEST and w in REPORT_VERBS
              and i + 1 < n and words[i + 1] in _REPORT_VERB_NEXT and out and out[-1][1] in ("N", "C")):
            tok = (w, "V")     # 兵团报告新增, 芝加哥报告了: a noun's report is its verb, not its head
        out.append(tok)
        i += 1
    return tuple(out)


_OPEN_QUOTES: Final[dict[str, str]] = dict(_CH.quote_pairs)


def _opens_quote(ch: str) -> bool:
    """The one character `ch` opens a quote (a key of _OPEN_QUOTES), by a table
    look-up: every word of every window is asked, and almost none is one."""
    c = ord(ch)
    if c < 0x10000:
        return _OPEN_QUOTE_TABLE[c] != 0
    return ch in _OPEN_QUOTES


_OPEN_QUOTE_TABLE: Final = char_table(frozenset(_OPEN_QUOTES))


def is_group_head(w: str) -> bool:
    return w.endswith(COMPOUND_HEADS)


def after_last(view: str, chars: str, hi: int) -> int:
    """Where the text after the last of `chars` before `hi` starts (0 if none), looked
    for within _AFTER_LAST_REACH characters (the callers read less than that; a
    search back to the text's start for every figure was quadratic on long lines)."""
    lo = max(0, hi - _AFTER_LAST_REACH)
    last = -1
    for c in chars:     # (a loop: max over a generator calls through Python)
        last = max(last, view.rfind(c, lo, hi))
    return max(last + 1, lo)


_AFTER_LAST_REACH: Final = 400


def tidy(phrase: str) -> str:
    phrase = phrase.strip(EDGE_CHARS)
    if phrase[:1] in _QUOTES and phrase[-1:] in _QUOTES and phrase.count(phrase[0]) == 1:
        phrase = phrase[1:-1]
    if phrase.count(")") > phrase.count("("):
        phrase = phrase.rstrip(")")
    return phrase


STOP_RE: Final = re.compile("[" + re.escape("".join(sorted(STOP_CHARS))) + "]")


def stop_in(text: str, lo: int, hi: int) -> int:
    """Where the first stop character of text[lo:hi] is, else -1: STOP_RE.search(text,
    lo, hi) without the regex call (its call and match object cost more than a table
    look-up per character on the two dozen characters a window holds)."""
    return first_in(text, lo, hi, _STOP_TABLE, STOP_CHARS)


def last_stop(text: str) -> int:
    """Where the last stop character of `text` is, else -1."""
    j = len(text) - 1
    while j >= 0:
        c = ord(text[j])
        if c < 0x10000:
            if _STOP_TABLE[c]:
                return j
        elif text[j] in STOP_CHARS:
            return j
        j -= 1
    return -1


_STOP_TABLE: Final = char_table(STOP_CHARS)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
