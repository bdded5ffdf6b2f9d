"""``extract --jobs N``'s rows (:func:`linker.scale.extract_job.extract_rows`): each part's rows
go to the sink as the part comes in (memory does not grow with the file); a file whose part
warned or failed has its rows taken back and is read again whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import linker.scale.extract_job as extract_job
from linker.lean import ListOptions, RowList
from linker.readers.part import FilePart
from linker.scale.extract_job import ExtractJob, TaskRows, extract_rows

JOB = ExtractJob(ListOptions(), ("id",))


class Recorded(RowList):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def write_row(self, row: dict[str, Any]) -> None:
        self.calls.append(f"row {row['id']}")
        super().write_row(row)

    def start_file(self) -> None:
        self.calls.append("start")
        super().start_file()

    def forget_file(self) -> None:
        self.calls.append("forget")
        super().forget_file()


def part(source: str, index: int, total: int) -> FilePart:
    return FilePart(source, "jsonl", index, total, start=0, end=None, first_line=1,
                    first_ordinal=1, records=1)  # fmt: skip


def pool_gives(
    monkeypatch: pytest.MonkeyPatch, done: list[TaskRows], sink: Recorded, seen: list[str]
) -> None:
    """The pool gives ``done`` in order; ``seen`` gets what ``sink`` was told by the time the
    run asked for the next result."""

    def pooled(*_args: Any, **_kwargs: Any) -> Iterator[TaskRows]:
        for result in done:
            yield result
            seen.append(" ".join(sink.calls))

    monkeypatch.setattr(extract_job, "pool_tasks", lambda *_args: ([], 0))
    monkeypatch.setattr(extract_job, "shared_map", pooled)


def test_rows_of_each_part_go_out_as_it_comes_in(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    done = [
        TaskRows(None, rows=[{"id": "a1"}]),
        TaskRows(part("b", 1, 2), rows=[{"id": "b1"}]),
        TaskRows(part("b", 2, 2), rows=[{"id": "b2"}]),
    ]
    sink = Recorded()
    pool_gives(monkeypatch, done, sink, seen)
    warnings: list[str] = []
    extract_rows(["a", "b"], JOB, 2, warnings.append, sink)
    assert seen == ["row a1", "row a1 start row b1", "row a1 start row b1 row b2"]
    assert [row["id"] for row in sink] == ["a1", "b1", "b2"] and warnings == []


def test_a_part_that_warned_takes_its_file_back_and_reads_it_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    done = [
        TaskRows(None, rows=[{"id": "a1"}], warnings=["a: one"]),
        TaskRows(part("b", 1, 3), rows=[{"id": "b1"}]),
        TaskRows(part("b", 2, 3), rows=[{"id": "b2"}], warnings=["b: part two"]),
        TaskRows(part("b", 3, 3), rows=[{"id": "b3"}]),
    ]
    sink = Recorded()
    pool_gives(monkeypatch, done, sink, [])
    whole = TaskRows(None, rows=[{"id": "B1"}, {"id": "B2"}], warnings=["b: whole"])
    monkeypatch.setattr(extract_job, "extract_task", lambda source, job: whole)
    warnings: list[str] = []
    extract_rows(["a", "b"], JOB, 2, warnings.append, sink)
    assert sink.calls == ["row a1", "start", "row b1", "forget", "row B1", "row B2"]
    assert [row["id"] for row in sink] == ["a1", "B1", "B2"]
    assert warnings == ["a: one", "b: whole"]  # the parts' own words are not given
