"""Registry HTTP for client tests: retries with tiny back-off, no pacing, no network."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx

from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, make_client

FAST_SETTINGS = HttpSettings(
    timeout=5.0,
    attempts=3,
    backoff_initial=0.01,
    backoff_max=0.02,
    retry_after_cap=0.05,
    default_policy=HostPolicy(concurrency=4, min_interval=0),
)


def make_fast_http(
    settings: HttpSettings = FAST_SETTINGS, *, follow_redirects: bool = True
) -> RegistryHttp:
    """A RegistryHttp whose retries take milliseconds.

    Close it with ``await http.client.aclose()``. ``follow_redirects=False`` gives a client
    that hands 3xx answers back to the registry client.
    """
    client = make_client(settings)
    if not follow_redirects:
        client.follow_redirects = False
    return RegistryHttp(client, settings)


def persistent(responses: Sequence[Any]) -> Callable[[httpx.Request], httpx.Response]:
    """A respx side effect giving ``responses`` in turn, then the last one for ever: a fault
    that lasts through retries and batch splits. Exceptions among them are raised."""
    answers = iter(responses)

    def answer(_: httpx.Request) -> httpx.Response:
        item = next(answers, responses[-1])
        if isinstance(item, BaseException):
            raise item
        return item  # type: ignore[no-any-return]

    return answer
