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
from linker.results import IdentifierResult, PublicationResult, RunResult, Severity

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


class MarkdownReporter(Reporter):
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
        lines += ["### Findings", ""]
        lines += table(
            ["Severity", "Rule", "Location", "Publication", "Message"],
            [
                [
                    SEVERITY_BADGES[f.severity],
                    f"{f.code} {escape(f.name)}",
                    escape(location(f.file, f.line, f.column)),
                    escape(p.key),
                    escape(f.message),
                ]
                for p, f in findings
            ],
        )
        lines += ["", "### Publications with findings", ""]
        for publication in result.publications:
            if publication.findings:
                lines += _details(publication)
        return _finish(lines, result)


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


def _finish(lines: list[str], result: RunResult) -> str:
    lines += _accepted(result) + _settings(result)
    stamp = result.generated_at.isoformat()
    lines.append(
        f"<sub>{escape_html(result.tool)} {escape_html(result.tool_version)}, {stamp}</sub>"
    )
    return "\n".join(lines) + "\n"
