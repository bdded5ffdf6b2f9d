"""docs/verdicts.md, tested: per rule, the borderline case that must not reach error."""

from __future__ import annotations

from datetime import date as Date

import pytest
from rules_helpers import date, found, mention, outcome, publication, record, report

from linker.models import Classification, Registry, Role
from linker.registries.interface import (
    Outcome,
    OutcomeKind,
    RecordReference,
    RegistryRecord,
    SecondaryId,
)
from linker.results import MatchScore, PublicationResult, Severity, Verdict
from linker.rules.catalog import RULES
from linker.rules.engine import PublicationEvidence, evaluate
from linker.rules.settings import RuleSettings

TODAY = Date(2026, 12, 1)
EUDRACT = "2019-001588-63"
EU_CT = "2024-510663-34-00"
# Short strings from the real CTIS record of 2024-510663-34-00 (fixtures/registries/ctis/).
ZANAMIVIR = (
    "An open label, single arm study to evaluate single and multiple dose pharmacokinetics, "
    "safety and tolerability, and to explore clinical outcomes of treatment with intravenous "
    "(IV) zanamivir in neonates and infants under 6 months of age with confirmed complicated "
    "influenza infection."
)


def run(evidence: PublicationEvidence) -> PublicationResult:
    return evaluate(evidence, RuleSettings(), TODAY)


def severities(result: PublicationResult) -> dict[str, Severity]:
    return {f.code: f.severity for f in result.findings}


def no_error(result: PublicationResult) -> bool:
    return all(f.severity is not Severity.ERROR for f in result.findings)


def single(m_registry: Registry, m_id: str, answer: Outcome, **pub: object) -> PublicationResult:
    m = mention(m_id, m_registry)
    return run(PublicationEvidence(publication(**pub), report(), [m], {(m.registry, m.id): answer}))


def test_every_rule_page_links_the_verdicts() -> None:
    from support import ROOT

    verdicts = (ROOT / "docs" / "verdicts.md").read_text(encoding="utf-8")
    for rule in RULES:
        page = (ROOT / "docs" / "rules" / f"{rule.name}.md").read_text(encoding="utf-8")
        assert "../verdicts.md#" in page, rule.name
        assert f"## {rule.code} {rule.name}" in verdicts


# TL101: a secondary analysis naming its trials is a warning (the seed's blood-pressure paper).
def test_missing_registration_secondary_analysis_is_not_error() -> None:
    rep = report(Classification.SECONDARY_ANALYSIS, ("HOMEBP", "TASMINH4"))
    result = run(PublicationEvidence(publication(), rep, []))
    assert severities(result) == {"TL101": Severity.WARNING}


# TL101: a trial report known by its title alone (no abstract, e.g. PubMed not reached with
# --enrich pubmed) is a warning that says so; with its abstract it is an error.
def test_missing_registration_on_a_title_alone_is_not_error() -> None:
    rep = report(Classification.TRIAL_RESULTS)
    titled = run(PublicationEvidence(publication(abstract=""), rep, []))
    assert severities(titled) == {"TL101": Severity.WARNING}
    assert "judged on the title alone" in titled.findings[0].message
    full = run(PublicationEvidence(publication(abstract="We randomised 120 adults."), rep, []))
    assert severities(full) == {"TL101": Severity.ERROR}


# TL101 is an error only where nothing else could explain the missing registration: each of
# these is a warning that says why (cases from a review of false errors on real abstracts).
@pytest.mark.parametrize(
    ("changes", "evidence", "why"),
    [
        ({"year": None}, [], "publication year is unknown"),
        ({"abstract": "Trial registration ISRCTN: 2017-002402-13."}, [], "registration no"),
        ({"abstract": "Registered as ANZCTRN12614001205628."}, [], "registration no"),
        ({"abstract": "Nederlands Trial Register TC = 5687."}, [], "registration no"),
        ({"publication_types": ["Review"]}, [], "PubMed indexes it as 'Review'"),
        ({}, ["score +0.4 = phrase cues +1.0 + words -0.6 + offset +0.0 (trial at >= 0)"], "+0.4"),
    ],
)
def test_missing_registration_is_a_warning_where_something_could_explain_it(
    changes: dict[str, object], evidence: list[str], why: str
) -> None:
    values: dict[str, object] = {"abstract": "We randomised 120 adults.", **changes}
    rep = report(Classification.TRIAL_RESULTS).model_copy(update={"evidence": evidence})
    result = run(PublicationEvidence(publication(**values), rep, []))
    assert severities(result) == {"TL101": Severity.WARNING}
    assert why in result.findings[0].message


