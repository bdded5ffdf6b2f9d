"""Why an identifier is unverified is a typed cause carried with the answer: the retry and
split decisions read it, never the reason's words (which stay what users read)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from linker.models import Registry
from linker.registries.causes import FailureCause
from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, Unreachable, make_client
from linker.registries.interface import Outcome, OutcomeKind
from linker.registries.verifier import worth_asking_again

BASE = "https://registry.test"
FAST = HttpSettings(timeout=5, attempts=3, default_policy=HostPolicy(concurrency=1, min_interval=0))


async def _no_sleep(seconds: float) -> None:
    del seconds


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def _http() -> RegistryHttp:
    return RegistryHttp(make_client(FAST), FAST, sleep=_no_sleep)


async def _failure(http: RegistryHttp, path: str) -> Unreachable:
    with pytest.raises(Unreachable) as caught:
        await http.get(Registry.CTGOV, f"{BASE}{path}", expect="JSON")
    return caught.value


@pytest.mark.parametrize(
    ("answer", "reason", "cause"),
    [
        (httpx.Response(503), "registry.test: HTTP 503 (3 tries)", FailureCause.RETRIES_EXHAUSTED),
        (httpx.Response(429), "registry.test: rate limited (HTTP 429) (3 tries)", "retries"),
        (
            httpx.Response(200, text="<html><body>Maintenance</body></html>"),
            "registry.test: malformed response: HTML page where JSON was expected (3 tries)",
            FailureCause.UNUSABLE_ANSWER,
        ),
        (httpx.Response(200, text='{"studies": ['), "registry.test: malformed response: "
         "invalid or truncated JSON (3 tries)", FailureCause.UNUSABLE_ANSWER),
    ],
)  # fmt: skip
async def test_the_http_layer_gives_each_failure_its_cause(
    mock: respx.MockRouter, answer: httpx.Response, reason: str, cause: str
) -> None:
    mock.get("/a").mock(return_value=answer)
    failure = await _failure(_http(), "/a")
    assert failure.reason == reason  # the words users read are unchanged
    expected = FailureCause.RETRIES_EXHAUSTED if cause == "retries" else cause
    assert failure.cause is expected


async def test_a_registry_given_up_on_says_so_in_its_cause(mock: respx.MockRouter) -> None:
    mock.get("/a").mock(side_effect=httpx.ConnectError("refused"))
    http = _http()
    first = await _failure(http, "/a")
    assert first.cause is FailureCause.FAILED  # one try: the registry cannot be reached
    again = await _failure(http, "/a")
    assert again.cause is FailureCause.GIVEN_UP
    assert again.reason.endswith("; not asked again this run")


def _unverified(reason: str, cause: FailureCause | None) -> Outcome:
    return Outcome(
        kind=OutcomeKind.UNVERIFIED,
        registry=Registry.CTGOV,
        requested_id="NCT01234567",
        reason=reason,
        cause=cause,
    )


def test_asking_again_is_decided_by_the_cause_not_the_words() -> None:
    # Words that once decided it, now without the cause, decide nothing.
    assert not worth_asking_again(_unverified("x: malformed response: empty body (4 tries)", None))
    assert worth_asking_again(_unverified("anything", FailureCause.RETRIES_EXHAUSTED))
    assert worth_asking_again(_unverified("anything", FailureCause.UNUSABLE_ANSWER))
    assert not worth_asking_again(_unverified("x (4 tries)", FailureCause.GIVEN_UP))
    assert not worth_asking_again(_unverified("x (4 tries)", FailureCause.FAILED))


def test_the_cause_is_never_written_out() -> None:
    outcome = _unverified("registry.test: HTTP 503 (3 tries)", FailureCause.RETRIES_EXHAUSTED)
    assert "cause" not in outcome.model_dump_json()
    assert "cause" not in outcome.model_dump(mode="json")
