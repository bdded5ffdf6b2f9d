"""What every reporter needs besides the result itself: a deterministic order and the counts.

Registry checks finish in whatever order the network allows, so reporters never trust the order
of a :class:`RunResult`: they render :func:`sorted_result` and read figures from :class:`Summary`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from linker.models import Classification, Role
from linker.registries.interface import OutcomeKind
from linker.results import Finding, IdentifierResult, PublicationResult, RunResult, Severity
from linker.spool import PublicationSpool

#: Classifications that owe a registration of their own (the "trial reports").
TRIAL_REPORT_CLASSES = frozenset({Classification.TRIAL_RESULTS, Classification.TRIAL_PROTOCOL})

#: Label for identifiers that were never sent to a registry (malformed, or checks skipped).
NOT_CHECKED = "not_checked"

#: Severities from the most to the least serious, the order every report lists them in.
SEVERITIES: tuple[Severity, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)

#: Identifier outcomes in report order, then identifiers that were not checked.
OUTCOME_LABELS: tuple[str, ...] = (*(kind.value for kind in OutcomeKind), NOT_CHECKED)


def _identifier_order(identifier: IdentifierResult) -> tuple[int, int, str, str]:
    return (identifier.line, identifier.column, identifier.registry.value, identifier.id)


def _finding_order(finding: Finding) -> tuple[int, str, int, str, str]:
    return (
        finding.line,
        finding.code,
        finding.column or 0,
        finding.identifier or "",
        finding.message,
    )


def sorted_publication(publication: PublicationResult) -> PublicationResult:
    return publication.model_copy(
        update={
            "identifiers": sorted(publication.identifiers, key=_identifier_order),
            "findings": sorted(publication.findings, key=_finding_order),
        }
    )


def sorted_result(result: RunResult) -> RunResult:
    """A copy with publications by (file, line), identifiers by (line, column) and findings by
    (line, code), so that output does not depend on the run's concurrency. A result whose
    publications are spooled is in that order already, and is not read into memory."""
    if isinstance(result.publications, PublicationSpool):
        return result
    publications = sorted(result.publications, key=lambda p: (p.file, p.line, p.key))
    return result.model_copy(update={"publications": [sorted_publication(p) for p in publications]})


def outcome_label(identifier: IdentifierResult) -> str:
    return identifier.outcome.value if identifier.outcome is not None else NOT_CHECKED


def is_trial_report(publication: PublicationResult) -> bool:
    return publication.classification in TRIAL_REPORT_CLASSES


def has_own_registration(publication: PublicationResult) -> bool:
    """Whether the paper cites a well-formed identifier not marked as another trial's."""
    return any(i.valid_format and i.role is not Role.OTHER for i in publication.identifiers)


def worst_severity(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)


def record_title(publication: PublicationResult, finding: Finding) -> str | None:
    """The registry's title for a finding: its own, else the named identifier's record's."""
    if finding.record_title:
        return finding.record_title
    identifier = identifier_of(publication, finding)
    if identifier is not None and identifier.record is not None:
        return identifier.record.title
    return None


def identifier_of(publication: PublicationResult, finding: Finding) -> IdentifierResult | None:
    if finding.identifier is None:
        return None
    for identifier in publication.identifiers:
        if finding.identifier in (identifier.id, identifier.raw):
            return identifier
    return None


def registry_url(identifier: IdentifierResult | None) -> str | None:
    """Where a person reads the record, if it is a web address (never ``javascript:``)."""
    if identifier is None:
        return None
    url = identifier.url or (identifier.record.url if identifier.record else None)
    if url and url.startswith(("https://", "http://")):
        return url
    return None


@dataclass(frozen=True)
class Summary:
    """The headline figures of a run."""

    publications: int
    trial_reports: int
    trial_reports_registered: int
    identifiers: int
    verified: int
    by_outcome: dict[str, int]
    by_severity: dict[Severity, int]
    by_rule: dict[str, int]

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    @property
    def trial_reports_unregistered(self) -> int:
        return self.trial_reports - self.trial_reports_registered

    @classmethod
    def of(cls, result: RunResult) -> Summary:
        """The figures, in one pass over the publications (which may be read from disk)."""
        outcomes: Counter[str] = Counter()
        severities: Counter[Severity] = Counter()
        rules: Counter[str] = Counter()
        publications = trial_reports = registered = 0
        for publication in result.publications:
            publications += 1
            if is_trial_report(publication):
                trial_reports += 1
                registered += has_own_registration(publication)
            outcomes.update(outcome_label(i) for i in publication.identifiers)
            severities.update(f.severity for f in publication.findings)
            rules.update(f.code for f in publication.findings)
        return cls(
            publications=publications,
            trial_reports=trial_reports,
            trial_reports_registered=registered,
            identifiers=sum(outcomes.values()),
            verified=outcomes[OutcomeKind.FOUND.value] + outcomes[OutcomeKind.ALIAS.value],
            by_outcome={label: outcomes[label] for label in OUTCOME_LABELS},
            by_severity={severity: severities[severity] for severity in SEVERITIES},
            by_rule=dict(sorted(rules.items())),
        )


def location(file: str, line: int, column: int | None = None) -> str:
    return f"{file}:{line}:{column}" if column else f"{file}:{line}"


def short_title(title: str, limit: int = 60) -> str:
    flat = " ".join(title.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``; ``info`` is uncountable."""
    return f"{count} {noun}" if count == 1 or noun == "info" else f"{count} {noun}s"


def severity_counts(findings: list[Finding]) -> str:
    """``2 errors, 1 info``: the non-zero counts, most serious first."""
    return counted_severities(Counter(f.severity for f in findings))


def counted_severities(counts: Mapping[Severity, int]) -> str:
    """:func:`severity_counts` from counts already made."""
    return ", ".join(plural(counts[s], s.value) for s in SEVERITIES if counts.get(s))
