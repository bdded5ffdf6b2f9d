"""The refusal behind "no test touches the network", shared by the test process
(``tests/conftest.py``) and every Python process a test starts (``sitecustomize.py`` here):
a name lookup or a connection for anything off this machine is refused and reported."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

#: Where child processes write what they were refused (one line each); set by the conftest.
LOG_VARIABLE = "TRIAL_LINKER_TEST_NETWORK_LOG"


def stays_local(address: Any) -> bool:
    """Whether a socket address (or a host name) stays on this machine: the loopback or the
    wildcard."""
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return True  # AF_UNIX paths, a None host (the local wildcard) and the like
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    # The wildcard (0.0.0.0, ::) is where a local server binds, asked of getaddrinfo first
    # (Dask's workers do); connecting to it reaches this machine.
    return ip.is_loopback or ip.is_unspecified


def guarded_calls(refuse: Callable[[str], None]) -> list[tuple[object, str, Any]]:
    """``(owner, name, replacement)`` for ``socket.socket.connect``, ``connect_ex`` and
    ``socket.getaddrinfo``: each calls ``refuse`` with what was asked before it would leave
    this machine (``refuse`` raises), and otherwise does what the original does."""
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def guarded(real: Any) -> Any:
        def call(self: socket.socket, address: Any) -> Any:
            if self.family in (socket.AF_INET, socket.AF_INET6) and not stays_local(address):
                refuse(repr(address))
            return real(self, address)

        return call

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not stays_local(host):
            refuse(f"name lookup of {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    return [
        (socket.socket, "connect", guarded(connect)),
        (socket.socket, "connect_ex", guarded(connect_ex)),
        (socket, "getaddrinfo", lookup),
    ]
