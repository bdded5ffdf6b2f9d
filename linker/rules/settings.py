"""Which rules run, how severe they are, what is suppressed, and the thresholds they use.

Rules are named by code (``TL201``), name (``id-not-found``) or code prefix (``TL2`` = every
TL2xx rule), as in ruff's ``select``/``ignore``.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linker.link.score import DEFAULT, MatchThresholds
from linker.models import Publication
from linker.results import Severity
from linker.rules.catalog import RULES, lookup
from linker.rules.suppressions import publication_matches

ALL_CODES: frozenset[str] = frozenset(rule.code for rule in RULES)


def resolve(selector: str) -> frozenset[str]:
    """The rule codes a selector names; ValueError for one that names none."""
    key = selector.strip()
    try:
        return frozenset({lookup(key).code})
    except KeyError:
        pass
    prefix = key.upper()
    codes = frozenset(code for code in ALL_CODES if code.startswith(prefix))
    if len(prefix) < 2 or not prefix.startswith("TL") or not codes:
        known = ", ".join(f"{rule.code} ({rule.name})" for rule in RULES)
        raise ValueError(f"unknown rule {selector!r}: use a code, a name or a prefix of {known}")
    return codes


def _exact_code(selector: str) -> str | None:
    try:
        return lookup(selector).code
    except KeyError:
        return None


def _resolve_all(selectors: list[str]) -> list[str]:
    for selector in selectors:
        resolve(selector)
    return selectors


class Suppression(BaseModel):
    """Accepted findings of one publication, with why they are accepted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    publication: str = Field(min_length=1, description="Publication key: PMID, DOI or FILE#N.")
    rules: list[str] = Field(min_length=1)
    reason: str = Field(description="Why these findings are accepted (required).")
    until: date | None = Field(default=None, description="The findings come back after it.")
    base_dirs: list[str] = Field(
        default_factory=list,
        description="Folders a FILE#N key's relative FILE is resolved against (the "
        "configuration file's), besides the working directory.",
    )

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: list[str]) -> list[str]:
        return _resolve_all(value)

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a suppression needs a reason")
        return value.strip()

    @property
    def codes(self) -> frozenset[str]:
        return frozenset().union(*(resolve(s) for s in self.rules))

    def applies_to(self, publication: Publication) -> bool:
        return publication_matches(self.publication, publication, self.base_dirs)

    def expired(self, today: date) -> bool:
        return self.until is not None and today > self.until


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    match: float = Field(default=DEFAULT.match, ge=0.0, le=1.0)
    weak: float = Field(default=DEFAULT.weak, ge=0.0, le=1.0)
    flag_weak: bool = Field(
        default=False, description="Also report weak matches as registry-mismatch (warning)."
    )
    results_months: int = Field(default=12, ge=0)
    registration_cutoff_year: int = Field(
        default=2005, description="Trials published before this year need no registration."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.weak > self.match:
            raise ValueError(f"thresholds: weak ({self.weak}) is above match ({self.match})")
        return self

    @property
    def match_thresholds(self) -> MatchThresholds:
        return MatchThresholds(match=self.match, weak=self.weak)


class RuleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    select: list[str] = Field(default_factory=list, description="Empty: every rule.")
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    suppressions: list[Suppression] = Field(default_factory=list)
    thresholds: Thresholds = Field(default_factory=Thresholds)

    @field_validator("select", "ignore")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        return _resolve_all(value)

    @field_validator("severity")
    @classmethod
    def _known_keys(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        _resolve_all(list(value))
        return value

    @property
    def enabled(self) -> frozenset[str]:
        selected = (
            frozenset().union(*(resolve(s) for s in self.select)) if self.select else ALL_CODES
        )
        ignored = frozenset().union(*(resolve(s) for s in self.ignore))
        return selected - ignored

    def severity_override(self, code: str) -> Severity | None:
        """The configured severity of ``code``: an exact code or name wins over a prefix."""
        exact = [sev for key, sev in self.severity.items() if _exact_code(key) == code]
        if exact:
            return exact[-1]
        by_prefix = [
            (len(key.strip()), sev) for key, sev in self.severity.items() if code in resolve(key)
        ]
        return max(by_prefix, key=lambda item: item[0])[1] if by_prefix else None

    def suppression_for(
        self, code: str, publication: Publication, today: date | None = None
    ) -> Suppression | None:
        """The suppression for ``code`` on ``publication``: one in force on ``today`` before
        an expired one (which the caller reports as expired)."""
        matching = [s for s in self.suppressions if code in s.codes and s.applies_to(publication)]
        in_force = [s for s in matching if today is None or not s.expired(today)]
        return next(iter(in_force or matching), None)
