"""The evidence one (paper, registry record) pair holds, as numbers, with missing fields kept
missing.

Each feature is a number where 0 means "no evidence either way" (so a missing field adds
nothing to the score), or None when one side lacks the field. Registry records differ in what
they carry (ISRCTN has no acronym field, many DRKS records have no English scientific title),
and so do papers (a title without an abstract): the model must weigh only what is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linker.link.domains import fields_of
from linker.link.evidence import shared_abbreviations, shared_words
from linker.link.sample_size import agrees, sample_size
from linker.link.similarity import (
    acronym_in_text,
    character_similarity,
    coverage,
    named_phrases,
    title_similarity,
)
from linker.link.specificity import Vocabulary, shipped_vocabulary
from linker.link.text import content_words
from linker.models import Publication
from linker.registries.interface import RegistryRecord, acronym_name

# A paper published this many years before the trial started cannot report it.
YEARS_BEFORE_START = 2
# Shared words count by specificity up to this sum (two rare words, or several common ones).
MAX_SHARED_SPECIFICITY = 2.0


@dataclass(frozen=True)
class Features:
    title: float = 0.0
    characters: float = 0.0
    pieces: float = 0.0
    shared_words: float = 0.0
    abbreviation: float = 0.0
    medical_field: float = 0.0
    abstract: float | None = None
    acronym: float | None = None
    conditions: float | None = None
    interventions: float | None = None
    sponsor: float | None = None
    enrolment: float | None = None
    published_before_start: float | None = None


@dataclass
class Evidence:
    """The features, what they rest on in words, and the specific terms both sides share."""

    features: Features
    said: list[str] = field(default_factory=list)
    specific_terms: list[str] = field(default_factory=list)
    title_score: float = 0.0


def _label(record: RegistryRecord, title: str) -> str:
    return "scientific title" if title == record.scientific_title else "public title"


def _best(pairs: list[tuple[float, str]]) -> tuple[float, str]:
    return max(pairs, default=(0.0, ""))


def _phrases(
    label: str, phrases: list[str], text_words: frozenset[str], evidence: Evidence
) -> float | None:
    usable = [p for p in phrases if content_words(p)]
    if not usable:
        return None
    named = named_phrases(usable, text_words)
    evidence.specific_terms += named
    evidence.said.append(f"{label}: {len(named)} of {len(usable)} in paper")
    return len(named) / len(usable)


def _sponsor(record: RegistryRecord, paper_words: str, evidence: Evidence) -> float | None:
    names = [n for n in (record.sponsor, *record.collaborators) if n and content_words(n)]
    if not names:
        return None
    named = [n for n in names if " ".join(content_words(n)) in paper_words]
    if named:
        evidence.said.append(f"sponsor {named[0]} named")
        return 1.0
    evidence.said.append(f"sponsor {names[0]} not named")
    return 0.0


def _dates(publication: Publication, record: RegistryRecord, evidence: Evidence) -> float | None:
    if publication.year is None or record.start_date is None:
        return None
    started = record.start_date.first_day().year
    if publication.year <= started - YEARS_BEFORE_START:
        evidence.said.append(f"paper ({publication.year}) published before the trial started")
        return 1.0
    return 0.0


def _enrolment(
    publication: Publication, record: RegistryRecord, evidence: Evidence
) -> float | None:
    if record.enrollment is None or record.enrollment.count <= 0 or not publication.abstract:
        return None
    reported = sample_size(publication.abstract)
    if reported is None:
        return None
    if agrees(record.enrollment.count, reported):
        evidence.said.append(f"enrolment {record.enrollment.count} ~ {reported} in paper")
        return 1.0
    evidence.said.append(f"enrolment {record.enrollment.count}, {reported} in paper")
    return 0.0


def gather(
    publication: Publication, record: RegistryRecord, vocabulary: Vocabulary | None = None
) -> Evidence:
    """Everything the pair holds, for :func:`linker.link.score.score_match`."""
    vocabulary = vocabulary or shipped_vocabulary()
    evidence = Evidence(Features())
    titles = record.titles
    title_score, title_of = _best(
        [(title_similarity(publication.title, t), t) for t in titles if publication.title]
    )
    if title_of:
        evidence.said.append(f"title similarity {title_score:.2f} ({_label(record, title_of)})")
    if not titles:
        evidence.said.append("record has no title")
    characters = max(
        (character_similarity(publication.title, t) for t in titles if publication.title),
        default=0.0,
    )
    pieces = max(
        (vocabulary.piece_similarity(publication.title, t) for t in titles if publication.title),
        default=0.0,
    )
    abstract_words = frozenset(content_words(publication.abstract))
    abstract = None
    if abstract_words and titles:
        abstract, abstract_of = _best([(coverage(t, abstract_words), t) for t in titles])
        if abstract > 0:
            evidence.said.append(
                f"abstract covers {abstract:.0%} of the {_label(record, abstract_of)}"
            )
    acronym = None
    name = acronym_name(record.acronym)  # a record cached before its parser shortened it too
    if name:
        acronym = 1.0 if acronym_in_text(name, publication.text) else 0.0
        where = "in paper" if acronym else "not in paper"
        evidence.said.append(f"acronym {name} {where}")
        if acronym:
            evidence.specific_terms.append(name)
    text_words = frozenset(content_words(publication.text))
    conditions = _phrases("conditions", record.conditions, text_words, evidence)
    interventions = _phrases("interventions", record.interventions, text_words, evidence)
    sponsor = _sponsor(record, " ".join(content_words(publication.text)), evidence)
    before_start = _dates(publication, record, evidence)
    enrolment = _enrolment(publication, record, evidence)

    abbreviations = shared_abbreviations(publication.text, " ".join(titles))
    words = shared_words(publication.text, titles)
    record_text = " ".join([*titles, *record.conditions, *record.interventions])
    fields = sorted(fields_of(publication.text) & fields_of(record_text))
    evidence.specific_terms = list(
        dict.fromkeys([*evidence.specific_terms, *abbreviations, *words, *fields])
    )
    evidence.title_score = title_score
    specificity = sum(vocabulary.words.specificity(w) for w in words)
    evidence.features = Features(
        title=title_score,
        characters=characters,
        pieces=pieces,
        shared_words=min(specificity, MAX_SHARED_SPECIFICITY) / MAX_SHARED_SPECIFICITY,
        abbreviation=1.0 if abbreviations else 0.0,
        medical_field=1.0 if fields else 0.0,
        abstract=abstract,
        acronym=acronym,
        conditions=conditions,
        interventions=interventions,
        sponsor=sponsor,
        enrolment=enrolment,
        published_before_start=before_start,
    )
    return evidence


__all__ = ["Evidence", "Features", "gather"]
