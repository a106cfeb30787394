"""Paths -> decoded text: `read_document` returns a `Document` or a `ReadError`.

It never raises for a user's file. A batch of reports is whatever people saved: GBK
text from an old office PC, a Big5 copy of a Taiwan-style release, a web page saved
as .html, a .docx, a PDF that is really a scan, a PNG renamed .txt. Each one either
becomes text or a one-line reason a user understands, and the batch goes on.

Offsets: every claim offset indexes `Document.text`, so nothing here rewrites what
it decodes - CRLF stays CRLF, and the only thing dropped from a text file is its
byte-order mark (the BOM is encoding, not content; offsets are counted after it).

No work at import time: trafilatura, python-docx, pypdf and charset-normalizer are
imported by the readers that need them.
"""
from __future__ import annotations

import codecs
import functools
import io
import os
import re
import stat
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
_FORMATS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html",
            ".docx": "docx", ".pdf": "pdf"}
# read by an outside parser (python-docx, pypdf) that leaves reference cycles: a command
# that holds the cycle collector back collects after one of these
CYCLIC_FORMATS: tuple[str, ...] = (".docx", ".pdf")

MB = 1024 * 1024
DOCX_MAX_EXPANDED_MB = 200   # a report of 200 MB of XML is not a report
DOCX_MAX_RATIO = 100         # Word's own zips compress XML ~5-20x, zeros ~1000x
DOCX_RATIO_MIN_MB = 10       # ... but a tiny highly compressible part is harmless
BAD_BYTES_SHARE = 0.01       # "almost valid": at most 1% undecodable bytes (or 3)
PLAUSIBLE = 0.75             # least plausibility score for a guessed CJK decoding
CONTROL_SHARE = 0.10         # more control bytes than this and it is not text

EMPTY = "empty file"
BINARY = "binary file (not text)"
CANNOT_DECODE = "cannot decode: not UTF-8, GB18030, Big5 or UTF-16"


@dataclass(frozen=True, slots=True)
class Document:
    path: str                 # as given
    name: str                 # base name
    format: str               # txt | md | html | docx | pdf
    encoding: str             # utf-8, utf-8-sig, gb18030, big5, utf-16 ... or 'docx'/'pdf'
    raw_text: str             # decoded file, newlines untouched (html: the full source)
    text: str                 # what the store keeps; claim offsets index this
    html_meta: dict[str, str] = field(default_factory=dict)  # html: title, date, sitename ...
    warnings: tuple[str, ...] = ()  # e.g. "3 undecodable bytes replaced"


@dataclass(frozen=True, slots=True)
class ReadError:
    path: str                 # as given
    name: str                 # base name
    reason: str               # one line a user understands: "empty file", "encrypted PDF" ...


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What a format reader hands back; read_document adds path and name."""
    encoding: str
    raw_text: str
    text: str
    html_meta: dict[str, str]
    warnings: tuple[str, ...]


# ----------------------------------------------------------------- paths

def iter_report_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every report under `paths`, sorted and without duplicates.

    Folders are walked recursively, keeping files whose suffix is in SUPPORTED
    (any case) and skipping hidden files and folders (.git, .DS_Store ...). A path
    named explicitly is yielded as it is - even if it is missing, hidden or of an
    unsupported type - so that read_document can tell the user what is wrong with
    it instead of it silently vanishing from the run.
    """
    found: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            found.setdefault(os.path.normpath(os.path.abspath(path)), path)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED:
                    continue
                child = Path(root) / name
                found.setdefault(os.path.normpath(os.path.abspath(child)), child)
    yield from sorted(found.values(), key=str)


# ----------------------------------------------------------------- reading

