"""The HTML report's embedded data, written piece by piece.

The text is exactly ``embedded(report_data(result))`` of :mod:`linker.report.html_data` (JSON,
or gzip then base64 above :data:`~linker.report.html_data.COMPRESS_ABOVE` characters), but it is
made one publication at a time from a result that may be spooled on disk: a pass finds the
files and rule codes, a pass measures the text (to choose the encoding), a pass writes it. The
gzip stream is made as :func:`gzip.compress` makes it (same header, one deflate stream, same
trailer), so the bytes are the same.
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Iterator
from typing import TextIO

from linker.report.html_data import (
    COMPRESS_ABOVE,
    document,
    embed,
    publication_row,
    suppressed_rows,
)
from linker.results import RunResult

_SLOT = "\x00slot\x00"
_GZIP_LEVEL = 6


class EmbeddedData:
    """The data of one report: its encoding, and its text written to a stream on demand."""

    def __init__(self, result: RunResult, compress_above: int = COMPRESS_ABOVE) -> None:
        self._result = result
        files: set[str] = set()
        codes: set[str] = set()
        self.suppressed = 0
        for publication in result.publications:
            files.add(publication.file)
            codes.update(f.code for f in publication.findings)
            codes.update(f.code for f in publication.suppressed)
            self.suppressed += len(publication.suppressed)
        self._files = sorted(files)
        self._index = {name: index for index, name in enumerate(self._files)}
        self._codes = codes
        size = sum(len(piece) for piece in self._pieces())
        self.encoding = "json" if size <= compress_above else "gzip+base64"

    def write(self, stream: TextIO) -> None:
        if self.encoding == "json":
            stream.writelines(self._pieces())
        else:
            stream.writelines(_base64(_gzip(piece.encode("utf-8") for piece in self._pieces())))

    def _pieces(self) -> Iterator[str]:
        head = document(self._files, self._codes, _SLOT, _SLOT)
        before, between, after = embed(head).split(json.dumps(_SLOT))
        yield before + "["
        separator = ""
        for publication in self._result.publications:
            yield separator + embed(publication_row(publication, self._index[publication.file]))
            separator = ","
        yield "]" + between + "["
        separator = ""
        for publication in self._result.publications:
            for row in suppressed_rows(publication):
                yield separator + embed(row)
                separator = ","
        yield "]" + after


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """What ``gzip.compress(b"".join(chunks), compresslevel=6, mtime=0)`` returns, in parts."""
    yield gzip.compress(b"", compresslevel=_GZIP_LEVEL, mtime=0)[:10]  # the header
    deflate = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    crc = length = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        length += len(chunk)
        yield deflate.compress(chunk)
    yield deflate.flush()
    yield crc.to_bytes(4, "little") + (length & 0xFFFFFFFF).to_bytes(4, "little")


def _base64(chunks: Iterator[bytes]) -> Iterator[str]:
    """Base64 of the concatenated chunks, in parts (each a whole number of 3-byte groups)."""
    held = b""
    for chunk in chunks:
        held += chunk
        whole = len(held) - len(held) % 3
        if whole:
            yield base64.b64encode(held[:whole]).decode("ascii")
            held = held[whole:]
    yield base64.b64encode(held).decode("ascii")
