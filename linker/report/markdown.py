"""The Markdown report, for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

A headline table, a table of findings, then one collapsed ``<details>`` block per publication
with findings. Everything from the input or a registry is escaped for both Markdown and HTML,
since GitHub renders the HTML inside Markdown.
"""

from __future__ import annotations

import html
import re

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
from linker.results import Finding, IdentifierResult, PublicationResult, RunResult, Severity

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
        result = sorted_result(result)
        summary = Summary.of(result)
        lines = [f"## {escape(result.tool)} report", ""]
        lines += _headline(summary)
        findings = [(p, f) for p in result.publications for f in p.findings]
        lines.append("")
        if not findings:
            lines += [f"No findings in {plural(summary.publications, 'publication')}.", ""]
            return _finish(lines, result)
        header = ["Severity", "Rule", "Location", "Publication", "Message"]
        rows = [_finding_row(p, f) for p, f in findings]
        details = [_details(p) for p in result.publications if p.findings]
        ending = _ending(result)
        whole = [
            *lines,
            "### Findings",
            "",
            *table(header, rows),
            "",
            "### Publications with findings",
            "",
        ]
        if _size(whole) + sum(_size(d) for d in details) + _size(ending) <= self.max_bytes:
            for block in details:
                whole += block
            return "\n".join(whole + ending) + "\n"
        return self._capped(lines, findings, result, _ending(result, list_accepted=False))

    def _capped(
        self,
        lines: list[str],
        findings: list[tuple[PublicationResult, Finding]],
        result: RunResult,
        ending: list[str],
    ) -> str:
        worst_first = sorted(findings, key=lambda pf: -pf[1].severity.rank)  # stable
        budget = self.max_bytes - _size(lines) - _size(ending) - 1000  # the note, the headings
        rows: list[list[str]] = []
        for publication, finding in worst_first:
            row = _finding_row(publication, finding)
            budget -= _size(table(["x"], [row])[2:])
            if budget < 0:
                break
            rows.append(row)
        left_out = len(findings) - len(rows)
        header = ["Severity", "Rule", "Location", "Publication", "Message"]
        lines += ["### Findings", "", *table(header, rows), ""]
        lines.append(
            f"**{left_out} of {plural(len(findings), 'finding')} left out** (the most serious "
            f"are listed) to keep this summary under {self.max_bytes:,} bytes, GitHub's "
            "step-summary limit: the full report (HTML, JSON or CSV from the same run) has "
            "them all."
        )
        lines.append("")
        return "\n".join(lines + ending) + "\n"


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


def _accepted(result: RunResult) -> list[str]:
    if not result.suppressed:
        return []
    rows = [
        [
            f"{f.code} {escape(f.name)}",
            escape(location(f.file, f.line, f.column)),
            escape(f.publication),
            escape(f.message),
            escape(accepted_because(f)),
        ]
        for f in sorted(result.suppressed, key=lambda f: (f.file, f.line, f.code))
    ]
    return [
        "<details>",
        f"<summary>{escape_html(accepted_summary(result))}</summary>",
        "",
        *table(["Rule", "Location", "Publication", "Message", "Accepted because"], rows),
        "",
        "</details>",
        "",
    ]


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


def _ending(result: RunResult, *, list_accepted: bool = True) -> list[str]:
    """The accepted findings, the run settings and the stamp."""
    if list_accepted:
        lines = _accepted(result)
    elif result.suppressed:
        lines = [f"{escape(accepted_summary(result))} (listed in the full report).", ""]
    else:
        lines = []
    stamp = result.generated_at.isoformat()
    return [
        *lines,
        *_settings(result),
        f"<sub>{escape_html(result.tool)} {escape_html(result.tool_version)}, {stamp}</sub>",
    ]


def _finish(lines: list[str], result: RunResult) -> str:
    return "\n".join(lines + _ending(result)) + "\n"
