"""The gated evaluation of the trial-report model decides exactly as the bare model."""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterator
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import shared_path

from linker.extract import trial_engine, trial_report, trial_terms
from linker.extract.trial_engine import CASE_FOLD_EXCEPTIONS, GatedPattern, required_literals
from linker.models import TrialReport

SAMPLE_EVERY = 25


@pytest.fixture
def ungated() -> Iterator[None]:
    trial_engine.set_enabled(False)
    yield
    trial_engine.set_enabled(True)


@cache
def real_records() -> list[tuple[str, str, tuple[str, ...]]]:
    path = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % SAMPLE_EVERY == 0:
                record = json.loads(line)
                types = tuple(record.get("publication_types") or ())
                records.append((record.get("title") or "", record.get("abstract") or "", types))
    return records


@cache
def bare_model_reports() -> list[TrialReport]:
    trial_engine.set_enabled(False)
    try:
        return [trial_report.classify_text(*record) for record in real_records()]
    finally:
        trial_engine.set_enabled(True)


def test_real_abstracts_same_decisions_and_evidence(scan_backend: str) -> None:
    expected = bare_model_reports()
    assert [trial_report.classify_text(*record) for record in real_records()] == expected
    assert len(expected) > 400


def test_the_model_patterns_are_gated() -> None:
    assert all(isinstance(p, GatedPattern) for p in trial_terms.POSITIVE.values())
    assert isinstance(trial_terms.SECONDARY, GatedPattern)
    assert all(isinstance(p, GatedPattern) for _, p, _ in trial_report._CUE_PATTERNS)


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


WORDS = st.sampled_from(
    [
        "randomised", "Randomized", "trial", "TRIALS", "placebo", "RCT", "rcts", " ", ". ",
        "\n", "phase II", "double-blind", "mice", "cohort", "we searched", "MEDLINE", "were",
        "randomly", "assigned", "to", "the", "future", "studies", "10 mg", "\u017f", "\u212a",
        "\u0130", "é", "data from the", "ABC", "Trial", "(", ")", ":", "Methods:", "protocol",
    ]
)  # fmt: skip


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORDS, max_size=30).map("".join), st.lists(WORDS, max_size=6).map("".join))
def test_built_texts_same_as_bare_model(scan_backend: str, abstract: str, title: str) -> None:
    gated = trial_report.classify_text(title, abstract)
    trial_engine.set_enabled(False)
    try:
        assert gated == trial_report.classify_text(title, abstract)
    finally:
        trial_engine.set_enabled(True)
