"""ISRCTN client: parsing real XML, ORed batches, post-filtering, status, faults."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import respx
from fast_http import persistent
from support import FIXTURES

from linker.models import Registry
from linker.registries.http import RegistryHttp
from linker.registries.interface import OutcomeKind, PartialDate, SecondaryId
from linker.registries.isrctn import (
    DEFAULT_BASE_URL,
    QUERY_PATH,
    IsrctnClient,
    derive_status,
    parse_full_trial,
    parse_query_response,
)

ISRCTN = FIXTURES / "registries" / "isrctn"
QUERY = DEFAULT_BASE_URL + QUERY_PATH
NS = "http://www.67bricks.com/isrctn"
SEED_IDS = ["ISRCTN15036829", "ISRCTN12417565", "ISRCTN10134725"]
TODAY = date(2026, 10, 15)


def load(name: str) -> bytes:
    return (ISRCTN / name).read_bytes()


def client(http: RegistryHttp, today: date = TODAY) -> IsrctnClient:
    return IsrctnClient(http, today=lambda: today, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))


def xml_response(body: bytes | str, status: int = 200) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    return httpx.Response(status, content=content, headers={"content-type": "application/xml"})


def all_trials(digits: list[str], total: int | None = None) -> str:
    trials = "".join(
        f"<fullTrial><trial><isrctn>{d}</isrctn><trialDescription><title>Trial {d}</title>"
        "</trialDescription></trial></fullTrial>"
        for d in digits
    )
    count = len(digits) if total is None else total
    return f'<allTrials xmlns="{NS}" totalCount="{count}">{trials}</allTrials>'


def only_trial(name: str) -> Any:
    result = parse_query_response(load(name))
    assert len(result.trials) == 1
    return next(iter(result.trials.values()))


# --- parsing -----------------------------------------------------------------------------------


def test_xrefs_record_and_ctis_pseudo_number() -> None:
    record = parse_full_trial(
        only_trial("query_ISRCTN62918594_eudract_nct_ctis_xrefs.xml"), today=TODAY
    )
    assert record.registry is Registry.ISRCTN
    assert record.id == "ISRCTN62918594"
    assert record.url == "https://www.isrctn.com/ISRCTN62918594"
    assert record.public_title == (
        "A Phase I/IIa trial of HMBD-001 in advanced HER3-positive solid tumours"
    )
    assert record.scientific_title is not None
    assert record.scientific_title.startswith("A Cancer Research UK Phase I/IIa")
    assert record.acronym is None  # <acronym /> is absent, not ""
    assert record.sponsor == "Cancer Research UK"
    assert record.conditions[0] == "Bladder Cancer"
    assert record.interventions == ["HMBD-001"]
    assert record.study_type == "INTERVENTIONAL"
    assert record.phases == ["PHASE1", "PHASE2"]
    assert record.registration_date == PartialDate(value="2026-06-25", actual=True)
    assert record.start_date == PartialDate(value="2021-10-07")
    assert record.completion_date == PartialDate(value="2025-09-10")
    assert record.overall_status == "COMPLETED"
    assert record.enrollment is not None
    assert (record.enrollment.count, record.enrollment.actual) == (25, True)
    assert record.has_results is True
    assert record.last_update == PartialDate(value="2026-09-30", actual=True)
    assert record.secondary_ids == [
        SecondaryId(id="2020-005891-36", registry=Registry.EUCTR, kind="eudraCTNumber"),
        SecondaryId(id="NCT05057013", registry=Registry.CTGOV, kind="clinicalTrialsGovNumber"),
        SecondaryId(id="298897", registry=None, kind="iras"),
        SecondaryId(id="49816", registry=None, kind="cpms"),
        SecondaryId(id="CRUKD/22/002", registry=None, kind="Protocol serial number"),
    ]
    # CTIS2020-005891-36-00 is ISRCTN's wrapping of the EudraCT number, never a CTIS id.
    assert all(s.registry is not Registry.CTIS for s in record.secondary_ids)


def test_ctis_pseudo_number_alone_maps_to_eudract() -> None:
    body = f"""<allTrials xmlns="{NS}" totalCount="1"><fullTrial><trial>
      <isrctn dateAssigned="2022-01-05T00:00:00.000Z">11111111</isrctn>
      <externalRefs><eudraCTNumber /><secondaryNumbers>
        <secondaryNumber numberType="ctis" canonicalSecondaryNumber="CTIS2020-005891-36-00"
          >CTIS2020-005891-36-00</secondaryNumber>
        <secondaryNumber numberType="ctis" canonicalSecondaryNumber="CTIS2023-505613-24-00"
          >2023-505613-24-00</secondaryNumber>
      </secondaryNumbers></externalRefs></trial></fullTrial></allTrials>"""
    trial = next(iter(parse_query_response(body.encode()).trials.values()))
    record = parse_full_trial(trial, today=TODAY)
    assert [(s.id, s.registry) for s in record.secondary_ids] == [
        ("2020-005891-36", Registry.EUCTR),
        ("2023-505613-24-00", Registry.CTIS),
    ]


def test_old_record_2003() -> None:
    record = parse_full_trial(only_trial("query_ISRCTN54285094_pace_2003.xml"), today=TODAY)
    assert record.id == "ISRCTN54285094"
    # The field spells the acronym out after a colon: the acronym is the part before it, so
    # a paper naming "The PACE trial" shares it (its whole text was never found in one).
    assert record.acronym == "PACE"
    assert record.sponsor == "Queen Mary University of London (UK)"
    assert record.registration_date == PartialDate(value="2003-05-22", actual=True)
    assert record.start_date == PartialDate(value="2004-06-14")
    assert record.completion_date == PartialDate(value="2011-07-01")
    assert record.phases == ["NA"]
    assert record.enrollment is not None
    assert (record.enrollment.count, record.enrollment.actual) == (600, False)
    assert record.secondary_ids == [
        SecondaryId(id="G0200434", registry=None, kind="Protocol serial number")
    ]
    assert record.has_results is True  # "Results article in ..."
    assert record.last_update == PartialDate(value="2015-11-03", actual=True)


@pytest.mark.parametrize(
    ("today", "override", "expected"),
    [
        (date(2021, 1, 1), "", "NOT_YET_RECRUITING"),
        (date(2022, 6, 1), "", "RECRUITING"),
        (date(2025, 1, 1), "", "ACTIVE_NOT_RECRUITING"),
        (date(2025, 9, 11), "", "COMPLETED"),
        (date(2022, 6, 1), "Stopped", "TERMINATED"),
        (date(2022, 6, 1), "Suspended", "SUSPENDED"),
    ],
)
def test_status_is_derived_from_dates_and_override(
    today: date, override: str, expected: str
) -> None:
    body = load("query_ISRCTN62918594_eudract_nct_ctis_xrefs.xml").decode()
    if override:
        body = body.replace(
            "<recruitmentStatusOverride />",
            f"<recruitmentStatusOverride>{override}</recruitmentStatusOverride>",
        )
    trial = next(iter(parse_query_response(body.encode()).trials.values()))
    inner = trial.find(f"{{{NS}}}trial")
    assert derive_status(inner, today) == expected


def test_seed_file_is_well_formed() -> None:
    result = parse_query_response(load("seed_batch.xml"))
    assert result.total == 3 and result.complete
    assert sorted(result.trials) == sorted(SEED_IDS)


# --- batching -----------------------------------------------------------------------------------


async def test_seed_ids_take_one_query(fast_http: RegistryHttp) -> None:
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(return_value=xml_response(load("seed_batch.xml")))
        outcomes = await client(fast_http).verify_many(SEED_IDS)
    assert route.call_count == 1
    params = route.calls[0].request.url.params
    assert params["q"] == "ISRCTN10134725 OR ISRCTN12417565 OR ISRCTN15036829"
    assert int(params["limit"]) >= 3
    for isrctn_id, outcome in outcomes.items():
        assert outcome.kind is OutcomeKind.FOUND
        assert outcome.record is not None and outcome.record.id == isrctn_id
        assert outcome.url == f"https://www.isrctn.com/{isrctn_id}"
    heat = outcomes["ISRCTN10134725"].record
    assert heat is not None
    assert (heat.acronym, heat.sponsor) == ("HEAT", "University of Nottingham")


def _echo(request: httpx.Request) -> httpx.Response:
    ids = request.url.params["q"].split(" OR ")
    assert int(request.url.params["limit"]) >= len(ids)
    return xml_response(all_trials([i.removeprefix("ISRCTN") for i in ids]))


@pytest.mark.parametrize(("count", "queries"), [(1, 1), (100, 1), (101, 2), (250, 3)])
async def test_one_query_per_batch_of_100(
    fast_http: RegistryHttp, count: int, queries: int
) -> None:
    ids = [f"ISRCTN{n:08d}" for n in range(20_000_000, 20_000_000 + count)]
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(side_effect=_echo)
        outcomes = await client(fast_http).verify_many(list(reversed(ids)))
    assert route.call_count == queries
    sent = [call.request.url.params["q"].split(" OR ") for call in route.calls]
    assert sorted(sent) == [ids[i : i + 100] for i in range(0, count, 100)]
    assert {o.kind for o in outcomes.values()} == {OutcomeKind.FOUND}


async def test_results_are_filtered_on_the_trials_own_number(fast_http: RegistryHttp) -> None:
    # Free text also hits a trial that merely mentions the number: it must not count.
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(
            side_effect=[
                xml_response(all_trials(["12345678", "87654321"])),
                xml_response(all_trials(["87654321"])),  # single confirmation
            ]
        )
        outcomes = await client(fast_http).verify_many(["ISRCTN12345678", "ISRCTN11111111"])
    assert outcomes["ISRCTN12345678"].kind is OutcomeKind.FOUND
    assert outcomes["ISRCTN11111111"].kind is OutcomeKind.NOT_FOUND
    assert "87654321" not in {o.requested_id for o in outcomes.values()}
    assert route.call_count == 2


# --- not found ----------------------------------------------------------------------------------


async def test_empty_result_is_not_found(fast_http: RegistryHttp) -> None:
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(return_value=xml_response(load("query_empty_result.xml")))
        outcome = await client(fast_http).verify("ISRCTN99999999")
    assert route.call_count == 1
    assert outcome.kind is OutcomeKind.NOT_FOUND
    assert outcome.url == "https://www.isrctn.com/ISRCTN99999999"


async def test_absence_from_a_batch_is_confirmed_alone(fast_http: RegistryHttp) -> None:
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(
            side_effect=[
                xml_response(all_trials(["62918594"])),
                xml_response(load("query_empty_result.xml")),
            ]
        )
        outcomes = await client(fast_http).verify_many(["ISRCTN62918594", "ISRCTN99999999"])
    assert route.call_count == 2
    assert route.calls[1].request.url.params["q"] == "ISRCTN99999999"
    assert outcomes["ISRCTN99999999"].kind is OutcomeKind.NOT_FOUND


async def test_cut_short_result_is_unverified(fast_http: RegistryHttp) -> None:
    with respx.mock() as mock:
        mock.get(QUERY).mock(return_value=xml_response(all_trials(["87654321"], total=40)))
        outcome = await client(fast_http).verify("ISRCTN11111111")
    assert outcome.kind is OutcomeKind.UNVERIFIED
    assert outcome.reason is not None and "cut short" in outcome.reason


# --- faults: never not_found --------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    f'<allTrials xmlns="{NS}" totalCount="0">&lol2;</allTrials>'
)

FAULTS: dict[str, tuple[list[Any], str]] = {
    "timeout": ([httpx.ReadTimeout("slow")] * 3, "no answer within"),
    "connection reset": ([httpx.ReadError("reset")] * 3, "connection error (ReadError)"),
    "500": ([httpx.Response(500)] * 3, "HTTP 500"),
    "429": ([httpx.Response(429, headers={"Retry-After": "2"})] * 3, "rate limited (HTTP 429)"),
    "html page": (
        [
            httpx.Response(
                200, text="<!DOCTYPE html>\n<html><body>Service unavailable</body></html>"
            )
        ],
        "malformed response: HTML page where XML was expected",
    ),
    "empty body": ([httpx.Response(200, text="")], "malformed response: empty body"),
    "wrong root": (
        [xml_response(f'<fullTrial xmlns="{NS}"><trial/></fullTrial>')],
        "malformed response: unexpected XML root",
    ),
    "wrong namespace": (
        [xml_response('<allTrials totalCount="0"></allTrials>')],
        "malformed response: unexpected XML root",
    ),
    "no totalCount": (
        [xml_response(f'<allTrials xmlns="{NS}"></allTrials>')],
        "malformed response: allTrials without a totalCount",
    ),
    "truncated xml": (
        [xml_response(load("query_empty_result.xml")[:40])],
        "malformed response: unparsable XML",
    ),
    "entity expansion": ([xml_response(BILLION_LAUGHS)], "malformed response: unparsable XML"),
    "404": ([httpx.Response(404, text="Not Found")], "HTTP 404"),
    "trial without its number": (
        [
            xml_response(
                f'<allTrials xmlns="{NS}" totalCount="1"><fullTrial><trial>'
                "<isrctn>ISRCTN62918594</isrctn></trial></fullTrial></allTrials>"
            )
        ],
        "malformed response: a trial without an 8-digit isrctn",
    ),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_faults_end_unverified(fast_http: RegistryHttp, fault: str) -> None:
    responses, reason = FAULTS[fault]
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(side_effect=persistent(responses))
        outcomes = await client(fast_http).verify_many(["ISRCTN15036829", "ISRCTN12417565"])
    assert route.call_count >= len(responses)
    for outcome in outcomes.values():
        assert outcome.kind is OutcomeKind.UNVERIFIED
        assert outcome.reason is not None and reason in outcome.reason


@pytest.mark.parametrize(
    "first",
    [httpx.Response(503), httpx.Response(429, headers={"Retry-After": "0"})],
    ids=["503", "429"],
)
async def test_transient_failure_then_success(fast_http: RegistryHttp, first: Any) -> None:
    with respx.mock() as mock:
        route = mock.get(QUERY).mock(side_effect=[first, xml_response(load("seed_batch.xml"))])
        outcomes = await client(fast_http).verify_many(SEED_IDS)
    assert route.call_count == 2
    assert {o.kind for o in outcomes.values()} == {OutcomeKind.FOUND}


async def test_invalid_ids_are_unverified_without_a_query(fast_http: RegistryHttp) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(QUERY).mock(return_value=xml_response(load("query_empty_result.xml")))
        outcomes = await client(fast_http).verify_many(["ISRCTN1234", "isrctn12345678"])
    assert route.call_count == 0
    assert {o.kind for o in outcomes.values()} == {OutcomeKind.UNVERIFIED}


def test_publication_details_give_references_not_the_records_own_doi() -> None:
    """Real records: PACE lists PubMed links, ISRCTN62918594 DOIs; neither its own 10.1186."""
    pace = parse_full_trial(only_trial("query_ISRCTN54285094_pace_2003.xml"), today=TODAY)
    assert [r.pmid for r in pace.references] == ["21334061", "23363640", "23967878"]
    xrefs = parse_full_trial(
        only_trial("query_ISRCTN62918594_eudract_nct_ctis_xrefs.xml"), today=TODAY
    )
    assert [r.doi for r in xrefs.references] == [
        "10.1016/j.annonc.2023.09.1873",
        "10.1016/j.annonc.2023.09.1874",
    ]
    assert xrefs.registration_basis == "ISRCTN assigned"
