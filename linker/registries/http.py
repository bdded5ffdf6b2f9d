"""The one HTTP layer every registry client goes through.

One ``httpx.AsyncClient`` per run; per registry a concurrency limit and a minimum interval
between requests; one retry predicate (timeouts, connection errors, 408, 429, 5xx) with
exponential back-off, jitter and ``Retry-After``. A request that cannot get a usable answer
raises :class:`Unreachable` with a reason, which clients turn into an ``unverified`` outcome.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx
from aiolimiter import AsyncLimiter
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from linker import PROJECT_URL, __version__
from linker.models import Registry
from linker.registries.answers import Expectation, answer_problem
from linker.registries.causes import FailureCause
from linker.registries.failures import (
    CircuitBreaker,
    breaks_circuit,
    transport_cause,
    tries,
)
from linker.registries.http_settings import Host
from linker.registries.http_settings import HostPolicy as HostPolicy  # re-exported
from linker.registries.http_settings import HttpSettings as HttpSettings  # re-exported

USER_AGENT = f"trial-linker/{__version__} (+{PROJECT_URL})"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
# A replay store (linker.registries.replay) answers requests it has no recording for with this
# header; such a request was never sent, so it is neither retried nor a registry's answer.
REPLAY_MISS_HEADER = "x-trial-linker-replay"

Sleep = Callable[[float], Awaitable[None]]


class Unreachable(Exception):
    """No usable answer: the reason is shown to the user as ``unverified: <reason>``; the
    cause is what the verifier decides on."""

    def __init__(self, reason: str, cause: FailureCause = FailureCause.FAILED) -> None:
        self.reason = reason
        self.cause = cause
        super().__init__(reason)


class _UnusableAnswer(Exception):
    """A 200 whose body is not the document asked for (an HTML page from a proxy, a load
    balancer or a maintenance page; an empty or truncated body): retried like a 5xx."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


class _RetryableStatus(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        super().__init__(f"HTTP {response.status_code}")


def make_client(
    settings: HttpSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The client factory: timeouts, User-Agent, redirects followed (and kept in history)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(
            settings.timeout, connect=min(settings.connect_timeout, settings.timeout)
        ),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        transport=transport,
    )


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds, from either delta-seconds or an HTTP date."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def _is_retryable(error: BaseException) -> bool:
    # A registry that cannot be connected to is given up on at once (the circuit breaker).
    if breaks_circuit(error):
        return False
    return isinstance(
        error, _RetryableStatus | _UnusableAnswer | httpx.TimeoutException | httpx.TransportError
    )


def _describe(error: BaseException, timeouts: httpx.Timeout) -> str:
    if isinstance(error, _UnusableAnswer):
        return error.problem
    if isinstance(error, _RetryableStatus):
        status = error.response.status_code
        return "rate limited (HTTP 429)" if status == 429 else f"HTTP {status}"
    if isinstance(error, httpx.TransportError):
        return transport_cause(error, timeouts)
    return str(error)


def _cause(error: BaseException, attempts: int) -> FailureCause:
    if isinstance(error, _UnusableAnswer):
        return FailureCause.UNUSABLE_ANSWER
    return FailureCause.RETRIES_EXHAUSTED if attempts > 1 else FailureCause.FAILED


def _host(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


class _Pacer:
    def __init__(self, policy: HostPolicy) -> None:
        self.semaphore = asyncio.Semaphore(max(policy.concurrency, 1))
        self.limiter = AsyncLimiter(1, policy.min_interval) if policy.min_interval > 0 else None


class RegistryHttp:
    """Shared HTTP access for all registry clients of one run."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: HttpSettings | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.settings = settings or HttpSettings()
        self._pacers: dict[Host, _Pacer] = {}
        self._sleep = sleep  # between retries; tests pass a recorder instead of waiting
        self.requests_sent = 0
        self.breaker = CircuitBreaker()

    def _pacer(self, registry: Host) -> _Pacer:
        if registry not in self._pacers:
            self._pacers[registry] = _Pacer(self.settings.policy(registry))
        return self._pacers[registry]

    def _wait(self, state: RetryCallState) -> float:
        # "Full jitter": a random wait up to the exponential bound, so clients spread out.
        base = wait_random_exponential(
            multiplier=self.settings.backoff_initial, max=self.settings.backoff_max
        )(state)
        outcome = state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, _RetryableStatus):
            hinted = retry_after_seconds(error.response)
            if hinted is not None:
                return min(hinted, self.settings.retry_after_cap)
        return base

    async def request(
        self,
        registry: Host,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        expect: Expectation | None = None,
    ) -> httpx.Response:
        """Send with pacing and retries. Returns any final response that is not retryable
        (2xx, 3xx, other 4xx: the caller interprets it); raises :class:`Unreachable` when the
        attempts run out or the transport fails for good. With ``expect`` ("JSON", "XML", or a
        function of the body), a 200 whose body is not such a document is retried too (see
        :func:`~linker.registries.answers.answer_problem`)."""
        pacer = self._pacer(registry)
        given_up = self.breaker.reason(registry)
        if given_up is not None:
            raise Unreachable(f"{given_up}; not asked again this run", FailureCause.GIVEN_UP)
        retrying = AsyncRetrying(
            retry=retry_if_exception(_is_retryable),
            stop=stop_after_attempt(max(self.settings.attempts, 1)),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    async with pacer.semaphore:
                        if pacer.limiter is not None:
                            await pacer.limiter.acquire()
                        given_up = self.breaker.reason(registry)
                        if given_up is not None:  # another request found it unreachable
                            raise Unreachable(
                                f"{given_up}; not asked again this run", FailureCause.GIVEN_UP
                            )
                        self.requests_sent += 1
                        response = await self.client.request(
                            method, url, params=params, json=json, headers=headers, data=data
                        )
                    if response.headers.get(REPLAY_MISS_HEADER) == "miss":
                        raise Unreachable(
                            f"not recorded in the replay store ({method} {response.url.path})"
                        )
                    if response.status_code in RETRY_STATUSES:
                        raise _RetryableStatus(response)
                    if expect is not None and response.status_code == 200:
                        problem = answer_problem(response.content, expect)
                        if problem is not None:
                            raise _UnusableAnswer(problem)
                    return response
        except (
            _RetryableStatus,
            _UnusableAnswer,
            httpx.TimeoutException,
            httpx.TransportError,
        ) as error:
            attempts = retrying.statistics.get("attempt_number", 1)
            reason = f"{_host(url)}: {_describe(error, self.client.timeout)}"
            if attempts > 1:
                reason += f" ({tries(attempts)})"
            if breaks_circuit(error) or isinstance(error, httpx.TimeoutException):
                self.breaker.trip(registry, reason)
            raise Unreachable(reason, _cause(error, attempts)) from error
        except httpx.HTTPError as error:  # invalid URL, decoding, too many redirects
            raise Unreachable(f"request failed ({type(error).__name__})") from error
        raise Unreachable("no attempt was made")  # pragma: no cover - stop_after_attempt >= 1

    async def get(
        self,
        registry: Registry,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        expect: Expectation | None = None,
    ) -> httpx.Response:
        return await self.request(registry, "GET", url, params=params, expect=expect)

    async def post_json(
        self, registry: Registry, url: str, body: Any, *, expect: Expectation | None = None
    ) -> httpx.Response:
        return await self.request(registry, "POST", url, json=body, expect=expect)
