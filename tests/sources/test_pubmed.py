"""The PubMed client: efetch batching, pacing, unknown PMIDs, bad answers, cache, replay."""

from __future__ import annotations

import math
import time
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from support import ROOT

from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, make_client
from linker.sources import pubmed
from linker.sources.cache import PaperCache
from linker.sources.enrich import EnrichOptions, enrich, fetch_records
from linker.sources.interface import PaperOutcomeKind
from linker.sources.pubmed import PubmedClient, parse_efetch
from linker.sources.store import PubmedStore

FIXTURES = ROOT / "fixtures" / "pubmed"
REAL = {"29514256": "NCT01095302", "29438982": "NCT00351390", "22705118": "NCT00881296"}
EMPTY_SET = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
FAST = HttpSettings(
    timeout=5.0,
    attempts=2,
    backoff_initial=0.01,
    backoff_max=0.02,
    default_policy=HostPolicy(concurrency=1, min_interval=0),
)


def answer_for(pmids: list[str]) -> bytes:
    """An efetch answer holding the real fixture records among ``pmids``."""
    articles = []
    for pmid in pmids:
        path = FIXTURES / f"{pmid}.xml"
        if path.exists():
            body = path.read_bytes()
            start = body.index(b"<PubmedArticle>")
            end = body.rindex(b"</PubmedArticle>") + len(b"</PubmedArticle>")
            articles.append(body[start:end])
    return (
        b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
        + b"\n".join(articles)
        + (b"\n</PubmedArticleSet>\n")
    )


def requested(request: httpx.Request) -> list[str]:
    form = parse_qs(request.content.decode())
    return form["id"][0].split(",")


async def fetch(pmids: list[str], settings: HttpSettings = FAST) -> dict[str, object]:
    async with make_client(settings) as client:
        source = PubmedClient(RegistryHttp(client, settings), email="test@example.org")
        return dict(await source.fetch_many(pmids))


@respx.mock
@pytest.mark.parametrize("count", [1, 200, 201, 450])
async def test_efetch_posts_ceil_n_over_200(count: int) -> None:
    route = respx.post(pubmed.EFETCH_URL).mock(
        side_effect=lambda request: httpx.Response(200, content=answer_for(requested(request)))
    )
    pmids = [str(10_000_000 + i) for i in range(count)]
    outcomes = await fetch(pmids)
    assert route.call_count == math.ceil(count / 200)
    sizes = [len(requested(call.request)) for call in route.calls]
    assert sizes and max(sizes) <= 200 and sum(sizes) == count
    form = parse_qs(route.calls[0].request.content.decode())
    assert form["db"] == ["pubmed"] and form["retmode"] == ["xml"]
    assert form["tool"] == ["trial-linker"] and form["email"] == ["test@example.org"]
    assert set(outcomes) == set(pmids)


@respx.mock
async def test_found_records_carry_abstract_databank_ids_and_types() -> None:
    respx.post(pubmed.EFETCH_URL).mock(
        side_effect=lambda request: httpx.Response(200, content=answer_for(requested(request)))
    )
    outcomes = await fetch(list(REAL))
    for pmid, nct in REAL.items():
        outcome = outcomes[pmid]
        assert outcome.kind is PaperOutcomeKind.FOUND  # type: ignore[attr-defined]
        record = outcome.record  # type: ignore[attr-defined]
        assert record.abstract and record.title
        assert [d.accession for d in record.databank_ids] == [nct]
        assert record.url == f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    assert "Clinical Trial, Phase I" in outcomes["29514256"].record.publication_types  # type: ignore[attr-defined]


@respx.mock
async def test_unknown_pmid_is_not_found_the_others_found() -> None:
    respx.post(pubmed.EFETCH_URL).mock(
        side_effect=lambda request: httpx.Response(200, content=answer_for(requested(request)))
    )
    outcomes = await fetch(["29514256", "99999999"])
    assert outcomes["29514256"].kind is PaperOutcomeKind.FOUND  # type: ignore[attr-defined]
    assert outcomes["99999999"].kind is PaperOutcomeKind.NOT_FOUND  # type: ignore[attr-defined]


@respx.mock
@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            httpx.Response(200, content=b"<?xml version='1.0'?><PubmedArticleSet><PubmedArt"),
            "malformed",
        ),
        (
            httpx.Response(
                200,
                content=b"<!DOCTYPE html><html><body>Service unavailable</body></html>",
                headers={"content-type": "text/html"},
            ),
            "HTML page",
        ),
        (
            httpx.Response(
                200, content=b'<?xml version="1.0"?><eFetchResult><ERROR>x</ERROR></eFetchResult>'
            ),
            "error document",
        ),
        (httpx.Response(200, content=b'{"esearchresult": {}}'), "not PubMed XML"),
        (httpx.Response(400, content=b"bad request"), "HTTP 400"),
        (httpx.Response(503), "HTTP 503"),
    ],
)
async def test_bad_answers_are_unverified_never_not_found(
    response: httpx.Response, reason: str
) -> None:
    respx.post(pubmed.EFETCH_URL).mock(return_value=response)
    outcomes = await fetch(["29514256", "99999999"])
    for outcome in outcomes.values():
        assert outcome.kind is PaperOutcomeKind.UNVERIFIED  # type: ignore[attr-defined]
        assert reason in (outcome.reason or "")  # type: ignore[attr-defined]


