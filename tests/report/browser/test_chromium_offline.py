"""The test browser cannot reach a live registry: a page that loads from one gets nothing,
stopped by the browser's own settings (``chromium.CHROMIUM_ARGS``), not by this machine's
closed network."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_a_registry_page_cannot_be_reached(browser: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "links.html"
    page_file.write_text(
        '<a id="ct" href="https://clinicaltrials.gov/study/NCT01506986">record</a>'
        '<img src="https://www.isrctn.com/ISRCTN10134725.png">'
        '<img src="http://192.0.2.1/x.png">',
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
            page.goto("https://clinicaltrials.gov/study/NCT01506986", timeout=10_000)
        except Exception as error:  # playwright's Error: the navigation failed here
            assert "ERR_PROXY_CONNECTION_FAILED" in str(error)
        else:
            raise AssertionError("a live registry page loaded")
        assert answered == [page_file.as_uri()]
        assert {
            "https://www.isrctn.com/ISRCTN10134725.png",
            "http://192.0.2.1/x.png",
            "https://clinicaltrials.gov/study/NCT01506986",
        } <= failed.keys()
        assert set(failed.values()) == {"net::ERR_PROXY_CONNECTION_FAILED"}
    finally:
        context.close()
