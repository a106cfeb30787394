"""What went wrong, in one line a user can act on, and the exit status for it.

The command line (etl.cli.main) and the dashboard's pages both ask `explain` about an
exception: a store that is not a store or is damaged, a file or folder that cannot be
written, a full disk, an output folder that holds other files. Each cause has its own
exit status (EXIT_HELP lists them, `python -m etl --help` prints it). The messages name
no server path and quote no exception text; anything not recognised here is a bug and
keeps its traceback.

DuckDB's errors are told apart by class name and message, so this module does not
import duckdb (etl/store/ is the only code that does).
"""
from __future__ import annotations

import errno
import sys
from dataclasses import dataclass
from typing import Callable

NOTHING_READ = 1      # nothing read, no store, nothing matched
BAD_OPTIONS = 2
STORE_BUSY = 3
NO_BROWSER = 4
STORE_CORRUPT = 5
CANNOT_WRITE = 6
DISK_FULL = 7
OUT_NOT_EMPTY = 8

EXIT_HELP = """\
exit status / 退出码:
  0  done / 完成
  1  nothing could be read, no store, or nothing matched / 没有可读的文件、没有数据库或没有匹配
  2  bad options or spec / 参数或简报配置有误
  3  the store is busy (another run holds it) / 数据库正被另一个进程使用
  4  no browser to draw charts with / 没有可用于绘图的浏览器
  5  the store is damaged or not a store / 数据库文件损坏或不是数据库
  6  a file or folder cannot be written (permissions, read-only disk, not a folder) / 无法写入
  7  the disk is full / 磁盘已满
  8  export: the output folder holds other files (use --force) / 输出文件夹里有其他文件
"""


@dataclass(frozen=True)
class Problem:
    code: int       # exit status
    zh: str         # one line for the dashboard
    en: str

    def line(self) -> str:
        """The command line's one line: Chinese, then English."""
        return f"错误：{self.zh} / error: {self.en}"


_CORRUPT_WORDS = ("not a valid duckdb database", "corrupt", "checksum", "serializ",
                  "version number", "wal file", "invalid database")
_FULL_WORDS = ("no space left", "disk full", "disk quota")
_DENIED_WORDS = ("permission denied", "read-only file system", "read only file system",
                 "cannot open file", "could not set lock", "not a directory", "is a directory")


def _duckdb_error(exc: BaseException) -> bool:
    return type(exc).__module__.lstrip("_").split(".")[0] == "duckdb"


def explain(exc: BaseException) -> Problem | None:
    """The Problem an exception stands for, or None when it is not one of the known
    causes (a bug: let it show its traceback where that is safe)."""
    if type(exc).__name__ == "ExportRefused":
        return Problem(OUT_NOT_EMPTY, "输出文件夹里有其他文件，未写入任何内容；请换一个空文件夹，或加 --force 覆盖",
                       "the output folder holds other files; nothing was written "
                       "(use an empty folder, or --force)")
    if type(exc).__name__ == "StoreBusy":
        return Problem(STORE_BUSY, "数据库正被另一个进程使用，请稍后再试",
                       "the store is busy (another process holds it); try again shortly")
    msg = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT) or \
            any(w in msg for w in _FULL_WORDS):
        return Problem(DISK_FULL, "磁盘已满，未能写完；请腾出空间后重试（已有的数据不受影响）",
                       "the disk is full; nothing half-written was kept — free some space and retry")
    if isinstance(exc, (PermissionError, NotADirectoryError, IsADirectoryError, FileExistsError)) or (
            isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)):
        return Problem(CANNOT_WRITE, "无法写入输出位置（没有权限、只读磁盘或不是文件夹）",
                       "cannot write there (no permission, a read-only disk, or not a folder)")
    if _duckdb_error(exc):
        if any(w in msg for w in _DENIED_WORDS):
            return Problem(CANNOT_WRITE, "无法打开或写入数据库文件（没有权限或只读磁盘）",
                           "cannot open or write the store (no permission, or a read-only disk)")
        if any(w in msg for w in _CORRUPT_WORDS):
            return Problem(STORE_CORRUPT, "数据库文件已损坏或不是本工具的数据库；请从备份恢复，或删除后用 `python -m etl run` 重建",
                           "the store is damaged or not a Report Figures store; restore a backup, "
                           "or delete it and rebuild with `python -m etl run`")
    return None


def run_command(func: Callable[[object], int], args: object) -> int:
    """Run a command; a known failure becomes one line on stderr and its exit status."""
    try:
        return func(args)
    except (KeyboardInterrupt, BrokenPipeError, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - sorted into the known causes, else re-raised
        problem = explain(exc)
        if problem is None:
            raise
        print(problem.line(), file=sys.stderr)
        return problem.code
