"""Each rule fires where it should and stays silent where it should not."""

from __future__ import annotations

from datetime import date as Date

import pytest
from rules_helpers import date, found, mention, outcome, publication, record, report

from linker.models import Classification, Registry, Role
from linker.registries.interface import OutcomeKind, SecondaryId
from linker.results import MatchScore, PublicationResult, Severity, Verdict
from linker.rules.engine import PublicationEvidence, evaluate, fingerprint
from linker.rules.settings import RuleSettings, Thresholds

TODAY = Date(2025, 6, 1)


def run(evidence: PublicationEvidence, settings: RuleSettings | None = None) -> PublicationResult:
    return evaluate(evidence, settings or RuleSettings(), TODAY)


def codes(result: PublicationResult) -> list[str]:
    return [f.code for f in result.findings]


def with_record(rec_kwargs: dict[str, object] | None = None, **pub: object) -> PublicationEvidence:
    m = mention()
    rec = record(**(rec_kwargs or {}))
    return PublicationEvidence(publication(**pub), report(), [m], {(m.registry, m.id): found(rec)})


# TL101 missing-registration
ABSTRACT = "We randomised 120 adults to drug X or placebo."


def test_missing_registration_fires_for_trial_report_without_id() -> None:
    result = run(PublicationEvidence(publication(abstract=ABSTRACT), report(), []))
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.line, finding.column) == (
        "TL101",
        Severity.ERROR,
        10,
        None,
    )
    assert "cites no registration" in finding.message


def test_missing_registration_ignores_references_to_other_trials() -> None:
    other = mention(role=Role.OTHER)
    result = run(PublicationEvidence(publication(), report(), [other]))
    assert codes(result) == ["TL101"]
    assert "ISRCTN11111111 as other trials" in result.findings[0].message


def test_missing_registration_silent_with_own_id_or_not_trial() -> None:
    assert codes(run(PublicationEvidence(publication(), report(), [mention()]))) == []
    not_trial = report(Classification.NOT_TRIAL)
    assert codes(run(PublicationEvidence(publication(), not_trial, []))) == []


def test_missing_registration_secondary_analysis_names_the_trials() -> None:
    rep = report(Classification.SECONDARY_ANALYSIS, ("HOMEBP", "TASMINH4"))
    [finding] = run(PublicationEvidence(publication(), rep, [])).findings
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("secondary analysis of HOMEBP, TASMINH4: cite their")


def test_missing_registration_before_2005_is_info() -> None:
    [finding] = run(PublicationEvidence(publication(year=2003), report(), [])).findings
    assert finding.severity is Severity.INFO
    evidence = PublicationEvidence(publication(year=2005, abstract=ABSTRACT), report(), [])
    [later] = run(evidence).findings
    assert later.severity is Severity.ERROR


# TL102 malformed-id
def test_malformed_id_reports_problem_and_raw_text() -> None:
    bad = mention(
        "NCT123", Registry.CTGOV, raw="NCT 123", valid_format=False, format_problem="needs 8 digits"
    )
    [finding] = run(PublicationEvidence(publication(), report(), [bad, mention()])).findings
    assert finding.code == "TL102"
    assert "'NCT 123'" in finding.message and "needs 8 digits" in finding.message
    assert (finding.line, finding.column, finding.identifier) == (11, 5, "NCT123")


# TL201-TL204 registry outcomes
@pytest.mark.parametrize(
    ("kind", "extra", "code", "text"),
    [
        (OutcomeKind.NOT_FOUND, {}, "TL201", "has no record ISRCTN11111111"),
        (
            OutcomeKind.UNVERIFIED,
            {"reason": "timeout after 3 tries"},
            "TL203",
            "timeout after 3 tries",
        ),
        (OutcomeKind.UNSUPPORTED, {"url": "https://who.int/x"}, "TL204", "https://who.int/x"),
    ],
)
def test_outcome_rules(kind: OutcomeKind, extra: dict[str, str], code: str, text: str) -> None:
    m = mention()
    result = run(
        PublicationEvidence(
            publication(), report(), [m], {(m.registry, m.id): outcome(kind, m, **extra)}
        )
    )
    assert codes(result) == [code]
    assert text in result.findings[0].message
    assert result.identifiers[0].outcome is kind


