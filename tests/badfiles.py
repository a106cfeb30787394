"""Files people really drop into a report folder, made on demand for the ingest tests.

`make_bad_files(dir)` writes them and says what `read_document` must make of each:
"" for a file that must be read, else a substring of the ReadError reason. Nothing
is committed as a binary fixture; every file is built from a real corpus sentence or
from bytes written here, so the cases are readable in one place.
"""
from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
SIMPLIFIED = CORPUS / "000_35e2ab27f9b7f4d4.txt"
TRADITIONAL = CORPUS / "004_4b241ff30e2278d6.txt"
MB = 1024 * 1024


def corpus_text(path: Path = SIMPLIFIED, chars: int = 2000) -> str:
    return path.read_text(encoding="utf-8")[:chars]


def big5_text(chars: int = 2000) -> str:
    """The traditional-script report cut to what Big5 can encode (it has a ©)."""
    text = corpus_text(TRADITIONAL, chars)
    return "".join(ch for ch in text if ch.encode("big5", "ignore"))


def text_pdf(text: str) -> bytes:
    """A minimal one-page PDF whose text layer says `text` (ASCII, Helvetica).

    Hand-written because pypdf cannot lay out text; xref offsets are computed.
    """
    stream = b"BT /F1 18 Tf 20 100 Td (" + text.encode("ascii") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def blank_pdf() -> bytes:
    """A valid PDF with one page and no text: what a scan without OCR reads as."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def write_bomb_docx(path: Path, zeros_mb: int) -> None:
    """A zip with a real-looking word/document.xml and `zeros_mb` MB of deflated
    zeros beside it (~1000:1), streamed so the test never holds it in memory."""
    chunk = bytes(MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
        with zf.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(zeros_mb):
                member.write(chunk)


def write_huge_line(path: Path, size_mb: int) -> None:
    """One line of Chinese text with numbers, `size_mb` MB, written 1 MB at a time."""
    unit = "今年共发放慰问金27万元，惠及群众1200人次；".encode("utf-8")
    block = unit * (MB // len(unit))
    with path.open("wb") as fh:
        for _ in range(size_mb):
            fh.write(block)


def make_bad_files(dirpath: str | os.PathLike[str]) -> dict[str, str]:
    """Write the bad-file zoo into `dirpath`; name -> expected reason substring
    ("" = must be read as a Document)."""
    d = Path(dirpath)
    d.mkdir(parents=True, exist_ok=True)
    zh = corpus_text()
    rng = random.Random(20240601)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, reason: str) -> None:
        (d / name).write_bytes(data)
        expected[name] = reason

    put("empty.txt", b"", "empty file")
    put("whitespace.txt", b" \r\n\t\n   \n", "empty file")
    noise = bytearray(rng.randbytes(4096))
    noise[::7] = bytes(len(noise[::7]))  # NULs every 7th byte
    put("binary.txt", bytes(noise), "binary file (not text)")
    put("png_as.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(200),
        "binary file (not text)")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("content.txt", zh)
    put("wrong_ext.html", zipped.getvalue(), "binary file (not text)")
    put("fake.docx", zh.encode("utf-8"), "not a valid .docx (not a zip archive)")
    write_bomb_docx(d / "bomb.docx", zeros_mb=300)
    expected["bomb.docx"] = "zip bomb"
    put("blank.pdf", blank_pdf(), "PDF has no text layer")
    put("corrupt.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog" + rng.randbytes(300),
        "not a valid PDF")
    put("text.pdf", text_pdf("Total 270000 yuan"), "")
    last_hanzi = max(i for i, ch in enumerate(zh) if "\u4e00" <= ch <= "\u9fff")
    cut = len(zh[:last_hanzi].encode("utf-8")) + 2  # 2 of the character's 3 bytes
    put("truncated_utf8.txt", zh.encode("utf-8")[:cut], "")
    put("gb18030.txt", zh.encode("gb18030"), "")
    put("big5.txt", big5_text().encode("big5"), "")
    put("utf16.txt", zh.encode("utf-16"), "")
    put("name with spaces 和中文.txt", zh.encode("utf-8"), "")
    write_huge_line(d / "huge_line.txt", size_mb=50)
    expected["huge_line.txt"] = "file too large"
    expected["missing.txt"] = "no such file"
    return expected
