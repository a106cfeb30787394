"""Report metadata on the development reports re-rendered the ways unseen reports arrive.

    .venv/bin/python tools/perturb_metadata.py [--eval-dir ../shared/eval] [--split all|heldout|fit]
                                               [--only NAME ...] [--show-errors] [--json OUT]

Every report of gold-metadata-dev.jsonl (the bundled samples and ../shared/eval/reports-dev2,
read from there at run time, written only to a temporary folder) is rendered again:

    original       as it is
    html_page      a web page: <title> headline_人民网, nav bar, 来源/发布时间 line, a list of
                   other stories' headlines, a copyright footer (read through trafilatura)
    html_bare      the same page with only the site name in <title> (the headline an <h1>)
    crlf           CRLF line endings
    traditional    traditional script (OpenCC s2t)
    markdown       .md with front matter (title, date) and the headline as a # heading
    suffix_renmin  the headline line ends in _人民网
    suffix_xinhua  the headline line ends in -新华网
    date_iso       the publication date written 2019-01-23 (every place the text writes it)
    date_dmy       … as 23.01.2019
    date_cn        … as 2019年1月23日
    date_han       … as 二〇一九年一月二十三日
    dateline_end   the date taken from the head and written on the last line instead
    hash_name      the file named by a hash of its text
    hard_wrapped   every line but a table's row cut at 33 characters (a PDF's text saved as .txt)

and described the way `etl run` does (read_document, then describe). The gold does not
change with the wrapping: each variant is scored against the same gold, field by field as
../shared/eval/score_metadata.py judges it (its `right` is imported), and the table gives
per-field accuracy per variant, with how many reports the variant changed at all (a report
without a headline gets no suffix; one whose date is not written in it gets no new date).
--show-errors lists the fields a variant gets wrong that the original got right.
"""
from __future__ import annotations

import argparse
import hashlib
import html
import importlib.util
import json
import re
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "bench"))

from eval_metadata import HELDOUT, report_paths  # noqa: E402
from wrapped_reports import wrap  # noqa: E402
from etl.reading.describe import describe  # noqa: E402
from etl.reading.ingest import ReadError, read_document  # noqa: E402

FIELDS = ("campaign", "published", "title", "organisation", "level")
# The scorer takes a title that contains the gold and is at most twice as long: 标题_人民网
# passes. `title_exact` (equal after the scorer's normalising) shows a site name left on.
COLUMNS = (*FIELDS, "title_exact")


@dataclass(frozen=True, slots=True)
class Variant:
    text: str
    name: str        # the file name it is read under
    changed: bool    # False: this report offers nothing to re-render (no headline, no date)


Render = Callable[[str, str, dict], Variant]


# ------------------------------------------------------------ finding what to re-render

_SPACE = re.compile(r"\s+")


def _flat(s: str) -> str:
    return _SPACE.sub("", s)


def headline_line(text: str, title: str | None) -> tuple[int, int] | None:
    """(start, end) of the first line in the head that is the gold headline (spaces aside),
    else None."""
    if not title:
        return None
    want = _flat(title)
    pos = 0
    for line in text[:6000].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if _flat(body) == want or (len(want) >= 8 and _flat(body).startswith(want)
                                   and len(_flat(body)) <= len(want) + 16):
            return pos, pos + len(body)
        pos += len(line)
    return None


_HAN = "〇一二三四五六七八九"


