"""pyarrow's allocators in an `etl run` process: mimalloc without transparent huge
pages, and jemalloc without its background thread.

pyarrow allocates through its bundled mimalloc, which asks the kernel for transparent
huge pages on its arenas (THP is on "madvise" on most Linux hosts). A run converts and
frees a few MB of Arrow buffers per report; each arena page mimalloc first touches is
then a 2 MB page the kernel zeroes whole, though the run uses a little of it: on 475
bench files 53 such faults cost 0.2-0.3 s of system CPU in perf's samples (3-4 % of
the run), where 4 kB pages cost a fifth of that (bench/RESULTS.md, branch run29).

pyarrow's bundled jemalloc, which allocates nothing unless asked for (mimalloc is the
default pool), starts a purging thread when the library loads. That thread made the
run's process one of two threads when it starts its reading worker, so the worker was
forked beside it (Python 3.12+ warns that the child may deadlock on a lock the other
thread held) or, where the default start method is a fork server (Python 3.14), not
forked at all and the one-worker run read in a thread instead (etl/process_ahead.py,
`start_method`). Without the thread, jemalloc purges as it allocates.

Both allocators read their options from the environment once, when pyarrow's library
loads, so `arrow_memory_for_a_run()` must run before pyarrow is imported; a user's own
settings are kept. Only for the `etl run` command as a whole process (its worker
processes inherit the settings); nothing else changes which allocator is used.
"""
from __future__ import annotations

import os
import sys

# mimalloc's option (v3, in pyarrow >= 20's bundled copy); unknown names are ignored
THP_OPTION = "MIMALLOC_ALLOW_THP"
# jemalloc's options, under the prefix pyarrow builds it with (je_arrow_)
JEMALLOC_OPTIONS = "JE_ARROW_MALLOC_CONF"


def arrow_memory_for_a_run() -> bool:
    """Turn mimalloc's transparent huge pages and jemalloc's background thread off for
    pyarrow, if it is not loaded yet. True when the settings will take effect."""
    if "pyarrow" in sys.modules:
        return False
    os.environ.setdefault(THP_OPTION, "0")
    os.environ.setdefault(JEMALLOC_OPTIONS, "background_thread:false")
    return True
