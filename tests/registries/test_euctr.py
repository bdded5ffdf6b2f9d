"""EUCTR client: parsing real pages, not-found only from a well-formed "(0)", CTIS fallback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import respx
from fast_http import persistent
from support import FIXTURES, shared_path

from linker.models import Registry
from linker.registries.ctis import CtisClient
from linker.registries.euctr import NO_PUBLIC_RECORD, EuctrClient
from linker.registries.euctr_pages import (
    UnrecognisedPage,
    build_record,
    parse_fulltext,
    parse_search_page,
)
from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, make_client
from linker.registries.interface import OutcomeKind
from linker.registries.replay import ReplayTransport, entry_matches

EUCTR = "https://www.clinicaltrialsregister.eu"
SEARCH = f"{EUCTR}/ctr-search/search"
FULLTEXT = f"{EUCTR}/ctr-search/rest/download/full"
CTIS_SEARCH = "https://euclinicaltrials.eu/ctis-public-api/search"
CTIS_RETRIEVE = "https://euclinicaltrials.eu/ctis-public-api/retrieve/2024-510663-34-00"
HTML = {"content-type": "text/html;charset=UTF-8"}
TEXT = {"content-type": "text/plain;charset=UTF-8"}
HEAT = "2011-003425-96"
ABSENT = "2010-099999-10"
REAL_2019 = "search_query_2015-000590-12_2019.html"
REAL_SE = "trial_2022-002568-62_SE_fulltext.txt"
REPLAY_SETTINGS = HttpSettings(attempts=1, default_policy=HostPolicy(concurrency=4, min_interval=0))


def euctr_fixture(name: str) -> bytes:
    return (FIXTURES / "registries" / "euctr" / name).read_bytes()


def ctis_fixture(name: str) -> bytes:
    return (FIXTURES / "registries" / "ctis" / name).read_bytes()


def html(name: str) -> httpx.Response:
    return httpx.Response(200, headers=HTML, content=euctr_fixture(name))


def cut_before(name: str, marker: bytes) -> bytes:
    page = euctr_fixture(name)
    return page[: page.index(marker)]


def zero_page(number: str = ABSENT) -> bytes:
    return euctr_fixture(f"search_zero_hits_{ABSENT}.html").replace(
        ABSENT.encode(), number.encode()
    )


def multi_trial_page(numbers: list[str]) -> bytes:
    """The real 2019 page with its one result table repeated, once per number."""
    page = euctr_fixture(REAL_2019)
    start = page.index(b'<table class="result">')
    end = page.index(b"</table>", page.index(b"Trial results:")) + len(b"</table>")
    table = page[start:end]
    tables = b"\r\n".join(table.replace(b"2015-000590-12", n.encode()) for n in numbers)
    page = page[:start] + tables + page[end:]
    return page.replace(
        b"Trials with a EudraCT protocol (1)",
        f"Trials with a EudraCT protocol ({len(numbers)})".encode(),
    )


def ctis_knows_transition(router: respx.MockRouter, eudract: str) -> None:
    """CTIS answers the eudraCtCode search and the retrieve of 2024-510663-34-00."""
    search = ctis_fixture(f"search_eudractcode_{eudract}.json")
    router.post(CTIS_SEARCH).mock(return_value=httpx.Response(200, content=search))
    retrieve = ctis_fixture("retrieve_2024-510663-34-00.json")
    router.get(CTIS_RETRIEVE).mock(return_value=httpx.Response(200, content=retrieve))


def queries(route: respx.Route) -> list[str]:
    return [call.request.url.params["query"] for call in route.calls]


# --- parsing ------------------------------------------------------------------------------


def test_real_capture_copied_unchanged() -> None:
    for name in (REAL_2019, REAL_SE):
        assert euctr_fixture(name) == shared_path("fixtures-real", "euctr", name).read_bytes()


def test_real_2019_search_page_fields() -> None:
    text = euctr_fixture(REAL_2019).decode()
    assert "Query did not match any studies." in text  # hidden on every page, hits or not
    page = parse_search_page(text)
    assert page.count == 1 and page.complete
    (hit,) = page.hits
    assert hit.eudract == "2015-000590-12"
    assert hit.sponsor_protocol == "CRAD001HDE53"
    assert hit.start_date == "2015-09-03"
    assert hit.sponsor == "Novartis Pharma GmbH"
    assert hit.full_title is not None and hit.full_title.startswith("A 24-month multi-center")
    assert hit.full_title.endswith("plus re") and hit.title_truncated
    assert hit.condition == "liver transplantation"
    assert hit.country_statuses == (("DE", "Completed"),)
    assert hit.has_results is False


def test_zero_hit_page_is_count_zero() -> None:
    page = parse_search_page(zero_page().decode())
    assert page.count == 0 and page.hits == ()


def test_multi_trial_page_splits_per_trial() -> None:
    page = parse_search_page(multi_trial_page(["2015-000590-12", HEAT, "2019-001588-63"]).decode())
    assert page.count == 3
    assert [h.eudract for h in page.hits] == ["2015-000590-12", HEAT, "2019-001588-63"]
    assert all(h.sponsor == "Novartis Pharma GmbH" for h in page.hits)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<html><body><h1>Service Unavailable</h1></body></html>",
        "<!DOCTYPE html><html><body>The EU Clinical Trials Register is under maintenance."
        " Query did not match any studies.</body></html>",
    ],
    ids=["empty", "error-page", "maintenance-with-hidden-text"],
)
def test_pages_without_the_count_are_unrecognised(body: str) -> None:
    with pytest.raises(UnrecognisedPage, match="unrecognised response"):
        parse_search_page(body)


def test_truncated_page_is_unrecognised() -> None:
    text = euctr_fixture(REAL_2019).decode()
    with pytest.raises(UnrecognisedPage, match="truncated"):
        parse_search_page(text[: text.index("Trial protocol:")])


def test_count_without_listing_is_unrecognised() -> None:
    text = zero_page().decode().replace("EudraCT protocol (0)", "EudraCT protocol (3)")
    with pytest.raises(UnrecognisedPage, match="none listed"):
        parse_search_page(text)


def test_real_fulltext_record_field_by_field() -> None:
    (state,) = parse_fulltext(euctr_fixture(REAL_SE).decode())
    assert state.eudract == "2022-002568-62"
    assert state.summary["National Competent Authority"] == "Sweden - MPA"
    assert state.summary["Trial Status"] == "Ongoing"
    assert state.first_entered == "2023-01-17"
    assert state.value("A.3", "Full title") is not None
    assert state.value("A.3.2") == (
        "Ph1/2 study of AVB-101 in Subjects with Frontotemporal Dementia with Progranulin"
        " Mutations (FTD-GRN)"
    )
    assert state.value("B.1.3.4") == "United Kingdom"  # a tab inside the key
    assert state.value("B.3.1") == "Commercial"  # "B.3.1 and B.3.2" keys
    assert state.value("A.8") is None  # empty field
    assert state.value("N.", "Date of Competent Authority Decision") == "2023-04-13"
    assert state.value("P.", "End of Trial Status") == "Ongoing"
    assert state.value("D.3.7") == "Intracerebral use"  # value on the next line
    regions = state.value("E.8.6.3") or ""
    assert regions.splitlines()[-1] == "United Kingdom"

    record = build_record("2022-002568-62", None, [state], url="u")
    assert record.scientific_title is not None
    assert record.scientific_title.startswith("A Phase 1/2 Open-Label, Ascending Dose")
    assert record.public_title is not None and record.public_title.startswith("A study to test")
    assert record.sponsor == "AviadoBio Ltd"
    assert record.conditions == ["Frontotemporal Dementia With Progranulin Mutations (FTD-GRN)"]
    assert record.phases == ["PHASE1", "PHASE2"]
    assert record.registration_date is not None and record.registration_date.value == "2023-01-17"
    assert record.start_date is not None and record.start_date.value == "2023-04-13"
    assert record.overall_status == "Ongoing"
    assert record.enrollment is not None and record.enrollment.count == 15
    assert record.enrollment.actual is False
    assert [(s.id, s.registry) for s in record.secondary_ids] == [("AVB-PGRN-001", None)]


def test_fulltext_groups_member_states_and_prefers_english() -> None:
    text = euctr_fixture(f"fulltext_{HEAT}.txt").decode()
    second = text[text.index("Summary") :].replace("UK - MHRA", "Ireland - HPRA")
    second = second.replace("2011-10-05", "2011-09-30").replace(
        "A.3.2 Name or abbreviated title of the trial where available: HEAT",
        "A.3.2 Name or abbreviated title of the trial where available (ga): HEAT-GA",
    )
    states = parse_fulltext(text + second)
    assert [s.summary["National Competent Authority"] for s in states] == [
        "UK - MHRA",
        "Ireland - HPRA",
    ]
    assert states[1].value("A.3.2") == "HEAT-GA"  # only a translated line: used
    record = build_record(HEAT, None, states, url="u")
    assert record.acronym == "HEAT"
    assert record.registration_date is not None and record.registration_date.value == "2011-09-30"
    assert record.interventions == ["Clarithromycin", "Metronidazole", "Lansoprazole"]


# --- the client ---------------------------------------------------------------------------


def seed_routes(router: respx.MockRouter) -> tuple[respx.Route, respx.Route]:
    search = router.get(SEARCH).mock(return_value=html(f"search_{HEAT}.html"))
    full = router.get(FULLTEXT).mock(
        return_value=httpx.Response(
            200, headers=TEXT, content=euctr_fixture(f"fulltext_{HEAT}.txt")
        )
    )
    return search, full


async def test_seed_trial_found_with_two_requests(fast_http: RegistryHttp) -> None:
    with respx.mock(assert_all_called=False) as router:
        search, full = seed_routes(router)
        ctis = router.post(CTIS_SEARCH)
        outcomes = await EuctrClient(fast_http, ctis=CtisClient(fast_http)).verify_many([HEAT])
    outcome = outcomes[HEAT]
    assert outcome.kind is OutcomeKind.FOUND and outcome.reason is None
    assert outcome.url == f"{SEARCH}?query={HEAT}"
    record = outcome.record
    assert record is not None and record.registry is Registry.EUCTR and record.id == HEAT
    assert record.url == f"{SEARCH}?query={HEAT}"
    assert record.sponsor == "University of Nottingham"
    assert record.acronym == "HEAT"
    assert record.scientific_title is not None
    assert record.scientific_title.startswith("Helicobacter Eradication Aspirin Trial")
    assert record.start_date is not None and record.start_date.value == "2012-03-12"
    assert record.registration_date is not None and record.registration_date.value == "2011-10-05"
    assert record.overall_status == "Completed"  # GB's listing status is not a trial status
    assert record.has_results is False
    assert {(s.registry, s.id) for s in record.secondary_ids} >= {
        (Registry.CTGOV, "NCT01506986"),
        (Registry.ISRCTN, "ISRCTN10134725"),
    }
    assert queries(search) == [HEAT]
    assert dict(full.calls.last.request.url.params) == {"query": HEAT, "mode": "current_page"}
    assert not ctis.called  # found in EUCTR: no CTIS request
    assert fast_http.requests_sent == 2


async def test_every_seed_request_has_a_replay_entry(fast_http: RegistryHttp) -> None:
    index_path: Path = FIXTURES / "registries" / "index.json"
    entries = json.loads(index_path.read_text())
    for entry in entries:
        if "file" in entry:
            assert (FIXTURES / "registries" / entry["file"]).is_file()
    with respx.mock() as router:
        search, full = seed_routes(router)
        await EuctrClient(fast_http).verify_many([HEAT])
    for call in [*search.calls, *full.calls]:
        assert any(entry_matches(e, call.request) for e in entries), call.request.url


async def test_zero_hits_asks_ctis_then_not_public_with_caveat(fast_http: RegistryHttp) -> None:
    """ "(0)" is a typo or an adult phase 1 trial EUCTR does not publish: not_public, which
    the rules weigh against the paper (only a clear phase 2-4 or paediatric paper is an error)."""
    with respx.mock() as router:
        router.get(SEARCH).mock(return_value=httpx.Response(200, headers=HTML, content=zero_page()))
        ctis = router.post(CTIS_SEARCH).mock(
            return_value=httpx.Response(
                200, json=json.loads(ctis_fixture("search_zero_results.json"))
            )
        )
        outcomes = await EuctrClient(fast_http, ctis=CtisClient(fast_http)).verify_many([ABSENT])
    outcome = outcomes[ABSENT]
    assert outcome.kind is OutcomeKind.NOT_PUBLIC
    assert outcome.reason is not None and NO_PUBLIC_RECORD in outcome.reason
    body = json.loads(ctis.calls.last.request.content)
    assert body["searchCriteria"] == {"eudraCtCode": ABSENT}
    assert body["pagination"]["page"] == 1


async def test_zero_hits_without_ctis_client_is_not_public(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.get(SEARCH).mock(return_value=httpx.Response(200, headers=HTML, content=zero_page()))
        outcome = await EuctrClient(fast_http).verify(ABSENT)
    assert outcome.kind is OutcomeKind.NOT_PUBLIC
    assert outcome.reason is not None and "CTIS not asked" in outcome.reason


async def test_zero_hits_and_transitioned_in_ctis_is_found_with_link(
    fast_http: RegistryHttp,
) -> None:
    """A EudraCT number stays valid after the move to CTIS: found, never an alias."""
    eudract = "2019-001588-63"
    with respx.mock() as router:
        router.get(SEARCH).mock(
            return_value=httpx.Response(200, headers=HTML, content=zero_page(eudract))
        )
        ctis_knows_transition(router, eudract)
        outcome = await EuctrClient(fast_http, ctis=CtisClient(fast_http)).verify(eudract)
    assert outcome.kind is OutcomeKind.FOUND
    assert outcome.registry is Registry.EUCTR and outcome.requested_id == eudract
    assert outcome.current_id is None
    assert outcome.reason is not None
    assert "transitioned to CTIS as 2024-510663-34-00" in outcome.reason
    assert outcome.record is not None and outcome.record.registry is Registry.CTIS
    assert outcome.url == (
        "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=2024-510663-34-00"
    )


async def test_zero_hits_and_ctis_unreachable_is_unverified(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.get(SEARCH).mock(return_value=httpx.Response(200, headers=HTML, content=zero_page()))
        router.post(CTIS_SEARCH).mock(return_value=httpx.Response(503))
        outcome = await EuctrClient(fast_http, ctis=CtisClient(fast_http)).verify(ABSENT)
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert outcome.reason is not None and "CTIS could not be asked (" in outcome.reason
    assert "HTTP 503" in outcome.reason


def _respond(*responses: httpx.Response | Exception) -> list[httpx.Response | Exception]:
    return list(responses)


FAILURES: dict[str, tuple[Callable[[], list[httpx.Response | Exception]], str]] = {
    "html-error-page": (
        lambda: _respond(httpx.Response(200, headers=HTML, text="<html><body>Error</body></html>")),
        "not a search results page",
    ),
    "maintenance": (
        lambda: _respond(
            httpx.Response(
                200,
                headers=HTML,
                text="<html><body>Maintenance. Query did not match any studies.</body></html>",
            )
        ),
        "not a search results page",
    ),
    "truncated": (
        lambda: _respond(
            httpx.Response(200, headers=HTML, content=cut_before(f"search_{HEAT}.html", b"Gender:"))
        ),
        "not a search results page",
    ),
    "truncated-zero-page": (
        lambda: _respond(httpx.Response(200, headers=HTML, content=zero_page()[:-300])),
        "truncated",
    ),
    "empty": (lambda: _respond(httpx.Response(200, headers=HTML, content=b"")), "empty body"),
    "503-always": (lambda: _respond(*[httpx.Response(503)] * 3), "HTTP 503"),
    "429-always": (
        lambda: _respond(*[httpx.Response(429, headers={"Retry-After": "0"})] * 3),
        "rate limited",
    ),
    "timeout": (lambda: _respond(*[httpx.ReadTimeout("slow")] * 3), "no answer within"),
    "404": (lambda: _respond(httpx.Response(404, text="Not Found")), "HTTP 404"),
}


@pytest.mark.parametrize("case", list(FAILURES))
async def test_unusable_answers_are_unverified_never_not_found(
    fast_http: RegistryHttp, case: str
) -> None:
    responses, reason = FAILURES[case]
    with respx.mock(assert_all_called=False) as router:
        router.get(SEARCH).mock(side_effect=persistent(responses()))
        ctis = router.post(CTIS_SEARCH)
        outcome = await EuctrClient(fast_http, ctis=CtisClient(fast_http)).verify(ABSENT)
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert outcome.reason is not None and reason in outcome.reason
    assert not ctis.called


@pytest.mark.parametrize(
    "first",
    [httpx.Response(503), httpx.Response(429, headers={"Retry-After": "1"})],
    ids=["503", "429-retry-after"],
)
async def test_retryable_then_success_is_found(
    fast_http: RegistryHttp, first: httpx.Response
) -> None:
    with respx.mock() as router:
        search = router.get(SEARCH).mock(side_effect=[first, html(f"search_{HEAT}.html")])
        router.get(FULLTEXT).mock(
            return_value=httpx.Response(
                200, headers=TEXT, content=euctr_fixture(f"fulltext_{HEAT}.txt")
            )
        )
        outcome = await EuctrClient(fast_http).verify(HEAT)
    assert outcome.kind is OutcomeKind.FOUND
    assert search.call_count == 2


async def test_details_failure_keeps_found_from_listing(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.get(SEARCH).mock(return_value=html(f"search_{HEAT}.html"))
        router.get(FULLTEXT).mock(return_value=httpx.Response(200, headers=HTML, text="<html/>"))
        outcome = await EuctrClient(fast_http).verify(HEAT)
    assert outcome.kind is OutcomeKind.FOUND
    assert outcome.reason is not None and "full details unavailable" in outcome.reason
    record = outcome.record
    assert record is not None and record.sponsor == "University of Nottingham"
    assert record.scientific_title is not None and record.scientific_title.endswith("preventi")
    # Without the details page the number's year bounds the registration from below.
    assert record.registration_date is not None and record.registration_date.value == "2011"
    assert record.registration_basis == f"the year of EudraCT number {HEAT} (a lower bound)"


async def test_multi_id_page_missing_number_is_asked_alone(fast_http: RegistryHttp) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        query = request.url.params["query"]
        if " OR " in query:
            return httpx.Response(200, headers=HTML, content=multi_trial_page([HEAT]))
        return httpx.Response(200, headers=HTML, content=zero_page(query))

    with respx.mock() as router:
        search = router.get(SEARCH).mock(side_effect=answer)
        router.get(FULLTEXT).mock(
            return_value=httpx.Response(
                200, headers=TEXT, content=euctr_fixture(f"fulltext_{HEAT}.txt")
            )
        )
        outcomes = await EuctrClient(fast_http).verify_many([HEAT, ABSENT])
    assert outcomes[HEAT].kind is OutcomeKind.FOUND
    assert outcomes[ABSENT].kind is OutcomeKind.NOT_PUBLIC
    assert queries(search) == [f"{ABSENT} OR {HEAT}", ABSENT]


async def test_single_search_listing_only_other_trials_is_unverified(
    fast_http: RegistryHttp,
) -> None:
    with respx.mock() as router:
        router.get(SEARCH).mock(return_value=html(REAL_2019))  # lists 2015-000590-12 only
        outcome = await EuctrClient(fast_http).verify(ABSENT)
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert outcome.reason is not None and "other trial" in outcome.reason


async def test_batches_of_twenty_sorted(fast_http: RegistryHttp) -> None:
    numbers = [f"2012-{n:06d}-11" for n in range(25, 0, -1)]
    with respx.mock() as router:
        search = router.get(SEARCH).mock(
            side_effect=lambda request: httpx.Response(
                200,
                headers=HTML,
                content=multi_trial_page(sorted(request.url.params["query"].split(" OR "))),
            )
        )
        router.get(FULLTEXT).mock(return_value=httpx.Response(200, headers=TEXT, content=b"x"))
        outcomes = await EuctrClient(fast_http).verify_many(numbers)
    assert list(outcomes) == numbers
    assert all(o.kind is OutcomeKind.FOUND for o in outcomes.values())
    batches = sorted((q.split(" OR ") for q in queries(search)), key=len, reverse=True)
    assert [len(b) for b in batches] == [20, 5]
    assert batches[0] == sorted(numbers)[:20]


async def test_malformed_and_suffixed_numbers(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        search, _ = seed_routes(router)
        outcomes = await EuctrClient(fast_http).verify_many([f"{HEAT}-GB", "2024-510663-34"])
    assert outcomes[f"{HEAT}-GB"].kind is OutcomeKind.FOUND
    assert outcomes[f"{HEAT}-GB"].requested_id == f"{HEAT}-GB"
    assert outcomes["2024-510663-34"].kind is OutcomeKind.UNVERIFIED
    assert queries(search) == [HEAT]


async def test_replay_of_the_index_answers_seed_and_absent(tmp_path: Path) -> None:
    source = FIXTURES / "registries"
    (tmp_path / "index.json").write_bytes((source / "index.json").read_bytes())
    for folder in ("euctr", "ctis"):
        (tmp_path / folder).mkdir()
        for file in (source / folder).iterdir():
            (tmp_path / folder / file.name).write_bytes(file.read_bytes())
    transport = ReplayTransport(tmp_path)
    http = RegistryHttp(make_client(REPLAY_SETTINGS, transport), REPLAY_SETTINGS)
    try:
        client = EuctrClient(http, ctis=CtisClient(http))
        seed = await client.verify(HEAT)
        absent = await client.verify(ABSENT)
        transitioned = await CtisClient(http).verify("2024-510663-34-00")
        batch = await client.verify_many([HEAT, ABSENT])  # the index has no batch query
    finally:
        await http.client.aclose()
    assert seed.kind is OutcomeKind.FOUND and seed.reason is None
    assert absent.kind is OutcomeKind.NOT_PUBLIC
    assert transitioned.kind is OutcomeKind.FOUND
    assert all(o.kind is OutcomeKind.UNVERIFIED for o in batch.values())
    assert transport.misses == [f"GET /ctr-search/search?query={ABSENT}+OR+{HEAT}"]


async def test_found_trial_marked_transitioned_is_linked_to_ctis(fast_http: RegistryHttp) -> None:
    """EUCTR keeps a transitioned trial's record online, marked so: found, with the EU CT number
    linked, and results looked for in CTIS too. (The HEAT page, renumbered, with the status
    "Trial now transitioned": the status wording is unverified.)"""
    eudract = "2019-001588-63"
    page = euctr_fixture(f"search_{HEAT}.html").replace(HEAT.encode(), eudract.encode())
    page = page.replace(b"(GB - no longer in EU/EEA)", b"(Trial now transitioned)")
    details = euctr_fixture(f"fulltext_{HEAT}.txt").replace(HEAT.encode(), eudract.encode())
    with respx.mock() as router:
        router.get(SEARCH).mock(return_value=httpx.Response(200, headers=HTML, content=page))
        router.get(FULLTEXT).mock(return_value=httpx.Response(200, headers=TEXT, content=details))
        ctis_knows_transition(router, eudract)
        outcome = await EuctrClient(fast_http, ctis=CtisClient(fast_http)).verify(eudract)
    assert outcome.kind is OutcomeKind.FOUND and outcome.current_id is None
    record = outcome.record
    assert record is not None and record.registry is Registry.EUCTR
    assert record.transitioned_to == "2024-510663-34-00"
    assert (
        outcome.reason is not None and "transitioned to CTIS as 2024-510663-34-00" in outcome.reason
    )
    # the registration is the EudraCT record's first entry, never the CTIS transition
    assert record.registration_date is not None and record.registration_date.value == "2011-10-05"
    assert record.registration_basis == "first entered in the EudraCT database"
