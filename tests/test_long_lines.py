"""Extraction stays linear on one very long line (issue 22, item 2).

Not timed: each test counts the work a figure may cause. A page of figures with no
sentence or line break once made every figure look at the whole line (the sentence,
the clause, the text back to the line start), 34 s for 1 MB and 382 s for 3 MB;
bench/long_lines.py prints the time per MB on 1, 3 and 10 MB.
"""
from __future__ import annotations

import pytest

import etl.extraction
from etl.extraction import classify as classify_mod
from etl.extraction import scanner
from etl.extraction.extract import extract_text
from etl.extraction.text_spans import Boundaries

PIECE = "发放慰问金27万元6600余名干部职工参加累计2.4万余人次减少了40%以及"
MIXED = ("2021年3月5日发放慰问金27万元、第三批“六个一”活动《20年祭》电话12345678 "
         "其中3人 约500 15次60多天 一年一次 A320 100块 1/3 ")
LONG = 200_000          # characters on one line
BOUND = 1000            # characters a figure may see around it, whatever the line's length


def _line(piece: str, n: int = LONG) -> str:
    return (piece * (n // len(piece) + 1))[:n]


@pytest.mark.parametrize("piece", [PIECE, PIECE.replace("以及", "，"), MIXED])
def test_sentence_and_clause_are_bounded_on_a_long_line(piece):
    text = _line(piece)
    b = Boundaries(text)
    for pos in (10, LONG // 2, LONG - 10):
        s, e = b.sentence(pos)
        assert s <= pos < e and e - s <= BOUND
        s, e = b.clause(pos)
        assert s <= pos < e and e - s <= BOUND


def test_sentences_of_real_length_are_whole():
    sentence = "发放慰问金27万元，" * 250 + "完成。"      # 2,503 characters, one sentence
    text = "前言。" + sentence + "后记。"
    b = Boundaries(text)
    assert b.text[slice(*b.sentence(1000))] == sentence


def test_claims_on_a_long_line_carry_a_bounded_sentence():
    text = _line(PIECE, 60_000)
    claims = [c for c in extract_text(text, "long.txt") if c.is_claim]
    assert len(claims) > 5000
    assert max(len(c.sentence) for c in claims) <= BOUND
    for c in claims[::500]:
        assert text[c.start:c.end] == c.text
        assert c.sentence_start <= c.start and c.end <= c.sentence_end
        assert text[c.sentence_start:c.sentence_end] == c.sentence


class _CountingStr(str):
    """A str that adds up how many characters slices and searches of it cover."""
    work = 0

    def __getitem__(self, key):
        out = str.__getitem__(self, key)
        _CountingStr.work += len(out) if isinstance(key, slice) else 1
        return out

    def _span(self, args, found: int, forward: bool):
        """A search reads up to what it finds (from its start, or back from its end),
        or its whole range when it finds nothing."""
        lo = max(args[1] if len(args) > 1 and args[1] is not None else 0, 0)
        hi = min(args[2] if len(args) > 2 and args[2] is not None else len(self), len(self))
        if found >= 0:
            lo, hi = (lo, found + len(args[0])) if forward else (found, hi)
        _CountingStr.work += max(0, hi - lo)

    def rfind(self, *args):
        found = str.rfind(self, *args)
        self._span(args, found, forward=False)
        return found

    def find(self, *args):
        found = str.find(self, *args)
        self._span(args, found, forward=True)
        return found


@pytest.mark.skipif(etl.extraction.BUILD.startswith("compiled"),
                    reason="counts slices of a str subclass, which the compiled build does not call")
@pytest.mark.parametrize("piece", [MIXED, "12 34 5万 ", PIECE])
def test_classifying_a_figure_reads_a_bounded_part_of_its_line(piece):
    raw = _line(piece, 100_000)
    mentions = scanner.scan(raw)
    view = _CountingStr(raw)
    b = Boundaries(view)
    _CountingStr.work = 0
    for m in mentions:
        classify_mod.classify(m, view, b)
    assert _CountingStr.work / len(mentions) < 200, "characters read per figure"


def test_at_line_start_and_blanks_back():
    assert scanner.blanks_back("ab \u3000 3", 5) == 2
    assert scanner._at_line_start("x\n  3.", 4)
    assert scanner._at_line_start("  3.", 2)
    assert not scanner._at_line_start("x 3.", 2)
