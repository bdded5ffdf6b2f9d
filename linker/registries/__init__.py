"""Registry stage: one client per registry behind :class:`RegistryClient`, one HTTP layer,
a persistent cache, record/replay, and the :class:`Verifier` that ties them together.

The verifier (and with it the HTTP client library) is imported on first use: a run answered
from the cache alone never needs it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from linker.registries.cache import OutcomeCache, open_cache
from linker.registries.interface import (
    Outcome,
    OutcomeKind,
    PartialDate,
    RecordReference,
    RegistryClient,
    RegistryRecord,
    SecondaryId,
)
from linker.registries.settings import RegistrySettings

if TYPE_CHECKING:
    from linker.registries.verifier import Verifier, verify_identifiers, verify_sync

_ON_FIRST_USE = frozenset({"Verifier", "verify_identifiers", "verify_sync"})

__all__ = [
    "Outcome",
    "OutcomeCache",
    "OutcomeKind",
    "PartialDate",
    "RecordReference",
    "RegistryClient",
    "RegistryRecord",
    "RegistrySettings",
    "SecondaryId",
    "Verifier",
    "open_cache",
    "verify_identifiers",
    "verify_sync",
]


def __getattr__(name: str) -> Any:
    if name in _ON_FIRST_USE:
        return getattr(importlib.import_module("linker.registries.verifier"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
