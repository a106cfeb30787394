"""The phrase grammar of the subject finder: which words around a figure make a noun
phrase (modifiers, then nouns joined by 、和及与, ending on a noun; never across a clause,
a title or another figure). The phrase after the figure (1069名干部职工), before it
(发放慰问金27万元), after a 的 (126名获得…表彰的党员), every phrase in a window, a fund
named earlier, the topic of a list (修复工程包括A、B等10项), and what a phrase that only
points back stands for (其规模, 利用一周时间). `subjects` offers them as candidates.
"""
from __future__ import annotations

from typing import Final, Sequence

import re

from .. import rules
from .segmenter import is_word
from .text_spans import char_table
from .subject_words import (COMPOUND_HEADS, CURRENCY_WORDS, COMPOUND_HEAD_SET, DETERMINERS, GENERIC_MONEY,
                            LEFT_CUES, LEFT_WINDOW, NOUN_SUFFIX_CHARS, REPORT_VERBS, STOP_CHARS, STOP_RE,
                            Token, VERB_OK_CLASSES, WINDOW, after_last, ends_any, last_stop, starts_any,
                            starts_at, stop_in, is_group_head, listed_head, locate, tag, tidy, tokens)

_R: Final = rules.subject_rules()
_HARD_NOUN_TAGS: Final = frozenset(_R["hard_noun_tags"])
_INNER_MOD_TAGS: Final = frozenset(_R["inner_modifier_tags"])
_CHANGE_HEADS: Final = tuple(_R["change_heads"])
_MONEY_HEADS: Final = tuple(_R["money_heads"])
_MONEY_VERB_CHARS: Final = frozenset(str(_R["money_verb_chars"]))
_ACTION_VERBS: Final = frozenset(_R["action_verbs"])
PREDICATE_VERBS: Final = frozenset(_R["predicate_verbs"])
PREDICATE_VERB_CLASSES: Final = frozenset(str(c) for c in _R["predicate_verb_classes"])
_NOMINAL_VERB_CLASSES: Final = frozenset(_R["nominal_verb_classes"]) | {None}
_ATTRIBUTE_NOUNS: Final = frozenset(_R["attribute_nouns"])
_ASPECT_ADVERBS: Final = frozenset(_R["aspect_adverbs"])
_BREAKDOWN_OPENERS: Final = tuple(_R["breakdown_openers"])
_PERIOD_CUES: Final = tuple(_R["period_cues"])
_LIST_CLOSERS: Final = frozenset(("等", "等等"))
_NUMBER_UNIT_CHARS: Final = frozenset(str(_R["number_unit_chars"]))
_FIGURE_SUFFIX_CHARS: Final = frozenset(str(_R["figure_suffix_chars"]))
_SPAN_CLOSE_CHARS: Final = frozenset(str(_R["span_close_chars"]))
_FIGURE_SUFFIX_TABLE: Final = char_table(_FIGURE_SUFFIX_CHARS)
_ACTIVITY_MEASURES: Final = tuple(_R["activity_measure_heads"])
_CHANGE_VERBS: Final = frozenset(_R["change_verbs"])
_ROUTE_LINKS: Final = frozenset(_R["route_links"])
_NOT_INNER_VERBS: Final = (LEFT_CUES | frozenset(_R["share_verbs"]) | frozenset(_R["change_verbs"])
                           | frozenset(_R["attribute_openers"]))
_PLACEHOLDERS: Final = frozenset(_R["placeholder_subjects"])
_ENUMERATION_VERB: Final = re.compile("|".join(sorted(map(re.escape, _R["enumeration_verbs"]), key=len, reverse=True)))
_LAST_STOP: Final = re.compile("(?s).*[" + re.escape("".join(sorted(STOP_CHARS))) + "]")
# 一是组织了集中学习交流。 六是开展了集中调研走访活动。: a list heading naming an activity
_HEADING: Final = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}是|[(（]?[一二三四五六七八九十0-9]{1,3}[)）、.．])?"
    "(?:" + "|".join(sorted(map(re.escape, _R["heading_verbs"]), key=len, reverse=True)) + ")了?"
    "(?P<what>[^，。；：,;:！？!?\n]{2,20}?)"
    "(?:" + "|".join(map(re.escape, _R["heading_suffixes"])) + ")?[。：:]$")


