"""A small CBOR (RFC 8949) codec for the emulator's Smithy RPC v2 CBOR endpoints.

Encoding:
  None -> null, bool -> true/false, int -> major 0/1 (bignum tags 2/3 beyond 64 bits),
  float -> the smallest of float16/32/64 that holds the value exactly, str -> text string,
  bytes -> byte string, list/tuple -> array, dict -> map, datetime -> tag 1 (epoch seconds),
  Tagged(tag, value) -> any other tag, UNDEFINED -> undefined.

Decoding accepts every major type (0-7), definite and indefinite lengths (byte/text strings,
arrays, maps), float16/32/64, simple values, tag 1 (returned as an aware UTC datetime) and
bignums (tags 2/3); other tags come back as Tagged.
"""

from __future__ import annotations

import math
import struct
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = ["encode", "decode", "Tagged", "UNDEFINED", "CBORDecodeError"]


class CBORDecodeError(ValueError):
    pass


class _Undefined:
    _instance = None

    def __new__(cls) -> "_Undefined":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED = _Undefined()


class Tagged:
    """A tagged data item whose tag this codec does not interpret."""

    def __init__(self, tag: int, value: Any) -> None:
        self.tag = tag
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tagged) and (self.tag, self.value) == (other.tag, other.value)

    def __repr__(self) -> str:
        return f"Tagged({self.tag}, {self.value!r})"


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# ---------------------------------------------------------------- encoding


def _head(major: int, arg: int) -> bytes:
    mt = major << 5
    if arg < 24:
        return bytes([mt | arg])
    if arg < 1 << 8:
        return bytes([mt | 24, arg])
    if arg < 1 << 16:
        return bytes([mt | 25]) + struct.pack(">H", arg)
    if arg < 1 << 32:
        return bytes([mt | 26]) + struct.pack(">I", arg)
    return bytes([mt | 27]) + struct.pack(">Q", arg)


def _encode_int(v: int) -> bytes:
    if 0 <= v < 1 << 64:
        return _head(0, v)
    if -(1 << 64) <= v < 0:
        return _head(1, -1 - v)
    # bignum
    tag, n = (2, v) if v >= 0 else (3, -1 - v)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return _head(6, tag) + _head(2, len(raw)) + raw


def _encode_float(v: float) -> bytes:
    if math.isnan(v):
        return b"\xf9\x7e\x00"
    for fmt, minor in ((">e", 25), (">f", 26)):
        try:
            packed = struct.pack(fmt, v)
        except (OverflowError, struct.error):
            continue
        if struct.unpack(fmt, packed)[0] == v:
            return bytes([0xE0 | minor]) + packed
    return b"\xfb" + struct.pack(">d", v)


