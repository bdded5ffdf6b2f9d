"""What every reporter is, the set of output formats, and the one place that maps one to the other.

A reporter turns a complete :class:`RunResult` into the text of one document. Reporters sort
the result themselves (:func:`linker.report.summary.sorted_result`), so their output is the same
whatever order the registries answered in.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum
from io import StringIO
from typing import ClassVar, TextIO, assert_never

from linker.results import RunResult


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"
    JUNIT = "junit"
    SARIF = "sarif"
    GITHUB = "github"
    GITLAB = "gitlab"


class Reporter(ABC):
    """One output format."""

    #: True when the output is for people reading a terminal, so the CLI may add its own
    #: headers, hints and footers around it; machine formats must stay pure.
    is_human_readable: ClassVar[bool] = False

    @abstractmethod
    def render(self, result: RunResult) -> str:
        """The whole document, ending with a newline."""

    def write(self, result: RunResult, stream: TextIO) -> None:
        """Write the document to ``stream``. Reporters that can override this to write
        publication by publication, so that a long result never sits in memory as text."""
        stream.write(self.render(result))


class StreamingReporter(Reporter):
    """A reporter that writes as it goes; :meth:`render` collects what :meth:`write` writes."""

    def render(self, result: RunResult) -> str:
        buffer = StringIO()
        self.write(result, buffer)
        return buffer.getvalue()

    @abstractmethod
    def write(self, result: RunResult, stream: TextIO) -> None:
        """Write the document to ``stream``, publication by publication."""


def reporter_for(
    fmt: OutputFormat,
    *,
    color: bool = False,
    csv_rows: str = "findings",
    max_annotations: int | None = None,
) -> Reporter:
    """The reporter for ``fmt``. ``color`` only affects ``text``; ``csv_rows`` (``findings`` or
    ``identifiers``) only ``csv``, and an unknown value is a :class:`ConfigError`;
    ``max_annotations`` only ``github`` (None: its default)."""
    # Imported here, only the one asked for: every reporter module imports this one.
    match fmt:
        case OutputFormat.TEXT:
            from linker.report import text

            return text.TextReporter(color=color)
        case OutputFormat.JSON:
            from linker.report import json_report

            return json_report.JsonReporter()
        case OutputFormat.CSV:
            from linker.report import csv_report

            return csv_report.CsvReporter(rows=csv_report.parse_rows(csv_rows))
        case OutputFormat.MARKDOWN:
            from linker.report import markdown

            return markdown.MarkdownReporter()
        case OutputFormat.HTML:
            from linker.report import html

            return html.HtmlReporter()
        case OutputFormat.JUNIT:
            from linker.report import junit

            return junit.JunitReporter()
        case OutputFormat.SARIF:
            from linker.report import sarif

            return sarif.SarifReporter()
        case OutputFormat.GITHUB:
            from linker.report import github

            if max_annotations is None:
                return github.GithubReporter()
            return github.GithubReporter(max_annotations=max_annotations)
        case OutputFormat.GITLAB:
            from linker.report import gitlab

            return gitlab.GitlabReporter()
        case _:
            assert_never(fmt)
