"""A PatternSet answers exactly what Python's ``search`` answers, on every backend."""

from __future__ import annotations

import re
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linker.extract import trial_report, trial_terms
from linker.extract.literal_gate import CASE_FOLD_EXCEPTIONS, required_literals
from linker.extract.pattern_set import (
    OTHER_STAND_IN,
    SPACE_STAND_IN,
    WORD_STAND_IN,
    PatternSet,
    can_consume,
    map_lowered,
    map_text,
    translate,
)

MODEL_PATTERNS = [
    *trial_terms.MASKS.values(),
    *trial_terms.POSITIVE.values(),
    *trial_terms.NEGATIVE.values(),
    trial_terms.SECONDARY,
    trial_terms.PROTOCOL_FUTURE,
    *trial_report.NAME_PATTERNS,
]
ODD = [
    re.compile(r"(?<=a)b"),  # look-behind: a superset, Python decides where it may match
    re.compile(r"(?<!a)b"),
    re.compile(r"data (?!from\b)\w+", re.IGNORECASE),  # as trial_terms.SECONDARY's own trial
    re.compile(r"caf(?=e)"),
    re.compile(r"(?:(?!ing)\w)+s"),  # inside a repeat
    re.compile(r"\bcaf\u00e9\b", re.IGNORECASE),  # a non-ASCII literal: inexact
    re.compile(r"a_b"),  # a literal stand-in: inexact
    re.compile(r"\w+\s\d"),
    re.compile(r"x?"),  # matches the empty string
    re.compile(r"[^a-z]{3}", re.IGNORECASE),
    re.compile(r"(?i:k)elvin"),
    re.compile(r"\Bing\b"),
]


SETS = [(patterns, PatternSet(patterns)) for patterns in (MODEL_PATTERNS, ODD)]


def plain(patterns: list[re.Pattern[str]], text: str) -> set[int]:
    return {i for i, pattern in enumerate(patterns) if pattern.search(text)}


def test_translation_marks_what_python_must_decide() -> None:
    assert translate(re.compile(r"(?<=a)b")) == ("\\x62", True, True)  # the look-behind left out
    assert translate(re.compile(r"x(?!y)")) == ("\\x78", True, True)
    assert translate(re.compile(r"(?=a)")) is None  # nothing but an assertion
    assert translate(re.compile(r"^a")) is None
    assert translate(re.compile(r"\bab\b", re.IGNORECASE)) == (
        r"\b[\x41\x61][\x42\x62]\b",
        True,
        False,
    )
    translated = translate(re.compile("caf\u00e9"))
    assert translated is not None and not translated.exact
    assert all(translate(p) is not None for p in trial_terms.POSITIVE.values())


def test_stand_ins_one_byte_per_character() -> None:
    text = "caf\u00e9\u00a0\u2013 5 \u00b5g"
    mapped = map_text(text)
    assert mapped is not None and len(mapped) == len(text)
    assert mapped.decode() == f"caf{WORD_STAND_IN}{SPACE_STAND_IN}{OTHER_STAND_IN} 5 _g"
    assert map_text("\u0663") is None  # a non-ASCII digit
    assert map_text("nul\x00") is None
    assert all(map_text(char) is None for char in CASE_FOLD_EXCEPTIONS)


def test_required_literals() -> None:
    assert required_literals(re.compile(r"\b(?:effects?|impact) of\b")) == {"effect", "impact"}
    assert required_literals(re.compile(r"\bRCTs?\b|\bplacebo", re.I)) == {"rct", "placebo"}
    assert required_literals(re.compile(r"(?:a|)b")) == {"b"}
    assert required_literals(re.compile(r"x?[a-z]+")) is None
    assert required_literals(re.compile("caf\u00e9s")) == {"caf"}  # ASCII only


def test_case_fold_exceptions_are_every_non_ascii_match_of_an_ascii_letter() -> None:
    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {c for c in map(chr, range(0x80, sys.maxunicode + 1)) if letter.fullmatch(c)}
    assert found == CASE_FOLD_EXCEPTIONS


TEXT = st.text(
    alphabet=st.sampled_from(
        [*"abcktiRCTsx_ 5.:;-\n", "\u00e9", "\u00b5", "\u00a0", "\u2013", "\u017f", "\u0663"]
    ),
    max_size=40,
)
PIECES = st.sampled_from(
    ["trial", "randomised", "placebo", " ", "cafe", "caf\u00e9", "a_b", "ing", "\u212aelvin",
     "10 mg", "5 \u00b5g", "data from the ABC", "previous studies", "Methods: ", "ab", "data x",
     "patients in this trial", "cafe"]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(TEXT, PIECES), max_size=8).map("".join))
def test_present_is_python_search(scan_backend: str, text: str) -> None:
    for patterns, pattern_set in SETS:
        assert pattern_set.present(text) == plain(patterns, text)
        assert pattern_set.present_each([text, "", text[::-1]]) == [
            plain(patterns, text),
            plain(patterns, ""),
            plain(patterns, text[::-1]),
        ]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(TEXT, PIECES), max_size=8).map("".join))
def test_first_ends_never_pass_the_first_match(scan_backend: str, text: str) -> None:
    """No match of a pattern ends before the offset ``first_ends`` gives it (so its first match
    is found by searching from the start of the sentence holding that offset)."""
    for patterns, pattern_set in SETS:
        ends = pattern_set.first_ends(text)
        assert set(ends) == plain(patterns, text)
        for pattern_id, end in ends.items():
            every_end = [
                match.end()
                for start in range(len(text) + 1)
                if (match := patterns[pattern_id].match(text, start)) is not None
            ]
            assert end <= min(every_end)


def test_can_consume_looks_at_every_class_outside_look_arounds() -> None:
    assert not can_consume(re.compile(r"\btrials?\b", re.IGNORECASE), ".")
    assert not can_consume(re.compile(r"a(?=\.)b(?<!\.)"), ".")
    assert can_consume(re.compile(r"vs\.?"), ".")
    assert can_consume(re.compile(r"a[^;]b"), ".")
    assert can_consume(re.compile(r"a.b"), ".")
    assert can_consume(re.compile(r"(a)\1"), ".")  # a back-reference: anything
    assert not can_consume(re.compile(r"[^.;:]{0,60}?x"), ".")


def test_lower_casing_keeps_every_stand_in() -> None:
    """``map_lowered`` relies on it: a character whose lower case is one character maps, lower
    cased, to its own stand-in lower-cased (checked over every character lower() changes; the
    others, and the stand-ins, are their own lower case)."""
    changed = [chr(code) for code in range(0x110000) if chr(code).lower() != chr(code)]
    assert len(changed) > 1000
    for char in changed:
        mapped, lowered = map_text(char), char.lower()
        if len(lowered) == 1 and mapped is not None:
            assert map_text(lowered) == mapped.lower(), hex(ord(char))


def test_map_lowered_is_the_map_of_the_lower_case() -> None:
    for text in ["Trial \u00c9T\u00c9 \u00a0\u2013 x", "\u0130stanbul", "\u212a", "ABC", ""]:
        lowered = text.lower()
        derived = map_lowered(map_text(text), text, lowered)
        assert derived is None or derived == map_text(lowered)
