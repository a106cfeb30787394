"""Checks across the stored figures (issue 6): duplicates, conflicts, arithmetic,
reprinted reports. `run.run_checks(store)` is the entry point; see run.py."""
