"""The briefing basket as a short text for the page address (?brief=…), so the items
picked with 加入简报 survive a reload, and a copied link carries them.

Why the address and not a file on the server: Streamlit gives a browser no identity of
its own across a reload (a new session each time), and a file keyed by anything else
would mix up people. The items are small (filters and options, never data): compressed
JSON, base64url, about 120 characters per item. A damaged or foreign value gives an
empty basket, never an error; items the current code does not know are dropped.
"""
from __future__ import annotations

import base64
import binascii
import json
import zlib

from etl.views.items import ITEM_KEYS

MAX_CHARS = 8000            # longer than any real basket; a browser keeps ~32k in an address
MAX_ITEMS = 50


def encode(items: list[dict]) -> str:
    """The basket as URL-safe text ('' for an empty one)."""
    if not items:
        return ""
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode().rstrip("=")


def _item_ok(item: object) -> bool:
    return (isinstance(item, dict) and bool(item) and all(isinstance(k, str) for k in item)
            and set(item) <= set(ITEM_KEYS) and (("chart" in item) != ("table" in item)))


def decode(text: str | None) -> list[dict]:
    """The items of an encoded basket; [] for anything that is not one."""
    if not text or len(text) > MAX_CHARS:
        return []
    try:
        raw = zlib.decompressobj().decompress(
            base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), 200_000)
        items = json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, zlib.error, UnicodeDecodeError):
        return []
    if not isinstance(items, list):
        return []
    return [it for it in items if _item_ok(it)][:MAX_ITEMS]
