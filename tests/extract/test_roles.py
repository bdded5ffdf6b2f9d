from __future__ import annotations

import pytest

from linker.extract.roles import classify_role, sentence_around
from linker.models import Role


def _role(text: str, identifier: str, occurrence: int = 0) -> Role:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(identifier, start + 1)
    return classify_role(text, start, start + len(identifier))


@pytest.mark.parametrize(
    ("text", "identifier", "role"),
    [
        ("Trial registration: ISRCTN10134725.", "ISRCTN10134725", Role.OWN),
        ("TRIAL REGISTRATION: NCT01506986", "NCT01506986", Role.OWN),
        ("This trial is registered as ISRCTN10134725.", "ISRCTN10134725", Role.OWN),
        ("The study was prospectively registered on ClinicalTrials.gov, NCT04285021.",
         "NCT04285021", Role.OWN),
        ("Registration: NCT01506986.", "NCT01506986", Role.OWN),
        ("Unique identifiers: NCT04273854 and NCT05434195.", "NCT05434195", Role.OWN),
        ("ClinicalTrials.gov identifier: NCT01506986.", "NCT01506986", Role.OWN),
        ("We used data from the ASPREE trial (NCT01038583).", "NCT01038583", Role.OTHER),
        ("Patients had completed a previous trial (NCT01038583).", "NCT01038583", Role.OTHER),
        ("This is an open-label extension of NCT01038583.", "NCT01038583", Role.OTHER),
        ("Eligible patients entered an extension study (ClinicalTrials.gov identifier: "
         "NCT01093326).", "NCT01093326", Role.OTHER),
        ("Outcomes were pooled across NCT01038583 and NCT01038584.", "NCT01038584", Role.OTHER),
        ("Patients from the parent trial (NCT01038583) were invited.", "NCT01038583", Role.OTHER),
        ("The HEAT trial was a randomised placebo-controlled trial (EudraCT 2011-003425-96).",
         "2011-003425-96", Role.OWN),
        ("We await the results of two larger trials (NCT01172808 and NCT01172821).",
         "NCT01172808", Role.UNKNOWN),
    ],
)  # fmt: skip
def test_classify_role(text: str, identifier: str, role: Role) -> None:
    assert _role(text, identifier) == role


def test_one_statement_two_own_ids() -> None:
    text = (
        "Trial registration: Workstream 4 (feasibility trial) is registered as International "
        "Standardised Randomised Controlled Trial Number ISRCTN15036829 and Workstream 5 "
        "(definitive trial of effectiveness and cost-effectiveness) is registered as "
        "ISRCTN12417565."
    )
    assert _role(text, "ISRCTN15036829") == Role.OWN
    assert _role(text, "ISRCTN12417565") == Role.OWN


def test_own_after_other_in_one_sentence() -> None:
    text = "Unlike the parent trial (NCT01038583), this trial was registered as NCT02038583."
    assert _role(text, "NCT01038583") == Role.OTHER
    assert _role(text, "NCT02038583") == Role.OWN


def test_sentence_around_respects_abbreviations_and_lines() -> None:
    text = (
        "METHODS: We randomised 40 patients. Reg. no. NCT01506986 e.g. here. Next one.\n"
        "TRIAL REGISTRATION: ISRCTN10134725."
    )
    start = text.index("NCT01506986")
    assert sentence_around(text, start, start + 11) == "Reg. no. NCT01506986 e.g. here."
    start = text.index("ISRCTN")
    assert sentence_around(text, start, start + 14) == "TRIAL REGISTRATION: ISRCTN10134725."
