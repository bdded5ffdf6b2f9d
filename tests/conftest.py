"""Fixtures shared by every test; plain helpers live in ``support.py``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from netguard.network_guard import LOG_VARIABLE, guarded_calls
from support import FIXTURES

NETGUARD = Path(__file__).resolve().parent / "netguard"


@pytest.fixture(scope="session")
def _child_network_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A file where every Python process a test starts writes the network use it was refused
    (``netguard/sitecustomize.py``, put first on those processes' ``PYTHONPATH``)."""
    log = tmp_path_factory.mktemp("netguard") / "refused.log"
    log.touch()
    saved = {name: os.environ.get(name) for name in (LOG_VARIABLE, "PYTHONPATH")}
    os.environ[LOG_VARIABLE] = str(log)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETGUARD), saved["PYTHONPATH"]]))
    yield log
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, _child_network_log: Path) -> Iterator[None]:
    """No test touches the network: a name lookup or a connection for anything off this
    machine fails loudly, here and in every Python process the test starts (respx answers
    before a socket is opened; local servers listen on 127.0.0.1). The test fails even where
    the code under test catches that error (the verifier turns a failed connection into
    "unverified", which would hide it)."""
    attempts: list[str] = []

    def refuse(what: str) -> None:
        attempts.append(what)
        raise AssertionError(f"a test tried to reach the network: {what}")

    for owner, name, call in guarded_calls(refuse):
        monkeypatch.setattr(owner, name, call)
    yield
    children = _child_network_log.read_text(encoding="utf-8")
    _child_network_log.write_text("", encoding="utf-8")
    assert not attempts, f"a test tried to reach the network: {attempts}"
    assert not children, f"a process a test started tried to reach the network:\n{children}"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
