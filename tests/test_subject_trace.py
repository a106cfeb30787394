"""What the subject finder shows the trainer (tools/train_subjects.py) when tracing:
one row of candidates per figure, and the same subjects as without tracing. A
construction that decides alone (分两批开展: subjects._batch_topic) still shows its
figure's candidates, so the fitted weights do not depend on which figures a rule takes."""
from __future__ import annotations

from etl.extraction import subjects
from etl.extraction.extract import extract_text

TEXT = "自6 月初至12 月,“不忘初心、牢记使命”主题教育在全省分两批开展,全省30 多万个基层党组织参加。"


def _subjects(text: str) -> dict[str, str | None]:
    return {c.text: c.subject for c in extract_text(text, "t") if c.is_claim}


def test_tracing_changes_no_subject_and_shows_every_figure():
    plain = _subjects(TEXT)
    subjects.start_trace()
    try:
        traced = _subjects(TEXT)
    finally:
        rows, notes = subjects.stop_trace()
    assert traced == plain
    assert plain["两批"] == "“不忘初心、牢记使命”主题教育"     # the rule's subject
    assert plain["30 多万个"] == "基层党组织"
    figures = {TEXT[start:end] for _doc, start, end in notes if start >= 0}
    assert {"两批", "30 多万个"} <= figures
    assert len(rows) == len(notes)
    batch_row = rows[[TEXT[s:e] for _d, s, e in notes].index("两批")]
    assert batch_row[3], "the batch figure's candidates are offered to the trainer"
