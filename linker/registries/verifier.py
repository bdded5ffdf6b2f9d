"""The registry stage: (registry, id) pairs in, exactly one outcome per distinct pair out.

Order of gates: de-duplicate; answer what needs no network (``unsupported``); answer from the
cache what is fresh; in offline mode everything left is ``unverified: offline``; otherwise ask
every registry's client at once (one ``verify_many`` per registry, each client batches and
paces itself through the shared :class:`RegistryHttp`), and store what may be cached. A client
that raises turns its whole batch into ``unverified`` outcomes with the error as the reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import httpx

from linker.models import Registry
from linker.registries.cache import OutcomeCache
from linker.registries.causes import PASSING_CAUSES
from linker.registries.clients import build_clients
from linker.registries.http import RegistryHttp, make_client
from linker.registries.interface import Outcome, OutcomeKind, RegistryClient
from linker.registries.local_answers import bind_cache as bind_cache  # re-exported
from linker.registries.local_answers import check_transports
from linker.registries.replay import RecordingTransport, ReplayTransport, folder_names
from linker.registries.settings import DEFAULT_BASE_URLS, NETWORK_REGISTRIES, RegistrySettings
from linker.registries.snapshot import answer_from_snapshot

Key = tuple[Registry, str]
Progress = Callable[[int, int], None]
"""Called with (identifiers answered so far, identifiers in total) after each step."""


def needs_network(client: RegistryClient) -> bool:
    """Whether a client must reach a registry to answer (``UnsupportedClient`` does not).

    A client may say so with a ``needs_network`` class attribute; otherwise the registries
    with a known endpoint are the ones that need the network.
    """
    declared = getattr(client, "needs_network", None)
    if isinstance(declared, bool):
        return declared
    return client.registry in NETWORK_REGISTRIES


#: Rounds in which identifiers left unverified by a passing fault are asked again, once every
#: other identifier has been asked (so the registry has had a moment): each round gives each of
#: them the HTTP layer's full set of attempts again.
AGAIN_ROUNDS = 2


def worth_asking_again(outcome: Outcome) -> bool:
    """Unverified after the HTTP layer's retries ran out on server errors, rate limits or
    unusable answers; not when the registry was given up on for the run (circuit open)."""
    return outcome.kind is OutcomeKind.UNVERIFIED and outcome.cause in PASSING_CAUSES


def unverified(registry: Registry, identifier: str, reason: str) -> Outcome:
    return Outcome(
        kind=OutcomeKind.UNVERIFIED, registry=registry, requested_id=identifier, reason=reason
    )


class Verifier:
    """Verifies identifiers with one client per registry, a cache and an offline switch."""

    def __init__(
        self,
        clients: Mapping[Registry, RegistryClient],
        cache: OutcomeCache | None = None,
        offline: bool = False,
        on_progress: Progress | None = None,
    ) -> None:
        self.clients = clients
        self.cache = cache
        self.offline = offline
        self.on_progress = on_progress
        self._done = 0
        self._total = 0

    async def verify(self, ids: Iterable[tuple[Registry, str]]) -> dict[Key, Outcome]:
        wanted = list(dict.fromkeys((Registry(registry), str(id_)) for registry, id_ in ids))
        self._done, self._total = 0, len(wanted)
        results: dict[Key, Outcome] = {}

        remote: list[Key] = []
        local: dict[Registry, list[str]] = {}
        for registry, identifier in wanted:
            client = self.clients.get(registry)
            if client is None:
                results[(registry, identifier)] = Outcome(
                    kind=OutcomeKind.UNSUPPORTED,
                    registry=registry,
                    requested_id=identifier,
                    reason="no client for this registry",
                )
            elif needs_network(client):
                remote.append((registry, identifier))
            else:
                local.setdefault(registry, []).append(identifier)
        self._advance(len(results))

        if self.cache is not None and remote:
            cached = self.cache.get_many(remote)
            results.update(cached)
            remote = [key for key in remote if key not in cached]
            self._advance(len(cached))

        batches: dict[Registry, list[str]] = dict(local)
        if self.offline:
            for registry, identifier in remote:
                results[(registry, identifier)] = unverified(registry, identifier, "offline")
            self._advance(len(remote))
        else:
            for registry, identifier in remote:
                batches.setdefault(registry, []).append(identifier)

        results.update(await self._ask_all(batches))
        for _ in range(AGAIN_ROUNDS):
            again: dict[Registry, list[str]] = {}
            for (registry, identifier), outcome in results.items():
                if registry in batches and worth_asking_again(outcome):
                    again.setdefault(registry, []).append(identifier)
            if not again:
                break
            results.update(await self._ask_all(again, advance=False))
        return {key: results[key] for key in wanted}

    async def _ask_all(
        self, batches: Mapping[Registry, Sequence[str]], *, advance: bool = True
    ) -> dict[Key, Outcome]:
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(
                    self._ask(self.clients[registry], registry, identifiers, advance=advance)
                )
                for registry, identifiers in batches.items()
            ]
        results: dict[Key, Outcome] = {}
        for task in tasks:
            results.update(task.result())
        return results

    async def _ask(
        self,
        client: RegistryClient,
        registry: Registry,
        identifiers: Sequence[str],
        *,
        advance: bool = True,
    ) -> dict[Key, Outcome]:
        failure = "no answer"
        try:
            answers = await client.verify_many(list(identifiers))
        except Exception as error:  # a broken client must cost its batch, not the run
            answers = {}
            failure = f"client error: {type(error).__name__}: {error}"
        outcomes: dict[Key, Outcome] = {}
        for identifier in identifiers:
            outcome = answers.get(identifier)
            if outcome is None:
                outcome = unverified(registry, identifier, failure)
            elif outcome.registry is not registry or outcome.requested_id != identifier:
                outcome = outcome.model_copy(
                    update={"registry": registry, "requested_id": identifier}
                )
            outcomes[(registry, identifier)] = outcome
        if self.cache is not None and needs_network(client):
            self.cache.put_many(outcomes.values())
        if advance:
            self._advance(len(outcomes))
        return outcomes

    def _advance(self, count: int) -> None:
        self._done += count
        if self.on_progress is not None and count:
            self.on_progress(self._done, self._total)


@asynccontextmanager
async def open_http(
    settings: RegistrySettings | None = None,
    replay: Path | None = None,
    record: Path | None = None,
) -> AsyncIterator[RegistryHttp]:
    """The run's HTTP layer: live, recording into ``record``, or replaying ``replay``
    (no network at all, and no pacing since nothing is sent)."""
    check_transports(replay, record)
    settings = settings or RegistrySettings()
    transport: httpx.AsyncBaseTransport | None = None
    if replay is not None:
        http_settings = settings.http_settings(pacing=False)
        transport = ReplayTransport(replay)
    else:
        http_settings = settings.http_settings()
        if record is not None:
            urls = {registry.value: url for registry, url in DEFAULT_BASE_URLS.items()}
            urls.update({r.value: settings.base_url(r) for r in NETWORK_REGISTRIES})
            inner = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=20, max_keepalive_connections=10)
            )
            transport = RecordingTransport(inner, record, folder_names(urls))
    async with make_client(http_settings, transport) as client:
        yield RegistryHttp(client, http_settings)


async def verify_identifiers(
    ids: Iterable[tuple[Registry, str]],
    *,
    settings: RegistrySettings | None = None,
    cache: OutcomeCache | None = None,
    offline: bool = False,
    replay: Path | None = None,
    record: Path | None = None,
    on_progress: Progress | None = None,
    today: date | None = None,
    snapshot: Path | None = None,
) -> dict[Key, Outcome]:
    """Everything wired: the snapshot first (if any), then HTTP layer, the clients, the cache,
    the verifier for what the snapshot does not answer."""
    wanted = list(dict.fromkeys((Registry(registry), str(id_)) for registry, id_ in ids))
    from_snapshot = answer_from_snapshot(snapshot, wanted)
    bind_cache(cache, settings)
    async with open_http(settings, replay=replay, record=record) as http:
        clients = build_clients(http, settings, today)
        verifier = Verifier(clients, cache, offline, on_progress)
        rest = await verifier.verify(key for key in wanted if key not in from_snapshot)
    return {key: from_snapshot.get(key) or rest[key] for key in wanted}


def verify_sync(
    ids: Iterable[tuple[Registry, str]],
    *,
    settings: RegistrySettings | None = None,
    cache: OutcomeCache | None = None,
    offline: bool = False,
    replay: Path | None = None,
    record: Path | None = None,
    today: date | None = None,
    snapshot: Path | None = None,
) -> dict[Key, Outcome]:
    """:func:`verify_identifiers` for code without an event loop.

    ``cache`` is off unless given (``open_cache()`` gives the user's cache).
    """
    return asyncio.run(
        verify_identifiers(
            ids,
            settings=settings,
            cache=cache,
            offline=offline,
            replay=replay,
            record=record,
            today=today,
            snapshot=snapshot,
        )
    )
