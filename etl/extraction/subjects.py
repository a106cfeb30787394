"""What a figure counts: the noun phrase next to it, copied from the text.

Reports put the counted noun after the classifier (1069名干部职工, 10个方面重点任务) or,
for money, shares and totals, before the number (发放慰问金27万元, 参学率达到100%).
The subject is a scored choice among candidate phrases: the ones the phrase grammar
(`phrases`, over the words and categories of `subject_words`) reads on both sides of
the figure, after its 的, a fund named earlier, and the subjects of the figures just
before it (a breakdown counts what its total counted). Each candidate gets the
features `subject_features` reads; the weights in data/rules/subject_weights.yaml
(fitted by tools/train_subjects.py, measured by tools/loro.py) pick one. When nothing
is found, a figure in the same sentence with the same unit lends its subject (the
caller does that).
"""
from __future__ import annotations

from typing import Final

from .. import rules
from .subject_words import (CURRENCY_WORDS, EDGE_CHARS, HEADS, STOP_CHARS, LEFT_CUES, after_last, head_class, tag, listed_head, GENERIC_MONEY, LEFT_WINDOW, Token,
                            VERB_OK_CLASSES, WINDOW, ends_any, ends_at, locate, starts_any, starts_at, stop_in, tokens)
from .segmenter import word_across
from .text_spans import char_table
from .phrases import (after_relative, closing_phrase, compound_over_verb, left_phrase, list_topic, money_noun_before,
                      past_figure_suffix, past_span_close, period_topic, phrase_at, phrases_in, referent, right_phrase,
                      PREDICATE_VERBS, PREDICATE_VERB_CLASSES)
from .subject_features import (S_FIT, S_INSIDE_REL, S_K_AFTER_DE, S_K_RECENT, S_K_REL, S_K_RIGHT, S_K_RIGHT_WEAK,
                               S_K_STRIPPED, S_MISFIT, S_MOVED,
                               S_NO_LOCAL_FIT, S_OUT_CLAUSE, S_RANK, S_RECENT_SAME_SENTENCE, S_RECENT_SAME_UNIT,
                               S_RECENT_TOTAL, S_VERB_BETWEEN, Candidate, features, fits_head, fits_only_whole,
                               fitting_prefix, info, slot, slot_name, verb_from, verb_until, weigh_slots)


def find_subject(view: str, start: int, end: int, unit_class: str | None,
                 clause: tuple[int, int], prev_end: int, next_start: int,
                 chain: tuple[int, int], sentence: tuple[int, int] = (-1, -1),
                 recent: list[Recent] | None = None, unit: str = "") -> tuple[int, int] | None:
    """The span (in `view`) of the subject of the figure at view[start:end], or None.

    clause / sentence: the clause and sentence around it; prev_end / next_start: the
    nearest other figures (a phrase in the clause never crosses them); chain: where a
    run of adjacent figures starts and ends (18类127条 share the words before the first
    and after the last one); recent: the subjects of the figures before it in this and
    the previous sentence (a breakdown may count what its total counted).

    The subject is a scored choice among candidate phrases (`_candidates`): each gets
    the features `features` reads, and the weights in data/rules/subject_weights.yaml
    (fitted by tools/train_subjects.py) pick one.
    """
    if sentence[0] < 0:
        sentence = clause
    # 10年期国债收益率, 9000吨级气膜粮仓: the character making a figure a modifier is the
    # figure's, neither the first of the phrase after it nor of the next figure's before it
    end = past_figure_suffix(view, end)
    prev_end = past_span_close(view, prev_end)     # 五年内粮食生产能力: 内 closes the span
    chain = (chain[0], past_figure_suffix(view, chain[1]))    # 五座9000吨级气膜粮仓
    if unit_class == "people":
        outcome = _outcome_after(view, end, min(clause[1], next_start))
        if outcome is None:
            outcome = _outcome_count_before(view, start, max(clause[0], prev_end, start - _CASUALTY_BACK))
        if outcome is not None:
            return outcome
    across = _head_across_end(view, end, unit_class, unit)
    if across is not None:
        return across
    topic = _list_topic_of(view, start, end, unit_class, clause, prev_end, chain)
    if topic is not None:
        return topic
    if unit_class == "orgs" and len(unit) == 1:
        # 山西、…、甘肃等6省（区）; a unit that is a noun of its own (9省区市) names what it counts
        places = _listed_places(view, clause[0], start)
        if places is not None:
            return places
    batched = _batch_topic(view, start, end, unit, clause, prev_end, next_start)
    if batched is not None and not _TRACE.on:
        return batched
    restated = _restated(view, start, clause[0], sentence[0], recent or [])
    if restated is not None and batched is None:
        return restated
    if unit_class == "duration":
        if framed_period(view, start, end, clause[0]):
            return None     # 过去24小时，…: the caller lends the next figure's subject
        if time_adverbial(view, end, clause[1]):
            # 开通11个多月以来: how long since the act before it; 24年来，…: the caller
            # lends the next figure's subject
            return _act_before(view, start, end, max(clause[0], prev_end))
        topic = period_topic(view, start, end, min(clause[1], end + WINDOW))   # past an ordinal (第三届)
        if topic is not None:
            return topic
        if clause[0] > sentence[0] and _bare_clause(view, start, end, clause, prev_end):
            # 會議名稱很長，…，且不超過一個半小時 / 今年春运从…，共40天: how long what
            # the sentence opens with took
            return _sentence_topic(view, sentence[0], clause[0])
        # 在2到3天内完成…: the span word belongs to the time, the words after it are read
        end += _span_word_after(view, end, next_start)
    cands = _candidates(view, start, end, unit_class, clause, prev_end, next_start, chain,
                        sentence, recent or [], unit)
    if not cands:
        return batched
    best = cands[0]
    best_score = best.score() if len(cands) > 1 else 0.0    # alone, it is chosen
    for c in cands[1:]:
        sc = c.score()
        if sc > best_score:
            best, best_score = c, sc
    if _TRACE.on:
        # the trainer learns from every figure's candidates, those a construction decides too
        _TRACE.rows.append((start, end, unit_class,
                            [(view[c.lo:c.hi], c.lo, c.hi, dict(c.feats)) for c in cands]))
        if batched is not None:
            return batched
    return best.lo, best.hi


