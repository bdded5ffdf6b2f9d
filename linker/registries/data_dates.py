"""The registries' own data dates, for the run settings every report carries.

ClinicalTrials.gov answers ``GET /version`` with ``{"apiVersion": "2.0.5", "dataTimestamp":
"yyyy-MM-ddTHH:mm:ss"}`` (research/registries.md); the others publish no such date. A failed or
odd answer leaves the date out: it describes the run, it is never a finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from linker.models import Registry
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.settings import RegistrySettings


async def data_dates(
    http: RegistryHttp, settings: RegistrySettings, asked: Iterable[Registry]
) -> dict[Registry, str]:
    """The data date of each registry in ``asked`` that gives one."""
    dates: dict[Registry, str] = {}
    if Registry.CTGOV in set(asked):
        stamp = await ctgov_data_timestamp(http, settings.base_url(Registry.CTGOV))
        if stamp is not None:
            dates[Registry.CTGOV] = stamp
    return dates


async def ctgov_data_timestamp(http: RegistryHttp, base_url: str) -> str | None:
    try:
        response = await http.get(Registry.CTGOV, f"{base_url.rstrip('/')}/version")
    except Unreachable:
        return None
    if response.status_code != 200:
        return None
    try:
        document = response.json()
    except ValueError:
        return None
    stamp = document.get("dataTimestamp") if isinstance(document, dict) else None
    return stamp.strip() if isinstance(stamp, str) and stamp.strip() else None
