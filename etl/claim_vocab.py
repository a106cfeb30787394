"""The values a `Claim`'s enumerated fields take (etl/claim.py re-exports them).

Apart from the record because etl/rules.py checks the rule files against them, and the
compiled extraction modules read those rules: were rules.py to import etl/claim.py, which
imports the compiled record (etl/extraction/claim_record.py), mypyc would type-check it
in one cycle with the whole compiled group, where the types of its cached functions
cannot be determined.
"""
from __future__ import annotations

from typing import Literal

UnitClass = Literal["money", "people", "person_times", "orgs", "items", "events",
                    "percent", "duration", "other"]
Approx = Literal["exact", "about", "over", "under", "at_most", "at_least", "range"]
Kind = Literal["date", "year", "ordinal", "slogan", "list_marker", "anniversary",
               "meta", "name", "other"]

UNIT_CLASSES: tuple[str, ...] = ("money", "people", "person_times", "orgs", "items",
                                 "events", "percent", "duration", "other")
APPROX_KINDS: tuple[str, ...] = ("exact", "about", "over", "under", "at_most",
                                 "at_least", "range")
NON_CLAIM_KINDS: tuple[str, ...] = ("date", "year", "ordinal", "slogan", "list_marker",
                                    "anniversary", "meta", "name", "other")
# GUIDE-counting.md: the roles a money / people / person_times claim plays in its report
ROLES: tuple[str, ...] = ("total", "part", "restatement", "rate", "change", "plan", "context")
COUNTED_CLASSES: tuple[str, ...] = ("money", "people", "person_times")
