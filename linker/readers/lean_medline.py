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

# The end of a stretch and the empty lines after it ("" or "\r"; without CR for blocks without
# one: faster), or the start of a PMID or SI line (a second PMID starts a record; SI declares).
_EMPTY_LINES_OR_MARK = re.compile(rb"\n(?:(\n+)|PMID|SI)")
_EMPTY_LINES_OR_MARK_CRLF = re.compile(rb"\n(?:((?:\r?\n)+)|PMID|SI)")
_LEADING_BLANK_LINES = re.compile(rb"(?:[ \t\r]*\n)*")
# Any other blank line (what ``str.strip`` empties; a CR can only end it), with its breaks.
_OTHER_BLANK_LINE = rf"\n(?:{STRIPPED_WHITESPACE})+\r?\n"
_BLANK_LINES = ScannerCache(lambda: [_OTHER_BLANK_LINE])
_TAG_LINE = re.compile(rb"[A-Z][A-Z0-9]{1,3} {0,3}-")
_SEARCHED_TAG = re.compile(rb"(?:TI|AB) {0,3}-")
_SEARCHED_WITH_TEXT = re.compile(rb"(?:TI|AB) {0,3}- ?[ \t]*[!-~]")  # on the tag line
_NEXT_TAG_LINE = re.compile(rb"\n[A-Z][A-Z0-9]{1,3} {0,3}-")
_EIGHT_DIGITS = re.compile(rb"[0-9]{8}")  # the least a bare number (after a name) needs
if TYPE_CHECKING:
    from linker.models import Publication

_READER = MedlineReader()
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
    for block, final in _blocks(stream, options):
        data = carry + block
        if final and not data.endswith(b"\n"):
            data += b"\n"  # every line ends with one: only the scans see it
        stretches, irregular, rest = _stretches(data, final)
        irregular |= _with_blank_lines(data, stretches)
        exact = _to_read(data, stretches, irregular) | irregular
        line, counted = carry_line, 1
        for index, (start, end) in enumerate(stretches):
            if index not in exact and _holds_no_identifier(data, start, end, options):
                ordinal += 1
                tally.add(ordinal, 0, True)  # (the line is told only for a record without text)
                continue
            line += data.count(b"\n", counted, start)
            counted = start
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
        if len(data) - rest > options.max_record_size:
            raise Abandon("a stretch of lines longer than the record size limit")
        carry, carry_line = data[rest - 1 :], line + data.count(b"\n", counted, rest)


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
    found: list[Span] = []
    irregular: set[int] = set()
    start = _LEADING_BLANK_LINES.match(data, 1).end()  # type: ignore[union-attr]
    pmids, plain = _first_line(data, start)
    marks = _EMPTY_LINES_OR_MARK_CRLF if b"\r" in data else _EMPTY_LINES_OR_MARK
    for mark in marks.finditer(data, start):
        if mark.group(1) is None:  # a PMID or SI line
            pmids += data[mark.start() + 1] == ord("P")
            plain = plain and pmids < 2 and data[mark.start() + 1] != ord("S")
            continue
        if not plain:
            irregular.add(len(found))
        found.append((start, mark.start()))
        start = mark.end()
        pmids, plain = _first_line(data, start)
    if final and start < len(data):
        if not plain:
            irregular.add(len(found))
        found.append((start, len(data) - 1))
        start = len(data)
    return found, irregular, start


def _first_line(data: bytes, start: int) -> tuple[int, bool]:
    """Whether the line at ``start`` is a PMID line (0 or 1), and whether it is a tag line
    but no SI line (what a stretch that is one plain record starts with)."""
    plain = _TAG_LINE.match(data, start) is not None and not data.startswith(b"SI", start)
    return int(data.startswith(b"PMID", start)), plain


def _with_blank_lines(data: bytes, stretches: list[Span]) -> set[int]:
    """Indices of the stretches holding a blank line that is not empty (whitespace only):
    the reference ends a record there."""
    starts = [start for start, _ in stretches]
    return {
        index
        for first, last in _BLANK_LINES.get().regions(data)
        for index in _overlapped(starts, first, last)
    }


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
    """Indices of the stretches not in ``known`` where some region touches a ``TI`` or ``AB``
    value."""
    starts = [start for start, _ in stretches]
    found: set[int] = set()
    for first, last in regions:
        for index in _overlapped(starts, first, last):
            if index not in known and index not in found:
                start, end = stretches[index]
                if _touches_searched_value(data, start, end, first, last):
                    found.add(index)
    return found


def _overlapped(starts: list[int], first: int, last: int) -> range:
    """Indices of the stretches (by their ``starts``) that ``[first, last)`` overlaps; a
    position in the blank lines after a stretch, or the line break before it, counts for it."""
    low = max(bisect_right(starts, first + 1) - 1, 0)
    return range(low, max(bisect_right(starts, last - 1), low + 1))


def _touches_searched_value(data: bytes, start: int, end: int, first: int, last: int) -> bool:
    """Whether ``[first, last)`` touches a line of a ``TI`` or ``AB`` value of the stretch
    ``[start, end)`` (or a line before any tag: the stretch is then read exactly)."""
    position = min(max(first, start), end)
    if _value_is_searched(data, start, position):
        return True
    newline = data.find(b"\n", position, min(last - 1, end))
    while newline != -1:  # the lines that start inside the span
        if _SEARCHED_TAG.match(data, newline + 1) is not None:
            return True
        newline = data.find(b"\n", newline + 1, min(last - 1, end))
    return False


def _value_is_searched(data: bytes, start: int, position: int) -> bool:
    """Whether the line holding ``position`` (a line's ``\\n`` ends it) belongs to a ``TI``
    or ``AB`` value: its tag is on the nearest tag line at or above it."""
    line = max(data.rfind(b"\n", start, position) + 1, start)
    while _TAG_LINE.match(data, line) is None:
        if line == start:
            return True  # no tag line above: the reference decides (an error)
        line = max(data.rfind(b"\n", start, line - 1) + 1, start)
    return _SEARCHED_TAG.match(data, line) is not None


def _searched_values_have_eight_digits(data: bytes, start: int, end: int) -> bool:
    """Eight digits in a row in the lines of a ``TI`` or ``AB`` value of the stretch."""
    line = start
    while line < end:
        following = _NEXT_TAG_LINE.search(data, line, end)
        value_end = following.start() if following is not None else end
        if line == start and _TAG_LINE.match(data, start) is None:
            return True  # lines before any tag: the reference decides
        if _SEARCHED_TAG.match(data, line) and _EIGHT_DIGITS.search(data, line, value_end):
            return True
        line = value_end + 1
    return False


def _holds_no_identifier(data: bytes, start: int, end: int, options: ReadOptions) -> bool:
    """Whether the stretch (one record: not irregular) has text that certainly gives no
    mention (the gate found nothing in it), its size within the limit: what the reference
    would only count."""
    if end - start + 1 > options.max_record_size:  # bytes: at least the characters counted
        return False
    return _has_text(data, start, end)


def _has_text(data: bytes, start: int, end: int) -> bool:
    """A ``TI`` or ``AB`` line with visible text on the tag line (False: maybe none)."""
    if _SEARCHED_WITH_TEXT.match(data, start, end) is not None:
        return True
    for tag in (b"\nTI", b"\nAB"):
        at = data.find(tag, start, end)
        while at != -1:
            if _SEARCHED_WITH_TEXT.match(data, at + 1, end) is not None:
                return True
            at = data.find(tag, at + 3, end)
    return False
