"""Why a request got no usable answer, in words, and which registries not to ask again.

A reason names the host and the cause: ``clinicaltrials.gov: name resolution failed``,
``connection refused``, ``no connection within 5 s``, ``no answer within 30 s``,
``HTTP 503 (4 tries)``. A registry that could not be connected to (or that let a request run
out of attempts on timeouts) is not asked again for the rest of the run: :class:`CircuitBreaker`
answers its later requests at once with the same reason, so a run with no network ends in
seconds, not minutes.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator

import httpx

from linker.models import Registry


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _seconds(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def transport_cause(error: httpx.TransportError, timeouts: httpx.Timeout) -> str:
    """The cause of a transport failure in a few words."""
    if isinstance(error, httpx.ConnectTimeout):
        return f"no connection within {_seconds(timeouts.connect)} s"
    if isinstance(error, httpx.ReadTimeout):
        return f"no answer within {_seconds(timeouts.read)} s"
    if isinstance(error, httpx.WriteTimeout):
        return f"could not send the request within {_seconds(timeouts.write)} s"
    if isinstance(error, httpx.PoolTimeout):
        return "no free connection (too many requests at once)"
    for cause in _chain(error):
        if isinstance(cause, socket.gaierror):
            return "name resolution failed (no network, or no DNS)"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ssl.SSLError):
            return "TLS handshake failed"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
    text = str(error).lower()
    if (
        "name or service not known" in text
        or "nodename nor servname" in text
        or ("temporary failure in name resolution" in text)
    ):
        return "name resolution failed (no network, or no DNS)"
    if "connection refused" in text:
        return "connection refused"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the connection closed without an answer"
    if isinstance(error, httpx.ConnectError):
        return "could not connect"
    return f"connection error ({type(error).__name__})"


def breaks_circuit(error: BaseException) -> bool:
    """Whether a failure says the registry cannot be reached at all this run."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)


def tries(count: int) -> str:
    return "1 try" if count == 1 else f"{count} tries"


class CircuitBreaker:
    """Per registry (or other service, by name): the reason it was given up on, once a
    request could not reach it."""

    def __init__(self) -> None:
        self._open: dict[Registry | str, str] = {}

    def reason(self, registry: Registry | str) -> str | None:
        return self._open.get(registry)

    def trip(self, registry: Registry | str, reason: str) -> None:
        self._open.setdefault(registry, reason)

    @property
    def open(self) -> dict[Registry | str, str]:
        return dict(self._open)
