"""`etl run` turns off mimalloc's transparent huge pages for pyarrow (etl/arrow_memory.py):
each fresh 2 MB page was zeroed whole by the kernel for a few kB of Arrow buffers. And
jemalloc's background thread, which made the run's process multi-threaded before it
forks its reading worker. Each check in a fresh interpreter: the settings only work
before pyarrow loads."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from command_script import as_command

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT / "data" / "corpus").glob("*.txt"))
THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")

# Arrow buffers of ~13 MB held, then the process's huge pages as the kernel counts them
_HUGE_PAGES = """
import sys
from etl.arrow_memory import arrow_memory_for_a_run
if sys.argv[1] == "set":
    print(arrow_memory_for_a_run())
import pyarrow as pa
held = [pa.array(list(range(200_000))) for _ in range(8)]
with open("/proc/self/smaps_rollup") as f:
    print(next(int(line.split()[1]) for line in f if line.startswith("AnonHugePages:")))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MIMALLOC_ALLOW_THP", "JE_ARROW_MALLOC_CONF")}
    env.update(extra)
    return env


def _huge_kb(how: str, **env: str) -> list[str]:
    res = subprocess.run([sys.executable, "-c", _HUGE_PAGES, how], cwd=ROOT, env=_env(**env),
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout.split()


@pytest.mark.skipif(not (THP.exists() and "[madvise]" in THP.read_text()),
                    reason="the host's transparent huge pages are not on 'madvise'")
def test_arrow_buffers_take_no_huge_pages_once_set():
    assert int(_huge_kb("leave")[-1]) > 0        # the default this works against
    assert _huge_kb("set") == ["True", "0"]
    assert int(_huge_kb("leave", MIMALLOC_ALLOW_THP="1")[-1]) > 0


def test_a_users_own_setting_is_kept_and_a_loaded_pyarrow_left_as_it_is():
    script = """
import os, sys
from etl.arrow_memory import arrow_memory_for_a_run
first = arrow_memory_for_a_run()
import pyarrow
print(first, os.environ["MIMALLOC_ALLOW_THP"], os.environ["JE_ARROW_MALLOC_CONF"], arrow_memory_for_a_run())
"""
    for env, want in (({}, "True 0 background_thread:false False"),
                      ({"MIMALLOC_ALLOW_THP": "1", "JE_ARROW_MALLOC_CONF": "narenas:2"}, "True 1 narenas:2 False")):
        res = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=_env(**env),
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == want.split()


_AS_COMMAND = as_command('''
print("MIMALLOC_ALLOW_THP=" + os.environ.get("MIMALLOC_ALLOW_THP", "unset"),
      "JE_ARROW_MALLOC_CONF=" + os.environ.get("JE_ARROW_MALLOC_CONF", "unset"), flush=True)
''')


_THREADS = """
import os, sys
from etl.arrow_memory import arrow_memory_for_a_run
if sys.argv[1] == "set":
    arrow_memory_for_a_run()
import pyarrow
print(" ".join(sorted(open(f"/proc/self/task/{t}/comm").read().strip() for t in os.listdir("/proc/self/task"))))
"""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_pyarrow_loads_without_a_thread_once_set():
    # numpy (which pyarrow imports when it can) starts threads of its own: the run hides it
    def threads(how: str) -> list[str]:
        res = subprocess.run([sys.executable, "-c", "import sys; sys.modules['numpy'] = None\n" + _THREADS, how],
                             cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        return res.stdout.split()
    assert "jemalloc_bg_thd" in threads("leave")     # the default this works against
    assert threads("set") == ["python"]


def test_the_run_command_sets_it(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / CORPUS[0].name).write_bytes(CORPUS[0].read_bytes())
    res = subprocess.run([sys.executable, "-c", _AS_COMMAND, "run", str(d), "--db", str(tmp_path / "s.duckdb"),
                          "--no-progress"], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split()[-2:] == ["MIMALLOC_ALLOW_THP=0", "JE_ARROW_MALLOC_CONF=background_thread:false"]
