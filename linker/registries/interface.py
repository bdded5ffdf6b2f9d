"""What every registry client promises: many identifiers in, exactly one outcome for each out.

Outcomes are one closed set of values (lychee's ``Status``, pip-audit's skipped dependencies): a
registry that could not be asked is an ``unverified`` value with a reason, never an exception and
never ``not_found``.
"""

from __future__ import annotations

import calendar
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from linker.models import Registry
from linker.registries.causes import FailureCause


class OutcomeKind(StrEnum):
    FOUND = "found"
    ALIAS = "alias"
    NOT_FOUND = "not_found"
    NOT_PUBLIC = "not_public"
    UNSUPPORTED = "unsupported"
    UNVERIFIED = "unverified"


class PartialDate(BaseModel):
    """A registry date with the precision the registry gave: ``2013``, ``2013-08`` or
    ``2013-08-14``. ``actual`` is False for anticipated dates, None where unknown."""

    value: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    actual: bool | None = None

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month", 10: "day"}[len(self.value)]

    def first_day(self) -> date:
        """The first day the date can mean (``2013-08`` -> 1 August 2013)."""
        year, month, day = (int(p) for p in (self.value + "-01-01")[:10].split("-"))
        return date(year, month, day)

    def last_day(self) -> date:
        """The last day the date can mean (``2013-08`` -> 31 August 2013)."""
        parts = [int(p) for p in self.value.split("-")]
        year = parts[0]
        month = parts[1] if len(parts) > 1 else 12
        day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
        return date(year, month, day)


class SecondaryId(BaseModel):
    """A cross-registration or other identifier listed in a registry record."""

    id: str
    registry: Registry | None = Field(
        default=None, description="The registry it belongs to, None for sponsor or grant numbers."
    )
    kind: str | None = Field(default=None, description="The registry's own label for it.")


class Enrollment(BaseModel):
    count: int
    actual: bool | None = None


class RecordReference(BaseModel):
    """A publication the registry record lists (CT.gov ``referencesModule``, ISRCTN outputs)."""

    pmid: str | None = None
    doi: str | None = None
    kind: str | None = Field(
        default=None, description="The registry's own label: RESULT, DERIVED, BACKGROUND, ..."
    )


def acronym_name(text: str | None) -> str | None:
    """The acronym of a registry's acronym field, which some records spell out after a colon
    (ISRCTN: "PACE: Pacing, Activity, and Cognitive behaviour therapy: a randomised
    Evaluation"): the part before it, where that is a short name, else the field as it is."""
    if text is None or ":" not in text:
        return text
    name = text.split(":", 1)[0].strip()
    return name if name and len(name) <= 30 and len(name.split()) <= 3 else text


class RegistryRecord(BaseModel):
    """A registry entry normalised across registries."""

    registry: Registry
    id: str
    url: str = Field(description="Where a person can read the record.")
    public_title: str | None = None
    scientific_title: str | None = None
    acronym: str | None = None
    sponsor: str | None = None
    collaborators: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    interventions: list[str] = Field(default_factory=list)
    study_type: str | None = None
    phases: list[str] = Field(default_factory=list)
    registration_date: PartialDate | None = None
    registration_basis: str | None = Field(
        default=None,
        description="Which registry date ``registration_date`` is, for messages "
        '("first submitted", "year of EudraCT number ... (a lower bound)", ...).',
    )
    start_date: PartialDate | None = None
    completion_date: PartialDate | None = None
    overall_status: str | None = None
    enrollment: Enrollment | None = None
    secondary_ids: list[SecondaryId] = Field(default_factory=list)
    references: list[RecordReference] = Field(
        default_factory=list, description="Publications the record lists (PMIDs, DOIs)."
    )
    transitioned_to: str | None = Field(
        default=None, description="For a EudraCT trial that moved to CTIS: its EU CT number."
    )
    results_first_posted: PartialDate | None = None
    has_results: bool | None = None
    last_update: PartialDate | None = None
    retrieved_at: datetime | None = None
    retrieved_from: str | None = None

    @property
    def titles(self) -> list[str]:
        return [t for t in (self.public_title, self.scientific_title) if t]


class Outcome(BaseModel):
    """The one answer for one requested identifier."""

    kind: OutcomeKind
    registry: Registry
    requested_id: str
    current_id: str | None = Field(default=None, description="For alias: the id now in use.")
    record: RegistryRecord | None = None
    reason: str | None = Field(default=None, description="Why: for unverified, not_public, ...")
    #: Why an unverified outcome is unverified, as the verifier decides on it (never written
    #: out: the reason says it in words).
    cause: FailureCause | None = Field(default=None, exclude=True)
    url: str | None = Field(default=None, description="Where a person can look it up.")
    from_cache: bool = False
    snapshot_date: date | None = Field(
        default=None, description="Answered from a registry snapshot of this data date."
    )

    @property
    def verified(self) -> bool:
        return self.kind is not OutcomeKind.UNVERIFIED


class RegistryClient(ABC):
    """One module per registry implements this (pip-audit's ``VulnerabilityService``)."""

    registry: Registry  # a class attribute in most clients; per instance in ``unsupported``

    @abstractmethod
    async def verify_many(self, ids: Sequence[str]) -> dict[str, Outcome]:
        """Return exactly one :class:`Outcome` per canonical id in ``ids``, keyed by that id."""

    async def verify(self, identifier: str) -> Outcome:
        return (await self.verify_many([identifier]))[identifier]
