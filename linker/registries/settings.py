"""Where each registry lives and how politely to ask it: one plain, validated model.

Layering (lowest first): built-in defaults, then the project configuration
(``pyproject.toml [tool.trial-linker]``, passed in as ``overrides``), then the environment
(``TRIAL_LINKER_<REGISTRY>_URL``); CLI flags go on top with :meth:`RegistrySettings.merged`.

A base URL replaces only the scheme, host and leading path: clients append the same paths below
it, so a mirror or a local test server stands in for the registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from linker.errors import ConfigError
from linker.models import Registry
from linker.registries.cache import parse_duration
from linker.registries.http_settings import HostPolicy, HttpSettings

DEFAULT_BASE_URLS: Mapping[Registry, str] = {
    Registry.CTGOV: "https://clinicaltrials.gov/api/v2",
    Registry.ISRCTN: "https://www.isrctn.com",
    Registry.EUCTR: "https://www.clinicaltrialsregister.eu",
    Registry.CTIS: "https://euclinicaltrials.eu",
}
NETWORK_REGISTRIES: frozenset[Registry] = frozenset(DEFAULT_BASE_URLS)


def env_var(registry: Registry) -> str:
    """The environment variable that overrides a registry's base URL."""
    return f"TRIAL_LINKER_{registry.value.upper()}_URL"


class RegistryEndpoint(BaseModel):
    """One registry: where it is, and the pacing towards it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    base_url: str
    min_interval: float = Field(
        default=1.0,
        ge=0,
        description='Seconds between request starts ("1s", "500ms" accepted); 0 disables pacing.',
    )
    concurrency: int = Field(default=2, ge=1, le=64, description="Requests in flight at once.")

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")) or len(value) <= len("https://"):
            raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
        return value.rstrip("/")

    @field_validator("min_interval", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value

    @property
    def policy(self) -> HostPolicy:
        return HostPolicy(concurrency=self.concurrency, min_interval=self.min_interval)


def _endpoint(registry: Registry) -> Any:
    return Field(default_factory=lambda: RegistryEndpoint(base_url=DEFAULT_BASE_URLS[registry]))


class RegistrySettings(BaseModel):
    """Everything the registry layer needs from configuration."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ctgov: RegistryEndpoint = _endpoint(Registry.CTGOV)
    isrctn: RegistryEndpoint = _endpoint(Registry.ISRCTN)
    euctr: RegistryEndpoint = _endpoint(Registry.EUCTR)
    ctis: RegistryEndpoint = _endpoint(Registry.CTIS)
    timeout: float = Field(default=30.0, gt=0, description="Seconds per request attempt.")
    connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for a connection, per attempt."
    )
    attempts: int = Field(default=4, ge=1, le=10, description="Tries per request, first included.")

    @field_validator("timeout", "connect_timeout", mode="before")
    @classmethod
    def _timeout_duration(cls, value: object) -> object:
        return parse_duration(value) if isinstance(value, str) else value

    def endpoint(self, registry: Registry) -> RegistryEndpoint:
        if registry not in NETWORK_REGISTRIES:
            raise KeyError(f"{registry.value} has no network endpoint")
        endpoint: RegistryEndpoint = getattr(self, registry.value)
        return endpoint

    def base_url(self, registry: Registry) -> str:
        return self.endpoint(registry).base_url

    def http_settings(self, *, pacing: bool = True) -> HttpSettings:
        """The HTTP layer's view; ``pacing=False`` (replay) drops every minimum interval."""
        policies = {}
        for registry in NETWORK_REGISTRIES:
            policy = self.endpoint(registry).policy
            if not pacing:
                policy = HostPolicy(concurrency=policy.concurrency, min_interval=0.0)
            policies[registry] = policy
        return HttpSettings(
            timeout=self.timeout,
            connect_timeout=self.connect_timeout,
            attempts=self.attempts,
            policies=policies,
        )

    def merged(self, overrides: Mapping[str, Any]) -> RegistrySettings:
        """A copy with ``overrides`` (same shape as the model, nested per registry) applied."""
        return _validate(deep_merge(self.model_dump(), overrides))

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> RegistrySettings:
        """Defaults, then ``overrides`` (project config), then the environment's base URLs.

        Raises :class:`~linker.errors.ConfigError` with one readable line on invalid values.
        """
        layered = deep_merge(cls().model_dump(), overrides or {})
        for registry in sorted(NETWORK_REGISTRIES):
            url = (environ or {}).get(env_var(registry), "").strip()
            if url:
                layered[registry.value]["base_url"] = url
        return _validate(layered, environ_used=environ is not None)


def deep_merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``overrides`` applied, nested tables merged key by key."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(data: Mapping[str, Any], *, environ_used: bool = False) -> RegistrySettings:
    try:
        return RegistrySettings.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
            for issue in error.errors()
        )
        hint = " (check TRIAL_LINKER_*_URL too)" if environ_used else ""
        raise ConfigError(f"invalid registry settings: {problems}{hint}") from error