def test_missing_registration_beside_a_malformed_id_is_a_warning_naming_it() -> None:
    """A mistyped own id is TL102's error; TL101 does not also say the paper cites none."""
    typo = mention("NCT0061850", Registry.CTGOV, valid_format=False, format_problem="7 digits")
    rep = report(Classification.TRIAL_RESULTS)
    result = run(
        PublicationEvidence(publication(abstract="We randomised 120 adults."), rep, [typo])
    )
    assert severities(result) == {"TL101": Severity.WARNING, "TL102": Severity.ERROR}
    assert "'NCT0061850', which may be it mistyped" in result.findings[0].message


def test_missing_registration_stays_an_error_on_conclusive_evidence() -> None:
    """A clear score, a known year, no registration words with a number: the authors can fix it."""
    evidence = ["score +3.2 = phrase cues +2.0 + words +1.2 + offset +0.0 (trial at >= 0)"]
    rep = report(Classification.TRIAL_RESULTS).model_copy(update={"evidence": evidence})
    abstract = "We randomised 120 adults. The trial was registered in 2010."
    result = run(PublicationEvidence(publication(abstract=abstract), rep, []))
    assert severities(result) == {"TL101": Severity.ERROR}


# TL102: a bare number with no registry context is no identifier, so nothing to call malformed;
# the rule only sees mentions the extractor tied to a registry. A well-formed one is silent.
def test_malformed_id_silent_for_well_formed_eudract_with_any_check_digits() -> None:
    m = mention("2019-001588-99", Registry.EUCTR)  # check digits are never validated
    assert "TL102" not in severities(run(PublicationEvidence(publication(), report(), [m])))


# TL201 / TL205: EUCTR "(0)" is not proof of a typo.
def not_public(m_id: str = "2018-000123-45") -> Outcome:
    m = mention(m_id, Registry.EUCTR)
    return outcome(OutcomeKind.NOT_PUBLIC, m, reason="EUCTR lists no trial with this number")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # adult phase 1 / first-in-human: expected absence, info
        (
            "A phase I, first-in-human, single ascending dose study of ABC-123 in healthy "
            "volunteers",
            {"TL205": Severity.INFO},
        ),
        # nothing about the phase: a warning that says why
        ("Effect of drug X on blood pressure: a randomised trial", {"TL201": Severity.WARNING}),
        ("A phase I/II study of drug X in solid tumours", {"TL201": Severity.WARNING}),
        ("Drug X in children and adults with asthma", {"TL201": Severity.WARNING}),
        # clearly phase 2-4 or paediatric: EUCTR publishes every such trial, so an error
        ("A randomised, double-blind, phase III trial of drug X", {"TL201": Severity.ERROR}),
        ("Drug X in neonates with sepsis: a randomised trial", {"TL201": Severity.ERROR}),
    ],
)
def test_eudract_absent_from_euctr(title: str, expected: dict[str, Severity]) -> None:
    result = single(Registry.EUCTR, "2018-000123-45", not_public(), title=title)
    assert severities(result) == expected


def test_eudract_of_another_trial_absent_from_euctr_is_a_warning() -> None:
    """A phase III paper citing another trial's EudraCT number: its phase is not that trial's."""
    m = mention("2018-000123-45", Registry.EUCTR, role=Role.OTHER)
    title = "A randomised, double-blind, phase III trial of drug X"
    ev = PublicationEvidence(
        publication(title=title), report(), [m, mention()], {(m.registry, m.id): not_public()}
    )
    assert severities(run(ev))["TL201"] is Severity.WARNING


def test_not_public_message_explains() -> None:
    title = "A phase 1 study of drug X in healthy volunteers"
    [finding] = single(Registry.EUCTR, "2018-000123-45", not_public(), title=title).findings
    assert "does not publish" in finding.message and "phase 1 trial in adults" in finding.message


def test_id_not_found_elsewhere_stays_error() -> None:
    m = mention("NCT99999999", Registry.CTGOV)
    answer = outcome(OutcomeKind.NOT_FOUND, m, reason="NCT number NCT99999999 not found")
    assert severities(single(Registry.CTGOV, m.id, answer)) == {"TL201": Severity.ERROR}


# TL202 / TL206: a transitioned EudraCT trial is found, with a note, never obsolete.
def ctis_record(**extra: object) -> RegistryRecord:
    values: dict[str, object] = {
        "scientific_title": ZANAMIVIR,
        "registration_date": date("2019"),
        "registration_basis": f"the year of its EudraCT number {EUDRACT} (a lower bound)",
        "start_date": date("2021-01-29", True),
        "secondary_ids": [SecondaryId(id=EUDRACT, registry=Registry.EUCTR)],
        "acronym": None,
    }
    values.update(extra)
    return record(EU_CT, Registry.CTIS, **values)


