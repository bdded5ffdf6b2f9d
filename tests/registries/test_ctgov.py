"""ClinicalTrials.gov client: parsing real v2 records, batching, paging, aliases, faults."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from fast_http import make_fast_http, persistent
from support import FIXTURES

from linker.models import Registry
from linker.registries.ctgov import DEFAULT_BASE_URL, FIELDS, CtgovClient, parse_study
from linker.registries.http import RegistryHttp
from linker.registries.interface import OutcomeKind, PartialDate, SecondaryId

CTGOV = FIXTURES / "registries" / "ctgov"
STUDIES = f"{DEFAULT_BASE_URL}/studies"
SEED_IDS = ["NCT04273854", "NCT05434195", "NCT01506986", "NCT04285021"]
FIXED_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def load(name: str) -> Any:
    return json.loads((CTGOV / name).read_bytes())


def client(http: RegistryHttp) -> CtgovClient:
    return CtgovClient(http, clock=lambda: FIXED_NOW)


def minimal_study(nct_id: str, aliases: list[str] | None = None) -> dict[str, Any]:
    identification: dict[str, Any] = {"nctId": nct_id, "briefTitle": f"Study {nct_id}"}
    if aliases:
        identification["nctIdAliases"] = aliases
    return {"protocolSection": {"identificationModule": identification}, "hasResults": False}


def json_response(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


NOT_FOUND = httpx.Response(
    404, text="NCT number NCT99999999 not found", headers={"content-type": "text/plain"}
)


# --- parsing -----------------------------------------------------------------------------------


def test_full_record_is_mapped_field_by_field() -> None:
    study = load("study_NCT01987596_full_from_ctrdata_demo.json")
    record = parse_study(study, retrieved_from="https://x/studies", retrieved_at=FIXED_NOW)
    assert record.registry is Registry.CTGOV
    assert record.id == "NCT01987596"
    assert record.url == "https://clinicaltrials.gov/study/NCT01987596"
    assert record.public_title is not None
    assert record.public_title.startswith("Study of Fixed vs. Flexible Filgrastim")
    assert record.scientific_title is not None
    assert record.scientific_title.startswith("Prospective and Randomized Study of Fixed")
    assert record.acronym is None
    assert record.sponsor == "Barbara Ann Karmanos Cancer Institute"
    assert len(record.conditions) == 11
    assert record.conditions[0] == "Childhood Choroid Plexus Tumor"
    assert record.interventions == ["filgrastim"]
    assert record.study_type == "INTERVENTIONAL"
    assert record.phases == ["PHASE3"]
    assert record.registration_date == PartialDate(value="2013-11-12", actual=True)
    # "2013-08" with no type: month precision, actual unknown.
    assert record.start_date == PartialDate(value="2013-08", actual=None)
    assert record.start_date.precision == "month"
    assert record.completion_date == PartialDate(value="2018-06", actual=True)
    assert record.overall_status == "TERMINATED"
    assert record.enrollment is not None
    assert (record.enrollment.count, record.enrollment.actual) == (23, True)
    assert record.secondary_ids == [
        SecondaryId(id="NCI-2013-02001", registry=None, kind="REGISTRY"),
        SecondaryId(id="2013-062", registry=None, kind="OTHER"),
        SecondaryId(id="P30CA022453", registry=None, kind="NIH"),
    ]
    assert record.results_first_posted == PartialDate(value="2020-10-29", actual=True)
    assert record.has_results is True
    assert record.last_update == PartialDate(value="2020-10-29", actual=True)
    assert record.retrieved_at == FIXED_NOW
    assert record.retrieved_from == "https://x/studies"


def test_fields_subset_record_without_date_types() -> None:
    record = parse_study(
        load("study_NCT06604689_fields.json"), retrieved_from=None, retrieved_at=None
    )
    assert record.id == "NCT06604689"
    assert record.sponsor == "Fudan University"
    assert record.overall_status == "RECRUITING"
    assert record.start_date == PartialDate(value="2024-09-30", actual=None)
    assert record.completion_date == PartialDate(value="2025-10-01", actual=None)
    assert record.study_type == "OBSERVATIONAL"
    assert record.phases == []
    assert record.enrollment is not None
    assert (record.enrollment.count, record.enrollment.actual) == (800, None)
    assert record.interventions == [
        "third-generation EGFR TKIs (Almonertinib/Furmonertinib/Osimertinib)"
    ]
    assert record.conditions == [
        "NSCLC (Advanced Non-small Cell Lung Cancer)",
        "Brain Metastasases",
    ]
    assert record.registration_date is None
    assert record.has_results is None
    assert record.secondary_ids == []


def test_fields_subset_record_with_month_completion() -> None:
    record = parse_study(
        load("study_NCT06382129_fields.json"), retrieved_from=None, retrieved_at=None
    )
    assert record.public_title is not None
    assert record.public_title.endswith("(PANKU-Lung02)")
    assert record.completion_date == PartialDate(value="2026-12", actual=None)
    assert record.phases == ["PHASE3"]
    assert record.interventions == ["BL-B01D1", "Docetaxel"]
    assert record.sponsor == "Sichuan Baili Pharmaceutical Co., Ltd."


def test_secondary_ids_are_tagged_by_type_and_shape() -> None:
    study = minimal_study("NCT00000001")
    identification = study["protocolSection"]["identificationModule"]
    identification["orgStudyIdInfo"] = {"id": "ISRCTN 10134725"}
    identification["secondaryIdInfos"] = [
        {"id": "2011-003425-96", "type": "EUDRACT_NUMBER"},
        {"id": "2023-505613-24-00", "type": "EUDRACT_NUMBER"},
        {"id": "2024-510663-34-00", "type": "CTIS"},
        {"id": "DRKS00005115", "type": "REGISTRY", "domain": "DRKS"},
        {"id": "ISRCTN10134725", "type": "OTHER"},
        {"id": "R01 HL123456", "type": "NIH"},
        {"id": "CDR0000576571"},
    ]
    record = parse_study(study, retrieved_from=None, retrieved_at=None)
    assert [(s.id, s.registry) for s in record.secondary_ids] == [
        ("2011-003425-96", Registry.EUCTR),
        ("2023-505613-24-00", Registry.CTIS),
        ("2024-510663-34-00", Registry.CTIS),
        ("DRKS00005115", Registry.DRKS),
        ("ISRCTN10134725", Registry.ISRCTN),
        ("R01 HL123456", None),
        ("CDR0000576571", None),
    ]


def test_hand_written_seed_records() -> None:
    studies = load("seed_batch.json")["studies"]
    records = {
        r.id: r for r in (parse_study(s, retrieved_from=None, retrieved_at=None) for s in studies)
    }
    assert sorted(records) == sorted(SEED_IDS)
    heat = records["NCT01506986"]
    assert heat.public_title == "Helicobacter Eradication Aspirin Trial"
    assert heat.sponsor == "University of Nottingham"
    assert heat.secondary_ids == []
    spot = records["NCT04285021"]
    assert spot.study_type == "OBSERVATIONAL"
    assert spot.phases == []
    assert spot.registration_date is not None and spot.start_date is not None
    assert spot.registration_date.value < spot.start_date.value


# --- batching and paging ------------------------------------------------------------------------


async def test_seed_ids_take_one_request(fast_http: RegistryHttp) -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(STUDIES).mock(return_value=json_response(load("seed_batch.json")))
        outcomes = await client(fast_http).verify_many(SEED_IDS)
    assert route.call_count == 1
    params = route.calls[0].request.url.params
    assert params["filter.ids"] == "NCT01506986|NCT04273854|NCT04285021|NCT05434195"
    assert params["fields"] == FIELDS
    assert params["pageSize"] == "1000"
    assert set(outcomes) == set(SEED_IDS)
    for nct_id, outcome in outcomes.items():
        assert outcome.kind is OutcomeKind.FOUND
        assert outcome.record is not None and outcome.record.id == nct_id
        assert outcome.url == f"https://clinicaltrials.gov/study/{nct_id}"
        assert outcome.record.retrieved_from is not None
        assert outcome.record.retrieved_from.startswith(STUDIES)


def _echo_batch(request: httpx.Request) -> httpx.Response:
    ids = request.url.params["filter.ids"].split("|")
    return json_response({"studies": [minimal_study(i) for i in ids]})


@pytest.mark.parametrize("count", [1, 200, 201, 450])
async def test_batches_hold_at_most_200_sorted_ids(fast_http: RegistryHttp, count: int) -> None:
    ids = [f"NCT{n:08d}" for n in range(10_000_000 + count, 10_000_000, -1)]  # reversed
    with respx.mock() as mock:
        route = mock.get(STUDIES).mock(side_effect=_echo_batch)
        outcomes = await client(fast_http).verify_many(ids)
    assert route.call_count == math.ceil(count / 200)
    sent = [call.request.url.params["filter.ids"].split("|") for call in route.calls]
    assert all(len(batch) <= 200 for batch in sent)
    assert sorted(i for batch in sent for i in batch) == sorted(ids)
    assert sorted(sent) == [sorted(ids)[i : i + 200] for i in range(0, count, 200)]
    assert all(o.kind is OutcomeKind.FOUND for o in outcomes.values())
    assert len(outcomes) == count


async def test_next_page_token_is_followed(fast_http: RegistryHttp) -> None:
    page1 = load("search_page1_phelan.json")
    page2 = load("search_page2_phelan.json")
    ids = [s["protocolSection"]["identificationModule"]["nctId"] for s in page1["studies"]]
    ids += [s["protocolSection"]["identificationModule"]["nctId"] for s in page2["studies"]]

    def pages(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("pageToken")
        assert request.url.params["filter.ids"] == "|".join(sorted(ids))
        if token is None:
            return json_response(page1)
        if token == page1["nextPageToken"]:
            return json_response(page2)
        assert token == page2["nextPageToken"]
        return json_response({"studies": []})  # the spec allows an empty last page

    with respx.mock() as mock:
        route = mock.get(STUDIES).mock(side_effect=pages)
        outcomes = await client(fast_http).verify_many(ids)
    assert route.call_count == 3
    assert {o.kind for o in outcomes.values()} == {OutcomeKind.FOUND}
    record = outcomes["NCT02710084"].record
    assert record is not None
    assert record.phases == ["PHASE2"]
    assert record.start_date == PartialDate(value="2016-04-29", actual=None)


async def test_page_failure_keeps_found_ids_and_leaves_the_rest_unverified(
    fast_http: RegistryHttp,
) -> None:
    page1 = {"studies": [minimal_study("NCT00000001")], "nextPageToken": "abc"}

    def pages(request: httpx.Request) -> httpx.Response:
        if "pageToken" in request.url.params:
            return httpx.Response(500)
        return json_response(page1)

    with respx.mock() as mock:
        mock.get(STUDIES).mock(side_effect=pages)
        outcomes = await client(fast_http).verify_many(["NCT00000001", "NCT00000002"])
    assert outcomes["NCT00000001"].kind is OutcomeKind.FOUND
    assert outcomes["NCT00000002"].kind is OutcomeKind.UNVERIFIED
    assert outcomes["NCT00000002"].reason == "clinicaltrials.gov: HTTP 500 (3 tries)"


# --- aliases and not found ----------------------------------------------------------------------


async def test_alias_found_in_batch(fast_http: RegistryHttp) -> None:
    with respx.mock() as mock:
        mock.get(STUDIES).mock(return_value=json_response(load("batch_alias_NCT00009113.json")))
        outcome = await client(fast_http).verify("NCT00009113")
    assert outcome.kind is OutcomeKind.ALIAS
    assert outcome.current_id == "NCT00010647"
    assert outcome.record is not None and outcome.record.id == "NCT00010647"
    assert outcome.url == "https://clinicaltrials.gov/study/NCT00010647"


async def test_alias_by_301_on_single_request(fast_http: RegistryHttp) -> None:
    target = load("study_NCT00010647_alias_target.json")
    with respx.mock() as mock:
        mock.get(STUDIES).mock(return_value=json_response(load("batch_empty.json")))
        single = mock.get(f"{STUDIES}/NCT00009113").mock(
            return_value=httpx.Response(301, headers={"location": f"{STUDIES}/NCT00010647"})
        )
        mock.get(f"{STUDIES}/NCT00010647").mock(return_value=json_response(target))
        outcome = await client(fast_http).verify("NCT00009113")
    assert single.call_count == 1
    assert outcome.kind is OutcomeKind.ALIAS
    assert outcome.current_id == "NCT00010647"


async def test_alias_by_301_without_redirect_following() -> None:
    target = load("study_NCT00010647_alias_target.json")
    http = make_fast_http(follow_redirects=False)
    try:
        with respx.mock() as mock:
            mock.get(STUDIES).mock(return_value=json_response({"studies": []}))
            mock.get(f"{STUDIES}/NCT00009113").mock(
                return_value=httpx.Response(301, headers={"location": f"{STUDIES}/NCT00010647"})
            )
            mock.get(f"{STUDIES}/NCT00010647").mock(return_value=json_response(target))
            outcome = await client(http).verify("NCT00009113")
    finally:
        await http.client.aclose()
    assert outcome.kind is OutcomeKind.ALIAS
    assert outcome.current_id == "NCT00010647"


async def test_absent_from_batch_and_404_is_not_found(fast_http: RegistryHttp) -> None:
    body = (CTGOV / "not_found_NCT99999999.txt").read_text()
    with respx.mock() as mock:
        batch = mock.get(STUDIES).mock(return_value=json_response(load("batch_empty.json")))
        single = mock.get(f"{STUDIES}/NCT99999999").mock(
            return_value=httpx.Response(404, text=body, headers={"content-type": "text/plain"})
        )
        outcome = await client(fast_http).verify("NCT99999999")
    assert (batch.call_count, single.call_count) == (1, 1)
    assert outcome.kind is OutcomeKind.NOT_FOUND
    assert outcome.reason == "NCT number NCT99999999 not found"
    assert outcome.url == "https://clinicaltrials.gov/study/NCT99999999"


async def test_batch_miss_confirmed_found_by_single_request(fast_http: RegistryHttp) -> None:
    study = load("study_NCT01987596_full_from_ctrdata_demo.json")
    with respx.mock() as mock:
        mock.get(STUDIES).mock(return_value=json_response({"studies": []}))
        mock.get(f"{STUDIES}/NCT01987596").mock(return_value=json_response(study))
        outcome = await client(fast_http).verify("NCT01987596")
    assert outcome.kind is OutcomeKind.FOUND


async def test_invalid_ids_are_unverified_without_a_request(fast_http: RegistryHttp) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(STUDIES).mock(return_value=json_response({"studies": []}))
        outcomes = await client(fast_http).verify_many(["nct123", "NCT1234567"])
    assert route.call_count == 0
    assert {o.kind for o in outcomes.values()} == {OutcomeKind.UNVERIFIED}


# --- faults: never not_found --------------------------------------------------------------------

FAULTS: dict[str, tuple[list[Any], str]] = {
    "timeout": ([httpx.ReadTimeout("slow")] * 3, "no answer within"),
    "connection reset": ([httpx.ReadError("reset by peer")] * 3, "connection error (ReadError)"),
    "500": ([httpx.Response(500)] * 3, "HTTP 500"),
    "429": (
        [httpx.Response(429, headers={"Retry-After": "1"})] * 3,
        "rate limited (HTTP 429)",
    ),
    "html page": (
        [httpx.Response(200, text="<!DOCTYPE html><html><body>Maintenance</body></html>")],
        "malformed response: HTML page where JSON was expected",
    ),
    "truncated json": (
        [httpx.Response(200, text='{"studies": [{"protocolSection": {"identif')],
        "malformed response: invalid or truncated JSON",
    ),
    "empty body": ([httpx.Response(200, text="")], "malformed response: empty body"),
    "wrong shape": (
        [httpx.Response(200, json={"error": "x"})],
        "malformed response: no studies list",
    ),
    "study without id": (
        [httpx.Response(200, json={"studies": [{"protocolSection": {}}]})],
        "malformed response: study without a valid nctId",
    ),
    "400": ([httpx.Response(400, text="`filter.x` is unknown parameter")], "HTTP 400"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_batch_faults_end_unverified(fast_http: RegistryHttp, fault: str) -> None:
    responses, reason = FAULTS[fault]
    with respx.mock(assert_all_called=False) as mock:
        # Unusable answers are retried (and their batch split): the fault persists throughout.
        batch = mock.get(STUDIES).mock(side_effect=persistent(responses))
        single = mock.get(url__regex=rf"{STUDIES}/NCT\d+").mock(return_value=NOT_FOUND)
        outcomes = await client(fast_http).verify_many(["NCT00000001", "NCT00000002"])
    assert batch.call_count >= len(responses)
    assert single.call_count == 0  # a failed batch proves nothing: no confirmation, no not_found
    for outcome in outcomes.values():
        assert outcome.kind is OutcomeKind.UNVERIFIED
        assert outcome.reason is not None and reason in outcome.reason


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(503),
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.ReadError("reset"),
    ],
    ids=["503", "429", "reset"],
)
async def test_transient_failure_then_success(fast_http: RegistryHttp, response: Any) -> None:
    with respx.mock() as mock:
        route = mock.get(STUDIES).mock(
            side_effect=[response, json_response(load("seed_batch.json"))]
        )
        outcomes = await client(fast_http).verify_many(SEED_IDS)
    assert route.call_count == 2
    assert {o.kind for o in outcomes.values()} == {OutcomeKind.FOUND}


@pytest.mark.parametrize(
    ("single_response", "reason"),
    [
        (httpx.Response(404, text="<html><body>Not Found</body></html>"), "HTTP 404"),
        (httpx.Response(500), "HTTP 500"),
        (httpx.Response(200, text="<!doctype html><p>oops</p>"), "HTML page"),
        (httpx.Response(200, text='{"protocolSection": '), "truncated JSON"),
        (httpx.Response(400, text="Parameter `nctId` has incorrect format"), "HTTP 400"),
        (httpx.ConnectTimeout("slow"), "no connection within"),
        (
            httpx.Response(
                404, text="NCT number NCT00000001 not found", headers={"content-type": "text/plain"}
            ),
            "HTTP 404",
        ),
        (
            httpx.Response(
                404, text="NCT number NCT99999999 not found", headers={"content-type": "text/html"}
            ),
            "HTTP 404",
        ),
    ],
    ids=["404-html", "500", "html", "truncated", "400", "timeout", "404-other-id", "404-as-html"],
)
async def test_single_confirmation_faults_end_unverified(
    fast_http: RegistryHttp, single_response: Any, reason: str
) -> None:
    with respx.mock() as mock:
        mock.get(STUDIES).mock(return_value=json_response({"studies": []}))
        mock.get(f"{STUDIES}/NCT99999999").mock(side_effect=[single_response] * 3)
        outcome = await client(fast_http).verify("NCT99999999")
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert outcome.reason is not None and reason in outcome.reason


def test_fixture_paths_exist() -> None:
    assert isinstance(CTGOV, Path)
    for name in ("seed_batch.json", "not_found_NCT99999999.txt", "batch_empty.json"):
        assert (CTGOV / name).is_file()


def test_references_module_gives_pmids_and_dois() -> None:
    study = minimal_study("NCT01234567")
    study["protocolSection"]["referencesModule"] = {
        "references": [
            {"pmid": "30122341", "type": "RESULT", "citation": "Smith J. Lancet. 2018."},
            {"type": "BACKGROUND", "citation": "Doe A. doi: 10.1056/NEJMoa1800001."},
            {"citation": "No identifiers at all."},
        ]
    }
    record = parse_study(study, retrieved_from=None, retrieved_at=FIXED_NOW)
    assert [(r.pmid, r.doi, r.kind) for r in record.references] == [
        ("30122341", None, "RESULT"),
        (None, "10.1056/nejmoa1800001", "BACKGROUND"),
    ]
    assert "ReferencesModule" in FIELDS
    assert record.registration_basis == "first submitted to ClinicalTrials.gov"
