"""Saving reports and their claims: all or nothing per report, idempotent by content.

``report_id`` is the hash of the text and ``claim_id`` is ``claim_id(report_id, start,
end)`` (computed by DuckDB as the rows go in: `schema.CLAIM_ID_SQL`, the same strings),
so saving the same thing twice writes nothing new, and the same text under
another file name is one report with two `report_files` rows. A report whose text
changed replaces its own claims only; corrections key on claim_id and survive.
"""
from __future__ import annotations

import json
import time
from array import array
from datetime import datetime
from itertools import accumulate

import duckdb
import pyarrow as pa

from ..claim import Claim
from ..report import Report
from ..run_batches import ROW_GROUP_ROWS
from .connection import Connection, insert_arrow, norm_path, registered
from .prepared import SIG_SCHEME, PreparedClaims, claims_table, legacy_sig, prepare_claims
from .runs import run_file_row, run_files_rows
from .schema import CLAIM_COLUMNS, CLAIM_ID_SQL, REPORT_EXTRA_COLUMNS, REPORT_FIELDS, ident, reports_schema, utcnow

_REPORTS_SCHEMA = reports_schema()
_FILES_SCHEMA = pa.schema([("path", pa.string()), ("doc", pa.string()), ("report_id", pa.string()),
                           ("seen_at", pa.timestamp("us"))])
# claims per transaction when bulk-inserting new reports (each commit syncs the log). A
# run's batch of new reports is one transaction: it closes at a row group of mentions
# plus its last file's (etl/run_batches.py), and a transaction that adds a whole row group
# to the claims table is written straight to the file, not to the log
FRESH_CLAIMS = 2 * ROW_GROUP_ROWS
SAVE_STATUSES = ("new", "updated", "unchanged")


# what an Arrow string array's 32-bit offsets can address
_STRING_BYTES = 2**31 - 1


