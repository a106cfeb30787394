"""Extraction: text in, one `Claim` per numeric mention out (`extract_text`).

    normalize         the simplified, half-width view the rules match on, with offsets back
    numerals          Chinese and Arabic numerals -> Decimal (万, 亿, 两, 余 ...)
    scanner           one regex from data/rules finds numeral + unit + approximation words
    text_spans        sentence and clause boundaries around a mention
    segmenter         jieba's words and tags (what the subject rules read)
    word_table        jieba's dictionary as one flat table of bytes, which the compiled
                      segmenter walks (the Python source reads per-character dicts)
    classify          claim or not: dates, ordinals, slogans, list markers, page furniture
    subject_words     the words around a figure and their categories; what a head word names
    phrases           the phrase grammar: the noun phrases before, after and around a figure
    subject_features  the features of a candidate subject (side, distance, head fit …)
    subjects          what a figure counts: a scored choice among candidate phrases
    qualifiers        per-unit amounts, totals, changes, shares
    metrics           what a figure measures (data/rules/metrics.yaml)
    roles             which figures add up: total, part, restatement … (data/rules/counting.yaml)
    tables            a figure in a table cell: unit and subject from the column header or
                      row label, serial numbers, 合计 rows (data/rules/tables.yaml)
    extract           all of the above into `Claim` records: the one entry point
    claim_columns     a report's claims as the store's columns, checked in one pass (for
                      etl/store/prepared.py)
    arrow_buffers     those columns filled value by value as the bytes of Arrow buffers
    arrow_message     those buffers laid out as a record batch's IPC message (the
                      signature's bytes, and what the table is read back from)
    claim_record      the `Claim` record itself (etl/claim.py re-exports it): compiled, a
                      native class the modules above make and read without attribute lookups
    literal_scan      whole-text scans for sets of literal words or characters by a table of
                      first characters (describe's campaign aliases, places, squeezed view)
    claim_jsonl       claims as JSON Lines bytes, the loop of `etl extract`'s writer (for
                      etl/claim_lines.py); from source it writes into bytes_writer.py's
                      stand-in for mypyc's buffer (not compiled itself)

These are the modules every mention passes through, and the ones `make` compiles with
mypyc (native.py decides, once per process and before any of them is imported,
whether the compiled build or the Python source runs; `BUILD` says which).
"""
from . import native

BUILD = native.select()
