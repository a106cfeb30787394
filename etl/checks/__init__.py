"""Checks across the stored figures (issue 6): duplicates, conflicts, arithmetic,
reprinted reports. Entry points: `run.run_checks(store)`, `run.check_paths(paths)`,
`python -m etl check` (command.py) and the dashboard's 核查 page (pages/checks.py).

    config.py           data/rules/checks.yaml, loaded and validated once
    findings.py         the Finding record (issue-6 JSON) and ClaimRef
    prepare.py          claims -> TEMP table ck with each figure's written-precision interval
    subjects.py         subject keys: t2s, synonyms, list parts, containment
    blocking.py         candidate pairs from blocks, never all pairs
    context.py          do two figures sit in the same words? (bigram overlap)
    duplicates.py       the same figure in several reports, grouped (dup_group)
    conflicts.py        the same metric with incompatible values
    arithmetic.py       per x count = total, parts = total, part / whole = share
    near_duplicates.py  reprinted reports (MinHash LSH in numpy)
    wording.py          report labels and figures written the Chinese way
    run.py              runs them all, saves the results
"""
