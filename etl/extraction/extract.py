"""Every numeric mention in a text, as `Claim` records with offsets into the text.

    normalize -> scan -> classify -> unit class, subject, qualifiers -> Claim

`extract_text` is the one entry point; the CLI, the pipeline, the upload page and the
tests all call it. Offsets always point into the text as given (for HTML source,
into the markup), so `text[c.start:c.end] == c.text` holds for every claim.
"""
from __future__ import annotations

from typing import Final

import gc
from decimal import Decimal

from .. import rules
from ..claim import Claim
from .classify import classify, unit_class_of
from .normalize import NormText, normalize
from .metrics import assign_metric, hides_nothing
from .qualifiers import find_qualifiers
from .roles import assign_roles
from .phrases import past_figure_suffix
from .scanner import Mention, scan
from .subjects import (SUBJECT_CLASSED_UNITS, Recent, find_subject, framed_period, list_items, note_figure,
                       time_adverbial)
from .tables import TableFigure, cell_clause, read_tables, table_roles
from .text_spans import Boundaries

_RECENT_KEPT: Final = 8     # earlier subjects offered to the subject finder


def extract_text(text: str, doc: str = "", *, markup: bool | None = None) -> list[Claim]:
    """All numeric mentions in `text`, claims and non-claims, in text order.

    markup: True for HTML source (tags and entities are skipped, offsets still index
    `text`), False for plain text, None to decide by looking at the text.

    The cycle collector is paused while it runs: extraction makes no reference cycles
    (on a warm pass over 500 bench files the collections during it freed nothing), but
    its many small tuples, lists and records set off a collection every few hundred
    allocations: 2.6% of its instructions (callgrind, 100 bench files). What it leaves
    is freed by reference counting as usual, and any cycle by the next collection."""
    return extract_text_and_view(text, doc, markup=markup)[0]


