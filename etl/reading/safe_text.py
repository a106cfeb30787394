"""Invisible formatting characters taken out of short texts a reader sees: titles,
organisation and outlet names, file names.

A right-to-left override (U+202E) in a file name shows "报告gpj.exe" as "报告exe.jpg" and
flips the text after it; zero-width spaces and joiners make two titles that look the
same differ, so a search for one misses the other. These are Unicode format characters
(category Cf); none of them belongs in a title or a name, so all are removed.

Called where such a text is stored (etl.pipeline.process_file: the report's title,
organisation, source and campaign) and where any is shown (pages/_markdown.py and
etl.views.text.plotly_text, which also cover file names and names stored before this).
Report *body* text is never changed here: claims' offsets point into it.
"""
from __future__ import annotations

import re

# Every format character (Unicode category Cf, as of Unicode 15.1, Python 3.13; the
# Egyptian format controls U+13439-1343F are unassigned in 3.11's Unicode 14): bidi
# embeddings, overrides and isolates (U+202A-202E, U+2066-2069), marks (U+200E/F,
# U+061C), zero-width space and joiners (U+200B-200D), word joiner and invisible
# operators (U+2060-2064), BOM (U+FEFF), soft hyphen, tag characters.
# tests/test_safe_text.py checks the list against unicodedata.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")


def strip_invisible(text: str | None) -> str | None:
    """`text` without format characters (None stays None).

    >>> strip_invisible("报告\\u202egpj.exe"), strip_invisible("慰\\u200b问\\ufeff金")
    ('报告gpj.exe', '慰问金')
    """
    if text is None:
        return None
    return _FORMAT.sub("", text)


def has_invisible(text: str) -> bool:
    return _FORMAT.search(text) is not None
