"""Sentence, clause and line boundaries of a text, found once and looked up by offset.

A sentence ends at 。！？；(and their ASCII forms) or a line break; a clause also ends
at a comma or colon. The enumeration comma 、 joins the parts of one noun phrase
(部门、单位) and does not end a clause.
"""
from __future__ import annotations

import re
from bisect import bisect_right

_SENTENCE_END = re.compile(r"[。！？；!?;\n]|……")
_CLAUSE_END = re.compile(r"[。！？；!?;\n，,：:]|……")
_LINE_END = re.compile(r"\n")


class Boundaries:
    """Sorted end positions of sentences and clauses in one text."""

    __slots__ = ("text", "_sent", "_clause", "_lines")

    def __init__(self, text: str):
        self.text = text
        self._sent = [m.end() for m in _SENTENCE_END.finditer(text)]
        self._clause = [m.end() for m in _CLAUSE_END.finditer(text)]
        self._lines = [m.end() for m in _LINE_END.finditer(text)]

    @staticmethod
    def _around(ends: list[int], pos: int, n: int) -> tuple[int, int]:
        i = bisect_right(ends, pos)
        start = ends[i - 1] if i else 0
        end = ends[i] if i < len(ends) else n
        return start, end

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `pos`, surrounding blanks trimmed.

        >>> b = Boundaries("前言。发放慰问金27万元，吸引55个部门。\\n下一句")
        >>> s, e = b.sentence(10); b.text[s:e]
        '发放慰问金27万元，吸引55个部门。'
        """
        s, e = self._around(self._sent, pos, len(self.text))
        while s < e and self.text[s] in " \t\r\n\u00a0\u3000":
            s += 1
        while e > s and self.text[e - 1] in " \t\r\n\u00a0\u3000":
            e -= 1
        return s, e

    def clause(self, pos: int) -> tuple[int, int]:
        return self._around(self._clause, pos, len(self.text))

    def line(self, pos: int) -> tuple[int, int]:
        return self._around(self._lines, pos, len(self.text))
