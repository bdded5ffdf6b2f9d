"""The ``fast_http`` fixture for registry client tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fast_http import make_fast_http

from linker.registries.http import RegistryHttp


@pytest.fixture
async def fast_http() -> AsyncIterator[RegistryHttp]:
    http = make_fast_http()
    try:
        yield http
    finally:
        await http.client.aclose()
