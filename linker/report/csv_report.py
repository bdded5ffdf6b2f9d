"""The CSV report: one row per finding, or (``--csv-rows identifiers``) one row per identifier.

Cells that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
return) get a leading apostrophe: titles and messages come from the input and from registries,
which we do not control (OWASP "CSV Injection").
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from enum import StrEnum
from io import StringIO

from linker.errors import ConfigError
from linker.report.interface import Reporter
from linker.report.summary import outcome_label, sorted_result
from linker.results import RunResult

Cell = str | int | float | bool | None

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
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvRows(StrEnum):
    FINDINGS = "findings"
    IDENTIFIERS = "identifiers"


def parse_rows(value: str) -> CsvRows:
    try:
        return CsvRows(value)
    except ValueError:
        choices = ", ".join(rows.value for rows in CsvRows)
        raise ConfigError(f"csv rows must be one of {choices}, not {value!r}") from None


def defuse(cell: Cell) -> str:
    """The cell as text, with an apostrophe before anything a spreadsheet would evaluate."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if not isinstance(cell, str):
        return str(cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class CsvReporter(Reporter):
    def __init__(self, *, rows: CsvRows = CsvRows.FINDINGS) -> None:
        self.rows = rows

    def render(self, result: RunResult) -> str:
        result = sorted_result(result)
        buffer = StringIO()
        # "\n", not the csv default "\r\n": the CLI writes text mode, which would double the "\r".
        writer = csv.writer(buffer, lineterminator="\n")
        if self.rows is CsvRows.FINDINGS:
            writer.writerow(FINDING_COLUMNS)
            rows = _finding_rows(result)
        else:
            writer.writerow(IDENTIFIER_COLUMNS)
            rows = _identifier_rows(result)
        writer.writerows([defuse(cell) for cell in row] for row in rows)
        return buffer.getvalue()


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
            ]
