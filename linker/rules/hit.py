"""A hit: a finding before the engine dresses it (severity, location, fingerprint)."""

from __future__ import annotations

from dataclasses import dataclass, field

from linker.models import Mention
from linker.results import Severity, Suggestion


@dataclass(frozen=True)
class Hit:
    code: str
    message: str
    mention: Mention | None = None
    identifier: str | None = None
    severity: Severity | None = None
    paper_title: str | None = None
    record_title: str | None = None
    suggestions: tuple[Suggestion, ...] = field(default=())
