"""The rules themselves: each check reads one publication's evidence and returns hits.

A hit is a finding before the engine dresses it (severity, location, fingerprint, selection,
suppression). Checks that need the registry's answer skip identifiers without an outcome, so
``--no-verify`` runs only the rules that need no registry.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from linker.link.evidence import cites_paper
from linker.models import Classification, Mention, Publication, Registry, Role, TrialReport
from linker.registries.interface import Outcome, OutcomeKind, RegistryRecord
from linker.results import MatchScore, Severity, Suggestion, Verdict
from linker.rules.eu_register import not_public_hit, transitioned_notes
from linker.rules.hit import Hit
from linker.rules.references import describe, lists, record_names
from linker.rules.registration import LINKED, retrospective_hits
from linker.rules.scope import OWN_ROLES, TRIAL_REPORTS, needs_registration, registration_doubt
from linker.rules.settings import Thresholds
from linker.rules.suggestions import describe as describe_suggestions
from linker.sources.interface import PaperOutcome, PaperOutcomeKind

MentionKey = tuple[Registry, str]
WITH_RECORD = frozenset({OutcomeKind.FOUND, OutcomeKind.ALIAS})


@dataclass
class Context:
    publication: Publication
    report: TrialReport
    mentions: list[Mention]
    outcomes: dict[MentionKey, Outcome]
    matches: dict[MentionKey, MatchScore]
    thresholds: Thresholds
    today: date
    suggestions: list[Suggestion] = field(default_factory=list)
    paper: PaperOutcome | None = None
    unique: list[Mention] = field(init=False)

    def __post_init__(self) -> None:
        seen: dict[MentionKey, Mention] = {}
        for mention in self.mentions:
            seen.setdefault((mention.registry, mention.id), mention)
        self.unique = list(seen.values())

    def outcome(self, mention: Mention) -> Outcome | None:
        return self.outcomes.get((mention.registry, mention.id))

    def record(self, mention: Mention) -> RegistryRecord | None:
        """The record of an own/unknown-role mention the registry found (or aliased)."""
        outcome = self.outcome(mention)
        if mention.role not in OWN_ROLES or outcome is None or outcome.kind not in WITH_RECORD:
            return None
        return outcome.record


def record_title(record: RegistryRecord) -> str | None:
    return record.scientific_title or record.public_title


def missing_registration(ctx: Context) -> Iterator[Hit]:
    for hit in _missing_registration(ctx):
        if not ctx.suggestions:
            yield hit
            continue
        hint = f" ({describe_suggestions(ctx.suggestions)})"
        yield replace(hit, message=hit.message + hint, suggestions=tuple(ctx.suggestions))


def _missing_registration(ctx: Context) -> Iterator[Hit]:
    report, publication = ctx.report, ctx.publication
    if not needs_registration(report, ctx.mentions):
        return
    cited_elsewhere = sorted({m.id for m in ctx.mentions if m.role is Role.OTHER})
    others = f" (it cites {', '.join(cited_elsewhere)} as other trials)" if cited_elsewhere else ""
    if report.classification is Classification.SECONDARY_ANALYSIS:
        names = ", ".join(report.trial_names)
        analysed = f"secondary analysis of {names}" if names else "secondary analysis of trials"
        yield Hit(
            "TL101",
            f"{analysed}: cite their registrations{others}",
            severity=Severity.WARNING,
        )
        return
    kind = "protocol" if report.classification is Classification.TRIAL_PROTOCOL else "report"
    cutoff = ctx.thresholds.registration_cutoff_year
    if publication.year is not None and publication.year < cutoff:
        yield Hit(
            "TL101",
            f"trial {kind} from {publication.year}, before registration was required "
            f"({cutoff}): cite its registration if it has one{others}",
            severity=Severity.INFO,
        )
        return
    if not publication.abstract.strip():
        yield Hit(
            "TL101",
            f"trial {kind} by its title cites no registration{others}: judged on the title "
            "alone (the record has no abstract, where the registration is usually cited)",
            severity=Severity.WARNING,
        )
        return
    doubt = registration_doubt(publication, report, ctx.mentions)
    if doubt is not None:
        yield Hit(
            "TL101",
            f"trial {kind} cites no well-formed registration{others}, but {doubt}",
            severity=Severity.WARNING,
        )
        return
    if publication.year is None:
        yield Hit(
            "TL101",
            f"trial {kind} cites no registration{others}; its publication year is unknown: "
            f"published {cutoff} or later, it needs the trial's registry and identifier "
            "(ICMJE, CONSORT item 23); give the year (or use --enrich pubmed) to settle it",
            severity=Severity.WARNING,
        )
        return
    yield Hit(
        "TL101",
        f"trial {kind} cites no registration: add the trial's registry and identifier "
        f"(ICMJE, CONSORT item 23){others}",
    )


def malformed_id(ctx: Context) -> Iterator[Hit]:
    for mention in ctx.unique:
        if not mention.valid_format:
            problem = mention.format_problem or "not in the registry's format"
            yield Hit(
                "TL102",
                f"{mention.raw!r} is not a valid {mention.registry.label} identifier ({problem}): "
                "correct it from the registry record",
                mention,
            )


def outcome_checks(ctx: Context) -> Iterator[Hit]:
    for mention in ctx.unique:
        outcome = ctx.outcome(mention)
        if outcome is None or not mention.valid_format:
            continue
        where = f" ({outcome.url})" if outcome.url else ""
        if outcome.kind is OutcomeKind.NOT_FOUND:
            said = f" ({outcome.reason})" if outcome.reason else ""
            yield Hit(
                "TL201",
                f"{mention.registry.label} has no record {mention.id}{said}: check the number "
                "for a typo and cite the trial's real registration",
                mention,
            )
        elif outcome.kind is OutcomeKind.NOT_PUBLIC:
            yield not_public_hit(mention, outcome, ctx.publication)
        elif outcome.kind is OutcomeKind.ALIAS and mention.registry is Registry.CTGOV:
            # Only ClinicalTrials.gov retires ids (a 301 to the current record); a EudraCT
            # number stays valid after the move to CTIS, a CTIS resubmission keeps its stem.
            current = outcome.current_id or "shown by the registry"
            yield Hit(
                "TL202",
                f"{mention.id} is an old identifier: cite the current id {current}",
                mention,
            )
        elif outcome.kind is OutcomeKind.UNVERIFIED:
            reason = outcome.reason or "no reason given"
            yield Hit(
                "TL203",
                f"{mention.id} could not be checked ({reason}): run again later{where}",
                mention,
            )
        elif outcome.kind is OutcomeKind.UNSUPPORTED:
            look = f"look it up at {outcome.url}" if outcome.url else "look it up by hand"
            yield Hit(
                "TL204",
                f"{mention.id}: {mention.registry.label} cannot be checked automatically; {look}",
                mention,
            )
    yield from transitioned_notes(ctx.unique, ctx.outcomes)


def registry_mismatch(ctx: Context) -> Iterator[Hit]:
    """Error only for a conclusive mismatch; an inconclusive one (or a weak match with
    ``flag-weak``) is a warning that asks to check the registration, both titles side by side."""
    for mention in ctx.unique:
        record = ctx.record(mention)
        match = ctx.matches.get((mention.registry, mention.id))
        if record is None or match is None:
            continue
        weak = match.verdict is Verdict.WEAK and ctx.thresholds.flag_weak
        if match.verdict is not Verdict.MISMATCH and not weak:
            continue
        title = record_title(record) or "(no title)"
        paper = ctx.publication.title
        # A paper that reports no trial may cite a trial's id for its data or as an example:
        # the id need not be its own registration, so a mismatch is only a warning there.
        reports_a_trial = ctx.report.classification in TRIAL_REPORTS
        conclusive = match.verdict is Verdict.MISMATCH and match.conclusive is True
        conclusive = conclusive and reports_a_trial
        if conclusive:
            message = (
                f"{mention.id} is {title!r}, which does not look like this paper {paper!r} "
                f"(match score {match.score:.2f}): check that the paper cites its own "
                "registration"
            )
        else:
            shared = next((e for e in match.evidence if e.startswith("not conclusive")), "")
            why = f"; {shared}" if shared else ""
            message = (
                f"check that {mention.id} is this trial's registration: the record is {title!r}, "
                f"the paper {paper!r} (match score {match.score:.2f}{why})"
            )
        yield Hit(
            "TL301",
            message,
            mention,
            severity=None if conclusive else Severity.WARNING,
            paper_title=paper,
            record_title=title,
        )


def retrospective_registration(ctx: Context) -> Iterator[Hit]:
    if ctx.report.classification not in TRIAL_REPORTS:
        return  # a paper that reports no trial registers none
    entries = [(m, record) for m in ctx.unique if (record := ctx.record(m)) is not None]
    linked = {
        m.id
        for m, _ in entries
        if (match := ctx.matches.get((m.registry, m.id))) is not None and match.verdict in LINKED
    }
    yield from retrospective_hits(entries, linked)


def _names(mention: Mention, outcome: Outcome, record: RegistryRecord) -> set[str]:
    return record_names(mention.id, record, outcome.current_id)


def unlinked_cross_registration(ctx: Context) -> Iterator[Hit]:
    linked: list[tuple[Mention, Outcome, RegistryRecord]] = []
    for mention in ctx.unique:
        record, outcome = ctx.record(mention), ctx.outcome(mention)
        match = ctx.matches.get((mention.registry, mention.id))
        if record is None or outcome is None or match is None:
            continue
        if match.verdict in LINKED:
            linked.append((mention, outcome, record))
    for i, (first, first_outcome, first_record) in enumerate(linked):
        for second, second_outcome, second_record in linked[i + 1 :]:
            if first.registry == second.registry:
                continue
            if lists(first_record, _names(second, second_outcome, second_record)) or lists(
                second_record, _names(first, first_outcome, first_record)
            ):
                continue
            earlier, later = sorted((first, second), key=lambda m: (m.line, m.column))
            yield Hit(
                "TL303",
                f"{earlier.id} and {later.id} look like registrations of one trial but neither "
                "record lists the other: ask the sponsor to add the cross-reference",
                later,
                identifier="+".join(sorted((earlier.id, later.id))),
            )


def _months_after(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _completed(record: RegistryRecord) -> bool:
    status = (record.overall_status or "").replace("_", " ").strip().lower()
    actual = record.completion_date is not None and record.completion_date.actual is True
    return status == "completed" or actual


def _interventional(record: RegistryRecord) -> bool:
    """Results reporting duties (FDAAA, EU CTR) are for interventional trials; an observational
    study with no results posted is not a finding. Unknown study type counts as a trial."""
    return (record.study_type or "INTERVENTIONAL").upper().startswith("INTERVENTIONAL")


def results_not_posted(ctx: Context) -> Iterator[Hit]:
    months = ctx.thresholds.results_months
    for mention in ctx.unique:
        record = ctx.record(mention)
        if record is None or record.completion_date is None or not _completed(record):
            continue
        if not _interventional(record):
            continue
        if record.has_results is not False or record.results_first_posted is not None:
            continue
        if _months_after(record.completion_date.last_day(), months) >= ctx.today:
            continue
        yield Hit(
            "TL304",
            f"{mention.id} completed {record.completion_date.value} and the registry shows no "
            f"results after more than {months} months{_known_publications(record, ctx)}: post "
            "summary results on the registry",
            mention,
        )


def _known_publications(record: RegistryRecord, ctx: Context) -> str:
    """The publications the registry already lists, named: the missing piece is the summary
    results on the registry, not a paper."""
    own = cites_paper(record, ctx.publication)
    if own is not None:
        return f" (it lists this paper, {own}, but no summary results)"
    results = [r for r in record.references if (r.kind or "").upper() in ("RESULT", "DERIVED")]
    if results:
        named = ", ".join(describe(r) for r in results[:3])
        more = f" and {len(results) - 3} more" if len(results) > 3 else ""
        return f" (it lists results publications {named}{more}, but no summary results)"
    return ""


def pmid_not_found(ctx: Context) -> Iterator[Hit]:
    """Only PubMed's well-formed answer without the record counts; a failure is no finding."""
    paper = ctx.paper
    if paper is not None and paper.kind is PaperOutcomeKind.NOT_FOUND:
        yield Hit(
            "TL103",
            f"PubMed has no record with PMID {paper.requested_id}: check the PMID for a typo",
            identifier=paper.requested_id,
        )


CHECKS: tuple[Callable[[Context], Iterator[Hit]], ...] = (
    pmid_not_found,
    missing_registration,
    malformed_id,
    outcome_checks,
    registry_mismatch,
    retrospective_registration,
    unlinked_cross_registration,
    results_not_posted,
)