def transitioned_outcome() -> Outcome:
    rec = ctis_record()
    return Outcome(
        kind=OutcomeKind.FOUND,
        registry=Registry.EUCTR,
        requested_id=EUDRACT,
        record=rec,
        reason=f"transitioned to CTIS as {EU_CT}",
        url=rec.url,
    )


def test_transitioned_trial_is_an_info_note_not_obsolete_or_retrospective() -> None:
    result = single(Registry.EUCTR, EUDRACT, transitioned_outcome(), title=ZANAMIVIR)
    assert severities(result) == {"TL206": Severity.INFO}
    [note] = result.findings
    assert EU_CT in note.message and "stays valid" in note.message


def test_transitioned_note_silent_when_the_eu_ct_number_is_cited_too() -> None:
    a, b = mention(EUDRACT, Registry.EUCTR), mention(EU_CT, Registry.CTIS, line=12)
    ctis = Outcome(kind=OutcomeKind.FOUND, registry=Registry.CTIS, requested_id=EU_CT)
    ctis = ctis.model_copy(update={"record": ctis_record()})
    outcomes = {(a.registry, a.id): transitioned_outcome(), (b.registry, b.id): ctis}
    result = run(PublicationEvidence(publication(title=ZANAMIVIR), report(), [a, b], outcomes))
    assert "TL206" not in severities(result) and "TL303" not in severities(result)


def test_euctr_record_marked_transitioned_is_linked_and_checks_both_registers() -> None:
    rec = record(
        EUDRACT,
        Registry.EUCTR,
        transitioned_to=EU_CT,
        registration_date=date("2019-05-02"),
        start_date=date("2021-01-29"),
    )
    result = single(Registry.EUCTR, EUDRACT, found(rec))
    assert severities(result) == {"TL206": Severity.INFO}


def test_only_ctgov_aliases_are_obsolete() -> None:
    m = mention("2023-508143-51-00", Registry.CTIS)
    resubmitted = outcome(
        OutcomeKind.ALIAS,
        m,
        current_id="2023-508143-51-01",
        record=record("2023-508143-51-01", Registry.CTIS),
    )
    assert "TL202" not in severities(single(Registry.CTIS, m.id, resubmitted))


# TL203 / TL204: never errors.
@pytest.mark.parametrize("kind", [OutcomeKind.UNVERIFIED, OutcomeKind.UNSUPPORTED])
def test_unanswered_ids_are_never_errors(kind: OutcomeKind) -> None:
    m = mention()
    assert no_error(single(m.registry, m.id, outcome(kind, m, reason="timeout")))


# TL301: a record that lists the paper is a certain match, whatever the titles.
def test_registry_listing_the_paper_is_a_certain_match() -> None:
    rec = record(
        public_title="Progression Rate of MSA Under EGCG Supplementation",
        acronym=None,
        references=[RecordReference(pmid="12345", kind="RESULT")],
    )
    title = "Epigallocatechin gallate in multiple system atrophy (PROMESA)"
    result = single(rec.registry, rec.id, found(rec), title=title)
    assert "TL301" not in severities(result)
    match = result.identifiers[0].match
    assert match is not None and match.verdict is Verdict.MATCH
    assert "the registry lists this paper (PMID 12345)" in match.evidence


def test_registry_listing_the_paper_by_doi() -> None:
    rec = record(
        public_title="Unrelated words entirely",
        acronym=None,
        references=[RecordReference(doi="10.1016/s0140-6736(19)32000-1")],
    )
    result = single(
        rec.registry, rec.id, found(rec), title="Other", doi="10.1016/S0140-6736(19)32000-1"
    )
    assert "TL301" not in severities(result)


# TL302: the earliest registration of the trial, certainly after the start.
def test_retrospective_uses_the_earliest_registration_across_registries() -> None:
    a, b = mention("ISRCTN11111111", line=11), mention("NCT01234567", Registry.CTGOV, line=12)
    early = record(registration_date=date("2012-01-05"), start_date=date("2012-09-14"))
    late = record(
        "NCT01234567",
        Registry.CTGOV,
        registration_date=date("2013-01-10"),
        start_date=date("2012-09"),
    )
    outcomes = {(a.registry, a.id): found(early), (b.registry, b.id): found(late)}
    assert "TL302" not in severities(
        run(PublicationEvidence(publication(), report(), [a, b], outcomes))
    )


