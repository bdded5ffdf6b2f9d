"""GitHub Actions workflow commands: one annotation per finding on the pull-request diff.

``::error file=F,line=L,col=C,title=T::message``. Per the workflow-command spec, ``%``, CR and
LF are percent-encoded in the message, and additionally ``:`` and ``,`` in property values.
"""

from __future__ import annotations

from typing import TextIO

from linker.report.escape import escape_controls
from linker.report.interface import StreamingReporter
from linker.report.summary import plural, severity_counts, sorted_result
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


#: GitHub shows 10 annotations of each kind per step and 50 per run: more are lost.
DEFAULT_MAX_ANNOTATIONS = 50


class GithubReporter(StreamingReporter):
    """At most ``max_annotations`` annotations, errors first, then warnings, then info, each
    in file order; then one notice that gives the totals and says how many were left out."""

    def __init__(self, *, max_annotations: int = DEFAULT_MAX_ANNOTATIONS) -> None:
        self.max_annotations = max(max_annotations, 0)

    def write(self, result: RunResult, stream: TextIO) -> None:
        findings = [f for p in sorted_result(result).publications for f in p.findings]
        ordered = sorted(enumerate(findings), key=lambda item: (-item[1].severity.rank, item[0]))
        shown = [finding for _, finding in ordered[: self.max_annotations]]
        for finding in shown:
            stream.write(annotation(finding) + "\n")
        if not findings:
            return
        left_out = len(findings) - len(shown)
        counts = severity_counts(findings)
        text = f"{plural(len(findings), 'finding')} ({counts})"
        if left_out:
            text += (
                f"; {left_out} not shown as annotations (--max-annotations "
                f"{self.max_annotations}): see the full report"
            )
        stream.write(f"::notice title=trial-linker::{escape_data(text)}\n")
