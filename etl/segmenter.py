"""jieba, loaded once and lazily: word boundaries and dictionary part-of-speech tags.

Segmenting a whole report would cost more than everything else the extractor does,
so jieba only ever sees the few characters around a figure. Tags come from jieba's
dictionary (the table jieba.posseg reads) rather than its HMM tagger: a dict lookup
per word instead of a Viterbi pass per window.
"""
from __future__ import annotations

import logging
import os
import tempfile
from functools import cache


@cache
def _jieba():
    import jieba
    jieba.setLogLevel(logging.WARNING)
    # jieba caches its prefix dictionary in the temp dir; keep it in a user-owned folder
    cache_dir = os.environ.get("REPORT_FIGURES_CACHE") or os.path.join(
        tempfile.gettempdir(), f"report-figures-{os.getuid() if hasattr(os, 'getuid') else 'u'}")
    os.makedirs(cache_dir, exist_ok=True)
    jieba.dt.tmp_dir = cache_dir
    jieba.dt.initialize()
    return jieba


@cache
def _tags() -> dict[str, str]:
    import jieba.posseg
    _jieba()
    return jieba.posseg.dt.word_tag_tab


def cut(text: str) -> list[str]:
    """Words of a short window; unknown words (参学率) are guessed by jieba's HMM."""
    return _jieba().dt.lcut(text, HMM=True)


def tag(word: str) -> str:
    """Dictionary part-of-speech tag ('n', 'v', 'vn' ...), '' for unknown words."""
    return _tags().get(word, "")


def is_word(word: str) -> bool:
    return _jieba().dt.FREQ.get(word, 0) > 0


def crosses_word(text: str, start: int, end: int, max_len: int = 4) -> str | None:
    """A dictionary word that straddles the edge of text[start:end], if any.

    一次性, 四面八方, 千家万户: the numeral and its classifier are part of a longer
    word, so they are not a count. Returns the word, or None.
    """
    freq = _jieba().dt.FREQ
    n = len(text)
    for a in range(max(0, start - max_len + 1), start + 1):
        for b in range(max(end, a + 2), min(n, a + max_len) + 1):
            if (a < start or b > end) and a < end and b > start and freq.get(text[a:b], 0) > 0:
                if a < start and b <= start:
                    continue
                return text[a:b]
    return None


def warm_up() -> None:
    """Load the dictionary now (the first load takes about a second)."""
    _jieba()
    _tags()