def test_obsolete_id_is_a_ctgov_alias() -> None:
    m = mention("NCT00009113", Registry.CTGOV)
    alias = outcome(OutcomeKind.ALIAS, m, current_id="NCT00010647")
    result = run(PublicationEvidence(publication(), report(), [m], {(m.registry, m.id): alias}))
    assert codes(result) == ["TL202"]
    assert "cite the current id NCT00010647" in result.findings[0].message


def test_outcome_rules_silent_without_verification_or_when_found() -> None:
    assert codes(run(PublicationEvidence(publication(), report(), [mention()]))) == []
    assert codes(run(with_record())) == []


def test_duplicate_mentions_give_one_finding() -> None:
    first, second = mention(line=11), mention(line=14)
    out = outcome(OutcomeKind.NOT_FOUND, first)
    result = run(
        PublicationEvidence(
            publication(), report(), [first, second], {(first.registry, first.id): out}
        )
    )
    assert codes(result) == ["TL201"] and result.findings[0].line == 11
    assert len(result.identifiers) == 2


# TL301 registry-mismatch
def test_registry_mismatch_shows_both_titles_and_score() -> None:
    result = run(with_record({"public_title": "Insulin pumps in type 1 diabetes", "acronym": None}))
    [finding] = result.findings
    assert finding.code == "TL301"
    assert finding.record_title == "Insulin pumps in type 1 diabetes"
    assert finding.paper_title == publication().title
    assert "match score 0.0" in finding.message
    assert result.identifiers[0].match is not None
    assert result.identifiers[0].match.verdict is Verdict.MISMATCH


def test_registry_mismatch_silent_for_match_weak_and_other_role() -> None:
    assert codes(run(with_record())) == []
    m = mention(role=Role.OTHER)
    rec = record(public_title="Insulin pumps in type 1 diabetes", acronym=None)
    ev = PublicationEvidence(
        publication(),
        report(),
        [m, mention("NCT00000001", Registry.CTGOV)],
        {(m.registry, m.id): found(rec)},
    )
    assert "TL301" not in codes(run(ev))


def test_weak_match_gives_no_finding_unless_configured() -> None:
    m = mention()
    weak = MatchScore(score=0.15, verdict=Verdict.WEAK)
    ev = PublicationEvidence(
        publication(),
        report(),
        [m],
        {(m.registry, m.id): found(record())},
        {(m.registry, m.id): weak},
    )
    assert codes(run(ev)) == []
    flagged = run(ev, RuleSettings(thresholds=Thresholds(flag_weak=True)))
    assert [(f.code, f.severity) for f in flagged.findings] == [("TL301", Severity.WARNING)]


def test_inconclusive_mismatch_is_a_warning_with_both_titles() -> None:
    """A mismatch that shares a specific term (here the drug) must not reach error."""
    m = mention()
    rec = record(public_title="Bivalirudin versus heparin in TAVR", acronym=None)
    inconclusive = MatchScore(
        score=0.05,
        verdict=Verdict.MISMATCH,
        conclusive=False,
        evidence=["not conclusive: paper and record share 'bivalirudin'"],
    )
    ev = PublicationEvidence(
        publication(title="Bivalirudin in transcatheter valve replacement: BRAVO-3"),
        report(),
        [m],
        {(m.registry, m.id): found(rec)},
        {(m.registry, m.id): inconclusive},
    )
    [finding] = run(ev).findings
    assert (finding.code, finding.severity) == ("TL301", Severity.WARNING)
    assert finding.message.startswith("check that ISRCTN11111111 is this trial's registration")
    assert "'bivalirudin'" in finding.message
    assert finding.paper_title == "Bivalirudin in transcatheter valve replacement: BRAVO-3"
    assert finding.record_title == "Bivalirudin versus heparin in TAVR"
    conclusive = inconclusive.model_copy(update={"conclusive": True})
    ev.matches[(m.registry, m.id)] = conclusive
    [finding] = run(ev).findings
    assert finding.severity is Severity.ERROR


