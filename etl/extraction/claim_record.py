"""The `Claim` record itself, compiled with the extraction modules (etl/claim.py says
what it is and re-exports it; import it from there).

Compiled by mypyc, `Claim` is a native class: the extraction modules make it with a
direct call to its compiled `__init__` (a dataclass's generated one is interpreted,
about 3 % of extraction) and read and write its fields as struct members instead of
through `PyObject_GetAttr` (bench/RESULTS.md, issue 23, branch claimnative24). As the
Python source (REPORT_FIGURES_PURE=1, or no build) it is an ordinary dataclass. Either
way `@dataclass` gives it `dataclasses.fields / replace / asdict`, `__eq__` and `__repr__`.

Every field is declared `Any` to the compiler: a native attribute checks the type it is
declared with on every store, and a claim with a wrong type (a test's, a JSON file's)
must still be built, written and then refused by the store's checks, never raise where
it is made. What each field holds is `FIELD_TYPES` (the store's column types are made
from it, etl/store/schema.py).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, Final

# Each field and the type it holds, in field order (tests/test_claim_record.py holds
# this equal to the dataclass's fields).
FIELD_TYPES: Final = (
    ("doc", "str"), ("start", "int"), ("end", "int"), ("text", "str"), ("is_claim", "bool"),
    ("kind", "str | None"), ("value", "Decimal | None"), ("value_max", "Decimal | None"),
    ("unit", "str | None"), ("unit_class", "str | None"), ("approx", "str | None"),
    ("subject", "str | None"), ("sentence", "str"), ("sentence_start", "int | None"),
    ("sentence_end", "int | None"), ("per", "str | None"), ("aggregate", "str | None"),
    ("change", "str | None"), ("share_of", "str | None"), ("reason", "str"),
    ("metric", "str | None"), ("metric_evidence", "str | None"), ("role", "str | None"),
    ("counted", "bool | None"), ("of_start", "int | None"), ("of_end", "int | None"),
    ("role_reason", "str | None"))


# init=False: the __init__ below is the one compiled (a generated one would be interpreted).
# slots=True makes the Python source's class a slotted copy, as it was; in the compiled
# build the native class has its fields as members already, and mypyc keeps it, not the copy.
@dataclass(init=False, slots=True)
class Claim:
    doc: Any                      # str: the report's file name (base name)
    start: Any                    # int: half-open span into the report's decoded text
    end: Any                      # int
    text: Any                     # str: the span as written: text == decoded[start:end]
    is_claim: Any                 # bool: a reported quantity (True) or not
    kind: Any = None              # for non-claims: date, year, ordinal, slogan ...
    value: Any = None             # Decimal in base units: 万 = 1e4, money in 元, 45% -> 45
    value_max: Any = None         # Decimal: upper end of a range, else None
    unit: Any = None              # canonical unit: 元, %, 人, 人次, else the classifier
    unit_class: Any = None        # one of UNIT_CLASSES
    approx: Any = None            # one of APPROX_KINDS (claims only)
    subject: Any = None           # what is counted, copied from the text
    sentence: Any = ""            # claims: the sentence around the mention, as written
    sentence_start: Any = None    # int: its span (None for non-claims: not looked up)
    sentence_end: Any = None
    per: Any = None               # per-unit amount: 每人1000元 -> "人"
    aggregate: Any = None         # total/cumulative marker as written: 共计, 合计, 累计
    change: Any = None            # "increase" / "decrease" when the figure is a change
    share_of: Any = None          # 完成…的65%: the whole the share is of
    reason: Any = ""              # the rule that decided is_claim/kind (for auditing)
    metric: Any = None            # what the figure measures (data/rules/metrics.yaml id)
    metric_evidence: Any = None   # the words that decided the metric
    # Which figures add up (shared/eval/GUIDE-counting.md; money, people, person_times
    # claims only, None for the rest): total, part, restatement, rate, change, plan, context
    role: Any = None
    counted: Any = None           # bool: True only for a total: what a sum should count
    of_start: Any = None          # int: a part's total, a restatement's first mention: its span
    of_end: Any = None            # (written as "of": [start, end] by to_dict)
    role_reason: Any = None       # the rule that decided the role (for auditing)

    def __init__(self, doc: Any, start: Any, end: Any, text: Any, is_claim: Any,
                 kind: Any = None, value: Any = None, value_max: Any = None, unit: Any = None,
                 unit_class: Any = None, approx: Any = None, subject: Any = None,
                 sentence: Any = "", sentence_start: Any = None, sentence_end: Any = None,
                 per: Any = None, aggregate: Any = None, change: Any = None,
                 share_of: Any = None, reason: Any = "", metric: Any = None,
                 metric_evidence: Any = None, role: Any = None, counted: Any = None,
                 of_start: Any = None, of_end: Any = None, role_reason: Any = None) -> None:
        # the fields in order, each with the default its declaration has
        # (tests/test_claim_record.py checks both against dataclasses.fields)
        self.doc = doc
        self.start = start
        self.end = end
        self.text = text
        self.is_claim = is_claim
        self.kind = kind
        self.value = value
        self.value_max = value_max
        self.unit = unit
        self.unit_class = unit_class
        self.approx = approx
        self.subject = subject
        self.sentence = sentence
        self.sentence_start = sentence_start
        self.sentence_end = sentence_end
        self.per = per
        self.aggregate = aggregate
        self.change = change
        self.share_of = share_of
        self.reason = reason
        self.metric = metric
        self.metric_evidence = metric_evidence
        self.role = role
        self.counted = counted
        self.of_start = of_start
        self.of_end = of_end
        self.role_reason = role_reason

    def field_values(self) -> tuple[Any, ...]:
        """Every field's value, in field order, in one call: how Python code that reads
        them all (the JSON Lines writer, etl/claim_lines.py) reads a native class's fields,
        each of which costs a descriptor look-up when read by name from Python."""
        return (self.doc, self.start, self.end, self.text, self.is_claim, self.kind,
                self.value, self.value_max, self.unit, self.unit_class, self.approx,
                self.subject, self.sentence, self.sentence_start, self.sentence_end,
                self.per, self.aggregate, self.change, self.share_of, self.reason,
                self.metric, self.metric_evidence, self.role, self.counted,
                self.of_start, self.of_end, self.role_reason)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as the class and every field in order (worker processes, Dask): a
        native class has no instance dict for pickle's default to copy."""
        return (Claim, self.field_values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the scorer's field names; Decimals become numbers.

        Written out field by field: `dataclasses.asdict` deep-copies every value and
        cost more than extraction itself in `etl extract` (issue 23). The keys are the
        fields in order, with of_start/of_end as one "of" at the end
        (tests/test_claim_lines.py checks this against the fields)."""
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text,
                "is_claim": self.is_claim, "kind": self.kind, "value": number_out(self.value),
                "value_max": number_out(self.value_max), "unit": self.unit,
                "unit_class": self.unit_class, "approx": self.approx, "subject": self.subject,
                "sentence": self.sentence, "sentence_start": self.sentence_start,
                "sentence_end": self.sentence_end, "per": self.per, "aggregate": self.aggregate,
                "change": self.change, "share_of": self.share_of, "reason": self.reason,
                "metric": self.metric, "metric_evidence": self.metric_evidence, "role": self.role,
                "counted": self.counted, "role_reason": self.role_reason,
                "of": None if self.of_start is None else [self.of_start, self.of_end]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        known = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in known}
        if d.get("of"):
            kw["of_start"], kw["of_end"] = int(d["of"][0]), int(d["of"][1])
        for key in ("value", "value_max"):
            if kw.get(key) is not None:
                kw[key] = Decimal(str(kw[key]))
        return cls(**kw)


def number_out(x: Any) -> Any:
    """A Decimal as the plainest JSON number: 8200000, not 8.2E+6 or 8200000.0."""
    if x is None:
        return None
    if x == x.to_integral_value():
        return int(x)
    return float(x)
