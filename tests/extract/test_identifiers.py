from __future__ import annotations

import itertools

import pytest

from linker.extract.identifiers import (
    canonical_id,
    find_identifiers,
    parse_identifier,
)
from linker.models import Registry

R = Registry


@pytest.mark.parametrize(
    ("text", "registry", "canonical"),
    [
        ("NCT 01506986", R.CTGOV, "NCT01506986"),
        ("NCT#01506986", R.CTGOV, "NCT01506986"),
        ("nct01506986", R.CTGOV, "NCT01506986"),
        ("nCt01208194", R.CTGOV, "NCT01208194"),
        ("clinicaltrials.govidentifier,\ufffdNCT01818115", R.CTGOV, "NCT01818115"),
        ("at ClinicalTrials.govNCT01818115", R.CTGOV, "NCT01818115"),
        ("ISRCTN: 10134725", R.ISRCTN, "ISRCTN10134725"),
        ("ISRCTN\n10134725", R.ISRCTN, "ISRCTN10134725"),
        ("NCT0150-\n6986", R.CTGOV, "NCT01506986"),
        ("ISRCTN, number 48489393", R.ISRCTN, "ISRCTN48489393"),
        ("International Standard Randomised Controlled Trial, number 99959692", R.ISRCTN,
         "ISRCTN99959692"),
        ("ISRCTN registry no. 12345678", R.ISRCTN, "ISRCTN12345678"),
        ("EudraCT 2011\u2013003425\u201396-GB", R.EUCTR, "2011-003425-96"),
        ("2010-024264-18-3RD", R.EUCTR, "2010-024264-18"),
        ("2020-001934-37-ES", R.EUCTR, "2020-001934-37"),
        ("European Union Drug Regulating Authorities Clinical Trials 2011-003425-96", R.EUCTR,
         "2011-003425-96"),
        ("EudraCT No. 2004-002714-11", R.EUCTR, "2004-002714-11"),
        ("(EudraCT no.\n2004 \u2013 003892 \u2013 35).", R.EUCTR, "2004-003892-35"),
        ("EudraCT 2004 - 003892 - 35", R.EUCTR, "2004-003892-35"),
        ("EudraCT number: 2004 -003892- 35", R.EUCTR, "2004-003892-35"),
        ("EU CT no. 2022 - 500244 - 37-00", R.CTIS, "2022-500244-37-00"),
        ("Eudra-CT2006-005792-17", R.EUCTR, "2006-005792-17"),
        ("EUDRACT2005-005362-36", R.EUCTR, "2005-005362-36"),
        ("euctr2020-001808-42", R.EUCTR, "2020-001808-42"),
        ("2011-\n003425-96", R.EUCTR, "2011-003425-96"),
        ("2023-503456-12-00", R.CTIS, "2023-503456-12-00"),
        ("EU CT number 2022-500244-37-00", R.CTIS, "2022-500244-37-00"),
        ("2023-508143-51", R.CTIS, "2023-508143-51"),
        ("ACTRN12610000660088", R.ANZCTR, "ACTRN12610000660088"),
        ("ANZCTR 12610000660088", R.ANZCTR, "ACTRN12610000660088"),
        ("ChiCTR-TRC-12345678", R.CHICTR, "ChiCTR-TRC-12345678"),
        ("ChiCTR2000029308", R.CHICTR, "ChiCTR2000029308"),
        ("CTRI/2020/05/025114", R.CTRI, "CTRI/2020/05/025114"),
        ("CTRI/2010/091/000584", R.CTRI, "CTRI/2010/091/000584"),
        ("DRKS00005115", R.DRKS, "DRKS00005115"),
        ("DRKS00_007_697", R.DRKS, "DRKS00007697"),
        ("German Clinical Trials Register 00005115", R.DRKS, "DRKS00005115"),
        ("jRCTs031180001", R.JRCT, "jRCTs031180001"),
        ("jRCT2031190071", R.JRCT, "jRCT2031190071"),
        ("JapicCTI-121234", R.JRCT, "JapicCTI-121234"),
        ("JMA-IIA00123", R.JRCT, "JMA-IIA00123"),
        ("UMIN000012345", R.UMIN, "UMIN000012345"),
        ("JPRN-UMIN000012345", R.UMIN, "UMIN000012345"),
        ("previously (UMIN:000000562,", R.UMIN, "UMIN000000562"),
        ("UMIN Clinical Trials Registry C000000013", R.UMIN, "UMIN000000013"),
        ("University Hospital Medical Information Network 000024317", R.UMIN, "UMIN000024317"),
        ("KCT0001234", R.CRIS, "KCT0001234"),
        ("PACTR202406532417953", R.PACTR, "PACTR202406532417953"),
        ("PACTR 2010020001429343", R.PACTR, "PACTR2010020001429343"),
        ("IRCT2016080318745N10", R.IRCT, "IRCT2016080318745N10"),
        ("IRCT20181201041815N1", R.IRCT, "IRCT20181201041815N1"),
        ("IRCT138804302118N1", R.IRCT, "IRCT138804302118N1"),
        ("NTR1234", R.NL, "NTR1234"),
        ("Dutch Trial Register NTR-2051", R.NL, "NTR2051"),
        ("Netherlands Trial Register number NTR1605.", R.NL, "NTR1605"),
        ("Nederlands Trial Register (NTR) 1658", R.NL, "NTR1658"),
        ("NL9229 (Netherlands Trial Register)", R.NL, "NL9229"),
        ("NL-OMON12345", R.NL, "NL-OMON12345"),
        ("RBR-7ymhtn", R.REBEC, "RBR-7ymhtn"),
        ("RBR-6qvdftm", R.REBEC, "RBR-6qvdftm"),
        ("SLCTR/2020/012", R.SLCTR, "SLCTR/2020/012"),
        ("TCTR20200101001", R.TCTR, "TCTR20200101001"),
        ("PER-106-20", R.REPEC, "PER-106-20"),
        ("LBCTR2019100123", R.LBCTR, "LBCTR2019100123"),
        ("ITMCTR2023000123", R.ITMCTR, "ITMCTR2023000123"),
        ("U1111\u20131119\u20135851", R.UTN, "U1111-1119-5851"),
        ("UTN: U1111-1119-5851", R.UTN, "U1111-1119-5851"),
    ],
)  # fmt: skip
def test_recognised_and_canonical(text: str, registry: Registry, canonical: str) -> None:
    found = find_identifiers(text)
    assert [(f.registry, f.id, f.valid_format) for f in found] == [(registry, canonical, True)]


