"""Turn a publication into identifier mentions: found in its text fields, or declared by the
source (PubMed DataBankList, MEDLINE SI, RIS/BibTeX fields)."""

from __future__ import annotations

import re
from collections.abc import Callable

from linker.extract.identifiers import Found, canonical_id, find_identifiers, parse_identifier
from linker.extract.mention_rows import text_row
from linker.models import DeclaredIdentifier, Mention, Publication, Registry, Role, TextField

# DataBank / SI names as PubMed and others spell them, lowercased, spaces and dashes removed.
_DATABANKS: dict[str, Registry] = {
    "clinicaltrials.gov": Registry.CTGOV,
    "clinicaltrialsgov": Registry.CTGOV,
    "ctgov": Registry.CTGOV,
    "nct": Registry.CTGOV,
    "isrctn": Registry.ISRCTN,
    "eudract": Registry.EUCTR,
    "euctr": Registry.EUCTR,
    "eudractnumber": Registry.EUCTR,
    "ctis": Registry.CTIS,
    "euct": Registry.CTIS,
    "euctnumber": Registry.CTIS,
    "anzctr": Registry.ANZCTR,
    "actrn": Registry.ANZCTR,
    "chictr": Registry.CHICTR,
    "ctri": Registry.CTRI,
    "drks": Registry.DRKS,
    "jprn": Registry.JRCT,
    "jrct": Registry.JRCT,
    "japiccti": Registry.JRCT,
    "jmacct": Registry.JRCT,
    "umin": Registry.UMIN,
    "uminctr": Registry.UMIN,
    "cris": Registry.CRIS,
    "kct": Registry.CRIS,
    "pactr": Registry.PACTR,
    "irct": Registry.IRCT,
    "ntr": Registry.NL,
    "nl": Registry.NL,
    "nlomon": Registry.NL,
    "rebec": Registry.REBEC,
    "rbr": Registry.REBEC,
    "slctr": Registry.SLCTR,
    "tctr": Registry.TCTR,
    "repec": Registry.REPEC,
    "lbctr": Registry.LBCTR,
    "itmctr": Registry.ITMCTR,
    "utn": Registry.UTN,
    "who utn": Registry.UTN,
}
_SQUASH = re.compile(r"[\s_-]+")


def databank_registry(databank: str) -> Registry | None:
    """The registry a DataBank/SI name stands for, or None for non-registry databanks (GEO...)."""
    key = _SQUASH.sub("", databank.strip().lower())
    return _DATABANKS.get(key)


def extract_mentions(publication: Publication) -> list[Mention]:
    """Every identifier mention of ``publication``: text fields first, then declared ids that
    the text does not already carry."""
    mentions: list[Mention] = []
    for text_field in _text_fields(publication):
        for found in find_identifiers(text_field.text):
            mentions.append(_text_mention(publication, text_field, found))
    seen = {(m.registry, m.id) for m in mentions}
    for declared in publication.declared_ids:
        mention = _declared_mention(publication, declared)
        if mention is None or (mention.registry, mention.id) in seen:
            continue
        seen.add((mention.registry, mention.id))
        mentions.append(mention)
    return mentions


def _text_fields(publication: Publication) -> list[TextField]:
    if publication.fields:
        return publication.fields
    return [
        TextField(name=name, text=text)
        for name, text in (("title", publication.title), ("abstract", publication.abstract))
        if text
    ]


def _text_mention(publication: Publication, text_field: TextField, found: Found) -> Mention:
    file = text_field.file or publication.file
    return text_mention(
        publication.key, file, text_field.name, text_field.text, found, text_field.locate
    )


def text_mention(
    key: str,
    file: str,
    field: str,
    text: str,
    found: Found,
    locate: Callable[[int], tuple[int, int]],
) -> Mention:
    """The mention of ``found`` in ``text`` (see :func:`~linker.extract.mention_rows.text_row`),
    as a model. Built without validation: every value already has its field's type."""
    return Mention.model_construct(**text_row(key, file, field, text, found, locate)._asdict())


def _declared_mention(publication: Publication, declared: DeclaredIdentifier) -> Mention | None:
    accession = declared.accession.strip()
    named = databank_registry(declared.databank)
    parsed = parse_identifier(accession)
    registry: Registry | None
    # The accession's own shape beats the databank label (PubMed files NTR1912 under JPRN).
    if parsed is not None and parsed.valid_format:
        registry, identifier, valid, problem = parsed.registry, parsed.id, True, parsed.problem
    elif named is not None:
        canonical = canonical_id(named, accession)
        registry = named
        identifier = canonical or accession
        valid = canonical is not None
        problem = None if valid else f"declared {declared.databank} accession is malformed"
    else:
        return None
    end_column = declared.column + len(accession) - 1 if declared.column else 0
    return Mention(
        publication=publication.key,
        registry=registry,
        id=identifier,
        raw=accession,
        file=declared.file or publication.file,
        line=declared.line,
        column=declared.column,
        end_line=declared.line,
        end_column=end_column,
        field=declared.field,
        sentence="",
        # A databank entry says the record cites the id, not whose registration it is.
        role=Role.UNKNOWN,
        valid_format=valid,
        format_problem=problem,
    )
