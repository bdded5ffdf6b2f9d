"""How well does a registry record fit a paper? A score in [0, 1], a verdict, and the evidence.

The score is a logistic model over everything both sides hold (:mod:`linker.link.features`):
title similarity (word level, character level and rare word pieces, :mod:`linker.link.ngrams`),
shared distinctive words and abbreviations, a
shared medical field, the abstract's coverage of the record's titles, the record's acronym,
conditions, interventions and sponsor named in the paper, its enrolment against the paper's
sample size, and a publication year before the trial's start. A missing field adds nothing.
The weights of the title evidence and the thresholds were fitted on the IntoValue tune half
(``bench/accuracy_link.py --print-weights``); IntoValue holds no abstracts, acronyms,
conditions, interventions, sponsors or enrolments, so those weights are set by hand (marked
below) and only ever add evidence for a match.

A record that lists the paper (PMID or DOI) is a certain match. A ``mismatch`` is
``conclusive`` - an error-level registry-mismatch - only when the pair shares no specific term
(:mod:`linker.link.evidence`, :mod:`linker.link.domains`) and the titles are unlike both word
by word (under ``LOW_TITLE``) and piece by piece (under ``MatchThresholds.low_pieces``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from linker.link.evidence import cites_paper
from linker.link.features import Evidence, Features, gather
from linker.link.similarity import acronym_in_text, coverage, title_similarity
from linker.models import Publication
from linker.registries.interface import RegistryRecord
from linker.results import MatchScore, Verdict

_FEATURE_NAMES = tuple(field.name for field in fields(Features))

# Above this title similarity a mismatch is never conclusive, whatever else is missing.
LOW_TITLE = 0.2


@dataclass(frozen=True)
class MatchThresholds:
    """``score >= match`` is a match, ``score >= weak`` weak, anything lower a mismatch; a
    mismatch can be conclusive only when the titles' piece similarity
    (:mod:`linker.link.ngrams`) is under ``low_pieces``."""

    # Fitted on the IntoValue tune half of seed 1, titles only (bench/accuracy_link.py):
    # low_pieces makes 82 % of the tune half's random swapped pairs errors.
    match: float = 0.490
    weak: float = 0.072
    low_pieces: float = 0.051

    def __post_init__(self) -> None:
        if not 0.0 <= self.weak <= self.match <= 1.0 or not 0.0 <= self.low_pieces <= 1.0:
            raise ValueError(
                f"match thresholds need 0 <= weak <= match <= 1 and 0 <= low_pieces <= 1, got "
                f"weak={self.weak}, match={self.match}, low_pieces={self.low_pieces}"
            )

    def verdict(self, score: float) -> Verdict:
        if score >= self.match:
            return Verdict.MATCH
        if score >= self.weak:
            return Verdict.WEAK
        return Verdict.MISMATCH


DEFAULT = MatchThresholds()


@dataclass(frozen=True)
class Weights:
    """Logistic weights, one per :class:`Features` field, and the intercept."""

    # Fitted on the IntoValue tune half of seed 1: titles only, and (published_before_start)
    # with the trials' start dates and publication years (bench/accuracy_link.py
    # --print-weights [--evidence registry]).
    intercept: float = -4.02
    title: float = 3.26
    characters: float = 0.48
    pieces: float = 6.45
    shared_words: float = 1.18
    abbreviation: float = 2.35
    medical_field: float = 0.53
    published_before_start: float = -1.3
    # Set by hand (IntoValue holds none of these): each is strong, specific evidence for a match.
    abstract: float = 4.0
    acronym: float = 3.0
    conditions: float = 1.5
    interventions: float = 2.0
    sponsor: float = 0.7
    enrolment: float = 1.0

    def logit(self, features: Features) -> float:
        total = self.intercept
        for name in _FEATURE_NAMES:  # in field order, as the sum always was
            value = getattr(features, name)
            if value is not None:
                total += getattr(self, name) * value
        return total


SHIPPED = Weights()
FITTED_FEATURES: tuple[str, ...] = (
    "title",
    "characters",
    "pieces",
    "shared_words",
    "abbreviation",
    "medical_field",
    "published_before_start",
)


def probability(features: Features, weights: Weights = SHIPPED) -> float:
    logit = weights.logit(features)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def _mismatch_evidence(
    evidence: Evidence, record: RegistryRecord, thresholds: MatchThresholds
) -> tuple[bool, str]:
    """Whether a mismatch is conclusive (an error), and what says so. Not where a registry
    gap could explain it: a record without a title has nothing to compare."""
    if not (record.public_title or record.scientific_title):
        return False, "not conclusive: the record has no title to compare"
    if evidence.features.enrolment is not None and evidence.features.enrolment >= 0.5:
        return False, "not conclusive: the enrolment agrees with the paper's"
    terms = evidence.specific_terms
    if terms:
        shown = ", ".join(repr(t) for t in terms[:5])
        return False, f"not conclusive: paper and record share {shown}"
    if evidence.title_score >= LOW_TITLE:
        return False, f"not conclusive: title similarity {evidence.title_score:.2f}"
    if evidence.features.pieces >= thresholds.low_pieces:
        return False, (
            f"not conclusive: the titles are partly alike (word pieces "
            f"{evidence.features.pieces:.2f})"
        )
    return True, (
        "conclusive: no shared acronym, intervention, condition, abbreviation, field or "
        f"distinctive word, title similarity {evidence.title_score:.2f}, the record does not "
        "cite the paper"
    )


def score_match(
    publication: Publication,
    record: RegistryRecord,
    thresholds: MatchThresholds = DEFAULT,
    weights: Weights = SHIPPED,
) -> MatchScore:
    """Score how well ``record`` describes ``publication``."""
    cited = cites_paper(record, publication)
    if cited is not None:
        return MatchScore(
            score=1.0, verdict=Verdict.MATCH, evidence=[f"the registry lists this paper ({cited})"]
        )
    evidence = gather(publication, record)
    score = round(probability(evidence.features, weights), 3)
    verdict = thresholds.verdict(score)
    said = list(evidence.said)
    conclusive = None
    if verdict is Verdict.MISMATCH:
        conclusive, why = _mismatch_evidence(evidence, record, thresholds)
        said.append(why)
    return MatchScore(score=score, verdict=verdict, conclusive=conclusive, evidence=said)


__all__ = [
    "DEFAULT",
    "FITTED_FEATURES",
    "SHIPPED",
    "MatchThresholds",
    "Weights",
    "acronym_in_text",
    "coverage",
    "probability",
    "score_match",
    "title_similarity",
]
