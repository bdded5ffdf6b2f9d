"""One client per registry for a run: the four the tool can ask, ``unsupported`` for the rest."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import cast

from linker.models import Registry
from linker.registries.http import RegistryHttp
from linker.registries.interface import RegistryClient
from linker.registries.settings import RegistrySettings

# Module and class per queryable registry; imported on first use, so importing this module
# costs nothing and a broken client module only fails the run that needs it.
CLIENT_CLASSES: Mapping[Registry, tuple[str, str]] = {
    Registry.CTGOV: ("linker.registries.ctgov", "CtgovClient"),
    Registry.ISRCTN: ("linker.registries.isrctn", "IsrctnClient"),
    Registry.EUCTR: ("linker.registries.euctr", "EuctrClient"),
    Registry.CTIS: ("linker.registries.ctis", "CtisClient"),
}
UNSUPPORTED_CLASS = ("linker.registries.unsupported", "UnsupportedClient")


def _load(module: str, name: str) -> Callable[..., RegistryClient]:
    return cast(Callable[..., RegistryClient], getattr(importlib.import_module(module), name))


def build_clients(
    http: RegistryHttp, settings: RegistrySettings | None = None
) -> dict[Registry, RegistryClient]:
    """A client for every :class:`Registry` value, sharing ``http``."""
    settings = settings or RegistrySettings()
    unsupported = _load(*UNSUPPORTED_CLASS)
    clients: dict[Registry, RegistryClient] = {}
    for registry in Registry:
        if registry in CLIENT_CLASSES:
            client_class = _load(*CLIENT_CLASSES[registry])
            clients[registry] = client_class(http, settings.base_url(registry))
        else:
            clients[registry] = unsupported(registry)
    return clients
