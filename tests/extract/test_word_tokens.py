"""The spaced tokens and the literal n-gram scan give exactly the word model's n-grams."""

from __future__ import annotations

from functools import cache
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linker.extract import fast_text
from linker.extract.gram_scan import GramScan, gram_literal
from linker.extract.scan import available_backends
from linker.extract.trial_ngrams import _TOKEN, NgramModel, ngrams
from linker.extract.word_tokens import (
    _EDGE_END,
    _EDGE_START,
    TOKEN_SOURCE,
    numbers_adjacent,
    spaced_lowered,
    spaced_pair,
    spaced_tokens,
)

# Every kind of character the tokenizer tells apart, and those that change under lower().
PIECES = st.sampled_from(
    [
        "a", "b", "Z", "trial", "'", "-", ".", "0", "12", "3.5", " ", ",", ";", "\n", "\t",
        "_", "\u0663", "\u00e9", "\u0130", "\u212a", "\u00b5", "\u2013", "\x00", "\u00a0",
        "\u03a3", "ss", "--", "'s", "1.2.3", "double-blind",
    ]
)  # fmt: skip


def plain_grams(part: str) -> set[str]:
    return ngrams(part, "")


def spaced_grams(part: str) -> set[str]:
    words = spaced_tokens(part).decode().split()
    grams = set(words) | {f"{a} {b}" for a, b in pairwise(words)}
    grams.discard("0 0")
    return grams | ({"0 0"} if numbers_adjacent(part) else set())


def test_the_tokenizer_is_the_one_written_for() -> None:
    assert _TOKEN.pattern == TOKEN_SOURCE


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=16).map("".join))
def test_spaced_tokens_give_the_plain_grams(part: str) -> None:
    assert spaced_grams(part) == plain_grams(part)


@pytest.mark.parametrize(
    "part",
    ["", "x", "covid-19's", "-trial-", "a'-b", "ab--", "1.2", "1.2.3", "1..2", "p<0.05", "12-14"],
)
def test_spaced_tokens_on_edges(part: str) -> None:
    assert spaced_grams(part) == plain_grams(part)


def test_a_gram_the_tokenizer_cannot_give_has_no_literal() -> None:
    assert gram_literal("a b c") is None
    assert gram_literal("x1") is None
    assert gram_literal("0 0") is None  # answered by numbers_adjacent
    assert gram_literal("0 mg") == "0 mg "
    assert gram_literal("dose 0") == " dose 0"


needs_hyperscan = pytest.mark.skipif(
    "hyperscan" not in available_backends(), reason="hyperscan not installed"
)


GRAMS = [
    "a", "b", "z", "s", "ss", "trial", "0", "a b", "b a", "trial 0", "0 trial", "0 0", "0 a",
    "a 0", "double-blind", "double", "blind", "double blind", "s s", "trial trial", "a'-b",
    "covid-19's", "x1", "a b c",
]  # fmt: skip
MODEL = NgramModel(
    bias=0.0,
    phrase_weight=1.0,
    threshold=0.0,
    weights={gram: (index % 7 - 3) / 4 for index, gram in enumerate(GRAMS)},
)


@cache
def gram_scan() -> GramScan:
    return GramScan(MODEL, fast_text.FastWords(MODEL).ranked)


@needs_hyperscan
@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join), st.lists(PIECES, max_size=8).map("".join))
def test_the_scan_gives_the_contributions(abstract: str, title: str) -> None:
    labels = fast_text.word_labels(abstract, fast_text.section_labels(abstract))
    got = gram_scan().contributions(title, abstract, labels)
    assert got == MODEL.contributions(title, abstract)


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, max_size=16).map("".join), st.lists(PIECES, max_size=16).map("".join))
def test_two_parts_spaced_in_one_string(first: str, second: str) -> None:
    first, second = first.lower(), second.lower()
    joined = spaced_pair(first, second)
    if "\x00" in first + second:
        assert joined is None
        return
    tokens = [*spaced_lowered(first).split(), b"|", *spaced_lowered(second).split()]
    assert joined == b" " + b" ".join(tokens) + b" "  # no literal holds the "|"


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([" ", "a", "0", "'", "-", "ab", "--", "'-'"]), max_size=20))
def test_edge_runs_blanked_as_the_patterns_blank_them(pieces: list[str]) -> None:
    kinds = b" " + "".join(pieces).encode().replace(b"0", b" 0 ") + b" "
    by_patterns = _EDGE_START.sub(b" ", _EDGE_END.sub(b" ", kinds))
    assert spaced_lowered("".join(pieces)) == b" " + b" ".join(by_patterns.split()) + b" "
