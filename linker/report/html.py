"""A single self-contained HTML page: headline figures, two inline SVG charts, a sortable and
filterable table of publications, and each finding with the paper's and the registry's titles.

The page makes no request of its own (inline CSS, JS and SVG; a Content-Security-Policy that
forbids anything else). All data goes through Jinja2 autoescaping; links are only made to
``http(s)`` addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from linker.report.interface import Reporter
from linker.report.summary import (
    SEVERITIES,
    Summary,
    has_own_registration,
    identifier_of,
    is_trial_report,
    location,
    outcome_label,
    record_title,
    registry_url,
    sorted_result,
    worst_severity,
)
from linker.results import Finding, IdentifierResult, PublicationResult, RunResult
from linker.rules.catalog import BY_CODE

CHART_BAR_WIDTH = 320


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    length: int
    css_class: str


@dataclass(frozen=True)
class IdentifierView:
    label: str
    outcome: str
    url: str | None


@dataclass(frozen=True)
class PublicationRow:
    key: str
    title: str
    file: str
    line: int
    classification: str
    identifiers: list[IdentifierView]
    counts: dict[str, int]
    worst: str
    worst_rank: int
    severities: str


@dataclass(frozen=True)
class FindingView:
    code: str
    name: str
    severity: str
    message: str
    location: str
    doc_url: str | None
    paper_title: str
    registry_title: str | None
    identifier: IdentifierView | None


@dataclass(frozen=True)
class PublicationFindings:
    key: str
    title: str
    location: str
    findings: list[FindingView]


def bars(items: list[tuple[str, int, str]]) -> list[Bar]:
    """Horizontal bars scaled to the largest count (a zero count draws no bar)."""
    largest = max((count for _, count, _ in items), default=0) or 1
    return [
        Bar(label, count, round(CHART_BAR_WIDTH * count / largest), css_class)
        for label, count, css_class in items
    ]


def _identifier_view(identifier: IdentifierResult) -> IdentifierView:
    return IdentifierView(
        label=identifier.id,
        outcome=outcome_label(identifier),
        url=registry_url(identifier),
    )


def _row(publication: PublicationResult) -> PublicationRow:
    worst = worst_severity(publication.findings)
    counts = {s.value: sum(f.severity is s for f in publication.findings) for s in SEVERITIES}
    return PublicationRow(
        key=publication.key,
        title=publication.title,
        file=publication.file,
        line=publication.line,
        classification=publication.classification.value,
        identifiers=[_identifier_view(i) for i in publication.identifiers],
        counts=counts,
        worst=worst.value if worst else "none",
        worst_rank=worst.rank + 1 if worst else 0,
        severities=" ".join(s for s, count in counts.items() if count) or "none",
    )


def _finding_view(publication: PublicationResult, finding: Finding) -> FindingView:
    rule = BY_CODE.get(finding.code)
    identifier = identifier_of(publication, finding)
    return FindingView(
        code=finding.code,
        name=finding.name,
        severity=finding.severity.value,
        message=finding.message,
        location=location(finding.file, finding.line, finding.column),
        doc_url=rule.doc_url if rule else None,
        paper_title=finding.paper_title or publication.title,
        registry_title=record_title(publication, finding),
        identifier=_identifier_view(identifier) if identifier else None,
    )


def _rule_label(code: str) -> str:
    rule = BY_CODE.get(code)
    return f"{code} {rule.name}" if rule else code


def _rule_severity(code: str) -> str:
    rule = BY_CODE.get(code)
    return rule.severity.value if rule else "info"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("linker.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class HtmlReporter(Reporter):
    def render(self, result: RunResult) -> str:
        result = sorted_result(result)
        summary = Summary.of(result)
        trial_reports = [p for p in result.publications if is_trial_report(p)]
        registered = sum(has_own_registration(p) for p in trial_reports)
        rule_bars = bars(
            [
                (_rule_label(code), count, _rule_severity(code))
                for code, count in summary.by_rule.items()
            ]
        )
        coverage_bars = bars(
            [
                ("with an own registration", registered, "registered"),
                ("without", len(trial_reports) - registered, "unregistered"),
            ]
        )
        template = _environment().get_template("report.html.j2")
        return template.render(
            result=result,
            summary=summary,
            severities=[s.value for s in SEVERITIES],
            rule_bars=rule_bars,
            coverage_bars=coverage_bars,
            bar_width=CHART_BAR_WIDTH,
            rows=[_row(p) for p in result.publications],
            finding_groups=[
                PublicationFindings(
                    key=p.key,
                    title=p.title,
                    location=location(p.file, p.line),
                    findings=[_finding_view(p, f) for f in p.findings],
                )
                for p in result.publications
                if p.findings
            ],
        )