def read_document(path: str | Path, *, max_mb: float = 20.0) -> Document | ReadError:
    """Read one report; a `ReadError` with a reason instead of any exception."""
    p = Path(path)
    given, name, suffix = str(path), p.name, p.suffix.lower()
    size = _file_problem(p, max_mb)
    if isinstance(size, int) and suffix not in _FORMATS:
        size = f"unsupported file type '{suffix or '(none)'}' (supported: {' '.join(SUPPORTED)})"
    data = size if isinstance(size, str) else _read_bytes(p, max_mb, size)
    if isinstance(data, str):
        return ReadError(given, name, data)
    if not data:
        return ReadError(given, name, EMPTY)
    fmt = _FORMATS[suffix]
    reader = {"txt": _read_plain, "md": _read_plain, "html": _read_html,
              "docx": _read_docx, "pdf": _read_pdf}[fmt]
    try:
        parsed = reader(data)
    except Exception as exc:  # noqa: BLE001 - the one boundary: a user's file never crashes a run
        return ReadError(given, name, f"could not read {suffix}: {type(exc).__name__}: {_short(exc)}")
    if isinstance(parsed, str):
        return ReadError(given, name, parsed)
    return Document(path=given, name=name, format=fmt, encoding=parsed.encoding,
                    raw_text=parsed.raw_text, text=parsed.text,
                    html_meta=parsed.html_meta, warnings=parsed.warnings)


# read_documents reads this many files, or files holding this many characters, in a row
RUN_FILES = 32
RUN_CHARS = 2_000_000


def read_documents(paths: Iterable[Path], *, max_mb: float = 20.0
                   ) -> Iterator[tuple[Path, Document | ReadError]]:
    """(path, read_document(path)) for each path in order, the files read a run at a time.

    Why runs: between two reports' extractions a file's stat, open, read and decode
    cost ~3x what they cost in a row (cold caches after milliseconds of other work;
    bench/RESULTS.md, table31 follow-up): `etl extract`'s reading of the bench corpus
    took 0.33 s of CPU one file at a time, 0.10 s in runs of 16 (jsonl34). A run ends
    at RUN_FILES files or once its texts hold RUN_CHARS characters, so what is held
    at once stays a few MB past one file."""
    it = iter(paths)
    while True:
        run: list[tuple[Path, Document | ReadError]] = []
        chars = 0
        for path in it:
            doc = read_document(path, max_mb=max_mb)
            run.append((path, doc))
            if isinstance(doc, Document):
                chars += len(doc.raw_text)
            if len(run) >= RUN_FILES or chars >= RUN_CHARS:
                break
        if not run:
            return
        run.reverse()           # handed out from the end: none is held once it is given
        while run:
            yield run.pop()