def list_items(view: str, start: int, end: int, n: int, lo: int,
               before: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """The subjects of a run of n figures starting at view[start] right after 分别 (同比
    分别上升114.9%、100.4%、305.2%), in order, or None when the run lines up with no list.

    lo: where the words before the run start (its clause, or the figure before it in the
    clause); before: the subjects of the figures just before the run in its sentence, in
    order. The words from lo to 分别 split at list marks (subjects.yaml list_item_marks)
    into as many items as figures: the i-th figure counts the i-th item (客流量、营业额…
    分别增长4.5%和4.8% -> 营业额 for 4.8%); an item that is a bare modifier of the last
    item's head shares it (内、外贸吞吐量 -> 内、外贸吞吐量 for the first). When those
    words name nothing but the comparison (旅客17.7万人次，货值138亿元，同比分别增长175.6%、
    50.5%), the figures just before line up (the last n of `before`). None when a noun
    after 分别 is what each figure counts (两地分别转移安置群众超1.7万人、6.2万人) or the
    figures' own noun follows them (分别以21%和15%的支持率)."""
    k = -1
    k_end = -1
    for w in _RESPECTIVELY:
        j = view.rfind(w, max(lo, start - _RESPECTIVELY_REACH), start)
        if j > k:
            k, k_end = j, j + len(w)
    if k < 0:
        return None     # most runs: 分别 is not there
    if starts_at(view, "的", end):
        return None     # 分别以21%和15%的支持率: the figures' own noun follows
    for ch in view[k:start]:
        if ch in _CLAUSE_MARKS:
            return None
    between = tokens(view[k_end:start], True)
    for i in range(len(between)):
        w = between[i][0]
        if _compares(w) or w in _SHARE_VERBS:
            between = between[:i]   # 分别较去年同期增长, 分别占全球市场的: a base or a whole
            break
    for p_lo, p_hi in phrases_in(between, k_end):
        if head_class(view[p_lo:p_hi]) not in _NOT_THINGS:
            return None     # 台州、温州两地分别转移安置群众超1.7万人、6.2万人: the noun after 分别 is counted
    toks = tokens(view[lo:k], True)
    items: list[tuple[int, int]] = []
    pos = item_lo = lo
    cut = -1            # where the comparison after the last item starts (比去年同期)
    for w, _c in toks:
        if w in _LIST_ITEM_MARKS:
            items.append((item_lo, pos))
            item_lo = pos + len(w)
            cut = -1
        elif cut < 0 and (_compares(w) or w in _PART_VERBS):
            cut = pos       # 比去年同期, 占规模以上工业比重: a base or a whole after the last item
        pos += len(w)
    items.append((item_lo, cut if cut >= 0 else pos))
    if len(items) == 1:
        i_lo, i_hi = items[0]
        if phrases_in(tokens(view[i_lo:i_hi], True), i_lo) or len(before) < n:
            return None     # one phrase before 分别 (产销量分别为…): read as usual
        spans = before[len(before) - n:]
        for s in spans:
            if s[0] < 0:
                return None
        return spans
    if len(items) != n:
        return None
    out: list[tuple[int, int]] = []
    for i in range(n):
        span = _list_item(view, items[i][0], items[i][1], i > 0)
        if span is None:
            return None
        out.append(span)
    last = out[-1]
    measured = _measure(view[last[0]:last[1]])
    for i in range(n - 1):
        i_lo, i_hi = out[i]
        short = i_hi - i_lo <= _BARE_MODIFIER_LEN and last[1] - last[0] >= i_hi - i_lo + 2
        if short or (measured and not _measure(view[i_lo:i_hi])):
            out[i] = (i_lo, last[1])     # 内、外贸吞吐量, 高技术制造业和高技术服务业投资
    return out


def _measure(phrase: str) -> bool:
    """The phrase names a measure (投资, 使用率, 销售额, 产量), not a thing measured."""
    return (phrase[-1] in _MEASURE_CHARS or phrase.endswith(_MEASURE_WORDS)
            or head_class(phrase) in _MEASURE_HEADS)


def _list_item(view: str, lo: int, hi: int, after_mark: bool) -> tuple[int, int] | None:
    """The phrase an item of a 分别 list names, cues after it dropped (招聘岗位数同比上升
    -> 招聘岗位数; the last item's comparison is cut off already): an item after a list
    mark whole, when short (日本实际对华投资); the first (whose words may open with an
    adverbial) and a long one, the longest phrase closing it as the grammar reads it
    either way (`phrases_in`, `left_phrase`), else its last word (内 of 内、外贸吞吐量);
    None for a time, a number or nothing (今年一季度和二季度分别增长: no list of things)."""
    while lo < hi and view[lo] in " \u00a0":
        lo += 1
    toks = tokens(view[lo:hi], True)
    k = len(toks)
    while k > 0 and (toks[k - 1][0] in LEFT_CUES or toks[k - 1][0].isspace()):
        hi -= len(toks[k - 1][0])
        k -= 1
    if k == 0:
        return None
    toks = toks[:k]
    for ch in view[lo:hi]:
        if ch.isdigit():
            return None
    best: tuple[int, int] | None = (lo, hi) if after_mark and hi - lo <= _ITEM_MAX else None
    for p_lo, p_hi in phrases_in(toks, lo):
        if p_hi == hi and (best is None or p_lo < best[0]):
            best = (p_lo, p_hi)
    left = left_phrase(view[lo:hi], None, True)
    if left and view.endswith(left, lo, hi) and (best is None or hi - len(left) < best[0]):
        best = (hi - len(left), hi)
    if best is None:
        w = toks[-1][0]
        if not ("\u4e00" <= w[0] <= "\u9fff"):
            return None
        best = (hi - len(w), hi)
    cls = head_class(view[best[0]:best[1]])
    if cls == "time" or cls == "number":
        return None
    return best


def _outcome_after(view: str, end: int, hi: int) -> tuple[int, int] | None:
    """致5人死亡、33人受伤 / 枪击事件 2人死亡: people counted by what befell them, with
    no noun between the figure and the word for it (subjects.yaml casualty_words), are
    the dead, the injured, the missing: that word is the subject (not the place or the
    incident named before). Not when a noun or a 的 follows the word (受伤人员: the
    phrase is read as usual) or a noun stands before it (4名船员受伤 -> 船员)."""
    k = end
    while k < hi and view[k] in " \u00a0":
        k += 1
    if k >= hi or view[k] not in _CASUALTY_FIRST:
        return None     # most figures: no such word next
    toks = tokens(view[k:min(hi, k + _CASUALTY_READ)])
    if not toks or toks[0][0] not in _CASUALTY_WORDS:
        return None
    if len(toks) > 1 and (toks[1][1] == "N" or toks[1][0] == "的"):
        return None     # 受伤人员, 流离失所的巴勒斯坦人: a noun phrase is read as usual
    return k, k + len(toks[0][0])


def _outcome_count_before(view: str, start: int, lo: int) -> tuple[int, int] | None:
    """死亡人数升至40人, 遇难人数已超过45000人, 死亡人数从288人…: the count of the people
    something befell, named before the figure with only cues and verbs between (no
    noun), is the subject (死亡人数), not the bare attribute 人数 or the place before."""
    k = view.rfind(_COUNT_WORD, lo, start)
    if k < 0:
        return None     # most figures: no 人数 before them
    w_lo = -1
    for w in _CASUALTY_WORDS:
        if k - len(w) >= lo and view.endswith(w, lo, k):
            w_lo = k - len(w)
            break
    if w_lo < 0:
        w_lo = _doers_before(view, lo, k)
    if w_lo < 0:
        return None
    hi = k + len(_COUNT_WORD)
    for w, c in tokens(view[hi:start], True):
        if c in ("N", "Q") and not tag(w).startswith("v"):
            return None     # 死亡人数中儿童200人: a noun between names what is counted (修正, a verbal noun, is a verb here)
    return w_lo, hi


def _doers_before(view: str, lo: int, k: int) -> int:
    """Where the verbs naming what the counted people did start, right before 人数 at k
    (报名人数, 走访慰问人数, 编制总人数, 互动人数), with the nouns of who did it before them
    (党政领导干部企业兼职人数, 境外采购商到会人数): the count of those who did it is the
    subject, not the bare attribute 人数 or 总; -1 when no verb stands there (的人数)."""
    hi = k - 1 if k - 1 >= lo and view[k - 1] == _TOTAL_CHAR else k
    w_lo = -1
    n = 0
    nouns = False
    for w, c in reversed(tokens(view[lo:hi], True)):
        if c == "V" and n < _DOER_VERBS and not nouns:
            n += 1
        elif c == "N" and n > 0:
            nouns = True
        else:
            break
        hi -= len(w)
        w_lo = hi
    if w_lo > lo and view[w_lo - 1] in _LIST_MARKS:
        return -1       # 养老、失业、工伤保险参保人数分别为…: the list names what each counts
    return w_lo


def _list_topic_of(view: str, start: int, end: int, unit_class: str | None,
                   clause: tuple[int, int], prev_end: int, chain: tuple[int, int]) -> tuple[int, int] | None:
    """修复工程包括A、B等10项: a figure closing a list after a listing verb counts the
    topic before the verb (`list_topic`); a construction, so it decides alone."""
    if start < 2 or "等" not in view[max(clause[0], start - 3):start]:
        return None
    l_hi = min(start, chain[0])
    l_lo = max(max(clause[0], min(prev_end, l_hi)), l_hi - LEFT_WINDOW)   # (two-argument max: native)
    left = left_phrase(view[l_lo:l_hi], unit_class, unit_class in VERB_OK_CLASSES)
    if not left:
        return None
    k = view.rfind(left, l_lo, l_hi)
    if k < 0:
        return None
    return list_topic(view, (k, k + len(left)), start, end, clause[0])


def _listed_places(view: str, lo: int, start: int) -> tuple[int, int] | None:
    """山西、内蒙古、…、甘肃等6省（区）: places listed and closed by 等 right before a count
    of places by a one-character unit are what it counts (not who goes there, 检查组将赴…):
    the span of the list, its first item the place word ending the words before the
    first 、."""
    hi = start - 1
    if hi > lo and view[hi] != "等":
        # …湖北、湖南等中部六省: a place word between 等 and the figure says where they lie
        k = view.rfind("等", max(lo, start - _PLACE_AFTER_LIST), hi)
        if k >= 0 and head_class(view[k + 1:start]) == "place":
            hi = k
    if hi <= lo or view[hi] != "等":
        return None
    items = view[lo:hi].split("、")
    if len(items) < 2:
        return None
    first = hi
    for n, item in enumerate(reversed(items)):
        toks = tokens(item, True) if item else ()
        if not toks or head_class(toks[-1][0]) != "place":
            return None
        if len(toks) == 1:
            first -= len(item) + (1 if n else 0)
            continue
        return (first - 1 - len(toks[-1][0]), hi) if n else None
    return first, hi


def _batch_topic(view: str, start: int, end: int, unit: str, clause: tuple[int, int],
                 prev_end: int, next_start: int) -> tuple[int, int] | None:
    """A number of batches right after a dividing verb counts the batches of what is
    divided, or None (the scored choice decides):
    - 举办…读书班，分三期组织…: a clause opening with the verb divides what closes the
      clause before (unless that clause is an adverbial: 通过…方式，分三批次支持…);
    - 255名队员将分两批搭乘…: people named before the verb are what is divided;
    - 决定分三批启动…实验区: else what the verb after the figure acts on, when it has an
      object (who divides stands before: 教育部);
    - 主题教育在全省分两批开展, 广交会…分三期在广州举办: else the noun phrase opening the
      clause (after any figure before it), unless it names who divides (湖北, 我国)."""
    if unit not in _BATCH_UNITS:
        return None
    verb = ""
    for v in _BATCH_VERBS:
        if view.endswith(v, clause[0], start):
            verb = v
            break
    if not verb:
        return None
    lo, hi = max(clause[0], prev_end), start - len(verb)
    if hi <= lo:
        if lo != clause[0] or lo < 2 or view[lo - 1] in _SENTENCE_ENDS:
            return None
        # the clause opens with the verb: the phrase closing the clause before
        p = lo - 1
        w_lo = max(after_last(view, _CLAUSE_MARKS, p), p - 2 * LEFT_WINDOW)
        opening = tokens(view[w_lo:p])
        if opening and tag(opening[0][0]) != "p":
            # (not an adverbial clause, 通过财政综合奖补方式，分三批次…: then the object)
            before = closing_phrase(view[w_lo:p])
            k = view.rfind(before, w_lo, p) if before else -1
            if k >= 0 and head_class(before) not in _BATCH_AGENT_HEADS:
                return k, k + len(before)
        return _object_after(view, end, min(min(clause[1], next_start), end + WINDOW))
    found = phrases_in(tokens(view[lo:hi], True), lo)
    topic = found[0] if found else None
    topic_class = head_class(view[topic[0]:topic[1]]) if topic is not None else ""
    if topic is not None and topic_class == "people":
        return topic
    obj = _object_after(view, end, min(min(clause[1], next_start), end + WINDOW))
    if obj is not None:
        return obj
    if topic is not None and topic_class not in _BATCH_AGENT_HEADS:
        return topic
    return None


def _object_after(view: str, end: int, hi: int) -> tuple[int, int] | None:
    """The object of the verb right after view[end] (adverbs before it skipped), when it
    closes the clause: 分三批启动全国中小学科学教育实验区。-> 全国中小学科学教育实验区;
    None when the verb has none (全部下达。, 在广州举办), when more follows it (举办线下展:
    the phrase is cut), or when it names an amount or a time (投放总额为…)."""
    toks = tokens(view[end:hi])
    k, i = end, 0
    while i < len(toks) and i < 2 and tag(toks[i][0]).startswith("d"):
        k += len(toks[i][0])
        i += 1
    verbs = 0
    # a verbal noun is a verb here (启动 is tagged vn)
    while i < len(toks) and verbs < 3 and (toks[i][1] == "V" or tag(toks[i][0]).startswith("v")):
        k += len(toks[i][0])
        i += 1
        verbs += 1
    if verbs == 0 or i >= len(toks) or toks[i][1] not in ("N", "Q"):
        return None
    found = phrases_in(toks[i:], k)
    if not found or found[0][0] != k:
        return None
    obj = found[0]
    if obj[1] < hi and view[obj[1]] not in STOP_CHARS:
        return None
    if head_class(view[obj[0]:obj[1]]) in _BATCH_NOT_OBJECT:
        return None
    return obj


def _bare_clause(view: str, start: int, end: int, clause: tuple[int, int], prev_end: int) -> bool:
    """The figure is all its clause holds: before it nothing but a few words that say
    how long in all (且, 共, 为期: subjects.yaml duration_clause_cues; not 这两天, 仅仅两天,
    time frames of what follows), after it only the clause's end."""
    if prev_end > clause[0]:
        return False
    cued = False
    for w, _c in tokens(view[clause[0]:start], True):
        if w not in _DURATION_CLAUSE_CUES:
            return False
        cued = cued or not w.isspace()
    k = end
    while k < clause[1] and (view[k] in _CLAUSE_MARKS or view[k].isspace()):
        if view[k] in _SENTENCE_ENDS:
            return True
        k += 1
    # without a cue, only a clause closing the sentence (不到10分钟，炉膛里亮起了…: when)
    return k >= clause[1] and cued


def _sentence_topic(view: str, sentence_start: int, clause_start: int) -> tuple[int, int] | None:
    """The noun phrase opening the sentence (before the figure's clause), when it names
    what went on (会议, 春运, 大会), not who acted (芬兰政府, 记者), a time or a place; else
    None."""
    hi = view.find("，", sentence_start, clause_start)
    k = view.find(",", sentence_start, clause_start)
    if hi < 0 or 0 <= k < hi:
        hi = k
    if hi < 0:
        return None
    # after a dateline or a source (央视网消息（新闻联播）：记者从…获悉)
    lo = max(view.rfind("：", sentence_start, hi), view.rfind(":", sentence_start, hi)) + 1
    lo = max(lo, sentence_start)
    found = phrases_in(tokens(view[lo:hi], False), lo)
    if not found or head_class(view[found[0][0]:found[0][1]]) in _NOT_TOPICS:
        return None
    return found[0]


def _span_word_after(view: str, end: int, next_start: int) -> int:
    """The length of the time-span word (内, 以来 …) right after a duration, else 0."""
    for w in _TIME_SPAN_SUFFIXES:
        if starts_at(view, w, end) and end + len(w) <= next_start:
            # a word of its own (3年中国经济: 中 starts 中国)
            toks = tokens(view[end:min(next_start, end + 4)])
            return len(w) if toks and toks[0][0] == w else 0
    return 0


def time_adverbial(view: str, end: int, clause_end: int) -> bool:
    """24年来，… / 2个多小时内，…: the duration ending at `end` is followed by a time-span
    word (来, 内 …) that closes its clause: it says how long what follows took."""
    for w in _TIME_SPAN_SUFFIXES:
        if starts_at(view, w, end):
            k = end + len(w)
            return k >= clause_end or view[k] in STOP_CHARS
    return False


def framed_period(view: str, start: int, end: int, clause_start: int) -> bool:
    """过去24小时，… / 2024年前11个月，… / 未来三天，… / 前8个月全国铁路发送旅客…: a
    duration opening its clause after a word making it a period of time (subjects.yaml
    period_openers; before the word only a year or a time word) is when what follows
    happened, not something counted: like 24年来，it counts what the next figure of its
    sentence counts. Not one followed by 的 or a span word (过去5年的工作, 前3个月内: read
    as usual), nor one inside a clause (中欧班列前四个月累计开行…), nor 提前3天 (one
    word, not 前)."""
    k = end
    while k < len(view) and view[k] in " \u00a0":
        k += 1
    if k < len(view) and view[k] not in _CLAUSE_MARKS:
        if view[k] == "的" or view.startswith(_TIME_SPAN_SUFFIXES, k):
            return False     # 过去5年的工作, 前3个月内: the words after it read as usual
        # 前8个月全国铁路发送旅客32亿人次: a period opening its clause frames the words
        # after it as much as those of the next clause
    lo = max(clause_start, start - _OPENER_READ)
    if lo >= start:
        return False
    toks = tokens(view[lo:start], True)
    if not toks:
        return False
    w = toks[-1][0]
    before = len(toks) - 1      # the words before the opener
    if w == "年前":
        # 2024年前11个月, 今年前11个月: the dictionary reads 年前 (before the new year)
        # as a word, after a number or 今 / 去
        if before < 1:
            return False
        prev = toks[-2][0]
        if prev + "年" in _PERIOD_TIME_WORDS:
            before -= 1
        elif not prev[-1:].isdigit():
            return False
    elif w not in _PERIOD_OPENERS:
        return False
    if lo > clause_start and view[clause_start:lo].strip():
        return False     # more words before than were read: not opening the clause
    for k in range(before):
        if toks[k][1] not in ("S", "O", "C"):
            return False  # 假期前4天, 乌军过去一天: the period of what is named first
                          # (a list mark before it is no name: （1）前8个月…)
    return True


def _act_before(view: str, start: int, end: int, lo: int) -> tuple[int, int] | None:
    """The act named right before a duration followed by since or during (开通11个多月以来,
    在轨驻留6个月期间), or None: a verb or noun closing the words before it in its clause,
    after any other number, and not a time word (过去)."""
    if not view.startswith(_ACT_SPAN_SUFFIXES, end):
        return None
    lo = max(lo, start - LEFT_WINDOW)
    for k in range(start - 1, lo - 1, -1):
        if view[k].isdigit():
            lo = k + 1       # 截至23日的一周以来: not back across a date
            break
    toks = tokens(view[lo:start], True)
    if not toks or toks[-1][1] not in ("V", "N") or toks[-1][0] in LEFT_CUES:
        return None
    left = left_phrase(view[lo:start], "duration", True)
    if len(left) < 2 or head_class(left) == "time":
        return None
    k = view.rfind(left, lo, start)
    return (k, k + len(left)) if k >= 0 else None


def _restated(view: str, start: int, clause_start: int, sentence_start: int,
              recent: list[Recent]) -> tuple[int, int] | None:
    """193公顷，约合1.93平方公里: a figure after a conversion cue (currency words between
    skipped) restates the figure before it; it counts what that one counted (the last
    subject found in the sentence)."""
    if not recent:
        return None
    lo = max(clause_start, start - _CONVERSION_REACH)
    found = False
    for cue in _CONVERSION_CUES:
        if view.find(cue, lo, start) >= 0:
            found = True
            break
    if not found:
        return None     # most figures: no cue near
    k = start
    while k > clause_start and view[k - 1] in " \u00a0":
        k -= 1
    for w in _CURRENCY_BY_LENGTH:
        if view.endswith(w, clause_start, k):
            k -= len(w)
            break
    if not view.endswith(_CONVERSION_CUES, clause_start, k):
        return None
    lo, hi = recent[-1][0], recent[-1][1]
    return (lo, hi) if lo >= sentence_start and hi <= start else None


Recent = tuple[int, int, str, bool]   # an earlier figure's subject: (lo, hi, unit, is a total)


class _Trace:
    """What `find_subject` saw, for the trainer (tools/train_subjects.py): off unless a
    caller turns it on, and then one row per figure with every candidate's features."""

    def __init__(self) -> None:
        self.on = False
        self.rows: list[tuple[int, int, str | None, list[tuple[str, int, int, dict[str, float]]]]] = []
        self.notes: list[tuple[str, int, int]] = []


_TRACE: Final = _Trace()


def start_trace() -> None:
    _TRACE.on = True
    _TRACE.rows.clear()
    _TRACE.notes.clear()


def stop_trace() -> tuple[list, list]:
    """(rows, notes): one row per `find_subject` call; notes[i] (doc, raw start, raw end)
    says which figure row i was (the caller notes it, see `note_figure`)."""
    _TRACE.on = False
    rows, notes = list(_TRACE.rows), list(_TRACE.notes)
    _TRACE.rows.clear()
    _TRACE.notes.clear()
    return rows, notes


def note_figure(doc: str, start: int, end: int) -> None:
    """While tracing, which figure (doc and raw span) the last `find_subject` was for."""
    if _TRACE.on:
        while len(_TRACE.notes) < len(_TRACE.rows) - 1:
            _TRACE.notes.append(("", -1, -1))
        if len(_TRACE.notes) < len(_TRACE.rows):
            _TRACE.notes.append((doc, start, end))


def use_weights(weights: dict[str, float]) -> None:
    """Score with these weights from now on (the trainer and tools/loro.py)."""
    _WEIGHTS.clear()
    _WEIGHTS.update(weights)
    weigh_slots(weights)


def _load_weights() -> dict[str, float]:
    path = rules.RULES_DIR / "subject_weights.yaml"
    if not path.exists():
        return {}
    d = rules.load_yaml(path)
    return {str(k): float(v) for k, v in (d.get("weights") or {}).items()}


_WEIGHTS: Final[dict[str, float]] = _load_weights()


weigh_slots(_WEIGHTS)
# the slots of the kinds only this module sets (the others: subject_features' S_K_…)
_K_LEFT: Final = slot("k:left")
_K_FUND: Final = slot("k:fund")
_K_UNIT_NOUN: Final = slot("k:unit_noun")
_K_LEFT_NP: Final = slot("k:left_np")
_K_RIGHT_NP: Final = slot("k:right_np")


def _add(cands: list[Candidate], view: str, span: tuple[int, int] | None, kind: int) -> Candidate | None:
    """Add a candidate (or a kind to the same span already there); kind is the slot of
    the feature's name, k:left, k:rel ... (`_K_LEFT`, S_K_REL …: a name looked up for
    every candidate cost a dict probe)."""
    if span is None:
        return None
    lo, hi = span
    while lo < hi and _edge(view, lo):
        lo += 1
    while hi > lo and _edge(view, hi - 1):
        hi -= 1
    if hi <= lo:
        return None
    for c in cands:
        if c.lo == lo and c.hi == hi:
            c.set(kind, 1.0)
            return c
    c = Candidate(lo, hi)
    c.add(kind, 1.0)
    cands.append(c)
    return c


def _edge(view: str, k: int) -> bool:
    """view[k] in EDGE_CHARS, by a table look-up."""
    c = ord(view[k])
    if c < 0x10000:
        return _EDGE_TABLE[c] != 0
    return view[k] in _EDGE_CHARS


_EDGE_CHARS: Final = frozenset(EDGE_CHARS)
_EDGE_TABLE: Final = char_table(_EDGE_CHARS)


def _candidates(view: str, start: int, end: int, unit_class: str | None,
                clause: tuple[int, int], prev_end: int, next_start: int,
                chain: tuple[int, int], sentence: tuple[int, int],
                recent: list[Recent], unit: str) -> list[Candidate]:
    cs, ce = clause
    ss, se = sentence
    chain_start, chain_end = chain
    uc = unit_class or ""
    verbs_ok = uc in VERB_OK_CLASSES
    cands: list[Candidate] = []

    # the phrases the grammar reads first: after the figure (strong: a noun phrase,
    # weak: what was done), before it, a fund named earlier in the sentence
    right_end = min(min(ce, next_start), end + WINDOW)   # (min/max of three call through Python)
    r_from = _past_unit_alternative(view, end, uc, right_end)
    if r_from == end and uc not in _SCALE_MEASURED:
        r_from = _past_scale(view, end, right_end)
    r_lo, r_hi = r_from, right_end
    right, strong = right_phrase(view[r_lo:r_hi], unit_class)
    if r_from > end and right and (not strong or tokens(right)[0][1] == "V"):
        right = ""      # 56万多台（套）保障春耕: past the alternative unit, only a noun phrase is read
    if not right and chain_end > end:
        r_lo, r_hi = chain_end, min(ce, chain_end + WINDOW)
        right, strong = right_phrase(view[r_lo:r_hi], unit_class)
    right_span = locate(view, right, r_lo, r_hi) if right else None
    if right_span is not None and strong and not listed_head(view[max(0, end - 2):end]):
        # 4个国际组织: a verb-tagged word inside a compound the classifier counts whole
        # (not after a figure that names its thing, 四部门发文…)
        whole = compound_over_verb(view, right_span, r_hi)
        if whole is not None and fits_only_whole(view, right_span, whole, uc, unit):
            right_span = whole
    generic = uc in ("money", "percent") and right in GENERIC_MONEY
    l_hi = _before_manner(view, cs, min(start, chain_start))
    # one window before the figure for every phrase read there (its words are cut once)
    l_lo = max(max(cs, min(prev_end, l_hi)), l_hi - _CLAUSE_REACH)
    left = left_phrase(view[l_lo:l_hi], unit_class, verbs_ok, not starts_at(view, "的", end))
    left_span: tuple[int, int] | None = None
    if left:
        k = view.rfind(left, l_lo, l_hi)
        if k >= 0:
            left_span = (k, k + len(left))
    fund = money_noun_before(view, l_hi, prev_end) if uc == "money" else None
    if fund is not None and left_span is not None and _inside_measure(view, fund, left_span):
        fund = left_span    # 基本医保统筹基金收入超…亿元: the fund's income is measured, not the fund
    if right_span is not None:
        right_span = _before_next_list(view, right_span, next_start)
    if left_span is not None and cs < prev_end <= left_span[0] <= prev_end + 1:
        left_span = _after_last_list(view, left_span, start)
    right_kind = S_K_RIGHT if strong and not generic else S_K_RIGHT_WEAK
    if (right_kind == S_K_RIGHT and uc in _PREDICATE_AFTER_CLASSES and right
            and tokens(right)[0][1] == "V" and (left_span is not None or _verb_last(view, l_lo, l_hi))):
        # 中国电影票房突破80亿元 领跑全球电影市场, 预拨0.8亿元支持河北: after a noun phrase or a
        # verb whose object the figure is, a verb after a sum, a share or a count of people
        # opens the next predicate (what was done, what the money is for), not a name of
        # what is counted (a classifier's noun may start with a verb: 45次进攻, 82场集中签约活动)
        right_kind = S_K_RIGHT_WEAK
    elif (right_kind == S_K_RIGHT and uc in _PREDICATE_AFTER_NOUN_CLASSES and left_span is not None
            and left_span[1] == start and _predicate_after_noun(view, left_span, right, uc, unit)):
        right_kind = S_K_RIGHT_WEAK
    elif (right_kind == S_K_RIGHT and right_span is not None and starts_at(view, "的", right_span[1])
            and _act_before_counted(view, right, end, right_end, uc, unit)):
        right_kind = S_K_RIGHT_WEAK
    if (right_span is not None and uc != "duration" and right_span[1] == next_start < len(view)
            and head_class(right) == "action"):
        right_span = None   # 从4077个恢复到5849个: a verb whose object is the next figure counts nothing
    _add(cands, view, right_span, right_kind)
    if right_span is not None:
        # 7名困难群众微心愿: a modifier phrase after the figure ends on a head the
        # classifier does not count; its longest part ending on one it counts is offered
        _add(cands, view, fitting_prefix(view, right_span, uc, unit), right_kind)
    _add(cands, view, left_span, _K_LEFT)
    _add(cands, view, fund, _K_FUND)
    written = _written_unit_noun(view, start, end, unit) if uc in _THING_HEADS else 0
    if written:
        # 天津、山西…等8省区市: a noun used as its own measure names what it counts (a
        # measure of area or length, 800平米, does not: 米 is rice only as a noun)
        _add(cands, view, (end - written, end), _K_UNIT_NOUN)
        if not ends_at(view, unit, start, end):
            # 11部门部署…: after a figure naming its thing the next word is what it did
            cands = [c for c in cands if c.lo != end]

    # more noun phrases: after a 的 on the right (3000余件…捐赠的时令衣服, 98.9%的干部群众),
    # the others in the clause on both sides
    rwin = view[end:right_end]
    after_de: Candidate | None = None
    if rwin.startswith("的"):
        after_de = _add(cands, view, phrase_at(view, end + 1, right_end), S_K_AFTER_DE)
    rel = after_relative(rwin.lstrip(" \u00a0")) if not rwin.startswith("的") else ""
    if rel:
        _add(cands, view, locate(view, rel, end, right_end), S_K_REL)
    lreg_lo = l_lo
    ltoks = tokens(view[lreg_lo:l_hi], True) if l_hi > lreg_lo else ()
    if uc == "money":
        while ltoks and ltoks[-1][0] in CURRENCY_WORDS:
            ltoks = ltoks[:-1]      # 赞助人民币4.2万元: the currency names the unit, not the money
    # the words after the figure up to the end of its clause, as `right_phrase` cuts them
    rstop = stop_in(view, end, right_end)
    rtoks = tokens(view[end:rstop if rstop >= 0 else right_end], False) if right_end > end else ()
    if starts_at(view, _LIST_ITEM_END, end):
        rtoks = ()      # 用工需求9000余人次、资金需求220多亿元: after the 、 is the next item
    # a window cut short by the reach may start inside a word (数字化手段 read from 化):
    # the phrase opening it starts after that word
    whole_from = lreg_lo
    if lreg_lo == l_hi - _CLAUSE_REACH and lreg_lo > max(cs, prev_end):
        whole_from = _past_cut_word(view, lreg_lo)
    n_left = 0
    ranked: list[tuple[int, int]] = []
    for lo, hi in reversed(phrases_in(ltoks, lreg_lo)):
        if lo < whole_from:
            lo = whole_from
            if hi - lo < 2:
                continue
        c = _add(cands, view, (lo, hi), _K_LEFT_NP)
        if c is not None:
            # a phrase joined over a verb comes after its own parts (中欧班列|开行|量): the
            # phrases nearer the figure that rank it are those it does not hold
            own = 0
            for p_lo, p_hi in ranked:
                if lo <= p_lo and p_hi <= hi:
                    own += 1
            c.set(S_RANK, max(c.get(S_RANK, 0.0), float(n_left - own)))
        ranked.append((lo, hi))
        n_left += 1
        if n_left >= _MAX_SIDE:
            break
    n_right = 0
    for lo, hi in phrases_in(rtoks, end):
        c = _add(cands, view, (lo, hi), _K_RIGHT_NP)
        if c is not None:
            c.set(S_RANK, max(c.get(S_RANK, 0.0), float(n_right)))
        n_right += 1
        if n_right >= _MAX_SIDE:
            break
    if r_from > end:
        # 6省（区）: not 区; past the alternative unit only a noun phrase read from its end
        # (56万多台（套）农机装备, not …（套）保障春耕)
        cands = [c for c in cands if c.lo < end or (c.lo >= r_from and c.has(S_K_RIGHT))]

    # the subjects of the figures just before (a breakdown counts what its total counted)
    n_recent = 0
    for k in range(len(recent) - 1, -1, -1):
        lo, hi, r_unit, total = recent[k]
        if hi > start or lo < ss - _PREV_SENTENCE_REACH:
            continue
        c = _add(cands, view, (lo, hi), S_K_RECENT)
        if c is not None:
            if unit and r_unit == unit:
                c.set(S_RECENT_SAME_UNIT, 1.0)
            if lo >= ss:
                c.set(S_RECENT_SAME_SENTENCE, 1.0)
            if total:
                c.set(S_RECENT_TOTAL, 1.0)
        n_recent += 1
        if n_recent >= _MAX_RECENT:
            break

    if uc in PREDICATE_VERB_CLASSES and rtoks and rtoks[0][0] in PREDICATE_VERBS and not rel:
        # 3条发生泄漏, 超过600处处于失控状态, 超1万公里居世界: the words after such a verb are
        # the predicate's, none names what is counted (not 20多种来自世界各地的进口水果)
        before = [c for c in cands if c.lo < end]
        if before:
            cands = before

    base_lo = _comparison_base(ltoks, lreg_lo)
    share = False
    part: Candidate | None = None
    if base_lo < 0 and (uc == "percent" or unit == "倍"):
        base_lo = _share_base(ltoks, lreg_lo, unit == "倍")
        share = base_lo >= 0
    if base_lo >= 0:
        # 比去年同期增长55.6%, ，同比增长0.1%: what it is compared with is not what
        # changed; the phrase before 比 is, and with none in the clause, what the
        # figure just before it in the sentence counted (not an earlier sentence's)
        local: list[Candidate] = []
        recents: list[Candidate] = []
        nearest: Candidate | None = None
        for c in cands:
            if _only_recent(c):
                recents.append(c)
                if c.lo >= ss and (nearest is None or c.hi > nearest.hi):
                    nearest = c
            elif c.lo < base_lo or c.hi > l_hi:
                if not share and c.lo < base_lo < c.hi <= l_hi:
                    # 新品数量较上届增长: a phrase run on into the base (较 tagged a noun)
                    # is cut at it, keeping what the grammar read it as
                    if base_lo - c.lo < 2:
                        continue
                    c.hi = base_lo
                local.append(c)
        part = _share_part(cands, view, base_lo, l_lo, uc, verbs_ok) if share and local else None
        if part is not None:
            cands = [part]
        elif local:
            # 农村人口占全国人口的比重为70%: the part named before 占 is what the share counts
            cands = local if share else local + recents
        elif nearest is not None:
            cands = [nearest]
        elif not share:
            cands = []
        # (a share whose part no figure of the sentence counted keeps the scored choice)

    point_lo, point_hi = _start_point(ltoks, lreg_lo)
    if point_lo >= 0:
        # 湖泊从低谷时的4077个恢复到…: what it started from is not what it counts
        cands = [c for c in cands if c.lo < point_lo or c.hi > point_hi]

    if uc == "percent" and l_hi - l_lo > _WITHIN_MIN:
        within = _share_within(view, l_lo, l_hi)
        if within >= 0:
            # 煤炭在一次能源消费中的占比也从68.5%: the part before 在, not the whole nor
            # 占比; with none in the clause, what a figure before counted
            part_of = [c for c in cands if c.lo < within and not _only_recent(c)]
            if not part_of:
                part_of = [c for c in cands if c.lo < within]
            if part_of:
                cands = part_of

    if uc == "percent" and l_hi - l_lo > _CONTRIBUTION_MIN:
        to = _contribution_to(view, l_lo, l_hi)
        if to >= 0:
            # 服务业增长对经济增长贡献率超过60%: what contributes stands before 对, not the
            # growth it contributes to nor 贡献率 alone; with none in the clause, what a
            # figure before counted (服务业规模首次突破80万亿元，对国民经济增长的贡献率…)
            contributor = [c for c in cands if c.hi <= to and not _only_recent(c)
                           and head_class(view[c.lo:c.hi]) != "time"]     # (not 多年来)
            if not contributor:
                contributor = [c for c in cands if c.hi <= to and c.lo >= ss
                               and head_class(view[c.lo:c.hi]) != "time"]
            if contributor:
                cands = contributor

    if uc == "percent" and _names_share(view, end, right_end, rtoks,
                                        _breaks_down(view, start, ss, recent)):
        # 自管党员207人，100%为志愿者: what follows 为 is what the share is
        kept = [c for c in cands if c.lo < end]
        if kept:
            cands = kept
    # (价值2.75亿美元的军事装备: money said as the value of the noun after 的 counts it too)
    valued = uc == "money" and ends_any(view, _VALUE_WORDS, max(0, start - _VALUE_MAX), start)
    if after_de is not None and len(cands) > 1 and _reached_by_change(ltoks):
        # 回落到2%的目标水平, 增长到…的峰值: the noun after 的 names the level reached, and
        # the figure counts what changed, named before the change verb
        cands = [c for c in cands if c is not after_de]
    if (after_de is not None and after_de in cands
            and (valued or (uc == "percent" and base_lo < 0 and point_lo < 0
                            and not _after_threshold(ltoks, lreg_lo, start)))):
        # 超过一半的参展企业, 省下了一半的能耗空间: a share written right before 的 counts
        # the noun after it, not the place, actor or verb before it; where a longer phrase
        # starts there (全球 of 全球新增绿化面积, 货车 of 货车出岛任务: the noun phrase was cut
        # at a verb, which may as well be the clause's) the scored choice stands
        cut = False
        for c in cands:
            if c.lo == after_de.lo and c.hi > after_de.hi:
                cut = True
                break
        if (not cut and _counted_after_de(view[after_de.lo:after_de.hi])
                and not starts_any(view, _SHARE_NOUN_MEASURES, after_de.hi)):
            cands = [after_de]      # (not 科技支出10%的整体 of 整体增速)
    _bare_attributes(cands, view, ss, recent)
    measured = _measured_attributes(uc, unit)
    if measured:
        _attribute_takes_act(cands, view, measured, ltoks, lreg_lo)
    if uc == "duration":
        cands = _timed(cands, view, start, ltoks, lreg_lo, rtoks)

    if fund is not None:
        # 开展“特殊党费”捐助活动…筹措了近3万元的资金: a generic 资金 yields to the fund
        # named earlier in the sentence
        cands = [c for c in cands if view[c.lo:c.hi] not in GENERIC_MONEY]

    _finish(cands, view, start, end, unit_class, clause, sentence, next_start, lreg_lo, ltoks, rtoks, right_end)
    if part is not None:
        cands = [part]      # the part before 占 decides, not its stripped variant (法人单位数)
    elif measured:
        cands = _keep_measured(cands, view, measured)
    if unit not in SUBJECT_CLASSED_UNITS:     # (个, 项: the class is not known yet)
        _head_of_relative(cands)
    # a figure whose clause offers no phrase fitting its classifier (新收4526件) leans on
    # the phrases outside the clause (the subjects of the figures before it)
    local_fit = False
    for c in cands:
        if c.has(S_FIT) and not c.has(S_OUT_CLAUSE):
            local_fit = True
            break
    if not local_fit:
        for c in cands:
            if c.has(S_OUT_CLAUSE):
                c.set(S_NO_LOCAL_FIT, 1.0)
    return cands


def _predicate_after_noun(view: str, left: tuple[int, int], right: str, uc: str, unit: str) -> bool:
    """湖南、贵州两省启动…应急响应: a noun phrase right before a figure of things whose head
    the classifier counts is what it counts, and the verb after it opens the next predicate,
    unless the phrase that verb leads ends on a head the classifier counts too (中冶集团9家
    疏解企业)."""
    if unit in SUBJECT_CLASSED_UNITS:
        return False    # (恐怖组织1个作战指挥部: 个 counts anything, the phrase before may own it)
    hc = head_class(view[left[0]:left[1]])
    if hc == "action" or (not fits_head(view[left[0]:left[1]], uc, unit)
                          and not (uc == "orgs" and hc == "place")):
        return False    # (全国60多万台联合收割机: a place before things is where they are)
    ltoks = tokens(view[left[0]:left[1]], True)
    rtoks = tokens(right, True)
    if not ltoks or ltoks[0][1] != "N" or ltoks[-1][1] != "N" or not rtoks:
        return False
    if rtoks[0][1] != "V" and tag(rtoks[0][0]) != "vn":
        return False
    return not fits_head(right, uc, unit)


def _act_before_counted(view: str, right: str, end: int, right_end: int, uc: str, unit: str) -> bool:
    """十多个影响效率的难题: a phrase after the figure led by a verb (or a verbal noun), whose
    head the classifier does not count, closed by a 的 before a noun it counts, is a clause
    modifying what is counted (not 5个投资项目的进度: 项目 is counted)."""
    toks = tokens(right, True)
    if not toks or (toks[0][1] != "V" and tag(toks[0][0]) != "vn") or fits_head(right, uc, unit):
        return False
    head = after_relative(view[end:right_end].lstrip(" \u00a0"))
    return bool(head) and fits_head(head, uc, unit)


def _verb_last(view: str, lo: int, hi: int) -> bool:
    """The last word of view[lo:hi] is a verb (not a cue such as 达, 为)."""
    if hi <= lo:
        return False
    toks = tokens(view[lo:hi], True)
    return bool(toks) and toks[-1][1] == "V" and toks[-1][0] not in LEFT_CUES


def _past_cut_word(view: str, k: int) -> int:
    """Where the word that a cut at view[k] splits ends (数字化 of 数字|化手段, by the
    likeliest cut around k), or k when the cut splits none."""
    lo = max(0, k - 4)
    w = word_across(view, k, lo, 4)
    if not w:
        return k
    j = view.find(w, lo, k + 4)
    return j + len(w) if 0 <= j < k < j + len(w) else k


def _inside_measure(view: str, fund: tuple[int, int], left: tuple[int, int]) -> bool:
    """The fund named at `fund` lies inside the phrase before the figure (`left`), which
    goes on past it to a noun that measures an activity of it (基金收入); not to an
    attribute word, which the fund's own amount is (投资金额: the fund decides)."""
    return (left[0] <= fund[0] and fund[1] < left[1] and ends_any(view, _ACTIVITY_MEASURES, left[0], left[1])
            and not ends_any(view, _ATTRIBUTE_NOUNS, left[0], left[1]))


def _before_manner(view: str, lo: int, hi: int) -> int:
    """Where a manner phrase right before the figure starts (欧元区6月通胀率按年率计算为5.5%:
    the offset of 按), else `hi`: what is measured stands before it, not inside it
    (subjects.yaml manner_opens, manner_closes; manner_links between it and the figure)."""
    tail = view[max(lo, hi - _MANNER_TAIL):hi]
    gate = False
    for ch in _MANNER_LAST_CHARS:
        if ch in tail:
            gate = True
            break
    if not gate:
        return hi       # the common case: no closing word's last character near the figure
    k = hi
    for w in _MANNER_LINKS:
        if ends_at(view, w, max(lo, k - len(w)), k):
            k -= len(w)
            break
    for close in _MANNER_CLOSES:
        if ends_at(view, close, max(lo, k - len(close)), k):
            top = k - len(close)
            for open_ in _MANNER_OPENS:
                j = view.rfind(open_, max(lo, top - _MANNER_REACH), top)
                if j >= 0 and top - j > len(open_) and stop_in(view, j, top) < 0:
                    return j
            break
    return hi


def _written_unit_noun(view: str, start: int, end: int, unit: str) -> int:
    """The length of the noun the figure ends on when that noun is its own measure and a
    listed head of a counted thing (8省区市, 11部门: 部门 is written, its canonical unit
    个 is not), else 0."""
    if len(unit) > 1 and ends_at(view, unit, start, end) and listed_head(unit) in _THING_HEADS:
        return len(unit)
    for n in _UNIT_NOUN_LENGTHS:
        if end - n > start and not view[end - n].isdigit():
            w = view[end - n:end]
            if w != unit and w in _WRITTEN_UNIT_NOUNS:
                return n
    return 0


def _head_across_end(view: str, end: int, unit_class: str | None, unit: str) -> tuple[int, int] | None:
    """满足100万人口的…用电需求: the unit's last character starts a word the likeliest cut
    reads across the figure's end, a head word of the figure's own class (人口, people):
    that word is what is counted (a unit is never split off a word)."""
    if not unit or not unit_class or end >= len(view) or end - len(unit) < 0:
        return None
    if HEADS.get(view[end - 1:end + 1]) != unit_class and HEADS.get(view[end - 1:end + 2]) != unit_class:
        return None        # most figures: no head word of their class starts on the unit's end
    w = word_across(view, end, end - len(unit))
    if not w or HEADS.get(w) != unit_class:
        return None
    lo = view.find(w, end - len(unit), end + len(w))
    return (lo, lo + len(w)) if end - len(unit) <= lo < end else None


def _past_scale(view: str, end: int, hi: int) -> int:
    """20个百亿级优势特色产业, 5个千亿级产业集群: a bare number made a modifier by 级 right
    after a count is the scale of what is counted; the phrase starts past it (else end)."""
    k = end
    scale = False
    while k < hi and (view[k] in _SCALE_CHARS):
        scale = scale or view[k] in _MAGNITUDE_CHARS
        k += 1
    if not scale or k >= hi:
        return end      # (11家二级医院: a grade, one word with the noun)
    past = past_figure_suffix(view, k)
    return past if past > k else end


def _past_unit_alternative(view: str, end: int, unit_class: str, hi: int) -> int:
    """Where the phrase after the figure starts: past a bracket right after the unit
    that holds another unit or a head word of the unit's class (等6省（区）, 396.5万头
    （只）牲畜), an alternative measure, not what is counted."""
    if end >= hi or view[end] not in _ALT_OPEN:
        return end
    close = view.find(_ALT_OPEN[view[end]], end + 2, min(hi, end + 2 + _ALT_MAX))
    if close < 0:
        return end
    inner = view[end + 1:close]
    if inner in _UNIT_WORDS or (unit_class and HEADS.get(inner) == unit_class):
        return close + 1
    return end


def _timed(cands: list[Candidate], view: str, start: int, ltoks: tuple[Token, ...], lo: int,
           rtoks: tuple[Token, ...]) -> list[Candidate]:
    """The candidates that may say what a duration times: what lasts or is timed. A verb
    that says what was done to the time or what came at its end (subjects.yaml
    duration_not_subjects: 缩短至2分钟, 再延长30年, 连续3个月下降, 4分钟就能下线) is never
    one. When such a verb stands before the figure, what is timed is the phrase before
    the verb in the clause, before any comparison (称重过程被缩短到了5分钟, 土地承包到期后
    再延长30年, 开河时间较常年提前一周), no place or time; with none, no subject (the
    caller lends the sentence's last one of the same unit). After 用 or 花 (团队用5年时间)
    the words before name who spends the time: the candidates are scored as usual. When
    the verb follows the figure, what is timed stands before it or is the verb's object
    (在2到3天内完成…起草工作), never what a figure before counted. A period right after
    比 or 较 (比上一个五年下降4.3%) is what is compared with: none."""
    kept = [c for c in cands if view[c.lo:c.hi] not in _DURATION_NOT_SUBJECTS]
    hi = -1             # where the governing verb starts, when one governs
    k = len(ltoks) - 1
    pos = start
    while k >= 0 and ltoks[k][0] in _BASE_PERIOD_WORDS:
        pos -= len(ltoks[k][0])
        k -= 1
    if k >= 0 and (ltoks[k][0] in _COMPARISON_WORDS or ltoks[k][0].startswith(_COMPARISON_CHARS)):
        return []       # 比上一个五年下降4.3%, 较前一年: the period compared with
    cmp = -1            # where a comparison before the governing verb starts (较常年提前)
    while k >= 0 and (ltoks[k][0] in LEFT_CUES or ltoks[k][0] in _DURATION_LINKS or ltoks[k][0].isspace()):
        pos -= len(ltoks[k][0])
        k -= 1
    if k >= 0 and ltoks[k][0] in _DURATION_GAPS:
        return _gap_of(kept, view, lo, pos - len(ltoks[k][0]))
    spent = k >= 0 and ltoks[k][0] in _DURATION_USE_VERBS
    if k >= 0 and ltoks[k][0] in _DURATION_NOT_SUBJECTS:
        hi = pos - len(ltoks[k][0])
    else:
        i = 0
        while i < len(rtoks) and rtoks[i][0] in _DURATION_LINKS:
            i += 1
        run = len(ltoks) > 0 and ltoks[-1][0] in _DURATION_RUNS
        if i < len(rtoks) and (rtoks[i][0] in _DURATION_NOT_SUBJECTS or (run and rtoks[i][1] == "V")):
            # 连续3个月下降: what is timed stands before; 在2到3天内完成…起草工作: or is
            # what the verb acts on; never what a figure before counted. After 连续 any
            # verb says what held for the run (永定河连续五年实现全线流动, 连续三年破千亿元):
            # what held stands before it, never the verb or its object (with nothing
            # before it in the clause, 连续六天推出特别节目, the act is scored as usual)
            listed = rtoks[i][0] in _DURATION_NOT_SUBJECTS
            obj = rtoks[i][0] in _DURATION_OBJECT_VERBS and not run
            held = [c for c in kept if not _only_recent(c) and (obj or c.hi <= start)
                    and head_class(view[c.lo:c.hi]) not in _NOT_THINGS]
            if not held and run:
                # 采购经理指数为50.4%，连续两个月位于扩张区间: nothing before 连续 in
                # the clause, so what held is what the figure before in the sentence counted
                held = _nearest_recent(cands)
            return held if held or listed else kept
    if hi < 0 or spent:
        return kept
    p = hi
    for j in range(k - 1, -1, -1):
        p -= len(ltoks[j][0])
        if _compares(ltoks[j][0]):
            cmp = p
            break
    top = cmp if cmp >= lo else hi
    named = left_phrase(view[lo:top], "duration", True) if top > lo else ""
    if len(named) > 1 and named not in _DURATION_NOT_SUBJECTS and head_class(named) not in _NOT_THINGS:
        # 土地承包到期后再延长30年: the phrase the verb is said of (verbs read, as a
        # duration's subject may be an act: 驻村3天)
        k = view.rfind(named, lo, top)
        if k >= 0:
            return [Candidate(k, k + len(named))]
    out: list[Candidate] = []
    for c in kept:
        if c.hi <= hi and c.lo >= lo and not _only_recent(c) and head_class(view[c.lo:c.hi]) not in _NOT_THINGS:
            out.append(c)
    return out


def _compares(word: str) -> bool:
    """The word opens a comparison (比, 较去年, 同比增长 …): what follows is a base."""
    return word in _COMPARISON_WORDS or word.startswith(_COMPARISON_HEADS)


def _before_next_list(view: str, span: tuple[int, int], next_start: int) -> tuple[int, int]:
    """15个行业和北京、上海等43个城市: a phrase after a count that runs past 和 up to the 等 of
    the next count's list is cut at that 和; the rest is the next figure's list."""
    lo, hi = span
    if not starts_at(view, "等", hi) or next_start - hi - 1 > _NEXT_LIST_GAP:
        return span
    j, _ = _first_joiner(view, lo, hi)
    return (lo, j) if j > lo + 1 else span


def _after_last_list(view: str, span: tuple[int, int], start: int) -> tuple[int, int]:
    """冶金、汽车等10个千亿级工业产业和蔗糖、水果等6个: the phrase before a list's 等 and its
    count, opened right after the figure before, holds that figure's noun up to 和: it
    starts past that 和."""
    lo, hi = span
    if not starts_at(view, "等", hi) or start - hi - 1 > _NEXT_LIST_GAP:
        return span
    j, n = _first_joiner(view, lo, hi)
    return (j + n, hi) if j > lo and hi - j - n > 1 else span


def _first_joiner(view: str, lo: int, hi: int) -> tuple[int, int]:
    """Where the first joining word (和, 与, 及 …) inside view[lo:hi] starts, and its length;
    (-1, 0) with none."""
    best, n = -1, 0
    for w in _LIST_RUN_JOINERS:
        j = view.find(w, lo + 1, hi)
        if j >= 0 and (best < 0 or j < best):
            best, n = j, len(w)
    return best, n


def _gap_of(kept: list[Candidate], view: str, lo: int, gap: int) -> list[Candidate]:
    """时隔17年再上太空: who or what acts again is the phrase before the gap word (a person or
    a place too), never a phrase run on into it; with none in the clause (很高兴时隔6年再次
    访问沙特) the candidates that do not hold the word."""
    named = left_phrase(view[lo:gap], "duration", True) if gap > lo else ""
    if len(named) > 1 and head_class(named) != "time":
        k = view.rfind(named, lo, gap)
        if k >= 0:
            return [Candidate(k, k + len(named))]
    return [c for c in kept if not ends_any(view, _GAP_WORDS, c.lo, c.hi)]


def _nearest_recent(cands: list[Candidate]) -> list[Candidate]:
    """The subject of the nearest figure before in the same sentence, alone, or none."""
    nearest: Candidate | None = None
    for c in cands:
        if _only_recent(c) and c.has(S_RECENT_SAME_SENTENCE) and (nearest is None or c.hi > nearest.hi):
            nearest = c
    return [] if nearest is None else [nearest]


def _only_recent(c: Candidate) -> bool:
    """The candidate was offered only as an earlier figure's subject."""
    for k in c.slots:
        if k != S_K_RECENT and _is_kind(k):
            return False
    return c.has(S_K_RECENT)


def _is_kind(k: int) -> bool:
    """Feature slot k is a kind (k:left, k:rel …): how the candidate was offered."""
    return slot_name(k).startswith("k:")


def _is_copied(k: int) -> bool:
    """Feature slot k passes to the phrase stripped of its closing attribute words."""
    name = slot_name(k)
    return name.startswith("k:") or name.startswith("recent") or name == "rank"


def _comparison_base(toks: tuple[Token, ...], lo: int) -> int:
    """Where the comparison base before a change figure starts (比2024年端午节假期增长3%,
    较上年减少: the offset of 比), or -1: the last comparison word of the words before
    the figure (toks, from view offset lo), when only a change verb (and 了) follows the
    base (subjects.yaml comparison_words, change_verbs)."""
    k = len(toks) - 1
    while k >= 0 and (toks[k][0] in _AFTER_CHANGE or toks[k][0].isspace()):
        k -= 1
    if k >= 0 and toks[k][0] not in _CHANGE_VERBS and _glued_change(toks[k][0]):
        # ，同比增加22.08%: the dictionary's one word for the base and the change (not
        # a phrase before the figure); what changed is named before it, as for 同比|增长
        pos = lo
        for w, _c in toks[:k]:
            pos += len(w)
        return pos
    if k >= 1 and toks[k][0] not in _CHANGE_VERBS:
        return _comparative_base(toks, lo)
    if k < 1:
        return -1
    pos = lo
    for w, _c in toks[:k]:
        pos += len(w)
    for i in range(k - 1, -1, -1):
        w = toks[i][0]
        pos -= len(w)
        if _compares(w):
            return pos
        if w in _COMPARISON_GLUED:
            return pos + len(w) - 1     # 订单量较去年春节假期增长: 较 cut with the noun's 量
        if toks[i][1] == "V" or w in _CLAUSE_MARKS:
            return -1       # 较好回升态势: no base, a verb before the change
    return -1


def _glued_change(word: str) -> bool:
    """A change head and a change verb written as one word (同比增加)."""
    for h in _COMPARISON_HEADS:
        if word.startswith(h) and word[len(h):] in _CHANGE_VERBS:
            return True
    return False


def _comparative_base(toks: tuple[Token, ...], lo: int) -> int:
    """Where the base after a comparative verb starts (增速高于同期商品零售额3.7个百分点,
    快于全部投资6.7个百分点: the offset of 高于), or -1: nouns back from the figure to one
    of subjects.yaml comparative_words. The base is what is compared with, never the subject."""
    nouns = 0
    for i in range(len(toks) - 1, -1, -1):
        w, c = toks[i]
        if w in _COMPARATIVE_WORDS:
            if not nouns:
                return -1
            pos = lo
            for j in range(i):      # (the offset is summed only when a base is found)
                pos += len(toks[j][0])
            return pos
        if c in ("N", "M", "Q", "J") or w in _BASE_RATE_WORDS:
            nouns += 1      # (高于全国外贸增速: 增速 is tagged a verb)
        elif not (c == "S" and (w[0].isdigit() or w.endswith("年") or w in _BASE_INNER)):
            return -1
    return -1


def _start_point(toks: tuple[Token, ...], lo: int) -> tuple[int, int]:
    """The words between 从/由/比/较 and a 的 right before the figure (湖泊从低谷时的4077个,
    由开通初期的日均2列, 较2015年高峰时期的13.9万件: view offsets of 低谷时), or (-1, -1):
    the point a change started from or its base, never what the figure counts
    (subjects.yaml start_point_words)."""
    k = len(toks) - 1
    while k >= 0 and toks[k][0] in LEFT_CUES and toks[k][0] != "的":
        k -= 1          # 的日均2列: a cue between the 的 and the figure
    if k < 1 or toks[k][0] != "的":
        return -1, -1
    width = 0
    for i in range(k - 1, -1, -1):
        w = toks[i][0]
        if w in _START_POINT_WORDS or _change_to(toks, i):
            if not width:
                return -1, -1
            pos = lo
            for j in range(i + 1):      # (the offset is summed only when one is found)
                pos += len(toks[j][0])
            return pos, pos + width
        width += len(w)
        if width > _START_POINT_REACH or w in _CLAUSE_MARKS or w.isspace() or w == "的":
            return -1, -1
    return -1, -1


def _change_to(toks: tuple[Token, ...], i: int) -> bool:
    """toks[i] is 到 or 至 right after a change verb (增长到如今的10亿多亩, 回落到2%): the
    point the change ended at (subjects.yaml end_point_words)."""
    return toks[i][0] in _END_POINT_WORDS and i > 0 and toks[i - 1][0] in _CHANGE_VERBS


def _reached_by_change(ltoks: tuple[Token, ...]) -> bool:
    """The figure is where a change ended (回落到2%的目标水平): the words before it, cues
    aside, close on a change verb and 到."""
    k = len(ltoks) - 1
    while k >= 0 and ltoks[k][0] in LEFT_CUES and ltoks[k][0] not in _END_POINT_WORDS:
        k -= 1      # (到 is a cue too)
    return k >= 1 and _change_to(ltoks, k)


def _last_closing(view: str, words: tuple[str, ...], lo: int, hi: int, tail: int) -> int:
    """The offset of the last of `words` that ends within `tail` characters of hi in
    view[lo:hi] with no clause mark after it, or -1."""
    k = -1
    for w in words:
        j = view.rfind(w, max(lo, hi - len(w) - tail), hi)
        if j > k:
            k = j
    if k < 0 or any(ch in _CLAUSE_MARKS for ch in view[k:hi]):
        return -1
    return k


def _share_within(view: str, lo: int, hi: int) -> int:
    """Where a whole a share is said to be in opens (煤炭在一次能源消费中的占比也从68.5%: the
    offset of 在), or -1: a share word (subjects.yaml share_within) closing view[lo:hi] but
    for a few cues, after 中 (and 的), after 在."""
    k = _last_closing(view, _WITHIN_WORDS, lo, hi, _WITHIN_TAIL)
    if k < 0:
        return -1
    if view.startswith("的", k - 1):
        k -= 1
    close = -1
    for w in _WITHIN_CLOSES:
        if view.startswith(w, k - len(w)):
            close = k - len(w)
            break
    if close <= lo:
        return -1
    for w in _WITHIN_OPENS:
        j = view.rfind(w, max(lo, close - _WITHIN_REACH), close)
        if j >= 0 and j + len(w) < close and not any(ch in _CLAUSE_MARKS for ch in view[j:close]):
            return j
    return -1


def _contribution_to(view: str, lo: int, hi: int) -> int:
    """Where what a contribution is made to opens (…对经济增长的贡献率为41.3%: the offset
    of 对), or -1: a contribution word (subjects.yaml contribution_to) closing view[lo:hi]
    but for a few cues, after 对 and what it governs, all in one clause."""
    k = _last_closing(view, _CONTRIBUTION_WORDS, lo, hi, _CONTRIBUTION_TAIL)
    if k < 0:
        return -1
    for w in _RESPECTIVELY:
        if w in view[k:hi]:
            return -1       # (…对经济增长的贡献率分别是52%、16.8%: a list lines them up)
    for w in _CONTRIBUTION_OPENS:
        j = view.rfind(w, max(lo, k - _CONTRIBUTION_REACH), k)
        if j >= 0 and j + len(w) < k and not any(ch in _CLAUSE_MARKS for ch in view[j:k]):
            return j
    return -1


def _share_base(toks: tuple[Token, ...], lo: int, multiple: bool = False) -> int:
    """Where the whole a share or multiple is of starts (占国土面积比例已达到80.3%, 仅为全国
    平均水平的1/4: the offset of 占 or 为), or -1: cues and a change before the figure
    skipped (比重下降到), a closing word (subjects.yaml share_ends), then the whole back to
    a share verb (share_verbs). After the verbs of a part (占, `part_verbs`) any closing
    word ends the whole, or none (占口岸总车流量近六成), and the whole may hold verbs
    (占我国进出口总值的, 占到了全美新增新冠确诊病例的); after the others only 的 closes
    it, and it holds nouns only, unless the figure is a multiple (是公共充电设施的3倍多)."""
    k = len(toks) - 1
    while k >= 0:
        if k > 0 and _skipped_before_share(toks[k - 1][0] + toks[k][0]):
            k -= 2           # 比重下降到: 下降到 may be cut 下|降到
        elif _skipped_before_share(toks[k][0]):
            k -= 1
        else:
            break
    if k < 1:
        return -1
    closing = toks[k][0] if toks[k][0] in _SHARE_ENDS else ""
    if closing:
        if closing != "的" and toks[k - 1][0] == "的":
            k -= 1           # 占全国人口的比重: the whole closes on 的
            closing = "的"
    else:
        k += 1               # 占口岸总车流量近六成: the whole runs to the figure
    pos = lo
    for w, _c in toks[:k]:
        pos += len(w)
    nouns = 0
    inner = 0            # words inside the whole that are no nouns: 全部, 以上, 新增, 充电
    width = 0
    for i in range(k - 1, -1, -1):
        w, c = toks[i]
        pos -= len(w)
        verb = _share_verb(w)
        if verb and nouns:
            part = verb in _PART_VERBS
            if not (closing == "的" or (part and (closing or not inner))):
                return -1
            if inner and not (part or multiple):
                return -1
            return pos
        width += len(w)
        if width > _SHARE_WHOLE_MAX or w in _CLAUSE_MARKS or w.isspace():
            return -1
        if c in ("N", "M", "Q", "J"):
            nouns += 1
        elif c == "S" and (w[0].isdigit() or w.endswith("年")):
            continue         # 占2024年全国的: a year inside the whole
        elif c in ("V", "S"):
            inner += 1
        else:
            return -1
    return -1


def _share_part(cands: list[Candidate], view: str, base: int, lo: int, uc: str,
                verbs_ok: bool) -> Candidate | None:
    """The part a share counts when the grammar's phrase ends right before its share verb
    (我国煤电发电量占总发电量的比重, 法人单位数占全部…的比重): that phrase whole, not a
    shorter one inside it (发电量) or one stripped of its attribute (法人单位)."""
    named = left_phrase(view[lo:base], uc, verbs_ok) if base > lo else ""
    if not named or not view.startswith(named, base - len(named)):
        return None
    for c in cands:
        if c.lo == base - len(named) and c.hi == base:
            return c
    return None


def _skipped_before_share(word: str) -> bool:
    """A word between the whole's closing word and the figure: a cue (达, 已达到) or a
    change of the share (比重下降到49.7%)."""
    if word in _SHARE_ENDS:
        return False
    return word in LEFT_CUES or word.isspace() or word in _CHANGE_VERBS or word in _SHARE_LINKS


def _share_verb(word: str) -> str:
    """The share verb `word` is or opens ('' for none): 占总 is cut as one word
    (占总发电量), its 占 opens the whole (subjects.yaml share_verbs_glued)."""
    if word in _SHARE_VERBS:
        return word
    if word in _SHARE_VERBS_GLUED:
        return word[0]
    return ""


def _counted_after_de(phrase: str) -> bool:
    """Whether the noun after a share's 的 is what the share counts (30%左右的场地), not a
    measure or a goal the share is (8%的增长, 5%的增速, 30%的市场份额, 6%左右的目标)."""
    if head_class(phrase) in _SHARE_NOUN_NOT_COUNTED or phrase in _ATTRIBUTE_WORDS:
        return False
    for w in _SHARE_NOUN_MEASURES:
        if w in phrase:
            return False        # (速度快速增长, 目标水平: also where the phrase runs on)
    return True


def _after_threshold(ltoks: tuple[Token, ...], lo: int, start: int) -> bool:
    """The figure right after a change or a threshold verb (性能提升五成的钢板, 患病率大于
    十万分之一的县, 达到4%的峰值): it is a change or a bound of what stands before, and
    the noun after 的 is what has it, not what it counts."""
    if not ltoks:
        return False
    pos = lo
    for w, _ in ltoks:
        pos += len(w)
    if pos != start:
        return False
    w = ltoks[-1][0]
    return w in _CHANGE_VERBS or w in _SHARE_THRESHOLD_VERBS


def _head_of_relative(cands: list[Candidate]) -> None:
    """3000余件局干部职工及社会各界热心人士捐赠的时令衣服: a phrase inside the relative
    clause after the figure (the donors) whose head the classifier does not count yields
    to the head of that clause when the classifier counts it."""
    head_fits = False
    for c in cands:
        if c.has(S_K_REL) and c.has(S_FIT):
            head_fits = True
            break
    if not head_fits:
        return
    for c in list(cands):
        if c.has(S_INSIDE_REL) and c.has(S_MISFIT):
            cands.remove(c)


def _names_share(view: str, end: int, right_end: int, rtoks: tuple[Token, ...],
                 after_total: bool) -> bool:
    """A share followed by 为/是 (100%为志愿者), or one breaking down a total given
    before it in the sentence followed by a verb (问题清单7.1万多项，其中…20%建立长效
    机制; 引进项目67个，八成来自沪苏浙地区): the words after it say what the share is or
    does."""
    k = end
    while k < right_end and view[k] in " \u00a0":
        k += 1
    for w in _SHARE_PREDICATES:
        if starts_at(view, w, k):
            return True
    i = 0
    while i < len(rtoks) and i < 2 and (rtoks[i][0] in _SHARE_ADVERBS or tag(rtoks[i][0]) == "d"):
        i += 1      # 已经, 将, 都
    if i >= len(rtoks):
        return False
    if i > 0 and rtoks[i][0] in _SHARE_PREDICATES:
        return True     # 60%以上都是外省来的年轻设计师
    return after_total and rtoks[i][1] == "V" and rtoks[i][0] not in LEFT_CUES


def _breaks_down(view: str, start: int, sentence_start: int, recent: list[Recent]) -> bool:
    """The share opens its clause (，其中20%…) after a figure of the sentence that is not
    a share itself (问题清单7.1万多项): it is a part of that total."""
    total = False
    for r in range(len(recent) - 1, -1, -1):
        if recent[r][0] < sentence_start:
            break
        if recent[r][2] != "%":
            total = True
            break
    if not total:
        return False
    k = after_last(view, _CLAUSE_MARKS, start)
    return view[k:start].strip() in _SHARE_OPENERS


def _bare_attributes(cands: list[Candidate], view: str, sentence_start: int,
                     recent: list[Recent]) -> None:
    """An attribute word alone (人数, 金额) measures something else: it yields to a
    candidate that names whose (党政领导干部企业兼职人数), and one opening its clause
    (…购物卡、涉及金额5.2亿元) stands for the subject of the figure before it in the
    sentence (as 其规模 stands for the phrase before, `referent`)."""
    for c in list(cands):
        n = c.hi - c.lo
        if n < 0 or not (_ATTRIBUTE_LENGTH_BITS >> n) & 1 or view[c.lo:c.hi] not in _ATTRIBUTE_WORDS:
            continue
        if starts_any(view, _THRESHOLDS, c.hi):
            cands.remove(c)      # 规模以上工业增加值: a size class, not a subject
            continue
        extended = False
        for o in cands:
            if o is not c and o.hi == c.hi and o.lo < c.lo:
                extended = True
                break
        if extended:
            cands.remove(c)
            continue
        k = after_last(view, _CLAUSE_MARKS, c.lo)
        if k < sentence_start or (k < c.lo and view[k:c.lo].strip() not in _ATTRIBUTE_OPENERS):
            continue
        for r in range(len(recent) - 1, -1, -1):
            lo, hi = recent[r][0], recent[r][1]
            if lo >= sentence_start and hi <= k:
                c.lo, c.hi = lo, hi
                c.set(S_MOVED, 1.0)
                break


def _measured_attributes(uc: str, unit: str) -> tuple[str, ...]:
    """The attribute words the figure's unit measures (面积 for 亩, 时间 for a duration):
    subjects.yaml measured_attributes, keyed by unit or unit class."""
    return _MEASURED.get(unit) or _MEASURED.get(uc) or ()


def _attribute_takes_act(cands: list[Candidate], view: str, measured: tuple[str, ...],
                         ltoks: tuple[Token, ...], lo: int) -> None:
    """A measured attribute alone right after a verb (存续时间超过两千年, 新增水土流失治理面积)
    is that act's: the candidate takes the verb and the nouns just before it (存续时间,
    水土流失治理面积), as 参观人数 keeps 参观."""
    for c in cands:
        if view[c.lo:c.hi] not in measured:
            continue
        pos = lo
        k = 0
        while k < len(ltoks) and pos < c.lo:
            pos += len(ltoks[k][0])
            k += 1
        if pos != c.lo or k == 0 or ltoks[k - 1][1] != "V" or ltoks[k - 1][0] in LEFT_CUES:
            continue
        k -= 1
        pos -= len(ltoks[k][0])
        while k > 0 and ltoks[k - 1][1] in ("N", "M") and ltoks[k - 1][0] not in LEFT_CUES:
            k -= 1
            pos -= len(ltoks[k][0])
        c.lo = pos


def _keep_measured(cands: list[Candidate], view: str, measured: tuple[str, ...]) -> list[Candidate]:
    """A phrase closing on the attribute its figure's unit measures keeps it: 已完成机耕面积
    近400万亩 counts 机耕面积, not the act 机耕 (a candidate that is the same phrase cut
    short of the attribute is dropped)."""
    out: list[Candidate] = []
    widened: set[int] = set()
    for c in cands:
        whole = None        # (吉林省秋粮种植面积: neither 吉林省秋粮 nor 吉林省秋粮种植)
        for o in cands:
            if o.lo == c.lo and o.hi > c.hi and _act_and_measure(view[c.hi:o.hi], measured):
                if whole is None or o.hi > whole.hi:
                    whole = o
        if whole is None:
            out.append(c)
        elif id(whole) not in widened:
            # the cut phrase's standing is the phrase's: it is scored as it was, only whole
            # (河南省今年秋粮面积稳定在…亩: 秋粮面积, not the place the shorter one lost to)
            widened.add(id(whole))
            c.hi = whole.hi
            out.append(c)
    return [c for c in out if id(c) not in widened]


def _act_and_measure(rest: str, measured: tuple[str, ...]) -> bool:
    """`rest` is a measured attribute, alone or after the act it measures (面积, 种植面积),
    not after a word that makes another attribute of it (总面积: 浸水区域总面积 may still
    be cut to 区域, a place whose area is given)."""
    for a in measured:
        if rest.endswith(a):
            act = rest[:len(rest) - len(a)]
            if not act:
                return True
            for w, c in tokens(act, True, True):
                if c != "V":
                    return False
            return True
    return False


def _bare_act(text: str) -> bool:
    """Whether `text` is one verb or verbal noun and nothing else: what an attribute
    word after it measures is that act's (参观人数, 执行额), and the act alone counts
    nothing."""
    toks = tokens(text, True, True)
    return len(toks) == 1 and (toks[0][1] == "V" or tag(toks[0][0]).startswith("v"))


def _ends_on_verb(text: str) -> bool:
    """Whether the last word of `text` is a verb: an attribute character after it makes
    one noun with it (充电量, 开行量, 捕捞量), whose verb alone names an act."""
    toks = tokens(text, True, True)
    return bool(toks) and toks[-1][1] == "V"


def _bare_tails(cands: list[Candidate]) -> None:
    """A one-character word closing a longer candidate (量 of 中欧班列开行量, 点 of
    援助物资分发点) names nothing without the words before it: it yields to the phrase
    it is the tail of, which is offered too (a verb inside that phrase, 开行, must not
    make the bare tail the better choice)."""
    for c in list(cands):
        if c.hi - c.lo != 1:
            continue
        for o in cands:
            if o is not c and o.hi == c.hi and o.lo < c.lo:
                cands.remove(c)
                break


def _finish(cands: list[Candidate], view: str, start: int, end: int, unit_class: str | None,
            clause: tuple[int, int], sentence: tuple[int, int], next_start: int, lreg_lo: int,
            ltoks: tuple[Token, ...], rtoks: tuple[Token, ...], right_end: int) -> None:
    """Variants of the candidates, then their features."""
    uc = unit_class or ""
    # attribute and status words closing a phrase (执行案件收案总数, 献血量): the phrase
    # without them is a candidate too
    for c in list(cands):
        cut = info(view[c.lo:c.hi])[3]
        lo, hi = c.lo, c.hi - cut
        if cut and not _bare_act(view[lo:hi]) and not (cut == 1 and _ends_on_verb(view[lo:hi])):
            s = _add(cands, view, (lo, hi), S_K_STRIPPED)
            if s is not None:
                for k in c.slots:
                    if _is_copied(k):
                        s.setdefault(k, c.get(k, 1.0))
    _bare_tails(cands)
    for c in cands:
        if not c.has(S_K_RECENT):
            # a phrase that only points back (其规模, 利用一周时间) stands for the phrase
            # it points to
            moved = referent(view, (c.lo, c.hi), unit_class, end, next_start)
            if moved is not None:
                c.lo, c.hi = moved
                c.set(S_MOVED, 1.0)
        features(c, view, start, end, uc, clause, sentence)
        if c.hi <= start and c.hi >= lreg_lo:
            if verb_from(ltoks, lreg_lo, c.hi):
                c.set(S_VERB_BETWEEN, 1.0)   # “梦”筹措了近3万元: the doer; the figure, its object
        elif c.lo >= end and c.lo <= right_end:
            if verb_until(rtoks, end, c.lo):
                c.set(S_VERB_BETWEEN, 1.0)   # 2.4万余人次坚守在社区一线


_THING_HEADS: Final = frozenset(("people", "orgs", "items"))
_ALT_OPEN: Final = {"（": "）", "(": ")"}
_ALT_MAX: Final = 2             # characters of an alternative unit in brackets
_UNIT_WORDS: Final = frozenset(rules.units())
_R: Final = rules.subject_rules()
_MANNER_OPENS: Final[tuple[str, ...]] = tuple(sorted((str(w) for w in _R["manner_opens"]), key=len, reverse=True))
_MANNER_CLOSES: Final[tuple[str, ...]] = tuple(sorted((str(w) for w in _R["manner_closes"]), key=len, reverse=True))
_MANNER_LINKS: Final[tuple[str, ...]] = tuple(sorted((str(w) for w in _R["manner_links"]), key=len, reverse=True))
_MANNER_REACH: Final = 10     # characters between 按 and 计算
_MANNER_LAST_CHARS: Final = tuple({w[-1] for w in _MANNER_CLOSES})
_MANNER_TAIL: Final = max(map(len, _MANNER_LINKS)) + 1   # a link, then a close's last character
# written units that are nouns of their own, read as their canonical unit (部门 -> 个)
_WRITTEN_UNIT_NOUNS: Final = frozenset(str(w) for w in _R["written_unit_nouns"])
_UNIT_NOUN_LENGTHS: Final = tuple(sorted({len(w) for w in _WRITTEN_UNIT_NOUNS}, reverse=True))
_SCALE_CHARS: Final = frozenset(str(rules.phrase_chars().numeral_chars) + "0123456789.")
_MAGNITUDE_CHARS: Final = frozenset("百千万亿")
_SCALE_MEASURED: Final = frozenset(("duration", "other"))   # (6秒59: a measure runs on, no count)
_NOT_THINGS: Final = frozenset(("place", "time", "name"))   # heads that name no thing counted or timed
_DURATION_LINKS: Final = frozenset(str(w) for w in _R["duration_links"])
_DURATION_OBJECT_VERBS: Final = frozenset(str(w) for w in _R["duration_object_verbs"])
_DURATION_USE_VERBS: Final = frozenset(str(w) for w in _R["duration_use_verbs"])
_DURATION_RUNS: Final = frozenset(str(w) for w in _R["duration_runs"])
_DURATION_GAPS: Final = frozenset(str(w) for w in _R["duration_gaps"])
_GAP_WORDS: Final = tuple(_DURATION_GAPS)
_LIST_RUN_JOINERS: Final[tuple[str, ...]] = tuple(str(w) for w in _R["list_run_joiners"])
_NEXT_LIST_GAP: Final = 2       # characters between 等 and the next figure (约, 近 …)
_BASE_PERIOD_WORDS: Final = frozenset(str(w) for w in _R["base_period_words"])
_COMPARISON_CHARS: Final = ("比", "较")   # 比上, 较前: a comparison word run into the period's
_DURATION_NOT_SUBJECTS: Final = frozenset(str(w) for w in _R["duration_not_subjects"])
_RESPECTIVELY: Final[tuple[str, ...]] = tuple(str(w) for w in _R["respectively_words"])
_RESPECTIVELY_REACH: Final = int(_R["respectively_reach"])   # characters from 分别 to the run
_LIST_ITEM_MARKS: Final = frozenset(str(w) for w in _R["list_item_marks"])
_BARE_MODIFIER_LEN: Final = 2    # an item this short before a longer last item shares its head
# heads of a measure (投资, 使用率, 参保人数): an item naming no measure before one shares it
_MEASURE_HEADS: Final = frozenset(("money", "rate", "attribute"))
_MEASURE_CHARS: Final = frozenset(str(_R["measure_chars"]))
_MEASURE_WORDS: Final[tuple[str, ...]] = tuple(str(w) for w in _R["measure_words"])
_ITEM_MAX: Final = 12            # characters of a list item taken whole
_ATTRIBUTE_WORDS: Final = frozenset(_R["attribute_nouns"]) | frozenset(_R["attribute_words"])
_ATTRIBUTE_LENGTHS: Final = frozenset(len(w) for w in _ATTRIBUTE_WORDS)   # most candidates: no slice to look up
# the same lengths as bits (bit n: a word of n characters), tested without boxing an int
# for a set look-up; a span no shorter than 60 characters is no attribute word
_ATTRIBUTE_LENGTH_BITS: Final = sum(1 << n for n in _ATTRIBUTE_LENGTHS if n < 60)
_ATTRIBUTE_OPENERS: Final = frozenset(_R["attribute_openers"])
_SHARE_PREDICATES: Final[tuple[str, ...]] = tuple(str(w) for w in _R["share_predicates"])
_SHARE_ADVERBS: Final = frozenset(_R["share_adverbs"])
_SHARE_OPENERS: Final = frozenset(_R["share_openers"]) | {""}
_ACT_SPAN_SUFFIXES: Final = tuple(sorted(_R["act_span_suffixes"], key=len, reverse=True))
_PERIOD_OPENERS: Final = frozenset(_R["period_openers"])
_PERIOD_TIME_WORDS: Final = frozenset(_R["time_words"])
_OPENER_READ: Final = 8       # characters read before a duration for its opener
_TIME_SPAN_SUFFIXES: Final[tuple[str, ...]] = tuple(sorted((str(w) for w in _R["time_span_suffixes"]), key=len, reverse=True))
_CONVERSION_CUES: Final[tuple[str, ...]] = tuple(str(w) for w in _R["conversion_cues"])
_CURRENCY_BY_LENGTH: Final[tuple[str, ...]] = tuple(sorted((str(w) for w in CURRENCY_WORDS), key=len, reverse=True))
# how far back a conversion cue may stand: the cue, a currency word, a space
_CONVERSION_REACH: Final = max(map(len, _CONVERSION_CUES)) + max(map(len, CURRENCY_WORDS)) + 1
# the units whose class waits for the subject (个, 项)
SUBJECT_CLASSED_UNITS: Final = frozenset(rules.classes_by_subject())
_LIST_ITEM_END: Final = "、"
_CASUALTY_WORDS: Final = frozenset(_R["casualty_words"])
_CASUALTY_FIRST: Final = frozenset(w[0] for w in _CASUALTY_WORDS)
_CASUALTY_BACK: Final = 16     # characters read back from a people figure for a count of the dead
_COUNT_WORD: Final = "人数"
_TOTAL_CHAR: Final = "总"       # 编制总人数: a total of those counted
_DOER_VERBS: Final = 2         # verbs read before 人数 (走访慰问人数)
_LIST_MARKS: Final = "、和及与"
_CASUALTY_READ: Final = 8      # characters read after the figure: the word and the one after it
_COMPARISON_WORDS: Final = frozenset(_R["comparison_words"])
_COMPARISON_GLUED: Final = frozenset(str(w) for w in _R["comparison_glued"])
_COMPARISON_HEADS: Final[tuple[str, ...]] = tuple(str(w) for w in _R["change_heads"])
_CHANGE_VERBS: Final = frozenset(_R["change_verbs"])
_AFTER_CHANGE: Final = frozenset(("了",))
_SHARE_VERBS: Final = frozenset(_R["share_verbs"])
_COMPARATIVE_WORDS: Final = frozenset(_R["comparative_words"])
_BASE_RATE_WORDS: Final = frozenset(str(w) for w in _R["base_rate_words"])
_ACTIVITY_MEASURES: Final = tuple(_R["activity_measure_heads"])
_ATTRIBUTE_NOUNS: Final = tuple(_R["attribute_nouns"])
_MEASURED: Final[dict[str, tuple[str, ...]]] = {}
for _attr, _keys in (_R.get("measured_attributes") or {}).items():
    for _key in _keys:
        _MEASURED[str(_key)] = _MEASURED.get(str(_key), ()) + (str(_attr),)
_SHARE_NOUN_NOT_COUNTED: Final = frozenset(str(w) for w in _R["share_noun_not_counted"])
_SHARE_NOUN_MEASURES: Final[tuple[str, ...]] = tuple(str(w) for w in _R["share_noun_measures"])
_SHARE_THRESHOLD_VERBS: Final = frozenset(str(w) for w in _R["share_threshold_verbs"])
_VALUE_WORDS: Final[tuple[str, ...]] = tuple(str(w) for w in _R["value_words"])
_VALUE_MAX: Final = max(map(len, _VALUE_WORDS))
_START_POINT_WORDS: Final = frozenset(str(w) for w in _R["start_point_words"])
_START_POINT_REACH: Final = int(_R["start_point_reach"])
_END_POINT_WORDS: Final = frozenset(str(w) for w in _R["end_point_words"])
_PREDICATE_AFTER_CLASSES: Final = frozenset(str(w) for w in _R["predicate_after_classes"])
_PREDICATE_AFTER_NOUN_CLASSES: Final = frozenset(str(w) for w in _R["predicate_after_noun_classes"])
_WITHIN: Final = _R["share_within"]
_WITHIN_OPENS: Final[tuple[str, ...]] = tuple(str(w) for w in _WITHIN["opens"])
_WITHIN_CLOSES: Final[tuple[str, ...]] = tuple(str(w) for w in _WITHIN["closes"])
_WITHIN_WORDS: Final[tuple[str, ...]] = tuple(str(w) for w in _WITHIN["words"])
_WITHIN_TAIL: Final = int(_WITHIN["tail"])
_WITHIN_REACH: Final = int(_WITHIN["reach"])
_WITHIN_MIN: Final = 5        # 在X中占比: the fewest characters the construction takes
_CONTRIBUTION: Final = _R["contribution_to"]
_CONTRIBUTION_OPENS: Final[tuple[str, ...]] = tuple(str(w) for w in _CONTRIBUTION["opens"])
_CONTRIBUTION_WORDS: Final[tuple[str, ...]] = tuple(str(w) for w in _CONTRIBUTION["words"])
_CONTRIBUTION_TAIL: Final = int(_CONTRIBUTION["tail"])
_CONTRIBUTION_REACH: Final = int(_CONTRIBUTION["reach"])
_CONTRIBUTION_MIN: Final = 4   # 对X贡献率: the fewest characters the construction takes
_BASE_INNER: Final = frozenset(("全部", "的"))   # S-tagged words inside a base (全部投资)
_SHARE_ENDS: Final = frozenset(_R["share_ends"])
_PART_VERBS: Final = frozenset(_R["part_verbs"])
_SHARE_VERBS_GLUED: Final = frozenset(_R["share_verbs_glued"])
_SHARE_LINKS: Final = frozenset(_R["share_links"])
_SHARE_WHOLE_MAX: Final = 20    # characters of a whole: a longer run is no share's whole
_BATCH_UNITS: Final = frozenset(_R["batch_units"])
_BATCH_VERBS: Final = tuple(_R["batch_verbs"])
_BATCH_AGENT_HEADS: Final = frozenset(_R["batch_agent_heads"])
# an object that names an amount or a measure (投放总额为…) is not what is divided
_BATCH_NOT_OBJECT: Final = frozenset(("attribute", "number", "time", "pronoun"))
_SENTENCE_ENDS: Final = "。！？!?\n"
_NOT_TOPICS: Final = frozenset(("time", "place", "number", "pronoun", "people", "orgs", "name"))
_DURATION_CLAUSE_CUES: Final = frozenset(_R["duration_clause_cues"])
_THRESHOLDS: Final = tuple(_R["threshold_words"])
_CLAUSE_MARKS: Final = "，、；：,;:。！？!?\n"
_PLACE_AFTER_LIST: Final = 4    # characters of a place word between a list's 等 and its count (中部)
_CLAUSE_REACH: Final = 24     # characters read back from the figure for more phrases
_MAX_SIDE: Final = 3          # phrases taken on each side
_MAX_RECENT: Final = 4        # earlier subjects offered
_PREV_SENTENCE_REACH: Final = 200
