"""HTML source -> the text the store keeps, plus what the page says about itself.

Kept apart from `ingest` because it is the one reader with two engines: trafilatura
finds the article among the page furniture (menus, footers, "浏览次数" counters), and
when it finds nothing - a bare fragment, a page that is all list items - plain lxml
text with block elements as line breaks is better than no report at all.

Both engines are imported inside the functions: trafilatura alone takes a good part
of a second to import, and a run over .txt files should not pay for it.
"""
from __future__ import annotations

import codecs
import html
import re

# Keys of `Document.html_meta`, in the names trafilatura uses; `headline` (the page's
# first <h1>, which trafilatura leaves out of the text) is ours.
META_KEYS: tuple[str, ...] = ("title", "date", "sitename", "author", "hostname")
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")

# Elements whose end is a line break in the fallback text. Without this, lxml's
# text_content() runs "第一段</p><p>第二段" together into one sentence.
_BLOCK_TAGS = frozenset(
    "p div li tr h1 h2 h3 h4 h5 h6 table ul ol dl dt dd section article header footer "
    "blockquote pre address figure figcaption nav aside main form fieldset hr".split())
_DROP_TAGS = ("script", "style", "noscript", "template", "head", "iframe", "object", "svg")

# <meta charset="gb2312">, <meta http-equiv=... content="text/html; charset=gbk">,
# and the XML declaration of XHTML pages.
_DECLARED = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Characters lxml refuses in a str ("All strings must be XML compatible").
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")

# Declared names that really mean a bigger encoding: pages that say gb2312 are
# routinely written in GBK, and GB18030 decodes both (WHATWG maps them the same way).
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "euc_cn": "gb18030",
          "latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}


def declared_charset(data: bytes) -> str | None:
    """The Python codec a page declares in its first 4 KB, or None.

    A declaration of UTF-16/32 is ignored: a page we could read the declaration of
    in ASCII is not in UTF-16, so the declaration is wrong.

    >>> declared_charset(b'<html><head><meta charset="GB2312"></head>')
    'gb18030'
    >>> declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=big5">')
    'big5'
    >>> declared_charset(b'<p>no declaration</p>') is None
    True
    """
    m = _DECLARED.search(data[:4096])
    if m is None:
        return None
    label = (m.group(1) or m.group(2)).decode("ascii").strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:  # an unknown label is the page's mistake, not ours
        return None
    if name.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        return None
    return _WIDER.get(name.replace("-", "_"), name)


def extract_html(source: str) -> tuple[str, dict[str, str], tuple[str, ...]]:
    """(main text, metadata, warnings) of an HTML page given as decoded source.

    The text is trafilatura's main-content extraction (entities resolved, scripts and
    styles dropped). If that is empty, the whole body's text with block elements as
    line breaks. The metadata holds the META_KEYS trafilatura found, as strings, except
    `date`, which is the page markup's own (page_facts.markup_date), and `headline`, the
    first <h1>; a page <title> fills in `title` when trafilatura found none.
    """
    warnings: list[str] = []
    text, meta = "", {}
    try:
        import trafilatura
    except ImportError as exc:  # a broken install (e.g. lxml_html_clean missing)
        warnings.append(f"trafilatura unavailable ({exc.__class__.__name__}); used plain page text")
    else:
        text = trafilatura.extract(source, include_comments=False, include_tables=True,
                                   favor_recall=True, deduplicate=False) or ""
        found = trafilatura.extract_metadata(source)
        if found is not None:
            for key in META_KEYS:
                if key == "date":
                    continue  # see below
                value = getattr(found, key, None)
                if isinstance(value, str) and value.strip():
                    meta[key] = value.strip()
    # the date from the page's markup only: htmldate also takes any date-like text, such as
    # another story's in a side bar; dates written in the text are read on the text
    from .page_facts import markup_date
    date = markup_date(source)
    if date:
        meta["date"] = date
    h1 = _H1.search(source)
    headline = _SPACES.sub(" ", html.unescape(_TAG.sub("", h1.group(1)))).strip() if h1 else ""
    if headline:
        meta["headline"] = headline
    if not text.strip():
        if not warnings:
            warnings.append("no main article found; used all page text")
        text, title = _plain_text(source)
        if title and "title" not in meta:
            meta["title"] = title
    return text, meta, tuple(warnings)


def _plain_text(source: str) -> tuple[str, str]:
    """(body text, <title> text) with lxml: scripts/styles dropped, one line per block."""
    import lxml.html
    from lxml import etree

    cleaned = _XML_ILLEGAL.sub(" ", _XML_DECL.sub("", source, count=1))
    if not cleaned.strip():
        return "", ""
    try:
        root = lxml.html.document_fromstring(cleaned)
    except etree.ParserError:  # "Document is empty": only comments or a doctype
        return "", ""
    title_el = root.find(".//title")
    title = _SPACES.sub(" ", title_el.text_content()).strip() if title_el is not None else ""
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    # Whitespace in HTML source is layout, not content: collapse it first, then add
    # the line breaks the rendered page would show.
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        if el.text:
            el.text = _SPACES.sub(" ", el.text)
        if el.tail:
            el.tail = _SPACES.sub(" ", el.tail)
        tag = el.tag.lower()
        if tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
        elif tag in ("td", "th"):
            el.tail = " " + (el.tail or "")
    raw = root.text_content()
    lines = (line.strip(" ") for line in raw.split("\n"))
    text = _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()
    return text, title
