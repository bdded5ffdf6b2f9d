"""How the HTTP layer behaves: timeouts, retries and each host's pacing, as plain settings.

Apart from :mod:`linker.registries.http` so that reading settings does not import the HTTP
client library (a warm run answered from the cache never opens a connection).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from linker.models import Registry

# What requests are paced by: a registry, or another service by name ("pubmed").
Host = Registry | str


@dataclass(frozen=True)
class HostPolicy:
    """Politeness towards one registry."""

    concurrency: int = 2
    min_interval: float = 1.0  # seconds between request starts; 0 disables pacing


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 30.0  # seconds to wait for an answer, per attempt
    connect_timeout: float = 5.0  # seconds to wait for a connection, per attempt
    attempts: int = 4  # first try included
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    retry_after_cap: float = 60.0
    policies: Mapping[Registry, HostPolicy] = field(default_factory=dict)
    default_policy: HostPolicy = HostPolicy()

    def policy(self, registry: Host) -> HostPolicy:
        if isinstance(registry, Registry):
            return self.policies.get(registry, self.default_policy)
        return self.default_policy
