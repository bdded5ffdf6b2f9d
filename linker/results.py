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


class ExternalSource(BaseModel):
    """Where an identifier, or the text a finding rests on, was read when it is not in the
    input (``--enrich pubmed``): ``file``/``line`` then give the publication's own record."""

    name: str = Field(description='The source, e.g. "PubMed".')
    field: str = Field(description='What of it: "DataBankList" (PubMed SI) or "abstract".')
    url: str = Field(description="The record a person can read.")


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
    source: ExternalSource | None = Field(
        default=None, description="Read from PubMed, not the input (file/line: the publication)."
    )


class Suggestion(BaseModel):
    """A registration the registries' search found for a trial the paper names without an id:
    a hint, scored with the linker (never under the match threshold)."""

    trial: str = Field(description="The trial as the paper names it, or its title.")
    registry: Registry
    id: str
    url: str
    title: str | None = None
    score: float = Field(ge=0.0, le=1.0)


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
    suggestions: list[Suggestion] = Field(
        default_factory=list,
        description="missing-registration: likely registrations found by a registry search.",
    )
    fingerprint: str = Field(description="Stable across edits: no line numbers in it.")
    source: ExternalSource | None = Field(
        default=None, description="Rests on PubMed data (an identifier or abstract from PubMed)."
    )


class AcceptedBy(StrEnum):
    SUPPRESSION = "suppression"
    BASELINE = "baseline"


class SuppressedFinding(Finding):
    """A finding the configuration or a baseline accepts: kept for the record, shown as a
    count and a list, never counted in the exit code."""

    suppressed_by: AcceptedBy
    reason: str | None = Field(default=None, description="The suppression's reason.")
    selector: str | None = Field(
        default=None, description="The suppression's publication key, as configured."
    )
    until: date | None = Field(default=None, description="The suppression expires after it.")
    baseline: str | None = Field(default=None, description="The baseline file that holds it.")


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
    suppressed: list[SuppressedFinding] = Field(
        default_factory=list, description="Findings accepted by a suppression or the baseline."
    )


class RegistryMode(StrEnum):
    """How a run got a registry's answers."""

    LIVE = "live"  # asked the registry (the cache answered what it held)
    RECORD = "record"  # asked the registry and saved its answers (--record)
    REPLAY = "replay"  # recorded answers only (--replay)
    CACHE = "cache"  # the cache only (--offline)
    OFFLINE = "offline"  # nothing: --offline without a cache
    NOT_ASKED = "not-asked"  # --no-verify
    SNAPSHOT = "snapshot"  # answered from --snapshot first (data_date: the snapshot's)


class RegistryUse(BaseModel):
    registry: Registry
    mode: RegistryMode
    base_url: str | None = None
    data_date: str | None = Field(
        default=None, description="The registry's own data date, where it gives one."
    )


class RunSettings(BaseModel):
    """How a report was made: enough to reproduce it or to judge how current it is."""

    registries: list[RegistryUse] = Field(default_factory=list)
    today: date
    fail_on: Severity = Severity.ERROR
    allow_unverified: bool = False
    config_file: str | None = None
    baseline: str | None = None
    cache_dir: str | None = None
    replay: str | None = None
    record: str | None = None
    unused_suppressions: list[str] = Field(
        default_factory=list, description="Configured suppressions that matched no finding."
    )


class RunResult(BaseModel):
    schema_version: int = SCHEMA_VERSION
    tool: str = "trial-linker"
    tool_version: str
    generated_at: datetime
    inputs: list[str]
    publications: list[PublicationResult]
    settings: RunSettings | None = Field(
        default=None, description="None in results written before run settings were recorded."
    )

    @property
    def findings(self) -> list[Finding]:
        return [f for p in self.publications for f in p.findings]

    @property
    def suppressed(self) -> list[SuppressedFinding]:
        return [f for p in self.publications for f in p.suppressed]

    @property
    def identifiers(self) -> list[IdentifierResult]:
        return [i for p in self.publications for i in p.identifiers]
