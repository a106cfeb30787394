"""What a reader sees of a stored report: its text with no markup, and the way from an
offset in the stored text to the same place in what is shown.

A report keeps the file's decoded text (claim offsets index it, for HTML the page's
source); a page that shows the report, and a comparison of two reports' wording, want
the visible text instead: tags dropped, block tags as line breaks, entities as their
characters (the same reading the extractor makes, `normalize.strip_markup`), but the
characters as written (no simplification).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from ..extraction.normalize import strip_markup


@dataclass(frozen=True, slots=True)
class Visible:
    text: str                          # what a reader sees
    shown_at: Callable[[int], int]     # stored offset -> offset in `text`
    stored_at: Callable[[int], int]    # offset in `text` -> stored offset (a span's start)
    stored_end: Callable[[int], int]   # offset in `text` -> stored offset (a span's end)


def visible(text: str, fmt: str | None = None) -> Visible:
    """The visible text of a stored report and the maps between the two.

    >>> v = visible("<p>慰问金&nbsp;27万元</p>", "html")
    >>> v.text.strip(), v.text[v.shown_at(12):v.shown_at(16)]
    ('慰问金\xa027万元', '27万元')
    >>> s = v.text.index("慰"); "<p>慰问金&nbsp;27万元</p>"[v.stored_at(s):v.stored_end(s + 8)]
    '慰问金&nbsp;27万元'
    >>> visible("慰问金27万元", "txt").text
    '慰问金27万元'
    """
    if fmt != "html":      # a text file is shown as written, tags and all
        return Visible(text, _same, _same, _same)
    shown, omap = strip_markup(text)
    starts, views, literal, ends = omap.raw, omap.view, omap.literal, omap.raw_end

    def shown_at(offset: int) -> int:
        k = bisect_right(starts, offset) - 1
        if k < 0:
            return 0
        if literal[k]:
            return views[k] + min(offset - starts[k], ends[k] - starts[k])
        return views[k]      # inside a tag or an entity: where it shows

    return Visible(shown, shown_at, omap.start, omap.end)


def _same(offset: int) -> int:
    return offset