@pytest.mark.parametrize(
    ("text", "canonical", "problem"),
    [
        ("ISCRTN06180958", "ISRCTN06180958", "misspelled prefix"),
        ("ISRCT No 05534585", "ISRCTN05534585", "misspelled prefix"),
        ("IRSCTNO9193542", "ISRCTN09193542", "letter O typed for digit 0"),
        ("NCT2927821", "NCT02927821", "leading zero missing"),
    ],
)
def test_typos_are_read_with_a_note(text: str, canonical: str, problem: str) -> None:
    (found,) = find_identifiers(text)
    assert found.id == canonical
    assert found.valid_format
    assert found.problem is not None and problem in found.problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("NCT00000000", "placeholder"),
        ("ISRCTN00000000", "placeholder"),
        ("NCT0150698", "expected 8 digits"),
        ("ISRCTN 1013472", "expected 8 digits"),
        ("ClinicalTrials.gov: NCT0061850", "expected 8 digits"),
        ("IRCT20181201041815N", "N, 1-3 digits"),
        ("UMIN00000356", "expected 9 digits"),
        ("EudraCT 2011-00342-96", "YYYY-NNNNNN-NN"),
    ],
)
def test_malformed_with_registry_named_is_reported(text: str, problem: str) -> None:
    (found,) = find_identifiers(text)
    assert not found.valid_format
    assert found.problem is not None and problem in found.problem


