"""The Markdown report, for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

A headline table, a table of findings, then one collapsed ``<details>`` block per publication
with findings. Everything from the input or a registry is escaped for both Markdown and HTML,
since GitHub renders the HTML inside Markdown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from linker.report.escape import markdown_text
from linker.report.interface import Reporter
from linker.report.settings_view import accepted_because, accepted_summary, settings_rows
from linker.report.summary import (
    SEVERITIES,
    Summary,
    identifier_of,
    location,
    outcome_label,
    plural,
    record_title,
    registry_url,
    severity_counts,
    sorted_result,
)
from linker.results import (
    Finding,
    IdentifierResult,
    PublicationResult,
    RunResult,
    Severity,
    SuppressedFinding,
)

SEVERITY_BADGES: dict[Severity, str] = {
    Severity.ERROR: "🔴 error",
    Severity.WARNING: "🟡 warning",
    Severity.INFO: "🔵 info",
}

# Only what is markup inside a line: cells and list items never start a line with our text.
SEVERITY_HEADINGS: dict[Severity, str] = {
    Severity.ERROR: "🔴 Errors",
    Severity.WARNING: "🟡 Warnings",
    Severity.INFO: "🔵 Info",
}

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|~])")


def escape(text: str) -> str:
    """Text that renders literally in a Markdown table cell (one line, no HTML, no markup)."""
    flat = markdown_text(text)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(flat, quote=False))


def escape_html(text: str) -> str:
    """Text inside an HTML element such as ``<summary>``, where Markdown is not rendered."""
    return html.escape(markdown_text(text), quote=True)


def link(text: str, url: str | None) -> str:
    if url is None:
        return escape(text)
    target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{escape(text)}]({target})"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


#: GitHub refuses a job summary over 1 MiB; stay clear of it.
MAX_BYTES = 1_000_000


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


class MarkdownReporter(Reporter):
    """``max_bytes`` caps the document (GitHub's step-summary limit): when everything does not
    fit, the most serious findings are kept (errors, then warnings, then info) and a last line
    says how many were left out and that the full report has them."""

    def __init__(self, *, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes

    def render(self, result: RunResult) -> str:
        # The document is at most ``max_bytes``; what it is chosen from (every finding and
        # publication of the run) is read from the result in passes, never held, so memory
        # does not grow with the run.
        result = sorted_result(result)
        summary = Summary.of(result)
        lines = [f"## {escape(result.tool)} report", ""]
        lines += _headline(summary)
        lines.append("")
        count, size = _measure(result, self.max_bytes)
        if not count:
            lines += [f"No findings in {plural(summary.publications, 'publication')}.", ""]
            closing = _ending(result, list_accepted=False, summary_line=False)
            listed = _size(lines) + size + _size(closing) <= self.max_bytes
            return "\n".join(lines + _ending(result, list_accepted=listed)) + "\n"
        header = ["Severity", "Rule", "Location", "Publication", "Message"]
        head = [*lines, "### Findings", "", *table(header, [])]
        middle = ["", "### Publications with findings", ""]
        closing = _ending(result, list_accepted=False, summary_line=False)
        if _size(head) + size + _size(middle) + _size(closing) <= self.max_bytes:
            rows = [_finding_row(p, f) for p in result.publications for f in p.findings]
            whole = [*lines, "### Findings", "", *table(header, rows), *middle]
            for publication in result.publications:
                if publication.findings:
                    whole += _details(publication)
            return "\n".join(whole + _ending(result)) + "\n"
        return self._capped(lines, count, result, _ending(result, list_accepted=False))

    def _capped(self, lines: list[str], count: int, result: RunResult, ending: list[str]) -> str:
        budget = self.max_bytes - _size(lines) - _size(ending) - 1000  # the note, the headings
        rows: list[list[str]] = []
        for publication, finding in _worst_first(result):
            row = _finding_row(publication, finding)
            budget -= _row_size(row)
            if budget < 0:
                break
            rows.append(row)
        left_out = count - len(rows)
        header = ["Severity", "Rule", "Location", "Publication", "Message"]
        lines += ["### Findings", "", *table(header, rows), ""]
        lines.append(
            f"**{left_out} of {plural(count, 'finding')} left out** (the most serious "
            f"are listed) to keep this summary under {self.max_bytes:,} bytes, GitHub's "
            "step-summary limit: the full report (HTML, JSON or CSV from the same run) has "
            "them all."
        )
        lines.append("")
        return "\n".join(lines + ending) + "\n"


def _row_size(row: list[str]) -> int:
    return _size(table(["x"], [row])[2:])


def _measure(result: RunResult, limit: int) -> tuple[int, int]:
    """How many findings the run has, and the bytes their table rows, the publication details
    and the accepted findings would take (counted only up to just past ``limit``)."""
    count = size = accepted = 0
    for publication in result.publications:
        count += len(publication.findings)
        accepted += len(publication.suppressed)
        if size > limit:
            continue
        size += sum(_row_size(_finding_row(publication, f)) for f in publication.findings)
        if publication.findings:
            size += _size(_details(publication))
        size += sum(_row_size(_accepted_row(f)) for f in publication.suppressed)
    if accepted and size <= limit:
        size += _size(_accepted_frame(result))
    return count, size


def _worst_first(result: RunResult) -> Iterator[tuple[PublicationResult, Finding]]:
    """Every finding with its publication, errors first, then warnings, then info (in report
    order within each): one pass over the publications per severity."""
    for severity in sorted(SEVERITIES, key=lambda s: -s.rank):
        for publication in result.publications:
            for finding in publication.findings:
                if finding.severity is severity:
                    yield publication, finding


def _finding_row(publication: PublicationResult, finding: Finding) -> list[str]:
    return [
        SEVERITY_BADGES[finding.severity],
        f"{finding.code} {escape(finding.name)}",
        escape(location(finding.file, finding.line, finding.column)),
        escape(publication.key),
        escape(finding.message),
    ]


def _headline(summary: Summary) -> list[str]:
    figures = [
        ("Publications", summary.publications),
        ("Trial reports", summary.trial_reports),
        ("Identifiers", summary.identifiers),
        ("Verified", summary.verified),
        *((SEVERITY_HEADINGS[s], summary.by_severity[s]) for s in SEVERITIES),
    ]
    lines = table([name for name, _ in figures], [[str(count) for _, count in figures]])
    outcomes = [(label, count) for label, count in summary.by_outcome.items() if count]
    if outcomes:
        lines.append("")
        lines += table(
            ["Identifier outcome", "Count"],
            [[escape(label), str(count)] for label, count in outcomes],
        )
    return lines


def _details(publication: PublicationResult) -> list[str]:
    severities = severity_counts(publication.findings)
    summary = (
        f"<b>{escape_html(publication.key)}</b> {escape_html(publication.title)} ({severities})"
    )
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    lines.append(
        f"**Where:** {escape(location(publication.file, publication.line))} · "
        f"**Kind:** {escape(publication.classification.value)}"
    )
    if publication.trial_names:
        lines[-1] += " · **Trials:** " + escape(", ".join(publication.trial_names))
    lines.append("")
    for finding in publication.findings:
        identifier = identifier_of(publication, finding)
        lines.append(
            f"- **{finding.code} {escape(finding.name)}** ({finding.severity.value}) at "
            f"{escape(location(finding.file, finding.line, finding.column))}: "
            f"{escape(finding.message)}"
        )
        registry_title = record_title(publication, finding)
        if identifier is not None:
            lines.append(f"  - registry: {_identifier_cell(identifier)}")
        if registry_title:
            lines.append(f"  - registry title: {escape(registry_title)}")
    lines += ["", "</details>", ""]
    return lines


def _identifier_cell(identifier: IdentifierResult) -> str:
    text = f"{identifier.registry.value} {identifier.id}"
    return f"{link(text, registry_url(identifier))} ({escape(outcome_label(identifier))})"


def _accepted_row(finding: SuppressedFinding) -> list[str]:
    return [
        f"{finding.code} {escape(finding.name)}",
        escape(location(finding.file, finding.line, finding.column)),
        escape(finding.publication),
        escape(finding.message),
        escape(accepted_because(finding)),
    ]


_ACCEPTED_HEADER = ["Rule", "Location", "Publication", "Message", "Accepted because"]


def _accepted_frame(result: RunResult) -> list[str]:
    """The accepted-findings block without its rows."""
    return [
        "<details>",
        f"<summary>{escape_html(accepted_summary(result))}</summary>",
        "",
        *table(_ACCEPTED_HEADER, []),
        "",
        "</details>",
        "",
    ]


def _accepted(result: RunResult) -> list[str]:
    if not any(p.suppressed for p in result.publications):
        return []
    accepted = [f for p in result.publications for f in p.suppressed]
    rows = [_accepted_row(f) for f in sorted(accepted, key=lambda f: (f.file, f.line, f.code))]
    frame = _accepted_frame(result)
    return [*frame[:3], *table(_ACCEPTED_HEADER, rows), *frame[-3:]]


def _settings(result: RunResult) -> list[str]:
    rows = settings_rows(result.settings)
    if not rows:
        return []
    return [
        "<details>",
        "<summary>Run settings</summary>",
        "",
        *table(["Setting", "Value"], [[escape(k), escape(v)] for k, v in rows]),
        "",
        "</details>",
        "",
    ]


def _ending(
    result: RunResult, *, list_accepted: bool = True, summary_line: bool = True
) -> list[str]:
    """The accepted findings (or, not listed, a line that counts them), the run settings and
    the stamp."""
    if list_accepted:
        lines = _accepted(result)
    elif summary_line and any(p.suppressed for p in result.publications):
        lines = [f"{escape(accepted_summary(result))} (listed in the full report).", ""]
    else:
        lines = []
    stamp = result.generated_at.isoformat()
    return [
        *lines,
        *_settings(result),
        f"<sub>{escape_html(result.tool)} {escape_html(result.tool_version)}, {stamp}</sub>",
    ]
