"""Uploaded reports: limits, a safe file name inside the uploads folder, and the same
pipeline as the CLI (etl.pipeline.store_files). Reading and extraction run in a worker
process with a time budget (pages/_upload_worker.py), so a hostile file neither blocks
the page nor holds the dashboard's memory. No streamlit."""
from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from etl.pipeline import RunBusy, store_files
from etl.reading.ingest import SUPPORTED
from pages import _upload_worker as upload_worker

MAX_FILES = 20                 # per upload; a batch beyond this is a job for `etl run`
MAX_MB = 10                    # per file (the ETL's own limit is 20 MB); also server.maxUploadSize
BUDGET_S = 120.0               # seconds to read and extract one upload batch, then it is stopped
EXTENSIONS = tuple(s.lstrip(".") for s in SUPPORTED)
_UNSAFE = re.compile(r"[^\w\-.（）《》]+", re.UNICODE)   # letters (incl. Chinese), digits, - _ . 《》
_EXT = re.compile(r"[A-Za-z0-9]{1,8}")
_log = logging.getLogger("report_figures.uploads")


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
    control, invisible (bidi, zero-width) or shell-special characters; Chinese kept.
    The extension is split off first, so a name of only symbols keeps it.

    >>> safe_name("../../etc/passwd")
    'passwd'
    >>> safe_name("C:\\\\Users\\\\x\\\\年度 报告.docx")
    '年度_报告.docx'
    >>> safe_name("😀.txt"), safe_name("《》.docx"), safe_name("《通知》.pdf")
    ('upload.txt', '《》.docx', '《通知》.pdf')
    """
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem, dot, ext = name.rpartition(".")
    if not dot or not _EXT.fullmatch(ext):
        stem, ext = name, ""
    stem = re.sub(r"_{2,}", "_", _UNSAFE.sub("_", stem)).strip("._ ")
    stem = stem[:80].strip("._ ") or "upload"
    return f"{stem}.{ext.lower()}" if ext else stem


def problem(name: str, size: int, *, max_mb: float = MAX_MB) -> str | None:
    """Why an upload is refused before it is written anywhere (None when fine)."""
    if any(unicodedata.category(ch) == "Cc" for ch in str(name)):
        return "文件名含有控制字符（如 NUL），已拒绝"      # only a tampered request sends one
    safe = safe_name(name)           # the extension the file will be saved with
    ext = safe.rsplit(".", 1)[-1].lower() if "." in safe else ""
    if ext not in EXTENSIONS:
        return f"不支持的文件类型 “.{ext}”，已拒绝（支持：{'、'.join(EXTENSIONS)}）"
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


def ingest(files: list[tuple[str, bytes]], folder: Path, store, *,
           on_progress: Callable[[int, int], None] | None = None,
           budget_s: float | None = None) -> list[UploadResult]:
    """Save each file, read and extract them in a worker process (etl.pipeline's
    process_file, within `budget_s` seconds for the whole batch), then store them
    through the pipeline's one route (etl.pipeline.store_files); one result (or error)
    per file. `on_progress(done, total)` is called as files come back."""
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
    budget = BUDGET_S if budget_s is None else budget_s
    done = upload_worker.process_files([p for _, p in saved], max_mb=MAX_MB, budget_s=budget,
                                       on_progress=on_progress)
    in_time = []
    for res, path in saved:
        if str(path) in done:
            in_time.append((res, path))
        else:
            res.error = (f"处理时间超过上限（{budget:g} 秒），已中止，未存入数据库；"
                         "很大的文件请由管理员用命令行 `python -m etl run` 导入")
            _forget(path, store)
    if not in_time:
        return results
    try:
        summary = store_files([p for _, p in in_time], store, max_mb=MAX_MB,
                              processed=[done[str(p)] for _, p in in_time],
                              label="upload: " + ", ".join(r.name for r, _ in in_time))
    except RunBusy:
        for res, _ in in_time:
            res.error = "另一个导入正在写入数据库，请稍后再试"
        return results
    outcomes = {o.path: o for o in summary.files}
    for res, path in in_time:
        o = outcomes.get(str(path))
        if o is None or o.status in ("skipped", "failed"):
            reason = shown_reason(o.reason if o else None, folder)
            res.error = (f"无法读取：{reason}" if o is None or o.status == "skipped"
                         else f"无法保存：{reason}")
            _forget(path, store)
            continue
        res.status, res.report_id = o.status, o.report_id
        res.claims, res.mentions = o.claims, o.mentions
    return results


def shown_reason(reason: str | None, folder: Path) -> str:
    """Why a file was not stored, as the page may show it: no server path, and a bug's
    exception text replaced by a plain sentence (the server log has it).

    >>> shown_reason("internal error while processing: KeyError: 'x'", Path("/srv/u"))
    '处理时出现内部错误（详细信息已记入服务器日志）'
    >>> shown_reason("could not read /srv/u/a.docx: BadZipFile", Path("/srv/u"))
    'could not read a.docx: BadZipFile'
    """
    if not reason:
        return "未处理"
    if reason.startswith("internal error"):
        _log.error("upload failed: %s", reason)
        return "处理时出现内部错误（详细信息已记入服务器日志）"
    for prefix in (str(folder.resolve()) + "/", str(folder) + "/"):
        reason = reason.replace(prefix, "")
    return reason


def _forget(path: Path, store) -> None:
    """A file that could not be stored is not kept (unless the store knows the path)."""
    try:
        if store.known_file(str(path)) is None:
            path.unlink(missing_ok=True)
    except Exception:      # noqa: BLE001 - tidying up must not hide the real error
        pass