@pytest.mark.parametrize(
    "text",
    [
        "SNCT01234567",
        "VNL11",
        "NIHR132931",
        "award number NIHR132931 and project 09/55/52",
        "grant 201603250060",
        "200400600800",
        "201201801201",
        "2011003425 96",
        "NL63 coronavirus",
        "NL 111",
        "nL6118",
        "nl11",
        "NL26560.042.09",
        "NL9229",
        "ZINC000052955",
        "C000003927 (drug)",
        "per 100 000",
        "per 100,00",
        "per842 (82",
        "per41515",
        "6721",
        "the neurotensin receptor NTR1",
        "PACTR201205000384379 is not EudraCT",
        "function 12 control 2011 restriction",
        "1990-2030 and 2011-2012",
    ],
)
def test_not_identifiers(text: str) -> None:
    assert [f for f in find_identifiers(text) if f.registry is not Registry.PACTR] == []


def test_spans_point_into_the_original_text() -> None:
    text = "Registered: NCT\u00a00150-\n6986; EudraCT 2011\u2013003425\u201396-GB."
    found = find_identifiers(text)
    assert [f.raw for f in found] == ["NCT\u00a00150-\n6986", "EudraCT 2011\u2013003425\u201396-GB"]
    for f in found:
        assert text[f.start : f.end] == f.raw


def test_sorted_and_not_overlapping() -> None:
    text = "ISRCTN10134725; NCT01506986, 2011-003425-96 and NCT04285021"
    found = find_identifiers(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert len(found) == 4


@pytest.mark.parametrize(
    ("typed", "registry", "canonical"),
    [
        ("nct01506986", R.CTGOV, "NCT01506986"),
        ("2011-003425-96", R.EUCTR, "2011-003425-96"),
        ("ISRCTN 10134725", R.ISRCTN, "ISRCTN10134725"),
        ("  NL9229 ", R.NL, "NL9229"),
        ("C000001234", R.UMIN, "UMIN000001234"),
        ("2022-500244-37-00", R.CTIS, "2022-500244-37-00"),
    ],
)
def test_parse_identifier(typed: str, registry: Registry, canonical: str) -> None:
    found = parse_identifier(typed)
    assert found is not None
    assert (found.registry, found.id) == (registry, canonical)


def test_parse_identifier_nothing() -> None:
    assert parse_identifier("hello") is None


@pytest.mark.parametrize(
    ("registry", "raw", "canonical"),
    [
        (R.DRKS, "00003934", "DRKS00003934"),
        (R.EUCTR, "EUDRACT2005-005362-36", "2005-005362-36"),
        (R.EUCTR, "2012-000108-13-DE", "2012-000108-13"),
        (R.CTGOV, "NCT01506986", "NCT01506986"),
        (R.CTGOV, "01506986", "NCT01506986"),
        (R.ISRCTN, "10134725", "ISRCTN10134725"),
        (R.NL, "NTR1912", "NTR1912"),
        (R.CTGOV, "10.6084/m9.figshare.123", None),
        (R.CTGOV, "NCT00000000", None),
    ],
)
def test_canonical_id(registry: Registry, raw: str, canonical: str | None) -> None:
    assert canonical_id(registry, raw) == canonical


@pytest.mark.parametrize(
    "text",
    [
        # Spaced dashes with no registry named: no mention, and certainly no malformed one.
        "2004 \u2013 003892 \u2013 35",
        "Trial registration: 2004 - 003892 - 35",
        # A registry name followed by an unrelated number.
        "registered in the ISRCTN registry in 2004",
        "registered in the ISRCTN registry (2004)",
        "EudraCT 2004",
        "ANZCTR 2010",
        "ChiCTR, 2019",
        "NCT 83.7% vs. NET 52.9%",
        "NCT 12345.5",
        "DATE OF REGISTRATION: EudraCT: 19 December 2013.",
        "EudraCT: 2013-12-19",
        "EudraCT: 19/12/2013",
        "EudraCT Identifier: 2014-A00681-46",
        "EudraCT number 2004 - 003892",
        "German Clinical Trials Register 20190512",
        "NCT" + "1" * 40,
    ],
)
def test_unrelated_number_after_registry_name_is_no_malformed_id(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("EudraCT number 2004-003892", "2004-003892"),
        ("NCT0150698 - the trial", "NCT0150698"),
        ("ISRCTN: 1234567, registered", "ISRCTN1234567"),
        ("ACTRN012607000357459", "ACTRN012607000357459"),
    ],
)
def test_attempted_identifier_stays_malformed(text: str, identifier: str) -> None:
    (found,) = find_identifiers(text)
    assert (found.id, found.valid_format) == (identifier, False)


