"""What an enrichment run may do (sources, cache, offline, replay, record) and its HTTP session.

Both PubMed services (efetch for records, esearch for DOIs) go through one
:class:`~linker.registries.http.RegistryHttp` under the pacing key ``pubmed``: one limiter for
NCBI's 3 requests a second (10 with ``NCBI_API_KEY``). Consecutive sessions (one per chunk of a
streamed list) keep that spacing between them too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, make_client
from linker.sources import doi, pubmed
from linker.sources.cache import DoiCache, PaperCache


@dataclass
class EnrichOptions:
    sources: Sequence[str] = ()
    offline: bool = False
    cache: PaperCache | None = None
    doi_cache: DoiCache | None = None
    replay: Path | None = None
    record: Path | None = None
    base_url: str = pubmed.EFETCH_URL
    search_url: str = doi.ESEARCH_URL
    timeout: float = 30.0


_last_request_end = 0.0  # time.monotonic() when the last session that sent anything ended


@asynccontextmanager
async def session(options: EnrichOptions) -> AsyncIterator[RegistryHttp]:
    """One HTTP client for PubMed, paced as NCBI asks."""
    global _last_request_end
    interval = pubmed.min_interval()
    policy = HostPolicy(concurrency=1, min_interval=interval)
    settings = HttpSettings(timeout=options.timeout, default_policy=policy)
    async with make_client(settings) as client:
        http = RegistryHttp(client, settings)
        pause = _last_request_end + interval - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        try:
            yield http
        finally:
            if http.requests_sent:
                _last_request_end = time.monotonic()