def extract_text_and_view(text: str, doc: str = "", *,
                          markup: bool | None = None) -> tuple[list[Claim], str | None]:
    """(extract_text(text, doc, markup=markup), OpenCC's t2s of `text` when normalize
    learnt it on the way, else None: `NormText.raw_simplified`, which describe takes
    instead of searching the text for traditional characters again)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        norm = normalize(text, markup=markup)
        return _extract(text, doc, norm), norm.raw_simplified
    finally:
        if paused:
            gc.enable()


def _extract(text: str, doc: str, norm: NormText) -> list[Claim]:
    view = norm.text
    bounds = Boundaries(view, norm.line_ends)
    mentions = scan(view)
    decisions = [classify(m, view, bounds) for m in mentions]
    raw_spans = norm.raw_spans([(m.start, m.end) for m in mentions])
    # figures in table cells: units from headers, serial numbers (None: no table)
    cells = read_tables(norm, bounds, mentions, raw_spans, decisions)
    claim_idx = [i for i, d in enumerate(decisions) if d[0]]
    chains = _chain_ends(mentions, claim_idx, view)
    runs = _figure_runs(mentions, claim_idx, view)

    out: list[Claim] = []
    # (sentence start, unit) -> subject on the view and as written
    last_subject: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    subject_ends: dict[int, int] = {}   # claim index -> end of a subject found after it
    recent: list[Recent] = []           # subjects of the claims so far (view spans)
    claim_no = 0      # claims so far: claim_idx[claim_no] is the one being filled
    adverbials: list[int] = []          # durations saying how long what follows took (24年来，…)
    spans: list[tuple[int, int, int]] = []   # per claim so far: (sentence start, subject span) or -1s
    listed: list[tuple[int, int]] | None = None   # the subjects a 分别 run lines up with
    unitless = False    # whether a claim has no unit (else there is none to infer)
    # the last sentence's raw span and text: the claims of a sentence come one after
    # another, and mapping a sentence back to the raw text walks the offset map
    last_ss, last_se, last_rss, last_rse, last_sentence = -1, -1, 0, 0, ""
    for i, (m, (is_claim, kind, reason)) in enumerate(zip(mentions, decisions)):
        rs, re_ = raw_spans[i]
        if not is_claim:
            # a non-claim carries its span and kind; its sentence is not looked up
            # (most mentions are dates and ordinals, and the lookup is the cost)
            out.append(new_claim(doc, rs, re_, text[rs:re_], False, kind,
                                 m.value if m.form == "qty" else None, reason, "", None, None))
            continue
        ss, se = bounds.sentence(m.start)
        if se <= ss:
            rss, rse = rs, re_
            sentence_text = text[rss:rse]
        elif ss == last_ss and se == last_se:
            rss, rse, sentence_text = last_rss, last_rse, last_sentence
        else:
            rss, rse = norm.raw_span(ss, se)
            sentence_text = text[rss:rse]
            last_ss, last_se, last_rss, last_rse, last_sentence = ss, se, rss, rse, sentence_text
        fig = cells[i] if cells is not None else None
        run = runs.get(i)
        if run is not None and run[0] == 0:
            last = mentions[claim_idx[claim_no + run[1] - 1]]
            listed = _run_items(view, m, last.end, run[1], bounds, ss, mentions, claim_idx, claim_no, spans)
        in_list = listed[run[0]] if run is not None and listed is not None else None
        c = _claim(doc, rs, re_, text[rs:re_], reason, sentence_text, rss, rse,
                   m, i, mentions, claim_idx, claim_no, norm, bounds, chains, last_subject, ss,
                   subject_ends, (ss, se), recent, fig, in_list, spans)
        claim_no += 1
        if not c.unit:
            unitless = True
        if c.subject is None and c.unit_class == "duration" and (
                time_adverbial(view, m.end, bounds.clause(m.start)[1])
                or framed_period(view, m.start, m.end, bounds.clause(m.start)[0])):
            adverbials.append(len(out))
        out.append(c)
    _lend_forward(out, adverbials)
    if unitless:
        _infer_missing_units(out)
    assign_roles(out, [(m.start, m.end) for m in mentions], view, bounds)
    if cells is not None:
        table_roles(out, cells)
    return out


def new_claim(doc: str, start: int, end: int, text: str, is_claim: bool, kind: str | None,
              value: Decimal | None, reason: str, sentence: str, sentence_start: int | None,
              sentence_end: int | None) -> Claim:
    """Claim(doc, start, end, text, is_claim, kind, value, reason=…, sentence=…, …) with
    every other field at its default, the arguments given by position: with keywords the
    dataclass's (interpreted) __init__ costs more (callgrind, 100 bench files: about 85 M
    instructions against 60–80 M), and setting the fields one by one from the compiled
    build costs more still (141 M). tests/test_extraction_speed_paths.py holds this
    equal to the keyword call field for field, so a field added or moved in Claim
    shows there."""
    return Claim(doc, start, end, text, is_claim, kind, value, None, None, None, None, None,
                 sentence, sentence_start, sentence_end, None, None, None, None, reason)


def _claim(doc: str, start: int, end: int, written: str, reason: str, sentence_text: str,
           sentence_start: int, sentence_end: int, m: Mention, i: int, mentions: list[Mention],
           claim_idx: list[int], claim_no: int, norm: NormText, bounds: Boundaries,
           chains: dict[int, tuple[int, int]], last_subject: dict[tuple[int, str], tuple[str | None, str | None]],
           sent_start: int, subject_ends: dict[int, int], sentence: tuple[int, int],
           recent: list[Recent], fig: TableFigure | None = None,
           in_list: tuple[int, int] | None = None,
           spans: list[tuple[int, int, int]] | None = None) -> Claim:
    """The claim record of mention `m`, every field worked out first and the record
    built by one call (`_new_full_claim`): the compiled build sets a field of the
    (interpreted) dataclass through a generic attribute store, some 150 instructions
    each, and read them back the same way."""
    view = norm.text
    unit = m.unit
    if m.form == "frac":
        num, den = [int(x) for x in view[m.start:m.end].split("/")]
        m.value = Decimal(num) * 100 / den
        unit = rules.units()["%"]
    value, value_max = m.value, m.value_max
    unit_name = unit.unit if unit else None
    unit_class = unit.unit_class if unit else None
    approx = m.approx

    clause = bounds.clause(m.start)
    if fig is not None:
        clause = cell_clause(fig, clause)
    chain = chains.get(i, (m.start, m.end))
    prev = None      # the nearest earlier claim that ends before our chain
    for k in range(claim_no - 1, -1, -1):
        j = claim_idx[k]
        if mentions[j].end <= chain[0]:
            prev = j
            break
    prev_end = 0 if prev is None else mentions[prev].end
    se = subject_ends.get(prev, 0) if prev is not None else 0
    if se and view[se:se + 1] in _LIST_SEPARATORS:
        # in a list (276支队伍、6600余人) the words after the previous figure are its
        # subject, not ours; in one clause (两次捐款累计238.93万元) they may be shared
        prev_end = max(prev_end, se)
    next_start = len(view)
    for j in range(i + 1, len(mentions)):
        if mentions[j].start >= m.end:
            # a bare number right after a count (上百次5级以上余震, 1名17岁的少年, 120余家500强
            # 企业, 196.8万个5G基站) modifies the noun the count counts: read past it
            # (a number in Chinese numerals only as a scale, 20个百亿级优势特色产业)
            if (mentions[j].start == m.end and unit_class not in _MEASURE_CLASSES
                    and (view[m.end:m.end + 1].isascii()
                         or past_figure_suffix(view, mentions[j].end) > mentions[j].end)
                    and (claim_no + 1 >= len(claim_idx) or claim_idx[claim_no + 1] != j)):
                continue
            next_start = mentions[j].start
            break
    span: tuple[int, int] | None = in_list
    if span is None and (fig is None or not fig.bare):
        span = find_subject(view, m.start, m.end, unit_class, clause, prev_end, next_start, chain,
                            sentence, recent, unit_name or "")
    note_figure(doc, start, end)
    key = (sent_start, unit_name or "")
    subject: str | None
    written_subject: str | None     # the subject as written (traditional stays traditional)
    if fig is not None and fig.bare:
        # a bare figure in a cell counts what its column header or row label names
        subject, written_subject = fig.subject_view, fig.subject
    elif span:
        if span[0] >= m.end:
            subject_ends[i] = min(span[1], chain[0] if chain[0] > m.end else span[1])
        subject = view[span[0]:span[1]]
        # copied as written (traditional stays traditional, a gloss stays); the view where markup was cut
        written_subject = norm.written(span[0], span[1])
        last_subject[key] = (subject, written_subject)
    else:
        subject, written_subject = last_subject.get(key, (None, None))
        if subject is None and unit_class == "percent":
            # 收入43238亿元，同比增长13.3%: a change names no subject; it is the figure's before it
            subject, written_subject = last_subject.get((sent_start, "*"), (None, None))
    if subject:
        last_subject[(sent_start, "*")] = (subject, written_subject)
    if unit is not None and unit.written in SUBJECT_CLASSED_UNITS:
        unit_class = unit_class_of(unit.written, unit.unit_class, subject, view, m, clause)

    before = view[max(clause[0], prev_end):m.start]
    if approx == "exact":
        approx = _clause_cue(before)
    q_before = before
    if prev is not None and prev_end == mentions[prev].end and mentions[prev].start >= clause[0] \
            and prev_end - mentions[prev].start == 2 and view[mentions[prev].start] == "一":
        # 一天就能完成100多亩: the one read as a duration of its own is the rate's cue (with
        # the character before it: 24日一天就有 names that day)
        q_before = view[max(clause[0], mentions[prev].start - 1):m.start]
    q = find_qualifiers(q_before, unit_class, view[m.end:m.end + 3])
    if spans is not None:
        spans.append((sent_start, span[0], span[1]) if span else (sent_start, -1, -1))
    if span:
        recent.append((span[0], span[1], unit_name or "", q.aggregate is not None))
        if len(recent) > _RECENT_KEPT:
            del recent[0]
    # the subject as seen on the simplified view (with a relative clause between figure
    # and head: 122名生活困难的职工), the clause, and the words beside the subject
    cl = view[clause[0]:clause[1]]
    # and the sentence's words on each side of the figure (verbs, actors)
    pre_start = max(sent_start, m.start - 60)
    pre, post = view[pre_start:m.start], view[m.end:m.end + 40]
    # the span every window below is cut from: one look for the words that hide a
    # metric word there, not one per window (metrics.hides_nothing)
    lo_all, hi_all = min(clause[0], pre_start), max(clause[1], m.end + 40)
    if span:
        lo_all, hi_all = min(lo_all, max(0, span[0] - 4)), max(hi_all, span[1] + 4)
    plain = hides_nothing(view, lo_all, hi_all)
    if span:
        lo = m.end if m.end <= span[0] <= m.end + 24 else span[0]
        metric, evidence = assign_metric(
            unit_class, view[lo:span[1]], cl, view[max(0, span[0] - 4):span[0]] + "|" + view[span[1]:span[1] + 4],
            before=pre, after=post, unmasked=plain)
    else:
        metric, evidence = assign_metric(unit_class, subject, cl, before=pre, after=post, unmasked=plain)
    return _new_full_claim(doc, start, end, written, value, value_max, unit_name, unit_class, approx,
                           written_subject, sentence_text, sentence_start, sentence_end, q.per,
                           q.aggregate, q.change, q.share_of, reason, metric, evidence)


def _new_full_claim(doc: str, start: int, end: int, text: str, value: Decimal | None,
                    value_max: Decimal | None, unit: str | None, unit_class: str | None,
                    approx: str | None, subject: str | None, sentence: str, sentence_start: int,
                    sentence_end: int, per: str | None, aggregate: str | None, change: str | None,
                    share_of: str | None, reason: str, metric: str | None,
                    metric_evidence: str | None) -> Claim:
    """A claim (is_claim=True, no kind) with everything extraction finds, by position
    (see `new_claim`; the role fields stay at their defaults for the role step).
    tests/test_extraction_speed_paths.py holds this equal to the keyword call."""
    return Claim(doc, start, end, text, True, None, value, value_max, unit, unit_class, approx,
                 subject, sentence, sentence_start, sentence_end, per, aggregate, change, share_of,
                 reason, metric, metric_evidence, None, None, None, None, None)


# read once, as the subject modules read their rules (subjects.yaml, units.yaml): a
# call through functools' cache for every claim costs more than the lookup it serves
_LIST_SEPARATORS: Final = frozenset(str(rules.subject_rules().get("list_separators", "")))
# what stands between the figures of a list (114.9%、100.4%和305.2%)
_FIGURE_LIST_MARKS: Final = frozenset(str(w) for w in rules.subject_rules()["figure_list_marks"])
_FIGURE_GAP: Final = 4     # characters between two figures of a list: a mark and spaces


def _clause_cue(before: str) -> str:
    """最高保额可达300万元: a bound stated earlier in the clause."""
    tail = before[-_CLAUSE_WINDOW:]
    for word, kind in _CLAUSE_CUES:
        if word in tail:
            return kind
    return "exact"


# approx.yaml's clause cues as a tuple (in its order) and their window, read once: per
# claim a call through functools' cache and an items() walk of a MappingProxy cost more
_CLAUSE_CUES: Final[tuple[tuple[str, str], ...]] = tuple(rules.approx().clause_cue.items())
_CLAUSE_WINDOW: Final = rules.approx().clause_window


def _figure_runs(mentions: list[Mention], claim_idx: list[int], view: str) -> dict[int, tuple[int, int]]:
    """For figures listed one after another with only a list mark between them (114.9%、
    100.4%、305.2%; 4.5%和4.8%): mention index -> (place in the run, length of the run)."""
    runs: dict[int, tuple[int, int]] = {}
    run: list[int] = []
    for i in claim_idx:
        if run:
            gap_lo, gap_hi = mentions[run[-1]].end, mentions[i].start
            # (most gaps are long: no slice is cut for them)
            if gap_hi - gap_lo <= _FIGURE_GAP and view[gap_lo:gap_hi].strip(" \u00a0") in _FIGURE_LIST_MARKS:
                run.append(i)
                continue
        if len(run) > 1:
            for k, j in enumerate(run):
                runs[j] = (k, len(run))
        run = [i]
    if len(run) > 1:
        for k, j in enumerate(run):
            runs[j] = (k, len(run))
    return runs


def _run_items(view: str, m: Mention, end: int, n: int, bounds: Boundaries, sent_start: int,
               mentions: list[Mention], claim_idx: list[int], claim_no: int,
               spans: list[tuple[int, int, int]]) -> list[tuple[int, int]] | None:
    """The subjects a run of n figures from `m` to `end` lines up with after 分别 (`list_items`):
    the words before it read from its clause's start or the figure before it there; the
    subjects of the claims before it in its sentence, in order."""
    lo = bounds.clause(m.start)[0]
    if claim_no > 0:
        lo = max(lo, mentions[claim_idx[claim_no - 1]].end)
    before: list[tuple[int, int]] = []
    for k in range(len(spans) - 1, max(-1, len(spans) - 1 - n), -1):
        if spans[k][0] != sent_start:
            break
        before.insert(0, (spans[k][1], spans[k][2]))
    return list_items(view, m.start, end, n, lo, before)


def _chain_ends(mentions: list[Mention], claim_idx: list[int], view: str) -> dict[int, tuple[int, int]]:
    """For figures written back to back (18类127条, 15次60多天), where the run ends."""
    ends: dict[int, tuple[int, int]] = {}
    run: list[int] = []
    for i in claim_idx:
        if run and mentions[run[-1]].end == mentions[i].start:
            run.append(i)
        else:
            _close(run, mentions, ends)
            run = [i]
    _close(run, mentions, ends)
    return ends


def _close(run: list[int], mentions: list[Mention], ends: dict[int, tuple[int, int]]) -> None:
    if len(run) > 1:
        span = (mentions[run[0]].start, mentions[run[-1]].end)
        for i in run:
            ends[i] = span


def _lend_forward(claims: list[Claim], adverbials: list[int]) -> None:
    """24年来，他坚持无偿献血81次: a duration that says how long what follows took counts
    what the next figure of its sentence counts (not a share, not another duration)."""
    for k in adverbials:
        c = claims[k]
        for j in range(k + 1, len(claims)):
            o = claims[j]
            if not o.is_claim:
                continue
            if o.sentence_start != c.sentence_start:
                break
            if o.subject and o.unit_class not in _NOT_LENDING:
                c.subject = o.subject
                break


_NOT_LENDING: Final = frozenset(("duration", "percent"))
# classes whose figure runs on into a bare number (6秒59, 17米01, 10小时30分): not a count
_MEASURE_CLASSES: Final = frozenset(("duration", "other"))


def _infer_missing_units(claims: list[Claim]) -> None:
    """Headline figures without a unit (划拨2.2亿) take the unit the body gives the same
    value, else one the words around suggest (资金 -> 元, 群众 -> 人)."""
    by_value: dict[Decimal, Claim] = {}
    for c in claims:
        if c.is_claim and c.unit and c.value is not None:
            by_value.setdefault(c.value, c)
    for c in claims:
        if not c.is_claim or c.unit:
            continue
        twin = by_value.get(c.value) if c.value is not None else None
        if twin is not None:
            c.unit, c.unit_class = twin.unit, twin.unit_class
            if not c.subject:
                c.subject = twin.subject
            continue
        at = c.start - (c.sentence_start or 0)     # claims always have their sentence span
        ctx = (c.subject or "") + c.sentence[max(0, at - 8): at]
        if any(w in ctx for w in _MONEY_WORDS):
            c.unit, c.unit_class = "元", "money"
        elif any(w in ctx for w in _PEOPLE_WORDS):
            c.unit, c.unit_class = "人", "people"
        else:
            c.unit_class = "other"


# units.yaml's implied units, read once (the subject modules read their rules so too)
_MONEY_WORDS: Final[tuple[str, ...]] = rules.implied_units()[0]
_PEOPLE_WORDS: Final[tuple[str, ...]] = rules.implied_units()[1]
