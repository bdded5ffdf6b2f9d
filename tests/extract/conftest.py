"""Every extraction test runs once per installed scanning backend (hyperscan, re2, re): the
fast paths must give exactly what the reference gives."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from linker.extract.scan import available_backends, current_backend, use_backend


@pytest.fixture(autouse=True, params=available_backends())
def scan_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    previous = current_backend()
    use_backend(request.param)
    yield request.param
    use_backend(previous)
