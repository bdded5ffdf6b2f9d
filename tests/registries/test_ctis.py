"""CTIS client: search (1-based pages) + retrieve, resubmission aliases, transitioned trials."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from fast_http import persistent
from support import FIXTURES, shared_path

from linker.models import Registry
from linker.registries.ctis import CtisClient, record_from_retrieve
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.interface import OutcomeKind

BASE = "https://euclinicaltrials.eu"
SEARCH = f"{BASE}/ctis-public-api/search"
TRIAL = "2024-510663-34-00"
EUDRACT = "2019-001588-63"
REAL = "ctis_2024-510663-34-00_transitioned_trimmed_from_ctrdata_demo.json"


def load(name: str) -> Any:
    return json.loads((FIXTURES / "registries" / "ctis" / name).read_text())


def retrieve_url(number: str) -> str:
    return f"{BASE}/ctis-public-api/retrieve/{number}"


def search_with(*numbers: str) -> dict[str, Any]:
    """The fixture search answer listing ``numbers`` (copies of the one real item)."""
    answer: dict[str, Any] = load(f"search_number_{TRIAL}.json")
    item = answer["data"][0]
    answer["data"] = [{**item, "ctNumber": n} for n in numbers]
    answer["pagination"]["totalRecords"] = len(numbers)
    return answer


def retrieve_as(number: str) -> dict[str, Any]:
    payload = load(f"retrieve_{TRIAL}.json")
    payload["ctNumber"] = number
    return dict(payload)


def test_real_capture_copied_unchanged() -> None:
    copied = (FIXTURES / "registries" / "ctis" / REAL).read_bytes()
    assert copied == shared_path("fixtures-real", "ctis", REAL).read_bytes()


async def test_search_and_retrieve_transitioned_trial(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        search = router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=load(f"search_number_{TRIAL}.json"))
        )
        router.get(retrieve_url(TRIAL)).mock(
            return_value=httpx.Response(200, json=load(f"retrieve_{TRIAL}.json"))
        )
        outcome = await CtisClient(fast_http).verify(TRIAL)
    assert outcome.kind is OutcomeKind.FOUND and outcome.reason is None
    body = json.loads(search.calls.last.request.content)
    assert body == {
        "pagination": {"page": 1, "size": 20},
        "sort": {"property": "decisionDate", "direction": "DESC"},
        "searchCriteria": {"number": TRIAL},
    }
    record = outcome.record
    assert record is not None and record.registry is Registry.CTIS and record.id == TRIAL
    assert record.url == f"{BASE}/search-for-clinical-trials/?lang=en&EUCT={TRIAL}"
    assert outcome.url == record.url
    assert record.scientific_title is not None
    assert record.scientific_title.startswith("An open label, single arm study")
    assert record.acronym is None  # shortTitle "200925" is a protocol code
    assert record.sponsor == "Glaxosmithkline Research & Development Limited"
    assert record.conditions == ["Influenza, Human"]
    assert record.phases == ["PHASE2"]
    assert record.overall_status == "Ongoing, recruiting"
    ids = {(s.registry, s.id) for s in record.secondary_ids}
    assert ids == {(Registry.CTGOV, "NCT04494412"), (Registry.EUCTR, EUDRACT)}
    # The trial transitioned from EudraCT: 2024-03-04 is the transition, not the registration.
    assert record.registration_date is not None and record.registration_date.value == "2019"
    assert record.registration_basis is not None and EUDRACT in record.registration_basis
    assert record.start_date is not None and record.start_date.value == "2021-01-29"
    assert record.start_date.actual is True
    assert record.completion_date is not None and record.completion_date.value == "2026-12-09"
    assert record.completion_date.actual is False
    assert record.last_update is not None and record.last_update.value == "2025-09-15"  # dd/mm
    assert record.enrollment is not None and record.enrollment.count == 11
    assert record.has_results is False


def test_dd_mm_yyyy_start_date_when_no_events() -> None:
    payload = load(f"retrieve_{TRIAL}.json")
    payload["events"] = {"trialEvents": []}
    record = record_from_retrieve(payload, {}, "x")
    assert record.start_date is not None and record.start_date.value == "2021-01-29"  # startDateEU


def test_decision_dates_as_fallback_registration_date() -> None:
    payload = load(f"retrieve_{TRIAL}.json")
    del payload["authorizedApplication"]["applicationInfo"]
    del payload["authorizedApplication"]["eudraCt"]  # a trial first registered in CTIS
    item = {"decisionDate": "ES: 24/04/2024, IT: 23/10/2024", "decisionDateOverall": "24/04/2024"}
    record = record_from_retrieve(payload, item, "x")
    assert record.registration_date is not None and record.registration_date.value == "2024-04-24"


async def test_zero_results_is_not_found(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=load("search_zero_results.json"))
        )
        outcome = await CtisClient(fast_http).verify("2025-599999-10-00")
    assert outcome.kind is OutcomeKind.NOT_FOUND


async def test_resubmission_suffix_is_alias_to_highest(fast_http: RegistryHttp) -> None:
    asked, current = "2023-508143-51-00", "2023-508143-51-01"
    with respx.mock() as router:
        router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=search_with(current, asked, TRIAL))
        )
        retrieve = router.get(retrieve_url(current)).mock(
            return_value=httpx.Response(200, json=retrieve_as(current))
        )
        outcome = await CtisClient(fast_http).verify(asked)
    assert outcome.kind is OutcomeKind.ALIAS
    assert outcome.current_id == current
    assert outcome.record is not None and outcome.record.id == current
    assert retrieve.called


async def test_number_without_suffix_resolves_to_the_current_submission(
    fast_http: RegistryHttp,
) -> None:
    stem, current = "2023-508143-51", "2023-508143-51-01"
    with respx.mock() as router:
        search = router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=search_with(current, f"{stem}-00"))
        )
        router.get(retrieve_url(current)).mock(
            return_value=httpx.Response(200, json=retrieve_as(current))
        )
        outcome = await CtisClient(fast_http).verify(stem)
    assert json.loads(search.calls.last.request.content)["searchCriteria"] == {
        "number": f"{stem}-00"
    }
    assert outcome.kind is OutcomeKind.FOUND
    assert outcome.record is not None and outcome.record.id == current


async def test_number_without_suffix_and_no_first_submission_is_unverified(
    fast_http: RegistryHttp,
) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=load("search_zero_results.json"))
        )
        outcome = await CtisClient(fast_http).verify("2025-599999-10")
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert "suffix" in (outcome.reason or "")


async def test_search_listing_other_trials_only_is_unverified(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(return_value=httpx.Response(200, json=search_with(TRIAL)))
        outcome = await CtisClient(fast_http).verify("2023-508143-51-00")
    assert outcome.kind is OutcomeKind.UNVERIFIED


@pytest.mark.parametrize(
    ("responses", "reason"),
    [
        ([httpx.Response(503)] * 3, "HTTP 503"),
        ([httpx.Response(200, text="<!DOCTYPE html><html>Access denied</html>")], "HTML page"),
        ([httpx.Response(200, text="{not json")], "invalid or truncated JSON"),
        ([httpx.Response(200, json={"data": []})], "unrecognised response"),
        ([httpx.Response(200, json={"pagination": {"totalRecords": 2}, "data": []})], "none"),
        ([httpx.Response(200, content=b"")], "empty body"),
        ([httpx.ConnectTimeout("slow")], "no connection within"),
    ],
    ids=["503", "html", "bad-json", "no-pagination", "counted-none-listed", "empty", "timeout"],
)
async def test_unusable_search_answers_are_unverified(
    fast_http: RegistryHttp, responses: list[Any], reason: str
) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(side_effect=persistent(responses))
        outcome = await CtisClient(fast_http).verify(TRIAL)
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert outcome.reason is not None and reason in outcome.reason


async def test_503_then_success(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(
            side_effect=[
                httpx.Response(429, headers={"Retry-After": "1"}),
                httpx.Response(200, json=load(f"search_number_{TRIAL}.json")),
            ]
        )
        router.get(retrieve_url(TRIAL)).mock(
            side_effect=[
                httpx.Response(503),
                httpx.Response(200, json=load(f"retrieve_{TRIAL}.json")),
            ]
        )
        outcome = await CtisClient(fast_http).verify(TRIAL)
    assert outcome.kind is OutcomeKind.FOUND and outcome.reason is None


async def test_retrieve_failure_keeps_found_from_search_item(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=load(f"search_number_{TRIAL}.json"))
        )
        router.get(retrieve_url(TRIAL)).mock(return_value=httpx.Response(404))
        outcome = await CtisClient(fast_http).verify(TRIAL)
    assert outcome.kind is OutcomeKind.FOUND
    assert outcome.reason is not None and "details unavailable (HTTP 404)" in outcome.reason
    record = outcome.record
    assert record is not None and record.sponsor == "Glaxosmithkline Research & Development Limited"
    assert record.start_date is not None and record.start_date.value == "2021-01-29"


async def test_malformed_number_is_not_looked_up(fast_http: RegistryHttp) -> None:
    outcome = await CtisClient(fast_http).verify(EUDRACT)
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert fast_http.requests_sent == 0


async def test_find_transitioned_by_eudract(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        search = router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=load(f"search_eudractcode_{EUDRACT}.json"))
        )
        router.get(retrieve_url(TRIAL)).mock(
            return_value=httpx.Response(200, json=load(f"retrieve_{TRIAL}.json"))
        )
        record = await CtisClient(fast_http).find_transitioned(EUDRACT)
    assert record is not None and record.id == TRIAL
    body = json.loads(search.calls.last.request.content)
    assert body["searchCriteria"] == {"eudraCtCode": EUDRACT}
    assert body["pagination"]["page"] == 1


async def test_find_transitioned_checks_the_retrieved_eudract(fast_http: RegistryHttp) -> None:
    with respx.mock() as router:
        router.post(SEARCH).mock(
            return_value=httpx.Response(200, json=load(f"search_eudractcode_{EUDRACT}.json"))
        )
        router.get(retrieve_url(TRIAL)).mock(
            return_value=httpx.Response(200, json=load(f"retrieve_{TRIAL}.json"))
        )
        assert await CtisClient(fast_http).find_transitioned("2010-099999-10") is None


async def test_find_transitioned_zero_and_flood(fast_http: RegistryHttp) -> None:
    flood = search_with(TRIAL)
    flood["pagination"]["totalRecords"] = 9120
    with respx.mock() as router:
        router.post(SEARCH).mock(
            side_effect=[
                httpx.Response(200, json=load("search_zero_results.json")),
                httpx.Response(200, json=flood),
            ]
        )
        client = CtisClient(fast_http)
        assert await client.find_transitioned(EUDRACT) is None
        with pytest.raises(Unreachable, match="criterion apparently ignored"):
            await client.find_transitioned(EUDRACT)
