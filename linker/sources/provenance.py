"""Where an identifier read from PubMed stands, honestly, in every report.

An identifier from a PubMed record (its DataBankList, or the abstract PubMed supplied) is not
on any line of the input. Its result and its findings are placed at the publication's own
record in the input (the line a person edits to fix it, a valid location for SARIF, GitHub and
GitLab), with :class:`~linker.results.ExternalSource` naming the PubMed record it was read from,
and the finding's message says so. A finding judged on an abstract PubMed supplied says that
too ("abstract from PubMed").
"""

from __future__ import annotations

from linker.models import Mention, Publication
from linker.results import ExternalSource, Finding, IdentifierResult

PUBMED_SI = "pubmed-si"
PUBMED_ABSTRACT = "pubmed-abstract"
_FIELDS = {PUBMED_SI: "DataBankList", PUBMED_ABSTRACT: "abstract"}


def external_source(mention: Mention | None) -> ExternalSource | None:
    """The PubMed record ``mention`` was read from, or None for a mention in the input."""
    if mention is None or mention.field not in _FIELDS:
        return None
    return ExternalSource(name="PubMed", field=_FIELDS[mention.field], url=mention.file)


def pubmed_abstract(url: str) -> ExternalSource:
    return ExternalSource(name="PubMed", field="abstract", url=url)


def note(source: ExternalSource, *, identifier: bool) -> str:
    if not identifier:
        return f" (judged on the abstract from PubMed, {source.url})"
    if source.field == "DataBankList":
        return f" (read from PubMed's DataBankList of {source.url}, not from the list)"
    return f" (read from the abstract from PubMed, {source.url})"


def locate_identifier(
    result: IdentifierResult, mention: Mention, publication: Publication
) -> IdentifierResult:
    """``result`` placed at its publication when it was read from PubMed."""
    source = external_source(mention)
    if source is None:
        return result
    return result.model_copy(
        update={"file": publication.file, "line": publication.line, "column": 0, "source": source}
    )


def locate_finding(
    finding: Finding, mention: Mention | None, publication: Publication, abstract: str | None
) -> Finding:
    """``finding`` placed at its publication, with its PubMed source, when it rests on PubMed:
    an identifier read there, or (for a finding about the publication) PubMed's abstract."""
    source = external_source(mention)
    about_identifier = source is not None
    if source is None and mention is None and abstract is not None:
        source = pubmed_abstract(abstract)
    if source is None:
        return finding
    return finding.model_copy(
        update={
            "file": publication.file,
            "line": publication.line,
            "column": None,
            "source": source,
            "message": finding.message + note(source, identifier=about_identifier),
        }
    )
