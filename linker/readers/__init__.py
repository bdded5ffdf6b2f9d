"""Publication-list readers: one entry point, :func:`read_publications`, for every format.

Formats: ``textlist`` (the seed list: title line + abstract lines), ``pubmed-xml``, ``medline``
(``.nbib``), ``ris``, ``bibtex``, ``csv``, ``tsv``, ``jsonl``, ``json``. Gzip is undone
transparently (by magic bytes); ``-`` reads standard input. Whatever goes wrong with a file is
an :class:`~linker.errors.InputError` naming it (and the line where known), never a traceback.
Records with neither title nor abstract are yielded (empty text) with a warning (the first few,
then one count), not dropped; but a file with no record at all, or with no record that has a
title or abstract, is an :class:`~linker.errors.InputError` (raised at the end of the file). No
yielded text contains a surrogate code point (see :mod:`linker.readers.guard`).

A record with no PMID, DOI or id gets the key ``<file>:<ordinal>``, ``<file>`` being the path as
given (``d1/list.txt:5``, ``<stdin>:5``), so that files of the same name do not collide.

Reading streams: PubMed XML and the line-based formats (``textlist``, ``medline``, ``ris``,
``bibtex``, ``csv``, ``tsv``, ``jsonl``) are decoded and parsed as the file is read, so memory
stays flat however long the list; only ``json`` documents are read whole.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from linker.errors import InputError
from linker.limits import (
    DEFAULT_MAX_RECORD_SIZE,
    DOCUMENT_RECORDS,
    LimitedGzip,
    TooLarge,
    read_capped,
)
from linker.readers.decode import decode, decode_lines, looks_binary
from linker.readers.detect import FORMATS, detect_format
from linker.readers.guard import checked, replace_surrogates
from linker.readers.interface import LineReader, Reader, ReadOptions
from linker.readers.part import FilePart, PartStream

if TYPE_CHECKING:
    from linker.models import Publication

__all__ = ["FORMATS", "detect_format", "read_publications"]

_HEAD_SIZE = 65536
_GZIP_MAGIC = b"\x1f\x8b"

# Each format's reader: its module, class and arguments, imported when first used (lxml and
# bibtexparser cost start-up time that a JSON Lines run does not need).
_READER_CLASSES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "textlist": ("textlist", "TextListReader", ()),
    "pubmed-xml": ("pubmed_xml", "PubmedXmlReader", ()),
    "medline": ("medline", "MedlineReader", ()),
    "ris": ("ris", "RisReader", ()),
    "bibtex": ("bibtex", "BibtexReader", ()),
    "csv": ("tabular", "TabularReader", ("csv", ",")),
    "tsv": ("tabular", "TabularReader", ("tsv", "\t")),
    "jsonl": ("jsonrecords", "JsonLinesReader", ()),
    "json": ("jsonrecords", "JsonReader", ()),
}


class _Readers(Mapping[str, Reader]):
    """The reader of each format, made on first use."""

    def __init__(self) -> None:
        self._made: dict[str, Reader] = {}

    def __getitem__(self, name: str) -> Reader:
        reader = self._made.get(name)
        if reader is None:
            module, cls, args = _READER_CLASSES[name]
            made = getattr(importlib.import_module(f"linker.readers.{module}"), cls)(*args)
            reader = self._made[name] = cast(Reader, made)
        return reader

    def __iter__(self) -> Iterator[str]:
        return iter(_READER_CLASSES)

    def __len__(self) -> int:
        return len(_READER_CLASSES)


READERS: Mapping[str, Reader] = _Readers()


def _open(source: str | os.PathLike[str], display: str) -> BinaryIO:
    if str(source) == "-":
        if sys.stdin is None:  # started with standard input closed (``<&-``)
            raise InputError(display, "standard input is closed")
        return sys.stdin.buffer
    try:
        return Path(source).open("rb")  # closed by _guarded or on error
    except FileNotFoundError:
        raise InputError(display, "no such file") from None
    except IsADirectoryError:
        raise InputError(display, "is a directory, not a file") from None
    except OSError as error:
        raise InputError(display, f"cannot open: {error.strerror or error}") from None


def _open_part(part: FilePart, display: str) -> BinaryIO:
    try:
        return cast(BinaryIO, PartStream(part))
    except OSError as error:
        raise InputError(display, f"cannot open: {error.strerror or error}") from None


def _peek(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """The first bytes of a stream (decompressed if gzip) and a stream that still has them."""
    head = stream.read(_HEAD_SIZE)
    stream = cast(BinaryIO, _Prefixed(head, stream))
    if head.startswith(_GZIP_MAGIC):
        stream = cast(BinaryIO, io.BufferedReader(LimitedGzip(stream)))
        head = stream.read(_HEAD_SIZE)
        stream = cast(BinaryIO, _Prefixed(head, stream))
    return head, stream


class _Prefixed(io.RawIOBase):
    """A byte stream with some already-read bytes put back in front."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            data = self._prefix + self._rest.read()
            self._prefix = b""
            return data
        if self._prefix:
            data, self._prefix = self._prefix[:size], self._prefix[size:]
            return data
        return self._rest.read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def read_publications(
    source: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    on_warning: Callable[[str], None] | None = None,
    max_record_size: int = DEFAULT_MAX_RECORD_SIZE,
    part: FilePart | None = None,
) -> Iterator[Publication]:
    """The publications in ``source`` (a path, or ``"-"`` for standard input), or only those of
    one ``part`` of it (``check --jobs``: see :mod:`linker.readers.part`).

    The file is opened, decompressed if needed and its format decided before this returns, so
    a missing file, empty or binary data, or an unknown format raise :class:`InputError` here;
    errors further into the file are raised while iterating.
    """
    opened = open_list(
        source,
        fmt=fmt,
        columns=columns,
        on_warning=on_warning,
        max_record_size=max_record_size,
        part=part,
    )
    return checked(
        _guarded(opened.reader, opened.stream, opened.raw, opened.options),
        opened.options,
        opened.reader_name,
        detected=opened.detected,
    )


