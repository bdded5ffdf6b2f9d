"""A registry client that asks about many identifiers per request (CT.gov, ISRCTN)."""

from __future__ import annotations

import asyncio
import re
from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar

from linker.registries.causes import FailureCause
from linker.registries.interface import Outcome, OutcomeKind, RegistryClient


class BatchingClient(RegistryClient):
    """Checks each id's shape, then verifies sorted, fixed-size batches concurrently: the same
    ids always give the same requests, so ``--replay`` finds what ``--record`` saved."""

    id_pattern: ClassVar[re.Pattern[str]]
    id_form: ClassVar[str]  # for the message when an id is not canonical
    batch_size: int

    @abstractmethod
    def page_url(self, identifier: str) -> str:
        """Where a person can read the record."""

    @abstractmethod
    async def _verify_batch(self, batch: list[str]) -> dict[str, Outcome]:
        """One outcome per id of ``batch`` (ids already canonical and sorted)."""

    def _unverified(
        self, identifier: str, reason: str, cause: FailureCause | None = None
    ) -> Outcome:
        return Outcome(
            kind=OutcomeKind.UNVERIFIED,
            registry=self.registry,
            requested_id=identifier,
            reason=reason,
            cause=cause,
            url=self.page_url(identifier),
        )

    async def verify_many(self, ids: Sequence[str]) -> dict[str, Outcome]:
        wanted = sorted(set(ids))
        outcomes: dict[str, Outcome] = {}
        valid: list[str] = []
        for identifier in wanted:
            if self.id_pattern.fullmatch(identifier):
                valid.append(identifier)
            else:
                outcomes[identifier] = self._unverified(
                    identifier, f"not a canonical {self.id_form}"
                )
        size = self.batch_size
        batches = [valid[i : i + size] for i in range(0, len(valid), size)]
        for result in await asyncio.gather(*(self._verify_split(batch) for batch in batches)):
            outcomes.update(result)
        return {identifier: outcomes[identifier] for identifier in wanted}

    async def _verify_split(self, batch: list[str]) -> dict[str, Outcome]:
        """A batch; the ids its answer left unverified because the answer was unusable (an
        HTML page, a truncated body) are asked again in two halves, down to single ids, so one
        bad page never costs a whole batch. (Timeouts and 5xx are retried by the HTTP layer
        and not split: a registry that does not answer is not helped by more requests.)"""
        outcomes = await self._verify_batch(batch)
        again = [
            i
            for i in batch
            if outcomes[i].cause is FailureCause.UNUSABLE_ANSWER and outcomes[i].record is None
        ]
        if len(batch) > 1 and again:
            middle = (len(again) + 1) // 2
            halves = [again[:middle], again[middle:]]
            for result in await asyncio.gather(*(self._verify_split(h) for h in halves if h)):
                outcomes.update(result)
        return outcomes