def _file_problem(path: Path, max_mb: float) -> str | int:
    """Why `path` cannot be read at all (missing, a folder, too large ...), or its size."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return "no such file"
    except PermissionError:
        return "permission denied"
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        return f"cannot open: {_os_reason(exc)}"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    if info.st_size > max_mb * MB:
        return f"file too large: {info.st_size / MB:.1f} MB (limit {max_mb:g} MB)"
    return info.st_size


def _read_bytes(path: Path, max_mb: float, size: int) -> bytes | str:
    """The file's bytes, or why not. Never reads more than the limit allows.

    `size` is what stat() said: reading that and one byte more asks for a buffer the
    size of the file, where asking for the limit at once (20 MB) made every read
    allocate and release 20 MB (0.035 s of CPU, most of it system time, on the 1,424
    bench files). Read with os.open/os.read: open() with its buffered reader made 8
    system calls a file (fstat, ioctl, lseek, the read in chunks and one more at the end
    of the file), this makes 3, and on this VM a system call between reports costs
    ~10-30 us. A regular file gives what stat() said in one read; anything else (a short
    read, a file that grew or shrank) is read on to the end or to the limit."""
    limit = int(max_mb * MB)
    try:
        fd = os.open(path, os.O_RDONLY | _O_BINARY)
        try:
            data = os.read(fd, min(size, limit) + 1)
            if len(data) != size:
                data = _read_on(fd, data, limit)
        finally:
            os.close(fd)
    except FileNotFoundError:  # removed since _file_problem looked
        return "no such file"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        return f"cannot read: {_os_reason(exc)}"
    if len(data) > limit:  # it grew after stat()
        return f"file too large: over {max_mb:g} MB"
    return data


# Windows opens in text mode unless told otherwise (os.open, unlike open(..., "rb"))
_O_BINARY = getattr(os, "O_BINARY", 0)


def _read_on(fd: int, data: bytes, limit: int) -> bytes:
    """`data` and what follows it in `fd`, up to the end or limit + 1 bytes in all."""
    parts = [data]
    got = len(data)
    while got <= limit:
        more = os.read(fd, limit + 1 - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _os_reason(exc: Exception) -> str:
    return (getattr(exc, "strerror", None) or _short(exc)).rstrip(".")


def _short(exc: BaseException, limit: int = 120) -> str:
    """First line of an exception message, cut to fit in one line of a table."""
    lines = str(exc).strip().splitlines()
    msg = lines[0] if lines else ""
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


# ----------------------------------------------------------------- text files

def _read_plain(data: bytes) -> _Parsed | str:
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        return decoded
    text, encoding, warnings = decoded
    return _Parsed(encoding, text, text, {}, warnings)


def _read_html(data: bytes) -> _Parsed | str:
    from etl.reading.html_text import extract_html

    decoded = _decode_html(data)
    if isinstance(decoded, str):
        return decoded
    source, encoding, warnings = decoded
    text, meta, more = extract_html(source)
    if not text.strip():
        return "no text found in the HTML page"
    return _Parsed(encoding, source, text, meta, warnings + more)


def _decode_html(data: bytes) -> tuple[str, str, tuple[str, ...]] | str:
    """decode_bytes, but a page's own <meta charset> wins when it decodes cleanly.

    A BOM or clean UTF-8 is never overridden (pages declaring gb2312 while saved as
    UTF-8 are common); a declaration that decodes into mojibake is ignored.
    """
    from etl.reading.html_text import declared_charset

    guessed = decode_bytes(data)
    if not isinstance(guessed, str) and guessed[1] in ("utf-8", "utf-8-sig", "utf-16", "utf-32") \
            and not guessed[2]:
        return guessed
    if isinstance(guessed, str) and not guessed.startswith("cannot decode"):
        return guessed  # empty or binary: no declaration changes that
    declared = declared_charset(data)
    if declared is None or declared == "utf-8":
        return guessed
    try:
        text = data.decode(declared)
    except UnicodeDecodeError:
        return guessed
    score = _plausibility(text)
    if score < PLAUSIBLE or (not isinstance(guessed, str) and score + 0.02 < _plausibility(guessed[0])):
        return guessed  # the declaration reads worse than our own guess: a mislabelled page
    return text, declared, ()


# UTF-32 first: its LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str, str, tuple[str, ...]] | str:
    """(text, encoding, warnings) for a text file's bytes, or the reason it is not text.

    Order: byte-order mark; NUL bytes (UTF-16 without a mark, else binary); control
    bytes (binary); strict UTF-8; then the candidates a Chinese report is really
    in - UTF-8 with a few bad bytes (a cut-off file), GB18030 (superset of GBK and
    GB2312), Big5 - scored by how much of the result is common Chinese characters
    and ASCII, so mojibake loses; last, charset-normalizer for anything else.
    Newlines are never translated; a BOM is stripped from the text.

    >>> decode_bytes("共计1000人次\\r\\n".encode("gb18030"))
    ('共计1000人次\\r\\n', 'gb18030', ())
    >>> decode_bytes(b"  \\n ")
    'empty file'
    """
    if not data or data.isspace():      # data.strip() would copy the file to find out
        return EMPTY
    kind = _sniff(data)
    if kind:
        return f"{BINARY}: looks like {kind}"
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            lenient = _decode_lenient(body, codec)
            if lenient is None:
                return f"cannot decode: has a {name} byte-order mark but is not {name}"
            return _finish(lenient[0], name, lenient[1])
    if b"\x00" in data:
        return _decode_unmarked_utf16(data) or BINARY
    if _control_share(data) > CONTROL_SHARE:
        # CJK in UTF-16 has low bytes < 0x20 ("“" is 1C 20) even with no ASCII in it.
        return _decode_unmarked_utf16(data) or BINARY
    try:
        return _finish(data.decode("utf-8"), "utf-8", 0)
    except UnicodeDecodeError:
        pass
    return _guess(data)


def _finish(text: str, encoding: str, bad: int) -> tuple[str, str, tuple[str, ...]] | str:
    if not text or text.isspace():      # what not text.strip() says, without the copy
        return EMPTY
    warnings = (f"{bad} undecodable bytes replaced",) if bad else ()
    return text, encoding, warnings


def _guess(data: bytes) -> tuple[str, str, tuple[str, ...]] | str:
    """The most plausible CJK decoding, else charset-normalizer's if it is not mojibake."""
    best: tuple[float, int, int, str, str] | None = None
    for rank, family in enumerate((("utf-8",), ("gb18030",), ("big5", "cp950", "big5hkscs"))):
        decoded = _decode_family(data, family)
        if decoded is None:
            continue
        text, codec, bad = decoded
        score = _plausibility(text)
        key = (round(score, 3), -bad, -rank, text, codec)
        if best is None or key[:3] > best[:3]:
            best = key
    if best is not None and best[0] >= PLAUSIBLE:
        score, neg_bad, _, text, codec = best
        return _finish(text, codec, -neg_bad)

    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return CANNOT_DECODE
    text = str(match)
    if _suspect_share(text) > 0.05:
        return CANNOT_DECODE
    result = _finish(text, match.encoding.replace("_", "-"), 0)
    if isinstance(result, str):
        return result
    return result[0], result[1], (f"encoding guessed as {result[1]}",)


