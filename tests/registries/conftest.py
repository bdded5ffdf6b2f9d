"""Fast registry HTTP for client tests: retries with tiny back-off, no pacing, no network."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, make_client


def _load_root_conftest() -> object:
    # pytest imports every conftest.py as the module "conftest", so a test that does
    # ``from conftest import shared_path`` may get this file: re-export the root helpers.
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("_trial_linker_root_conftest", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_root = _load_root_conftest()
ROOT: Path = _root.ROOT  # type: ignore[attr-defined]
FIXTURES: Path = _root.FIXTURES  # type: ignore[attr-defined]
SHARED: Path = _root.SHARED  # type: ignore[attr-defined]
shared_path = _root.shared_path  # type: ignore[attr-defined]

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


@pytest.fixture
async def fast_http() -> AsyncIterator[RegistryHttp]:
    http = make_fast_http()
    try:
        yield http
    finally:
        await http.client.aclose()


__all__ = [
    "FAST_SETTINGS",
    "FIXTURES",
    "ROOT",
    "SHARED",
    "fast_http",
    "make_fast_http",
    "shared_path",
]
