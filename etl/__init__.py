"""Report Figures ETL: read reports, find every numeric mention, store the claims.

The folders follow the data, in the order it flows:

    reading/     file -> decoded text, page text, report metadata (title, date, campaign …)
    extraction/  text -> one `Claim` per numeric mention (claim.py: the record)
    pipeline.py  the one route from files to the store (run, check on files, upload);
                 process_ahead.py: files are read in worker processes while it saves
                 (read_ahead.py: in a thread, where processes are dear);
                 extract_workers.py: `etl extract --workers N` through the same
    store/       the DuckDB store: schema, connection, writes, reads, export, analysis
    checks/      duplicates, conflicts, arithmetic across the stored claims
    views/       the dashboard's queries, labels, charts and tables (the pages import them)
    exports/     charts as files, briefing packs (PowerPoint, Excel)
    cli.py       `python -m etl --help`
    errors.py    a known failure (damaged store, unwritable output, full disk) as one line
                 and an exit status, for the command line and the pages

    stores.py    which store holds which reports (the demo's, a user's, $REPORT_FIGURES_DB)
    serve.py     build a store for some reports and start the dashboard on it

Rules are data (data/rules/*.yaml, loaded by rules.py). What is slow to build at a start
(the rules' parsed YAML, jieba's tables, the large regexes: regex_cache.py, a new store's
schema) is kept between starts by file_cache.py. Nothing here imports streamlit.
"""

__version__ = "0.9.0"
