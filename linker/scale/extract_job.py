"""``extract --jobs N``: the files, and parts of large ones, read in a process pool.

Each task reads its file or part as ``extract`` reads a file in one process (lean where it can:
:func:`linker.lean.extract_into`, :func:`linker.lean_publications.publications_into`) and turns
what it read into the command's output rows in the worker, so only the small rows come back.
Rows, warnings and the first error come out in input order, as a run in one process gives
them, the rows into a sink as each task comes in; a file whose parts did not all come out exact
(:mod:`linker.scale.split`), or whose parts gave warnings, has its rows taken back and is read
again whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linker.errors import LinkerError
from linker.lean import ListOptions, RowList, extract_into
from linker.readers.part import FilePart
from linker.scale.pool import shared_map
from linker.scale.split import part_limit, pool_tasks

if TYPE_CHECKING:
    from linker.extract.mention_rows import MentionRow
    from linker.lean_publications import RowSink
    from linker.models import Mention

Row = dict[str, Any]
Warn = Callable[[str], None]


@dataclass(frozen=True)
class ExtractJob:
    """How every task reads (``part`` left unset: each task sets its own) and what it makes:
    one row per mention, of ``fields``, or one per publication."""

    read: ListOptions
    fields: tuple[str, ...]
    publications: bool = False


@dataclass
class TaskRows:
    part: FilePart | None
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


class _TaskRowList(RowList):
    """The rows of one task (also a :class:`~linker.lean.MentionSink`: a mention is a row of
    ``fields``)."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        super().__init__()
        self._fields = fields

    def add(self, mentions: Sequence[Mention | MentionRow]) -> None:
        fields = self._fields
        self.extend({name: getattr(mention, name) for name in fields} for mention in mentions)


def extract_task(task: str | FilePart, job: ExtractJob) -> TaskRows:
    """The rows of one file or part; never raises for a bad input."""
    part = task if isinstance(task, FilePart) else None
    source = part.source if part is not None else str(task)
    sink = _TaskRowList(job.fields)
    result = TaskRows(part=part, rows=sink)
    read = dataclasses.replace(job.read, part=part)
    try:
        if job.publications:
            from linker.lean_publications import publications_into

            records = publications_into([source], read, result.warnings.append, sink)
        else:
            records = extract_into([source], read, result.warnings.append, sink)
        if part is not None and records != part.records:
            raise LinkerError(f"{part.label}: {records} records, {part.records} expected")
    except LinkerError as error:
        result.error = str(error)
    return result


def extract_rows(
    sources: Sequence[str], job: ExtractJob, jobs: int, on_warning: Warn, sink: RowSink
) -> None:
    """Every row of every source, in order, into ``sink``, read in ``jobs`` processes (this
    one and ``jobs - 1`` workers, :mod:`linker.scale.pool`).

    A part's rows go to ``sink`` as soon as the part is in, so that memory does not grow with
    the file. Where a part warned or failed, the file's rows are taken back from ``sink`` and
    the file is read again whole, as ``merge`` does for ``check``: a file's warnings count what
    it holds, not what each part does."""
    tasks, first = pool_tasks(sources, job.read.fmt, jobs, part_limit(job.publications))
    doubtful = False  # a part of the current file warned or failed
    for result in shared_map(extract_task, tasks, job, jobs, start_first=first):
        part = result.part
        if part is None:
            _emitted(result, on_warning, sink)
            continue
        if part.index == 1:
            sink.start_file()
            doubtful = False
        doubtful = doubtful or result.error is not None or bool(result.warnings)
        if not doubtful:
            _emitted(result, on_warning, sink)  # rows only: it neither warned nor failed
        if part.index == part.total and doubtful:
            sink.forget_file()
            _emitted(extract_task(part.source, job), on_warning, sink)


def _emitted(result: TaskRows, on_warning: Warn, sink: RowSink) -> None:
    for message in result.warnings:
        on_warning(message)
    if result.error is not None:
        raise LinkerError(result.error)
    for row in result.rows:
        sink.write_row(row)
