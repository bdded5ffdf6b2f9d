"""GitHub Actions workflow commands: one annotation per finding on the pull-request diff.

``::error file=F,line=L,col=C,title=T::message``. Per the workflow-command spec, ``%``, CR and
LF are percent-encoded in the message, and additionally ``:`` and ``,`` in property values.
"""

from __future__ import annotations

from typing import TextIO

from linker.report.escape import escape_controls
from linker.report.interface import StreamingReporter
from linker.report.summary import sorted_result
from linker.results import Finding, RunResult, Severity

COMMANDS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    """Percent-encoding per the spec; other line breaks and controls shown escaped."""
    return escape_controls(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = [("file", finding.file), ("line", str(finding.line))]
    if finding.column:
        properties.append(("col", str(finding.column)))
    properties.append(("title", f"{finding.code} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(finding.message)}"


class GithubReporter(StreamingReporter):
    def write(self, result: RunResult, stream: TextIO) -> None:
        for publication in sorted_result(result).publications:
            for finding in publication.findings:
                stream.write(annotation(finding) + "\n")
