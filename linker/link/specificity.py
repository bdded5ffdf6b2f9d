"""How specific a title word is: rare words (a drug, a device, a gene) identify a trial, common
ones ("cancer", "pain") do not.

Specificity is an inverse document frequency over registry titles, scaled to [0, 1]. The shipped
table (``title_words.json``) counts the content words of the 3,790 ClinicalTrials.gov and DRKS
titles in IntoValue (``bench/accuracy_link.py --write-frequencies``); a word it has not seen
counts as fully specific.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from linker.link.text import content_words

TABLE = Path(__file__).with_name("title_words.json")


@dataclass(frozen=True)
class WordFrequencies:
    """Document counts of content words over ``documents`` titles."""

    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def specificity(self, word: str) -> float:
        if self.documents == 0:
            return 1.0
        count = self.counts.get(word, 0)
        return math.log((self.documents + 1) / (count + 1)) / math.log(self.documents + 1)

    @classmethod
    def of_titles(cls, titles: Iterable[str]) -> WordFrequencies:
        counts: dict[str, int] = {}
        documents = 0
        for title in titles:
            documents += 1
            for word in set(content_words(title)):
                counts[word] = counts.get(word, 0) + 1
        return cls(documents, counts)

    def write(self, path: Path) -> None:
        kept = {w: c for w, c in sorted(self.counts.items()) if c > 1}
        path.write_text(
            json.dumps({"documents": self.documents, "counts": kept}, indent=0) + "\n",
            encoding="utf-8",
        )


@cache
def shipped() -> WordFrequencies:
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    return WordFrequencies(
        int(data["documents"]), {str(k): int(v) for k, v in data["counts"].items()}
    )


__all__ = ["WordFrequencies", "shipped"]