def phrases_in(toks: tuple[Token, ...], lo: int) -> list[tuple[int, int]]:
    """The noun phrases in view[lo:hi], in text order: runs of nouns, modifiers, quoted
    names and joiners between nouns, ending on a noun. A word right after a number is
    its unit (4697件, 24年来), not a noun. A verb between two nouns (房屋买卖合同纠纷,
    企业兼职人数, but also 单位赠送书籍) gives the joined phrase and both its parts."""
    out: list[tuple[int, int]] = []
    pos = lo
    run_lo = -1          # view offset where the run starts
    last_end = -1        # view offset after its last noun
    joins: list[tuple[int, int]] = []     # (end of the noun before, start of the next) per inner verb
    after_number = False
    n = len(toks)
    for i in range(n):
        w, c = toks[i]
        if after_number or w in LEFT_CUES:
            c = "S"      # 人数高达140人 (高达 is tagged a name): a cue before a figure ends a phrase
        after_number = _number_like(w)
        nxt = toks[i + 1] if i + 1 < n else ("", "S")
        if c == "N" and i > 0 and toks[i - 1][0] in _ASPECT_ADVERBS and tag(w) == "vn":
            c = "V"          # 已调整清理: after an aspect adverb a verbal noun is a verb
        if c == "V" and nxt[1] == "N" and len(w) > 1 and last_end == pos and last_end > run_lo >= 0:
            joins.append((pos, pos + len(w)))
            c = "M"
        elif c == "V" and nxt[0] in COMPOUND_HEAD_SET:
            c = "M"          # 示范创建点, 志愿服务队: a verb before a group head
        elif c == "V" and run_lo >= 0 and _list_item_verb(toks, i):
            c = "N"          # 报告、讲话、演讲、指示、批示等: a verb listed between nouns is an item
        elif c == "S" and w in COMPOUND_HEAD_SET and i > 0 and toks[i - 1][1] in ("V", "N") and run_lo >= 0:
            c = "N"
        if c == "N" or c == "Q":
            if run_lo < 0:
                run_lo = pos
            last_end = pos + len(w)
        elif c == "M" or (c == "J" and run_lo >= 0) or (c in ("O", "C") and run_lo >= 0):
            if run_lo < 0:
                run_lo = pos
        else:
            _close_run(out, run_lo, last_end, joins)
            run_lo = last_end = -1
            if joins:
                joins = []      # (most runs join nothing: no new empty list for each)
        pos += len(w)
    _close_run(out, run_lo, last_end, joins)
    return out


def _number_like(w: str) -> bool:
    """The word is a number or ends like one (4697, 三十): the word after it is its unit.
    By code point (no one-character string, no memo: the memo's look-up cost more):
    w[0].isdigit() or w[-1].isdigit() or w[-1] in _NUMERAL_CHARS."""
    if _digit(w, 0):
        return True
    k = len(w) - 1
    if _digit(w, k):
        return True
    c = ord(w[k])
    if c < 0x10000:
        return _NUMERAL_TABLE[c] != 0
    return w[k] in _NUMERAL_CHARS


def _digit(w: str, k: int) -> bool:
    """w[k].isdigit(): ASCII by range, a CJK ideograph never (一 is numeric, not a
    digit), anything else asked of the character itself."""
    c = ord(w[k])
    if c < 0x80:
        return 0x30 <= c <= 0x39
    if 0x4E00 <= c <= 0x9FFF:
        return False
    return w[k].isdigit()


def _close_run(out: list[tuple[int, int]], lo: int, hi: int, joins: list[tuple[int, int]]) -> None:
    if lo < 0 or hi <= lo:
        return
    out.append((lo, hi))
    for v_lo, v_hi in joins:
        if lo < v_lo and v_hi < hi:
            out.append((lo, v_lo))
            out.append((v_hi, hi))


