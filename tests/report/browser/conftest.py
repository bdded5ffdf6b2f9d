"""One headless system Chromium per test module; the tests skip where none is installed.

Module scope, not session: Playwright's sync API keeps an event loop running in this thread
while it is open, and the other tests' ``asyncio.run`` must not find it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chromium import launch, missing_reason


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = missing_reason()
    if reason:
        pytest.skip(f"browser tests need Chromium and Playwright: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
