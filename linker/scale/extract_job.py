"""``extract --jobs N``: the files, and parts of large ones, read in a process pool.

Each task reads its file or part as ``extract`` reads a file in one process (lean where it can:
:func:`linker.lean.extract_into`, :func:`linker.lean_publications.publications_into`) and turns
what it read into the command's output rows in the worker, so only the small rows come back.
Rows, warnings and the first error come out in input order, as a run in one process gives
them; a file whose parts did not all come out exact (:mod:`linker.scale.split`), or whose
parts gave warnings, is read again whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linker.errors import LinkerError
from linker.lean import ListOptions, RowList, extract_into
from linker.readers.part import FilePart
from linker.scale.pool import shared_map
from linker.scale.split import pool_tasks

if TYPE_CHECKING:
    from linker.extract.mention_rows import MentionRow
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
    sources: Sequence[str], job: ExtractJob, jobs: int, on_warning: Warn
) -> Iterator[Row]:
    """Every row of every source, in order, read in ``jobs`` processes (this one and
    ``jobs - 1`` workers, :mod:`linker.scale.pool`)."""
    tasks, first = pool_tasks(sources, job.read.fmt, jobs)
    pooled = shared_map(extract_task, tasks, job, jobs, start_first=first)
    yield from _in_order(pooled, job, on_warning)


def _in_order(results: Iterator[TaskRows], job: ExtractJob, on_warning: Warn) -> Iterator[Row]:
    held: list[TaskRows] = []  # the parts of the current file
    for result in results:
        if result.part is not None:
            held.append(result)
            if result.part.index < result.part.total:
                continue
            # Parts that warned are read again whole, as merge does for check: a file's
            # warnings count what it holds, not what each part does.
            if all(r.error is None and not r.warnings for r in held):
                for done in held:
                    yield from _emitted(done, on_warning)
                held = []
                continue
            held = []
            result = extract_task(result.part.source, job)
        yield from _emitted(result, on_warning)


def _emitted(result: TaskRows, on_warning: Warn) -> Iterator[Row]:
    for message in result.warnings:
        on_warning(message)
    if result.error is not None:
        raise LinkerError(result.error)
    yield from result.rows
