"""A PDF's text layer as written: Chromium names each glyph of an embedded font by the
lowest code point the font maps to it, and Noto Sans CJK draws 金 and the Kangxi
radical ⾦ (U+2FA6) with one glyph, so the exported PDF copied and searched as ⾦、⼈、⼼
(资金 not found). Here every font's ToUnicode map is rewritten through
data/rules/cjk_radicals.yaml (made from the font by tools/cjk_radicals.py); the drawing
is untouched.

Chromium (Skia) writes a plain PDF: one classic xref table, no object streams. For such a
file only the ToUnicode streams are replaced in the bytes and the xref offsets shifted
(~20 ms for a chart); anything else goes through pypdf's object model (~10× slower: it
parses and re-writes every glyph of the page).
"""
from __future__ import annotations

import io
import re
import zlib

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
    fast = _in_place(pdf, table)
    return fast if fast is not None else _through_pypdf(pdf, table)


_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s{1,2}")
_STREAM_HEAD = re.compile(rb"\d+ \d+ obj\s*<<([^<>]*)>>\s*stream\r?\n")


def _xref(pdf: bytes) -> tuple[int, dict[int, tuple[int, int, bytes]]] | None:
    """(where the xref table starts, {object: (offset, generation, n|f)}) of a PDF with
    one classic xref table; None for any other layout."""
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", pdf[-64:])
    if m is None:
        return None
    at = int(m.group(1))
    if not pdf.startswith(b"xref", at):
        return None
    pos, entries = at + 4, {}
    while True:
        head = re.compile(rb"\s*(\d+) (\d+)\s*\r?\n").match(pdf, pos)
        if head is None:
            break
        first, count = int(head.group(1)), int(head.group(2))
        pos = head.end()
        for i in range(count):
            e = _XREF_ENTRY.match(pdf, pos)
            if e is None:
                return None
            entries[first + i] = (int(e.group(1)), int(e.group(2)), e.group(3))
            pos = e.end()
    trailer = pdf[pos:pdf.find(b"startxref", pos)]
    if not trailer.lstrip().startswith(b"trailer") or b"/Prev" in trailer:
        return None                      # updated files: leave them to pypdf
    return at, entries


def _in_place(pdf: bytes, table: dict[int, str]) -> bytes | None:
    """`searchable` by replacing the ToUnicode streams in the bytes and rewriting the
    xref table; None when the file is not laid out as Chromium writes it."""
    found = _xref(pdf)
    if found is None:
        return None
    xref_at, entries = found
    starts = sorted(off for off, _, kind in entries.values() if kind == b"n")
    ends = dict(zip(starts, starts[1:] + [xref_at]))
    changed: dict[int, bytes] = {}          # offset of an object -> its new bytes
    for num in {int(n) for n in re.findall(rb"/ToUnicode (\d+) 0 R", pdf)}:
        if num not in entries or entries[num][2] != b"n":
            return None
        start = entries[num][0]
        obj = pdf[start:ends[start]]
        head = _STREAM_HEAD.match(obj)
        if head is None:
            return None
        fields = head.group(1)
        length = re.search(rb"/Length (\d+)(?! \d+ R)", fields)
        if length is None or b"/FlateDecode" not in fields or b"/DecodeParms" in fields:
            return None
        body = obj[head.end():head.end() + int(length.group(1))]
        try:
            cmap = zlib.decompress(body)
        except zlib.error:
            return None
        fixed = fix_cmap(cmap, table)
        if fixed == cmap:
            continue
        packed = zlib.compress(fixed, 6)
        new_fields = fields[:length.start(1)] + str(len(packed)).encode() + fields[length.end(1):]
        changed[start] = (obj[:head.start(1)] + new_fields + obj[head.end(1):head.end()] + packed
                          + obj[head.end() + len(body):])
    if not changed:
        return pdf
    out, shift, moved, pos = [], 0, {}, 0
    for off in starts:                      # objects in file order, each moved by the growth before it
        moved[off] = off + shift
        if off in changed:
            out.append(pdf[pos:off])
            out.append(changed[off])
            shift += len(changed[off]) - (ends[off] - off)
            pos = ends[off]
    out.append(pdf[pos:xref_at])
    body = b"".join(out)
    size = max(entries) + 1
    rows = [b"xref\n0 %d\n" % size]
    for n in range(size):
        off, gen, kind = entries.get(n, (0, 65535, b"f"))
        rows.append(b"%010d %05d %s \n" % (moved.get(off, off) if kind == b"n" else off, gen, kind))
    tail = pdf[xref_at:]
    trailer = tail[tail.find(b"trailer"):tail.find(b"startxref")]
    return body + b"".join(rows) + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


def _through_pypdf(pdf: bytes, table: dict[int, str]) -> bytes:
    """`searchable` for any PDF pypdf reads: every font's ToUnicode stream rewritten."""
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
