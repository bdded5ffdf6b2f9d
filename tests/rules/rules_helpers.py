"""Small builders for rule tests (short strings only)."""

from __future__ import annotations

from typing import Any

from linker.models import Classification, Mention, Publication, Registry, Role, TrialReport
from linker.registries.interface import Outcome, OutcomeKind, PartialDate, RegistryRecord

TITLE = "Helicobacter eradication before aspirin to prevent ulcer bleeding: the HEAT trial"


def publication(line: int = 10, **extra: Any) -> Publication:
    values: dict[str, Any] = {"key": "12345", "pmid": "12345", "title": TITLE, "year": 2019}
    values.update(extra)
    return Publication(file="pubs.txt", line=line, end_line=line + 1, ordinal=1, **values)


def report(
    kind: Classification = Classification.TRIAL_RESULTS, names: tuple[str, ...] = ()
) -> TrialReport:
    return TrialReport(classification=kind, trial_names=list(names))


def mention(
    identifier: str = "ISRCTN11111111",
    registry: Registry = Registry.ISRCTN,
    line: int = 11,
    column: int = 5,
    role: Role = Role.UNKNOWN,
    **extra: Any,
) -> Mention:
    return Mention(
        publication="12345",
        registry=registry,
        id=identifier,
        raw=extra.pop("raw", identifier),
        file="pubs.txt",
        line=line,
        column=column,
        end_line=line,
        end_column=column + 13,
        field="abstract",
        role=role,
        **extra,
    )


def record(
    identifier: str = "ISRCTN11111111", registry: Registry = Registry.ISRCTN, **extra: Any
) -> RegistryRecord:
    values: dict[str, Any] = {
        "public_title": "Helicobacter Eradication Aspirin Trial",
        "acronym": "HEAT",
    }
    values.update(extra)
    return RegistryRecord(
        registry=registry, id=identifier, url=f"https://reg/{identifier}", **values
    )


def date(value: str, actual: bool | None = None) -> PartialDate:
    return PartialDate(value=value, actual=actual)


def found(rec: RegistryRecord) -> Outcome:
    return Outcome(
        kind=OutcomeKind.FOUND, registry=rec.registry, requested_id=rec.id, record=rec, url=rec.url
    )


def outcome(kind: OutcomeKind, m: Mention, **extra: Any) -> Outcome:
    return Outcome(kind=kind, registry=m.registry, requested_id=m.id, **extra)
