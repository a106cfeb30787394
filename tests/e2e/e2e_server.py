"""A Streamlit server for the browser tests: `streamlit run app.py` on a port of its own.

The port is the one the server itself bound: by default `--server.port 0` (the system
picks a free one; Streamlit logs which). A port picked here and handed over later could
be taken meanwhile by another test run on the machine, and a health check on it would
then be answered by that run's server."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTED = re.compile(r"server started on 127\.0\.0\.1:(\d+)")     # Streamlit's log line


class PortTaken(RuntimeError):
    """The port asked for was in use: pick another one and start again."""


def free_port() -> int:
    """A port free now, for a test that must know it before the server starts (it
    retries on PortTaken)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict, cwd: Path, log_path: Path, port: int = 0):
    """`streamlit run app.py` with `env`, from `cwd` (where it reads
    .streamlit/secrets.toml), on `port` (0: one the system picks); yields its URL once
    this server says it listens there and answers its health check; stops it afterwards."""
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120           # a loaded two-core box takes its time to import
    try:
        url = None
        while url is None:
            text = Path(log_path).read_text(encoding="utf-8", errors="replace")
            bound = STARTED.search(text)
            if bound and (port == 0 or int(bound.group(1)) == port):
                candidate = f"http://127.0.0.1:{bound.group(1)}"
                try:
                    if urllib.request.urlopen(candidate + "/_stcore/health", timeout=2).read() == b"ok":
                        url = candidate
                        break
                except OSError:
                    pass
            if proc.poll() is not None:
                if port and f"Port {port} is not available" in text:        # Streamlit's words
                    raise PortTaken(f"port {port} was taken; see {log_path}")
                raise RuntimeError(f"streamlit exited ({proc.returncode}); see {log_path}")
            if time.time() > deadline:
                raise RuntimeError(f"streamlit did not come up in 120 s; see {log_path}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