# TL302 retrospective-registration
@pytest.mark.parametrize(
    ("registered", "started", "fires"),
    [
        ("2015-03-20", "2015-01-10", True),
        ("2015-01-28", "2015-01-02", False),  # same month counts as prospective
        ("2015-01-01", "2015-03-01", False),
        ("2015-02", "2015-01-30", True),
        ("2015-01-30", "2015-01", False),
        ("2015-06-01", "2015", False),  # year-only start, same year: cannot tell
        ("2016-01-01", "2015", True),
    ],
)
def test_retrospective_registration(registered: str, started: str, fires: bool) -> None:
    result = run(with_record({"registration_date": date(registered), "start_date": date(started)}))
    assert ("TL302" in codes(result)) is fires
    if fires:
        assert registered in result.findings[0].message and started in result.findings[0].message


def test_retrospective_registration_needs_own_role_and_both_dates() -> None:
    assert codes(run(with_record({"registration_date": date("2016-01-01")}))) == []
    m = mention(role=Role.OTHER)
    rec = record(registration_date=date("2016-01-01"), start_date=date("2014-01-01"))
    ev = PublicationEvidence(
        publication(),
        report(),
        [m, mention("NCT00000001", Registry.CTGOV)],
        {(m.registry, m.id): found(rec)},
    )
    assert "TL302" not in codes(run(ev))


# TL303 unlinked-cross-registration
def cross(
    isrctn_lists: list[SecondaryId],
    nct_registry: Registry = Registry.CTGOV,
    nct_id: str = "NCT01234567",
) -> PublicationResult:
    a, b = mention(line=11), mention(nct_id, nct_registry, line=12)
    rec_a = record(secondary_ids=isrctn_lists)
    rec_b = record(nct_id, nct_registry)
    return run(
        PublicationEvidence(
            publication(),
            report(),
            [a, b],
            {(a.registry, a.id): found(rec_a), (b.registry, b.id): found(rec_b)},
        )
    )


def test_unlinked_cross_registration_fires_once_on_later_mention() -> None:
    result = cross([])
    [finding] = result.findings
    assert (finding.code, finding.line, finding.identifier) == (
        "TL303",
        12,
        "ISRCTN11111111+NCT01234567",
    )
    assert "ISRCTN11111111 and NCT01234567" in finding.message


def test_cross_registration_listed_is_silent() -> None:
    assert codes(cross([SecondaryId(id="NCT01234567", registry=Registry.CTGOV)])) == []
    listed_eudract = [SecondaryId(id="2011-003425-96-GB", kind="eudraCt")]
    assert codes(cross(listed_eudract, Registry.EUCTR, "2011-003425-96")) == []


def test_cross_registration_same_registry_or_mismatch_is_silent() -> None:
    assert "TL303" not in codes(cross([], Registry.ISRCTN, "ISRCTN33333333"))
    a, b = mention(line=11), mention("NCT01234567", Registry.CTGOV, line=12)
    other = record("NCT01234567", Registry.CTGOV, public_title="Insulin pumps", acronym=None)
    result = run(
        PublicationEvidence(
            publication(),
            report(),
            [a, b],
            {(a.registry, a.id): found(record()), (b.registry, b.id): found(other)},
        )
    )
    assert codes(result) == ["TL301"]


# TL304 results-not-posted
def test_results_not_posted_fires_after_twelve_months() -> None:
    rec = {"overall_status": "COMPLETED", "completion_date": date("2023-05"), "has_results": False}
    [finding] = run(with_record(rec)).findings
    assert (finding.code, finding.severity) == ("TL304", Severity.INFO)
    assert "2023-05" in finding.message


@pytest.mark.parametrize(
    "rec",
    [
        {
            "overall_status": "COMPLETED",
            "completion_date": date("2024-06-15"),
            "has_results": False,
        },
        {"overall_status": "RECRUITING", "completion_date": date("2020-01"), "has_results": False},
        {"overall_status": "COMPLETED", "completion_date": date("2020-01"), "has_results": True},
        {"overall_status": "COMPLETED", "completion_date": date("2020-01"), "has_results": None},
        {
            "overall_status": "COMPLETED",
            "completion_date": date("2020-01"),
            "has_results": False,
            "results_first_posted": date("2021-01"),
        },
        {
            "overall_status": "COMPLETED",
            "completion_date": date("2020-01"),
            "has_results": False,
            "study_type": "OBSERVATIONAL",
        },
    ],
)
def test_results_not_posted_silent(rec: dict[str, object]) -> None:
    assert codes(run(with_record(rec))) == []


