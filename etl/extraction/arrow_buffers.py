"""Arrow columns filled value by value, as the bytes of their buffers.

The claims' pass (claim_columns.py) appends each field to one of these as it reads and
checks the claim, and the store wraps the bytes as Arrow arrays (`pa.Array.from_buffers`)
instead of converting 26 lists of Python values per report (bench/RESULTS.md, branch
store30). The buffers are the ones pyarrow's own conversion makes (`pa.array`), so the
arrays, their IPC bytes and the content signature are the same: little-endian values, a
slot of zeros under a null, validity and booleans as bitmaps (least significant bit
first, the last byte's spare bits zero), strings as int32 offsets and UTF-8 bytes.

A value of a type the column does not take as is raises TypeError (a bool in an int64
column, bytes in a string column ...): the caller then converts the column-wise way,
which is what decides such values.

Compiled with the extraction modules (native.py MODULES): the column is a native class,
so an append is a direct call, and the writers are mypyc's own (librt.strings).
"""
from __future__ import annotations

from typing import Any, Final

from librt.strings import BytesWriter, write_f64_le, write_i32_le, write_i64_le
from mypy_extensions import i32, i64, u8

# Arrow's string offsets are int32: a column past this many bytes needs large_string
_MAX_OFFSET: Final = 2147483647


class Bits:
    """A bitmap (Arrow's validity or boolean values), one bit appended at a time."""

    def __init__(self) -> None:
        self.out = BytesWriter()
        self.byte: i64 = 0          # the bits of the byte being filled
        self.n: i64 = 0
        self.ones: i64 = 0

    def add(self, bit: bool) -> None:
        if bit:
            self.byte |= 1 << (self.n & 7)
            self.ones += 1
        self.n += 1
        if self.n & 7 == 0:
            self.out.append(u8(self.byte))
            self.byte = 0

    def value(self) -> bytes:
        """The bitmap's bytes (the last one's unused bits zero)."""
        if self.n & 7:
            self.out.append(u8(self.byte))
            self.byte = 0
            self.n = 0
        return self.out.getvalue()


class Column(Bits):
    """A column's values, and its validity as the bitmap it is; `buffers()` gives (null
    count, validity bitmap or None when nothing is null, int32 offsets or None, values)."""

    def __init__(self) -> None:
        super().__init__()
        self.values = BytesWriter()

    def nulls(self) -> i64:
        return self.n - self.ones

    def validity(self) -> bytes | None:
        return self.value() if self.nulls() else None

    def buffers(self) -> tuple[int, bytes | None, bytes | None, bytes]:
        return self.nulls(), self.validity(), None, self.values.getvalue()


class Int64s(Column):
    def add_value(self, v: Any) -> None:
        if v is None:
            write_i64_le(self.values, 0)
            self.add(False)
        elif type(v) is int:
            write_i64_le(self.values, v)
            self.add(True)
        else:
            raise TypeError("not an int")


class Float64s(Column):
    def add_value(self, v: Any) -> None:
        if v is None:
            write_f64_le(self.values, 0.0)
            self.add(False)
        elif type(v) is float:
            write_f64_le(self.values, v)
            self.add(True)
        else:
            raise TypeError("not a float")


class Bools(Column):
    def __init__(self) -> None:
        super().__init__()
        self.bits = Bits()

    @property
    def trues(self) -> int:
        return self.bits.ones

    def add_value(self, v: Any) -> None:
        if v is None:
            self.bits.add(False)
            self.add(False)
        elif type(v) is bool:
            self.bits.add(v)
            self.add(True)
        else:
            raise TypeError("not a bool")

    def buffers(self) -> tuple[int, bytes | None, bytes | None, bytes]:
        return self.nulls(), self.validity(), None, self.bits.value()


# The UTF-8 of the values of the few-valued string columns (kind, reason, unit, metric
# ...), kept across reports: most of their values were met before, and a look-up by a
# string whose hash is known costs less than encoding it into a new bytes object.
_KEPT_UTF8: Final[dict[str, bytes]] = {}
_KEEP_UTF8: Final = 4096


class Strings(Column):
    def __init__(self, few_values: bool = False) -> None:
        super().__init__()
        self.offsets = BytesWriter()
        write_i32_le(self.offsets, 0)
        self.size: i64 = 0
        self.few_values = few_values        # look values up in _KEPT_UTF8
        # the last string and its UTF-8: neighbouring claims often share a value (the
        # sentence, the unit, the reason ...), encoded once
        self.last: str = ""
        self.last_utf8: bytes = b""

    def add_value(self, v: Any) -> None:
        if v is None:
            self.add(False)
        elif type(v) is str:
            s: str = v
            if s is not self.last:
                self.last = s
                self.last_utf8 = _kept_utf8(s) if self.few_values else s.encode("utf-8")
            utf8 = self.last_utf8
            self.values.write(utf8)
            self.size += len(utf8)
            self.add(True)
        else:
            raise TypeError("not a str")
        if self.size > _MAX_OFFSET:
            raise OverflowError("a string column past int32 offsets")
        write_i32_le(self.offsets, i32(self.size))

    def buffers(self) -> tuple[int, bytes | None, bytes | None, bytes]:
        return self.nulls(), self.validity(), self.offsets.getvalue(), self.values.getvalue()


def repeated(value: str, n: i64) -> tuple[int, bytes | None, bytes | None, bytes]:
    """A string column of `n` rows each holding `value`, as `buffers()` gives it: the
    buffers `pa.repeat` makes of a string (offsets stepping by its UTF-8's length, the
    UTF-8 n times, no validity). For the report id of every row of a report's table."""
    utf8 = value.encode("utf-8")
    size: i64 = len(utf8)
    if size * n > _MAX_OFFSET:
        raise OverflowError("a string column past int32 offsets")
    offsets = BytesWriter()
    at: i64 = 0
    for _ in range(n + 1):
        write_i32_le(offsets, i32(at))
        at += size
    return 0, None, offsets.getvalue(), utf8 * n


def _kept_utf8(s: str) -> bytes:
    utf8 = _KEPT_UTF8.get(s)
    if utf8 is None:
        utf8 = s.encode("utf-8")
        if len(_KEPT_UTF8) >= _KEEP_UTF8:
            _KEPT_UTF8.clear()
        _KEPT_UTF8[s] = utf8
    return utf8
