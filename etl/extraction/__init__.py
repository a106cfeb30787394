"""Extraction: text in, one `Claim` per numeric mention out (`extract_text`).

    normalize    the simplified, half-width view the rules match on, with offsets back
    numerals     Chinese and Arabic numerals -> Decimal (万, 亿, 两, 余 ...)
    scanner      one regex from data/rules finds numeral + unit + approximation words
    text_spans   sentence and clause boundaries around a mention
    segmenter    jieba's words and tags (what the subject rules read)
    classify     claim or not: dates, ordinals, slogans, list markers, page furniture
    subjects     what a figure counts: the noun phrase by it
    qualifiers   per-unit amounts, totals, changes, shares
    metrics      what a figure measures (data/rules/metrics.yaml)
    extract      all of the above into `Claim` records: the one entry point

These are the modules every mention passes through, and the ones `make` compiles with
mypyc (native.py decides, once per process and before any of them is imported,
whether the compiled build or the Python source runs; `BUILD` says which).
"""
from . import native

BUILD = native.select()
