"""How well does a registry record fit a paper? A score in [0, 1], a verdict, and the evidence.

The score starts from the best text similarity between the paper and the record's titles (the
paper's title against each record title; the paper's abstract against each record title,
discounted because a long abstract shares words with almost anything) and adds bonuses for
specific evidence: the record's acronym in the paper, its conditions and interventions named,
its sponsor named. Thresholds were tuned on real publication/registration pairs
(``bench/accuracy_link.py``, docs/accuracy.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from linker.link.evidence import cites_paper, shared_abbreviations, shared_words
from linker.link.text import content_words
from linker.models import Publication
from linker.registries.interface import RegistryRecord
from linker.results import MatchScore, Verdict

ABSTRACT_WEIGHT = 0.75
ACRONYM_BONUS = 0.3
CONDITION_BONUS = 0.1
INTERVENTION_BONUS = 0.15
SPONSOR_BONUS = 0.05
# Two words count as the same when they are this similar (0-100), e.g. "antidepressant" and
# "antidepressants" or small spelling differences; short words must be equal.
WORD_SIMILARITY = 85
SHORT_WORD = 5


@dataclass(frozen=True)
class MatchThresholds:
    """``score >= match`` is a match, ``score >= weak`` weak, anything lower a mismatch."""

    match: float = 0.21
    weak: float = 0.1

    def __post_init__(self) -> None:
        if not 0.0 <= self.weak <= self.match <= 1.0:
            raise ValueError(
                f"match thresholds need 0 <= weak <= match <= 1, got weak={self.weak}, "
                f"match={self.match}"
            )

    def verdict(self, score: float) -> Verdict:
        if score >= self.match:
            return Verdict.MATCH
        if score >= self.weak:
            return Verdict.WEAK
        return Verdict.MISMATCH


DEFAULT = MatchThresholds()


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


def _named(phrases: Sequence[str], text_words: frozenset[str]) -> list[str]:
    """The phrases most of whose content words occur in the text."""
    return [p for p in phrases if content_words(p) and coverage(p, text_words) >= 0.6]


def _best(pairs: Iterable[tuple[float, str]]) -> tuple[float, str]:
    return max(pairs, default=(0.0, ""))


def _label(record: RegistryRecord, title: str) -> str:
    return "scientific title" if title == record.scientific_title else "public title"


def _specific_terms(
    publication: Publication, record: RegistryRecord, named: Sequence[str]
) -> list[str]:
    """The specific terms both sides share; any one of them makes a mismatch inconclusive."""
    terms = list(named)
    terms += shared_abbreviations(publication.text, " ".join(record.titles))
    terms += shared_words(publication.text, record.titles)
    return list(dict.fromkeys(terms))


def _mismatch_evidence(terms: Sequence[str], title_score: float) -> tuple[bool, str]:
    if terms:
        shown = ", ".join(repr(t) for t in terms[:5])
        return False, f"not conclusive: paper and record share {shown}"
    return True, (
        f"conclusive: no shared acronym, intervention, condition or distinctive word, title "
        f"similarity {title_score:.2f}, the record does not cite the paper"
    )


def score_match(
    publication: Publication, record: RegistryRecord, thresholds: MatchThresholds = DEFAULT
) -> MatchScore:
    """Score how well ``record`` describes ``publication``.

    A record that lists the paper (PMID or DOI) is a certain match. A ``mismatch`` is
    ``conclusive`` only when the two share no specific term (see :mod:`linker.link.evidence`).
    """
    cited = cites_paper(record, publication)
    if cited is not None:
        return MatchScore(
            score=1.0, verdict=Verdict.MATCH, evidence=[f"the registry lists this paper ({cited})"]
        )
    evidence: list[str] = []
    named_terms: list[str] = []
    titles = record.titles
    title_score, title_of = _best(
        (title_similarity(publication.title, t), t) for t in titles if publication.title
    )
    if title_of:
        evidence.append(f"title similarity {title_score:.2f} ({_label(record, title_of)})")
    text_words = frozenset(content_words(publication.text))
    abstract_words = frozenset(content_words(publication.abstract))
    abstract_score, abstract_of = _best(
        (ABSTRACT_WEIGHT * coverage(t, abstract_words), t) for t in titles if abstract_words
    )
    if abstract_of and abstract_score > 0:
        evidence.append(
            f"abstract covers {abstract_score / ABSTRACT_WEIGHT:.0%} of the "
            f"{_label(record, abstract_of)}"
        )
    if not titles:
        evidence.append("record has no title")
    score = max(title_score, abstract_score)

    if record.acronym:
        if acronym_in_text(record.acronym, publication.text):
            score += ACRONYM_BONUS
            named_terms.append(record.acronym)
            evidence.append(f"acronym {record.acronym} in paper")
        else:
            evidence.append(f"acronym {record.acronym} not in paper")
    for label, phrases, bonus in (
        ("conditions", record.conditions, CONDITION_BONUS),
        ("interventions", record.interventions, INTERVENTION_BONUS),
    ):
        usable = [p for p in phrases if content_words(p)]
        if usable:
            named = _named(usable, text_words)
            named_terms += named
            score += bonus * len(named) / len(usable)
            evidence.append(f"{label}: {len(named)} of {len(usable)} in paper")
    if record.sponsor:
        sponsor_words = content_words(record.sponsor)
        if sponsor_words and " ".join(sponsor_words) in " ".join(content_words(publication.text)):
            score += SPONSOR_BONUS
            evidence.append(f"sponsor {record.sponsor} named")
        else:
            evidence.append(f"sponsor {record.sponsor} not named")

    score = round(min(1.0, max(0.0, score)), 3)
    verdict = thresholds.verdict(score)
    conclusive = None
    if verdict is Verdict.MISMATCH:
        terms = _specific_terms(publication, record, named_terms)
        conclusive, said = _mismatch_evidence(terms, title_score)
        evidence.append(said)
    return MatchScore(score=score, verdict=verdict, conclusive=conclusive, evidence=evidence)


__all__ = [
    "DEFAULT",
    "MatchThresholds",
    "acronym_in_text",
    "coverage",
    "score_match",
    "title_similarity",
]
