"""Report text made safe for Streamlit markdown and plotly, and the in-place highlighting.

Report text is data, never markup: `<script>` in a report must show as the characters
`<script>`. Streamlit renders markdown (not HTML, unless unsafe_allow_html, which we
never use), but markdown itself would still reinterpret a report: `*` starts emphasis,
`1.` a list, `$` LaTeX, `:blue[...]` a colour. So every ASCII punctuation character is
backslash-escaped (CommonMark allows that for all of them).

Escapes are not the whole story. Streamlit runs a few rewrites on the *parsed text*,
after escapes are resolved (read from its frontend bundle, 1.67): emoji shortcodes
(`:smile:`), `:streamlit:`, `:material_x:` icons, and typographic arrows (` -- ` -> —,
` -> ` -> →, ` >= ` -> ≥ ...). Those are broken up with an invisible WORD JOINER
(U+2060), only where such a pattern occurs, so ordinary text is left byte-for-byte.
The same joiner stops bare URLs, www. and e-mail addresses from becoming links, and
invisible format characters (bidi overrides, zero-width spaces) are dropped.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass

from etl.reading.safe_text import strip_invisible

WJ = "\u2060"                 # word joiner: zero width, breaks a pattern, shows nothing
NBSP = "\u00a0"               # leading spaces would otherwise make a code block
_PUNCT = frozenset(string.punctuation)
_SHORTCODE = re.compile(r":(?=[\w+\-/]+:)")
_TYPO = re.compile(r"(?:(?<=\s)|^)(<->|->|<-|--|>=|<=|~=)(?=\s|$)", re.M)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
# What GitHub-flavoured markdown turns into a link by itself (a bare URL, www., an
# e-mail address): a word joiner before the last character of the trigger breaks it,
# so report text never becomes a clickable link (http:⁠// shows as http://).
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|file|data|javascript):|www\.|@(?=\w)")


def _defuse(text: str) -> str:
    """Break the patterns Streamlit rewrites after parsing (see module docstring), and
    drop the invisible characters a hostile title hides behind (bidi overrides,
    zero-width spaces: etl/reading/safe_text.py) before adding our own word joiners."""
    text = strip_invisible(text) or ""
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + WJ + m.group(0)[-1], text)
    text = _SHORTCODE.sub(":" + WJ, text)
    return _TYPO.sub(lambda m: m.group(1)[0] + WJ + m.group(1)[1:], text)


def escape_inline(text: str) -> str:
    """One line of text as markdown that renders as exactly these characters.

    >>> escape_inline("<b>1*2</b>")
    '\\\\<b\\\\>1\\\\*2\\\\<\\\\/b\\\\>'
    """
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in _defuse(text))


def _lead(line: str) -> str:
    """Leading spaces/tabs as no-break spaces: four spaces would start a code block and
    fewer would be dropped."""
    stripped = line.lstrip(" \t")
    n = len(line) - len(stripped)
    if not n:
        return line
    return NBSP * (len(line[:n].replace("\t", "  "))) + stripped


def escape_markdown(text: str | None, *, paragraphs: bool = False) -> str:
    """Any text as markdown that renders as the same characters.

    Newlines become hard line breaks (or paragraph breaks with ``paragraphs=True``);
    leading spaces are kept as no-break spaces; blank input gives "".

    >>> escape_markdown("# 标题")
    '\\\\# 标题'
    """
    if not text:
        return ""
    out = [_lead(escape_inline(m.group(0).rstrip("\r\n")))
           for m in _LINE.finditer(text) if m.group(0)]
    return _join(out, paragraphs)


def _join(lines: list[str], paragraphs: bool) -> str:
    if paragraphs:
        return "\n\n".join(line for line in lines if line.strip(" \t" + NBSP + "\u3000"))
    return "  \n".join(lines)


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the text to colour: [start, end) plus how."""
    start: int
    end: int
    foreground: str | None = None   # CSS colour (our constants, never report text)
    background: str | None = None
    suffix: str = ""                # plain text shown after the span (e.g. its number)


_CSS_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}")


def _directive(body: str, mark: Mark) -> str:
    attrs = []
    for name, value in (("foreground", mark.foreground), ("background", mark.background)):
        if value:
            if not _CSS_COLOR.fullmatch(value):     # colours are ours; refuse anything else
                raise ValueError(f"not a hex colour: {value!r}")
            attrs.append(f'{name}="{value}"')
    if not attrs:
        return body
    return f":color[{body}]{{{' '.join(attrs)}}}"


def highlight_markdown(text: str, marks: list[Mark], *, paragraphs: bool = True) -> str:
    """The whole text as markdown with every mark coloured in place.

    Offsets index `text` as stored (CRLF included). Marks that overlap an earlier one
    or cross a line break are shown uncoloured rather than breaking the layout.

    >>> highlight_markdown("慰问金27万元。", [Mark(3, 7, background="#ffe0b2")])
    '慰问金:color[27万元]{background="#ffe0b2"}。'
    """
    marks = sorted(marks, key=lambda m: (m.start, m.end))
    lines, i = [], 0
    for m in _LINE.finditer(text):
        raw = m.group(0)
        if not raw:
            continue
        body = raw.rstrip("\r\n")
        ls, le = m.start(), m.start() + len(body)
        pieces, pos = [], ls
        while i < len(marks) and marks[i].start < le:
            mk = marks[i]
            i += 1
            if mk.start < pos or mk.end > le or mk.end <= mk.start:
                continue            # overlapping, empty, or crossing a line break
            pieces.append(escape_inline(text[pos:mk.start]))
            pieces.append(_directive(escape_inline(text[mk.start:mk.end]), mk))
            if mk.suffix:
                pieces.append(escape_inline(mk.suffix))
            pos = mk.end
        pieces.append(escape_inline(text[pos:le]))
        lines.append(_lead("".join(pieces)))
        while i < len(marks) and marks[i].start < m.end():   # marks on the line break itself
            i += 1
    return _join(lines, paragraphs)


# Plotly escaping lives with the exports (the command line draws the same charts);
# re-exported here for the pages.
from etl.views.text import plotly_text, shorten  # noqa: E402,F401
