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
    """A bitmap (Arrow's validity or boolean values) appended one bit at a time, written
    by runs: a bit equal to the one before only counts (`n += 1` at the caller), and
    only a change of bit (`switch`) writes the run it ends. Most columns are never null
    or null in long runs, so most values write no bit (bench/RESULTS.md, branch table33).
    The caller keeps `bit` as the current run's bit: `if v is None: if self.bit:
    self.switch(False)`, then `self.n += 1`."""

    def __init__(self) -> None:
        self.out = BytesWriter()
        self.byte: i64 = 0          # the bits of the byte being filled
        self.done: i64 = 0          # bits written (to `out`, then `byte`)
        self.n: i64 = 0             # bits appended
        self.bit: bool = True       # the bit of bits done .. n
        self.ones: i64 = 0          # ones among the bits written

    def reset(self) -> None:
        """Empty, for another column of the same type (its writer's memory kept)."""
        self.out.truncate(0)
        self.byte = 0
        self.done = 0
        self.n = 0
        self.bit = True
        self.ones = 0

    def switch(self, bit: bool) -> None:
        """The bits from here on are `bit` (the opposite of the run so far)."""
        self.write_run()
        self.bit = bit

    def write_run(self) -> None:
        """Writes the current run (bits done .. n)."""
        k: i64 = self.n - self.done
        if k <= 0:
            return
        at: i64 = self.done & 7
        if self.bit:
            self.ones += k
        if at:                      # the rest of the byte being filled first
            take: i64 = 8 - at
            if take > k:
                take = k
            if self.bit:
                self.byte |= ((1 << take) - 1) << at
            k -= take
            self.done += take
            if self.done & 7:
                return
            self.out.append(u8(self.byte))
            self.byte = 0
        whole: i64 = k >> 3
        fill = u8(255) if self.bit else u8(0)
        i: i64 = 0
        while i < whole:
            self.out.append(fill)
            i += 1
        k &= 7
        if k and self.bit:
            self.byte = (1 << k) - 1
        self.done += 8 * whole + k

    def count(self) -> i64:
        """The ones among all the bits appended."""
        return self.ones + (self.n - self.done if self.bit else 0)

    def value(self) -> bytes:
        """The bitmap's bytes (the last one's unused bits zero); once, at the end."""
        self.write_run()
        if self.done & 7:
            self.out.append(u8(self.byte))
        return self.out.getvalue()


class Column(Bits):
    """A column's values, and its validity as the bitmap it is; `buffers()` gives (null
    count, validity bitmap or None when nothing is null, int32 offsets or None, values)."""

    def __init__(self) -> None:
        super().__init__()
        self.values = BytesWriter()

    def reset(self) -> None:
        super().reset()
        self.values.truncate(0)

    def held(self) -> i64:
        """The bytes its writers hold."""
        return len(self.out) + len(self.values)

    def nulls(self) -> i64:
        return self.n - self.count()

    def validity(self) -> bytes | None:
        return self.value() if self.nulls() else None

    def buffers(self) -> tuple[int, bytes | None, bytes | None, bytes]:
        return self.nulls(), self.validity(), None, self.values.getvalue()


class Int64s(Column):
    def add_value(self, v: Any) -> None:
        if v is None:
            write_i64_le(self.values, 0)
            if self.bit:
                self.switch(False)
        elif type(v) is int:
            write_i64_le(self.values, v)
            if not self.bit:
                self.switch(True)
        else:
            raise TypeError("not an int")
        self.n += 1


class Float64s(Column):
    def add_value(self, v: Any) -> None:
        if v is None:
            write_f64_le(self.values, 0.0)
            if self.bit:
                self.switch(False)
        elif type(v) is float:
            write_f64_le(self.values, v)
            if not self.bit:
                self.switch(True)
        else:
            raise TypeError("not a float")
        self.n += 1


class Bools(Column):
    def __init__(self) -> None:
        super().__init__()
        self.bits = Bits()

    def reset(self) -> None:
        super().reset()
        self.bits.reset()

    @property
    def trues(self) -> int:
        return self.bits.count()

    def add_value(self, v: Any) -> None:
        bits = self.bits
        if v is None:
            if bits.bit:
                bits.switch(False)
            if self.bit:
                self.switch(False)
        elif type(v) is bool:
            b: bool = v
            if bits.bit != b:
                bits.switch(b)
            if not self.bit:
                self.switch(True)
        else:
            raise TypeError("not a bool")
        bits.n += 1
        self.n += 1

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
        # the last two strings and their UTF-8: neighbouring claims often share a value
        # (the sentence, the unit, the reason ...), or take turns with another
        # (a claim's sentence, then a mention's), encoded once
        self.last: str = ""
        self.last_utf8: bytes = b""
        self.other: str = ""
        self.other_utf8: bytes = b""

    def reset(self) -> None:
        # the strings kept stay: a string's UTF-8 is the same in any report
        super().reset()
        self.offsets.truncate(0)
        write_i32_le(self.offsets, 0)
        self.size = 0

    def add_value(self, v: Any) -> None:
        if v is None:
            if self.bit:
                self.switch(False)
        elif type(v) is str:
            s: str = v
            if s is not self.last:
                if s is self.other:
                    utf8 = self.other_utf8
                else:
                    utf8 = _kept_utf8(s) if self.few_values else s.encode("utf-8")
                self.other = self.last
                self.other_utf8 = self.last_utf8
                self.last = s
                self.last_utf8 = utf8
            utf8 = self.last_utf8
            self.values.write(utf8)
            self.size += len(utf8)
            if self.size > _MAX_OFFSET:
                raise OverflowError("a string column past int32 offsets")
            if not self.bit:
                self.switch(True)
        else:
            raise TypeError("not a str")
        self.n += 1
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
    i: i64 = 0
    while i <= n:
        write_i32_le(offsets, i32(at))
        at += size
        i += 1
    return 0, None, offsets.getvalue(), utf8 * n


def _kept_utf8(s: str) -> bytes:
    utf8 = _KEPT_UTF8.get(s)
    if utf8 is None:
        utf8 = s.encode("utf-8")
        if len(_KEPT_UTF8) >= _KEEP_UTF8:
            _KEPT_UTF8.clear()
        _KEPT_UTF8[s] = utf8
    return utf8
