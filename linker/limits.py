"""Size limits: no input, however large or however crafted, makes memory grow without bound.

- A record (one physical line, or one publication) over ``--max-record-size`` (default
  :data:`DEFAULT_MAX_RECORD_SIZE`) is an input error naming its line.
- Formats read whole (JSON documents, BibTeX) are read up to :data:`DOCUMENT_RECORDS` records'
  worth of that limit.
- Gzip input stops with an error past :data:`MAX_GZIP_RATIO` times its compressed size (once
  :data:`GZIP_RATIO_FROM` bytes are out: small files compress well) or past
  :data:`MAX_DECOMPRESSED` bytes in all.
- Configuration files and baselines are read up to :data:`MAX_CONFIG_SIZE` and
  :data:`MAX_BASELINE_SIZE` (``baseline = "/dev/zero"`` is an error, not a full memory).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import BinaryIO

MB = 1024 * 1024
DEFAULT_MAX_RECORD_SIZE = 10 * MB
DOCUMENT_RECORDS = 25
MAX_GZIP_RATIO = 100
GZIP_RATIO_FROM = 16 * MB
MAX_DECOMPRESSED = 4 * 1024 * MB
MAX_CONFIG_SIZE = 4 * MB
MAX_BASELINE_SIZE = 64 * MB

_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": MB, "g": 1024 * MB}


class TooLarge(Exception):
    """Data past a limit; the message says which and how to raise it where one can."""


def parse_size(text: str) -> int:
    """Bytes from ``"10MB"``, ``"500k"``, ``"1G"``, ``"2048"``; :class:`ValueError` otherwise."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f'not a size: {text!r} (use bytes or e.g. "500k", "10MB", "1G")')
    unit = (match.group(2) or "").lower()[:1]
    size = int(float(match.group(1)) * _UNITS[unit])
    if size <= 0:
        raise ValueError(f"size must be positive: {text!r}")
    return size


def describe(size: int) -> str:
    return f"{size / MB:g} MB" if size >= MB else f"{size} bytes"


def read_capped(stream: BinaryIO, limit: int, what: str) -> bytes:
    """All of ``stream``, or :class:`TooLarge` once it holds more than ``limit`` bytes. Read
    until the end: a stream may return less than asked (a pipe, a stream with bytes put back)."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        part = stream.read(limit + 1 - total)
        if not part:
            break
        parts.append(part)
        total += len(part)
    if total > limit:
        raise TooLarge(f"{what} is larger than {describe(limit)}")
    return b"".join(parts)


def read_file_capped(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the file at ``path`` (any kind: a device is read only up to the limit)."""
    with path.open("rb") as stream:
        return read_capped(stream, limit, what)


class _Counting(io.RawIOBase):
    """A byte stream that counts what is read through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class LimitedGzip(io.RawIOBase):
    """Gzip decompression that refuses a bomb: :class:`TooLarge` past the ratio or size."""

    def __init__(
        self,
        compressed: BinaryIO,
        *,
        ratio: int = MAX_GZIP_RATIO,
        ratio_from: int = GZIP_RATIO_FROM,
        total: int = MAX_DECOMPRESSED,
    ) -> None:
        import gzip

        self._counted = _Counting(compressed)
        self._gzip = gzip.GzipFile(fileobj=self._counted, mode="rb")
        self._ratio = ratio
        self._ratio_from = ratio_from
        self._total = total
        self.out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._gzip.read(len(buffer))
        buffer[: len(data)] = data
        self.out += len(data)
        if self.out > self._total:
            raise TooLarge(f"gzip data decompresses to more than {describe(self._total)}")
        if self.out > self._ratio_from and self.out > self._ratio * max(self._counted.count, 1):
            raise TooLarge(
                f"gzip data expands more than {self._ratio} times (its first "
                f"{describe(self._counted.count)} of compressed data decompress to over "
                f"{describe(self.out)}): refused as a decompression bomb"
            )
        return len(data)
