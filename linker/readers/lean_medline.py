"""MEDLINE read lean: one raw scan per block decides which records can hold an identifier.

A MEDLINE record ends at a blank line, so the file is cut into stretches of lines at empty
lines (a line of other whitespace only is a trouble pattern of the gate, which sends its
stretch to the exact reading). A stretch that the gate
(:data:`~linker.extract.rawgate.MEDLINE_GATE`) touches, or that the cheap check below cannot
vouch for, is decoded and read by the reference reader's own
:meth:`~linker.readers.medline.MedlineReader.drafts`, with its lines' numbers: the reference
starts a new record after every blank line, so it reads the stretch exactly as it reads it
within the whole file. Every other stretch is one record holding no identifier: it starts with
a tag line, has at most one ``PMID`` line (a second one starts a record), no ``SI`` line
(declared ids), fits the record size limit, and has a ``TI`` or ``AB`` line with visible text.
It is only counted. Bytes that are not UTF-8 (and what :mod:`linker.readers.blocks` gives up
on) raise :class:`~linker.readers.blocks.Abandon`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import BinaryIO

from linker.extract.rawgate import MEDLINE_GATE
from linker.models import Publication
from linker.readers.blocks import Abandon, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.medline import MedlineReader

# The end of a stretch and the empty lines after it ("" or "\r": other blank lines are trouble
# patterns of the gate); the first without a CR, faster, for blocks without one.
_EMPTY_LINES = re.compile(rb"\n\n+")
_EMPTY_LINES_CRLF = re.compile(rb"\n(?:\r?\n)+")
_LEADING_BLANK_LINES = re.compile(rb"(?:[ \t\r]*\n)*")
_TAG_LINE = re.compile(rb"[A-Z][A-Z0-9]{1,3} {0,3}-")
_TEXT_LINE = re.compile(rb"(?:TI|AB) {0,3}- ?[ \t]*[!-~]")  # a title or abstract, not blank
_READER = MedlineReader()


def read_medline_lean(
    stream: BinaryIO, options: ReadOptions, tally: RecordTally
) -> Iterator[Publication]:
    """The publications of a MEDLINE stream that may hold an identifier; every other record
    is counted in ``tally``. :class:`Abandon` where the reference must read the file."""
    ordinal = options.first_ordinal - 1
    carry, carry_line = b"", 1  # the stretch still open at the end of the last block, its line
    for block, final in _blocks(stream, options):
        data = carry + block
        if final and not data.endswith(b"\n"):
            data += b"\n"  # every line ends with one: only the gate sees it
        stretches, rest = _stretches(data, final)
        hits = _touched(data, stretches)
        line, counted = carry_line, 0
        for index, (start, end) in enumerate(stretches):
            line += data.count(b"\n", counted, start)
            counted = start
            if index not in hits and _holds_no_identifier(data, start, end, options):
                ordinal += 1
                tally.add(ordinal, line, True)
                continue
            numbered = enumerate(data[start:end].decode("utf-8").split("\n"), start=line)
            for draft in _READER.drafts(numbered, options):
                ordinal += 1
                yield tally.admit(draft.build(ordinal, options))
        if len(data) - rest > options.max_record_size:
            raise Abandon("a stretch of lines longer than the record size limit")
        carry, carry_line = data[rest:], line + data.count(b"\n", counted, rest)


def _blocks(stream: BinaryIO, options: ReadOptions) -> Iterator[tuple[bytes, bool]]:
    """The blocks of :func:`~linker.readers.blocks.blocks`, checked to be UTF-8, each with
    whether it is the last."""
    previous: bytes | None = None
    for block in blocks(stream, options):
        if not block.isascii():
            try:
                block.decode("utf-8")
            except UnicodeDecodeError:
                raise Abandon("bytes that are not UTF-8") from None
        if previous is not None:
            yield previous, False
        previous = block
    yield previous or b"", True


def _stretches(data: bytes, final: bool) -> tuple[list[tuple[int, int]], int]:
    """The stretches of non-blank lines of ``data`` (start, end: without the last line's
    ``\\n``) that end before a blank line, or at the end of the file when ``final``; and where
    the rest (an open stretch) begins."""
    found: list[tuple[int, int]] = []
    start = _LEADING_BLANK_LINES.match(data).end()  # type: ignore[union-attr]
    separators = _EMPTY_LINES_CRLF if b"\r" in data else _EMPTY_LINES
    for blank in separators.finditer(data, start):
        found.append((start, blank.start()))
        start = blank.end()
    if final and start < len(data):
        found.append((start, len(data) - 1))
        start = len(data)
    return found, start


def _touched(data: bytes, stretches: list[tuple[int, int]]) -> set[int]:
    """Indices of the stretches a gate match may overlap (a match in the blank lines after a
    stretch counts for it)."""
    if not stretches:
        return set()
    starts = [start for start, _ in stretches]
    touched: set[int] = set()
    # A line break before the first line, so that patterns anchored on one see it too.
    for first, last in MEDLINE_GATE.regions(b"\n" + data):
        low = max(bisect_right(starts, first - 1) - 1, 0)
        high = bisect_right(starts, last - 2) - 1
        touched.update(range(low, high + 1))
    return touched


def _holds_no_identifier(data: bytes, start: int, end: int, options: ReadOptions) -> bool:
    """Whether the stretch is one record with text that certainly gives no mention (the gate
    found nothing in it), its size within the limit: what the reference would only count."""
    if end - start + 1 > options.max_record_size:  # bytes: at least the characters counted
        return False
    if _TAG_LINE.match(data, start) is None:
        return False
    if data.count(b"\nPMID", start, end) + data.startswith(b"PMID", start) > 1:
        return False
    if data.startswith(b"SI", start) or data.find(b"\nSI", start, end) != -1:
        return False
    return _has_text(data, start, end)


def _has_text(data: bytes, start: int, end: int) -> bool:
    """A ``TI`` or ``AB`` line with visible text on the tag line (False: maybe none)."""
    if _TEXT_LINE.match(data, start, end) is not None:
        return True
    for tag in (b"\nTI", b"\nAB"):
        at = data.find(tag, start, end)
        while at != -1:
            if _TEXT_LINE.match(data, at + 1, end) is not None:
                return True
            at = data.find(tag, at + 3, end)
    return False
