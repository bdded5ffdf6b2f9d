"""Specific terms that make a mismatch inconclusive: real IntoValue true pairs whose titles share
no word, and random pairs that must stay conclusive."""

from __future__ import annotations

import pytest

from linker.link.domains import fields_of
from linker.link.evidence import shared_abbreviations, shared_words


@pytest.mark.parametrize(
    ("paper", "record", "shared"),
    [
        (
            "Treatment and outcome of Ganglioneuroma and Ganglioneuroblastoma intermixed",
            "Chemotherapy in Treating Young Patients With Neuroblastoma",
            "neuroblastoma",
        ),
        (
            "Randomized trial of the effect of the glaukos trabecular microbypass stent",
            "A Study of the iStent in Combo With Cataract Surgery",
            "stent",
        ),
        (
            "Relationship of the number of removed lymph nodes to bladder cancer",
            "Eingeschränkte vs Ausgedehnte Lymphadenektomie LEA",
            "lymph",
        ),
    ],
)
def test_a_word_that_begins_or_ends_a_longer_one_is_shared(
    paper: str, record: str, shared: str
) -> None:
    assert shared in shared_words(paper, [record])


def test_a_word_inside_a_longer_one_is_not_shared() -> None:
    # "mother" in "chemotherapy", "dementia" in "debridement": neither start nor end.
    assert shared_words("Mothers of preterm infants", ["Chemotherapy for lymphoma"]) == []
    assert shared_words("Dementia care at home", ["Wound debridement"]) == []


@pytest.mark.parametrize(
    ("paper", "record", "abbreviation"),
    [
        (
            "Trimodulin in severe community-acquired pneumonia: a phase II trial",
            "Safety and Efficacy Study of BT086 to Evaluate Adjunctive Therapy in sCAP",
            "sCAP",
        ),
        (
            "Macular xanthophylls in age-related macular degeneration",
            "Lutein Supplementation on Optical Density of AMD Patients",
            "AMD",
        ),
        (
            "Endobronchial Valve Therapy in Patients with Homogeneous Emphysema",
            "Selective Implantation of the Zephyr EBV",
            "EBV",
        ),
        (
            "Anodal Transcranial Direct Current Stimulation and Memory",
            "Modulation of Visual-Spatial Learning by tDCS",
            "tDCS",
        ),
    ],
)
def test_abbreviations_spelled_out_on_the_other_side(
    paper: str, record: str, abbreviation: str
) -> None:
    assert abbreviation in shared_abbreviations(paper, record)


def test_two_letters_are_not_an_abbreviation_match() -> None:
    assert shared_abbreviations("Computed tomography of the chest", "CT in sepsis") == []


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("InductionChemo-Radio-Antibody-Treatment", "oncology"),
        ("Tissue Sparing Therapy of Female Precancerous Genital Lesions", "oncology"),
        ("Consequences of hyperthyroidism on brain structure", "metabolism"),
        ("Interdental cleaning in gingivitis patients", "dentistry"),
        ("Seraseal for Endoscopic Hemostasis", "blood"),
        ("Agilis NxT Introducer in AF Patients", "cardiovascular"),
    ],
)
def test_fields_from_compounds_prefixed_words_and_abbreviations(text: str, field: str) -> None:
    assert field in fields_of(text)
