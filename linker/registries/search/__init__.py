"""Registry search for suggested registrations: one :class:`TrialSearch` per registry with a
search API (ClinicalTrials.gov, ISRCTN), a cache, and :func:`search_trials` wiring them."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from linker.models import Registry
from linker.registries.interface import RegistryRecord
from linker.registries.search.cache import SearchCache
from linker.registries.search.interface import SearchAnswer, TrialQuery, TrialSearch, spellings
from linker.registries.settings import RegistrySettings

if TYPE_CHECKING:  # the HTTP layer is imported when a search is sent, not before
    from linker.registries.http import RegistryHttp

__all__ = [
    "SearchAnswer",
    "SearchCache",
    "TrialQuery",
    "TrialSearch",
    "build_searches",
    "search_trials",
    "spellings",
]


def build_searches(
    http: RegistryHttp, settings: RegistrySettings | None = None, today: date | None = None
) -> list[TrialSearch]:
    from linker.registries.isrctn import utc_today
    from linker.registries.search.ctgov import CtgovSearch
    from linker.registries.search.isrctn import IsrctnSearch

    settings = settings or RegistrySettings()
    isrctn_today = (lambda: today) if today is not None else utc_today
    return [
        CtgovSearch(http, settings.base_url(Registry.CTGOV)),
        IsrctnSearch(http, settings.base_url(Registry.ISRCTN), today=isrctn_today),
    ]


async def search_trials(
    queries: Sequence[TrialQuery],
    *,
    settings: RegistrySettings | None = None,
    cache: SearchCache | None = None,
    offline: bool = False,
    replay: Path | None = None,
    record: Path | None = None,
    today: date | None = None,
) -> dict[TrialQuery, list[RegistryRecord]]:
    """Every registry's candidates for every query, from the cache where fresh; offline, the
    cache only (no request at all). Searches that fail leave no candidates."""
    settings = settings or RegistrySettings()
    wanted = list(dict.fromkeys(queries))
    found: dict[TrialQuery, list[RegistryRecord]] = {query: [] for query in wanted}
    if not wanted:
        return found
    registries = (Registry.CTGOV, Registry.ISRCTN)
    todo: list[tuple[Registry, TrialQuery]] = []
    for query in wanted:
        for registry in registries:
            base = settings.base_url(registry)
            cached = cache.get(registry, query, base) if cache is not None else None
            if cached is not None:
                found[query].extend(cached)
            elif not offline:
                todo.append((registry, query))
    if not todo:
        return found
    from linker.registries.verifier import open_http  # the verifier imports this package

    async with open_http(settings, replay=replay, record=record) as http:
        searches = {s.registry: s for s in build_searches(http, settings, today)}
        answers = await asyncio.gather(*(searches[r].search(q) for r, q in todo))
    for (registry, query), answer in zip(todo, answers, strict=True):
        found[query].extend(answer.records)
        if cache is not None and answer.failure is None:
            cache.put(registry, query, answer.records, settings.base_url(registry))
    return found
