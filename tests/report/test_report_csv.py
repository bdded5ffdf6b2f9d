"""The CSV report, including its guard against spreadsheet formula injection."""

from __future__ import annotations

import csv
import io

import pytest

from linker.report.csv_report import (
    FINDING_COLUMNS,
    IDENTIFIER_COLUMNS,
    CsvReporter,
    CsvRows,
)
from linker.report.escape import csv_cell
from linker.results import RunResult


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_finding(run_result: RunResult) -> None:
    rows = _rows(CsvReporter().render(run_result))
    assert len(rows) == len(run_result.findings)
    assert tuple(rows[0]) == FINDING_COLUMNS
    secondary = next(r for r in rows if r["code"] == "TL101")
    assert secondary["file"] == "refs/second list, v2.ris"
    assert secondary["column"] == ""


def test_one_row_per_identifier(run_result: RunResult) -> None:
    rows = _rows(CsvReporter(rows=CsvRows.IDENTIFIERS).render(run_result))
    assert len(rows) == len(run_result.identifiers)
    assert tuple(rows[0]) == IDENTIFIER_COLUMNS
    by_id = {r["id"]: r for r in rows}
    assert by_id["NCT0150698"]["outcome"] == "not_checked"
    assert by_id["NCT0150698"]["valid_format"] == "false"
    assert by_id["NCT01506986"]["verdict"] == "match"
    assert by_id["2010-023456-11"]["reason"] == "timeout"


def test_titles_with_commas_quotes_and_unicode_survive(run_result: RunResult) -> None:
    rows = _rows(CsvReporter().render(run_result))
    assert rows[0]["title"] == run_result.publications[-1].title


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(1)", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_defused(dangerous: str) -> None:
    assert csv_cell(dangerous) == "'" + dangerous


def test_numbers_and_plain_text_are_untouched() -> None:
    assert csv_cell(-3) == "-3"
    assert csv_cell("NCT01506986") == "NCT01506986"
    assert csv_cell(None) == ""


def test_formula_in_a_title_reaches_the_file_defused(run_result: RunResult) -> None:
    run_result.publications[4].title = '=HYPERLINK("http://evil.example","x")'
    rows = _rows(CsvReporter().render(run_result))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","x")'
