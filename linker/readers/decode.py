"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM; binary data is refused.

:func:`decode` takes a whole file, :func:`decode_lines` decodes a stream chunk by chunk into
physical lines, with the same result line for line.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from linker.errors import InputError
from linker.limits import describe
from linker.readers.interface import NumberedLines, ReadOptions

_HEAD_SIZE = 65536  # bytes looked at to refuse binary data
_CHUNK_SIZE = 65536
_REPLACEMENT = "\ufffd"
_ENCODED_REPLACEMENT = _REPLACEMENT.encode()

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
# A CR not followed by LF ends a line too (classic Mac OS exports); CRLF keeps its CR, which
# the readers strip, so that columns stay those of the file.
_LONE_CR = re.compile("\r(?!\n)")


def lone_cr_to_lf(text: str) -> str:
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def looks_binary(head: bytes) -> bool:
    """NUL bytes, or mostly control characters, in the first bytes of a file."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    sample = head[:8192]
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls / len(sample) > 0.1


def decode(data: bytes, options: ReadOptions) -> str:
    """Decode a whole file; invalid UTF-8 bytes become U+FFFD with one warning per file."""
    if looks_binary(data[:_HEAD_SIZE]):
        raise options.error("binary data, not a publication list")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return lone_cr_to_lf(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as error:
                raise options.error(f"invalid {encoding.upper()} text: {error.reason}") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return lone_cr_to_lf(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = lone_cr_to_lf(data.decode("utf-8", errors="replace"))
    literal = data.count(_ENCODED_REPLACEMENT)
    first = None if literal else text.count("\n", 0, text.index(_REPLACEMENT)) + 1
    _warn_replaced(text.count(_REPLACEMENT) - literal, first, options)
    return text


def _warn_replaced(replaced: int, first_line: int | None, options: ReadOptions) -> None:
    """The one warning of a file with invalid UTF-8 bytes; ``first_line``: where the first is
    (None where the file also holds U+FFFD itself, which the replacements cannot be told from)."""
    plural = "" if replaced == 1 else "s"
    where = f", the first on line {first_line}" if first_line is not None else ""
    options.warn(f"replaced {replaced} invalid UTF-8 byte{plural}{where}")


def _too_long(options: ReadOptions, line: int) -> InputError:
    return options.error(
        f"line longer than {describe(options.max_record_size)} (--max-record-size)", line
    )


def read_block(stream: BinaryIO, size: int) -> bytes:
    """``size`` bytes, fewer only at the end of the stream (a pipe may return less per read)."""
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = stream.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def decode_lines(stream: BinaryIO, options: ReadOptions) -> NumberedLines:
    """The physical lines of a byte stream, decoded as :func:`decode` does, read in chunks.

    Lines are split on ``\\n`` and on a lone ``\\r``; a CRLF line keeps its ``\\r``. A line
    longer than ``options.max_record_size`` characters is an error naming it, raised as soon
    as that much of it is read. The warning about invalid UTF-8 bytes
    (one per file, with their count) comes once every byte has been decoded, before the last
    line; invalid UTF-16 raises when it is reached.
    """
    head = read_block(stream, _HEAD_SIZE)
    if looks_binary(head):
        raise options.error("binary data, not a publication list")
    encoding, errors = "utf-8", "replace"
    for bom, utf16 in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            encoding, errors, head = utf16, "strict", head[len(bom) :]
            break
    else:
        head = head.removeprefix(codecs.BOM_UTF8)
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    replacements = literal_replacements = 0
    tail = b""  # the last bytes already counted, for a literal U+FFFD split between chunks
    unfinished: list[str] = []  # the start of a line still waiting for its ``\\n``
    pending = 0  # characters in ``unfinished``
    limit = options.max_record_size
    held_cr = False  # a CR at the end of a chunk: lone, or the first half of a CRLF
    number = 0
    first_replaced: int | None = None  # the first line holding a U+FFFD
    chunk = head
    while True:
        final = not chunk
        try:
            decoded = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            raise options.error(f"invalid {encoding.upper()} text: {error.reason}") from None
        if held_cr:
            decoded = "\r" + decoded
        held_cr = not final and decoded.endswith("\r")
        if held_cr:
            decoded = decoded[:-1]
        decoded = lone_cr_to_lf(decoded)
        if errors == "replace":
            replacements += decoded.count(_REPLACEMENT)
            window = tail + chunk
            literal_replacements += window.count(_ENCODED_REPLACEMENT)
            tail = window[-2:]
        lines = decoded.split("\n")
        if len(lines) > 1:
            lines[0] = "".join(unfinished) + lines[0]
            unfinished, pending = [], 0
        last = lines.pop()
        unfinished.append(last)
        pending += len(last)
        if first_replaced is None and _REPLACEMENT in decoded:  # the first chunk with one
            held = next((i for i, line in enumerate(lines) if _REPLACEMENT in line), len(lines))
            first_replaced = number + 1 + held  # ``len(lines)``: the line still unfinished
        for line in lines:
            number += 1
            if len(line) > limit:
                raise _too_long(options, number)
            yield number, line
        if pending > limit:
            raise _too_long(options, number + 1)
        if final:
            break
        chunk = stream.read(_CHUNK_SIZE)
    if replacements > literal_replacements:
        first = None if literal_replacements else first_replaced
        _warn_replaced(replacements - literal_replacements, first, options)
    yield number + 1, "".join(unfinished)
