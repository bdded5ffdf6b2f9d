"""A pattern tried only where its leading literals stand finds exactly what ``finditer`` finds:
the role cues on the real abstracts and on texts built from cue fragments, per backend."""

from __future__ import annotations

import gzip
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import shared_path

from linker.extract.match_starts import StartGated, leading_literals
from linker.extract.roles import _CUES, _CUES_AT_THEIR_WORDS


def spans(matches: object) -> list[tuple[tuple[int, int], str | None]]:
    return [(m.span(), m.lastgroup) for m in matches]  # type: ignore[attr-defined]


def test_real_abstracts(scan_backend: str) -> None:
    path = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number % 8:
                continue
            record = json.loads(line)
            for text in (record.get("title") or "", record.get("abstract") or ""):
                assert spans(_CUES_AT_THEIR_WORDS.finditer(text)) == spans(_CUES.finditer(text))


FRAGMENTS = st.sampled_from(
    [
        "registered ", "registration", " no", ".", ":", " as ", "is ", "was a ", "this ", "the ",
        "study", "trial", " (", "previous", "ly", "post-hoc", "sub-study of", "follow-up of the",
        "data from", "identifier", "ClinicalTrials.gov number", "REGISTRATION", "reg", "x",
        " ", "\n", "é", "\u00a0", "\u212a", "\u017f", "İ", "\u0131", "NCT01234567", "our ",
        "Registry no", "trial number", "awaiting the results", "lead-in", "s",
    ]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(FRAGMENTS, max_size=16).map("".join))
def test_fragment_texts(scan_backend: str, text: str) -> None:
    assert spans(_CUES_AT_THEIR_WORDS.finditer(text)) == spans(_CUES.finditer(text))


def test_leading_literals() -> None:
    pattern = re.compile(r"\b(?:this|our) (?:\w+ )?study|registered (?:as|with)|post[- ]hoc", re.I)
    assert leading_literals(pattern) == {
        "this ", "our ", "registered as", "registered with", "post"
    }  # fmt: skip
    assert leading_literals(re.compile(r"[a-z]+|x")) is None  # a class first: unknown
    assert leading_literals(re.compile(r"a|")) is None  # an empty match
    unknown = StartGated(re.compile(r"\w+"))
    assert [m.group() for m in unknown.finditer("two words")] == ["two", "words"]
