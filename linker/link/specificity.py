"""How specific a title word (or a piece of one) is: rare words (a drug, a device, a gene)
identify a trial, common ones ("cancer", "pain") do not.

Specificity is an inverse document frequency over registry titles, scaled to [0, 1]. The shipped
tables count the content words (``title_words.json``) and their 3- to 5-letter pieces
(``title_pieces.json``, see :mod:`linker.link.ngrams`) of the 3,790 ClinicalTrials.gov and DRKS
titles in IntoValue (``bench/accuracy_link.py --write-frequencies``); a word or piece they have
not seen counts as fully specific.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from linker.link.ngrams import cosine, pieces
from linker.link.text import content_words

TABLE = Path(__file__).with_name("title_words.json")
PIECES_TABLE = Path(__file__).with_name("title_pieces.json")


@dataclass(frozen=True)
class WordFrequencies:
    """Document counts of content words (or of other units of a title) over ``documents``
    titles."""

    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def specificity(self, word: str) -> float:
        if self.documents == 0:
            return 1.0
        count = self.counts.get(word, 0)
        return math.log((self.documents + 1) / (count + 1)) / math.log(self.documents + 1)

    @cached_property
    def weights(self) -> dict[str, float]:
        """The specificity of every counted unit (an unseen one weighs 1.0)."""
        return {unit: self.specificity(unit) for unit in self.counts}

    @classmethod
    def of_titles(
        cls, titles: Iterable[str], units: Callable[[str], Iterable[str]] = content_words
    ) -> WordFrequencies:
        counts: dict[str, int] = {}
        documents = 0
        for title in titles:
            documents += 1
            for unit in set(units(title)):
                counts[unit] = counts.get(unit, 0) + 1
        return cls(documents, counts)

    def write(self, path: Path) -> None:
        kept = {w: c for w, c in sorted(self.counts.items()) if c > 1}
        path.write_text(
            json.dumps({"documents": self.documents, "counts": kept}, indent=0) + "\n",
            encoding="utf-8",
        )

    @classmethod
    def read(cls, path: Path) -> WordFrequencies:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(int(data["documents"]), {str(k): int(v) for k, v in data["counts"].items()})


@dataclass(frozen=True)
class Vocabulary:
    """The frequencies of registry title words and of their pieces."""

    words: WordFrequencies
    pieces: WordFrequencies

    @classmethod
    def of_titles(cls, titles: Iterable[str]) -> Vocabulary:
        kept = list(titles)
        return cls(WordFrequencies.of_titles(kept), WordFrequencies.of_titles(kept, pieces))

    def piece_similarity(self, first: str, second: str) -> float:
        """TF-IDF cosine of the two texts' word pieces (:func:`linker.link.ngrams.cosine`)."""
        return cosine(first, second, self.pieces.weights, 1.0)

    def write(self, words: Path = TABLE, pieces_table: Path = PIECES_TABLE) -> None:
        """Write the word and piece tables (by default the shipped ones)."""
        self.words.write(words)
        self.pieces.write(pieces_table)


@cache
def shipped() -> WordFrequencies:
    return WordFrequencies.read(TABLE)


@cache
def shipped_vocabulary() -> Vocabulary:
    return Vocabulary(shipped(), WordFrequencies.read(PIECES_TABLE))


__all__ = ["Vocabulary", "WordFrequencies", "shipped", "shipped_vocabulary"]
