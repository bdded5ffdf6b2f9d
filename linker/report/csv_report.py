"""The CSV report: one row per finding, or (``--csv-rows identifiers``) one row per identifier.

Titles and messages come from the input and from registries, which we do not control: every
cell goes through :func:`linker.report.escape.csv_line` (quoting, formula neutralisation).
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TextIO

from linker.errors import ConfigError
from linker.report.escape import Cell, csv_line
from linker.report.interface import StreamingReporter
from linker.report.summary import outcome_label, sorted_result
from linker.results import RunResult

FINDING_COLUMNS = (
    "publication",
    "title",
    "file",
    "line",
    "column",
    "code",
    "name",
    "severity",
    "identifier",
    "source",
    "message",
)

IDENTIFIER_COLUMNS = (
    "publication",
    "file",
    "line",
    "column",
    "registry",
    "id",
    "raw",
    "role",
    "valid_format",
    "outcome",
    "reason",
    "current_id",
    "verdict",
    "score",
    "url",
    "source",
)


class CsvRows(StrEnum):
    FINDINGS = "findings"
    IDENTIFIERS = "identifiers"


def parse_rows(value: str) -> CsvRows:
    try:
        return CsvRows(value)
    except ValueError:
        choices = ", ".join(rows.value for rows in CsvRows)
        raise ConfigError(f"csv rows must be one of {choices}, not {value!r}") from None


class CsvReporter(StreamingReporter):
    def __init__(self, *, rows: CsvRows = CsvRows.FINDINGS) -> None:
        self.rows = rows

    def write(self, result: RunResult, stream: TextIO) -> None:
        result = sorted_result(result)
        header: tuple[str, ...]
        if self.rows is CsvRows.FINDINGS:
            header, rows = FINDING_COLUMNS, _finding_rows(result)
        else:
            header, rows = IDENTIFIER_COLUMNS, _identifier_rows(result)
        stream.write(csv_line(header))
        for row in rows:
            stream.write(csv_line(row))


def _finding_rows(result: RunResult) -> Iterator[list[Cell]]:
    for publication in result.publications:
        for f in publication.findings:
            yield [
                publication.key,
                publication.title,
                f.file,
                f.line,
                f.column,
                f.code,
                f.name,
                f.severity.value,
                f.identifier,
                f.source.url if f.source else None,
                f.message,
            ]


def _identifier_rows(result: RunResult) -> Iterator[list[Cell]]:
    for publication in result.publications:
        for i in publication.identifiers:
            yield [
                publication.key,
                i.file,
                i.line,
                i.column,
                i.registry.value,
                i.id,
                i.raw,
                i.role.value,
                i.valid_format,
                outcome_label(i),
                i.reason,
                i.current_id,
                i.match.verdict.value if i.match else None,
                i.match.score if i.match else None,
                i.url or (i.record.url if i.record else None),
                i.source.url if i.source else None,
            ]
