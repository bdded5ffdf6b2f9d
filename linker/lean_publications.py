"""``extract --publications`` with lean reading: one output row per publication (its key, title,
place, classification and identifiers), with the reference's rows, warnings and errors.

Per file: a format with a lean reader (:data:`PLAIN_READERS`) gives each plain record's title,
abstract and publication types as strings (:class:`PlainPublication`), which are classified by
:func:`~linker.extract.trial_report.decide` (the report as plain values) and searched for
identifiers only where the raw scan saw a possible one; its other records come as the reader
builds them and take the reference's way (:func:`~linker.extract.mentions.extract_mentions`).
No model is built for a plain record, and a file of plain records never imports pydantic.
Warnings are held until the file is done and rows go to a :class:`RowSink`
that can take a file's rows back: when the lean reader gives up on a file, its rows are
forgotten and it is read again the reference way, which reports any problem in its own words.
Standard input and the formats without a lean reader are read the reference way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypeAlias

from linker.extract.identifiers import find_identifiers
from linker.extract.trial_report import Decision, decide
from linker.lean import (
    FileSink,
    ListOptions,
    each_source,
    read_with,
    reference_publications,
)
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.lean_jsonl_publications import PlainPublication, read_jsonl_plain

if TYPE_CHECKING:  # the models (pydantic): imported only where a record is built
    from linker.models import Mention, Publication, TrialReport

Row = dict[str, Any]
Read: TypeAlias = "Publication | PlainPublication"
#: A lean reader for ``--publications``: every record of a stream, plain or built, in order.
PlainReader = Callable[[BinaryIO, ReadOptions, RecordTally], Iterator[Read]]

PLAIN_READERS: dict[str, PlainReader] = {"jsonl": read_jsonl_plain}


class RowSink(FileSink, Protocol):
    """Where rows go, file by file (see :class:`~linker.lean.FileSink`)."""

    def write_row(self, row: Row) -> None: ...


def publications_into(
    sources: Iterable[str],
    options: ListOptions,
    on_warning: Callable[[str], None],
    sink: RowSink,
) -> int:
    """The row of every publication of every source, in order, into ``sink``; the number of
    records read."""

    def reference(source: str) -> int:
        records = 0
        for publication in reference_publications(source, options, on_warning):
            records += 1
            sink.write_row(row_of(publication))
        return records

    return each_source(
        sources, sink, lambda source: read_lean(source, options, on_warning, sink), reference
    )


def read_lean(
    source: str, options: ListOptions, on_warning: Callable[[str], None], sink: RowSink
) -> int | None:
    """``source``'s rows read lean into ``sink``, its warnings passed on at its end; the
    number of records read, None when it has no lean reader or the lean reader gave up (the
    sink may then hold part of it)."""
    return read_with(
        source, options, on_warning, PLAIN_READERS.get, lambda read: sink.write_row(row_of(read))
    )


def reads_of(source: str, options: ListOptions | None = None) -> list[Read] | None:
    """Every record of ``source`` as the lean reading gives it to the classifier and the
    identifier search (its warnings dropped); None: ``source`` is read the reference way."""
    reads: list[Read] = []
    read = read_with(
        source, options or ListOptions(), lambda _: None, PLAIN_READERS.get, reads.append
    )
    return reads if read is not None else None


def row_of(read: Read) -> Row:
    """The output row of one record, plain or built."""
    return publication_row(read, identifiers_of(read), report_of(read))


def identifiers_of(read: Read) -> list[str]:
    """The identifiers of a record, sorted, each once (as its mentions give them)."""
    if not isinstance(read, PlainPublication):
        from linker.extract.mentions import extract_mentions

        return mention_ids(extract_mentions(read))
    if not read.may_cite:
        return []
    return sorted(
        {found.id for text in (read.title, read.abstract) for found in find_identifiers(text)}
    )


def report_of(read: Read) -> Decision:
    """Whether a record reports a trial."""
    return decide(read.title, read.abstract, read.publication_types)


def mention_ids(mentions: Iterable[Mention]) -> list[str]:
    return sorted({mention.id for mention in mentions})


def publication_row(read: Read, identifiers: list[str], report: TrialReport | Decision) -> Row:
    """``extract --publications``' row of a record."""
    return {
        "key": read.key,
        "title": read.title,
        "file": read.file,
        "line": read.line,
        "classification": report.classification.value,
        "evidence": report.evidence,
        "trial_names": report.trial_names,
        "identifiers": identifiers,
    }
