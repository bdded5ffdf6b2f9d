"""Registry stage: one client per registry behind :class:`RegistryClient`, one HTTP layer,
a persistent cache, record/replay, and the :class:`Verifier` that ties them together."""

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
from linker.registries.verifier import Verifier, verify_identifiers, verify_sync

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
