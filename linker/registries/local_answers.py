"""What a run answers without opening a connection: the cache's fresh answers, and those of the
registries no client can ask (``unsupported``).

:func:`answer_locally` is the verifier's first two gates on their own, importing no HTTP code,
so that a rerun whose identifiers are all cached does not load or start the HTTP client. It
gives the same outcomes the verifier would: a cache holds answers of network registries only,
and every other registry is answered by its :class:`UnsupportedClient`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from linker.errors import ConfigError
from linker.models import Registry
from linker.registries.cache import OutcomeCache
from linker.registries.interface import Outcome
from linker.registries.settings import NETWORK_REGISTRIES, RegistrySettings
from linker.registries.unsupported import UnsupportedClient

Key = tuple[Registry, str]


def bind_cache(cache: OutcomeCache | None, settings: RegistrySettings | None) -> None:
    """Scope the cache to the base URLs this run asks: another server's answers stay apart."""
    if cache is not None:
        settings = settings or RegistrySettings()
        cache.bind({registry: settings.base_url(registry) for registry in NETWORK_REGISTRIES})


def check_transports(replay: Path | None, record: Path | None) -> None:
    if replay is not None and record is not None:
        raise ConfigError("--replay and --record cannot be used together")


async def answer_locally(keys: Iterable[Key], cache: OutcomeCache | None) -> dict[Key, Outcome]:
    """The outcomes of ``keys`` known without a request (a bound ``cache``, if any)."""
    network: list[Key] = []
    others: dict[Registry, list[str]] = {}
    for registry, identifier in dict.fromkeys(keys):
        if registry in NETWORK_REGISTRIES:
            network.append((registry, identifier))
        else:
            others.setdefault(registry, []).append(identifier)
    answered = cache.get_many(network) if cache is not None and network else {}
    for registry, identifiers in others.items():
        outcomes = await UnsupportedClient(registry).verify_many(identifiers)
        answered.update(
            {(registry, identifier): outcomes[identifier] for identifier in identifiers}
        )
    return answered
