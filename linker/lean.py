"""Identifier extraction with lean reading: the publications that may hold an identifier are
read and extracted exactly, the rest only counted, with the reference's results.

Per file: the formats with a lean reader (:data:`LEAN_READERS`) are scanned raw, block by
block (:mod:`linker.extract.rawgate`); the records where an identifier may be go through the
format's own reader code and :func:`~linker.extract.mentions.extract_mentions`; every other
record gets the checks the reference gives it (well-formed, counted, warned about when it
has no text), cheaply. Warnings are held until the file is done and mentions go to a
:class:`MentionSink` that can take them back: when the lean reader meets anything it does not
follow exactly (a malformed record, odd bytes, an encoding it does not read), it gives up on
the file, the sink forgets what the file gave, and the file is read again the reference way,
which reports the problem in its own words. So the output, the warnings and the errors are
the reference's, always. Standard input and the stdlib backend (``re``: the reference itself)
are always read the reference way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypeVar, cast

from linker.extract.mention_rows import MentionRow
from linker.extract.scan import current_backend
from linker.limits import DEFAULT_MAX_RECORD_SIZE
from linker.readers import open_list
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.part import FilePart

if TYPE_CHECKING:
    from linker.models import Mention, Publication

#: A lean reader yields the publications that may hold an identifier, or, where it makes them
#: itself, their mentions (exactly what :func:`extract_mentions` makes of the publication).
LeanReader = Callable[
    [BinaryIO, ReadOptions, RecordTally],
    Iterator["Publication | list[Mention] | list[MentionRow]"],
]

#: The lean reader of each format, as ``module:function``, imported when a file needs it (the
#: PubMed XML reader imports lxml: a JSON Lines run does not pay for it).
LEAN_READERS: dict[str, str] = {
    "jsonl": "linker.readers.lean_jsonl:read_jsonl_lean",
    "medline": "linker.readers.lean_medline:read_medline_lean",
    "pubmed-xml": "linker.readers.lean_pubmed_xml:read_pubmed_xml_lean",
}


def lean_reader(reader_name: str) -> LeanReader | None:
    """The lean reader of a format (:data:`LEAN_READERS`), None when it has none."""
    where = LEAN_READERS.get(reader_name)
    if where is None:
        return None
    module, _, name = where.partition(":")
    return cast(LeanReader, getattr(importlib.import_module(module), name))


T = TypeVar("T")


class FileSink(Protocol):
    """Where a reading's output goes, file by file; a file's output can be taken back."""

    def start_file(self) -> None:
        """What follows belongs to a new file."""

    def forget_file(self) -> None:
        """Drop everything added since :meth:`start_file`."""


class RowList(list[dict[str, Any]]):
    """Output rows into a list, a file's taken back (a :class:`FileSink`, and the
    ``RowSink`` of :mod:`linker.lean_publications`: the terminal table collects its rows)."""

    _start = 0

    def write_row(self, row: dict[str, Any]) -> None:
        self.append(row)

    def start_file(self) -> None:
        self._start = len(self)

    def forget_file(self) -> None:
        del self[self._start :]


class MentionSink(FileSink, Protocol):
    """Where mentions go, file by file (see :class:`FileSink`)."""

    def add(self, mentions: Sequence[Mention | MentionRow]) -> None: ...


def each_source(
    sources: Iterable[str],
    sink: FileSink,
    lean: Callable[[str], int | None],
    reference: Callable[[str], int],
) -> int:
    """Each source read by ``lean`` into ``sink``; where it gives up (None), what it wrote of
    that source is taken back and ``reference`` reads the source again. Both give the number
    of records they read; the sum is returned."""
    records = 0
    for source in sources:
        sink.start_file()
        read = lean(source)
        if read is None:
            sink.forget_file()
            read = reference(source)
        records += read
    return records


@dataclass(frozen=True)
class ListOptions:
    """How the lists are read (as ``--input-format``, ``--column``, ``--max-record-size``);
    ``part``: only that part of the one source (``--jobs``, :mod:`linker.scale.split`)."""

    fmt: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    max_record_size: int = DEFAULT_MAX_RECORD_SIZE
    part: FilePart | None = None


def extract_into(
    sources: Iterable[str],
    options: ListOptions,
    on_warning: Callable[[str], None],
    sink: MentionSink,
) -> int:
    """Every identifier mention of every source, in order, into ``sink``; the number of
    records read."""
    return each_source(
        sources,
        sink,
        lambda source: read_lean(source, options, on_warning, sink),
        lambda source: read_reference(source, options, on_warning, sink),
    )


def read_reference(
    source: str, options: ListOptions, on_warning: Callable[[str], None], sink: MentionSink
) -> int:
    """``source`` read and extracted the reference way; the number of records read."""
    from linker.extract.mentions import extract_mentions

    records = 0
    for publication in reference_publications(source, options, on_warning):
        records += 1
        mentions = extract_mentions(publication)
        if mentions:
            sink.add(mentions)
    return records


def reference_publications(
    source: str, options: ListOptions, on_warning: Callable[[str], None]
) -> Iterator[Publication]:
    """The publications of ``source`` (or of its part) as the reference reader builds them."""
    from linker.readers import read_publications

    return read_publications(
        source,
        fmt=options.fmt,
        columns=options.columns or None,
        on_warning=on_warning,
        max_record_size=options.max_record_size,
        part=options.part,
    )


def read_lean(
    source: str, options: ListOptions, on_warning: Callable[[str], None], sink: MentionSink
) -> int | None:
    """``source`` read lean into ``sink``, its warnings passed on at its end; the number of
    records read, None when it has no lean reader or the lean reader gave up (the sink may
    then hold part of it)."""
    if current_backend() == "re":
        return None

    def add(read: Publication | list[Mention] | list[MentionRow]) -> None:
        mentions = read if isinstance(read, list) else _publication_mentions(read)
        if mentions:
            sink.add(mentions)

    return read_with(source, options, on_warning, lean_reader, add)


def read_with(
    source: str,
    options: ListOptions,
    on_warning: Callable[[str], None],
    reader_of: Callable[[str], Callable[[BinaryIO, ReadOptions, RecordTally], Iterator[T]] | None],
    take: Callable[[T], None],
) -> int | None:
    """``source`` read by the reader ``reader_of`` gives for its format, each thing it reads
    given to ``take``, its warnings passed on at its end; the number of records read, None for
    standard input, a format with no such reader, or a reader that gave up (``take`` may then
    have had part of it)."""
    if source == "-":
        return None
    held: list[str] = []
    opened = open_list(  # errors here are the reference's: the same function opens both
        source,
        fmt=options.fmt,
        columns=options.columns or None,
        on_warning=held.append,
        max_record_size=options.max_record_size,
        part=options.part,
    )
    try:
        lean = reader_of(opened.reader_name)
        if lean is None:
            return None
        tally = RecordTally(opened.options, opened.reader_name, detected=opened.detected)
        for read in lean(opened.stream, opened.options, tally):
            take(read)
        tally.finish()
    except Exception:  # anything the lean reader does not follow: the reference decides
        return None
    finally:
        opened.close()
    for message in held:
        on_warning(message)
    return tally.count


def _publication_mentions(publication: Publication) -> list[Mention]:
    from linker.extract.mentions import extract_mentions  # the models: only where needed

    return extract_mentions(publication)
