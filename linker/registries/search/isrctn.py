"""ISRCTN search: ``q=`` with every spelling of a trial name ORed (quoted when it has a space),
or a paper's title words; at most :data:`LIMIT` trials."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from linker.models import Registry
from linker.registries._parsing import MalformedResponse, utc_now
from linker.registries.causes import FailureCause
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.isrctn import (
    DEFAULT_BASE_URL,
    QUERY_PATH,
    parse_full_trial,
    parse_query_response,
    utc_today,
)
from linker.registries.search.interface import SearchAnswer, TrialQuery, TrialSearch

LIMIT = 10


def search_params(query: TrialQuery) -> dict[str, str]:
    if query.by == "acronym":
        q = " OR ".join(f'"{t}"' if " " in t else t for t in query.terms)
    else:
        q = " ".join(query.terms)
    return {"q": q, "limit": str(LIMIT)}


class IsrctnSearch(TrialSearch):
    registry = Registry.ISRCTN

    def __init__(
        self,
        http: RegistryHttp,
        base_url: str = DEFAULT_BASE_URL,
        today: Callable[[], date] = utc_today,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.today = today

    async def search(self, query: TrialQuery) -> SearchAnswer:
        url = self.base_url + QUERY_PATH
        try:
            response = await self.http.get(self.registry, url, params=search_params(query))
            if response.status_code != 200:
                raise MalformedResponse(f"HTTP {response.status_code}", FailureCause.FAILED)
            result = parse_query_response(response.content)
            now, today = utc_now(), self.today()
            records = [
                parse_full_trial(
                    trial, today=today, retrieved_from=str(response.url), retrieved_at=now
                )
                for trial in result.trials.values()
            ]
        except (Unreachable, MalformedResponse) as error:
            return SearchAnswer(registry=self.registry, failure=error.reason)
        return SearchAnswer(registry=self.registry, records=records)
