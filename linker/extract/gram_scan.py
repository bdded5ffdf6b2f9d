"""The word model's weighted n-grams found by one Hyperscan scan of a text's spaced tokens.

:class:`GramScan` answers ``model.contributions(title, abstract)`` without building a single
bigram in Python: the title and the abstract (its section labels removed, as ``ngrams`` does)
are written as :func:`~linker.extract.word_tokens.spaced_tokens`, and each weighted gram is a
plain literal over them, so Hyperscan's literal matcher finds every one present in one pass:

- a word ``w``: ``" w "``; two words: ``" a b "`` (tokens stand between single spaces, and the
  title and the abstract are joined by a ``|`` (:func:`~linker.extract.word_tokens.spaced_pair`)
  or a line break, which no literal holds);
- a number is one ``0`` or more: ``"0"`` alone; ``"0 w "`` and ``" w 0"`` beside a word;
- ``0 0`` (two numbers in a row, which the spacing cannot tell) is asked of
  :func:`~linker.extract.word_tokens.numbers_adjacent` where the spaced tokens show two zeros.

Each literal's id is its gram's rank (largest effect first, as ``weigh`` sorts), so the grams
come out in ``contributions``' order by sorting the ids. Built from the model's weights at first
use (the engine keeps one per model object).
"""

from __future__ import annotations

import re
from typing import Any

from linker.extract import trial_ngrams
from linker.extract.fast_text import without_labels
from linker.extract.trial_ngrams import NgramModel
from linker.extract.word_tokens import (
    NUMBER_PAIR,
    TOKEN_SOURCE,
    numbers_adjacent_lowered,
    spaced_lowered,
    spaced_pair,
)

_WORD = r"(?:0|[a-z][a-z'-]*[a-z]|[a-z])"
# One or two words, each a number or what the tokenizer takes for a word.
_GRAM = re.compile(f"{_WORD}(?: {_WORD})?")


class _Escapes(dict[int, str]):
    """``str.translate``'s table for :func:`_hex`, filled as characters come."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        escaped = self[code] = char if char.isalnum() else f"\\x{code:02x}"
        return escaped


_ESCAPES = _Escapes()


def _hex(text: str) -> str:
    """A literal in Hyperscan's syntax: letters as themselves, anything else escaped."""
    return text.translate(_ESCAPES)


def gram_literal(gram: str) -> str | None:
    """The literal that finds ``gram`` in spaced tokens, None when the tokenizer can never
    give it (or for ``0 0``, answered apart)."""
    if _GRAM.fullmatch(gram) is None or gram == NUMBER_PAIR:
        return None
    words = gram.split(" ")
    if len(words) == 1:
        return "0" if gram == "0" else f" {gram} "
    first, second = words
    return ("0" if first == "0" else f" {first}") + " " + ("0" if second == "0" else f"{second} ")


class GramScan:
    """``model.contributions(title, abstract)`` by one literal scan (see the module)."""

    def __init__(self, model: NgramModel, ranked: list[tuple[str, float]]) -> None:
        from linker.extract.pattern_set import hyperscan_database

        self.model = model
        self._ranked = ranked
        literals = {rank: gram_literal(gram) for rank, (gram, _) in enumerate(ranked)}
        sources = {rank: _hex(text) for rank, text in literals.items() if text is not None}
        self._database: Any = hyperscan_database(sources, single_match=True)
        ranks = [rank for rank, (gram, _) in enumerate(ranked) if gram == NUMBER_PAIR]
        self._number_pair = ranks[0] if ranks else None

    @staticmethod
    def exact_for(model: NgramModel) -> bool:
        """Whether the tokenizer is still the one :mod:`word_tokens` was written for."""
        del model
        return trial_ngrams._TOKEN.pattern == TOKEN_SOURCE

    def contributions(
        self, title: str, abstract: str, labels: list[re.Match[str]]
    ) -> list[tuple[str, float]]:
        """The weighted n-grams, given the abstract's word labels (``fast_text.word_labels``)."""
        title, body = title.lower(), without_labels(abstract, labels).lower()
        spaced = spaced_pair(title, body)
        if spaced is None:
            spaced = spaced_lowered(title) + b"\n" + spaced_lowered(body)
        found: list[int] = []
        if self._database is not None:
            self._database.scan(spaced, match_event_handler=_collect, context=found)
        pair = self._number_pair
        # Two numbers in a row in a part show as " 0 0 " in its spaced tokens.
        if (
            pair is not None
            and b" 0 0 " in spaced
            and (numbers_adjacent_lowered(title) or numbers_adjacent_lowered(body))
        ):
            found.append(pair)
        found.sort()
        return list(map(self._ranked.__getitem__, found))


def _collect(rank: int, _start: int, _end: int, _flags: int, found: list[int]) -> None:
    found.append(rank)
