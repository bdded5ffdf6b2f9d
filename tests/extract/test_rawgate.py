"""The raw gate (:mod:`linker.extract.rawgate`) never skips a line that holds an identifier:
for JSON lines built from identifier fragments (and the near misses the tight gate looks
past: year ranges, "University Hospital", "per-protocol", a registry name without a bare
number), a line the gate passes over holds none in the text read from it, per backend."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linker.extract import identifiers
from linker.extract.rawgate import JSON_GATE, TEXT_GATE, tightened

FRAGMENTS = st.sampled_from(
    [
        "NCT", "0", "1", "2", "5", "01506986", "12345678", "ISRCTN", "2011", "1999", "2004",
        "-", "\u2013", "\u2212", "\u00ad", "\u200b", "\n", "\t", " ", "  ", "\u00a0", "\u2009",
        ".", "/", "(", ":", "\\", '"', "EudraCT", "Eudra", "Eudragit", "CT", "003425", "500123",
        "96", "University", "Hospital", "Medical", "Information", "Network", "Netherlands",
        "Nederlands", "Dutch", "Trial", "Trials", "Register", "Registry", "PER", "per",
        "protocol", "REPEC", "Australian", "international standard", "ClinicalTrials.gov",
        "DRKS", "registration", "UMIN", "C", "é", "\u212a", "İ",
    ]
)  # fmt: skip
EIGHT_DIGITS = re.compile("[0-9]{8}")


def passed_over(line: bytes, text: str) -> bool:
    """The lean reader takes ``line`` as holding no identifier (see lean_jsonl)."""
    located, named = JSON_GATE.split_hits(line + b"\n")
    return not located and not (named and EIGHT_DIGITS.search(text))


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS, max_size=14).map("".join), st.booleans())
def test_a_line_passed_over_holds_no_identifier(scan_backend: str, text: str, ascii: bool) -> None:
    line = json.dumps({"pmid": "40000001", "title": text}, ensure_ascii=ascii).encode()
    if passed_over(line, text):
        assert identifiers._find(text, require_context=True) == []


@pytest.mark.parametrize(
    "text",
    [
        "RESULTS: In 2001\u20132002 a total of 40",
        "conducted in a university medical centre",
        "Lagos University Teaching Hospital",
        "analysed per-protocol and by intention to treat",
        "in the Netherlands, the Dutch population",
        "capsules with Eudragit L30D",
        "using an Australian randomised sample of 40 patients",
    ],
)
def test_the_tight_gate_passes_over_near_misses(scan_backend: str, text: str) -> None:
    line = json.dumps({"pmid": "40000001", "title": text}, ensure_ascii=False).encode()
    assert passed_over(line, text)
    assert TEXT_GATE.hit_lines(text.encode() + b"\n")  # the loose gate still hits


@pytest.mark.parametrize(
    "text",
    [
        "EudraCT 2004-000123-45 and bare 2004\u2013500123\u201345",
        "University Hospital\\nMedical Information Network (UMIN) C000012345",
        "Netherlands\\tTrial Register NTR 1658",
        "registered PER - 123 - 45",
        "Australian New Zealand Clinical Trials Registry 12610000660088",
    ],
)
def test_the_tight_gate_hits_identifiers(scan_backend: str, text: str) -> None:
    line = json.dumps({"title": text}, ensure_ascii=False).encode().replace(b"\\\\", b"\\")
    assert not passed_over(line, json.loads(line)["title"])
    assert identifiers.find_identifiers(json.loads(line)["title"])


def test_tightened_lengthens_only_its_anchors() -> None:
    assert tightened("(?:^|[^a-z0-9]|registration)nct") == "(?:^|[^a-z0-9]|registration)nct"
    longer = tightened("(?:^|[^a-z0-9]|registration)university")
    assert longer.endswith(r"university\ (?:hospital\ )?medical\ information")
