"""``--enrich pubmed``: complete each publication from its PubMed record before extraction.

For every publication with a PMID, or with only a DOI that PubMed's search resolves to a PMID
(:mod:`linker.sources.doi`): the abstract when the input has none, the DataBankList
accessions (declared identifiers with field ``pubmed-si``, read at the PubMed record, not at a
line of the input), the publication types when the input has none, and the year. Gates as for
the registries: de-duplicate, the cache, ``--offline`` (everything left unverified),
``--replay`` (the per-PMID and per-DOI store, no network) or the live service (``--record``
saves each answer). A PubMed failure never becomes a finding: the publication is simply not
completed. A DOI PubMed does not know is said so in the classification's evidence, never a
finding (not every journal is in PubMed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from linker.models import Publication, TextField, TrialReport
from linker.registries.http import RegistryHttp
from linker.rules.engine import PublicationEvidence
from linker.sources import pubmed
from linker.sources.cache import DoiCache, PaperCache
from linker.sources.doi import DoiLink, normalise_doi
from linker.sources.doi_lookup import resolve_dois
from linker.sources.interface import PaperOutcome, PaperOutcomeKind
from linker.sources.options import EnrichOptions, session
from linker.sources.provenance import PUBMED_ABSTRACT, PUBMED_SI
from linker.sources.store import PubmedStore, missing

if TYPE_CHECKING:  # linker.pipeline imports linker.streaming, which imports this module
    from linker.pipeline import CheckOptions

SOURCES = ("pubmed",)

__all__ = ["EnrichOptions", "complete", "enrich", "enrich_options", "fetch_records"]


async def fetch_records(
    pmids: Sequence[str], options: EnrichOptions, http: RegistryHttp | None = None
) -> dict[str, PaperOutcome]:
    """One outcome per distinct PMID."""
    wanted = list(dict.fromkeys(p for p in pmids if p))
    results: dict[str, PaperOutcome] = {}
    if options.cache is not None:
        results.update(options.cache.get_many(pubmed.NAME, wanted))
    remaining = [p for p in wanted if p not in results]
    if not remaining:
        return results
    if options.replay is not None:
        store = PubmedStore(options.replay)
        for pmid in remaining:
            body = store.answer(pmid)
            results.update(missing([pmid]) if body is None else pubmed.parse_efetch(body, [pmid]))
        return results
    if options.offline:
        results.update(
            {
                p: PaperOutcome(
                    kind=PaperOutcomeKind.UNVERIFIED,
                    source=pubmed.NAME,
                    requested_id=p,
                    reason="offline",
                )
                for p in remaining
            }
        )
        return results
    fetched = await _fetch_live(remaining, options, http)
    if options.cache is not None:
        options.cache.put_many(fetched.values())
    results.update(fetched)
    return results


async def _fetch_live(
    pmids: Sequence[str], options: EnrichOptions, http: RegistryHttp | None
) -> dict[str, PaperOutcome]:
    if http is None:
        async with session(options) as shared:
            return await _fetch_live(pmids, options, shared)
    store = PubmedStore(options.record) if options.record is not None else None
    source = pubmed.PubmedClient(http, base_url=options.base_url, on_answer=_saver(store))
    return await source.fetch_many(pmids)


def _saver(store: PubmedStore | None) -> pubmed.AnswerHook | None:
    return store.save if store is not None else None


def enrich(publication: Publication, outcome: PaperOutcome | None) -> Publication:
    """``publication`` completed from a found PubMed record (unchanged otherwise)."""
    if outcome is None or outcome.record is None:
        return publication
    record = outcome.record
    update: dict[str, object] = {}
    if not publication.abstract.strip() and record.abstract.strip():
        update["abstract"] = record.abstract
        # The abstract's own field, so that its identifiers say they were read at PubMed.
        own = publication.fields or [TextField(name="title", text=publication.title)]
        update["fields"] = [
            *own,
            TextField(name=PUBMED_ABSTRACT, text=record.abstract, file=record.url),
        ]
    if not publication.publication_types and record.publication_types:
        update["publication_types"] = record.publication_types
    if publication.year is None and record.year is not None:
        update["year"] = record.year
    if record.databank_ids:
        update["declared_ids"] = [
            *publication.declared_ids,
            *(
                d.model_copy(update={"field": PUBMED_SI, "file": record.url})
                for d in record.databank_ids
            ),
        ]
    return publication.model_copy(update=update) if update else publication


def abstract_from_pubmed(before: Publication, after: Publication) -> bool:
    return not before.abstract.strip() and bool(after.abstract.strip())


def note_enriched(report: TrialReport, pmid: str, *, by_doi: bool = False) -> TrialReport:
    """The classification's evidence says it read PubMed's abstract."""
    found = ", found by its DOI" if by_doi else ""
    return _note(report, f"abstract from PubMed (PMID {pmid}{found})")


def _note(report: TrialReport, note: str) -> TrialReport:
    return report.model_copy(update={"evidence": [note, *report.evidence]})


def _doi_note(link: DoiLink) -> str | None:
    if link.kind is PaperOutcomeKind.NOT_FOUND:
        return f"PubMed has no record with DOI {link.doi} (not every journal is in PubMed)"
    if link.kind is PaperOutcomeKind.UNVERIFIED:
        return f"DOI {link.doi} not looked up in PubMed: {link.reason}"
    return None


@dataclass
class Completed:
    """A chunk of publications completed from PubMed, and what PubMed answered."""

    publications: list[Publication]
    papers: dict[str, PaperOutcome]
    abstract_from_pubmed: set[str]  # keys of the publications whose abstract PubMed gave
    pmids: dict[str, str] = field(default_factory=dict)  # publication key -> PMID asked for
    links: dict[str, DoiLink] = field(default_factory=dict)  # key -> DOI lookup (no PMID)

    def attach(self, evidence: Sequence[PublicationEvidence]) -> None:
        """Give the rules PubMed's answer, and the classification its source."""
        for item in evidence:
            key = item.publication.key
            pmid = self.pmids.get(key, "")
            paper = self.papers.get(pmid) if pmid else None
            link = self.links.get(key)
            if link is not None and (paper is None or paper.kind is not PaperOutcomeKind.FOUND):
                paper = None  # a PMID PubMed's own search gave is no typo in the list
            item.paper = paper
            if key in self.abstract_from_pubmed:
                item.report = note_enriched(item.report, pmid, by_doi=link is not None)
                item.pubmed_abstract = pubmed.record_url(pmid)
            elif link is not None and (note := _doi_note(link)) is not None:
                item.report = _note(item.report, note)


