"""Apply the rules to one publication: identifiers with their outcomes and matches in,
a :class:`~linker.results.PublicationResult` with its findings out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from linker.link.score import score_match
from linker.link.text import normalise
from linker.models import Mention, Publication, Registry, TrialReport
from linker.registries.interface import Outcome, RegistryRecord
from linker.registries.search.interface import TrialQuery
from linker.results import (
    AcceptedBy,
    Finding,
    IdentifierResult,
    MatchScore,
    PublicationResult,
    RecordSummary,
    SuppressedFinding,
)
from linker.rules.catalog import BY_CODE
from linker.rules.checks import CHECKS, WITH_RECORD, Context
from linker.rules.hit import Hit
from linker.rules.scope import OWN_ROLES
from linker.rules.settings import RuleSettings, Suppression
from linker.rules.suggestions import suggestions_for
from linker.sources.interface import PaperOutcome
from linker.sources.provenance import locate_finding, locate_identifier

MentionKey = tuple[Registry, str]


@dataclass
class PublicationEvidence:
    """Everything the rules need about one publication.

    ``outcomes`` and ``matches`` are keyed by ``(mention.registry, mention.id)``. A mention
    without an outcome was not verified (``--no-verify``): rules that need the registry skip it.
    Missing matches are computed here for found records of own/unknown-role mentions.
    """

    publication: Publication
    report: TrialReport
    mentions: list[Mention] = field(default_factory=list)
    outcomes: dict[MentionKey, Outcome] = field(default_factory=dict)
    matches: dict[MentionKey, MatchScore] = field(default_factory=dict)
    candidates: dict[TrialQuery, list[RegistryRecord]] = field(default_factory=dict)
    """Registry search answers for the trials a paper without registration names."""
    paper: PaperOutcome | None = None
    """PubMed's answer for the publication's PMID (``--enrich pubmed``)."""
    pubmed_abstract: str | None = None
    """The PubMed record whose abstract completed the publication (``--enrich pubmed``)."""


def stable_publication_key(publication: Publication) -> str:
    """What identifies a publication across edits of its file: PMID, DOI, else its title."""
    if publication.pmid:
        return f"pmid:{publication.pmid.strip()}"
    if publication.doi:
        return f"doi:{publication.doi.strip().lower()}"
    title = normalise(publication.title)
    return f"title:{title}" if title else f"key:{publication.key}"


def fingerprint(code: str, publication: Publication, identifier: str | None) -> str:
    """Stable across edits: rule, publication identity and identifier; no positions."""
    text = "\x1f".join((code, stable_publication_key(publication), identifier or ""))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def summarise(record: RegistryRecord) -> RecordSummary:
    return RecordSummary(
        registry=record.registry,
        id=record.id,
        url=record.url,
        title=record.scientific_title or record.public_title,
        acronym=record.acronym,
        sponsor=record.sponsor,
        overall_status=record.overall_status,
        registration_date=record.registration_date,
        start_date=record.start_date,
        completion_date=record.completion_date,
        cross_registrations=[s.id for s in record.secondary_ids if s.registry is not None],
    )


def _matches(evidence: PublicationEvidence, settings: RuleSettings) -> dict[MentionKey, MatchScore]:
    matches = dict(evidence.matches)
    thresholds = settings.thresholds.match_thresholds
    for mention in evidence.mentions:
        key = (mention.registry, mention.id)
        outcome = evidence.outcomes.get(key)
        if key in matches or mention.role not in OWN_ROLES or outcome is None:
            continue
        if outcome.kind in WITH_RECORD and outcome.record is not None:
            matches[key] = score_match(evidence.publication, outcome.record, thresholds)
    return matches


def _identifier(
    mention: Mention, outcome: Outcome | None, match: MatchScore | None
) -> IdentifierResult:
    record = outcome.record if outcome is not None else None
    url = (outcome.url if outcome is not None else None) or (record.url if record else None)
    return IdentifierResult(
        registry=mention.registry,
        id=mention.id,
        raw=mention.raw,
        file=mention.file,
        line=mention.line,
        column=mention.column,
        role=mention.role,
        valid_format=mention.valid_format,
        outcome=outcome.kind if outcome is not None else None,
        reason=outcome.reason if outcome is not None else None,
        current_id=outcome.current_id if outcome is not None else None,
        url=url,
        record=summarise(record) if record is not None else None,
        match=match,
        snapshot_date=outcome.snapshot_date if outcome is not None else None,
    )


def _finding(hit: Hit, publication: Publication, settings: RuleSettings) -> Finding:
    rule = BY_CODE[hit.code]
    identifier = hit.identifier or (hit.mention.id if hit.mention else None)
    severity = settings.severity_override(hit.code) or hit.severity or rule.severity
    if hit.mention is not None:
        file, line, column = hit.mention.file, hit.mention.line, hit.mention.column
    else:
        file, line, column = publication.file, publication.line, None
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,
        message=hit.message,
        publication=publication.key,
        file=file,
        line=line,
        column=column,
        identifier=identifier,
        paper_title=hit.paper_title,
        record_title=hit.record_title,
        suggestions=list(hit.suggestions),
        fingerprint=fingerprint(rule.code, publication, identifier),
    )


def evaluate(
    evidence: PublicationEvidence, settings: RuleSettings, today: date
) -> PublicationResult:
    """Identifier results and findings for one publication."""
    publication = evidence.publication
    matches = _matches(evidence, settings)
    context = Context(
        publication=publication,
        report=evidence.report,
        mentions=evidence.mentions,
        outcomes=evidence.outcomes,
        matches=matches,
        thresholds=settings.thresholds,
        today=today,
        suggestions=suggestions_for(
            publication,
            evidence.report,
            evidence.candidates,
            settings.thresholds.match_thresholds,
        ),
        paper=evidence.paper,
    )
    enabled = settings.enabled
    findings: dict[str, Finding] = {}
    suppressed: dict[str, SuppressedFinding] = {}
    for check in CHECKS:
        for hit in check(context):
            if hit.code not in enabled:
                continue
            finding = locate_finding(
                _finding(hit, publication, settings),
                hit.mention,
                publication,
                evidence.pubmed_abstract,
            )
            suppression = settings.suppression_for(hit.code, publication, today)
            if suppression is None:
                findings.setdefault(finding.fingerprint, finding)
            elif suppression.expired(today):
                findings.setdefault(finding.fingerprint, expired(finding, suppression))
            else:
                suppressed.setdefault(finding.fingerprint, suppressed_by(finding, suppression))
    identifiers = [
        locate_identifier(
            _identifier(
                m, evidence.outcomes.get((m.registry, m.id)), matches.get((m.registry, m.id))
            ),
            m,
            publication,
        )
        for m in evidence.mentions
    ]
    return PublicationResult(
        key=publication.key,
        title=publication.title,
        file=publication.file,
        line=publication.line,
        end_line=publication.end_line,
        year=publication.year,
        classification=evidence.report.classification,
        evidence=evidence.report.evidence,
        trial_names=evidence.report.trial_names,
        identifiers=identifiers,
        findings=sorted(findings.values(), key=_position),
        suppressed=sorted(suppressed.values(), key=_position),
    )


def _position(finding: Finding) -> tuple[int, int, str]:
    return (finding.line, finding.column or 0, finding.code)


def suppressed_by(finding: Finding, suppression: Suppression) -> SuppressedFinding:
    return SuppressedFinding(
        **finding.model_dump(),
        suppressed_by=AcceptedBy.SUPPRESSION,
        reason=suppression.reason,
        selector=suppression.publication,
        until=suppression.until,
    )


def expiry_note(suppression: Suppression) -> str:
    return f" (its suppression expired on {suppression.until}: {suppression.reason})"


def expired(finding: Finding, suppression: Suppression) -> Finding:
    return finding.model_copy(update={"message": finding.message + expiry_note(suppression)})
