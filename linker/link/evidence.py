"""Specific evidence that a paper and a registry record are about the same trial.

A registry-mismatch may only be an error when the evidence against the pair is conclusive: the
record does not cite the paper, and the two share no *specific* term - the record's acronym, a
named intervention or condition, an abbreviation that one side spells out, or a distinctive word
of the record's titles. A shared word that any two trials may share ("children", "acute",
"dose") is not specific.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from linker.link.text import STOP_WORDS, content_words, fold, word_set
from linker.models import Publication
from linker.registries.interface import RegistryRecord

# Shared by unrelated trials all the time: populations, time, degree, design and setting.
GENERIC_WORDS = word_set(
    """child children childhood infant infancy neonate neonatal newborn adolescent adolescence
    youth women woman men man male female healthy volunteer elderly older old young aged age
    year month week day daily hour dose dosing high low new novel first early late acute chronic
    severe mild moderate primary secondary tertiary care clinical clinic disease disorder
    syndrome condition intervention program programme management prevention preventive
    diagnosis diagnostic therapeutic human quality life risk factor level function response
    multiple combination combined standard additional single long short improve improvement
    impact influence role analysis observational registry cohort population health medical
    medicine hospital setting general practice community home school versus alone plus two
    three four five one total time test testing measurement measure method model approach
    protocol strategy system process program increase increased decrease reduction reduced
    reducing change changes versu trial"""
)
MIN_WORD = 4
PREFIX = 6
# A word of at least this length inside a longer one, at its start or its end, is the same
# word stem: "retinal" in "epiretinal", "marker" in "biomarker", "lymph" in "lymphadenektomie".
MIN_PART = 5
# "AMD", "EBV", and with a lower-case first letter "sCAP", "tDCS".
_ABBREVIATION = re.compile(r"\b[a-z]?[A-Z][A-Za-z]{0,2}[A-Z]{1,5}s?\b")
_COMPOUND_HYPHEN = re.compile(r"(?<=[a-z0-9])-(?=[a-z])")
# Word starts that abbreviations spell as a letter of their own: "EBV" for "endobronchial valve".
_SPELT_PREFIXES = re.compile(r"\b(endo|intra|inter|trans|sub|peri|extra)(?=[a-z]{4})")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def _distinctive(words: Iterable[str]) -> set[str]:
    return {w for w in words if len(w) >= MIN_WORD and w not in GENERIC_WORDS and not w.isdigit()}


def shared_words(paper_text: str, record_titles: Sequence[str]) -> list[str]:
    """Distinctive content words of the record's titles that the paper uses too, counting
    words with a long common start as one ("mitochondria", "mitochondrial")."""
    paper = _distinctive(content_words(paper_text))
    record = _distinctive(w for title in record_titles for w in content_words(title))
    shared = paper & record
    stems = {w[:PREFIX] for w in paper if len(w) >= PREFIX}
    shared |= {w for w in record - shared if len(w) >= PREFIX and w[:PREFIX] in stems}
    shared |= _parts_of_longer(paper - shared, record - shared)
    return sorted(shared)


def _parts_of_longer(first: set[str], second: set[str]) -> set[str]:
    """Words of either side that begin or end a longer word of the other side."""
    found = set()
    for words, others in ((first, second), (second, first)):
        for word in words:
            if len(word) >= MIN_PART and any(
                len(other) > len(word) and (other.startswith(word) or other.endswith(word))
                for other in others
            ):
                found.add(word)
    return found


def _initials(text: str, *, compounds: bool) -> str:
    """The first letters of the text's words; with ``compounds`` a hyphenated word
    ("age-related") counts as one, without them a medical prefix starts a word of its own."""
    pattern, replacement = (_COMPOUND_HYPHEN, "") if compounds else (_SPELT_PREFIXES, r"\1 ")
    words = re.findall(r"[a-z0-9]+", pattern.sub(replacement, fold(text)))
    return "".join(word[0] for word in words if len(word) > 2 and word not in STOP_WORDS)


def _expands(abbreviation: str, text: str) -> bool:
    """``abbreviation`` (``MSA``) is the initials of consecutive words of ``text``
    (``multiple system atrophy``, ``age-related macular degeneration`` for ``AMD``, ``severe
    community-acquired pneumonia`` for ``sCAP``), short function words skipped."""
    letters = abbreviation.rstrip("s").lower()
    return len(letters) >= 3 and any(
        letters in _initials(text, compounds=compounds) for compounds in (False, True)
    )


def _written(abbreviation: str, text: str) -> bool:
    return _standing_alone(abbreviation).search(text) is not None


@lru_cache(maxsize=4096)
def _standing_alone(abbreviation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w])")


def shared_abbreviations(first: str, second: str) -> list[str]:
    """Abbreviations written in one text and spelled out (or written too) in the other."""
    found = set()
    for source, target in ((first, second), (second, first)):
        for abbreviation in _ABBREVIATION.findall(source):
            if _written(abbreviation, target) or _expands(abbreviation, target):
                found.add(abbreviation)
    return sorted(found)


def _doi(value: str) -> str:
    return _DOI_PREFIX.sub("", value.strip()).lower()


def cites_paper(record: RegistryRecord, publication: Publication) -> str | None:
    """How the record cites the paper (``PMID 123``, ``DOI 10.1/x``), None when it does not."""
    pmid = (publication.pmid or "").strip()
    doi = _doi(publication.doi or "")
    for reference in record.references:
        if pmid and (reference.pmid or "").strip() == pmid:
            return f"PMID {pmid}"
        if doi and reference.doi and _doi(reference.doi) == doi:
            return f"DOI {doi}"
    return None


__all__ = ["GENERIC_WORDS", "cites_paper", "shared_abbreviations", "shared_words"]