def _pmid(publication: Publication) -> str:
    return (publication.pmid or "").strip()


async def complete(chunk: Sequence[Publication], options: EnrichOptions) -> Completed:
    """``chunk`` with each publication completed from its PubMed record."""
    papers: dict[str, PaperOutcome] = {}
    pmids: dict[str, str] = {p.key: _pmid(p) for p in chunk if _pmid(p)}
    links: dict[str, DoiLink] = {}
    if pubmed.NAME in options.sources:
        dois = {p.key: doi for p in chunk if not _pmid(p) and (doi := normalise_doi(p.doi))}
        async with session(options) as http:

            async def fetch(ids: Sequence[str], shared: RegistryHttp) -> Mapping[str, PaperOutcome]:
                fetched = await fetch_records(ids, options, shared)
                papers.update(fetched)
                return fetched

            if dois:
                by_doi = await resolve_dois(list(dois.values()), options, fetch, http)
                links = {key: by_doi[doi] for key, doi in dois.items()}
                pmids |= {key: pmid for key, link in links.items() if (pmid := link.pmid)}
            await fetch([p for p in dict.fromkeys(pmids.values()) if p not in papers], http)
    publications: list[Publication] = []
    from_pubmed: set[str] = set()
    for publication in chunk:
        pmid = pmids.get(publication.key)
        completed = enrich(publication, papers.get(pmid) if pmid else None)
        if abstract_from_pubmed(publication, completed):
            from_pubmed.add(completed.key)
        publications.append(completed)
    return Completed(publications, papers, from_pubmed, pmids, links)


def enrich_options(options: CheckOptions) -> EnrichOptions:
    """The enrichment settings of a ``check`` run: its sources, cache, offline, replay, record."""
    cache = options.cache
    return EnrichOptions(
        sources=options.enrich,
        offline=options.offline,
        cache=PaperCache(cache.directory, lifetimes=cache.lifetimes) if cache else None,
        doi_cache=DoiCache(cache.directory, lifetimes=cache.lifetimes) if cache else None,
        replay=Path(options.replay) if options.replay is not None else None,
        record=Path(options.record) if options.record is not None else None,
    )
