"""The terminal report: a summary table, then the findings grouped by publication.

Rendered through rich into a string at a fixed width, so the output is the same on every
terminal. Colour only when asked for and ``NO_COLOR`` is unset (https://no-color.org).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from io import StringIO
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

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
from linker.results import Finding, PublicationResult, RunResult, Severity

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

        def say(text: Text) -> None:
            # Without colour a soft-wrapped line is its plain text: written directly, rich's
            # rendering (most of a long report's time) is skipped; the bytes are the same.
            if colored or "\t" in text.plain:
                console.print(text, soft_wrap=True)
            else:
                buffer.write(text.plain + "\n")

        def flush() -> None:
            # Table padding leaves trailing blanks that editors and diff tools strip anyway.
            stream.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))
            buffer.seek(0)
            buffer.truncate()

        summary = Summary.of(result)
        console.print(_summary_table(result, summary))
        for label, value in settings_rows(result.settings):
            console.print(Text(f"  {label}: {value}", style="dim"), soft_wrap=True)
        flush()
        affected = 0
        for publication in result.publications:
            if publication.findings:
                affected += 1
                console.print()
                _print_publication(say, publication)
                flush()
        if result.suppressed:
            console.print()
            console.print(Text(accepted_summary(result) + ":", style="bold"))
            for finding in sorted(result.suppressed, key=lambda f: (f.file, f.line, f.code)):
                line = _finding_line(finding)
                line.append(f" [{accepted_because(finding)}]", style="dim")
                console.print(line, soft_wrap=True)
        console.print()
        console.print(_closing_line(summary, result, affected), soft_wrap=True)
        flush()


def _summary_table(result: RunResult, summary: Summary) -> Table:
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


def _print_publication(say: Callable[[Text], None], publication: PublicationResult) -> None:
    heading = Text()
    heading.append(terminal(publication.key), style="bold")
    heading.append("  ")
    heading.append(terminal(" ".join(publication.title.split())) or "(untitled)")
    say(heading)
    say(
        Text(
            f"  {terminal(location(publication.file, publication.line))} · "
            f"{publication.classification}",
            style="dim",
        )
    )
    for finding in publication.findings:
        say(_finding_line(finding))


def _finding_line(finding: Finding) -> Text:
    line = Text("  ")
    line.append(terminal(location(finding.file, finding.line, finding.column)), style="bold")
    line.append(" ")
    line.append(finding.code, style="bold")
    line.append(" ")
    line.append(f"[{finding.severity.value}]", style=SEVERITY_STYLES[finding.severity])
    line.append(f" {finding.name}: ")
    line.append(terminal(" ".join(finding.message.split())))
    return line


def _closing_line(summary: Summary, result: RunResult, affected: int) -> Text:
    accepted = f" {accepted_summary(result)}." if result.suppressed else ""
    if not summary.findings:
        checked = plural(summary.publications, "publication")
        return Text(f"No findings in {checked}.{accepted}", style="green")
    counts = counted_severities(summary.by_severity)
    return Text(
        f"{plural(summary.findings, 'finding')} ({counts}) in {affected} of "
        f"{plural(summary.publications, 'publication')}.{accepted}"
    )
