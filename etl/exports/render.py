"""Figure -> PNG / SVG / PDF bytes with kaleido and Debian's Chromium.

One Chromium per process, started on the first export and kept alive (starting one
takes ~3 s; an export with it running takes ~0.25 s). Every export holds one lock:
kaleido's own sync server hands images to the wrong caller when several threads
export at once (RECIPES pitfall 1), and Streamlit runs each session, and each
deferred download, in its own thread.

Why not kaleido.start_sync_server: it waits on a queue without a timeout, so a
Chromium that is missing or dies hangs the caller forever. Here the same kaleido
object runs on our own event-loop thread and every call has a timeout; a failed
call restarts Chromium once and tries again.

No MathJax (mathjax=False: otherwise kaleido fetches it from a CDN); plotly.js comes
from the installed plotly package, so nothing is downloaded.
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import functools
import logging
import os
import shutil
import subprocess
import threading
import time

import plotly.graph_objects as go

from etl.exports import pdf_text

FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
DEFAULT_WIDTH = 1200           # layout pixels; the on-screen chart is about this wide
DEFAULT_SCALE = 2              # PNG: 2400 px wide, sharp on a slide or in print
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0

log = logging.getLogger(__name__)


class ExportUnavailable(RuntimeError):
    """No browser to draw with; the message says what to install."""


class ExportFailed(RuntimeError):
    """Chromium could not draw this figure (after one restart)."""


_LOCK = threading.Lock()
_server: "_Server | None" = None
# (format, seconds) of recent exports, newest last: the dashboard and the bench read it.
timings: list[tuple[str, float]] = []


def browser_path() -> str | None:
    """The browser kaleido will use: $BROWSER_PATH, else chromium/chrome on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.exists(env) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        if p := shutil.which(name):
            return p
    return None


# What the export buttons and `export-chart` say when no browser is found: what is
# missing, what still works, and how to add it (no root needed to start the dashboard).
HOW_TO = ("图表导出（PNG/SVG/PDF、PowerPoint）需要 Chromium 浏览器，本机未找到；CSV 和 Excel 下载不受影响。"
          "添加方法：Debian/Ubuntu 运行 sudo apt-get install chromium fonts-noto-cjk；"
          "其他系统安装 Chrome 或 Chromium，或把环境变量 BROWSER_PATH 设为它的路径；然后重启看板。")
NO_CJK_FONT = ("本机未找到中文字体，导出的图表中汉字会显示为方框。"
               "添加方法：Debian/Ubuntu 运行 sudo apt-get install fonts-noto-cjk，然后重启看板。")


class _Server:
    """One kaleido.Kaleido (one Chromium, one tab) on its own event-loop thread."""

    def __init__(self) -> None:
        import kaleido

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido-loop",
                                       daemon=True)
        self.thread.start()

        async def _open():
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False)
            await k.open()
            return k

        try:
            self.k = self._call(_open(), START_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    def _call(self, coro, timeout: float):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def render(self, spec: dict, opts: dict) -> bytes:
        return self._call(self.k.calc_fig(spec, opts=opts), RENDER_TIMEOUT + 5)

    def close(self) -> None:
        try:
            self._call(self.k.close(), 15)
        except BaseException as exc:  # noqa: BLE001 - closing a broken browser
            log.debug("closing kaleido: %r", exc)
        self._stop_loop()

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _start() -> _Server:
    global _server
    if _server is None:
        try:
            _server = _Server()
        except Exception as exc:
            from choreographer.errors import ChromeNotFoundError
            if isinstance(exc, ChromeNotFoundError) or browser_path() is None:
                raise ExportUnavailable(HOW_TO) from exc
            raise ExportFailed(f"Chromium did not start: {type(exc).__name__}: {exc}") from exc
    return _server


def _stop() -> None:
    global _server
    if _server is not None:
        srv, _server = _server, None
        srv.close()


def shutdown() -> None:
    """Close the Chromium (at exit; tests)."""
    with _LOCK:
        _stop()


atexit.register(shutdown)


def available() -> bool:
    """A browser is there to render with (it is started on the first export)."""
    return _server is not None or browser_path() is not None


def missing() -> str | None:
    """What chart export lacks on this machine, in Chinese with how to add it, or None.
    A missing CJK font is looked for with fontconfig, where there is one (Linux)."""
    if not available():
        return HOW_TO
    if _no_cjk_font():
        return NO_CJK_FONT
    return None


@functools.cache
def _no_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False                 # no fontconfig (macOS, Windows): the system fonts have CJK
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return not out.strip()


def size(fig: go.Figure, width: int | None = None, height: int | None = None) -> tuple[int, int]:
    """Layout size of an export: the figure's own height (the builders set it from the
    number of rows) and DEFAULT_WIDTH unless told otherwise."""
    w = int(width or fig.layout.width or DEFAULT_WIDTH)
    h = int(height or fig.layout.height or 500)
    return w, h


def render(fig: go.Figure, fmt: str, *, width: int | None = None, height: int | None = None,
           scale: float | None = None) -> bytes:
    """The figure as PNG, SVG or PDF bytes. PNG is `scale` times the layout size
    (default 2: 2400 px wide); SVG and PDF are vector and ignore scale. Drawn with
    charts.EXPORT_TEMPLATE whatever the figure's template (see charts.for_export)."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    from etl.views.charts import for_export

    w, h = size(fig, width, height)
    opts = {"format": fmt, "width": w, "height": h,
            "scale": (scale or DEFAULT_SCALE) if fmt == "png" else 1}
    spec = for_export(fig).to_dict()
    with _LOCK:
        t0 = time.perf_counter()
        for attempt in (1, 2):
            srv = _start()
            try:
                out = srv.render(spec, opts)
                break
            except (concurrent.futures.TimeoutError, Exception) as exc:  # noqa: BLE001
                log.warning("kaleido export failed (attempt %d): %r", attempt, exc)
                _stop()                       # a wedged or dead Chromium: start afresh
                if attempt == 2:
                    raise ExportFailed(f"{fmt} export failed: {type(exc).__name__}: {exc}") from exc
        timings.append((fmt, time.perf_counter() - t0))
        del timings[:-200]
    if fmt == "pdf":            # the text layer as written (金, not the radical ⾦)
        out = pdf_text.searchable(out)
    return out


def render_many(fig: go.Figure, formats: list[str], **kw) -> dict[str, bytes]:
    return {f: render(fig, f, **kw) for f in formats}
