"""Claims as JSON Lines: the bytes `etl extract` writes, one object per mention.

The format is `json.dumps(claim.to_dict(), ensure_ascii=False)` per line (", " and ": "
between items), and stays so byte for byte (tests/test_claim_lines.py). Going through a
dict and json.dumps cost about half as much as extraction itself, so a line is written as
bytes, piece by piece, into one buffer a report: strings by the json module's own C
string encoder (the function json.dumps uses, so every escape is the same), offsets by
their digits, Decimals by their own digits when they are whole numbers (what json.dumps
writes for the int number_out gives), the keys and separators as LINE has them.

Why bytes, and not one str per line encoded at the end: a line holding one Chinese
character is a two-byte-per-character string, and encoding those to UTF-8 runs
character by character (0.8 µs for a 530-character line, a fifth of the line's cost);
encoded field by field, only the Chinese fields go through that loop and the keys are
copied as they are. Measured on 73,209 mentions (356 bench reports, in one run):
str lines joined and encoded 0.20-0.22 s, this 0.12-0.14 s.

Two shapes: a non-claim with nothing but its kind, value and reason (two thirds of all
mentions) has the null fields written in (BARE); anything else writes every field (LINE).
What repeats is made once and kept across reports (emptied past 20,000 entries): the whole
tail of a bare non-claim (from its text on: 2021年, year, 2021, null, year_suffix; kept by
its text), and of a claim its text, its value, its subject, its is_claim/kind pair, its unit
triple and its ten fields from per to role_reason (those three taken from the claim before
when its fields are the same objects); a sentence is encoded once for the claims in it.
A line is then the report's head (its name), start, end and those pieces, each written
into the report's buffer (mypyc's librt BytesWriter when compiled): a `%` fill of a
template per line cost about 150 instructions an argument (bench/RESULTS.md, extract23x
and extract31). Equal Decimals (1E+2 and 100) write the same number;
`1 == True == Decimal(1)`, so only Decimals and None go into the keys. A claim whose
fields are not of the types Claim declares goes through json.dumps.
(Measured too, on the same mentions: orjson, its output widened to this spacing by
bytes.replace, 0.67 s; json's C encoder on a dict per claim, 0.43 s.)

The writer's loop and its pieces live in etl/extraction/claim_jsonl.py, among the modules
mypyc compiles (the Claim record is one of them): compiled, a line's field reads, null
tests and key tuples run without the interpreter loop (bench/RESULTS.md, extract28);
from source it is the same code.
"""
from __future__ import annotations

from typing import Any, BinaryIO, Iterable

from .extraction.claim_jsonl import BARE, LINE, claim_line, claims_jsonl, new_buffer, write_claims

__all__ = ["BARE", "KEYS", "LINE", "JsonlFile", "claim_line", "claims_jsonl"]

# the keys of Claim.to_dict, in order (tests/test_claim_lines.py checks them and the
# templates in etl/extraction/claim_jsonl.py)
KEYS: tuple[str, ...] = ("doc", "start", "end", "text", "is_claim", "kind", "value", "value_max",
                         "unit", "unit_class", "approx", "subject", "sentence", "sentence_start",
                         "sentence_end", "per", "aggregate", "change", "share_of", "reason",
                         "metric", "metric_evidence", "role", "counted", "role_reason", "of")


class JsonlFile:
    """Reports' JSON Lines into a binary stream, written once `piece` bytes have gathered.

    A report's lines are ~110 kB on bench reports; written a megabyte at a time (150
    writes instead of 1,424) the kernel's part of writing `etl extract`'s 156 MB file is
    a fifth less (0.076 -> 0.059 s of system time, median of 16; bench/RESULTS.md,
    extract32). `piece=1` writes every report's lines as they come (a pipe's reader
    sees each report as it is done). `flush()` writes what has gathered.
    """

    def __init__(self, out: BinaryIO, piece: int) -> None:
        self._out = out
        self._piece = piece
        self._buf = new_buffer()

    def add(self, claims: Iterable[Any]) -> None:
        write_claims(claims, self._buf)
        if len(self._buf) >= self._piece:
            self.flush()

    def add_lines(self, lines: bytes) -> None:
        """Lines already encoded (claims_jsonl's bytes, from a worker process)."""
        self._buf.write(lines)
        if len(self._buf) >= self._piece:
            self.flush()

    def flush(self) -> None:
        if len(self._buf):
            self._out.write(self._buf.getvalue())
            self._buf.truncate(0)
