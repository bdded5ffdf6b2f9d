"""The verifier with fake clients (no network), plus the settings and client wiring it uses."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest

from linker.errors import ConfigError
from linker.models import Registry
from linker.registries import verifier as verifier_module
from linker.registries.cache import OutcomeCache
from linker.registries.clients import build_clients
from linker.registries.ctgov import CtgovClient
from linker.registries.euctr import EuctrClient
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.interface import Outcome, OutcomeKind, RegistryClient
from linker.registries.isrctn import IsrctnClient
from linker.registries.replay import INDEX
from linker.registries.settings import RegistrySettings, env_var
from linker.registries.unsupported import UnsupportedClient
from linker.registries.verifier import Verifier, open_http, verify_sync

NCT1, NCT2, NCT3 = "NCT00000001", "NCT00000002", "NCT00000003"
ISRCTN1 = "ISRCTN11111111"


class FakeClient(RegistryClient):
    """Answers from a table; records every batch it was given."""

    registry: ClassVar[Registry] = Registry.CTGOV

    def __init__(
        self,
        registry: Registry,
        answers: dict[str, OutcomeKind] | None = None,
        error: Exception | None = None,
        needs_network: bool = True,
    ) -> None:
        self.registry = registry  # type: ignore[misc]
        self.answers = answers or {}
        self.error = error
        self.needs_network = needs_network
        self.batches: list[list[str]] = []
        self.started = asyncio.Event()
        self.release: asyncio.Event | None = None

    async def verify_many(self, ids: Sequence[str]) -> dict[str, Outcome]:
        self.batches.append(list(ids))
        self.started.set()
        if self.release is not None:
            await self.release.wait()
        if self.error is not None:
            raise self.error
        return {
            id_: Outcome(kind=self.answers[id_], registry=self.registry, requested_id=id_)
            for id_ in ids
            if id_ in self.answers
        }


def unsupported_client(registry: Registry) -> FakeClient:
    return FakeClient(
        registry,
        answers=dict.fromkeys(["ACTRN12610000000000"], OutcomeKind.UNSUPPORTED),
        needs_network=False,
    )


async def test_deduplicates_and_groups_by_registry() -> None:
    ctgov = FakeClient(Registry.CTGOV, {NCT1: OutcomeKind.FOUND, NCT2: OutcomeKind.NOT_FOUND})
    isrctn = FakeClient(Registry.ISRCTN, {ISRCTN1: OutcomeKind.FOUND})
    wanted = [
        (Registry.CTGOV, NCT1),
        (Registry.ISRCTN, ISRCTN1),
        (Registry.CTGOV, NCT2),
        (Registry.CTGOV, NCT1),
    ]
    results = await Verifier({Registry.CTGOV: ctgov, Registry.ISRCTN: isrctn}).verify(wanted)
    assert list(results) == [
        (Registry.CTGOV, NCT1),
        (Registry.ISRCTN, ISRCTN1),
        (Registry.CTGOV, NCT2),
    ]
    assert ctgov.batches == [[NCT1, NCT2]]
    assert isrctn.batches == [[ISRCTN1]]
    assert results[(Registry.CTGOV, NCT2)].kind is OutcomeKind.NOT_FOUND


async def test_registries_are_asked_concurrently() -> None:
    ctgov = FakeClient(Registry.CTGOV, {NCT1: OutcomeKind.FOUND})
    isrctn = FakeClient(Registry.ISRCTN, {ISRCTN1: OutcomeKind.FOUND})
    gate = asyncio.Event()
    ctgov.release = isrctn.release = gate

    async def open_gate_when_both_started() -> None:
        await ctgov.started.wait()
        await isrctn.started.wait()
        gate.set()

    verifier = Verifier({Registry.CTGOV: ctgov, Registry.ISRCTN: isrctn})
    results, _ = await asyncio.wait_for(
        asyncio.gather(
            verifier.verify([(Registry.CTGOV, NCT1), (Registry.ISRCTN, ISRCTN1)]),
            open_gate_when_both_started(),
        ),
        timeout=5,
    )
    assert len(results) == 2


async def test_client_exception_makes_its_batch_unverified() -> None:
    broken = FakeClient(Registry.CTGOV, error=RuntimeError("parser exploded"))
    healthy = FakeClient(Registry.ISRCTN, {ISRCTN1: OutcomeKind.FOUND})
    results = await Verifier({Registry.CTGOV: broken, Registry.ISRCTN: healthy}).verify(
        [(Registry.CTGOV, NCT1), (Registry.CTGOV, NCT2), (Registry.ISRCTN, ISRCTN1)]
    )
    for key in [(Registry.CTGOV, NCT1), (Registry.CTGOV, NCT2)]:
        assert results[key].kind is OutcomeKind.UNVERIFIED
        assert results[key].reason == "client error: RuntimeError: parser exploded"
    assert results[(Registry.ISRCTN, ISRCTN1)].kind is OutcomeKind.FOUND


async def test_forgotten_ids_become_unverified_no_answer() -> None:
    client = FakeClient(Registry.CTGOV, {NCT1: OutcomeKind.FOUND})
    results = await Verifier({Registry.CTGOV: client}).verify(
        [(Registry.CTGOV, NCT1), (Registry.CTGOV, NCT2)]
    )
    assert results[(Registry.CTGOV, NCT2)].kind is OutcomeKind.UNVERIFIED
    assert results[(Registry.CTGOV, NCT2)].reason == "no answer"


async def test_registry_without_client_is_unsupported() -> None:
    results = await Verifier({}).verify([(Registry.DRKS, "DRKS00000001")])
    assert results[(Registry.DRKS, "DRKS00000001")].kind is OutcomeKind.UNSUPPORTED


async def test_cache_answers_second_run_and_skips_unverified(tmp_path: Path) -> None:
    answers = {NCT1: OutcomeKind.FOUND, NCT2: OutcomeKind.NOT_FOUND, NCT3: OutcomeKind.UNVERIFIED}
    wanted = [(Registry.CTGOV, n) for n in (NCT1, NCT2, NCT3)]
    first = FakeClient(Registry.CTGOV, answers)
    with OutcomeCache(tmp_path) as cache:
        cold = await Verifier({Registry.CTGOV: first}, cache).verify(wanted)
    assert not any(outcome.from_cache for outcome in cold.values())

    second = FakeClient(Registry.CTGOV, answers)
    with OutcomeCache(tmp_path) as cache:
        warm = await Verifier({Registry.CTGOV: second}, cache).verify(wanted)
    assert second.batches == [[NCT3]]  # only the unverified one is asked again
    assert warm[(Registry.CTGOV, NCT1)].from_cache
    assert warm[(Registry.CTGOV, NCT2)].from_cache
    assert not warm[(Registry.CTGOV, NCT3)].from_cache


async def test_offline_answers_from_cache_only(tmp_path: Path) -> None:
    with OutcomeCache(tmp_path) as cache:
        cache.put_many(
            [Outcome(kind=OutcomeKind.FOUND, registry=Registry.CTGOV, requested_id=NCT1)]
        )
        ctgov = FakeClient(Registry.CTGOV, {NCT2: OutcomeKind.FOUND})
        anzctr = unsupported_client(Registry.ANZCTR)
        results = await Verifier(
            {Registry.CTGOV: ctgov, Registry.ANZCTR: anzctr}, cache, offline=True
        ).verify(
            [
                (Registry.CTGOV, NCT1),
                (Registry.CTGOV, NCT2),
                (Registry.ANZCTR, "ACTRN12610000000000"),
            ]
        )
    assert ctgov.batches == []
    assert results[(Registry.CTGOV, NCT1)].from_cache
    assert results[(Registry.CTGOV, NCT2)].kind is OutcomeKind.UNVERIFIED
    assert results[(Registry.CTGOV, NCT2)].reason == "offline"
    assert results[(Registry.ANZCTR, "ACTRN12610000000000")].kind is OutcomeKind.UNSUPPORTED


async def test_unsupported_outcomes_are_not_cached(tmp_path: Path) -> None:
    with OutcomeCache(tmp_path) as cache:
        anzctr = unsupported_client(Registry.ANZCTR)
        await Verifier({Registry.ANZCTR: anzctr}, cache).verify(
            [(Registry.ANZCTR, "ACTRN12610000000000")]
        )
        assert cache.info().total == 0


async def test_progress_reaches_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    client = FakeClient(Registry.CTGOV, {NCT1: OutcomeKind.FOUND, NCT2: OutcomeKind.FOUND})
    await Verifier({Registry.CTGOV: client}, on_progress=lambda d, t: seen.append((d, t))).verify(
        [(Registry.CTGOV, NCT1), (Registry.CTGOV, NCT2), (Registry.DRKS, "DRKS00000001")]
    )
    assert seen[-1] == (3, 3)


def test_verify_sync_wires_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[RegistryHttp] = []

    def fake_build(
        http: RegistryHttp, settings: Any, today: Any = None
    ) -> dict[Registry, RegistryClient]:
        built.append(http)
        return {Registry.CTGOV: FakeClient(Registry.CTGOV, {NCT1: OutcomeKind.FOUND})}

    monkeypatch.setattr(verifier_module, "build_clients", fake_build)
    with OutcomeCache(tmp_path) as cache:
        results = verify_sync([(Registry.CTGOV, NCT1)], cache=cache)
    assert results[(Registry.CTGOV, NCT1)].kind is OutcomeKind.FOUND
    assert len(built) == 1


async def test_open_http_replay_has_no_pacing_and_misses_are_unreachable(tmp_path: Path) -> None:
    (tmp_path / INDEX).write_text("[]")
    async with open_http(RegistrySettings(), replay=tmp_path) as http:
        assert http.settings.policy(Registry.CTGOV).min_interval == 0
        with pytest.raises(Unreachable, match="replay store"):
            # A host that exists nowhere (RFC 2606): a miss that fell through would reach nothing.
            await http.get(Registry.CTGOV, "https://ctgov.invalid/api/v2/studies/NCT00000001")


async def test_open_http_refuses_replay_with_record(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="together"):
        async with open_http(replay=tmp_path, record=tmp_path):
            pass


async def test_open_http_live_keeps_pacing() -> None:
    async with open_http(RegistrySettings()) as http:
        assert http.settings.policy(Registry.CTGOV).min_interval == 1.0


# -- build_clients ------------------------------------------------------------------------------


async def test_build_clients_judges_isrctn_status_at_the_given_date() -> None:
    async with open_http(RegistrySettings()) as http:
        clients = build_clients(http, RegistrySettings(), date(2030, 1, 2))
    isrctn = clients[Registry.ISRCTN]
    assert isinstance(isrctn, IsrctnClient)
    assert isrctn.today() == date(2030, 1, 2)


async def test_build_clients_covers_every_registry() -> None:
    settings = RegistrySettings.from_env({env_var(Registry.CTGOV): "http://127.0.0.1:8080/v2/"})
    async with open_http(settings) as http:
        clients = build_clients(http, settings)
    assert set(clients) == set(Registry)
    assert all(client.registry is registry for registry, client in clients.items())
    ctgov = clients[Registry.CTGOV]
    assert isinstance(ctgov, CtgovClient)
    assert ctgov.base_url == "http://127.0.0.1:8080/v2"
    euctr = clients[Registry.EUCTR]
    assert isinstance(euctr, EuctrClient)
    assert euctr.ctis is clients[Registry.CTIS]
    assert isinstance(clients[Registry.DRKS], UnsupportedClient)


# -- settings -----------------------------------------------------------------------------------


def test_settings_defaults() -> None:
    settings = RegistrySettings.from_env({})
    assert settings.base_url(Registry.CTGOV) == "https://clinicaltrials.gov/api/v2"
    assert settings.base_url(Registry.ISRCTN) == "https://www.isrctn.com"
    assert settings.base_url(Registry.EUCTR) == "https://www.clinicaltrialsregister.eu"
    assert settings.base_url(Registry.CTIS) == "https://euclinicaltrials.eu"
    policy = settings.http_settings().policy(Registry.ISRCTN)
    assert policy.min_interval == 1.0
    assert settings.http_settings(pacing=False).policy(Registry.ISRCTN).min_interval == 0


def test_settings_layering() -> None:
    overrides = {"timeout": "10s", "ctgov": {"min_interval": "500ms", "base_url": "https://a.test"}}
    environ = {"TRIAL_LINKER_CTGOV_URL": "http://127.0.0.1:9000/api/v2", "UNRELATED": "x"}
    settings = RegistrySettings.from_env(environ, overrides)
    assert settings.timeout == 10.0
    assert settings.ctgov.min_interval == 0.5
    assert settings.base_url(Registry.CTGOV) == "http://127.0.0.1:9000/api/v2"  # env wins
    flags = settings.merged({"attempts": 2, "isrctn": {"concurrency": 1}})
    assert flags.attempts == 2
    assert flags.http_settings().policy(Registry.ISRCTN).concurrency == 1
    assert flags.ctgov.min_interval == 0.5


@pytest.mark.parametrize(
    ("overrides", "environ", "message"),
    [
        ({"ctgov": {"base_url": "ftp://x"}}, {}, "ctgov.base_url"),
        ({}, {"TRIAL_LINKER_CTIS_URL": "euclinicaltrials.eu"}, "ctis.base_url"),
        ({"isrctn": {"min_interval": "soon"}}, {}, "isrctn.min_interval"),
        ({"ctgov": {"concurrency": 0}}, {}, "ctgov.concurrency"),
        ({"retries": 3}, {}, "retries"),
    ],
)
def test_invalid_settings_are_one_config_error(
    overrides: dict[str, Any], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        RegistrySettings.from_env(environ, overrides)
