"""ClinicalTrials.gov search: ``query.term=AREA[Acronym]"..."`` for a trial name (every spelling
ORed), ``query.titles`` for title words; one page of at most :data:`PAGE_SIZE` studies."""

from __future__ import annotations

from linker.models import Registry
from linker.registries._parsing import MalformedResponse, utc_now
from linker.registries.causes import FailureCause
from linker.registries.ctgov import (
    DEFAULT_BASE_URL,
    FIELDS,
    decode_json,
    parse_study,
    studies_page,
)
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.search.interface import SearchAnswer, TrialQuery, TrialSearch

PAGE_SIZE = 10


def search_params(query: TrialQuery) -> dict[str, str]:
    if query.by == "acronym":
        term = " OR ".join(f'AREA[Acronym]"{spelling}"' for spelling in query.terms)
        params = {"query.term": term}
    else:
        params = {"query.titles": " ".join(query.terms)}
    return {**params, "fields": FIELDS, "pageSize": str(PAGE_SIZE)}


class CtgovSearch(TrialSearch):
    registry = Registry.CTGOV

    def __init__(self, http: RegistryHttp, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    async def search(self, query: TrialQuery) -> SearchAnswer:
        url = f"{self.base_url}/studies"
        try:
            response = await self.http.get(self.registry, url, params=search_params(query))
            if response.status_code != 200:
                raise MalformedResponse(f"HTTP {response.status_code}", FailureCause.FAILED)
            studies, _token = studies_page(decode_json(response))
        except (Unreachable, MalformedResponse) as error:
            return SearchAnswer(registry=self.registry, failure=error.reason)
        now = utc_now()
        records = [
            parse_study(s, retrieved_from=str(response.url), retrieved_at=now) for s in studies
        ]
        return SearchAnswer(registry=self.registry, records=records)
