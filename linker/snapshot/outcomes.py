"""The outcomes a snapshot stores: the same values the live clients give for a record."""

from __future__ import annotations

from datetime import UTC, date, datetime

from linker.registries.interface import Outcome, OutcomeKind, RegistryRecord


def data_datetime(value: date) -> datetime:
    """A data date as the ``retrieved_at`` of its records (midnight UTC)."""
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def found(record: RegistryRecord) -> Outcome:
    return Outcome(
        kind=OutcomeKind.FOUND,
        registry=record.registry,
        requested_id=record.id,
        record=record,
        url=record.url,
    )


def alias(requested: str, record: RegistryRecord) -> Outcome:
    """``requested`` is an old id of ``record`` (CT.gov ``nctIdAliases``)."""
    return Outcome(
        kind=OutcomeKind.ALIAS,
        registry=record.registry,
        requested_id=requested,
        current_id=record.id,
        record=record,
        reason=f"{requested} is an alias of {record.id}",
        url=record.url,
    )
