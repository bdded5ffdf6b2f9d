"""One client per registry for a run: the four the tool can ask, ``unsupported`` for the rest."""

from __future__ import annotations

from datetime import date

from linker.models import Registry
from linker.registries.ctgov import CtgovClient
from linker.registries.ctis import CtisClient
from linker.registries.euctr import EuctrClient
from linker.registries.http import RegistryHttp
from linker.registries.interface import RegistryClient
from linker.registries.isrctn import IsrctnClient, utc_today
from linker.registries.settings import RegistrySettings
from linker.registries.unsupported import UnsupportedClient


def build_clients(
    http: RegistryHttp, settings: RegistrySettings | None = None, today: date | None = None
) -> dict[Registry, RegistryClient]:
    """A client for every :class:`Registry` value, sharing ``http``.

    The EUCTR client asks CTIS about EudraCT numbers EUCTR does not show: trials that
    transitioned to CTIS got a new EU CT number there. ``today`` fixes the date that statuses
    derived from dates (ISRCTN has no status field) are judged at; default: the real date."""
    settings = settings or RegistrySettings()
    isrctn_today = (lambda: today) if today is not None else utc_today
    ctis = CtisClient(http, settings.base_url(Registry.CTIS))
    clients: dict[Registry, RegistryClient] = {
        Registry.CTGOV: CtgovClient(http, settings.base_url(Registry.CTGOV)),
        Registry.ISRCTN: IsrctnClient(http, settings.base_url(Registry.ISRCTN), today=isrctn_today),
        Registry.EUCTR: EuctrClient(http, settings.base_url(Registry.EUCTR), ctis=ctis),
        Registry.CTIS: ctis,
    }
    for registry in Registry:
        if registry not in clients:
            clients[registry] = UnsupportedClient(registry)
    return clients
