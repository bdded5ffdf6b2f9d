"""Registries trial-linker cannot ask (no public machine API): an ``unsupported`` outcome that
says so and points to a page where a person can look the identifier up. No network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar
from urllib.parse import quote

from linker.models import Registry
from linker.registries.interface import Outcome, OutcomeKind, RegistryClient

ICTRP_TRIAL = "https://trialsearch.who.int/Trial2.aspx?TrialID={}"
ANZCTR_TRIAL = "https://www.anzctr.org.au/Trial/Registration/TrialReview.aspx?ACTRN={}"
DRKS_TRIAL = "https://drks.de/search/en/trial/{}"

# Registries with a client of their own.
NETWORK_REGISTRIES = frozenset({Registry.CTGOV, Registry.ISRCTN, Registry.EUCTR, Registry.CTIS})


def lookup_url(registry: Registry, identifier: str) -> str | None:
    """Where a person can read the record: the registry's own page where its address is
    stable, else the WHO ICTRP trial page. None for a WHO UTN, which is a number sponsors
    quote in registry records, not a record of its own."""
    if registry is Registry.ANZCTR:
        return ANZCTR_TRIAL.format("".join(ch for ch in identifier if ch.isdigit()))
    if registry is Registry.DRKS:
        return DRKS_TRIAL.format(quote(identifier, safe=""))
    if registry is Registry.UTN:
        return None
    trial_id = identifier
    if registry in (Registry.UMIN, Registry.JRCT) and not identifier.upper().startswith("JPRN-"):
        trial_id = f"JPRN-{identifier}"  # ICTRP files Japanese registries under JPRN-
    return ICTRP_TRIAL.format(quote(trial_id, safe=""))


class UnsupportedClient(RegistryClient):
    """One instance per registry; its ``registry`` is per instance, not per class."""

    needs_network: ClassVar[bool] = False

    def __init__(self, registry: Registry) -> None:
        if registry in NETWORK_REGISTRIES:
            raise ValueError(f"{registry.value} has a client of its own")
        self.registry = registry

    async def verify_many(self, ids: Sequence[str]) -> dict[str, Outcome]:
        return {identifier: self._outcome(identifier) for identifier in dict.fromkeys(ids)}

    def _outcome(self, identifier: str) -> Outcome:
        name = self.registry.label
        url = lookup_url(self.registry, identifier)
        where = f"; look it up at {url}" if url else "; look for it in the registries' records"
        return Outcome(
            kind=OutcomeKind.UNSUPPORTED,
            registry=self.registry,
            requested_id=identifier,
            reason=f"{name} has no public API trial-linker can query{where}",
            url=url,
        )
