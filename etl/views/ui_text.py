"""Streamlit's own English interface words (the upload box, "Select all", "Stop", a
failed download) in Chinese: data/rules/ui_zh.yaml, and the small browser script that
replaces them as they appear. Streamlit has no translations of its own; the dashboard
adds this script to every page (pages/_ui.py). No streamlit here."""
from __future__ import annotations

import json
import re
from functools import cache

from etl.rules import RULES_DIR, RuleError, load_yaml


@cache
def translations() -> tuple[dict[str, str], dict[str, str]]:
    """(exact: English -> Chinese, patterns: regex -> replacement) from ui_zh.yaml."""
    data = load_yaml(RULES_DIR / "ui_zh.yaml")
    exact, patterns = data.get("exact"), data.get("patterns") or {}
    if not isinstance(exact, dict) or not exact or not isinstance(patterns, dict):
        raise RuleError("ui_zh.yaml: expected `exact:` (and optionally `patterns:`) mappings")
    for section in (exact, patterns):
        for k, v in section.items():
            if not (isinstance(k, str) and isinstance(v, str) and k and v):
                raise RuleError(f"ui_zh.yaml: {k!r}: {v!r} must be text -> text")
    for k in patterns:
        try:
            re.compile(k)
        except re.error as exc:
            raise RuleError(f"ui_zh.yaml: pattern {k!r}: {exc}") from exc
    return dict(exact), dict(patterns)


def translate(text: str) -> str:
    """What the browser script does to one element's text (for tests and the server)."""
    exact, patterns = translations()
    s = text.strip()
    if s in exact:
        return exact[s]
    for pat, rep in patterns.items():
        if re.search(pat, s):
            return re.sub(pat, rep, s)
    return text


_SCRIPT = """<script>
(() => {
  const doc = window.parent && window.parent !== window ? window.parent.document : document;
  const win = doc.defaultView;
  if (win.__rfZh) return;
  win.__rfZh = true;
  const EXACT = %(exact)s;
  const PATTERNS = %(patterns)s.map(([p, r]) => [new RegExp(p), r.replace(/\\\\(\\d)/g, "$$$1")]);
  const zh = (s) => {
    const t = s.trim();
    if (Object.prototype.hasOwnProperty.call(EXACT, t)) return EXACT[t];
    for (const [re, rep] of PATTERNS) if (re.test(t)) return t.replace(re, rep);
    return null;
  };
  // text the user or a report wrote: markdown (except a button's label), tables, code
  const mine = (el) => (el.closest("[data-testid=stMarkdownContainer]") && !el.closest("button"))
    || el.closest(".stDataFrame, [data-testid=stCode], textarea, input");
  const fix = (root) => {
    const walk = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const todo = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const p = n.parentElement;
      if (!n.nodeValue.trim() || !p || mine(p)) continue;
      const z = zh(n.nodeValue);
      if (z !== null) todo.push([n, z]);
    }
    for (const [n, z] of todo) n.nodeValue = z;
  };
  fix(doc.body);
  new win.MutationObserver((ms) => {
    for (const m of ms) {
      if (m.type === "characterData" && m.target.parentElement && !mine(m.target.parentElement)) {
        const z = zh(m.target.nodeValue || ""); if (z !== null) m.target.nodeValue = z;
      }
      for (const a of m.addedNodes) {
        if (a.nodeType === 3 && a.parentElement && !mine(a.parentElement)) {
          const z = zh(a.nodeValue || ""); if (z !== null) a.nodeValue = z;
        }
        else if (a.nodeType === 1) fix(a);
      }
    }
  }).observe(doc.body, {childList: true, subtree: true, characterData: true});
})();
</script>"""


def browser_script() -> str:
    """The <script> that puts the Chinese words in place in the page (idempotent: a
    second copy does nothing). Text the user or a report wrote (markdown, tables, code,
    inputs) is never touched."""
    exact, patterns = translations()
    return _SCRIPT % {"exact": json.dumps(exact, ensure_ascii=False),
                      "patterns": json.dumps(list(patterns.items()), ensure_ascii=False)}
