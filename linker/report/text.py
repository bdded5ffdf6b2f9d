"""The terminal report: a summary table, then the findings grouped by publication.

Rendered through rich into a string at a fixed width, so the output is the same on every
terminal; uncoloured lines are plain strings, written without rich's rendering (same bytes).
Colour only when asked for and ``NO_COLOR`` is unset (https://no-color.org).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from io import StringIO
from typing import TYPE_CHECKING, TextIO

from linker.report.disk_rows import DiskOrder
from linker.report.escape import terminal
from linker.report.interface import StreamingReporter
from linker.report.settings_view import accepted_because, accepted_summary, settings_rows
from linker.report.summary import (
    SEVERITIES,
    Summary,
    counted_severities,
    location,
    plural,
    sorted_result,
)
from linker.results import Finding, PublicationResult, RunResult, Severity, SuppressedFinding

if TYPE_CHECKING:  # rich is imported when a report is written, not with the CLI
    from rich.table import Table
    from rich.text import Text

WIDTH = 100

SEVERITY_STYLES: dict[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


def color_allowed(color: bool) -> bool:
    return color and not os.environ.get("NO_COLOR")


class TextReporter(StreamingReporter):
    is_human_readable = True

    def __init__(self, *, color: bool = False) -> None:
        self.color = color

    def write(self, result: RunResult, stream: TextIO) -> None:
        """Publication by publication: a long report never sits in memory as a whole."""
        from rich.console import Console

        result = sorted_result(result)
        colored = color_allowed(self.color)
        buffer = StringIO()
        console = Console(
            file=buffer,
            width=WIDTH,
            force_terminal=colored,
            color_system="standard" if colored else None,
            no_color=not colored,
            highlight=False,
            markup=False,
            emoji=False,
            legacy_windows=False,
        )

        def say(line: Line) -> None:
            # Without colour a soft-wrapped line is its plain text: written directly, rich's
            # rendering (most of a long report's time) is skipped; the bytes are the same.
            plain = line.plain
            if colored or "\t" in plain:
                console.print(line.text(), soft_wrap=True)
            else:
                buffer.write(plain + "\n")

        def blank() -> None:
            if colored:
                console.print()
            else:
                buffer.write("\n")

        def flush() -> None:
            # Table padding leaves trailing blanks that editors and diff tools strip anyway.
            stream.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))
            buffer.seek(0)
            buffer.truncate()

        summary = Summary.of(result)
        console.print(_summary_table(result, summary))
        for label, value in settings_rows(result.settings):
            say(Line([(f"  {label}: {value}", None)], "dim"))
        flush()
        affected = 0
        with DiskOrder() as suppressed:  # any number of accepted findings, listed in order
            for publication in result.publications:
                for finding in publication.suppressed:
                    key = (finding.file, finding.line, finding.code)
                    suppressed.add(key, finding.model_dump_json())
                if publication.findings:
                    affected += 1
                    blank()
                    for line in _publication_lines(publication):
                        say(line)
                    flush()
            if suppressed.count:
                blank()
                say(Line([(accepted_summary(result) + ":", None)], "bold"))
                for body in suppressed:
                    finding = SuppressedFinding.model_validate_json(body)
                    line = _finding_line(finding)
                    line.parts.append((f" [{accepted_because(finding)}]", "dim"))
                    say(line)
                    flush()
            blank()
            say(_closing_line(summary, result, affected, bool(suppressed.count)))
            flush()


@dataclass
class Line:
    """One line of the report: its parts with their styles, and the line's own style."""

    parts: list[tuple[str, str | None]]
    style: str | None = None

    @property
    def plain(self) -> str:
        return "".join(part for part, _ in self.parts)

    def text(self) -> Text:
        from rich.text import Text

        text = Text(style=self.style or "")
        for part, style in self.parts:
            text.append(part, style=style)
        return text


def _summary_table(result: RunResult, summary: Summary) -> Table:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"{result.tool} {result.tool_version}", box=box.SIMPLE, title_justify="left"
    )
    table.add_column("Summary")
    table.add_column("Count", justify="right")
    table.add_row("Input files", str(len(result.inputs)))
    table.add_row("Publications", str(summary.publications))
    table.add_row("Trial reports", str(summary.trial_reports))
    table.add_row("  with an own registration", str(summary.trial_reports_registered))
    table.add_row("Identifiers", str(summary.identifiers))
    for outcome, count in summary.by_outcome.items():
        if count:
            table.add_row(f"  {outcome}", str(count))
    table.add_row("Findings", str(summary.findings), end_section=False)
    for severity in SEVERITIES:
        label = Text(f"  {severity.value}", style=SEVERITY_STYLES[severity])
        table.add_row(label, str(summary.by_severity[severity]))
    return table


def _publication_lines(publication: PublicationResult) -> list[Line]:
    title = terminal(" ".join(publication.title.split())) or "(untitled)"
    where = terminal(location(publication.file, publication.line))
    return [
        Line([(terminal(publication.key), "bold"), ("  ", None), (title, None)]),
        Line([(f"  {where} · {publication.classification}", None)], "dim"),
        *(_finding_line(finding) for finding in publication.findings),
    ]


def _finding_line(finding: Finding) -> Line:
    return Line(
        [
            ("  ", None),
            (terminal(location(finding.file, finding.line, finding.column)), "bold"),
            (" ", None),
            (finding.code, "bold"),
            (" ", None),
            (f"[{finding.severity.value}]", SEVERITY_STYLES[finding.severity]),
            (f" {finding.name}: ", None),
            (terminal(" ".join(finding.message.split())), None),
        ]
    )


def _closing_line(summary: Summary, result: RunResult, affected: int, suppressed: bool) -> Line:
    accepted = f" {accepted_summary(result)}." if suppressed else ""
    if not summary.findings:
        checked = plural(summary.publications, "publication")
        return Line([(f"No findings in {checked}.{accepted}", None)], "green")
    counts = counted_severities(summary.by_severity)
    return Line(
        [
            (
                f"{plural(summary.findings, 'finding')} ({counts}) in {affected} of "
                f"{plural(summary.publications, 'publication')}.{accepted}",
                None,
            )
        ]
    )