def _decode_family(data: bytes, codecs_: tuple[str, ...]) -> tuple[str, str, int] | None:
    """The first codec of a family that decodes strictly, else the widest, leniently."""
    for codec in codecs_:
        try:
            return data.decode(codec), codec, 0
        except UnicodeDecodeError:
            continue
    lenient = _decode_lenient(data, codecs_[-1])
    return None if lenient is None else (lenient[0], codecs_[-1], lenient[1])


def _decode_unmarked_utf16(data: bytes) -> tuple[str, str, tuple[str, ...]] | None:
    """UTF-16 without a BOM: ASCII in it shows up as NUL bytes. Pick the byte order
    whose decoding reads as text; None when neither does (then it is binary)."""
    best: tuple[float, str, str, int] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        lenient = _decode_lenient(data, codec)
        if lenient is None:
            continue
        score = _plausibility(lenient[0])
        if score >= PLAUSIBLE and (best is None or score > best[0]):
            best = (score, lenient[0], codec, lenient[1])
    if best is None:
        return None
    result = _finish(best[1], best[2], best[3])
    return None if isinstance(result, str) else result


def _decode_lenient(data: bytes, codec: str) -> tuple[str, int] | None:
    """(text, bad byte count) with U+FFFD for each bad sequence, or None when more
    than BAD_BYTES_SHARE of the bytes (at least 3: one cut-off character) are bad.

    The count is kept by an error handler rather than by retrying after each
    UnicodeDecodeError: a retry copies the rest of the input, which made a 12 MB
    GBK file take minutes on the way to rejecting UTF-8.
    """
    _BAD.count, _BAD.limit = 0, max(3, int(len(data) * BAD_BYTES_SHARE))
    try:
        text = data.decode(codec, _counting_errors())
    except _TooManyBadBytes:
        return None
    return text, _BAD.count


class _TooManyBadBytes(Exception):
    """Raised by the error handler to stop a decoding that is already hopeless."""