def test_retrospective_says_which_registration_it_used() -> None:
    a, b = mention("ISRCTN11111111", line=11), mention("NCT01234567", Registry.CTGOV, line=12)
    first = record(registration_date=date("2013-02-01"), registration_basis="ISRCTN assigned")
    second = record(
        "NCT01234567",
        Registry.CTGOV,
        registration_date=date("2013-03-10"),
        start_date=date("2012-09"),
    )
    outcomes = {(a.registry, a.id): found(first), (b.registry, b.id): found(second)}
    result = run(PublicationEvidence(publication(), report(), [a, b], outcomes))
    [finding] = [f for f in result.findings if f.code == "TL302"]
    assert finding.severity is Severity.WARNING and finding.identifier == "ISRCTN11111111"
    assert "2013-02-01 (ISRCTN assigned), the earliest of its 2 registrations" in finding.message
    assert "(2012-09 per NCT01234567)" in finding.message


@pytest.mark.parametrize(
    ("registered", "started", "fires"),
    [
        ("2012-09", "2012-09-14", False),  # partial: could be before
        ("2012-10", "2012-09-14", True),
        ("2012-09-20", "2012-09", False),  # the month the trial started
        ("2013", "2012-12-31", True),
        ("2012", "2012-06", False),
    ],
)
def test_retrospective_partial_dates_by_first_and_last_day(
    registered: str, started: str, fires: bool
) -> None:
    rec = record(registration_date=date(registered), start_date=date(started))
    assert ("TL302" in severities(single(rec.registry, rec.id, found(rec)))) is fires


def test_retrospective_lower_bound_from_eudract_year_fires_only_when_certain() -> None:
    basis = "the year of EudraCT number 2011-003425-96 (a lower bound)"
    quiet = record("2011-003425-96", Registry.EUCTR, registration_date=date("2011"))
    quiet = quiet.model_copy(update={"registration_basis": basis, "start_date": date("2011-06")})
    assert "TL302" not in severities(single(Registry.EUCTR, quiet.id, found(quiet)))
    certain = quiet.model_copy(update={"start_date": date("2010-03")})
    [finding] = single(Registry.EUCTR, certain.id, found(certain)).findings
    assert "registered in 2011 at the earliest" in finding.message


# TL303: a warning at most; a transition counts as a cross-reference.
def test_cross_registration_is_never_an_error() -> None:
    a, b = mention(line=11), mention("NCT01234567", Registry.CTGOV, line=12)
    outcomes = {
        (a.registry, a.id): found(record()),
        (b.registry, b.id): found(record("NCT01234567", Registry.CTGOV)),
    }
    result = run(PublicationEvidence(publication(), report(), [a, b], outcomes))
    assert severities(result) == {"TL303": Severity.WARNING}


# TL304: info, naming the publication the registry already lists.
def completed(**extra: object) -> RegistryRecord:
    values: dict[str, object] = {
        "overall_status": "COMPLETED",
        "completion_date": date("2022-03-31", True),
        "has_results": False,
    }
    values.update(extra)
    return record("NCT01234567", Registry.CTGOV, **values)


def test_results_not_posted_names_the_listed_paper() -> None:
    rec = completed(references=[RecordReference(pmid="12345", kind="RESULT")])
    result = single(Registry.CTGOV, rec.id, found(rec))
    [finding] = result.findings
    assert finding.severity is Severity.INFO
    assert "it lists this paper, PMID 12345, but no summary results" in finding.message


def test_results_not_posted_names_results_publications() -> None:
    rec = completed(references=[RecordReference(pmid="999", kind="RESULT")])
    [finding] = single(Registry.CTGOV, rec.id, found(rec)).findings
    assert "it lists results publications PMID 999" in finding.message


def test_results_not_posted_silent_when_either_register_has_results() -> None:
    rec = completed(has_results=True, transitioned_to=EU_CT)
    assert "TL304" not in severities(single(Registry.CTGOV, rec.id, found(rec)))


def test_mismatch_against_another_trial_cited_never_fires() -> None:
    m = mention(role=Role.OTHER)
    rec = record(public_title="Something else entirely", acronym=None)
    ev = PublicationEvidence(
        publication(),
        report(),
        [m],
        {(m.registry, m.id): found(rec)},
        {(m.registry, m.id): MatchScore(score=0.0, verdict=Verdict.MISMATCH)},
    )
    assert "TL301" not in severities(run(ev))
