"""The guard behind "no test touches the network" (``tests/netguard``) refuses what it should,
in the test process and in the processes a test starts, and lets the loopback through."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from netguard.network_guard import guarded_calls, stays_local


def test_this_machine_is_told_from_the_rest() -> None:
    local = (
        "127.0.0.1",
        ("127.0.0.1", 80),
        ("::1", 80, 0, 0),
        "localhost",
        b"127.0.0.2",
        "0.0.0.0",
        "::",
    )
    for address in local:
        assert stays_local(address), address
    for address in ("192.0.2.1", ("192.0.2.1", 443), "clinicaltrials.gov", b"example.org"):
        assert not stays_local(address), address


def test_refuses_lookups_and_connections_beyond_the_loopback() -> None:
    refused: list[str] = []

    def refuse(what: str) -> None:
        refused.append(what)
        raise OSError(what)

    calls = {name: call for _, name, call in guarded_calls(refuse)}
    with pytest.raises(OSError):
        calls["getaddrinfo"]("www.isrctn.com", 443)
    with socket.socket() as client, pytest.raises(OSError):
        calls["connect"](client, ("192.0.2.1", 443))  # TEST-NET-1: refused before any packet
    assert refused == ["name lookup of 'www.isrctn.com'", "('192.0.2.1', 443)"]

    with socket.create_server(("127.0.0.1", 0)) as server, socket.socket() as client:
        assert calls["getaddrinfo"]("127.0.0.1", 80)
        calls["connect"](client, server.getsockname())
    assert len(refused) == 2


def test_a_child_process_is_refused_and_reported(_child_network_log: Path) -> None:
    code = (
        "import socket\n"
        "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "except OSError as error:\n    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "a test tried to reach the network" in done.stdout
    reported = _child_network_log.read_text(encoding="utf-8")
    assert "192.0.2.1" in reported
    _child_network_log.write_text("", encoding="utf-8")  # seen: not this test's failure
