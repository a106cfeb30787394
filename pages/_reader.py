"""The report reader's scroll: bring the selected figure into view.

The report's text is markdown in a scrolling box (pages/report.py); the selected figure
is the coloured span followed by the marker ◀. Streamlit cannot scroll for the reader,
so a small script (in a zero-height component iframe, which shares the app's origin)
finds that span inside the box and calls scrollIntoView, retrying while the text is
still being drawn. Nothing from the report goes into the script but the figure's text,
as a JSON string.
"""
from __future__ import annotations

import json

import streamlit.components.v1 as components

BOX_CLASS = "st-key-r_text_box"      # the box's key is r_text_box (pages/report.py)

_SCRIPT = """<script>
(function () {
  const doc = window.parent.document, want = %(text)s, marker = %(marker)s, page = %(page)s;
  let tries = 0;
  function find() {
    const box = doc.querySelector(".%(box)s");
    if (!box) return null;
    const walk = doc.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.nodeValue.includes(marker)) continue;
      const mark = n.previousSibling;
      if (mark && mark.nodeType === 1 && mark.textContent === want) return mark;
    }
    return null;
  }
  function go() {
    const mark = find();
    if (mark) {
      // only when out of sight (toggling the numbers keeps the view)
      const box = doc.querySelector(".%(box)s"), r = mark.getBoundingClientRect(),
            b = box.getBoundingClientRect();
      const inBox = r.top >= b.top && r.bottom <= b.bottom;
      const inWindow = r.top >= 0 && r.bottom <= window.parent.innerHeight;
      if (page && !(inBox && inWindow)) {
        mark.scrollIntoView({block: "center", inline: "nearest"});   // the box and the page
      } else if (!page && !inBox) {                                   // the box only
        box.scrollTop += (r.top - b.top) - box.clientHeight / 2;
      }
      mark.setAttribute("data-selected-figure", %(claim)s);
      return;
    }
    if (++tries < 300) setTimeout(go, 100);      // 30 s: a busy machine draws a long report late
  }
  go();
})();
</script>"""


def scroll_script(text: str, claim_id: str, marker: str, page: bool = True) -> str:
    """The script that scrolls the mark `text` followed by `marker` into view (the
    claim id makes each selection a new script, so it runs again) and tags it with
    data-selected-figure. `page`: the window too (a figure asked for by a link or
    another page); else only the reader's box, so the page does not jump."""
    return _SCRIPT % {"text": _js(text), "marker": _js(marker), "claim": _js(claim_id),
                      "box": BOX_CLASS, "page": "true" if page else "false"}


def _js(s: str) -> str:
    """A JavaScript string literal that cannot end the script element."""
    return json.dumps(s).replace("<", "\\u003c").replace(">", "\\u003e")


def scroll_to(text: str, claim_id: str, marker: str, *, page: bool = True) -> None:
    components.html(scroll_script(text, claim_id, marker, page), height=0)
