"""Uploaded reports: limits, a safe file name inside the uploads folder, and the same
pipeline as the CLI (etl.pipeline.store_files). No streamlit."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from etl.pipeline import RunBusy, store_files
from etl.reading.ingest import SUPPORTED

MAX_FILES = 20                 # per upload; a batch beyond this is a job for `etl run`
MAX_MB = 10                    # per file (the ETL's own limit is 20 MB)
EXTENSIONS = tuple(s.lstrip(".") for s in SUPPORTED)
_UNSAFE = re.compile(r"[^\w\-.（）]+", re.UNICODE)   # letters (incl. Chinese), digits, - _ .


@dataclass(slots=True)
class UploadResult:
    name: str                  # as the user's browser sent it
    saved_as: str | None = None
    status: str = "failed"     # new / updated / unchanged / failed
    claims: int = 0
    mentions: int = 0
    report_id: str | None = None
    error: str | None = None


def safe_name(name: str) -> str:
    """A plain file name from whatever the browser sent: no folders, no '..', no
    control or shell-special characters; Chinese kept.

    >>> safe_name("../../etc/passwd")
    'passwd'
    >>> safe_name("C:\\\\Users\\\\x\\\\年度 报告.docx")
    '年度_报告.docx'
    """
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"_{2,}", "_", _UNSAFE.sub("_", name)).strip("._ ")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[:80].strip("._ ") or "upload"
    return f"{stem}.{ext.lower()[:8]}" if ext else stem


def problem(name: str, size: int, *, max_mb: float = MAX_MB) -> str | None:
    """Why an upload is refused before it is written anywhere (None when fine)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EXTENSIONS:
        return f"不支持的文件类型 “.{ext}”（支持：{'、'.join(EXTENSIONS)}）"
    if size == 0:
        return "文件是空的"
    if size > max_mb * 1024 * 1024:
        return f"文件太大（{size / 1024 / 1024:.1f} MB，上限 {max_mb:g} MB）"
    return None


def save(data: bytes, name: str, folder: Path) -> Path:
    """Write `data` under folder with a sanitised name; never outside folder. The same
    bytes under the same name reuse the file; different bytes get a numbered name."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    base = safe_name(name)
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    digest = hashlib.sha256(data).hexdigest()
    for i in range(1, 1000):
        cand = folder / ((f"{stem}_{i}" if i > 1 else stem) + (f".{ext}" if ext else ""))
        if cand.resolve().parent != folder:          # belt and braces after safe_name
            raise ValueError(f"refusing to write outside {folder}: {cand}")
        if cand.exists():
            if hashlib.sha256(cand.read_bytes()).hexdigest() == digest:
                return cand
            continue
        cand.write_bytes(data)
        return cand
    raise ValueError("too many files with this name")


def ingest(files: list[tuple[str, bytes]], folder: Path, store) -> list[UploadResult]:
    """Save each file, then read, extract and store them all through the pipeline's one
    route into the store (etl.pipeline.store_files); one result (or error) per file."""
    results, saved = [], []
    for name, data in files[:MAX_FILES]:
        res = UploadResult(name=name)
        results.append(res)
        why = problem(name, len(data))
        if why:
            res.error = why
            continue
        path = save(data, name, folder)
        res.saved_as = path.name
        saved.append((res, path))
    if not saved:
        return results
    try:
        summary = store_files([p for _, p in saved], store, max_mb=MAX_MB,
                              label="upload: " + ", ".join(r.name for r, _ in saved))
    except RunBusy:
        for res, _ in saved:
            res.error = "另一个导入正在写入数据库，请稍后再试"
        return results
    outcomes = {o.path: o for o in summary.files}
    for res, path in saved:
        o = outcomes.get(str(path))
        if o is None or o.status in ("skipped", "failed"):
            reason = o.reason if o else "未处理"
            res.error = (f"无法读取：{reason}" if o is None or o.status == "skipped"
                         else f"无法保存：{reason}")
            _forget(path, store)
            continue
        res.status, res.report_id = o.status, o.report_id
        res.claims, res.mentions = o.claims, o.mentions
    return results


def _forget(path: Path, store) -> None:
    """A file that could not be stored is not kept (unless the store knows the path)."""
    try:
        if store.known_file(str(path)) is None:
            path.unlink(missing_ok=True)
    except Exception:      # noqa: BLE001 - tidying up must not hide the real error
        pass
