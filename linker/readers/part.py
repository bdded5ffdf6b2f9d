"""One part of a large input file, read as if it were the whole file (``check --jobs``).

A part is the records between two record boundaries of the (decompressed) file: the bytes
``[start, end)``, which begin and end at line starts. It is read through the format's own
reader from a stream that puts back what the reader needs from the rest of the file: the file's
``header`` bytes (the XML prolog and root tag, the CSV header row), then one empty line for each
line between the header and the part, so that every line number the reader gives (positions,
warnings, errors) is that of the original file, then the part, then the ``footer`` (the XML root's
end tag) for all but the last part. Records are numbered from ``first_ordinal``. Where parts
come from, and how they are checked to be exact, is :mod:`linker.scale.split`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from linker.limits import LimitedGzip

_GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 1 << 20


@dataclass(frozen=True)
class FilePart:
    """Where one part of ``source`` is, and what to read it as."""

    source: str
    fmt: str
    index: int  # from 1
    total: int
    start: int  # byte offset in the decompressed file: a line start
    end: int | None  # a line start, or None: to the end of the file
    first_line: int
    first_ordinal: int
    records: int  # the boundaries counted in the part: its reader must give as many records
    header_end: int = 0  # bytes [0, header_end) are put before the part
    header_lines: int = 0  # the lines those bytes hold
    footer: bytes = b""

    @property
    def label(self) -> str:
        return f"{self.source} (part {self.index} of {self.total})"


@contextmanager
def decompressed(path: str) -> Iterator[BinaryIO]:
    """The file's bytes, gzip undone (by magic bytes, with the readers' limits)."""
    with Path(path).open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        yield cast(BinaryIO, io.BufferedReader(LimitedGzip(raw))) if magic == _GZIP_MAGIC else raw


class PartStream(io.RawIOBase):
    """The bytes a part's reader gets (see the module's docstring)."""

    def __init__(self, part: FilePart) -> None:
        self._part = part
        self._opened = ExitStack()
        self._file = self._opened.enter_context(decompressed(part.source))
        header = self._file.read(part.header_end) if part.header_end else b""
        self._skip(part.start - len(header))
        padding = b"\n" * (part.first_line - 1 - part.header_lines)
        self._prefix = io.BytesIO(header + padding)
        self._left = None if part.end is None else part.end - part.start
        self._footer = io.BytesIO(part.footer)

    def _skip(self, size: int) -> None:
        plain = isinstance(getattr(self._file, "raw", None), io.FileIO)  # not gzip
        if plain and self._file.seekable():
            self._file.seek(max(size, 0), io.SEEK_CUR)
            return
        while size > 0:
            block = self._file.read(min(size, _BLOCK))
            if not block:
                break
            size -= len(block)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        wanted = size
        data = self._prefix.read(wanted)
        if data:
            return data
        if self._left is None or self._left > 0:
            data = self._file.read(wanted if self._left is None else min(wanted, self._left))
            if data:
                if self._left is not None:
                    self._left -= len(data)
                return data
            self._left = 0
        return self._footer.read(wanted)

    def close(self) -> None:
        self._opened.close()
        super().close()
