"""DOI -> PMID with the registries' gates: the cache, ``--replay`` (the per-DOI store, no
network), ``--offline`` (every DOI unverified, no request) or PubMed (``--record`` saves each
answer). A failure leaves the DOI unverified; an unknown DOI is never a finding."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from linker.registries.http import RegistryHttp
from linker.sources.doi import DoiLink, DoiResolver, link_from_answer, unverified
from linker.sources.interface import PaperOutcome
from linker.sources.options import EnrichOptions, session
from linker.sources.store import PubmedStore

FetchWith = Callable[[Sequence[str], RegistryHttp], Awaitable[Mapping[str, PaperOutcome]]]
"""Fetches PubMed records through the given session (to match DOIs to PMIDs)."""


async def resolve_dois(
    dois: Sequence[str],
    options: EnrichOptions,
    fetch: FetchWith,
    http: RegistryHttp | None = None,
) -> dict[str, DoiLink]:
    """One link per distinct (normalised) DOI."""
    wanted = list(dict.fromkeys(d for d in dois if d))
    links: dict[str, DoiLink] = {}
    if options.doi_cache is not None:
        links.update(options.doi_cache.get_many(options.doi_cache.source, wanted))
    remaining = [d for d in wanted if d not in links]
    if not remaining:
        return links
    if options.replay is not None:
        store = PubmedStore(options.replay)
        for doi in remaining:
            body = store.doi_answer(doi)
            links[doi] = (
                unverified([doi], "not in replay store")[doi]
                if body is None
                else link_from_answer(doi, body)
            )
        return links
    if options.offline:
        links.update(unverified(remaining, "offline"))
        return links
    if http is None:
        async with session(options) as shared:
            fetched = await _resolve_live(remaining, options, fetch, shared)
    else:
        fetched = await _resolve_live(remaining, options, fetch, http)
    if options.doi_cache is not None:
        options.doi_cache.put_many(fetched.values())
    links.update(fetched)
    return links


async def _resolve_live(
    dois: Sequence[str], options: EnrichOptions, fetch: FetchWith, http: RegistryHttp
) -> dict[str, DoiLink]:
    store = PubmedStore(options.record) if options.record is not None else None

    async def fetch_here(pmids: Sequence[str]) -> Mapping[str, PaperOutcome]:
        return await fetch(pmids, http)

    resolver = DoiResolver(
        http,
        fetch_here,
        base_url=options.search_url,
        on_answer=store.save_links if store is not None else None,
    )
    return await resolver.resolve_many(dois)
