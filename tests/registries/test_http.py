"""The HTTP layer: retries, Retry-After, redirects, User-Agent, pacing, replay misses."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
import respx

from linker import PROJECT_URL, __version__
from linker.models import Registry
from linker.registries.http import (
    REPLAY_MISS_HEADER,
    HostPolicy,
    HttpSettings,
    RegistryHttp,
    Unreachable,
    make_client,
    retry_after_seconds,
)

BASE = "https://registry.test"
FAST = HttpSettings(timeout=5, attempts=4, default_policy=HostPolicy(concurrency=2, min_interval=0))


class SleepRecorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def http_for(sleeps: SleepRecorder, settings: HttpSettings = FAST) -> RegistryHttp:
    return RegistryHttp(make_client(settings), settings, sleep=sleeps)


async def test_timeout_then_success(mock: respx.MockRouter, sleeps: SleepRecorder) -> None:
    route = mock.get("/a").mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, text="ok")]
    )
    response = await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")
    assert response.text == "ok"
    assert route.call_count == 2
    assert len(sleeps.delays) == 1


async def test_connection_reset_is_retried(mock: respx.MockRouter, sleeps: SleepRecorder) -> None:
    route = mock.get("/a").mock(
        side_effect=[httpx.ReadError("connection reset by peer"), httpx.Response(200)]
    )
    assert (await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")).status_code == 200
    assert route.call_count == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_server_error_then_success(
    mock: respx.MockRouter, sleeps: SleepRecorder, status: int
) -> None:
    route = mock.get("/a").mock(side_effect=[httpx.Response(status), httpx.Response(200)])
    assert (await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")).status_code == 200
    assert route.call_count == 2


async def test_retry_after_seconds_is_honoured(
    mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    mock.get("/a").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "1"}), httpx.Response(200)]
    )
    assert (await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")).status_code == 200
    assert sleeps.delays == [1.0]


async def test_retry_after_http_date_is_honoured(
    mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    mock.get("/a").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": when}), httpx.Response(200)]
    )
    assert (await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")).status_code == 200
    assert len(sleeps.delays) == 1
    assert 17 <= sleeps.delays[0] <= 21


def test_retry_after_parsing() -> None:
    def with_header(value: str) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": value})

    assert retry_after_seconds(with_header("7")) == 7.0
    assert (retry_after_seconds(with_header("Wed, 21 Oct 2015 07:28:00 GMT"), now=0) or 0) > 0
    assert retry_after_seconds(with_header("Wed, 21 Oct 2015 07:28:00 GMT")) == 0.0  # past
    assert retry_after_seconds(with_header("soon")) is None
    assert retry_after_seconds(httpx.Response(429)) is None


async def test_retry_after_is_capped(mock: respx.MockRouter, sleeps: SleepRecorder) -> None:
    mock.get("/a").mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": "86400"}), httpx.Response(200)]
    )
    await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")
    assert sleeps.delays == [FAST.retry_after_cap]


@pytest.mark.parametrize(
    ("responses", "reason"),
    [
        ([httpx.Response(503)] * 4, "registry.test: HTTP 503 (4 tries)"),
        ([httpx.Response(429)] * 4, "registry.test: rate limited (HTTP 429) (4 tries)"),
        ([httpx.ReadTimeout("x")] * 4, "registry.test: no answer within 5 s (4 tries)"),
        ([httpx.ReadError("reset")] * 4, "registry.test: connection error (ReadError) (4 tries)"),
    ],
)
async def test_exhausted_retries_raise_unreachable(
    mock: respx.MockRouter,
    sleeps: SleepRecorder,
    responses: list[httpx.Response | Exception],
    reason: str,
) -> None:
    route = mock.get("/a").mock(side_effect=responses)
    with pytest.raises(Unreachable) as caught:
        await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")
    assert caught.value.reason == reason
    assert route.call_count == 4
    assert len(sleeps.delays) == 3
    assert all(0 < delay <= FAST.backoff_max for delay in sleeps.delays)


@pytest.mark.parametrize("status", [400, 404, 403])
async def test_client_errors_are_returned_not_retried(
    mock: respx.MockRouter, sleeps: SleepRecorder, status: int
) -> None:
    route = mock.get("/a").mock(return_value=httpx.Response(status, text="NCT number x not found"))
    response = await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")
    assert response.status_code == status
    assert route.call_count == 1
    assert sleeps.delays == []


async def test_redirect_followed_and_in_history(
    mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    mock.get("/studies/NCT00009113").mock(
        return_value=httpx.Response(301, headers={"Location": f"{BASE}/studies/NCT00010647"})
    )
    mock.get("/studies/NCT00010647").mock(return_value=httpx.Response(200, json={"ok": 1}))
    response = await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/studies/NCT00009113")
    assert response.status_code == 200
    assert str(response.url).endswith("NCT00010647")
    assert [r.status_code for r in response.history] == [301]


async def test_redirect_loop_is_unreachable(mock: respx.MockRouter, sleeps: SleepRecorder) -> None:
    mock.get("/loop").mock(return_value=httpx.Response(302, headers={"Location": f"{BASE}/loop"}))
    with pytest.raises(Unreachable, match="TooManyRedirects"):
        await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/loop")


async def test_user_agent_names_tool_version_and_url(
    mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    route = mock.get("/a").mock(return_value=httpx.Response(200))
    await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")
    agent = route.calls.last.request.headers["User-Agent"]
    assert agent == f"trial-linker/{__version__} (+{PROJECT_URL})"


async def test_replay_miss_is_unreachable_without_retry(
    mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    route = mock.get("/a").mock(
        return_value=httpx.Response(599, headers={REPLAY_MISS_HEADER: "miss"}, text="no entry")
    )
    with pytest.raises(Unreachable, match="not recorded in the replay store"):
        await http_for(sleeps).get(Registry.CTGOV, f"{BASE}/a")
    assert route.call_count == 1
    assert sleeps.delays == []


async def test_post_json_sends_body(mock: respx.MockRouter, sleeps: SleepRecorder) -> None:
    route = mock.post("/search").mock(return_value=httpx.Response(200, json=[]))
    await http_for(sleeps).post_json(Registry.CTIS, f"{BASE}/search", {"q": 1})
    assert route.calls.last.request.content == b'{"q":1}'


async def test_min_interval_between_request_starts() -> None:
    starts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        return httpx.Response(200)

    interval = 0.05
    settings = HttpSettings(policies={Registry.CTGOV: HostPolicy(4, interval)})
    async with make_client(settings, httpx.MockTransport(handler)) as client:
        http = RegistryHttp(client, settings)
        await asyncio.gather(*(http.get(Registry.CTGOV, f"{BASE}/{n}") for n in range(5)))
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert len(starts) == 5
    # The span is immune to scheduling jitter on a busy machine; the gaps nearly so.
    assert starts[-1] - starts[0] >= 4 * interval * 0.9
    assert min(gaps) >= interval * 0.5
    assert http.requests_sent == 5


async def test_pacing_is_per_registry() -> None:
    starts: dict[str, float] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        starts[request.url.path] = time.monotonic()
        return httpx.Response(200)

    settings = HttpSettings(default_policy=HostPolicy(1, 0.5))
    async with make_client(settings, httpx.MockTransport(handler)) as client:
        http = RegistryHttp(client, settings)
        began = time.monotonic()
        await asyncio.gather(
            http.get(Registry.CTGOV, f"{BASE}/ctgov"), http.get(Registry.ISRCTN, f"{BASE}/isrctn")
        )
    assert max(starts.values()) - began < 0.4  # two hosts: neither waits for the other


async def test_concurrency_limit() -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return httpx.Response(200)

    settings = HttpSettings(policies={Registry.CTGOV: HostPolicy(concurrency=2, min_interval=0)})
    async with make_client(settings, httpx.MockTransport(handler)) as client:
        http = RegistryHttp(client, settings)
        await asyncio.gather(*(http.get(Registry.CTGOV, f"{BASE}/{n}") for n in range(8)))
    assert peak == 2


# --- causes in words, and the circuit breaker ---------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_name_resolution_failure_is_named_and_opens_the_circuit(
    mock: respx.MockRouter, sleeps: SleepRecorder
) -> None:
    def no_dns(request: httpx.Request) -> httpx.Response:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as error:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from error

    route = mock.get("/a").mock(side_effect=no_dns)
    http = http_for(sleeps)
    with pytest.raises(Unreachable) as caught:
        await http.get(Registry.CTGOV, f"{BASE}/a")
    assert caught.value.reason == "registry.test: name resolution failed (no network, or no DNS)"
    assert route.call_count == 1  # not retried: nothing answers at that name
    with pytest.raises(Unreachable) as again:
        await http.get(Registry.CTGOV, f"{BASE}/a")
    assert again.value.reason.endswith("; not asked again this run")
    assert route.call_count == 1
    other = mock.get("/b").respond(200)
    await http.get(Registry.ISRCTN, f"{BASE}/b")  # one registry's breaker only
    assert other.call_count == 1


async def test_connection_refused_on_a_closed_local_port(sleeps: SleepRecorder) -> None:
    http = http_for(sleeps)
    with pytest.raises(Unreachable) as caught:
        await http.get(Registry.CTGOV, f"http://127.0.0.1:{closed_port()}/a")
    assert caught.value.reason == "127.0.0.1: connection refused"
    assert sleeps.delays == []
    await http.client.aclose()


async def test_a_registry_that_never_answers_times_out_once_per_run(
    sleeps: SleepRecorder,
) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/a"
        settings = HttpSettings(
            timeout=0.2, attempts=2, default_policy=HostPolicy(concurrency=2, min_interval=0)
        )
        http = http_for(sleeps, settings)
        with pytest.raises(Unreachable) as caught:
            await http.get(Registry.CTGOV, url)
        assert caught.value.reason == "127.0.0.1: no answer within 0.2 s (2 tries)"
        sent = http.requests_sent
        with pytest.raises(Unreachable, match="not asked again this run"):
            await http.get(Registry.CTGOV, url)
        assert http.requests_sent == sent
        await http.client.aclose()


def test_connect_timeout_is_separate_and_5_s_by_default() -> None:
    client = make_client(HttpSettings())
    assert (client.timeout.connect, client.timeout.read) == (5.0, 30.0)