def _encode_time(v: datetime) -> bytes:
    if v.tzinfo is None:
        v = v.replace(tzinfo=timezone.utc)
    delta = v - _EPOCH
    if delta.microseconds == 0:
        secs: Any = delta.days * 86400 + delta.seconds
        return _head(6, 1) + _encode_int(secs)
    # millisecond precision, as Smithy asks for
    secs = (delta.days * 86400 + delta.seconds) + (delta.microseconds // 1000) / 1000.0
    return _head(6, 1) + b"\xfb" + struct.pack(">d", secs)


def _encode(v: Any, out: list[bytes]) -> None:
    if v is None:
        out.append(b"\xf6")
    elif v is UNDEFINED:
        out.append(b"\xf7")
    elif v is True:
        out.append(b"\xf5")
    elif v is False:
        out.append(b"\xf4")
    elif isinstance(v, int):
        out.append(_encode_int(v))
    elif isinstance(v, float):
        out.append(_encode_float(v))
    elif isinstance(v, str):
        raw = v.encode("utf-8")
        out.append(_head(3, len(raw)))
        out.append(raw)
    elif isinstance(v, (bytes, bytearray, memoryview)):
        raw = bytes(v)
        out.append(_head(2, len(raw)))
        out.append(raw)
    elif isinstance(v, datetime):
        out.append(_encode_time(v))
    elif isinstance(v, Tagged):
        out.append(_head(6, v.tag))
        _encode(v.value, out)
    elif isinstance(v, (list, tuple)):
        out.append(_head(4, len(v)))
        for item in v:
            _encode(item, out)
    elif isinstance(v, dict):
        out.append(_head(5, len(v)))
        for key, item in v.items():
            _encode(key, out)
            _encode(item, out)
    else:
        raise TypeError(f"cannot CBOR-encode {type(v).__name__}")


def encode(value: Any) -> bytes:
    out: list[bytes] = []
    _encode(value, out)
    return b"".join(out)


# ---------------------------------------------------------------- decoding

_BREAK = object()


# Additional information 24..27: the argument follows in 1, 2, 4 or 8 bytes (RFC 8949 3.);
# of major type 7, 25..27 are half, single and double precision floats (RFC 8949 3.3).
_UINT = {24: ">B", 25: ">H", 26: ">I", 27: ">Q"}
_FLOAT = {25: ">e", 26: ">f", 27: ">d"}


class _Decoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise CBORDecodeError("unexpected end of CBOR data")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def arg(self, minor: int) -> int | None:
        """Returns the argument for a head's minor value, None for indefinite length."""
        if minor < 24:
            return minor
        if minor in _UINT:
            return self.unpack(_UINT[minor])
        if minor == 31:
            return None
        raise CBORDecodeError(f"reserved additional information value {minor}")

    def item(self, allow_break: bool = False) -> Any:
        initial = self.take(1)[0]
        major, minor = initial >> 5, initial & 0x1F
        if major == 7:
            return self.simple(minor, allow_break)
        n = self.arg(minor)
        if major == 0:
            if n is None:
                raise CBORDecodeError("indefinite length not allowed for integers")
            return n
        if major == 1:
            if n is None:
                raise CBORDecodeError("indefinite length not allowed for integers")
            return -1 - n
        if major in (2, 3):
            if n is None:
                chunks = []
                while True:
                    chunk = self.item(allow_break=True)
                    if chunk is _BREAK:
                        break
                    want = bytes if major == 2 else str
                    if not isinstance(chunk, want):
                        raise CBORDecodeError("bad chunk in indefinite-length string")
                    chunks.append(chunk)
                return b"".join(chunks) if major == 2 else "".join(chunks)
            raw = self.take(n)
            if major == 2:
                return raw
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise CBORDecodeError(f"invalid UTF-8 in text string: {e}") from None
        if major == 4:
            items = []
            if n is None:
                while True:
                    v = self.item(allow_break=True)
                    if v is _BREAK:
                        return items
                    items.append(v)
            for _ in range(n):
                items.append(self.item())
            return items
        if major == 5:
            result: dict[Any, Any] = {}
            count = 0
            while n is None or count < n:
                key = self.item(allow_break=n is None)
                if key is _BREAK:
                    break
                if isinstance(key, (list, dict)):
                    raise CBORDecodeError("unhashable map key")
                result[key] = self.item()
                count += 1
            return result
        # major 6: tag
        if n is None:
            raise CBORDecodeError("indefinite length not allowed for tags")
        value = self.item()
        if n == 1:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise CBORDecodeError("tag 1 needs a numeric value")
            return _EPOCH + timedelta(seconds=value)
        if n in (2, 3) and isinstance(value, bytes):
            big = int.from_bytes(value, "big")
            return big if n == 2 else -1 - big
        return Tagged(n, value)

    def simple(self, minor: int, allow_break: bool) -> Any:
        if minor == 20:
            return False
        if minor == 21:
            return True
        if minor == 22:
            return None
        if minor == 23:
            return UNDEFINED
        if minor in _FLOAT:
            return self.unpack(_FLOAT[minor])
        if minor == 31:
            if allow_break:
                return _BREAK
            raise CBORDecodeError("unexpected break")
        if minor == 24:
            return Tagged(-1, self.take(1)[0])  # simple value 32..255
        if minor < 20:
            return Tagged(-1, minor)
        raise CBORDecodeError(f"reserved simple value {minor}")


def decode(data: bytes) -> Any:
    """Decodes exactly one CBOR data item; trailing bytes are an error."""
    dec = _Decoder(bytes(data))
    value = dec.item()
    if value is _BREAK:
        raise CBORDecodeError("unexpected break")
    if dec.pos != len(dec.data):
        raise CBORDecodeError(f"{len(dec.data) - dec.pos} trailing bytes after CBOR item")
    return value
