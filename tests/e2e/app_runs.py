"""Waiting for Streamlit in a browser test without guessing how long a run takes.

A click on a widget sends the server a rerun request and returns at once; the run starts
when the server gets to it and ends with a `script_finished` message. Streamlit's own
signs of a run are late or missing: its status widget shows only after 500 ms of running,
and the app root's `data-test-script-state` stays "notRunning" until the server's "now
running" message arrives (and React may never draw "running" for a run whose messages
come in one burst). So a wait that starts right after the click sees "idle" before the
run has begun, and the next click goes out with the previous run's address and widget
states (the red CI run of test_a_copied_url_reopens_the_same_chart). The old wait (300 ms,
then no status widget) returned while the click's run was still going in 11 of 12 clicks
on 对比 with the machine busy.

What is certain is the message: every page gets RUN_COUNTER, which counts the
`script_finished` messages the server sends (a whole run, or a fragment's run; not a run
cut short by a rerun), once Streamlit has handled each. `rerun(page)` wraps an action that
makes the script run: it waits for the app to be idle, notes the count, does the action,
and waits for a higher count with the app idle again, so the run that action caused has
finished and its address and elements have reached the page.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:          # conftest imports this module; playwright may be missing (skip)
    from playwright.sync_api import Locator, Page

TIMEOUT_MS = 120_000         # a run on a loaded two-core box (an upload extracts in a worker process)

# ForwardMsg field 6 is `script_finished` (an enum; protobuf numbers never change):
# 0 the whole script ran, 3 a fragment ran; 2 (stopped early for a rerun) and 1 (compile
# error) are not a finished run. Counted on a zero-delay timer: Streamlit handles a
# message in promise callbacks, which all run before the timer does.
RUN_COUNTER = """
(() => {
  if (window.__rfRuns !== undefined) return;
  window.__rfRuns = 0;
  const finishedStatus = (data) => {
    if (!(data instanceof ArrayBuffer)) return -1;
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => {
      let v = 0, scale = 1, x;
      do { x = b[i++]; v += (x & 0x7f) * scale; scale *= 128; } while (x & 0x80 && i < b.length);
      return v;
    };
    while (i < b.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
      if (wire === 0) { const v = varint(); if (field === 6) return v; }
      else if (wire === 2) { const n = varint(); i += n; }   // not `i += varint()`: i is read first
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return -1;
    }
    return -1;
  };
  window.__rfFinishedStatus = finishedStatus;          // for tests/e2e/test_app_runs_browser.py
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).includes("/_stcore/stream")) return;
      this.addEventListener("message", (ev) => {
        const status = finishedStatus(ev.data);
        if (status === 0 || status === 3) setTimeout(() => { window.__rfRuns += 1; }, 0);
      });
    }
  };
})();
"""

_IDLE = """(after) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return window.__rfRuns > after && app !== null
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning';
}"""


def runs_finished(page: Page) -> int:
    """How many runs of the script have finished in this page since it was loaded."""
    return int(page.evaluate("window.__rfRuns"))


def wait_idle(page: Page, after: int = 0) -> None:
    """Wait until more than `after` runs have finished (by default: the page's first run)
    and the app is connected and not running."""
    # polled on a timer, not on animation frames: a tab in the background gets none
    page.wait_for_function(_IDLE, arg=after, polling=50, timeout=TIMEOUT_MS)


@contextmanager
def rerun(page: Page) -> Iterator[None]:
    """`with rerun(page): <a click that makes the script run>`: the action is sent to an
    idle app, and the block ends once the run it caused has finished."""
    wait_idle(page)
    before = runs_finished(page)
    yield
    wait_idle(page, after=before)


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the selectbox labelled `label` (react-aria ComboBox)."""
    wait_idle(page)
    page.get_by_role("combobox", name=label).click()
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def settled_box(page: Page, locator: Locator) -> dict:
    """The element's box once it has stopped moving (two reads 100 ms apart agree): a
    click at coordinates must not land where the element was a moment ago."""
    locator.wait_for()
    box = locator.bounding_box()
    for _ in range(100):
        page.wait_for_timeout(100)
        again = locator.bounding_box()
        if again == box and box is not None:
            return box
        box = again
    raise AssertionError(f"{locator} kept moving: {box}")


def add_file(page: Page, path: Path) -> None:
    """Put the file at `path` into the page's file uploader: returns once it is uploaded
    (listed under the box) and the run its arrival started has finished, so a button
    clicked next is sent with the file in it."""
    from playwright.sync_api import expect
    with rerun(page):
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    expect(page.locator('[data-testid="stFileChip"]', has_text=path.name)).to_be_visible()


def click_first_row(page: Page, grid: Locator) -> None:
    """Select the first row of `grid` (a canvas: click its row-marker cell) and wait for
    the run the selection starts."""
    wait_idle(page)
    gb = settled_box(page, grid)
    with rerun(page):
        page.mouse.click(gb["x"] + 14, gb["y"] + 35 + 17)


def search(page: Page, label: str | re.Pattern, text: str) -> None:
    """Type `text` into the text box labelled `label` and press Enter (one run)."""
    box = page.get_by_role("textbox", name=label)
    wait_idle(page)
    box.fill(text)
    with rerun(page):
        box.press("Enter")
