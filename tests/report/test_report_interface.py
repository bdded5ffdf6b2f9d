"""The format enum and the one function that maps it to reporters."""

from __future__ import annotations

import pytest

from linker.errors import ConfigError
from linker.report.csv_report import CsvReporter, CsvRows
from linker.report.interface import OutputFormat, Reporter, reporter_for
from linker.report.text import TextReporter


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_has_a_reporter(fmt: OutputFormat) -> None:
    assert isinstance(reporter_for(fmt), Reporter)


def test_reporters_are_distinct_per_format() -> None:
    classes = {type(reporter_for(fmt)) for fmt in OutputFormat}
    assert len(classes) == len(OutputFormat)


def test_only_text_is_human_readable() -> None:
    readable = {fmt for fmt in OutputFormat if reporter_for(fmt).is_human_readable}
    assert readable == {OutputFormat.TEXT}


def test_formats_are_the_documented_set() -> None:
    assert [f.value for f in OutputFormat] == [
        "text", "json", "csv", "markdown", "html", "junit", "sarif", "github", "gitlab",
    ]  # fmt: skip


def test_options_reach_their_reporters() -> None:
    text = reporter_for(OutputFormat.TEXT, color=True)
    assert isinstance(text, TextReporter) and text.color
    csv = reporter_for(OutputFormat.CSV, csv_rows="identifiers")
    assert isinstance(csv, CsvReporter) and csv.rows is CsvRows.IDENTIFIERS


def test_unknown_csv_rows_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="csv rows must be one of findings, identifiers"):
        reporter_for(OutputFormat.CSV, csv_rows="rows")