def test_results_not_posted_actual_completion_and_configured_months() -> None:
    rec = {"completion_date": date("2024-03", actual=True), "has_results": False}
    assert codes(run(with_record(rec))) == ["TL304"]
    longer = RuleSettings(thresholds=Thresholds(results_months=24))
    assert codes(run(with_record(rec), longer)) == []


# Identifier results, severity overrides, selection, suppression, fingerprints
def test_identifier_result_carries_record_summary_and_url() -> None:
    rec = {
        "secondary_ids": [
            SecondaryId(id="NCT01234567", registry=Registry.CTGOV),
            SecondaryId(id="GRANT-1"),
        ]
    }
    [ident] = run(with_record(rec)).identifiers
    assert ident.url == "https://reg/ISRCTN11111111"
    assert ident.record is not None and ident.record.cross_registrations == ["NCT01234567"]
    assert ident.match is not None and ident.match.verdict is Verdict.MATCH


def test_severity_override_by_name_and_code() -> None:
    ev = PublicationEvidence(publication(), report(), [])
    by_name = RuleSettings(severity={"missing-registration": "warning"})
    assert run(ev, by_name).findings[0].severity is Severity.WARNING
    by_prefix = RuleSettings(severity={"TL1": "info", "TL101": "error"})
    assert run(ev, by_prefix).findings[0].severity is Severity.ERROR


def test_select_and_ignore_with_prefixes() -> None:
    m = mention(valid_format=False, format_problem="bad check digit")
    ev = PublicationEvidence(publication(), report(), [m])
    assert codes(run(ev)) == ["TL101", "TL102"]
    assert codes(run(ev, RuleSettings(select=["TL10"], ignore=["malformed-id"]))) == ["TL101"]
    assert codes(run(ev, RuleSettings(select=["TL2", "TL3"]))) == []
    assert codes(run(ev, RuleSettings(ignore=["TL1"]))) == []


def test_suppression_by_publication_with_reason() -> None:
    ev = PublicationEvidence(publication(), report(), [])
    settings = RuleSettings(
        suppressions=[
            {"publication": "12345", "rules": ["TL1"], "reason": "registered in a national list"}
        ]
    )
    assert codes(run(ev, settings)) == []
    other = RuleSettings(suppressions=[{"publication": "999", "rules": ["TL101"], "reason": "x"}])
    assert codes(run(ev, other)) == ["TL101"]


def test_fingerprint_stable_when_lines_move() -> None:
    def finding_at(line: int, key: str) -> str:
        m = mention(line=line + 1, valid_format=False)
        pub = publication(line=line, key=key)
        return run(PublicationEvidence(pub, report(), [m])).findings[1].fingerprint

    assert finding_at(10, "12345") == finding_at(200, "12345")
    no_ids = publication(pmid=None, key="pubs.txt#3")
    moved = publication(pmid=None, key="pubs.txt#9", line=99)
    assert fingerprint("TL101", no_ids, None) == fingerprint("TL101", moved, None)
    assert fingerprint("TL101", no_ids, None) != fingerprint("TL102", no_ids, None)
    assert fingerprint("TL101", no_ids, "A") != fingerprint("TL101", no_ids, "B")


def test_a_paper_that_reports_no_trial_gets_no_conclusive_mismatch_nor_retrospective() -> None:
    """A tutorial using a trial's open data cites its id without it being the paper's own
    registration: a mismatch is a warning, and no registration date is held against it."""
    m = mention()
    late = record(
        public_title="Fixed versus flexible G-CSF dosing",
        acronym=None,
        registration_date=date("2015-03-20", True),
        start_date=date("2014-01-10", True),
    )
    conclusive = MatchScore(score=0.02, verdict=Verdict.MISMATCH, conclusive=True, evidence=[])
    ev = PublicationEvidence(
        publication(title="Bayesian dynamic borrowing of historical controls: a tutorial"),
        report(Classification.NOT_TRIAL),
        [m],
        {(m.registry, m.id): found(late)},
        {(m.registry, m.id): conclusive},
    )
    assert [(f.code, f.severity) for f in run(ev).findings] == [("TL301", Severity.WARNING)]
    ev.report = report()
    assert {f.code: f.severity for f in run(ev).findings} == {
        "TL301": Severity.ERROR,
        "TL302": Severity.WARNING,
    }