def han_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三, 30 -> 三十."""
    tens, ones = divmod(n, 10)
    if not tens:
        return _HAN[ones]
    return ("" if tens == 1 else _HAN[tens]) + "十" + (_HAN[ones] if ones else "")


def date_forms(iso: str) -> dict[str, str]:
    """The four ways issue 19 names of writing a date.

    >>> date_forms("2019-01-23")["date_han"]
    '二〇一九年一月二十三日'
    """
    y, m, d = (int(x) for x in iso.split("-"))
    return {"date_iso": f"{y:04d}-{m:02d}-{d:02d}", "date_dmy": f"{d:02d}.{m:02d}.{y:04d}",
            "date_cn": f"{y}年{m}月{d}日",
            "date_han": "".join(_HAN[int(c)] for c in str(y)) + f"年{han_number(m)}月{han_number(d)}日"}


def date_spans(text: str, iso: str | None) -> list[tuple[int, int]]:
    """Where the text writes the (full) gold date, in any of the usual forms."""
    if not iso or len(iso) != 10:
        return []
    y, m, d = (int(x) for x in iso.split("-"))
    hm, hd = han_number(m), han_number(d)
    hy = "".join(_HAN[int(c)] for c in str(y))
    pats = [rf"(?<!\d){y}\s*[-/.年]\s*0?{m}\s*[-/.月]\s*0?{d}(?!\d)日?",
            rf"(?<![\d.])0?{d}\.0?{m}\.{y}(?![\d.])",
            rf"[{hy[0]}][{hy[1]}〇零○]{hy[2:]}年{hm}月{hd}[日号]"]
    found = sorted({mt.span() for p in pats for mt in re.finditer(p, text)})
    return [s for i, s in enumerate(found) if not i or s[0] >= found[i - 1][1]]


# ------------------------------------------------------------ the renderings

def original(text: str, name: str, gold: dict) -> Variant:
    return Variant(text, name, True)


def crlf(text: str, name: str, gold: dict) -> Variant:
    out = re.sub(r"\r?\n", "\r\n", text)
    return Variant(out, name, out != text)


@cache
def _s2t() -> Callable[[str], str]:
    import opencc
    return opencc.OpenCC("s2t").convert


def traditional(text: str, name: str, gold: dict) -> Variant:
    out = _s2t()(text)
    return Variant(out, name, out != text)


def _with_suffix(site: str) -> Render:
    def render(text: str, name: str, gold: dict) -> Variant:
        at = headline_line(text, gold.get("title"))
        if at is None:
            return Variant(text, name, False)
        return Variant(text[:at[1]] + site + text[at[1]:], name, True)
    return render


def _with_date(form: str) -> Render:
    def render(text: str, name: str, gold: dict) -> Variant:
        spans = date_spans(text, gold.get("published"))
        if not spans:
            return Variant(text, name, False)
        new = date_forms(gold["published"])[form]
        out, last = [], 0
        for a, b in spans:
            # 2020年01月17日08:22 becomes 2020-01-17 08:22, never 2020-01-1708:22
            gap = " " if b < len(text) and text[b].isdigit() and not new.endswith("日") else ""
            out += [text[last:a], new + gap]
            last = b
        out.append(text[last:])
        joined = "".join(out)
        return Variant(joined, name, joined != text)
    return render


def dateline_end(text: str, name: str, gold: dict) -> Variant:
    """The date written in the head (first 1,500 characters) moves to a line of its own
    at the end, as written."""
    spans = [s for s in date_spans(text, gold.get("published")) if s[0] < 1500]
    if not spans:
        return Variant(text, name, False)
    written = text[spans[0][0]:spans[0][1]]
    out, last = [], 0
    for a, b in spans:
        out.append(text[last:a])
        last = b
    out.append(text[last:])
    return Variant("".join(out).rstrip() + "\n\n" + written + "\n", name, True)


def markdown(text: str, name: str, gold: dict) -> Variant:
    fm = ["---"]
    if gold.get("title"):
        fm.append(f"title: \"{gold['title']}\"")
    if gold.get("published"):
        fm.append(f"date: {gold['published']}")
    fm.append("---\n\n")
    at = headline_line(text, gold.get("title"))
    body = text if at is None else text[:at[0]] + "# " + text[at[0]:]
    return Variant("\n".join(fm) + body, str(Path(name).with_suffix(".md")), True)


# Other stories' headlines in a page's side bar: campaign names, organisations and dates
# that are not this report's.
_SIDEBAR = ("深入学习贯彻习近平新时代中国特色社会主义思想主题教育工作会议召开",
            "国家统计局发布2023年国民经济运行情况", "中共北京市委组织部召开专题会议",
            "扎实推进党史学习教育走深走实", "2024-03-05 全国两会新闻中心开放")


def html_page(text: str, name: str, gold: dict, *, title_tag: bool = True) -> Variant:
    title = gold.get("title") or ""
    date = gold.get("published") or ""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    at = headline_line(text, title)
    head_text = text[at[0]:at[1]].strip() if at else ""
    body = "\n".join((f"<h1>{html.escape(ln.strip())}</h1>" if head_text and ln.strip() == head_text
                      else f"<p>{html.escape(ln.strip())}</p>") for ln in lines)
    dated = f"发布时间：{date}&nbsp;&nbsp;" if len(date) == 10 else ""
    side = "".join(f"<li><a href=\"/n/{i}.html\">{html.escape(s)}</a></li>"
                   for i, s in enumerate(_SIDEBAR))
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title + '_人民网' if title and title_tag else '人民网')}</title>"
            "</head><body>"
            "<div class=\"nav\"><a href=\"/\">首页</a> | <a href=\"/politics\">时政</a> | "
            "<a href=\"/local\">地方</a> | <a href=\"/party\">党建</a> | <a href=\"/video\">视频</a></div>"
            "<div class=\"crumb\">首页 &gt; 新闻中心 &gt; 正文</div>"
            f"<div class=\"article\"><div class=\"info\">{dated}来源：人民网&nbsp;&nbsp;浏览次数：1024</div>\n"
            f"{body}\n<div class=\"editor\">(责编：王某、李某)</div></div>"
            f"<div class=\"side\"><h3>热点新闻</h3><ul>{side}</ul></div>"
            "<div class=\"footer\">人民网版权所有，未经书面授权禁止使用 Copyright © 1997-2024 by "
            "www.people.com.cn. all rights reserved 京ICP证000000号</div></body></html>")
    return Variant(page, str(Path(name).with_suffix(".html")), True)


def html_bare(text: str, name: str, gold: dict) -> Variant:
    return html_page(text, name, gold, title_tag=False)


def hard_wrapped(text: str, name: str, gold: dict) -> Variant:
    """Every line cut at 33 characters, as a PDF's text saved as .txt (bench/wrapped_reports.py);
    a scraped table's row (a | b | c) stays whole: a PDF's text has no such rows."""
    out = "\n".join(line if line.count("|") > 1 else "\n".join(wrap(line, 33)) for line in text.split("\n"))
    return Variant(out, name, out != text)


def hash_name(text: str, name: str, gold: dict) -> Variant:
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    return Variant(text, digest + Path(name).suffix, name != digest + Path(name).suffix)


RENDERINGS: dict[str, Render] = {
    "original": original, "html_page": html_page, "html_bare": html_bare, "crlf": crlf, "traditional": traditional,
    "markdown": markdown, "suffix_renmin": _with_suffix("_人民网"),
    "suffix_xinhua": _with_suffix("-新华网"),
    **{form: _with_date(form) for form in ("date_iso", "date_dmy", "date_cn", "date_han")},
    "dateline_end": dateline_end, "hash_name": hash_name, "hard_wrapped": hard_wrapped,
}


# ------------------------------------------------------------ describing and scoring

EVAL_DIR = ROOT.parent / "shared" / "eval"


@cache
def _scorer(eval_dir: Path = EVAL_DIR):
    """score_metadata.py of the eval folder as a module (right: how it judges one field)."""
    path = eval_dir / "score_metadata.py"
    spec = importlib.util.spec_from_file_location("score_metadata", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"no scorer at {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predict(path: Path) -> dict:
    doc = read_document(path)
    if isinstance(doc, ReadError):
        return {}
    return describe(doc.text, doc.name, html_meta=doc.html_meta)


def judge(gold: dict, pred: dict, eval_dir: Path = EVAL_DIR) -> dict[str, bool | None]:
    """field -> right or wrong (None: the gold has no value, not scored), as the scorer."""
    scorer = _scorer(eval_dir)
    out: dict[str, bool | None] = {}
    for f in FIELDS:
        g, p = gold.get(f), pred.get(f)
        if f != "campaign" and g in (None, ""):
            out[f] = None
            continue
        if f == "published" and p in (None, "") and len(str(g)) == 4:
            p = pred.get("year")
        out[f] = bool(scorer.right(f, g, p))
    g, p = gold.get("title"), pred.get("title")
    out["title_exact"] = None if not g else bool(p) and scorer.norm(g) == scorer.norm(p)
    return out


def evaluate(gold: list[dict], paths: dict[str, Path], names: list[str], tmp: Path,
             eval_dir: Path = EVAL_DIR) -> dict[str, dict]:
    """variant -> {changed, per field [right, scored], per report verdicts and predictions}."""
    texts = {g["doc"]: paths[g["doc"]].read_bytes() for g in gold if g["doc"] in paths}
    out: dict[str, dict] = {}
    for vname in names:
        render = RENDERINGS[vname]
        folder = tmp / vname
        folder.mkdir()
        rows: dict[str, dict] = {}
        changed = 0
        for g in gold:
            raw = texts.get(g["doc"])
            if raw is None:
                continue
            doc = read_document(paths[g["doc"]])
            text = doc.text if not isinstance(doc, ReadError) else raw.decode("utf-8", "replace")
            v = render(text, g["doc"], g)
            changed += v.changed
            f = folder / v.name
            f.write_bytes(raw if vname == "original" else v.text.encode("utf-8"))
            pred = predict(f)
            rows[g["doc"]] = {"right": judge(g, pred, eval_dir),
                              "pred": {k: pred.get(k) for k in (*FIELDS, "year")}}
        out[vname] = {"changed": changed, "rows": rows}
    return out


def table(results: dict[str, dict]) -> str:
    head = f"{'variant':14s} {'changed':>7s}  " + "  ".join(f"{f[:12]:>12s}" for f in COLUMNS)
    lines = [head]
    for vname, res in results.items():
        cells = []
        for f in COLUMNS:
            verdicts = [r["right"][f] for r in res["rows"].values() if r["right"][f] is not None]
            cells.append(f"{sum(verdicts) / len(verdicts):.3f}/{len(verdicts):<3d}" if verdicts else "-")
        lines.append(f"{vname:14s} {res['changed']:7d}  " + "  ".join(f"{c:>12s}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    ap.add_argument("--split", choices=("heldout", "fit", "all"), default="all")
    ap.add_argument("--only", nargs="+", choices=sorted(RENDERINGS), help="these variants only")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--json", type=Path, help="write every verdict and prediction here")
    a = ap.parse_args(argv)
    gold_file = a.eval_dir / "gold-metadata-dev.jsonl"
    if not gold_file.is_file():
        print(f"no gold at {gold_file}", file=sys.stderr)
        return 1
    gold = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    keep = {"all": lambda d: True, "heldout": lambda d: d in HELDOUT,
            "fit": lambda d: d not in HELDOUT}[a.split]
    gold = [g for g in gold if keep(g["doc"])]
    names = ["original", *[n for n in (a.only or RENDERINGS) if n != "original"]]
    with tempfile.TemporaryDirectory() as tmp:
        results = evaluate(gold, report_paths(a.eval_dir), names, Path(tmp), a.eval_dir)
    print(f"split: {a.split} ({len(gold)} reports); cell: accuracy/reports scored")
    print(table(results))
    if a.show_errors:
        base = results["original"]["rows"]
        for vname, res in results.items():
            for doc, r in res["rows"].items():
                for f in COLUMNS:
                    if r["right"][f] is False and base[doc]["right"][f]:
                        k = f.replace("_exact", "")
                        print(f"- {vname}: {f}: {doc}: pred {r['pred'][k]!r} "
                              f"(original {base[doc]['pred'][k]!r})")
    if a.json:
        a.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
