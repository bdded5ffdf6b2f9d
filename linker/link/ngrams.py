"""Character n-gram similarity of two titles: TF-IDF cosine over the 3- to 5-letter pieces of
their content words.

Word equality misses what a reader sees at once: a word inside a longer one
("neuroblastoma" in "ganglioneuroblastoma", "retinal" in "epiretinal"), a code name built from
the drug's name ("Oxabact" for *Oxalobacter*), a German or misspelt form ("Lymphadenektomie").
Pieces are weighted by how rare they are among registry titles, so that shared endings such as
"-ation" count for little and a shared drug stem for much.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from linker.link.text import content_words

SHORTEST = 3
LONGEST = 5


def pieces(text: str) -> Counter[str]:
    """The 3- to 5-letter pieces of the text's content words, each word padded by spaces so
    that its start and end count as pieces of their own."""
    found: Counter[str] = Counter()
    for word in set(content_words(text)):
        padded = f" {word} "
        for size in range(SHORTEST, LONGEST + 1):
            found.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return found


def _weighted(text: str, idf: Mapping[str, float], unseen: float) -> dict[str, float]:
    weights = {piece: count * idf.get(piece, unseen) for piece, count in pieces(text).items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {piece: w / norm for piece, w in weights.items()} if norm else {}


def cosine(first: str, second: str, idf: Mapping[str, float], unseen: float) -> float:
    """TF-IDF cosine in [0, 1] of the two texts' pieces; ``unseen`` is the weight of a piece
    the table has not counted."""
    a, b = _weighted(first, idf, unseen), _weighted(second, idf, unseen)
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, sum(w * b.get(piece, 0.0) for piece, w in a.items()))


__all__ = ["cosine", "pieces"]
