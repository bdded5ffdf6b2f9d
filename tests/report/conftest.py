"""A hand-built :class:`RunResult` that exercises every reporter path.

Two input files, five publications, listed out of order on purpose (reporters must sort):
a trial report whose own NCT record matches (plus an info finding), one with a malformed and a
not-found identifier, a secondary analysis missing its registration (downgraded to a warning),
one whose identifier could not be verified (timeout), and a non-trial paper with no findings.
Titles and file names carry ``| < & , ü`` to exercise escaping.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from linker.models import Classification, Registry, Role
from linker.registries.interface import OutcomeKind, PartialDate
from linker.results import (
    AcceptedBy,
    Finding,
    IdentifierResult,
    MatchScore,
    PublicationResult,
    RecordSummary,
    RegistryMode,
    RegistryUse,
    RunResult,
    RunSettings,
    Severity,
    SuppressedFinding,
    Verdict,
)

FILE_A = "lists/publications.txt"
FILE_B = "refs/second list, v2.ris"
ESCAPING_TITLE = "Drug X | placebo in <65-year-olds & older, Zürich: a randomised trial"


def _matching_trial() -> PublicationResult:
    record = RecordSummary(
        registry=Registry.CTGOV,
        id="NCT01506986",
        url="https://clinicaltrials.gov/study/NCT01506986",
        title="Drug X Versus Placebo in Older Adults (ZURICH-X)",
        acronym="ZURICH-X",
        sponsor="University of Zürich",
        overall_status="COMPLETED",
        registration_date=PartialDate(value="2012-01-05", actual=True),
        start_date=PartialDate(value="2012-02", actual=True),
        completion_date=PartialDate(value="2014-06", actual=True),
    )
    return PublicationResult(
        key="24552320",
        title=ESCAPING_TITLE,
        file=FILE_A,
        line=1,
        end_line=3,
        year=2014,
        classification=Classification.TRIAL_RESULTS,
        evidence=["title: randomised trial"],
        identifiers=[
            IdentifierResult(
                registry=Registry.CTGOV,
                id="NCT01506986",
                raw="NCT 01506986",
                file=FILE_A,
                line=2,
                column=41,
                role=Role.OWN,
                valid_format=True,
                outcome=OutcomeKind.FOUND,
                url="https://clinicaltrials.gov/study/NCT01506986",
                record=record,
                match=MatchScore(
                    score=0.92,
                    verdict=Verdict.MATCH,
                    evidence=["title similarity 0.88", "acronym ZURICH-X in abstract"],
                ),
            )
        ],
        findings=[
            Finding(
                code="TL304",
                name="results-not-posted",
                severity=Severity.INFO,
                message="NCT01506986 completed in 2014-06 and shows no results on the registry.",
                publication="24552320",
                file=FILE_A,
                line=2,
                column=41,
                identifier="NCT01506986",
                paper_title=ESCAPING_TITLE,
                fingerprint="c0ffee0000000304",
            )
        ],
    )


def _bad_identifiers() -> PublicationResult:
    title = "Early mobilisation after hip fracture: the MOBILE randomized controlled trial"
    return PublicationResult(
        key="10.1000/mobile.2019.7",
        title=title,
        file=FILE_A,
        line=5,
        end_line=8,
        year=2019,
        classification=Classification.TRIAL_RESULTS,
        trial_names=["MOBILE"],
        identifiers=[
            IdentifierResult(
                registry=Registry.ISRCTN,
                id="ISRCTN12345678",
                raw="ISRCTN12345678",
                file=FILE_A,
                line=7,
                column=12,
                role=Role.OWN,
                valid_format=True,
                outcome=OutcomeKind.NOT_FOUND,
                url="https://www.isrctn.com/ISRCTN12345678",
            ),
            IdentifierResult(
                registry=Registry.CTGOV,
                id="NCT0150698",
                raw="NCT0150698",
                file=FILE_A,
                line=6,
                column=80,
                role=Role.OWN,
                valid_format=False,
                reason="an NCT number has 8 digits",
            ),
        ],
        findings=[
            Finding(
                code="TL201",
                name="id-not-found",
                severity=Severity.ERROR,
                message="ISRCTN answered that ISRCTN12345678 does not exist.",
                publication="10.1000/mobile.2019.7",
                file=FILE_A,
                line=7,
                column=12,
                identifier="ISRCTN12345678",
                paper_title=title,
                fingerprint="c0ffee0000000201",
            ),
            Finding(
                code="TL102",
                name="malformed-id",
                severity=Severity.ERROR,
                message='"NCT0150698" is not an NCT number: an NCT number has 8 digits.',
                publication="10.1000/mobile.2019.7",
                file=FILE_A,
                line=6,
                column=80,
                identifier="NCT0150698",
                paper_title=title,
                fingerprint="c0ffee0000000102",
            ),
        ],
    )


def _secondary_analysis() -> PublicationResult:
    title = "Blood pressure and dementia: a post hoc analysis of the ALLHAT and SPRINT trials"
    return PublicationResult(
        key="31000001",
        title=title,
        file=FILE_B,
        line=1,
        end_line=10,
        year=2021,
        classification=Classification.SECONDARY_ANALYSIS,
        evidence=["title: post hoc analysis"],
        trial_names=["ALLHAT", "SPRINT"],
        findings=[
            Finding(
                code="TL101",
                name="missing-registration",
                severity=Severity.WARNING,
                message="A secondary analysis of ALLHAT, SPRINT cites no registration of them.",
                publication="31000001",
                file=FILE_B,
                line=1,
                paper_title=title,
                fingerprint="c0ffee0000000101",
            )
        ],
        suppressed=[
            SuppressedFinding(
                code="TL303",
                name="unlinked-cross-registration",
                severity=Severity.WARNING,
                message="ISRCTN12345678 and NCT01234567 do not list each other.",
                publication="31000001",
                file=FILE_B,
                line=4,
                column=9,
                identifier="ISRCTN12345678",
                fingerprint="c0ffee0000000303",
                suppressed_by=AcceptedBy.SUPPRESSION,
                reason="Sponsor asked to add the cross-reference <2025-03>.",
                selector="31000001",
                until=date(2025, 6, 30),
            )
        ],
    )


def _unverified() -> PublicationResult:
    title = "Nurse-led follow-up in heart failure (HF-NURSE): a pragmatic trial"
    return PublicationResult(
        key="32000002",
        title=title,
        file=FILE_B,
        line=12,
        end_line=23,
        year=2022,
        classification=Classification.TRIAL_RESULTS,
        trial_names=["HF-NURSE"],
        identifiers=[
            IdentifierResult(
                registry=Registry.EUCTR,
                id="2010-023456-11",
                raw="EudraCT 2010-023456-11",
                file=FILE_B,
                line=20,
                column=7,
                role=Role.OWN,
                valid_format=True,
                outcome=OutcomeKind.UNVERIFIED,
                reason="timeout",
                url="https://www.clinicaltrialsregister.eu/ctr-search/search?query=2010-023456-11",
            )
        ],
        findings=[
            Finding(
                code="TL203",
                name="unverified-id",
                severity=Severity.WARNING,
                message="2010-023456-11 could not be checked: timeout.",
                publication="32000002",
                file=FILE_B,
                line=20,
                column=7,
                identifier="2010-023456-11",
                paper_title=title,
                fingerprint="c0ffee0000000203",
            )
        ],
        suppressed=[
            SuppressedFinding(
                code="TL304",
                name="results-not-posted",
                severity=Severity.INFO,
                message="2010-023456-11 completed 2015-01 and shows no results.",
                publication="32000002",
                file=FILE_B,
                line=20,
                column=7,
                identifier="2010-023456-11",
                fingerprint="c0ffee0000000304",
                suppressed_by=AcceptedBy.BASELINE,
                baseline="trial-linker-baseline.json",
            )
        ],
    )


def _not_a_trial() -> PublicationResult:
    return PublicationResult(
        key="33000003",
        title="Trial registration in surgery: a narrative review",
        file=FILE_B,
        line=25,
        end_line=30,
        year=2023,
        classification=Classification.NOT_TRIAL,
    )


def build_result() -> RunResult:
    """The reference run, publications deliberately out of order."""
    return RunResult(
        tool_version="0.0.0-test",
        generated_at=datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC),
        inputs=[FILE_A, FILE_B],
        publications=[
            _not_a_trial(),
            _unverified(),
            _bad_identifiers(),
            _secondary_analysis(),
            _matching_trial(),
        ],
        settings=RunSettings(
            registries=[
                RegistryUse(registry=r, mode=RegistryMode.LIVE, base_url=url, data_date=day)
                for r, url, day in (
                    (Registry.CTGOV, "https://clinicaltrials.gov/api/v2", "2025-03-13"),
                    (Registry.CTIS, "https://euclinicaltrials.eu/ctis-public-api", None),
                    (Registry.EUCTR, "https://www.clinicaltrialsregister.eu", None),
                    (Registry.ISRCTN, "https://www.isrctn.com/api", None),
                )
            ],
            today=date(2025, 3, 14),
            fail_on=Severity.WARNING,
            config_file="pyproject.toml",
            baseline="trial-linker-baseline.json",
            cache_dir=".cache/trial-linker",
            unused_suppressions=["33000009 (TL101)"],
        ),
    )


@pytest.fixture
def run_result() -> RunResult:
    return build_result()


@pytest.fixture
def empty_result() -> RunResult:
    return RunResult(
        tool_version="0.0.0-test",
        generated_at=datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC),
        inputs=[FILE_A],
        publications=[],
    )
