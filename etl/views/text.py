"""Text that goes into exported files: report text is data, never markup.

plotly reads a few HTML tags (<b>, <br>, <a href> ...) and entities in titles, labels,
annotations and hovers, so every string that may come from a report goes through
`plotly_text`. pages/_markdown.py re-exports these helpers for the pages.
"""
from __future__ import annotations

import html
import re
import unicodedata

from etl.reading.safe_text import strip_invisible

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection); report text is data, so such cells get a leading apostrophe. The
# dashboard's downloads, the briefing workbook and `etl export`'s CSVs all use this.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(v: object) -> object:
    """A spreadsheet cell that shows `v` as text: strings that a spreadsheet would run
    as a formula get a leading apostrophe; anything else is returned as it is.

    >>> defuse_formula("=SUM(A1:A9)"), defuse_formula("-2+3"), defuse_formula("慰问金"), defuse_formula(3)
    ("'=SUM(A1:A9)", "'-2+3", '慰问金', 3)
    """
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


def plotly_text(s: object) -> str:
    """Text for plotly titles, labels, hovers: plotly understands a few HTML tags
    (<b>, <br>, <a> ...) and entities, so `<`, `>` and `&` become entities; bidi
    overrides and zero-width characters are dropped (etl/reading/safe_text.py).

    >>> plotly_text("<b>慰问金</b> & 补助")
    '&lt;b&gt;慰问金&lt;/b&gt; &amp; 补助'
    """
    return html.escape(strip_invisible("" if s is None else str(s)) or "", quote=False)


def shorten(s: object, n: int = 24) -> str:
    """Long names cut with an ellipsis (axis labels, legends).

    >>> shorten("中央和国家机关工委关于开展慰问活动的通知", 10)
    '中央和国家机关工委…'
    """
    s = "" if s is None else str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(title: str, default: str = "图表", limit: int = 60) -> str:
    """A file name stem from a chart title: no path separators, no characters Windows
    refuses, no leading dots; Chinese kept (full-width ：stays, it is legal everywhere).

    >>> safe_filename("慰问金（金额）：按专项活动合计")
    '慰问金（金额）：按专项活动合计'
    >>> safe_filename("../<b>a:b</b>")
    'b_a_b_b'
    """
    s = strip_invisible(unicodedata.normalize("NFC", title or "")) or ""
    s = _UNSAFE.sub("_", s).strip(" ._")
    s = re.sub(r"_+", "_", s)
    return s[:limit].rstrip(" ._") or default


def display_width(s: object) -> int:
    """Columns a string takes in a spreadsheet: wide (CJK) characters count twice.

    >>> display_width("慰问金27万元")
    12
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(s))