def utf8_strings(texts: list[str], utf8: list[bytes | None] | None = None) -> pa.Array | list[str]:
    """`texts` as an Arrow string array, each encoded once into one buffer. pyarrow's
    own conversion keeps a UTF-8 copy inside every str as well (CPython caches it), in
    fresh pages: a run's reports' text took 0.07 s of the writer's GIL that way, 0.03-0.04
    s so (bench/RESULTS.md, writer33). `utf8`: each text's UTF-8 where it was made
    already (the report id's hash: `PreparedClaims.text_utf8`), None where not. The texts
    themselves when they are too long for one string array (pyarrow then splits them)."""
    data = ([t.encode() for t in texts] if utf8 is None else
            [t.encode() if b is None else b for t, b in zip(texts, utf8, strict=True)])
    if sum(map(len, data)) > _STRING_BYTES:
        return texts
    offsets = array("i", [0])      # int32, as pa.string()'s offsets
    offsets.extend(accumulate(map(len, data)))
    return pa.Array.from_buffers(pa.string(), len(texts), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def _legacy(sig: str | None) -> bool:
    """A content signature of the scheme before SIG_SCHEME (40 hex digits, no prefix)."""
    return sig is not None and not sig.startswith(SIG_SCHEME) and len(sig) == 40


class ReportWrites(Connection):
    def save_report(self, report: Report, claims: list[Claim], *, path: str,
                    con: duckdb.DuckDBPyConnection | None = None,
                    rules_version: str | None = None) -> str:
        """Store one report and its claims, all or nothing, in one transaction.

        Returns "new" (the report text was not stored before), "updated" (this path now
        holds different text, or the same text's metadata/claims changed) or
        "unchanged" (report and claims identical to what is stored; a new file name
        for known text only adds a report_files row). Raises ValueError, before
        touching the store, if a claim breaks the offset invariant or an enum.
        """
        prep = prepare_claims(report, claims)
        with self._tx(con) as c:
            return self._save(c, report, prep, norm_path(path), rules_version)

    def _save(self, con, report: Report, prep: PreparedClaims, path: str,
              rules_version: str | None) -> str:
        rid, now = report.report_id, utcnow()
        table, sig = prep.table, prep.sig
        prev = con.execute("SELECT report_id FROM report_files WHERE path = ?", [path]).fetchone()
        prev_rid = prev[0] if prev else None
        row = con.execute("SELECT content_sig FROM reports WHERE report_id = ?", [rid]).fetchone()

        if row is not None and row[0] != sig and _legacy(row[0]) and legacy_sig(report, table) == row[0]:
            # stored by a build with the older signature scheme, and the same: keep the
            # rows, bring the signature up to date (once per report)
            con.execute("UPDATE reports SET content_sig = ? WHERE report_id = ?", [sig, rid])
            row = (sig,)
        if row is not None and row[0] == sig:
            status = "unchanged"
            if rules_version is not None:
                con.execute("UPDATE reports SET rules_version = ? WHERE report_id = ? "
                            "AND rules_version IS DISTINCT FROM ?", [rules_version, rid, rules_version])
        else:
            status = "new" if row is None and prev_rid is None else "updated"
            self._upsert_report(con, report, table.num_rows, now, rules_version, sig, stored=row is not None)
            self._replace_claims(con, rid, table)

        # an INSERT or an UPDATE, as the row is known to be there or not: DuckDB's
        # ON CONFLICT DO UPDATE costs several times either
        if prev is None:
            con.execute("INSERT INTO report_files VALUES (?, ?, ?, ?)", [path, report.doc, rid, now])
        else:
            con.execute("UPDATE report_files SET doc = ?, report_id = ?, seen_at = ? WHERE path = ?",
                        [report.doc, rid, now, path])
        if prev_rid is not None and prev_rid != rid:
            self._release_old_report(con, prev_rid, path)
            if status == "unchanged":
                status = "updated"   # the file's content changed (to text we already had)
        return status

    def _upsert_report(self, con, report: Report, n_claims: int, now: datetime,
                       rules_version: str | None, sig: str, *, stored: bool) -> None:
        """The report's row: inserted, or (`stored`: its text is there already, as
        report_id is the text's hash) every column but the text and the id updated,
        which spares DuckDB rewriting the text (an upsert with the text was 11 ms a
        report on the bench corpus, most of an updated report's save)."""
        d = report.to_dict()
        d["meta_source"] = json.dumps(d.get("meta_source") or {}, ensure_ascii=False)
        d["tags"] = list(d.get("tags") or [])
        d.update(n_chars=len(report.text), n_claims=n_claims, ingested_at=now,
                 rules_version=rules_version, content_sig=sig)
        cols = list(REPORT_FIELDS) + list(REPORT_EXTRA_COLUMNS)
        if not stored:
            con.execute(f"INSERT INTO reports ({', '.join(ident(c) for c in cols)}) "
                        f"VALUES ({', '.join('?' * len(cols))})", [d[c] for c in cols])
            return
        sets = [c for c in cols if c not in ("report_id", "text", "n_chars")]
        con.execute(f"UPDATE reports SET {', '.join(ident(c) + ' = ?' for c in sets)} WHERE report_id = ?",
                    [d[c] for c in sets] + [report.report_id])

    def _replace_claims(self, con, rid: str, table: pa.Table) -> None:
        """Make this report's claim rows equal `table`: its old rows deleted, the table
        inserted, ids made by DuckDB as the rows go in. With no index on claims (schema
        migration 4) that is two scans of report_id; the UPDATE of only the changed rows
        it replaced (kept while an index made delete + insert dear) joined every column
        and took 3 times as long (bench/RESULTS.md)."""
        con.execute("DELETE FROM claims WHERE report_id = ?", [rid])
        insert_arrow(con, "claims", list(CLAIM_COLUMNS), table, computed={"claim_id": CLAIM_ID_SQL})

    def _release_old_report(self, con, old_rid: str, path: str) -> None:
        """`path` no longer holds old_rid. Drop old_rid's rows if no file points at it;
        otherwise point its doc/path at a file that still holds it. Corrections are kept."""
        other = con.execute("SELECT path, doc FROM report_files WHERE report_id = ? AND path <> ? "
                            "ORDER BY seen_at DESC, path LIMIT 1", [old_rid, path]).fetchone()
        if other is None:
            con.execute("DELETE FROM claims WHERE report_id = ?", [old_rid])
            con.execute("DELETE FROM reports WHERE report_id = ?", [old_rid])
        else:
            con.execute("UPDATE reports SET path = ?, doc = ? WHERE report_id = ?",
                        [other[0], other[1], old_rid])
            con.execute("UPDATE claims SET doc = ? WHERE report_id = ? AND doc IS DISTINCT FROM ?",
                        [other[1], old_rid, other[1]])

    def save_reports(self, batch: list[tuple[Report, list[Claim] | PreparedClaims, str]], *,
                     rules_version: str | None = None, run_id: str | None = None,
                     max_hold: float = 5.0,
                     rewrite: list[tuple[str, pa.Table | PreparedClaims]] | None = None) -> list[str]:
        """Save many reports: one connection, one transaction per report. Every report
        is validated first (ValueError names the bad ones; nothing is saved). With
        `run_id`, each file's run_files row ("read" or "unchanged") is written in the
        same transaction as its report. Between reports the connection is released
        when a reader is waiting (or after `max_hold` seconds), so the dashboard is not
        starved by a long batch. Claims may come as PreparedClaims (see there).

        `rewrite`: stored reports' claims (report_id, the claims' table as stored, or
        their PreparedClaims) to
        write again: replaced in the first transaction of the batch's new reports,
        before theirs (left as they are when the batch has no new report). A run uses
        it to move its first batch's claims into the row group its second batch
        completes (etl/run_batches.py)."""
        prepared, bad = [], []
        for report, claims, path in batch:
            try:
                prep = claims if isinstance(claims, PreparedClaims) else prepare_claims(report, claims)
                prepared.append((report, prep, path))
            except ValueError as e:
                bad.append(str(e).splitlines()[0] + " " + "; ".join(str(e).splitlines()[1:3]))
        if bad:
            raise ValueError(f"{len(bad)} report(s) have bad claims, nothing saved:\n  " + "\n  ".join(bad))
        out: list[str | None] = [None] * len(prepared)
        fresh = self._fresh(prepared)
        # Reports whose text and file this store has never seen (the bulk of a first
        # run) go in with set-based inserts, up to FRESH_CLAIMS claims per transaction, so
        # each report is still all or nothing and a waiting reader gets in between.
        j = 0
        while j < len(fresh):
            chunk, n_claims = [], 0
            while j < len(fresh) and (not chunk or n_claims + prepared[fresh[j]][1].n_mentions <= FRESH_CLAIMS):
                chunk.append(fresh[j])
                n_claims += prepared[fresh[j]][1].n_mentions
                j += 1
            with self._session() as con, self._tx(con) as c:
                self._insert_fresh(c, [prepared[k] for k in chunk], rules_version, run_id, rewrite)
            rewrite = None
            for k in chunk:
                out[k] = "new"
            if j < len(fresh) and self.readers_waiting():
                self._let_readers_in()
        rest = [k for k in range(len(prepared)) if out[k] is None]
        same = self._unchanged(prepared, rest)
        if same:
            # reports stored as they are (a re-run): their file rows touched in one
            # transaction, not one each (~6 ms a report, 8.5 s on the bench corpus)
            with self._session() as con, self._tx(con) as c:
                self._touch_unchanged(c, [prepared[k] for k in same], rules_version, run_id)
            for k in same:
                out[k] = "unchanged"
            rest = [k for k in rest if out[k] is None]
        i = 0
        while i < len(rest):
            with self._session() as con:
                opened = time.monotonic()
                while i < len(rest):
                    report, prep, path = prepared[rest[i]]
                    with self._tx(con) as c:
                        status = self._save(c, report, prep, norm_path(path), rules_version)
                        if run_id is not None:
                            run_files_rows(c, [run_file_row(
                                run_id, path, "unchanged" if status == "unchanged" else "read",
                                report_id=report.report_id, n_claims=prep.n_mentions)])
                    out[rest[i]] = status
                    i += 1
                    held = time.monotonic() - opened
                    if held > max_hold or (held > 0.05 and self.readers_waiting()):
                        break
            if i < len(rest):
                self._let_readers_in()
        return out

    def claims_tail_rows(self) -> int:
        """Rows in the claims table's last row group (0 for an empty table): what a run's
        batches fill up before adding whole row groups (etl/run_batches.py)."""
        with self.reading() as con:
            row = con.execute(
                "SELECT sum(count) FROM pragma_storage_info('claims') WHERE column_id = 0 "
                "AND column_path = '[0]' AND row_group_id = "
                "(SELECT max(row_group_id) FROM pragma_storage_info('claims'))").fetchone()
        return int(row[0] or 0)

    def _fresh(self, prepared: list[tuple[Report, PreparedClaims, str]]) -> list[int]:
        """Positions of reports that are new in every way: neither their text nor their
        file is stored yet, and no other report of the batch has the same text."""
        rids = [r.report_id for r, _, _ in prepared]
        paths = [norm_path(p) for _, _, p in prepared]
        with self.reading() as con:
            known_r = {row[0] for row in con.execute(
                "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?))", [rids]).fetchall()}
            known_p = {row[0] for row in con.execute(
                "SELECT path FROM report_files WHERE path IN (SELECT unnest(?))", [paths]).fetchall()}
        seen: set[str] = set()
        fresh = []
        for k, (rid, path) in enumerate(zip(rids, paths)):
            if rid not in known_r and path not in known_p and rid not in seen:
                fresh.append(k)
            seen.add(rid)
        return fresh

    def _unchanged(self, prepared: list[tuple[Report, PreparedClaims, str]], rest: list[int]) -> list[int]:
        """Positions (of `rest`) of reports stored exactly so: their text's row has their
        signature and their file already points at it (each file once)."""
        if not rest:
            return []
        rids = [prepared[k][0].report_id for k in rest]
        paths = [norm_path(prepared[k][2]) for k in rest]
        with self.reading() as con:
            sigs = dict(con.execute("SELECT report_id, content_sig FROM reports "
                                    "WHERE report_id IN (SELECT unnest(?))", [rids]).fetchall())
            files = dict(con.execute("SELECT path, report_id FROM report_files "
                                     "WHERE path IN (SELECT unnest(?))", [paths]).fetchall())
        same, seen = [], set()
        for k, rid, path in zip(rest, rids, paths):
            if path not in seen and files.get(path) == rid and sigs.get(rid) == prepared[k][1].sig:
                same.append(k)
            seen.add(path)
        return same

    def _touch_unchanged(self, con, items: list[tuple[Report, PreparedClaims, str]],
                         rules_version: str | None, run_id: str | None) -> None:
        """What `_save` writes for an unchanged report, for many at once: the rules
        version, the file's row (doc, seen_at) and the run's row."""
        now = utcnow()
        rids = [r.report_id for r, _, _ in items]
        if rules_version is not None:
            con.execute("UPDATE reports SET rules_version = ? WHERE report_id IN (SELECT unnest(?)) "
                        "AND rules_version IS DISTINCT FROM ?", [rules_version, rids, rules_version])
        files = pa.table({"path": [norm_path(p) for _, _, p in items], "doc": [r.doc for r, _, _ in items],
                          "report_id": rids, "seen_at": [now] * len(items)}, schema=_FILES_SCHEMA)
        with registered(con, files) as v:
            con.execute(f"UPDATE report_files SET doc = v.doc, report_id = v.report_id, seen_at = v.seen_at "
                        f"FROM {v} v WHERE report_files.path = v.path")
        if run_id is not None:
            run_files_rows(con, [run_file_row(run_id, p, "unchanged", report_id=r.report_id,
                                              n_claims=prep.n_mentions) for r, prep, p in items])

    def _insert_fresh(self, con, items: list[tuple[Report, PreparedClaims, str]],
                      rules_version: str | None, run_id: str | None,
                      rewrite: list[tuple[str, pa.Table | PreparedClaims]] | None = None) -> None:
        now = utcnow()
        cols = list(REPORT_FIELDS) + list(REPORT_EXTRA_COLUMNS)
        reports: dict[str, list] = {c: [] for c in cols}
        for report, prep, _ in items:
            d = report.to_dict()
            d["meta_source"] = json.dumps(d.get("meta_source") or {}, ensure_ascii=False)
            d["tags"] = list(d.get("tags") or [])
            d.update(n_chars=len(report.text), n_claims=prep.n_mentions, ingested_at=now,
                     rules_version=rules_version, content_sig=prep.sig)
            for c in cols:
                reports[c].append(d[c])
        files = {"path": [norm_path(p) for _, _, p in items], "doc": [r.doc for r, _, _ in items],
                 "report_id": [r.report_id for r, _, _ in items], "seen_at": [now] * len(items)}
        reports["text"] = utf8_strings(reports["text"], [prep.text_utf8 for _, prep, _ in items])
        # row-wise executemany is slow in DuckDB: every table goes in as one Arrow scan
        insert_arrow(con, "reports", cols, pa.table(reports, schema=_REPORTS_SCHEMA))
        # one chunk per column, not one per report: DuckDB scans a report's 200-odd
        # rows as a part-filled vector otherwise, and its inserts and index updates go
        # by the vector (a tenth less CPU on 300 bench files, bench/RESULTS.md)
        parts: list = [p for _, p, _ in items]
        if rewrite:
            # the stored reports' claims go in again with these, first: deleting rows
            # the table holds does not keep DuckDB from writing a transaction's whole
            # row group of new rows straight to the file, and the closing checkpoint
            # drops the row group they leave empty
            con.execute("DELETE FROM claims WHERE report_id IN (SELECT unnest(?))", [[r for r, _ in rewrite]])
            parts[:0] = [t for _, t in rewrite]
        claims = claims_table(parts)
        insert_arrow(con, "claims", list(CLAIM_COLUMNS), claims, computed={"claim_id": CLAIM_ID_SQL})
        insert_arrow(con, "report_files", list(files), pa.table(files, schema=_FILES_SCHEMA))
        if run_id is not None:
            run_files_rows(con, [[run_id, norm_path(p), "read", None, r.report_id, prep.n_mentions, now]
                                 for r, prep, p in items])

    def known_file(self, path: str, *, con=None) -> str | None:
        """The report_id `path` was last stored as (None if never)."""
        sql, params = "SELECT report_id FROM report_files WHERE path = ?", [norm_path(path)]
        if con is not None:
            row = con.execute(sql, params).fetchone()
        else:
            with self.reading() as c:
                row = c.execute(sql, params).fetchone()
        return row[0] if row else None