@dataclass
class OpenedList:
    """A publication list opened for reading: its reader, its (decompressed) byte stream, the
    file under it (to close) and the options its records are read with."""

    reader_name: str
    reader: Reader
    stream: BinaryIO
    raw: BinaryIO
    options: ReadOptions
    detected: bool

    def close(self) -> None:
        _close(self.raw)


def open_list(
    source: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    columns: Mapping[str, str] | None = None,
    on_warning: Callable[[str], None] | None = None,
    max_record_size: int = DEFAULT_MAX_RECORD_SIZE,
    part: FilePart | None = None,
) -> OpenedList:
    """``source`` (or one ``part`` of it) opened, decompressed if needed, its format decided
    (see :func:`read_publications`, which reads what this opens)."""
    # A path that is not valid UTF-8 decodes with surrogate escapes, which no report can write.
    display = "<stdin>" if str(source) == "-" else replace_surrogates(os.fspath(source))[0]
    options = ReadOptions(
        file_name=display, columns=dict(columns or {}), max_record_size=max_record_size
    )
    if on_warning is not None:
        options = replace(options, on_warning=on_warning)
    if part is not None:
        fmt = part.fmt
        options = replace(options, first_ordinal=part.first_ordinal)
    if fmt is not None and fmt not in READERS:
        raise options.error(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    raw = _open(source, display) if part is None else _open_part(part, display)
    try:
        head, stream = _peek(raw)
        if not head.strip() and part is None:  # a part may begin with its lines' padding
            raise options.error("empty file")
        if looks_binary(head):
            raise options.error("binary data, not a publication list")
        reader_name = fmt or detect_format(display, head)
        reader = READERS[reader_name]
        if reader_name in ("json", "jsonl") and (part is None or part.first_ordinal == 1):
            from linker.readers.jsonrecords import first_record_warnings

            for warning in first_record_warnings(reader_name, head, options.columns):
                options.warn(warning)  # at a file's start (its first part) only
    except InputError:
        _close(raw)
        raise
    except TooLarge as error:
        _close(raw)
        raise options.error(str(error)) from None
    except (OSError, EOFError, zlib.error) as error:
        _close(raw)
        raise options.error(f"cannot read: {error}") from None
    return OpenedList(reader_name, reader, stream, raw, options, detected=fmt is None)


def _close(raw: BinaryIO) -> None:
    if sys.stdin is None or raw is not sys.stdin.buffer:
        raw.close()


def _guarded(
    reader: Reader, stream: BinaryIO, raw: BinaryIO, options: ReadOptions
) -> Iterator[Publication]:
    """Run a reader, turning anything a parser library raises into an InputError."""
    try:
        if reader.wants_bytes:
            yield from reader.read_stream(stream, options)
        elif isinstance(reader, LineReader):
            yield from reader.read_lines(decode_lines(stream, options), options)
        else:
            limit = options.max_record_size * DOCUMENT_RECORDS
            what = f"a {reader.name} document (read whole; JSON Lines streams)"
            yield from reader.read(decode(read_capped(stream, limit, what), options), options)
    except InputError:
        raise
    except TooLarge as error:
        raise options.error(str(error)) from None
    except (OSError, EOFError, zlib.error) as error:
        raise options.error(f"cannot read: {error}") from None
    except RecursionError:
        raise options.error("data nested too deeply") from None
    except Exception as error:  # a parser bug must still be one line, not a traceback
        raise options.error(f"cannot parse as {reader.name}: {error}") from None
    finally:
        _close(raw)
