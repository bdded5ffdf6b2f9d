"""The multi-pattern prefilter never changes a result: every backend finds exactly what the
reference search finds, on real abstracts and on texts built from identifier fragments."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import shared_path

from linker.extract import identifiers, scan
from linker.extract.normalize import normalize
from linker.extract.patterns import BARE_NAMES, LOCATOR, locator_any_case
from linker.extract.prefilter import (
    Candidates,
    candidate_starts,
    candidates_in,
    gate_patterns,
    reads_lowered,
    scan_candidates,
    split_alternatives,
    without_lookaround,
)
from linker.extract.scan import compile_scanner, portable

SAMPLE_EVERY = 16  # 1 record in 16 of the real abstracts keeps this test near a second


def reference(text: str) -> list[identifiers.Found]:
    return identifiers._find(text, require_context=True)


@cache
def cached_reference(text: str) -> list[identifiers.Found]:
    return reference(text)


@cache
def real_texts() -> list[str]:
    path = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    texts: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            record = json.loads(line)
            if number % SAMPLE_EVERY == 0 or "NCT" in line or "ISRCTN" in line:
                texts += [record.get("title") or "", record.get("abstract") or ""]
    return texts


def test_real_abstracts_same_as_reference(scan_backend: str) -> None:
    texts = real_texts()
    differing = [t[:80] for t in texts if identifiers.find_identifiers(t) != cached_reference(t)]
    assert differing == []
    assert sum(1 for t in texts if cached_reference(t)) > 300  # the sample holds real identifiers


DIGIT_RUNS = st.sampled_from(["12345678", "0123456789012", "12610000123456", "\u00e9", "K"])
FRAGMENTS = st.sampled_from(
    [
        "NCT", "nct", "0", "1", "2", "5", "9", "01506986", "ISRCTN", "IS", "RCTN", "2011",
        "-", "\u2013", "\u00ad", "\u200b", "\n", " ", "\u00a0", ".", "/", "_", "(", ":",
        "EudraCT", "EU CT", "CTIS", "003425", "96", "DRKS", "000", "ACTRN", "126", "ChiCTR",
        "CTRI/", "UMIN", "C", "NL", "NTR", "OMON", "Dutch Trial Register", "jRCT", "KCT",
        "PACTR", "IRCT", "RBR-", "PER-", "REPEC", "U1111", "registration", "gov",
        "University Medical Information Network", "German Clinical Trials Register",
        "Australian", "ClinicalTrials.gov", "DKRS", "\u212a", "\u0130", "é", "trial",
    ]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS, max_size=14).map("".join))
def test_fragment_texts_same_as_reference(scan_backend: str, text: str) -> None:
    assert identifiers.find_identifiers(text) == reference(text)


def test_gate_patterns_have_no_lookaround_and_compile_everywhere(scan_backend: str) -> None:
    patterns = gate_patterns()
    assert not any("(?<" in p or "(?=" in p or "(?!" in p for p in patterns)
    scanner = compile_scanner(patterns)
    assert scanner.any(b"see NCT01506986")
    assert not scanner.any(b"renal function was distinct")


def test_rewrites() -> None:
    assert without_lookaround(r"n(?<![a-z0-9].)ct") == r"(?:^|[^a-z0-9])nct"
    assert without_lookaround(r"n(?:(?<![a-z0-9].)|(?<=gov.))ct") == r"(?:^|[^a-z0-9]|gov)nct"
    glued = r"n(?:(?<![a-z0-9].)|(?<=gov.)|(?<=registration.))ct"
    assert without_lookaround(glued) == r"(?:^|[^a-z0-9]|gov|registration)nct"
    assert without_lookaround(r"c(?=\d{9})") == r"c(?:\d{9})"
    assert without_lookaround(r"a(?<=x(?:y))b(?!c)") == "ab"  # dropped: a superset
    assert split_alternatives(r"a|(b|c)|[|]|\||d") == ["a", "(b|c)", "[|]", r"\|", "d"]


def test_a_bracket_first_in_a_class_is_a_member_for_both_walks() -> None:
    # ``[])]`` is the class of "]" and ")": neither closes the lookbehind nor the group.
    assert without_lookaround(r"a(?<![])]x)b") == "ab"
    assert without_lookaround(r"a(?<![^])]x)b") == "ab"
    assert split_alternatives(r"[]|]|x|([^]|)])") == ["[]|]", "x", "([^]|)])"]
    assert portable(r"a\s[\s-]\d") == r"a[\t\n\x0b\f\r ][\t\n\x0b\f\r -]\d"


def test_candidates(scan_backend: str) -> None:
    if scan_backend == "re":
        assert candidate_starts("NCT01506986") is None  # the locator runs itself
        return
    assert candidate_starts("no identifier here") == []
    starts = candidate_starts("see NCT01506986")
    assert starts is not None and 4 in starts
    assert candidate_starts("İ NCT01506986") is None  # lower-casing changes the length


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS | DIGIT_RUNS, max_size=14).map("".join))
def test_the_scan_says_where_names_and_digits_are_as_the_reference_looks(
    scan_backend: str, text: str
) -> None:
    scanned = scan_candidates(text)
    if scanned is not None:  # the scan stands in for the substring test of the lowered text
        norm = normalize(text).text
        assert scanned.named == any(name in normalize(text).lowered for name in BARE_NAMES)
        runs = [start for start in range(len(norm)) if re.match("[0-9]{8}", norm[start:])]
        assert scanned.eight_digits == runs
        assert identifiers.find_identifiers(text) == reference(text)


def test_grouped_spans_every_backend(scan_backend: str) -> None:
    scanner = compile_scanner(["nct[0-9]+", "isrctn", "australian", "[0-9]{3}"])
    groups = scanner.grouped_spans(b"NCT012 and nct34 Australian", (1, 3))
    assert {start for start, _ in groups[0]} >= {0, 11} and groups[1] and groups[2] == [(3, 6)]
    assert scanner.grouped_spans(b"nothing", (1, 3)) == [[], [], []]
    assert scanner.grouped_spans(b"only ISRCTN", (1, 3)) == [[], [(5, 11)], []]
    assert sorted(scanner.grouped_spans(b"x 1234", (1, 3))[2]) == [(2, 5), (3, 6)]


def test_backend_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scan.ENVIRONMENT_VARIABLE, "re")
    assert scan._default_backend() == "re"
    monkeypatch.setenv(scan.ENVIRONMENT_VARIABLE, "grep")
    with pytest.raises(ValueError, match="expected one of"):
        scan._default_backend()
    with pytest.raises(ValueError, match="not installed"):
        scan.use_backend("nothing")


DIGIT_FRAGMENTS = st.sampled_from(
    ["1", "12", "0123", "45678", "12345678", "1261000066008", "-", ".", ",", "/", "_", "a", " "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(DIGIT_FRAGMENTS, max_size=12).map("".join))
def test_bare_numbers_are_tried_where_eight_digits_start(text: str) -> None:
    expected = [m.span() for m in identifiers.BARE_NUMBER.finditer(text)]
    assert [m.span() for m in identifiers._bare_number_matches(text)] == expected


# Letters whose lower case is another non-ASCII letter, some of another UTF-8 length (Ω, Ⱥ,
# ẞ), beside the two whose lower case is ASCII or two characters (K, İ) and letters that are
# their own lower case.
CASED = st.sampled_from(["\u00c9", "\u00e9", "\u2126", "\u023a", "\u1e9e", "\u03a3", "\u00b5",
                         "\u017f", "\u0131", "\u212a", "\u0130", "\u00c4"])  # fmt: skip


def located_either_way(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The locator's hits in the normalised ``text`` lower-cased and, ignoring case, as it is."""
    norm = normalize(text).text
    lowered = norm.lower()
    return (
        [m.span() for m in LOCATOR.finditer(lowered)],
        [m.span() for m in locator_any_case().finditer(norm)],
    )