def phrase_at(view: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The noun phrase starting at view[lo] (98.9%的干部群众 -> 干部群众)."""
    stop = STOP_RE.search(view, lo, hi)
    if stop is not None:
        hi = stop.start()
    phrase, _, _ = _noun_phrase(tokens(view[lo:hi]))
    return locate(view, phrase, lo, hi) if phrase else None
# 规模和数量: the words of a list of attributes
_CONJUNCTION: Final = re.compile("|".join(sorted(map(re.escape, rules.phrase_chars().conjunctions), key=len, reverse=True)))
_NUMERAL_CHARS: Final = rules.phrase_chars().numeral_chars
_NUMERAL_TABLE: Final = char_table(_NUMERAL_CHARS)
def referent(view: str, span: tuple[int, int], unit_class: str | None, end: int,
              next_start: int) -> tuple[int, int] | None:
    """What a subject that only points back stands for, or None (then it stands as is)."""
    lo, hi = span
    if lo >= 2 and view[lo - 1] == "其" and view[lo - 2] in "，,；;" and all(
            w in _ATTRIBUTE_NOUNS for w in _CONJUNCTION.split(view[lo:hi])):
        # ，其规模和数量: of the noun phrase closing the clause before
        p = lo - 2
        w_lo = max(0, p - 2 * LEFT_WINDOW)
        before = closing_phrase(view[w_lo:p])
        if before and before not in _ATTRIBUTE_NOUNS:
            k = view.rfind(before, w_lo, p)
            if k >= 0:
                return k, k + len(before)
        return None
    if unit_class == "duration" and lo >= end and view[lo:hi] in _PLACEHOLDERS:
        # 一周时间 (not 运行时间57分钟, where 时间 is what is measured)
        return _time_spent_on(view, lo, hi, next_start)
    return None


def _time_spent_on(view: str, lo: int, hi: int, next_start: int) -> tuple[int, int] | None:
    """集中2天时间逐一听取…汇报: what the time at view[lo:hi] (时间) was spent on, the
    action right after it; else, for 利用一周时间 opening a sentence, the activity the
    list heading before it names (六是开展了集中调研走访活动。)."""
    # a verb right after it (adverbs skipped), up to the end of the clause or the next
    # figure (用5年时间建成300个…); not 时间里将有…, 时间的…
    stop = STOP_RE.search(view, hi, hi + WINDOW)
    a_hi = min(stop.start() if stop else len(view), hi + WINDOW, next_start)
    toks = tokens(view[hi:a_hi])
    a_lo, i = hi, 0
    while i < len(toks) and i < 2 and tag(toks[i][0]) == "d":
        a_lo += len(toks[i][0])
        i += 1
    if i < len(toks) and toks[i][1] == "V":
        return a_lo, a_hi
    ss = after_last(view, "。！？!?\n", lo)
    if ss < 2 or lo - ss > 12 or view[ss - 1] not in "。：:":
        return None
    ps = after_last(view, "。！？!?\n；;", ss - 1)
    m = _HEADING.match(view, ps, ss)
    if m:
        what = tidy(m.group("what"))
        k = view.find(what, m.start("what"), m.end("what"))
        if what and k >= 0:
            return k, k + len(what)
    return None


def list_topic(view: str, span: tuple[int, int], start: int, end: int,
                clause_start: int) -> tuple[int, int] | None:
    """修复工程包括A、B等10项: the topic before the listing verb, when the subject found
    is the last items of a list closed by 等 and the figure (等超5500家 included), and the
    figure closes the clause (…等42条务实举措 names what it counts)."""
    lo, hi = span
    if not (hi < start <= hi + 3 and view[hi] == "等") or any(ch.isdigit() for ch in view[hi:start]):
        return None
    if end < len(view) and view[end] not in STOP_CHARS:
        return None
    verb = None
    for verb in _ENUMERATION_VERB.finditer(view, clause_start, lo):
        pass
    if verb is None:
        return None
    topic = closing_phrase(view[clause_start:verb.start()])
    if not topic:
        return None
    k = view.rfind(topic, clause_start, verb.start())
    return (k, k + len(topic)) if k >= 0 else None


def period_topic(view: str, start: int, end: int, hi: int) -> tuple[int, int] | None:
    """为期3个月的“严规矩…”集中整治…专项行动: a period after 为期 is the duration of the
    noun phrase its 的 opens, up to that phrase's head (past an ordinal or year opening
    it, 为期5天的第三届链博会; not into what the thing then did, 吸引了…, 今天…闭幕)."""
    if not starts_at(view, "的", end) or not ends_any(view, _PERIOD_CUES, 0, start):
        return None
    lo = end + 1
    stop = STOP_RE.search(view, lo, hi)
    toks = tokens(view[lo:stop.start() if stop is not None else hi])
    pos = lo
    i = 0
    while i < len(toks) and toks[i][1] == "S" and (toks[i][0][0].isdigit() or tag(toks[i][0]) == "m"):
        pos += len(toks[i][0])      # 第三届, 2025年
        i += 1
    begin = pos
    head_end = -1
    while i < len(toks):
        w, c = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
        if (c == "S" and w not in _LIST_CLOSERS) or (head_end > 0 and (w in _ASPECT_ADVERBS
                                                                      or tag(w) == "d")):
            break                   # 今天, 9日, 正在…
        if c in ("N", "Q"):
            head_end = pos + len(w)
        elif c == "V" and nxt in ("S", ""):
            break                   # 吸引了…: what the thing then did
        elif c in ("O", "C"):
            break
        pos += len(w)
        i += 1
    return (begin, head_end) if head_end > begin else None


# --- the phrase after the figure ------------------------------------------------------

def right_phrase(window: str, unit_class: str | None) -> tuple[str, bool]:
    """(phrase, strong): a weak phrase (a verb and its object, 120余人参加会议) is used
    only when nothing better stands before the figure."""
    window = window.lstrip(" \u00a0")
    stop = stop_in(window, 0, len(window))
    if stop >= 0:
        window = window[:stop]   # the phrase never crosses a clause or a title
    if not window:
        return "", False
    if window.startswith("的"):
        if unit_class in ("money", "percent"):
            return "", False  # 精简10%的量化目标: what follows 的 is not what the share is of
        window = window[1:]
    toks = tokens(window)
    phrase, n_used, hard = _noun_phrase(toks)
    led_by_verb = bool(toks) and toks[0][1] == "V"
    followed_by_de = n_used < len(toks) and toks[n_used][0] == "的"
    if phrase and not led_by_verb and (hard or not followed_by_de):
        return phrase, True
    rel = after_relative(window)
    if rel:
        return rel, True
    if phrase:
        # 在职党员干部 is a noun phrase; 120余人参加会议 names what the people did
        return phrase, not (led_by_verb and (toks[0][0] in _ACTION_VERBS
                                             or (toks[0][0] in PREDICATE_VERBS and unit_class in PREDICATE_VERB_CLASSES)))
    if unit_class in _NOMINAL_VERB_CLASSES:
        # 20条具体举措, 15次集中走访: the action is what is counted; but what counted
        # people did (突击队2.4万余人次坚守在一线) yields to a noun before the figure
        verbs = _verb_phrase(toks, unit_class in VERB_OK_CLASSES)
        return verbs, bool(verbs) and not (unit_class == "person_times" and toks[0][0] in _ACTION_VERBS)
    return "", False


def _noun_phrase(toks: tuple[Token, ...]) -> tuple[str, int, bool]:
    """(phrase, tokens used, has a hard noun) for the noun phrase `toks` start with."""
    i = 0
    while i < len(toks) and toks[i][1] == "O":
        i += 1
    start = i
    last_noun = -1
    open_brackets = 0
    leading_verb_used = False
    while i < len(toks):
        w, c = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else "S"
        if c in ("N", "Q"):
            if c == "Q" and last_noun >= 0 and (nxt != "N" or last_noun != i - 1
                                                or listed_head(toks[i - 1][0])):
                break        # 77名局级干部“问题清单”: a quoted name after the noun starts another phrase
            # (3座美制“海马斯”火箭弹发射装置: a name between a modifying noun and a noun is
            # inside the compound; not after a joiner, 14场分论坛和“…”主题活动, the next item
            # of a list, nor after a head word, 81名个人“国家卓越工程师”称号, what it receives)
            last_noun = i
        elif c == "M":
            after_join = i > 0 and toks[i - 1][1] == "J"
            if last_noun >= 0 and not after_join and (
                    nxt not in ("N", "M") or tag(w) not in _INNER_MOD_TAGS):
                break        # 干部职工踊跃参赛, 方面明确整改措施: an adverb after the noun ends it
        elif c == "V":
            if last_noun < 0 and not leading_verb_used and nxt in ("N", "M"):
                leading_verb_used = True          # 在职党员干部, 考上大学
            elif last_noun >= 0 and nxt == "N" and i + 1 < len(toks) and is_group_head(toks[i + 1][0]):
                pass                              # 青年理论学习小组
            else:
                break
        elif c == "J":
            if last_noun < 0 or nxt not in ("N", "M", "Q"):
                break
        elif c == "O":
            if last_noun < 0:
                break
            open_brackets += 1
        elif c == "S" and last_noun == i - 1 >= 0 and nxt == "N" and tag(w) == "q":
            pass             # 春季文旅系列活动: a measure word between nouns modifies the head
        elif c == "C":
            if open_brackets <= 0:
                break
            open_brackets -= 1
            last_noun = i    # 县(市、区)
        else:
            break
        i += 1
    if last_noun < start:
        return "", 0, False
    words = toks[start:last_noun + 1]
    hard = any(c == "Q" or (c == "N" and tag(w) in _HARD_NOUN_TAGS) for w, c in words)
    return tidy("".join(w for w, _ in words)), last_noun + 1, hard


def compound_over_verb(view: str, span: tuple[int, int], hi: int) -> tuple[int, int] | None:
    """4个国际组织, 5个以上装备制造项目, 38件中国流失文物艺术品: where the noun phrase after a
    figure (`span`) stopped at a word the dictionary tags a verb (组织, 制造, 流失) that a
    noun phrase follows up to the end of the clause, a 的 or a verb, the span of the
    whole compound (else None). Whether the verb is inside the phrase is the caller's
    decision: the classifier's fit, which the verb and its object do not change
    (30名党员参加活动 counts 党员)."""
    lo, p_hi = span
    # the phrase and the words after it lie in the window `right_phrase` has just cut:
    # read as phrases, their words come from it (`within_clean`), not from a new cut
    if tokens(view[lo:p_hi], False, True)[0][1] == "V":
        return None        # 规范网络平台招聘信息: a verb and its object, not a noun phrase
    stop = stop_in(view, p_hi, hi)
    end = stop if stop >= 0 else hi
    if end - p_hi < 2:
        return None
    toks = tokens(view[p_hi:end], False, True)
    verb, c = toks[0]
    if c != "V" or len(verb) < 2 or verb in _ACTION_VERBS or verb in LEFT_CUES:
        return None
    if len(toks) == 1 or toks[1][1] != "N":
        # 国际组织的…, 30多个国际组织，, 68个国际组织和…, 7个国际组织约800名: the word tagged a
        # verb that closes the clause, the window, or an item of a list is itself the head
        return (lo, p_hi + len(verb)) if len(toks) == 1 or toks[1][1] in ("S", "J") else None
    rest = toks[1:]
    phrase, used, _ = _noun_phrase(rest)
    if not phrase or view.find(phrase, p_hi + len(verb), p_hi + len(verb) + len(phrase)) < 0:
        return None
    if used < len(rest) and rest[used][1] not in ("V", "S"):
        return None        # the noun phrase goes on into a modifier or a bracket: not a compound's end
    return lo, p_hi + len(verb) + len(phrase)


def after_relative(window: str) -> str:
    """126名获得党内功勋荣誉表彰的党员 -> 党员…: the noun after the 的 that closes the
    relative clause (the first one)."""
    k = window.find("的")
    if k <= 0:
        return ""
    stop = len(window)
    for ch in STOP_CHARS:
        i = window.find(ch, 0, k)
        if i >= 0:
            return ""     # the 的 is in a later clause
    head = window[:stop]
    if 0 < k < len(head) - 1:
        # (the words after the 的 of a window just cut: read from it when they can be)
        phrase, _, _ = _noun_phrase(tokens(head[k + 1:], False, True))
        return phrase
    return ""


def _verb_phrase(toks: tuple[Token, ...], verbs_ok: bool) -> str:
    """8项公开承诺, 15次集中走访: an action names what is counted. Outside events and
    durations only when it closes the clause (the verb used as a noun)."""
    j = 0
    while j < len(toks) and toks[j][1] in ("V", "M") and j < 3:
        j += 1
    if j == 0 or toks[j - 1][1] != "V":
        return ""
    closes = j == len(toks) or toks[j][0][0] in STOP_CHARS
    if verbs_ok or closes:
        return tidy("".join(w for w, _ in toks[:j]))
    return ""


# --- the phrase before the figure -----------------------------------------------------

def left_phrase(window: str, unit_class: str | None, verbs_ok: bool, measured_ok: bool = False) -> str:
    """The noun phrase ending right before the figure. measured_ok: the figure is the
    value of what the phrase measures (not followed by 的: 组建规模100亿元的基金群 names
    the fund's size), so a measure of an activity reads back over its verbs."""
    last = last_stop(window)   # the phrase never crosses a clause or a title
    if last >= 0:
        window = window[last + 1:]
    whole = _drop_comparison(tokens(window, True))   # (kept whole: a list's closing 等 is popped below)
    toks = list(whole)
    while toks and (toks[-1][0] in LEFT_CUES or toks[-1][1] in ("S", "J", "O")
                    or toks[-1][0].startswith(_CHANGE_HEADS)
                    or (unit_class == "money" and toks[-1][0] in CURRENCY_WORDS)):
        toks.pop()
    if not toks:
        return ""
    k = len(toks) - 1
    end = k + 1
    w, c = toks[k]
    if c == "V" and _list_item_verb(whole, k):
        c = "N"           # …演讲、指示、批示等74篇: the last item of a list before 等
    if c == "V":
        if unit_class == "money" and w[-1] in _MONEY_VERB_CHARS:
            return tidy(w)    # 捐款238.93万元, 商会赞助人民币4.2万元: the act, not the donor
        if k > 0 and toks[k - 1][1] == "N" and (w in _CHANGE_VERBS or w in REPORT_VERBS and tag(w)[:1] != "v"):
            k -= 1        # 财政支出攀升至…, 利率下调0.2个百分点: the change is no part of what changed
            end = k + 1   # (nor 芝加哥报告了5起…: the report, a verb here, see subject_words)
        elif k > 0 and toks[k - 1][1] == "N" and (len(w) > 1 or w in COMPOUND_HEADS or w in NOUN_SUFFIX_CHARS):
            k -= 1        # 公务接待一项同比减少45%: a noun and its verb (not 美国致87人死亡)
        elif verbs_ok:
            return tidy(w)    # 人均谈心35人次
        else:
            return ""
    elif c == "M":
        return ""
    begin = k
    measured = measured_ok and toks[k][0].endswith(_ACTIVITY_MEASURES)
    while begin > 0:
        w, c = toks[begin - 1]
        right = toks[begin][0]
        if c in ("N", "M", "Q"):
            begin -= 1
        elif c == "V" and _list_item_verb(whole, begin - 1):
            begin -= 1         # 讲话、演讲、指示: a verb listed between nouns
        elif c == "V" and measured and _inner_verb(toks, begin - 1):
            begin -= 1         # 脱贫人口务工就业规模, 制造业采购经理指数
        elif c == "J" and begin >= 2 and (toks[begin - 2][1] in ("N", "Q") or _list_item_verb(whole, begin - 2)):
            begin -= 1
        elif w in _ROUTE_LINKS and begin >= 2 and tag(right) == "ns" and tag(toks[begin - 2][0]) == "ns":
            begin -= 1         # 西宁至成都铁路: a route from one place to another names one thing
        elif c == "C":
            depth, j = 1, begin - 2
            while j >= 0 and depth:
                depth += {"C": 1, "O": -1}.get(toks[j][1], 0)
                j -= 1
            if depth or _enumerator(toks, j + 2, begin - 1):
                break          # （6）广东经济总量: a list item's number opens no name
            begin = j + 1      # 党组(党委)书记
        elif c == "V" and (len(right) == 1 and (right in NOUN_SUFFIX_CHARS or _lone_noun(toks, begin, end))
                           or is_group_head(right) and begin >= 2 and toks[begin - 2][1] == "N"):
            begin -= 1         # 阅读量, 创新药, 青年理论学习小组
        else:
            break
    if 0 < begin < k and toks[begin - 1][0][-1].isdigit() and _unit_of_number(toks[begin][0]):
        begin += 1             # 10月份中国物流业景气指数: the word after a number is its unit
    while begin < end and toks[begin][1] in ("J", "M") and toks[begin][0] not in DETERMINERS and begin < k:
        if toks[begin][1] == "M" and tag(toks[begin][0]) in ("a", "b", "z"):
            break          # 清凉用品, 大型活动: keep the adjective
        begin += 1
    return tidy("".join(w for w, _ in toks[begin:end]))


def _enumerator(toks: list[Token], lo: int, hi: int) -> bool:
    """toks[lo:hi], the words inside a pair of brackets, are a number only: the bracket
    numbers an item of a list ((3), （六）), it does not qualify the noun after it."""
    if hi <= lo:
        return False
    for i in range(lo, hi):
        if not _number_like(toks[i][0]):
            return False
    return True


def _list_item_verb(toks: Sequence[Token], i: int) -> bool:
    """toks[i], a verb, is an item of a list of nouns: after a 、 that follows a noun (or
    other such items back to one), and before another 、 or the list's closing 等
    (报告、讲话、演讲、指示、批示等74篇)."""
    if not (1 < i + 1 < len(toks) and (toks[i + 1][0] == "、" or toks[i + 1][0] in _LIST_CLOSERS)):
        return False
    j = i
    while j > 1 and toks[j - 1][0] == "、" and toks[j - 2][1] in ("N", "V"):
        if toks[j - 2][1] == "N":
            return True      # (the items before may be verbs too: 演讲、指示、批示)
        j -= 2
    return False


def _inner_verb(toks: list[Token], i: int) -> bool:
    """toks[i], a verb in a phrase that ends on a measure of an activity, is inside it:
    a word of two characters or more after a noun of two or more, with at most one more
    such verb between them (务工就业); not a verb of a share, a change or a cue of the figure
    (数字经济占到全省经济总量, 政策涉及金额)."""
    for j in (i, i - 1):
        if j < 1:
            return False
        w, c = toks[j]
        if c != "V" or len(w) < 2 or w in _NOT_INNER_VERBS or w.startswith(_CHANGE_HEADS):
            return False
        if toks[j - 1][1] in ("N", "Q"):
            return len(toks[j - 1][0]) > 1   # 在|轨运行: a lone character is a cut remnant
    return False


def _lone_noun(toks: list[Token], i: int, end: int) -> bool:
    """toks[i] is a one-character noun that no verb follows within the phrase: it makes
    one word with the verb before it (创新药, 规上工业), not the start of a phrase of its
    own (减少|碳排放, where 碳 is the subject of 排放)."""
    return toks[i][1] == "N" and (i + 1 >= end or toks[i + 1][1] != "V")


def _unit_of_number(w: str) -> bool:
    """The word right after an Arabic number is that number's unit, not a phrase's first
    word: one character (14国游客, 500强企业), a unit glued by the segmenter to the next
    character (5月自, 18号线), or a date or serial word (10月份, 2025年度); not a word of
    its own (2025国庆档电影票房, 2024中国文化旅游…)."""
    return len(w) == 1 or w[0] in _NUMBER_UNIT_CHARS or tag(w) == ""


def past_figure_suffix(view: str, k: int) -> int:
    """10年期国债收益率, 9000吨级气膜粮仓: where a figure ending at k is followed by a
    character that makes it a modifier (`figure_suffix_chars`), the end of that
    character (it is the figure's, never the first of a phrase after it); else k. Not
    where the character opens a word (5年期间, 期限, 级别)."""
    if 0 < k < len(view) and _figure_suffix(view, k) and not is_word(view[k:k + 2]):
        return k + 1
    return k


def past_span_close(view: str, k: int) -> int:
    """五年内粮食生产能力要提高2亿斤: where the figure before another ends at k, past the
    character closing the span it names (`span_close_chars`), which the next figure's
    phrase never starts with; else k. Not where the character opens a word (内地, 内容)."""
    k = past_figure_suffix(view, k)
    if 0 < k < len(view) and view[k] in _SPAN_CLOSE_CHARS and not is_word(view[k:k + 2]):
        return k + 1
    return k


def _figure_suffix(view: str, k: int) -> bool:
    """view[k] in _FIGURE_SUFFIX_CHARS by a table of the plane (every figure asks it:
    the one-character string and the set look-up cost several times the index)."""
    c = ord(view[k])
    if c < 0x10000:
        return _FIGURE_SUFFIX_TABLE[c] != 0
    return view[k] in _FIGURE_SUFFIX_CHARS


def closing_phrase(window: str) -> str:
    """The words closing a clause: nouns, nominal verbs and lists of them, back to a
    function word (精简整合了工委的发文、会议、…、检查和评比表彰 -> 发文、…、检查和评比表彰;
    工委组织的检查评比表彰 -> 检查评比表彰). A verb and its object stay together
    (严格控制发文): only the dictionary could tell 修复工程 from 控制发文."""
    last = _LAST_STOP.match(window)
    if last:
        window = window[last.end():]
    if any(ch.isdigit() for ch in window):
        return ""      # 组建服务队12支，其人数…: the clause had its own figure; leave ours
    toks = tokens(window, True)
    i = len(toks)
    while i and toks[i - 1][1] in ("S", "J", "O"):
        i -= 1
    end = i
    begin = -1
    while True:
        j = i
        while j and toks[j - 1][1] in ("N", "V", "M", "Q"):
            j -= 1
        if j == i:
            break
        begin = j
        if j >= 2 and toks[j - 1][1] == "J":
            i = j - 1
            continue
        break
    if begin < 0:
        return ""
    return tidy("".join(w for w, _ in toks[begin:end]))


def _drop_comparison(toks: tuple[Token, ...]) -> tuple[Token, ...]:
    """同去年相比减少了40%: drop the comparison between the noun and the figure."""
    for i in range(len(toks) - 1, -1, -1):
        if toks[i][0] in ("相比", "相较", "比较", "对比"):
            for j in range(i - 1, -1, -1):
                if toks[j][0] in ("同", "与", "和", "跟", "较", "比"):
                    return toks[:j] + toks[i + 1:]
            break
    return toks


def money_noun_before(view: str, hi: int, prev_end: int) -> tuple[int, int] | None:
    """慰问金，每人1000元，共计12.2万元: money whose fund was named in the clause before."""
    ss = after_last(view, "。！？；\n", hi)
    breakdown = starts_any(view, _BREAKDOWN_OPENERS, ss) and ss > 0
    if breakdown:
        # 统筹安排送温暖经费。其中，将167.8万元划拨给…: a breakdown opening its
        # sentence spends the fund the sentence before named
        ss = after_last(view, "。！？；\n", ss - 1)
    seg_lo = max(ss, hi - 60)
    seg = view[seg_lo:hi]
    if not _has_money_head(seg):
        return None     # most figures: no fund word near, so no words to cut
    return _fund_in(seg, seg_lo, breakdown)


def _fund_in(seg: str, seg_lo: int, breakdown: bool) -> tuple[int, int] | None:
    """The last fund named in seg (view offset seg_lo), as `money_noun_before` reads it."""
    toks = tokens(seg, True)
    pos = len(seg)
    for k in range(len(toks) - 1, -1, -1):
        w, c = toks[k]
        pos -= len(w)
        if c == "Q" and w[1:-1].endswith(_MONEY_HEADS):
            return seg_lo + pos + 1, seg_lo + pos + len(w) - 1     # the name inside the quotes
        if c == "N" and w.endswith(_MONEY_HEADS):
            if w not in GENERIC_MONEY:
                return seg_lo + pos, seg_lo + pos + len(w)
            if breakdown and k > 0 and toks[k - 1][1] == "N":
                # 统筹安排送温暖经费。其中…: the fund a breakdown spends, a generic
                # fund word named by the noun before it
                return seg_lo + pos - len(toks[k - 1][0]), seg_lo + pos + len(w)
    return None


def _has_money_head(seg: str) -> bool:
    """Whether a fund word occurs in `seg`: a word (or quoted name) ending on one is all
    `money_noun_before` looks for."""
    for h in _MONEY_HEAD_CORES:
        if h in seg:
            return True
    return False


# the fund words no shorter one is part of (资金 holds 金): one of them is in any text
# that holds a fund word
_MONEY_HEAD_CORES: Final = tuple(h for h in _MONEY_HEADS
                                 if not any(o != h and o in h for o in _MONEY_HEADS))
