"""A byte stream in large blocks of whole lines, for the lean readers (:mod:`linker.lean`).

A lean reader scans each block's raw bytes at once and decodes only the lines it must. It
gives the results of :func:`linker.readers.decode.decode_lines` or none at all: what that
function would treat in a way a lean reader does not follow (UTF-16, a lone CR, a line over
the size limit, bytes that are not UTF-8) raises :class:`Abandon`, and the caller reads the
file again the reference way, which then reports it in its own words.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import BinaryIO

from linker.readers.decode import read_block
from linker.readers.interface import ReadOptions

BLOCK_SIZE = 4 * 1024 * 1024
_LONE_CR = re.compile(rb"\r(?!\n)")


class Abandon(Exception):
    """The lean reading cannot follow this file exactly: read it the reference way."""


def blocks(stream: BinaryIO, options: ReadOptions) -> Iterator[bytes]:
    """The stream's bytes in blocks that end at a ``\\n`` (the last one at the end of the
    stream), a UTF-8 byte-order mark removed."""
    size = BLOCK_SIZE
    limit = options.max_record_size
    tail = b""
    first = True
    while True:
        data = read_block(stream, size)
        if first:
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise Abandon("UTF-16")
            data = data.removeprefix(codecs.BOM_UTF8)
            first = False
        if not data:
            if tail:
                _check(tail, limit)
                yield tail
            return
        cut = data.rfind(b"\n") + 1  # the tail holds no line feed: this is the block's end
        if cut:  # one copy of the block's bytes (memory bandwidth is most of this loop's cost)
            block = b"".join((tail, memoryview(data)[:cut])) if tail or cut < len(data) else data
            tail = data[cut:]
        else:
            block, tail = b"", tail + data
        if len(tail) > limit:
            raise Abandon("a line longer than the record size limit")
        if block:
            _check(block, limit)
            yield block


def _check(block: bytes, limit: int) -> None:
    if b"\r" in block and _LONE_CR.search(block) is not None:
        raise Abandon("a lone CR")  # a line break of its own: rare, read the reference way
    if len(block) > limit and any(len(line) > limit for line in block.split(b"\n")):
        raise Abandon("a line longer than the record size limit")


def block_lines(block: bytes) -> list[bytes]:
    """The lines of a block from :func:`blocks`, without their ``\\n``."""
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    return lines
