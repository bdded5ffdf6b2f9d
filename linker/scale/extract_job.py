"""``extract --jobs N``: the files, and parts of large ones, read in a process pool.

Each task turns its publications into the command's output rows in the worker (``rows_of``, a
module-level function so that it travels by name), so only the small rows come back. Rows,
warnings and the first error come out in input order, as a run in one process gives them; a
file whose parts did not all come out exact (:mod:`linker.scale.split`) is read again whole.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from linker.errors import LinkerError
from linker.pipeline import Extracted, ReadOptions, iter_extracted
from linker.readers.part import FilePart
from linker.scale.pool import shared_map
from linker.scale.split import plan_tasks

Row = dict[str, Any]
RowsOf = Callable[[Extracted], list[Row]]
Warn = Callable[[str], None]


@dataclass(frozen=True)
class ExtractJob:
    read: ReadOptions
    rows_of: RowsOf
    classify: bool = False


@dataclass
class TaskRows:
    part: FilePart | None
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def extract_task(task: str | FilePart, job: ExtractJob) -> TaskRows:
    """The rows of one file or part; never raises for a bad input."""
    part = task if isinstance(task, FilePart) else None
    source = part.source if part is not None else str(task)
    result = TaskRows(part=part)
    read = dataclasses.replace(job.read, part=part)
    count = 0
    try:
        for item in iter_extracted([source], read, result.warnings.append, classify=job.classify):
            result.rows.extend(job.rows_of(item))
            count += 1
        if part is not None and count != part.records:
            raise LinkerError(f"{part.label}: {count} records, {part.records} expected")
    except LinkerError as error:
        result.error = str(error)
    return result


def extract_rows(
    sources: Sequence[str], job: ExtractJob, jobs: int, on_warning: Warn
) -> Iterator[Row]:
    """Every row of every source, in order, read in ``jobs`` processes (this one and
    ``jobs - 1`` workers, :mod:`linker.scale.pool`)."""
    tasks = plan_tasks(sources, job.read.fmt, jobs)
    yield from _in_order(shared_map(extract_task, tasks, job, jobs), job, on_warning)


def _in_order(results: Iterator[TaskRows], job: ExtractJob, on_warning: Warn) -> Iterator[Row]:
    held: list[TaskRows] = []  # the parts of the current file
    for result in results:
        if result.part is not None:
            held.append(result)
            if result.part.index < result.part.total:
                continue
            if all(r.error is None for r in held):
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
