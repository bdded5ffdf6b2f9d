"""``--enrich pubmed``: complete each publication from its PubMed record before extraction.

For every publication with a PMID: the abstract when the input has none, the DataBankList
accessions (declared identifiers with field ``pubmed-si``, located at the PubMed record, not
at a line of the input), the publication types when the input has none, and the year. Gates
as for the registries: de-duplicate, the cache, ``--offline`` (everything left unverified),
``--replay`` (the per-PMID store, no network) or the live service (``--record`` saves each
answer). A PubMed failure never becomes a finding: the publication is simply not completed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from linker.models import Publication, TextField, TrialReport
from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, make_client
from linker.rules.engine import PublicationEvidence
from linker.sources import pubmed
from linker.sources.cache import PaperCache
from linker.sources.interface import PaperOutcome, PaperOutcomeKind
from linker.sources.store import PubmedStore, missing

if TYPE_CHECKING:  # linker.pipeline imports linker.streaming, which imports this module
    from linker.pipeline import CheckOptions

SOURCES = ("pubmed",)
PUBMED_ABSTRACT = "pubmed-abstract"
PUBMED_SI = "pubmed-si"


@dataclass
class EnrichOptions:
    sources: Sequence[str] = ()
    offline: bool = False
    cache: PaperCache | None = None
    replay: Path | None = None
    record: Path | None = None
    base_url: str = pubmed.EFETCH_URL
    timeout: float = 30.0


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
    store = PubmedStore(options.record) if options.record is not None else None
    if http is not None:
        return await pubmed.PubmedClient(
            http, base_url=options.base_url, on_answer=_saver(store)
        ).fetch_many(pmids)
    policy = HostPolicy(concurrency=1, min_interval=pubmed.min_interval())
    settings = HttpSettings(timeout=options.timeout, default_policy=policy)
    async with make_client(settings) as client:
        shared = RegistryHttp(client, settings)
        source = pubmed.PubmedClient(shared, base_url=options.base_url, on_answer=_saver(store))
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
        if publication.fields:
            update["fields"] = [
                *publication.fields,
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


def note_enriched(report: TrialReport, pmid: str) -> TrialReport:
    """The classification's evidence says it read PubMed's abstract."""
    note = f"abstract from PubMed (PMID {pmid})"
    return report.model_copy(update={"evidence": [note, *report.evidence]})


@dataclass
class Completed:
    """A chunk of publications completed from PubMed, and what PubMed answered."""

    publications: list[Publication]
    papers: dict[str, PaperOutcome]
    abstract_from_pubmed: set[str]  # keys of the publications whose abstract PubMed gave

    def attach(self, evidence: Sequence[PublicationEvidence]) -> None:
        """Give the rules PubMed's answer, and the classification its source."""
        for item in evidence:
            pmid = (item.publication.pmid or "").strip()
            item.paper = self.papers.get(pmid) if pmid else None
            if item.publication.key in self.abstract_from_pubmed:
                item.report = note_enriched(item.report, pmid)


async def complete(chunk: Sequence[Publication], options: EnrichOptions) -> Completed:
    """``chunk`` with each publication completed from its PubMed record."""
    papers: dict[str, PaperOutcome] = {}
    if pubmed.NAME in options.sources:
        papers = await fetch_records([p.pmid.strip() for p in chunk if p.pmid], options)
    publications: list[Publication] = []
    from_pubmed: set[str] = set()
    for publication in chunk:
        paper = papers.get(publication.pmid.strip()) if publication.pmid else None
        completed = enrich(publication, paper)
        if abstract_from_pubmed(publication, completed):
            from_pubmed.add(completed.key)
        publications.append(completed)
    return Completed(publications, papers, from_pubmed)


def enrich_options(options: CheckOptions) -> EnrichOptions:
    """The enrichment settings of a ``check`` run: its sources, cache, offline, replay, record."""
    cache = options.cache
    return EnrichOptions(
        sources=options.enrich,
        offline=options.offline,
        cache=PaperCache(cache.directory, lifetimes=cache.lifetimes) if cache else None,
        replay=Path(options.replay) if options.replay is not None else None,
        record=Path(options.record) if options.record is not None else None,
    )
