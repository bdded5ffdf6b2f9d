"""How a paper reads for an absence from EUCTR (phase 1 in adults is not published there),
on short strings and on real abstracts that cite EudraCT numbers."""

from __future__ import annotations

import gzip
import json
from functools import cache

import pytest
from support import shared_path

from linker.extract.identifiers import find_identifiers
from linker.extract.trial_phase import PhaseReading, phases_named, read_phase
from linker.models import Mention, Publication, Registry
from linker.registries.interface import Outcome, OutcomeKind
from linker.results import Severity
from linker.rules.eu_register import not_public_hit


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("a phase I/II study", {1, 2}),
        ("phase 2b trial", {2}),
        ("Phase III", {3}),
        ("the maintenance phase of treatment", set()),
        ("phase IV, controlled, crossover", {4}),
    ],
)
def test_phases_named(text: str, names: set[int]) -> None:
    assert phases_named(text) == names


@cache
def _abstracts() -> dict[str, str]:
    path = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    texts = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts[record["uid"]] = f"{record.get('title') or ''}\n{record.get('abstract') or ''}"
    return texts


REAL = [
    # "A Randomised, Placebo-Controlled, First-In-Human Study of a ... Peptide Vaccine"
    ("evidence_inference:PMC3775760", PhaseReading.ADULT_PHASE1),
    # HIV-1 gp140 vaccine routes in women: a phase 1 trial
    ("evidence_inference:PMC4861263", PhaseReading.ADULT_PHASE1),
    # "Lidocaine Gel in Patients from 6 Months up to 8 Years": paediatric
    ("evidence_inference:PMC4677000", PhaseReading.PUBLIC),
    # "A phase III randomised, double-blind, parallel-group study comparing SB4 ..."
    ("evidence_inference:PMC5264222", PhaseReading.PUBLIC),
    # a phase 2 study whose abstract also names children: not clear enough for an error
    ("evidence_inference:PMC4311411", PhaseReading.UNCLEAR),
]


@pytest.mark.parametrize(("uid", "reading"), REAL, ids=[uid for uid, _ in REAL])
def test_real_abstracts_citing_eudract_numbers(uid: str, reading: PhaseReading) -> None:
    text = _abstracts()[uid]
    assert read_phase(text).reading is reading
    # the EudraCT number the paper cites, absent from EUCTR: the severity follows the reading
    [number] = {f.id for f in find_identifiers(text) if f.registry is Registry.EUCTR}
    title, _, abstract = text.partition("\n")
    paper = Publication(
        key=uid, title=title, abstract=abstract, file="x", line=1, end_line=1, ordinal=1
    )
    cited = Mention(
        publication=uid, registry=Registry.EUCTR, id=number, raw=number, file="x",
        line=1, column=1, end_line=1, end_column=15, field="abstract",
    )  # fmt: skip
    absent = Outcome(kind=OutcomeKind.NOT_PUBLIC, registry=Registry.EUCTR, requested_id=number)
    hit = not_public_hit(cited, absent, paper)
    expected = {
        PhaseReading.ADULT_PHASE1: ("TL205", None),
        PhaseReading.PUBLIC: ("TL201", Severity.ERROR),
        PhaseReading.UNCLEAR: ("TL201", Severity.WARNING),
    }[reading]
    assert (hit.code, hit.severity) == expected


@pytest.mark.parametrize(
    ("title", "abstract", "reading"),
    [
        # the next study's phase, an early design: no phase 2 trial of its own
        (
            "A dose-escalation study of ABC-123 in advanced solid tumours",
            "Adults received ABC-123 to find the recommended phase II dose.",
            PhaseReading.ADULT_PHASE1,
        ),
        # a phase named in the background is another trial's
        (
            "Pharmacokinetics of ABC-123 in moderate hepatic impairment",
            "ABC-123 improved survival in a phase III trial. We gave one dose to 12 adults.",
            PhaseReading.UNCLEAR,
        ),
        # "paediatric" names the formulation, the subjects are healthy adults
        (
            "Bioequivalence of a paediatric dispersible tablet of ABC-123",
            "Thirty-six healthy subjects took both tablets.",
            PhaseReading.UNCLEAR,
        ),
        # its own phase, in the title or in the abstract's own words
        ("A phase 3 trial of ABC-123 in asthma", "Adults were randomised.", PhaseReading.PUBLIC),
        (
            "ABC-123 in asthma",
            "In this randomised, double-blind phase III trial, adults received ABC-123.",
            PhaseReading.PUBLIC,
        ),
        ("ABC-123 in asthma", "DESIGN: Phase 3, randomised.", PhaseReading.PUBLIC),
    ],
)
def test_a_public_phase_must_be_the_papers_own(
    title: str, abstract: str, reading: PhaseReading
) -> None:
    """An EUCTR absence is an error only for a paper that is clearly a phase 2-4 (or
    paediatric) trial itself: a review found errors from a background trial's phase, a
    "recommended phase II dose" and a paediatric formulation tested in healthy adults."""
    assert read_phase(f"{title}\n{abstract}", title).reading is reading
