"""The result of a ``check`` run: what every reporter renders and ``report`` reads back.

``RunResult`` is the JSON report's model; its JSON Schema is generated from here
(``docs/result.schema.json``). Bump :data:`SCHEMA_VERSION` on any incompatible change.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from linker.models import Classification, Registry, Role
from linker.registries.interface import OutcomeKind, PartialDate

SCHEMA_VERSION = 1


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Verdict(StrEnum):
    MATCH = "match"
    WEAK = "weak"
    MISMATCH = "mismatch"


class MatchScore(BaseModel):
    """How well a registry record fits a paper, and why."""

    score: float = Field(ge=0.0, le=1.0)
    verdict: Verdict
    conclusive: bool | None = Field(
        default=None,
        description="For a mismatch: True when the evidence is conclusive (no shared specific "
        "term, low title similarity, the record does not cite the paper); only then is "
        "registry-mismatch an error.",
    )
    evidence: list[str] = Field(default_factory=list)


class RecordSummary(BaseModel):
    """The part of a registry record that reports show."""

    registry: Registry
    id: str
    url: str
    title: str | None = None
    acronym: str | None = None
    sponsor: str | None = None
    overall_status: str | None = None
    registration_date: PartialDate | None = None
    start_date: PartialDate | None = None
    completion_date: PartialDate | None = None
    cross_registrations: list[str] = Field(default_factory=list)


class IdentifierResult(BaseModel):
    registry: Registry
    id: str
    raw: str
    file: str
    line: int
    column: int
    role: Role
    valid_format: bool
    outcome: OutcomeKind | None = Field(default=None, description="None when not verified.")
    reason: str | None = None
    current_id: str | None = None
    url: str | None = None
    record: RecordSummary | None = None
    match: MatchScore | None = None
    snapshot_date: date | None = Field(
        default=None, description="Answered from a registry snapshot of this data date."
    )


class Finding(BaseModel):
    code: str
    name: str
    severity: Severity
    message: str
    publication: str
    file: str
    line: int
    column: int | None = None
    identifier: str | None = None
    paper_title: str | None = None
    record_title: str | None = None
    fingerprint: str = Field(description="Stable across edits: no line numbers in it.")


class PublicationResult(BaseModel):
    key: str
    title: str
    file: str
    line: int
    end_line: int
    year: int | None = None
    classification: Classification
    evidence: list[str] = Field(default_factory=list)
    trial_names: list[str] = Field(default_factory=list)
    identifiers: list[IdentifierResult] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)


class RunResult(BaseModel):
    schema_version: int = SCHEMA_VERSION
    tool: str = "trial-linker"
    tool_version: str
    generated_at: datetime
    inputs: list[str]
    publications: list[PublicationResult]

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.publications for f in p.findings]

    @property
    def identifiers(self) -> list[IdentifierResult]:
        return [i for p in self.publications for i in p.identifiers]