_BAD = threading.local()  # the running count of _decode_lenient in this thread


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _BAD.count += exc.end - exc.start
    if _BAD.count > _BAD.limit:
        raise _TooManyBadBytes
    return "\ufffd", exc.end


@functools.cache
def _counting_errors() -> str:
    """Register the counting error handler on first use (not at import)."""
    codecs.register_error("etl.reading.ingest.count_and_replace", _count_and_replace)
    return "etl.reading.ingest.count_and_replace"


# Signatures of files people rename by mistake; a match is never text.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive (.docx, .xlsx ...)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls) or a password-protected one"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "a program"),
)


def _sniff(data: bytes) -> str | None:
    """What a non-text file looks like from its first bytes, or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\f\r\x1b") + b"\x7f"


def _control_share(data: bytes) -> float:
    # most files hold none: a memchr per control byte tells that without translate's
    # copy of the whole file (bench corpus: 0.009 s against 0.020 s; a third of reading's
    # instructions were that copy: bench/RESULTS.md, extract32)
    for b in _CONTROL_BYTES:
        if b in data:
            return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)
    return 0.0


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """GB2312 level 1 (3,755 most used simplified) and Big5 常用字 (5,401 most used
    traditional). Mojibake - UTF-8 read as GBK, GBK read as Big5 - lands mostly in
    rare characters, so the share of these tells a right decoding from a wrong one."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", "ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            chars.update(bytes((lead, trail)).decode("big5", "ignore"))
    return frozenset(chars)


_ASCII_TEXT = frozenset(map(chr, range(0x20, 0x7F))) | frozenset("\t\n\r\f")