@respx.mock
async def test_requests_are_paced() -> None:
    starts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        return httpx.Response(200, content=answer_for(requested(request)))

    respx.post(pubmed.EFETCH_URL).mock(side_effect=answer)
    settings = HttpSettings(default_policy=HostPolicy(concurrency=1, min_interval=0.2))
    await fetch([str(20_000_000 + i) for i in range(600)], settings)
    assert len(starts) == 3
    gaps = [b - a for a, b in pairwise(starts)]
    assert min(gaps) >= 0.15


def test_ncbi_rate_limits() -> None:
    assert pubmed.min_interval({}) == pytest.approx(1 / 3)
    assert pubmed.min_interval({"NCBI_API_KEY": "k"}) == pytest.approx(1 / 10)


def test_api_key_is_sent_when_set() -> None:
    client = PubmedClient(RegistryHttp(httpx.AsyncClient()), api_key="secret", email="e@x")
    assert client.form(["1"])["api_key"] == "secret"


@respx.mock
async def test_cache_answers_found_and_not_found_never_unverified(tmp_path: Path) -> None:
    route = respx.post(pubmed.EFETCH_URL).mock(
        side_effect=lambda request: httpx.Response(200, content=answer_for(requested(request)))
    )
    options = EnrichOptions(sources=("pubmed",), cache=PaperCache(tmp_path))
    first = await fetch_records(["29514256", "99999999"], options)
    assert route.call_count == 1
    again = await fetch_records(["29514256", "99999999"], options)
    assert route.call_count == 1  # both from the cache
    assert again["29514256"].from_cache and again["99999999"].kind is PaperOutcomeKind.NOT_FOUND
    assert first["29514256"].record == again["29514256"].record

    respx.post(pubmed.EFETCH_URL).mock(return_value=httpx.Response(503))
    options = EnrichOptions(sources=("pubmed",), cache=PaperCache(tmp_path / "other"))
    failed = await fetch_records(["22705118"], options)
    assert failed["22705118"].kind is PaperOutcomeKind.UNVERIFIED
    assert PaperCache(tmp_path / "other").get_many("pubmed", ["22705118"]) == {}


async def test_offline_is_unverified() -> None:
    outcomes = await fetch_records(["29514256"], EnrichOptions(sources=("pubmed",), offline=True))
    assert outcomes["29514256"].kind is PaperOutcomeKind.UNVERIFIED
    assert outcomes["29514256"].reason == "offline"


@respx.mock
async def test_record_then_replay_per_pmid(tmp_path: Path) -> None:
    respx.post(pubmed.EFETCH_URL).mock(
        side_effect=lambda request: httpx.Response(200, content=answer_for(requested(request)))
    )
    recorded = await fetch_records(
        ["29514256", "22705118", "99999999"], EnrichOptions(sources=("pubmed",), record=tmp_path)
    )
    assert sorted(p.name for p in (tmp_path / "pubmed").iterdir()) == [
        "22705118.xml",
        "29514256.xml",
        "99999999.xml",
    ]
    respx.post(pubmed.EFETCH_URL).mock(side_effect=AssertionError("no network when replaying"))
    replayed = await fetch_records(
        ["22705118", "99999999", "11111111"], EnrichOptions(sources=("pubmed",), replay=tmp_path)
    )
    assert replayed["22705118"].record == recorded["22705118"].record
    assert replayed["99999999"].kind is PaperOutcomeKind.NOT_FOUND
    assert replayed["11111111"].kind is PaperOutcomeKind.UNVERIFIED
    assert replayed["11111111"].reason == "not in replay store"


def test_empty_set_is_not_found_and_store_rejects_odd_names(tmp_path: Path) -> None:
    assert parse_efetch(EMPTY_SET, ["1"])["1"].kind is PaperOutcomeKind.NOT_FOUND
    assert PubmedStore(tmp_path).path("../etc") is None


def test_enrich_adds_abstract_si_and_types_located_at_pubmed() -> None:
    from linker.extract.mentions import extract_mentions
    from linker.models import Publication

    outcome = parse_efetch((FIXTURES / "22705118.xml").read_bytes(), ["22705118"])["22705118"]
    bare = Publication(
        key="22705118", title="t", pmid="22705118", file="list.csv", line=2, end_line=2, ordinal=1
    )
    done = enrich(bare, outcome)
    assert done.abstract and done.publication_types
    si = [m for m in extract_mentions(done) if m.field == "pubmed-si"]
    assert [m.id for m in si] == ["NCT00881296"]
    assert si[0].file == "https://pubmed.ncbi.nlm.nih.gov/22705118/"
    kept = enrich(bare.model_copy(update={"abstract": "own"}), outcome)
    assert kept.abstract == "own"


@respx.mock
async def test_an_html_page_is_retried_before_it_is_unverified() -> None:
    route = respx.post(pubmed.EFETCH_URL).mock(
        side_effect=[
            httpx.Response(200, content=b"<!DOCTYPE html><html>Service unavailable</html>"),
            httpx.Response(200, content=answer_for(["29514256"])),
        ]
    )
    outcomes = await fetch(["29514256"])
    assert route.call_count == 2
    assert outcomes["29514256"].kind is PaperOutcomeKind.FOUND  # type: ignore[attr-defined]