def test_typed_short_number_is_still_malformed() -> None:
    """A user typing an id means it as one: no doubt to give the benefit of."""
    found = parse_identifier("NCT 2004")
    assert found is not None
    assert (found.id, found.valid_format) == ("NCT2004", False)


# Issue 7 section 5: cases real exports produce, each with the real text it came from.
@pytest.mark.parametrize(
    ("text", "registry", "canonical"),
    [
        # Web of Science fuses the heading "Trial registration" to the text (wos_public_health).
        (
            "...living in nursing homes.Trial registrationNCT03827499; Date of registration",
            Registry.CTGOV,
            "NCT03827499",
        ),
        (
            "corporate peer-workers.Trial registrationACTRN12618001701213. Registered",
            Registry.ANZCTR,
            "ACTRN12618001701213",
        ),
        (
            "suppl_4/cky260/5187184.Trial registrationISRCTN16271504, retrospectively",
            Registry.ISRCTN,
            "ISRCTN16271504",
        ),
        (
            "to such interventions.Trial registrationDRKS00011424 (German",
            Registry.DRKS,
            "DRKS00011424",
        ),
        (
            "health education via WeChat.Trial registrationChiCTR1900020736. Registered",
            Registry.CHICTR,
            "ChiCTR1900020736",
        ),
        ("TRIAL REGISTRATIONNCT03827499", Registry.CTGOV, "NCT03827499"),
        # STARRR registration statements.
        ("EudraCT No: 2014_000599_24.", Registry.EUCTR, "2014-000599-24"),
        ("registered at ClinicalTrials.gov number 00795964", Registry.CTGOV, "NCT00795964"),
        (
            "The trial was registered with the German Clinical Trials Register (www.DRKS.de), "
            "DKRS00007634.",
            Registry.DRKS,
            "DRKS00007634",
        ),
        # Evidence Inference: the registry named, the number on the next line.
        (
            "TRIAL REGISTRATION: UMIN Clinical Trials Registry\n000012012.",
            Registry.UMIN,
            "UMIN000012012",
        ),
    ],
)
def test_cases_real_exports_produce(text: str, registry: Registry, canonical: str) -> None:
    (found,) = find_identifiers(text)
    assert (found.registry, found.id, found.valid_format) == (registry, canonical, True)
    assert text[found.start : found.end] == found.raw


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("EudraCT No: 2014_000599_24.", "underscores"),
        ("registered at ClinicalTrials.gov number 00795964", "NCT prefix missing"),
        ("German Clinical Trials Register (www.DRKS.de), DKRS00007634.", "misspelled prefix"),
    ],
)
def test_recorded_misspellings_carry_a_note(text: str, problem: str) -> None:
    (found,) = find_identifiers(text)
    assert found.problem is not None and problem in found.problem


@pytest.mark.parametrize(
    "text",
    [
        "SNCT03827499",
        "deregistrationsNCT03827499",
        "registered at ClinicalTrials.gov (grant 12345678)",
        "registered at ClinicalTrials.gov; ethics approval 20190512",
    ],
)
def test_glued_and_bare_forms_keep_their_guards(text: str) -> None:
    assert find_identifiers(text) == []


@pytest.mark.parametrize("before", ["İstanbul University. ", "Ankara (\u212aelvin). ", ""])
def test_a_bare_number_counts_after_a_capitalised_name_whatever_else_the_text_holds(
    before: str,
) -> None:
    # An İ changes the length of the text lower-cased, so the locator reads the text itself;
    # the registry's name must still be found in its lower case.
    text = before + "Registered in the German Clinical Trials Register 00005115."
    assert [found.id for found in find_identifiers(text)] == ["DRKS00005115"]
