"""The test browser cannot leave the machine: a page that loads from anywhere gets nothing,
stopped by the browser's own settings (``chromium.CHROMIUM_ARGS``), not by this machine's
closed network.

The hosts asked for exist nowhere (``.invalid`` names, RFC 2606, and TEST-NET-1, RFC 5737), so
this test names no live registry and could reach none even were those settings lost: it would
fail then with a name-resolution or connection error instead of the proxy's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

RECORD = "https://registry.invalid/study/NCT01506986"
IMAGE = "https://images.registry.invalid/ISRCTN10134725.png"
ADDRESS = "http://192.0.2.1/x.png"


def test_no_page_or_resource_can_be_reached(browser: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "links.html"
    page_file.write_text(
        f'<a id="ct" href="{RECORD}">record</a><img src="{IMAGE}"><img src="{ADDRESS}">',
        encoding="utf-8",
    )
    context = browser.new_context()
    try:
        page = context.new_page()
        failed: dict[str, str | None] = {}
        answered: list[str] = []
        page.on("requestfailed", lambda request: failed.update({request.url: request.failure}))
        page.on("response", lambda response: answered.append(response.url))
        page.goto(page_file.as_uri(), wait_until="load")
        try:
            page.goto(RECORD, timeout=10_000)
        except Exception as error:  # playwright's Error: the navigation failed here
            assert "ERR_PROXY_CONNECTION_FAILED" in str(error)
        else:
            raise AssertionError("a page off this machine loaded")
        assert answered == [page_file.as_uri()]
        assert {IMAGE, ADDRESS, RECORD} <= failed.keys()
        assert set(failed.values()) == {"net::ERR_PROXY_CONNECTION_FAILED"}
    finally:
        context.close()
