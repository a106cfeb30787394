"""When a run saves what it has read: the batch schedule of `etl run` (etl/pipeline.py).

The first batch is small and early, so the dashboard soon has something to show. Every
later batch is shaped by DuckDB's row groups (ROW_GROUP_ROWS rows of a table):
- a transaction that adds a whole row group to a table is written straight to the
  database file, where a smaller one goes through the log and is compressed again at
  the checkpoint;
- but the closing checkpoint merges neighbouring part-filled row groups (a "vacuum"), and
  a row group written straight to the file between two part-filled ones is read back and
  written again with them: batches of "a row group or more" cost more than small ones
  (bench/RESULTS.md, branch batch27).
So a later batch adds exactly what the claims table's last row group lacks (through the
log, filling it) or exactly a whole row group (straight to the file): the table stays
whole row groups and one part-filled last one, which the checkpoint leaves alone. The
batch that reaches its rows holds back a few of its reports (`hold_back`) so that the
rest add exactly that; they start the next batch. When the first batch began the row
group (a new store), the batch that completes it deletes and inserts the first batch's
claims again in its own transaction (`save_reports(rewrite=)`): the whole row group is then
one transaction's and goes straight to the file too, and the closing checkpoint drops the
row group the delete emptied, instead of compressing a row group of rows from the log
(bench/RESULTS.md, branch store32). A file cap bounds the memory a batch
holds, and a time limit keeps a slow run's reports arriving. The run's last rows go
through the log whatever the batches, so once the files left look unlikely to fill the
row group, they are saved TAIL_FILES at a time as they come: little is left to save
after the last file is read.
"""
from __future__ import annotations

from dataclasses import dataclass

# DuckDB's row group (rows), fixed in DuckDB 2.0.1: a transaction adding this many rows
# to one table (in any number of INSERTs) skips the log (tests/test_run_batches.py)
ROW_GROUP_ROWS = 122_880

FIRST_BATCH = 64           # files in the first batch
FIRST_SECONDS = 10.0       # ... or what was read in this time
# later batches: the rows the claims table's last row group lacks, or a whole one (~600
# bench files), at most BATCH_FILES files, or what was read in BATCH_SECONDS
BATCH_FILES = 2048
BATCH_SECONDS = 60.0
# the run's tail: saved this many files at a time (see above)
TAIL_FILES = 64
# reports looked at, latest first, for the ones to hold back
HOLD_BACK_FROM = 64


@dataclass(slots=True)
class BatchSchedule:
    """Says when the batch being filled is to be saved, and how many rows it should add."""
    first_files: int = FIRST_BATCH
    first_seconds: float = FIRST_SECONDS
    rows: int = ROW_GROUP_ROWS
    files: int = BATCH_FILES
    seconds: float = BATCH_SECONDS
    tail_files: int = TAIL_FILES
    saved: int = 0             # batches saved with at least one report in them
    tail: int = 0              # rows in the claims table's last row group (0: none, or full)

    def goal(self) -> int:
        """Rows the next later batch is to add: what fills the last row group, or a whole one."""
        return self.rows - self.tail % self.rows

    def first(self) -> bool:
        return self.saved == 0

    def full(self, n_files: int, n_rows: int, elapsed: float, rows_left: float | None = None) -> bool:
        """Save now? `n_files` reports holding `n_rows` mentions, read in `elapsed` s
        since the last save; `rows_left`: the mentions the files not yet read are
        expected to hold."""
        if self.first():
            return n_files >= self.first_files or elapsed > self.first_seconds
        if n_rows >= self.goal() or n_files >= self.files or elapsed > self.seconds:
            return True
        # the rest of the run is the table's tail, short of the goal even at twice the
        # rows expected: saved in pieces as it comes
        return (rows_left is not None and n_files >= self.tail_files
                and n_rows + 2 * rows_left < self.goal())

    def saved_batch(self, n_reports: int, rows_added: int) -> None:
        """A batch of `n_reports` reports added `rows_added` rows to the claims table
        (appended after its last row: DuckDB fills the last row group, then starts one)."""
        if n_reports:
            self.saved += 1
        self.tail = (self.tail + rows_added) % self.rows


def hold_back(mentions: list[int], excess: int, window: int = HOLD_BACK_FROM) -> list[int] | None:
    """Positions of reports (among the last `window`) whose mentions add up to exactly
    `excess`, latest reports preferred; None when no set of them does."""
    if excess <= 0:
        return [] if excess == 0 else None
    start = max(0, len(mentions) - window)
    # reach[k]: the sums the reports from position start + k on can make (a bit per sum)
    mask = (1 << (excess + 1)) - 1
    reach = [0] * (len(mentions) - start + 1)
    reach[-1] = 1
    for k in range(len(mentions) - start - 1, -1, -1):
        n = mentions[start + k]
        reach[k] = (reach[k + 1] | (reach[k + 1] << n)) & mask
    if not reach[0] >> excess & 1:
        return None
    out, left = [], excess
    for k in range(len(mentions) - start):      # earliest first: skip a report if the rest can do it
        if reach[k + 1] >> left & 1:
            continue
        out.append(start + k)
        left -= mentions[start + k]
    return out
