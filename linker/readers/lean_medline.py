"""MEDLINE read lean: one raw scan per block decides which records can hold an identifier.

A MEDLINE record ends at a blank line, so the file is cut into stretches of lines at empty
lines; a stretch holding another blank line (whitespace only, found by a scan of its own) is
read exactly. Only the title and abstract (the first ``TI`` and ``AB`` values) are searched
for identifiers, so a gate hit (:data:`~linker.extract.rawgate.MEDLINE_GATE`, tight) counts
only in the lines of a ``TI`` or ``AB`` value; where only a bare-number registry name hits,
the record is read only if those lines have eight digits in a row. A stretch with such a hit,
or one the cheap check below cannot vouch for, is decoded and read by the reference reader's
own :meth:`~linker.readers.medline.MedlineReader.drafts`, with its lines' numbers: the
reference starts afresh after every blank line, so it reads the stretch exactly as within the
whole file. Every other stretch is one record holding no identifier: it starts with a tag
line, has at most one ``PMID`` line (a second one starts a record), no ``SI`` line (declared
ids), fits the record size limit, and has a ``TI`` or ``AB`` line with visible text. It is only
counted. Bytes that are not UTF-8 (and what :mod:`linker.readers.blocks` gives up on) raise
:class:`~linker.readers.blocks.Abandon`.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from linker.extract.mention_rows import MentionRow
from linker.extract.rawgate import MEDLINE_GATE, STRIPPED_WHITESPACE
from linker.extract.scan import ScannerCache
from linker.readers.blocks import Abandon, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.medline import MedlineReader
from linker.readers.medline_mentions import plain_record

Span = tuple[int, int]

# The end of a stretch: the line break that ends its last line and the empty lines after it
# ("" or "\r"; without CR for blocks without one: faster).
_EMPTY_LINES = re.compile(rb"\n\n+")
_EMPTY_LINES_CRLF = re.compile(rb"\n(?:\r?\n)+")
_LEADING_BLANK_LINES = re.compile(rb"(?:[ \t\r]*\n)*")
# What makes a stretch more than one plain record: another blank line (what ``str.strip``
# empties; a CR can only end it), an SI line (declared ids), a PMID line after a line that is
# not empty (a second PMID starts a record). (Case-insensitive on some backends: more.)
_OTHER_BLANK_LINE = rf"\n(?:{STRIPPED_WHITESPACE})+\r?\n"
_NOT_ONE_PLAIN_RECORD = [_OTHER_BLANK_LINE, r"\nSI", r"[^\n\r]\r?\nPMID"]
# Those, then an empty line (found by the same scan: the stretches' ends, where CR is absent).
_BLOCK_SCAN = ScannerCache(lambda: [*_NOT_ONE_PLAIN_RECORD, r"\n\n"])
_TAG_LINE = re.compile(rb"[A-Z][A-Z0-9]{1,3} {0,3}-")
_NEXT_TAG_LINE = re.compile(rb"\n([A-Z][A-Z0-9]{1,3}) {0,3}-")
# A title or abstract tag line with visible text on it (what a record with text has).
_TEXT_ON_TAG_LINE = re.compile(rb"\n(?:TI|AB) {0,3}- ?[ \t]*[!-~]")
_EIGHT_DIGITS = re.compile(rb"[0-9]{8}")  # the least a bare number (after a name) needs
if TYPE_CHECKING:
    from linker.models import Publication

_READER = MedlineReader()
_NEWLINE = ord("\n")
_UTF8_PIECE = 65536


def read_medline_lean(
    stream: BinaryIO, options: ReadOptions, tally: RecordTally
) -> Iterator[Publication | list[MentionRow]]:
    """The publications of a MEDLINE stream that may hold an identifier; every other record
    is counted in ``tally``. :class:`Abandon` where the reference must read the file."""
    ordinal = options.first_ordinal - 1
    # Data always starts with a line break: the one before the stretch left open at the end of
    # the last block (from its offset 1 on; carry_line is the number of that line), or, before
    # the first line, one of no file's (the scans find a line break before every line).
    carry, carry_line = b"\n", 1
    opened = False  # whether a line with something on it has been read
    for block, final in _blocks(stream, options):
        if not opened:
            # Empty lines before the first record, counted at once: a part's stream (--jobs)
            # starts with one for each line of the file before the part, and a scan for empty
            # lines would stop at each of its millions.
            unpadded = block.lstrip(b"\n")
            carry_line += len(block) - len(unpadded)
            block, opened = unpadded, bool(unpadded)
        data = carry + block
        if final and not data.endswith(b"\n"):
            data += b"\n"  # every line ends with one: only the scans see it
        stretches, irregular, rest = _stretches(data, final)
        exact = _to_read(data, stretches, irregular) | irregular
        counted = _counted(data, stretches, exact, options.max_record_size)
        tally.add_with_text(len(counted))
        line, read_to, done = carry_line, 1, 0
        for index in (i for i in range(len(stretches)) if i not in counted):
            ordinal += index - done  # the stretches counted before it, one record each
            done = index + 1
            start, end = stretches[index]
            line += data.count(b"\n", read_to, start)
            read_to = start
            text = data[start:end].decode("utf-8")
            record = None
            if index not in irregular and end - start + 1 <= options.max_record_size:
                record = plain_record(text, line)
            if record is not None:
                ordinal += 1
                tally.add(ordinal, line, record.has_text)
                mentions = record.mentions(ordinal, options)
                if mentions:
                    yield mentions
                continue
            for draft in _READER.drafts(enumerate(text.split("\n"), start=line), options):
                ordinal += 1
                yield tally.admit(draft.build(ordinal, options))
        ordinal += len(stretches) - done
        if len(data) - rest > options.max_record_size:
            raise Abandon("a stretch of lines longer than the record size limit")
        carry, carry_line = data[rest - 1 :], line + data.count(b"\n", read_to, rest)


def _blocks(stream: BinaryIO, options: ReadOptions) -> Iterator[tuple[bytes, bool]]:
    """The blocks of :func:`~linker.readers.blocks.blocks`, checked to be UTF-8, each with
    whether it is the last."""
    previous: bytes | None = None
    for block in blocks(stream, options):
        if not block.isascii():
            _check_utf8(block)
        if previous is not None:
            yield previous, False
        previous = block
    yield previous or b"", True


def _check_utf8(block: bytes) -> None:
    """:class:`Abandon` unless ``block`` (whole lines) is UTF-8; decoded in pieces, each
    thrown away (cheaper than one string of the whole block)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(block)
    try:
        for at in range(0, len(block), _UTF8_PIECE):
            decoder.decode(view[at : at + _UTF8_PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise Abandon("bytes that are not UTF-8") from None


def _stretches(data: bytes, final: bool) -> tuple[list[Span], set[int], int]:
    """The stretches of ``data`` between empty lines (start, end: without the last line's
    ``\\n``) that end before an empty line, or at the end of the file when ``final``; the
    indices of those that may not be one record without declared ids (the first line no tag,
    a second ``PMID`` line, an ``SI`` line); and where the rest (an open stretch) begins."""
    start = _LEADING_BLANK_LINES.match(data, 1).end()  # type: ignore[union-attr]
    not_one, empty = _BLOCK_SCAN.get().split_regions(data, len(_NOT_ONE_PLAIN_RECORD))
    bounds = None if b"\r" in data else _single_empty_lines(data, start, empty)
    if bounds is None:
        empty_lines = _EMPTY_LINES_CRLF if b"\r" in data else _EMPTY_LINES
        bounds = [mark.span() for mark in empty_lines.finditer(data, start)]
    starts = [start, *(after for _, after in bounds)]
    found = [(begin, end) for begin, (end, _) in zip(starts, bounds, strict=False)]
    rest = starts[-1]
    if final and rest < len(data):
        found.append((rest, len(data) - 1))
        rest = len(data)
    return found, _irregular(data, found, not_one), rest


def _single_empty_lines(data: bytes, start: int, found: list[Span]) -> list[Span] | None:
    """The spans of the empty lines after ``start`` (each a ``\\n\\n``: a line's break and
    an empty line's), from the regions of a scan for ``\\n\\n`` (each ends where a match
    ends); None where two or more empty lines stand in a row (the scan may have left out a
    match overlapping another: the caller searches again)."""
    pairs = [end - 2 for _, end in found if end - 2 >= start]
    if pairs and data.startswith(b"\n", pairs[-1] + 2):
        return None
    if any(data[pair - 1] == _NEWLINE or data[pair + 2] == _NEWLINE for pair in pairs[:-1]):
        return None
    return [(pair, pair + 2) for pair in pairs]


def _irregular(data: bytes, stretches: list[Span], not_one: list[Span]) -> set[int]:
    """Indices of the stretches that may not be one record without declared ids: the first
    line no tag line, or another blank line, an ``SI`` line, a second ``PMID`` line (where
    the regions ``not_one`` of a scan for those are)."""
    irregular = {
        index
        for index, (start, _) in enumerate(stretches)
        if not data.startswith(b"PMID- ", start) and _TAG_LINE.match(data, start) is None
    }
    starts = [start for start, _ in stretches]
    for first, last in not_one if stretches else ():
        irregular.update(_overlapped(starts, first, last))
    return irregular


def _to_read(data: bytes, stretches: list[Span], known: set[int]) -> set[int]:
    """Indices of the stretches not in ``known`` to read exactly: a gate hit in a title or
    abstract value, or a registry name there with eight digits in a row."""
    if not stretches:
        return set()
    located, named = MEDLINE_GATE.split_regions(data)
    exact = _in_searched_values(data, stretches, located, known)
    named_only = _in_searched_values(data, stretches, named, exact | known)
    exact.update(i for i in named_only if _searched_values_have_eight_digits(data, *stretches[i]))
    return exact


def _in_searched_values(
    data: bytes, stretches: list[Span], regions: list[Span], known: set[int]
) -> set[int]:
    """Indices of the stretches not in ``known`` where some region touches a line of a ``TI``
    or ``AB`` value (a region in the line break before a stretch or in the empty lines after
    it touches its first or last line)."""
    starts = [start for start, _ in stretches]
    found: set[int] = set()
    values: dict[int, list[Span]] = {}
    for first, last in regions:
        for index in _overlapped(starts, first, last):
            if index in known or index in found:
                continue
            start, end = stretches[index]
            if index not in values:
                values[index] = _searched_values(data, start, end)
            low = min(max(first, start), end)
            high = max(low, min(last - 1, end))
            if any(begin <= high and low <= stop for begin, stop in values[index]):
                found.add(index)
    return found


def _overlapped(starts: list[int], first: int, last: int) -> range:
    """Indices of the stretches (by their ``starts``) that ``[first, last)`` overlaps; a
    position in the blank lines after a stretch, or the line break before it, counts for it."""
    low = max(bisect_right(starts, first + 1) - 1, 0)
    return range(low, max(bisect_right(starts, last - 1), low + 1))


def _searched_values(data: bytes, start: int, end: int) -> list[Span]:
    """The ``TI`` and ``AB`` values of a stretch that starts with a tag line, each from its
    tag line's start to the line break that ends its last line (both included)."""
    tags = [
        (tag.start() + 1, tag.group(1)) for tag in _NEXT_TAG_LINE.finditer(data, start - 1, end)
    ]
    ends = [begin - 1 for begin, _ in tags[1:]] + [end]
    return [
        (begin, stop)
        for (begin, tag), stop in zip(tags, ends, strict=True)
        if tag in (b"TI", b"AB")
    ]


def _searched_values_have_eight_digits(data: bytes, start: int, end: int) -> bool:
    """Eight digits in a row in the lines of a ``TI`` or ``AB`` value of the stretch."""
    return any(
        _EIGHT_DIGITS.search(data, begin, stop)
        for begin, stop in _searched_values(data, start, end)
    )


def _counted(data: bytes, stretches: list[Span], exact: set[int], limit: int) -> set[int]:
    """Indices of the stretches (each one record: not irregular) that are not in ``exact``,
    have text that certainly gives no mention (the gate found nothing in them) and fit the
    size limit (``limit`` characters): what the reference would only count. A record has
    text here when a TI or AB tag line has visible text (else: maybe none)."""
    search = _TEXT_ON_TAG_LINE.search
    return {
        index
        for index, (start, end) in enumerate(stretches)
        if index not in exact
        and end - start + 1 <= limit  # bytes: at least the characters counted
        and search(data, start - 1, end) is not None
    }
