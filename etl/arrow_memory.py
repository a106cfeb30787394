"""pyarrow's allocator in an `etl run` process: mimalloc without transparent huge pages.

pyarrow allocates through its bundled mimalloc, which asks the kernel for transparent
huge pages on its arenas (THP is on "madvise" on most Linux hosts). A run converts and
frees a few MB of Arrow buffers per report; each arena page mimalloc first touches is
then a 2 MB page the kernel zeroes whole, though the run uses a little of it: on 475
bench files 53 such faults cost 0.2-0.3 s of system CPU in perf's samples (3-4 % of
the run), where 4 kB pages cost a fifth of that (bench/RESULTS.md, branch run29).

mimalloc reads its options from the environment once, when pyarrow's library loads, so
`arrow_memory_without_huge_pages()` must run before pyarrow is imported; a user's own
MIMALLOC_ALLOW_THP is kept. Only for the `etl run` command as a whole process (its
worker processes inherit the setting); nothing else changes which allocator is used.
"""
from __future__ import annotations

import os
import sys

# mimalloc's option (v3, in pyarrow >= 20's bundled copy); unknown names are ignored
THP_OPTION = "MIMALLOC_ALLOW_THP"


def arrow_memory_without_huge_pages() -> bool:
    """Turn mimalloc's transparent huge pages off for pyarrow, if it is not loaded yet.
    True when the setting will take effect."""
    if "pyarrow" in sys.modules:
        return False
    os.environ.setdefault(THP_OPTION, "0")
    return True
