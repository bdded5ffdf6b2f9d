"""The seed list under a storm of bad answers: 30 % server errors, 5 % HTML pages with status
200, a 429 every 7th request. Every identifier ends verified, none is called not found."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import httpx
import pytest

from linker.pipeline import CheckOptions, exit_code_for, run_check
from linker.registries import verifier
from linker.registries.http import HttpSettings
from linker.registries.interface import OutcomeKind
from linker.registries.replay import ReplayTransport
from linker.registries.settings import RegistrySettings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "publications" / "publications.txt"
STORE = ROOT / "fixtures" / "registries"
SEEDS = 4
MAINTENANCE = b"<!DOCTYPE html><html><body><h1>Down for maintenance</h1></body></html>"


class Storm(ReplayTransport):
    """The replay store behind a proxy having a very bad day (seeded: the same every run)."""

    def __init__(self, directory: Path, seed: int) -> None:
        super().__init__(directory)
        self.random = random.Random(seed)
        self.sent = 0
        self.faults = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        roll = self.random.random()
        if self.sent % 7 == 0:
            self.faults += 1
            return httpx.Response(429, headers={"Retry-After": "0"}, request=request)
        if roll < 0.30:
            self.faults += 1
            return httpx.Response(503, request=request)
        if roll < 0.35:
            self.faults += 1
            headers = {"content-type": "text/html"}
            return httpx.Response(200, content=MAINTENANCE, headers=headers, request=request)
        return await super().handle_async_request(request)


def test_seed_list_verified_through_the_storm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over 40 seeds while developing: all verified; four seeds here keep the suite fast."""
    calm = run_check([str(SEED)], CheckOptions(replay=STORE, today=None))
    expected = {(i.registry, i.id): i.outcome for i in calm.identifiers}
    assert set(expected.values()) == {OutcomeKind.FOUND}
    storms: list[Storm] = []
    fast = dataclasses.replace(HttpSettings(), backoff_initial=0.001, backoff_max=0.002)
    original = RegistrySettings.http_settings

    def quick(self: RegistrySettings, *, pacing: bool = True) -> HttpSettings:
        settings = original(self, pacing=pacing)
        return dataclasses.replace(fast, policies=settings.policies, attempts=settings.attempts)

    monkeypatch.setattr(RegistrySettings, "http_settings", quick)
    for seed in range(SEEDS):

        def storm(directory: Path, seed: int = seed) -> Storm:
            storms.append(Storm(directory, seed))
            return storms[-1]

        monkeypatch.setattr(verifier, "ReplayTransport", storm)
        stormy = run_check([str(SEED)], CheckOptions(replay=STORE, today=None))
        outcomes = {(i.registry, i.id): i.outcome for i in stormy.identifiers}
        assert outcomes == expected, seed  # all verified, not one not_found
        assert exit_code_for(stormy) == 0
    assert sum(s.faults for s in storms) >= SEEDS
