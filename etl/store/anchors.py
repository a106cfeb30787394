"""Corrections (and report edits) follow their figure when a report's text changes.

A claim id is the hash of the report's text plus the figure's offsets, so any edit of a
report, even two characters added at the top, gives every figure in it a new id, and
corrections keyed on the old ids would match nothing. Each correction therefore keeps
its anchor: the figure's text, ANCHOR_CONTEXT characters either side of it, and the
report's file. After a run, `follow_edits` re-attaches every correction whose claim is
gone: in the same report if it still exists, else in the report its file now holds,
to the mention with the same text whose surroundings agree best (at least
MIN_CONTEXT characters of the anchor's context, next to the figure), the one nearest
the old offset when several agree equally. A correction that finds no such figure is
kept as it is and listed (`orphaned_corrections`: the 更正 page and the run summary
show it), never dropped. Report metadata edits keyed on a report id that is gone follow
the report's file the same way; a deletion does not (a changed file is a new report).
"""
from __future__ import annotations

import os
from collections import namedtuple
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .connection import Connection
from .schema import ANCHOR_CONTEXT, utcnow

if TYPE_CHECKING:     # duckdb imports pandas when a frame is asked for: not at a run's start
    import pandas as pd

# Characters of the anchor's context (both sides together, counted outward from the
# figure) that must agree: 8 is about a short phrase (发放慰问金 + 。), enough to tell two
# mentions of 11万元 apart, and survives an edit a few characters away from the figure.
MIN_CONTEXT = 8


@dataclass(frozen=True, slots=True)
class Anchor:
    text: str          # the figure as written
    before: str        # up to ANCHOR_CONTEXT characters before it
    after: str         # up to ANCHOR_CONTEXT characters after it
    start: int         # where it was (to prefer the nearest of equally good matches)


@dataclass(slots=True)
class Followed:
    """What one pass of `follow_edits` did."""
    corrections_moved: int = 0         # corrections re-attached to their figure's new id
    report_edits_moved: int = 0        # report edits moved to the report their file now holds
    # the orphaned corrections, one named tuple each, with orphaned_corrections' columns
    orphans: list[Any] = field(default_factory=list)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def context_agreement(text: str, start: int, end: int, anchor: Anchor) -> int:
    """How many characters next to text[start:end] agree with the anchor's context."""
    before = text[max(0, start - ANCHOR_CONTEXT):start]
    after = text[end:end + ANCHOR_CONTEXT]
    return _common_suffix(before, anchor.before) + _common_prefix(after, anchor.after)


def find_figure(text: str, mentions: list[tuple[str, int, int]], anchor: Anchor) -> str | None:
    """The claim id among `mentions` ((claim_id, start, end) of mentions whose text is
    the anchor's) that the anchor points at, or None when none agrees enough."""
    need = min(MIN_CONTEXT, len(anchor.before) + len(anchor.after))
    best: tuple[int, int] | None = None
    best_id = None
    for cid, s, e in mentions:
        if text[s:e] != anchor.text:
            continue
        score = context_agreement(text, s, e, anchor)
        if score < need:
            continue
        key = (-score, abs(s - anchor.start))
        if best is None or key < best:
            best, best_id = key, cid
    return best_id


