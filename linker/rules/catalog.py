"""Every rule trial-linker applies: a stable code, a kebab-case name, a default severity.

A code never changes meaning; a retired rule keeps its code reserved. Each rule has a page
``docs/rules/<name>.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from linker import PROJECT_URL
from linker.results import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str

    @property
    def doc_url(self) -> str:
        return f"{PROJECT_URL}/blob/main/docs/rules/{self.name}.md"


RULES: tuple[Rule, ...] = (
    Rule(
        "TL101",
        "missing-registration",
        Severity.ERROR,
        "A trial report cites no trial registration identifier.",
    ),
    Rule(
        "TL102",
        "malformed-id",
        Severity.ERROR,
        "A registration identifier is not in its registry's format.",
    ),
    Rule(
        "TL103",
        "pmid-not-found",
        Severity.WARNING,
        "PubMed answered that it has no record with the publication's PMID (a typo?).",
    ),
    Rule(
        "TL201",
        "id-not-found",
        Severity.ERROR,
        "The registry answered that the identifier does not exist.",
    ),
    Rule(
        "TL202",
        "obsolete-id",
        Severity.WARNING,
        "The identifier is an alias of another record: cite the current identifier.",
    ),
    Rule(
        "TL203",
        "unverified-id",
        Severity.WARNING,
        "The registry could not be asked about the identifier.",
    ),
    Rule(
        "TL204",
        "unsupported-registry",
        Severity.INFO,
        "The identifier is well-formed but its registry has no public API to check it.",
    ),
    Rule(
        "TL205",
        "not-public",
        Severity.INFO,
        "The registry does not publish the trial (EUCTR: phase 1 trials in adults), so its "
        "absence there proves no typo.",
    ),
    Rule(
        "TL206",
        "transitioned-trial",
        Severity.INFO,
        "The EudraCT trial moved to CTIS; its EudraCT number stays valid.",
    ),
    Rule(
        "TL301",
        "registry-mismatch",
        Severity.ERROR,
        "The registry record does not look like this paper.",
    ),
    Rule(
        "TL302",
        "retrospective-registration",
        Severity.WARNING,
        "The trial was registered after it started.",
    ),
    Rule(
        "TL303",
        "unlinked-cross-registration",
        Severity.WARNING,
        "The paper cites two registrations of one trial and neither record lists the other.",
    ),
    Rule(
        "TL304",
        "results-not-posted",
        Severity.INFO,
        "The trial completed more than 12 months ago and the registry shows no results.",
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}


def lookup(code_or_name: str) -> Rule:
    """The rule with this code (``TL201``) or name (``id-not-found``); KeyError otherwise."""
    key = code_or_name.strip()
    rule = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if rule is None:
        raise KeyError(code_or_name)
    return rule