def _sample(text: str, size: int = 100_000) -> str:
    if len(text) <= size:
        return text
    mid = len(text) // 2
    return text[: size // 2] + text[mid: mid + size // 4] + text[-(size // 4):]


def _plausibility(text: str) -> float:
    """0..1: how much reads like a Chinese report. ASCII, common hanzi and CJK
    punctuation count 1; rarer hanzi, kana, hangul 0.5; Latin-1 letters, controls,
    private-use and U+FFFD 0 (the stuff of mojibake)."""
    sample = _sample(text)
    if not sample:
        return 0.0
    common = _common_hanzi()
    score = 0.0
    for ch in sample:
        if ch in _ASCII_TEXT or ch in common:
            score += 1
            continue
        o = ord(ch)
        if (0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF65 or 0x2010 <= o <= 0x205E
                or 0x2160 <= o <= 0x217F or 0x2460 <= o <= 0x24FF or o in (0xA0, 0xB7, 0xD7, 0xB0)):
            score += 1
        elif (0x3400 <= o <= 0x9FFF or o >= 0x20000 or 0x3040 <= o <= 0x30FF
              or 0xAC00 <= o <= 0xD7A3 or 0x2500 <= o <= 0x27BF):
            score += 0.5
    return score / len(sample)


def _suspect_share(text: str) -> float:
    """Share of characters typical of mojibake: Latin-1/Latin Extended (Chinese bytes
    read as cp1252), controls, private use, U+FFFD. Low for any real-language text."""
    sample = _sample(text)
    suspect = sum(1 for ch in sample
                  if 0x80 <= ord(ch) <= 0x2FF or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd"
                  or (ord(ch) < 0x20 and ch not in "\t\n\r\f"))
    return suspect / max(1, len(sample))


# ----------------------------------------------------------------- docx

_DOCX_MAIN = re.compile(r"word/document\d*\.xml")


def _read_docx(data: bytes) -> _Parsed | str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        kind = _sniff(data)
        if kind and kind.startswith("a zip"):
            return "not a valid .docx (damaged zip: no central directory; truncated?)"
        hint = f"; looks like {kind}" if kind else ""
        return f"not a valid .docx (not a zip archive{hint})"
    try:
        damage = _docx_zip_problem(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        damage = f"not a valid .docx (damaged zip: {_short(exc)})"
    except ValueError:  # "negative seek value -11": offsets pointing outside the file
        damage = "not a valid .docx (damaged zip: bad offsets)"
    if damage:
        return damage

    import docx

    lines = list(_docx_lines(docx.Document(io.BytesIO(data))))
    text = "\n".join(lines)
    if not text.strip():
        return "empty .docx (no text)"
    return _Parsed("docx", text, text, {}, ())


def _docx_zip_problem(data: bytes) -> str | None:
    """Why a zip is not a .docx we will open, or None. Runs before python-docx."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        if not any(_DOCX_MAIN.fullmatch(info.filename) for info in infos):
            return "not a valid .docx (no word/document.xml)"
        # Checked on the sizes the zip declares, before anything is inflated: zipfile
        # never inflates a member past its declared size, so the check is binding.
        total = sum(info.file_size for info in infos)
        bomb = any(info.file_size > DOCX_RATIO_MIN_MB * MB
                   and info.file_size > DOCX_MAX_RATIO * max(1, info.compress_size)
                   for info in infos)
        if total > DOCX_MAX_EXPANDED_MB * MB or bomb:
            return f"refused: .docx expands to {total / MB:.0f} MB (zip bomb?)"
        # A damaged member would otherwise surface from inside python-docx as a
        # "negative seek value" or a CRC error; inflate them all now (bounded above).
        broken = zf.testzip()
    return f"not a valid .docx (damaged zip: {broken} is corrupt)" if broken else None


def _docx_lines(container) -> Iterator[str]:
    """Body paragraphs in reading order, one line per paragraph; a table one line per
    row, its cells separated by tabs, so that a row can be read as a row
    (etl/extraction/tables.py: a figure takes its unit and subject from its header).

    Cells are walked through the XML rows (tr/tc) rather than `row.cells`, which
    repeats a merged cell once per grid column: a cell merged across columns is written
    once, followed by an empty cell for each further column it spans, and the
    continuation of a cell merged down is empty, so the columns stay aligned. A cell's
    paragraphs (and a nested table's rows) are joined with spaces; a tab inside a cell
    becomes a space. Rows with no text are skipped.
    """
    from docx.table import Table, _Cell

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for tr in block._tbl.tr_lst:
                cells: list[str] = []
                for tc in tr.tc_lst:
                    text = " ".join(line.strip() for line in _docx_lines(_Cell(tc, block))
                                    if line.strip())
                    cells.append(text.replace("\t", " "))
                    cells.extend([""] * (max(1, tc.grid_span) - 1))
                if any(cells):
                    yield "\t".join(cells)
        else:
            yield block.text


# ----------------------------------------------------------------- pdf

def _read_pdf(data: bytes) -> _Parsed | str:
    if b"%PDF-" not in data[:1024]:
        kind = _sniff(data)
        return f"not a valid PDF (no %PDF header{'; looks like ' + kind if kind else ''})"
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return "encrypted PDF (needs a password)"
        pages = list(reader.pages)
    except DependencyError:
        return "encrypted PDF (opening it needs the 'cryptography' package)"
    except PyPdfError as exc:
        return f"not a valid PDF ({_short(exc)})"
    if not pages:
        return "not a valid PDF (no pages)"
    from .pdf_paragraphs import page_lines, pdf_text
    lines: list[list] = []
    warnings: list[str] = []
    for number, page in enumerate(pages, 1):
        try:
            lines.append(page_lines(page))
        except Exception as exc:  # noqa: BLE001 - one broken page must not lose the others
            warnings.append(f"page {number}: text not extracted ({type(exc).__name__})")
            lines.append([])
    if not any(ln.text.strip() for page in lines for ln in page):
        return "PDF has no text layer (scanned image?)"
    text = pdf_text(lines)      # printed lines joined into paragraphs, radicals as ideographs
    return _Parsed("pdf", text, text, {}, tuple(warnings))
