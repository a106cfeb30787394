"""A PDF's text layer as written: Chromium names each glyph of an embedded font by the
lowest code point the font maps to it, and Noto Sans CJK draws 金 and the Kangxi
radical ⾦ (U+2FA6) with one glyph, so the exported PDF copied and searched as ⾦、⼈、⼼
(资金 not found). Here every font's ToUnicode map is rewritten through
data/rules/cjk_radicals.yaml (made from the font by tools/cjk_radicals.py); the drawing
is untouched.
"""
from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

from etl.rules import cjk_look_alikes

# a destination in a ToUnicode CMap: <XXXX> (UTF-16BE hex) after a source code
_HEX = re.compile(rb"<([0-9A-Fa-f]{4,})>")


def _fix_hex(match: re.Match, table: dict[int, str]) -> bytes:
    raw = match.group(1)
    if len(raw) % 4:
        return match.group(0)
    try:
        text = bytes.fromhex(raw.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return match.group(0)
    fixed = "".join(table.get(ord(c), c) for c in text)
    if fixed == text:
        return match.group(0)
    return b"<" + fixed.encode("utf-16-be").hex().upper().encode() + b">"


def fix_cmap(data: bytes, table: dict[int, str]) -> bytes:
    """One ToUnicode CMap with its look-alike destinations replaced. Only the
    destinations of bfchar / bfrange entries change: a source code is 1 or 2 bytes,
    too short to hold a look-alike, so it never matches the table."""
    out = []
    pos = 0
    for block in re.finditer(rb"begin(bfchar|bfrange)(.*?)end\1", data, re.S):
        out.append(data[pos:block.start(2)])
        body = block.group(2)
        if block.group(1) == b"bfchar":        # <src> <dst>: fix the second of each pair
            body = re.sub(rb"(<[0-9A-Fa-f]+>\s*)(<[0-9A-Fa-f]+>)",
                          lambda m: m.group(1) + _HEX.sub(lambda h: _fix_hex(h, table), m.group(2)),
                          body)
        else:                                  # <lo> <hi> <dst> or <lo> <hi> [<d1> <d2> ...]
            body = re.sub(rb"(<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*)(<[0-9A-Fa-f]+>|\[[^\]]*\])",
                          lambda m: m.group(1) + _HEX.sub(lambda h: _fix_hex(h, table), m.group(2)),
                          body)
        out.append(body)
        pos = block.end(2)
    out.append(data[pos:])
    return b"".join(out)


def searchable(pdf: bytes) -> bytes:
    """The PDF with every font's text layer naming ideographs, not their look-alikes.
    A PDF that needs no change (or cannot be parsed) comes back as it was."""
    table = {ord(k): v for k, v in cjk_look_alikes().items()}
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    except Exception:  # noqa: BLE001 - not ours to repair: hand the drawing back as it is
        return pdf
    changed = False
    seen: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            cmap = font.get("/ToUnicode")
            if cmap is None:
                continue
            stream = cmap.get_object()
            if id(stream) in seen or not isinstance(stream, StreamObject):
                continue
            seen.add(id(stream))
            data = stream.get_data()
            fixed = fix_cmap(data, table)
            if fixed != data:
                stream.set_data(fixed)
                changed = True
    if not changed:
        return pdf
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


__all__ = ["searchable", "fix_cmap"]
