"""Write data/rules/cjk_radicals.yaml: the code points a CJK font draws with the same
glyph as a unified ideograph (⾦ U+2FA6 and 金 U+91D1 in Noto Sans CJK).

Why: Chromium's PDF writer names each glyph in the PDF's text layer by the lowest code
point the font maps to it, so 金 drawn in Noto Sans CJK is copied and searched as the
Kangxi radical ⾦. etl/exports/pdf_text.py rewrites those names with this table, and
etl/reading/pdf_paragraphs.py the text of PDFs a run reads.

    .venv/bin/python tools/cjk_radicals.py [FONT_FILE ...] [--write]

Reads the fonts' cmaps (format 12 or 4) directly: no font library needed. Default
fonts: the ones fontconfig picks for "Noto Sans CJK SC" and "Noto Serif CJK SC" (the
Serif face shares one more: ⻁ and 虎); the first font's mapping wins where they differ.
"""
from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "rules" / "cjk_radicals.yaml"


def _unified(cp: int) -> bool:
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF


def _table(data: bytes, font_offset: int, name: bytes) -> int | None:
    """Where the font's table `name` starts, None if it has none."""
    n_tables = struct.unpack_from(">H", data, font_offset + 4)[0]
    for i in range(n_tables):
        tag, _, off, _ = struct.unpack_from(">4sLLL", data, font_offset + 12 + 16 * i)
        if tag == name:
            return off
    return None


def _cmap(data: bytes, font_offset: int) -> dict[int, int]:
    """code point -> glyph id from the font at `font_offset` (Windows Unicode subtables)."""
    off = _table(data, font_offset, b"cmap")
    if off is None:
        raise ValueError("no cmap table")
    n_sub = struct.unpack_from(">H", data, off + 2)[0]
    subs = [struct.unpack_from(">HHL", data, off + 4 + 8 * i) for i in range(n_sub)]
    best = {}
    for plat, enc, sub_off in subs:
        fmt = struct.unpack_from(">H", data, off + sub_off)[0]
        best[(plat, enc, fmt)] = off + sub_off
    out: dict[int, int] = {}
    for key in ((3, 10, 12), (0, 4, 12), (3, 1, 4), (0, 3, 4)):
        if key in best:
            _read(data, best[key], key[2], out)
            break
    return out


def _read(data: bytes, at: int, fmt: int, out: dict[int, int]) -> None:
    if fmt == 12:
        n = struct.unpack_from(">L", data, at + 12)[0]
        for i in range(n):
            start, end, gid = struct.unpack_from(">LLL", data, at + 16 + 12 * i)
            for k, cp in enumerate(range(start, end + 1)):
                out[cp] = gid + k
        return
    seg2 = struct.unpack_from(">H", data, at + 6)[0]
    seg = seg2 // 2
    ends = struct.unpack_from(f">{seg}H", data, at + 14)
    starts = struct.unpack_from(f">{seg}H", data, at + 16 + seg2)
    deltas = struct.unpack_from(f">{seg}h", data, at + 16 + 2 * seg2)
    ro_at = at + 16 + 3 * seg2
    ros = struct.unpack_from(f">{seg}H", data, ro_at)
    for i in range(seg):
        for cp in range(starts[i], ends[i] + 1):
            if cp == 0xFFFF:
                continue
            if ros[i] == 0:
                gid = (cp + deltas[i]) & 0xFFFF
            else:
                g_at = ro_at + 2 * i + ros[i] + 2 * (cp - starts[i])
                gid = struct.unpack_from(">H", data, g_at)[0]
                gid = (gid + deltas[i]) & 0xFFFF if gid else 0
            if gid:
                out[cp] = gid


def _family(data: bytes, font_offset: int) -> str:
    """The face's family name (name ID 1, Windows Unicode), "" if it has none."""
    off = _table(data, font_offset, b"name")
    if off is None:
        return ""
    count, strings = struct.unpack_from(">HH", data, off + 2)
    for i in range(count):
        plat, enc, _, name_id, length, at = struct.unpack_from(">HHHHHH", data, off + 6 + 12 * i)
        if plat == 3 and enc == 1 and name_id == 1:
            return data[off + strings + at: off + strings + at + length].decode("utf-16-be", "replace")
    return ""


# Faces of a collection in the order their glyphs speak: the reports are Chinese, so a
# look-alike the Simplified Chinese face draws as 户 is 户, though the Japanese face
# (first in Noto's collections) draws it as 戸
FACE_ORDER = (" SC", " TC", " HK", " JP", " KR")


def _face_rank(family: str) -> int:
    return next((i for i, tail in enumerate(FACE_ORDER) if family.endswith(tail)), len(FACE_ORDER))


def shared_glyphs(path: Path) -> dict[str, str]:
    """{look-alike: ideograph} for every non-unified code point below U+4E00 that
    shares its glyph with a unified ideograph (the text layer would show it instead);
    where faces of a collection differ, the Simplified Chinese face's (FACE_ORDER)."""
    data = path.read_bytes()
    offsets = [0]
    if data[:4] == b"ttcf":
        n = struct.unpack_from(">L", data, 8)[0]
        offsets = list(struct.unpack_from(f">{n}L", data, 12))
    offsets.sort(key=lambda off: _face_rank(_family(data, off)))
    table: dict[str, str] = {}
    for off in offsets:
        cmap = _cmap(data, off)
        ideograph: dict[int, int] = {}
        for cp, gid in sorted(cmap.items()):
            if _unified(cp):
                ideograph.setdefault(gid, cp)
        for cp, gid in cmap.items():
            if cp < 0x4E00 and not _unified(cp) and gid in ideograph:
                table.setdefault(chr(cp), chr(ideograph[gid]))
    return dict(sorted(table.items()))


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    fonts = [Path(a) for a in args] or [
        Path(found) for family in ("Noto Sans CJK SC", "Noto Serif CJK SC")
        if (found := subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True,
                                    text=True, check=True).stdout)]
    table: dict[str, str] = {}
    for font in fonts:
        for k, v in shared_glyphs(font).items():
            table.setdefault(k, v)
    table = dict(sorted(table.items()))
    lines = [f"# Generated by tools/cjk_radicals.py from {', '.join(f.name for f in fonts)}: code points",
             "# the fonts draw with the glyph of a unified ideograph (the Simplified Chinese face's).",
             "# Chromium's PDF text layer names such a glyph by the lowest code point (⾦ U+2FA6 for",
             "# 金); etl/exports/pdf_text.py and etl/reading/pdf_paragraphs.py map it back.",
             "# look-alike: ideograph",
             "shared_glyphs:"]
    lines += [f"  \"\\u{ord(k):04X}\": {v}  # {k}" for k, v in table.items()]
    text = "\n".join(lines) + "\n"
    if "--write" in argv:
        OUT.write_text(text, encoding="utf-8")
        print(f"{len(table)} look-alikes -> {OUT.relative_to(ROOT)}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
