"""One PubMed session per chunk of a streamed list: NCBI's spacing holds across sessions too."""

from __future__ import annotations

import time

import httpx
import pytest
import respx

from linker.sources import pubmed
from linker.sources.options import EnrichOptions, session


@respx.mock
async def test_consecutive_sessions_keep_ncbi_s_spacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubmed, "min_interval", lambda environ=None: 0.2)
    starts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        return httpx.Response(200, content=b"<PubmedArticleSet/>")

    respx.post(pubmed.EFETCH_URL).mock(side_effect=answer)
    for _ in range(2):  # two chunks
        async with session(EnrichOptions(sources=("pubmed",))) as http:
            await http.request(pubmed.NAME, "POST", pubmed.EFETCH_URL, data={"id": "1"})
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.15
