"""DOI -> PMID through PubMed's esearch: batching, mapping by the fetched records, bad answers
unverified never not-found, retries, the shared pacing, the cache, offline, record/replay."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from support import ROOT
from test_pubmed import FAST
from test_pubmed import answer_for as efetch_for

from linker.registries.http import HttpSettings, RegistryHttp, make_client
from linker.sources import doi as doi_source
from linker.sources import pubmed
from linker.sources.cache import DoiCache
from linker.sources.doi import DoiLink, DoiResolver, normalise_doi, parse_esearch
from linker.sources.doi_lookup import resolve_dois
from linker.sources.enrich import EnrichOptions, complete, fetch_records
from linker.sources.interface import PaperOutcome, PaperOutcomeKind
from linker.sources.store import PubmedStore

FIXTURES = ROOT / "fixtures" / "pubmed"
REAL = {  # the real efetch records in fixtures/pubmed, by their DOI
    "10.1016/j.lungcan.2012.05.106": "22705118",
    "10.1161/circheartfailure.117.004278": "29438982",
    "10.1093/jjco/hyy026": "29514256",
}
FOUND, NOT_FOUND, UNVERIFIED = (
    PaperOutcomeKind.FOUND,
    PaperOutcomeKind.NOT_FOUND,
    PaperOutcomeKind.UNVERIFIED,
)


def esearch(ids: Sequence[str], count: int | None = None) -> bytes:
    result = {"count": str(len(ids) if count is None else count), "idlist": list(ids)}
    return json.dumps({"header": {"type": "esearch"}, "esearchresult": result}).encode()


def terms(request: httpx.Request) -> list[str]:
    term = parse_qs(request.content.decode())["term"][0]
    return [part.removeprefix('"').removesuffix('"[doi]') for part in term.split(" OR ")]


def pubmed_answers(request: httpx.Request) -> httpx.Response:
    """esearch and efetch as PubMed would answer them for the fixture records."""
    if request.url.path.endswith("esearch.fcgi"):
        return httpx.Response(200, content=esearch([REAL[d] for d in terms(request) if d in REAL]))
    pmids = parse_qs(request.content.decode())["id"][0].split(",")
    return httpx.Response(200, content=efetch_for(pmids))


async def resolve(dois: list[str], settings: HttpSettings = FAST) -> dict[str, DoiLink]:
    async with make_client(settings) as client:
        http = RegistryHttp(client, settings)
        records = pubmed.PubmedClient(http, email="t@example.org")

        async def fetch(pmids: Sequence[str]) -> Mapping[str, PaperOutcome]:
            return await records.fetch_many(pmids)

        return await DoiResolver(http, fetch, email="t@example.org").resolve_many(dois)


def test_dois_are_normalised() -> None:
    assert normalise_doi(" https://doi.org/10.1093/JJCO/hyy026 ") == "10.1093/jjco/hyy026"
    assert normalise_doi("doi:10.1016/S0140-6736(18)30000-X") == "10.1016/s0140-6736(18)30000-x"
    assert normalise_doi("not a doi") is None
    assert normalise_doi('10.1000/a"b') is None  # cannot be quoted in a search term
    assert normalise_doi(None) is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"esearchresult": {"ERROR": "Search Backend failed"}}', "Search Backend failed"),
        (b'{"error": "API rate limit exceeded", "count": "11"}', "API rate limit exceeded"),
        (b"<!DOCTYPE html><html><body>down</body></html>", "HTML page"),
        (b"<?xml version='1.0'?><eSearchResult/>", "not JSON"),
        (b'{"esearchresult": {"count": "1"}}', "malformed"),
        (b'{"esearchresult": {"count": "0", "idlist": ["1"]}}', "malformed"),
        (b"[]", "not an esearch answer"),
    ],
)
def test_bad_search_answers_say_why(body: bytes, reason: str) -> None:
    problem = parse_esearch(body)
    assert isinstance(problem, str) and reason in problem


@respx.mock
@pytest.mark.parametrize("count", [1, 50, 51, 120])
async def test_esearch_posts_ceil_n_over_50_with_tool_and_email(count: int) -> None:
    route = respx.post(doi_source.ESEARCH_URL).mock(
        return_value=httpx.Response(200, content=esearch([]))
    )
    dois = [f"10.1000/x{i}" for i in range(count)]
    links = await resolve(dois)
    assert route.call_count == math.ceil(count / 50)
    assert sum(len(terms(call.request)) for call in route.calls) == count
    form = parse_qs(route.calls[0].request.content.decode())
    assert form["db"] == ["pubmed"] and form["retmode"] == ["json"]
    assert form["tool"] == ["trial-linker"] and form["email"] == ["t@example.org"]
    assert form["term"][0].startswith('"10.1000/x0"[doi]')
    assert {link.kind for link in links.values()} == {NOT_FOUND}
    assert "not every journal is in PubMed" in (links[dois[0]].reason or "")


@respx.mock
async def test_a_batch_is_matched_to_pmids_by_the_fetched_records() -> None:
    respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=pubmed_answers)
    links = await resolve([*REAL, "10.1000/not-in-pubmed"])
    assert {d: links[d].pmid for d in REAL} == REAL
    assert links["10.1000/not-in-pubmed"].kind is NOT_FOUND


@respx.mock
async def test_unmatched_hits_leave_the_other_dois_unverified() -> None:
    """A PMID whose record does not carry any asked DOI: the DOIs left could be that one."""
    respx.post(doi_source.ESEARCH_URL).mock(
        return_value=httpx.Response(200, content=esearch(["22705118", "11111111"]))
    )
    respx.post(pubmed.EFETCH_URL).mock(
        return_value=httpx.Response(200, content=efetch_for(["22705118"]))
    )
    links = await resolve(["10.1016/j.lungcan.2012.05.106", "10.1000/other"])
    assert links["10.1016/j.lungcan.2012.05.106"].pmid == "22705118"
    assert links["10.1000/other"].kind is UNVERIFIED
    assert "could not be matched" in (links["10.1000/other"].reason or "")


@respx.mock
async def test_a_lone_doi_maps_directly_without_efetch() -> None:
    respx.post(doi_source.ESEARCH_URL).mock(
        return_value=httpx.Response(200, content=esearch(["22705118"]))
    )
    efetch = respx.post(pubmed.EFETCH_URL).mock(side_effect=AssertionError("not needed"))
    links = await resolve(["10.1016/j.lungcan.2012.05.106"])
    assert links["10.1016/j.lungcan.2012.05.106"].pmid == "22705118"
    assert not efetch.called


@respx.mock
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(503),
        httpx.Response(429),
        httpx.Response(400, content=b"bad request"),
        httpx.Response(200, content=b"<!DOCTYPE html><html>Service unavailable</html>"),
        httpx.Response(200, content=b'{"esearchresult": {"ERROR": "Search Backend failed"}}'),
        httpx.Response(200, content=b'{"esearchresult": {"count": "1", "idl'),
    ],
)
async def test_bad_answers_are_unverified_never_not_found(response: httpx.Response) -> None:
    route = respx.post(doi_source.ESEARCH_URL).mock(return_value=response)
    links = await resolve(["10.1000/a", "10.1000/b"])
    assert {link.kind for link in links.values()} == {UNVERIFIED}
    assert all(link.reason for link in links.values())
    if response.status_code != 400:
        assert route.call_count == FAST.attempts  # retried


@respx.mock
async def test_a_failure_then_an_answer_is_retried() -> None:
    respx.post(doi_source.ESEARCH_URL).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, content=esearch(["22705118"]))]
    )
    links = await resolve(["10.1016/j.lungcan.2012.05.106"])
    assert links["10.1016/j.lungcan.2012.05.106"].pmid == "22705118"


@respx.mock
async def test_esearch_and_efetch_share_one_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubmed, "min_interval", lambda environ=None: 0.2)
    starts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        return pubmed_answers(request)

    respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=answer)
    options = EnrichOptions(sources=("pubmed",))
    await resolve_dois(
        [*REAL], options, lambda ids, http: fetch_records(ids, options, http)
    )  # one esearch, then one efetch through the same session
    assert len(starts) == 2 and starts[1] - starts[0] >= 0.15


@respx.mock
async def test_cache_keeps_found_and_not_found_never_unverified(tmp_path: Path) -> None:
    route = respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=pubmed_answers)
    options = EnrichOptions(sources=("pubmed",), doi_cache=DoiCache(tmp_path))

    async def fetch(ids: Sequence[str], http: RegistryHttp) -> Mapping[str, PaperOutcome]:
        return await fetch_records(ids, options, http)

    wanted = ["10.1093/jjco/hyy026", "10.1000/unknown"]
    first = await resolve_dois(wanted, options, fetch)
    sent = route.call_count
    again = await resolve_dois(wanted, options, fetch)
    assert route.call_count == sent  # both from the cache
    assert again["10.1093/jjco/hyy026"].from_cache
    assert again["10.1093/jjco/hyy026"].pmid == first["10.1093/jjco/hyy026"].pmid == "29514256"
    assert again["10.1000/unknown"].kind is NOT_FOUND


@respx.mock
async def test_a_failed_lookup_is_not_cached(tmp_path: Path) -> None:
    respx.post(doi_source.ESEARCH_URL).mock(return_value=httpx.Response(503))
    options = EnrichOptions(sources=("pubmed",), doi_cache=DoiCache(tmp_path))
    failed = await resolve_dois(["10.1000/x"], options, _no_fetch)
    assert failed["10.1000/x"].kind is UNVERIFIED
    assert DoiCache(tmp_path).get_many("pubmed", ["10.1000/x"]) == {}


@respx.mock
async def test_offline_sends_nothing() -> None:
    route = respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=AssertionError)
    options = EnrichOptions(sources=("pubmed",), offline=True)
    links = await resolve_dois(["10.1093/jjco/hyy026"], options, _no_fetch)
    assert links["10.1093/jjco/hyy026"].kind is UNVERIFIED
    assert links["10.1093/jjco/hyy026"].reason == "offline"
    assert not route.called


async def _no_fetch(ids: Sequence[str], http: RegistryHttp) -> Mapping[str, PaperOutcome]:
    raise AssertionError("no fetch")


@respx.mock
async def test_record_then_replay_per_doi(tmp_path: Path) -> None:
    respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=pubmed_answers)
    recording = EnrichOptions(sources=("pubmed",), record=tmp_path)
    await resolve_dois(
        [*REAL, "10.1000/unknown"],
        recording,
        lambda ids, http: fetch_records(ids, recording, http),
    )
    store = PubmedStore(tmp_path)
    assert store.doi_path("10.1093/jjco/hyy026").name == "10.1093%2Fjjco%2Fhyy026.json"
    assert len(list((tmp_path / "pubmed-doi").iterdir())) == 4

    respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=AssertionError("replaying"))
    replaying = EnrichOptions(sources=("pubmed",), replay=tmp_path)
    links = await resolve_dois(
        ["10.1093/jjco/hyy026", "10.1000/unknown", "10.1000/never-asked"], replaying, _no_fetch
    )
    assert links["10.1093/jjco/hyy026"].pmid == "29514256"
    assert links["10.1000/unknown"].kind is NOT_FOUND
    assert links["10.1000/never-asked"].kind is UNVERIFIED
    assert links["10.1000/never-asked"].reason == "not in replay store"


def test_a_long_doi_is_stored_by_digest(tmp_path: Path) -> None:
    path = PubmedStore(tmp_path).doi_path("10.1000/" + "x" * 300)
    assert path.name.startswith("sha256-") and len(path.name) < 100


@respx.mock
async def test_complete_resolves_dois_and_notes_what_pubmed_said() -> None:
    from linker.models import Publication

    respx.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=pubmed_answers)
    chunk = [
        Publication(
            key=f"k{i}", title="t", doi=doi, file="l.csv", line=i + 2, end_line=i + 2, ordinal=i
        )
        for i, doi in enumerate(["https://doi.org/10.1093/JJCO/hyy026", "10.1000/unknown"])
    ]
    done = await complete(chunk, EnrichOptions(sources=("pubmed",)))
    assert done.pmids["k0"] == "29514256" and "k1" not in done.pmids
    assert done.publications[0].abstract and done.publications[0].pmid is None
    assert done.links["k1"].kind is NOT_FOUND


def doi_store(tmp_path: Path) -> Path:
    """A replay store of the real efetch records and the hand-written esearch answers."""
    store = tmp_path / "store"
    for folder, pattern, source in (
        ("pubmed", "*.xml", FIXTURES),
        ("pubmed-doi", "*.json", FIXTURES / "esearch"),
    ):
        (store / folder).mkdir(parents=True)
        for path in source.glob(pattern):
            (store / folder / path.name).write_bytes(path.read_bytes())
    (store / "index.json").write_text("[]", encoding="utf-8")
    return store


def test_a_list_of_titles_and_dois_is_completed_from_pubmed(tmp_path: Path) -> None:
    from datetime import date

    from linker.pipeline import CheckOptions, run_check

    listed = FIXTURES / "doi_titles.csv"
    options = CheckOptions(
        replay=doi_store(tmp_path), today=date(2026, 12, 1), enrich=("pubmed",), verify=False
    )
    result = run_check([str(listed)], options)
    by_title = {p.title[:20]: p for p in result.publications}
    for title, pmid, nct in (
        ("Biweekly combination", "22705118", "NCT00881296"),
        ("MicroRNAs Associated", "29438982", "NCT00351390"),
        ("Phase 1 study of omb", "29514256", "NCT01095302"),
    ):
        publication = by_title[title]
        assert publication.evidence[0] == f"abstract from PubMed (PMID {pmid}, found by its DOI)"
        [si] = [i for i in publication.identifiers if i.id == nct]
        assert si.source is not None and si.source.url == pubmed.record_url(pmid)
        assert (si.file, si.line) == (publication.file, publication.line)
    unknown = by_title["A journal PubMed doe"]
    assert unknown.evidence[0] == (
        "PubMed has no record with DOI 10.1000/not-in-pubmed.2026.001"
        " (not every journal is in PubMed)"
    )
    assert not unknown.findings  # never an accusation
    assert not any(f.code == "TL103" for f in result.findings)


def test_a_doi_list_offline_asks_nothing_and_accuses_nothing() -> None:
    from datetime import date

    from linker.pipeline import CheckOptions, run_check

    listed = FIXTURES / "doi_titles.csv"
    options = CheckOptions(offline=True, today=date(2026, 12, 1), enrich=("pubmed",), verify=False)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route(host="eutils.ncbi.nlm.nih.gov").mock(side_effect=AssertionError)
        result = run_check([str(listed)], options)
    assert not route.called
    assert all(p.evidence[0].startswith("DOI ") for p in result.publications)
    assert all("not looked up in PubMed: offline" in p.evidence[0] for p in result.publications)
    # Judged on the titles alone, as without --enrich: a warning at most, that says so.
    assert all(f.severity.value != "error" for f in result.findings)
    assert all("judged on the title alone" in f.message for f in result.findings)
