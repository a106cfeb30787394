"""A user's edits of a report's metadata, and deleting or restoring a report, with who,
when and why.

Edits are rows of `report_edits` keyed on report_id (the hash of the report's text), so
re-extracting the same file keeps them: the `reports_edited` / `reports_effective`
views (schema.py) apply the latest edit per field over whatever the extraction found.
Deleting is an edit too (field "deleted", "true"; a restore writes "false"): the report
and its claims stay in the base tables, so nothing is lost and a restore is exact, but
they are in no view, so no chart, table, check or export shows them, and a re-run of
the same file does not bring them back. A deleted report whose file later changes is
a new report (new text, new id) and shows again; its metadata edits follow the file
(etl/store/anchors.py), its deletion does not. Deleting also drops the checks' findings
that name the report (derived data, made again by the next checks run, which no longer
sees the report); its claims' rows in the duplicate groups stay, harmless while the
claims are hidden and exact again after a restore.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..report import LEVELS
from .connection import Connection
from .schema import EDITABLE_REPORT_FIELDS, ident, utcnow

MAX_TEXT = 300                   # a title or an organisation name, not a paragraph
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class ReportEdits(Connection):
    def edit_report(self, report_id: str, changes: dict[str, Any], *, who: str,
                    why: str = "") -> list[str]:
        """Record a user's edits of one report's metadata: `changes` maps fields of
        EDITABLE_REPORT_FIELDS to new values (None clears a field; title cannot be
        cleared). All are validated first (ValueError with the reason; nothing saved).
        Returns the fields that changed (a value equal to the current one is skipped)."""
        stored = {f: check_report_edit(f, v) for f, v in changes.items()}
        who = _who(who)
        done: list[str] = []
        with self.writing() as con:
            cols = ", ".join(ident(f) for f in EDITABLE_REPORT_FIELDS)
            row = con.execute(f"SELECT path, {cols} FROM reports_effective WHERE report_id = ?",
                              [report_id]).fetchone()
            if row is None:
                raise ValueError(f"no report with id {report_id!r} (deleted reports cannot be edited)")
            current = dict(zip(EDITABLE_REPORT_FIELDS, row[1:]))
            for field, new in stored.items():
                if new == current[field]:
                    continue
                self._record(con, report_id, row[0], field, current[field], new, who, why)
                done.append(field)
        return done

    def delete_report(self, report_id: str, *, who: str, why: str = "") -> None:
        """Delete a report with its claims and findings (see the module docstring)."""
        who = _who(who)
        with self.writing() as con:
            path, deleted = _path_and_deleted(con, report_id)
            if deleted:
                return
            self._record(con, report_id, path, "deleted", "false", "true", who, why)
            _drop_check_results(con, report_id)

    def restore_report(self, report_id: str, *, who: str, why: str = "") -> None:
        """Bring a deleted report back with its claims (and the edits it had). Its
        findings come back with the next checks run."""
        who = _who(who)
        with self.writing() as con:
            path, deleted = _path_and_deleted(con, report_id)
            if deleted:
                self._record(con, report_id, path, "deleted", "true", "false", who, why)

    @staticmethod
    def _record(con, report_id: str, path: str | None, field: str, old: Any, new: str | None,
                who: str, why: str) -> None:
        con.execute("INSERT INTO report_edits (report_id, path, field, old_value, new_value, who, "
                    "\"at\", why) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [report_id, path, field, None if old is None else str(old), new, who, utcnow(),
                     (why or "").strip()])


def _path_and_deleted(con, report_id: str) -> tuple[str | None, bool]:
    row = con.execute("SELECT path, deleted FROM reports_edited WHERE report_id = ?",
                      [report_id]).fetchone()
    if row is None:
        raise ValueError(f"no report with id {report_id!r}")
    return row[0], bool(row[1])


def _who(who: str) -> str:
    if not isinstance(who, str) or not who.strip():
        raise ValueError("who must name the person making the change")
    return who.strip()


def check_report_edit(field: str, value: Any) -> str | None:
    """Validate one edit; return the text stored in report_edits.new_value."""
    if field not in EDITABLE_REPORT_FIELDS:
        raise ValueError(f"cannot edit field {field!r}: editable fields are "
                         f"{', '.join(EDITABLE_REPORT_FIELDS)}")
    if value is None or (isinstance(value, str) and not value.strip()):
        if field == "title":
            raise ValueError("title cannot be blank")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field} must be text, got {type(value).__name__} {value!r}")
    # bidi overrides, zero-width and control characters flip or hide nearby text
    v = " ".join(_CONTROL.sub("", value).split())
    if not v:
        raise ValueError(f"{field} has no visible characters")
    if field == "published":
        return _iso_date(v)
    if field == "level" and v not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {value!r}")
    if field == "campaign":
        names = campaign_names()
        if v not in names:
            raise ValueError(f"campaign must be a canonical name from data/rules/campaigns.yaml "
                             f"({', '.join(names)}) or none; got {value!r}")
    if len(v) > MAX_TEXT:
        raise ValueError(f"{field} is longer than {MAX_TEXT} characters")
    return v


def _iso_date(v: str) -> str:
    """yyyy-mm-dd, yyyy-mm or yyyy (Report.published's forms), checked as a date."""
    m = _ISO_DATE.fullmatch(v)
    if m is None:
        raise ValueError(f"published must be a date as yyyy-mm-dd, yyyy-mm or yyyy; got {v!r}")
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        date(y, mo, d)
    except ValueError:
        raise ValueError(f"published is not a real date: {v!r}") from None
    if not 1900 <= y <= 2100:
        raise ValueError(f"published year {y} is out of range")
    return v


def campaign_names() -> list[str]:
    """The canonical campaign names (data/rules/campaigns.yaml), in file order."""
    from etl.reading.campaigns import campaign_rules
    return list(campaign_rules().campaigns)


def _drop_check_results(con, report_id: str) -> None:
    """The findings naming the report go (the 核查 page would list a report that is
    gone). Its claims' rows in the duplicate groups stay: sums group the visible claims
    by dup_group, so the other copies of a figure still count once, and a restore finds
    the groups as they were."""
    gone = ("SELECT finding_id FROM findings WHERE list_contains(report_ids, $rid) UNION "
            "SELECT finding_id FROM finding_claims WHERE report_id = $rid")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _gone_findings AS {gone}", {"rid": report_id})
    con.execute("DELETE FROM finding_claims WHERE finding_id IN (SELECT finding_id FROM _gone_findings)")
    con.execute("DELETE FROM findings WHERE finding_id IN (SELECT finding_id FROM _gone_findings)")
    con.execute("DROP TABLE _gone_findings")
