"""What a paper says about its trial's phase and population, as far as EUCTR's publication
duties go.

Under the Clinical Trials Directive, EUCTR publishes every phase 2-4 trial and every paediatric
trial, but not phase 1 trials in adults. So when EUCTR lists no trial for a cited EudraCT number,
the paper decides what that absence means: a clear phase 2-4 or paediatric paper cannot be
absent for that reason (a typo is likely), an adult phase 1 paper is expected to be absent, and
anything in between is unclear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_NUMERAL = r"(?:I{1,3}V?|IV|[1-4])"
_PHASE = re.compile(
    rf"\bphase[\s-]*(?P<first>{_NUMERAL})(?:[abAB]\b)?"
    rf"(?:\s*(?:/|-|to|and)\s*(?:phase[\s-]*)?(?P<second>{_NUMERAL}))?(?:[abAB])?\b",
    re.IGNORECASE,
)
_FIRST_IN_HUMAN = re.compile(
    r"\b(?:first[\s-]in[\s-](?:human|man|humans)|healthy (?:adult )?(?:volunteers|subjects)"
    r"|single[\s-]ascending[\s-]dose|multiple[\s-]ascending[\s-]dose|bioequivalence)\b",
    re.IGNORECASE,
)
_PAEDIATRIC = re.compile(
    r"\b(?:children|child|paediatric|pediatric|infants?|neonates?|neonatal|newborns?"
    r"|adolescents?|preterm|schoolchildren|toddlers?|under\s+(?:1[0-7]|[2-9])\s+years)\b",
    re.IGNORECASE,
)
_ADULT = re.compile(
    r"\b(?:adults?|adult patients|aged (?:1[89]|[2-9]\d)\b|men and women|healthy volunteers)",
    re.IGNORECASE,
)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


class PhaseReading(StrEnum):
    """What the paper says, for an absence from EUCTR."""

    ADULT_PHASE1 = "adult-phase-1"
    """A phase 1 / first-in-human study with no sign of children: EUCTR does not publish it."""
    PUBLIC = "public"
    """Clearly a phase 2-4 trial, or a paediatric one: EUCTR publishes every such trial."""
    UNCLEAR = "unclear"


@dataclass(frozen=True)
class PhaseEvidence:
    reading: PhaseReading
    because: str


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else _ROMAN.get(numeral.upper(), 0)


def phases_named(text: str) -> set[int]:
    """Every phase number the text names ("phase I/II" names 1 and 2)."""
    found: set[int] = set()
    for match in _PHASE.finditer(text):
        for group in ("first", "second"):
            if numeral := match.group(group):
                found.add(_number(numeral))
    return found - {0}


def read_phase(text: str) -> PhaseEvidence:
    """How the paper's title and abstract read for an absence from EUCTR."""
    phases = phases_named(text)
    early = 1 in phases or _FIRST_IN_HUMAN.search(text) is not None
    paediatric = _PAEDIATRIC.search(text)
    if paediatric is not None:
        # EUCTR publishes paediatric trials of every phase; children named beside adults
        # (background, parents, mixed ages) is no clear reading either way.
        if _ADULT.search(text):
            return PhaseEvidence(PhaseReading.UNCLEAR, "the paper names children and adults")
        return PhaseEvidence(
            PhaseReading.PUBLIC, f"it describes a paediatric trial ({paediatric.group(0)!r})"
        )
    if early and not phases - {1}:
        return PhaseEvidence(PhaseReading.ADULT_PHASE1, "it describes a phase 1 trial in adults")
    if phases and not early:
        named = "/".join(str(p) for p in sorted(phases))
        return PhaseEvidence(PhaseReading.PUBLIC, f"it describes a phase {named} trial")
    return PhaseEvidence(PhaseReading.UNCLEAR, "the paper does not make its phase clear")