class Anchors(Connection):
    def follow_edits(self) -> Followed:
        """Re-attach the corrections and report edits whose claim or report is gone (see
        the module docstring); one transaction. Returns what moved and what is orphaned."""
        out = Followed()
        with self.writing() as con:
            any_edits = con.execute("SELECT EXISTS (SELECT 1 FROM corrections) "
                                    "OR EXISTS (SELECT 1 FROM report_edits)").fetchone()
            if not (any_edits and any_edits[0]):
                return out        # nothing to follow (most stores): spare the queries
            out.corrections_moved = self._follow_corrections(con)
            out.report_edits_moved = self._follow_report_edits(con)
            cur = con.execute(ORPHANS_SQL)
            row = namedtuple("Orphan", [d[0] for d in cur.description], rename=True)  # type: ignore[misc]
            out.orphans = [row(*r) for r in cur.fetchall()]
        return out

    def orphaned_corrections(self) -> pd.DataFrame:
        """Corrections whose figure is in no report of the store (one row per correction):
        id, claim_id, field, old_value, new_value, who, at, why, anchor_text,
        anchor_before, anchor_after, path, doc, report (the report's title if it is
        still stored)."""
        with self.reading() as con:
            return con.execute(ORPHANS_SQL).df()

    def _follow_corrections(self, con) -> int:
        lost = con.execute(
            "SELECT claim_id, arg_max(report_id, id), arg_max(path, id), arg_max(anchor_text, id), "
            "arg_max(anchor_before, id), arg_max(anchor_after, id), arg_max(start, id) "
            "FROM corrections k WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.claim_id = k.claim_id) "
            "AND anchor_text IS NOT NULL GROUP BY claim_id ORDER BY claim_id").fetchall()
        moved, taken = 0, set()
        texts: dict[str, str] = {}
        for old_id, old_rid, path, text, before, after, start in lost:
            rid = self._target_report(con, old_rid, path)
            if rid is None:
                continue
            if rid not in texts:
                texts[rid] = con.execute("SELECT text FROM reports WHERE report_id = ?", [rid]).fetchone()[0]
            cands = [tuple(r) for r in con.execute(
                "SELECT claim_id, start, \"end\" FROM claims WHERE report_id = ? AND text = ? "
                "ORDER BY start", [rid, text]).fetchall() if r[0] not in taken]
            anchor = Anchor(text, before or "", after or "", int(start or 0))
            new_id = find_figure(texts[rid], cands, anchor)
            if new_id is None:
                continue
            taken.add(new_id)
            s, e = next((s, e) for c, s, e in cands if c == new_id)
            body = texts[rid]
            con.execute(
                "UPDATE corrections SET claim_id = ?, report_id = ?, start = ?, \"end\" = ?, "
                "path = (SELECT path FROM reports WHERE report_id = ?), anchor_before = ?, "
                "anchor_after = ?, moved_from = ?, moved_at = ? WHERE claim_id = ?",
                [new_id, rid, s, e, rid, body[max(0, s - ANCHOR_CONTEXT):s],
                 body[e:e + ANCHOR_CONTEXT], old_id, utcnow(), old_id])
            moved += 1
        return moved

    @staticmethod
    def _target_report(con, report_id: str | None, path: str | None) -> str | None:
        """The report a lost figure should be looked for in: its own, if still stored,
        else the one its file holds now."""
        if report_id is not None and con.execute(
                "SELECT 1 FROM reports WHERE report_id = ?", [report_id]).fetchone():
            return report_id
        if not path:
            return None
        row = con.execute("SELECT report_id FROM report_files WHERE path IN (?, ?) "
                          "ORDER BY seen_at DESC LIMIT 1", [path, os.path.normpath(path)]).fetchone()
        return row[0] if row else None

    def _follow_report_edits(self, con) -> int:
        lost = con.execute(
            "SELECT report_id, arg_max(path, id) FROM report_edits e WHERE field <> 'deleted' "
            "AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.report_id = e.report_id) "
            "GROUP BY report_id ORDER BY report_id").fetchall()
        moved = 0
        for old_rid, path in lost:
            rid = self._target_report(con, None, path)
            if rid is None:
                continue
            n = con.execute("SELECT count(*) FROM report_edits WHERE report_id = ? AND field <> 'deleted'",
                            [old_rid]).fetchone()[0]
            con.execute("UPDATE report_edits SET report_id = ? WHERE report_id = ? AND field <> 'deleted'",
                        [rid, old_rid])
            moved += int(n)
        return moved


ORPHANS_SQL = (
    "SELECT k.id, k.claim_id, k.field, k.old_value, k.new_value, k.who, k.\"at\", k.why, "
    "k.anchor_text, k.anchor_before, k.anchor_after, k.path, "
    "coalesce(r.doc, regexp_extract(k.path, '[^/\\\\]+$')) AS doc, r.title AS report "
    "FROM corrections k LEFT JOIN reports_edited r ON r.report_id = k.report_id "
    "WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.claim_id = k.claim_id) ORDER BY k.id")