def scanned_either_way(text: str) -> list[Candidates]:
    """What the candidates' scan says of the normalised (non-ASCII) ``text`` lower-cased and
    as it is."""
    norm = normalize(text).text
    return [candidates_in(data, False) for data in (norm.lower().encode(), norm.encode())]


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS | CASED, max_size=14).map("".join))
def test_a_text_read_as_it_is_gives_the_hits_of_its_lower_case(text: str) -> None:
    """Where :func:`reads_lowered` says no (and no İ shifts the offsets), the locator ignoring
    ASCII case in the text finds what it finds in the text lower-cased."""
    norm = normalize(text).text
    if reads_lowered(norm) or "\u0130" in norm:
        return
    lowered, as_it_is = located_either_way(text)
    assert lowered == as_it_is


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS | CASED | DIGIT_RUNS, max_size=14).map("".join))
def test_the_scan_of_a_text_as_it_is_says_what_the_scan_of_its_lower_case_says(
    scan_backend: str, text: str
) -> None:
    if scan_backend == "re" or reads_lowered(normalize(text).text) or "\u0130" in text:
        return
    lowered, as_it_is = scanned_either_way(text)
    assert lowered == as_it_is


def test_real_texts_read_as_they_are_give_the_hits_of_their_lower_case(scan_backend: str) -> None:
    norms = {text: normalize(text).text for text in real_texts()}
    texts = [t for t, norm in norms.items() if not reads_lowered(norm) and "\u0130" not in norm]
    assert len(texts) > 300  # the sample's non-ASCII texts
    for text in texts:
        lowered, as_it_is = located_either_way(text)
        assert lowered == as_it_is
        if scan_backend != "re":
            lowered_scan, as_it_is_scan = scanned_either_way(text)
            assert lowered_scan == as_it_is_scan


def test_only_the_kelvin_sign_and_i_dot_lower_to_ascii_or_to_two_characters() -> None:
    """What :func:`reads_lowered` rests on, over every code point of this Python's tables."""
    odd = [
        char
        for char in map(chr, range(0x80, 0x110000))
        if len(char.lower()) != 1 or char.lower().isascii()
    ]
    assert odd == ["\u0130", "\u212a"]
