"""Word-level similarity of titles and phrases (content words only, see :mod:`.text`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from linker.link.text import content_words

# Two words count as the same when they are this similar (0-100), e.g. "antidepressant" and
# "antidepressants" or small spelling differences; short words must be equal.
WORD_SIMILARITY = 85
SHORT_WORD = 5


def _matched_weight(words: Iterable[str], pool: frozenset[str]) -> float:
    """How many of ``words`` occur in ``pool``, counting near-identical long words partly."""
    total = 0.0
    for word in words:
        if word in pool:
            total += 1.0
        elif len(word) >= SHORT_WORD and pool:
            best = process.extractOne(word, pool, scorer=fuzz.ratio, score_cutoff=WORD_SIMILARITY)
            if best is not None:
                total += best[1] / 100.0
    return total


def title_similarity(first: str, second: str) -> float:
    """Similarity of two titles in [0, 1]: the mean of the overlap coefficient and the Dice
    coefficient of their content words (fuzzy word equality), damped when only one word is
    shared."""
    a, b = frozenset(content_words(first)), frozenset(content_words(second))
    if not a or not b:
        return 0.0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    shared = _matched_weight(small, big)
    overlap = shared / len(small)
    dice = 2 * shared / (len(a) + len(b))
    return min(1.0, shared / 2) * (overlap + dice) / 2


def character_similarity(first: str, second: str) -> float:
    """Similarity in [0, 1] of the two texts' content words as strings (rapidfuzz
    ``token_set_ratio``): catches shared stems that word equality misses."""
    a, b = " ".join(content_words(first)), " ".join(content_words(second))
    if not a or not b:
        return 0.0
    return float(fuzz.token_set_ratio(a, b)) / 100.0


def coverage(phrase: str, text_words: frozenset[str]) -> float:
    """Share of ``phrase``'s content words found in ``text_words``."""
    words = frozenset(content_words(phrase))
    if not words:
        return 0.0
    return _matched_weight(words, text_words) / len(words)


def acronym_in_text(acronym: str, text: str) -> bool:
    """The acronym as a word of ``text``: case-sensitive when it is written in capitals."""
    acronym = acronym.strip()
    if not acronym:
        return False
    flags = 0 if acronym.upper() == acronym else re.IGNORECASE
    return re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", text, flags) is not None


def named_phrases(phrases: Sequence[str], text_words: frozenset[str]) -> list[str]:
    """The phrases most of whose content words occur in the text."""
    return [p for p in phrases if content_words(p) and coverage(p, text_words) >= 0.6]


__all__ = [
    "acronym_in_text",
    "character_similarity",
    "coverage",
    "named_phrases",
    "title_similarity",
]
