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
    r"|single[\s-]ascending[\s-]dose|multiple[\s-]ascending[\s-]dose|bioequivalence"
    r"|bioavailability|dose[\s-]escalation|dose[\s-]finding|maximum[\s-]tolerated[\s-]dose"
    r"|recommended phase[\s-]*(?:II|2)\s+dose|(?:hepatic|renal) impairment)\b",
    re.IGNORECASE,
)
# "the recommended phase II dose" names the next study's phase, not this one's.
_NEXT_PHASE_DOSE = re.compile(r"\bphase[\s-]*(?:II|2)\s+dose", re.IGNORECASE)
# Where a paper names its own study's phase (not a trial of its background, "improved survival
# in a phase III trial"): its title, "this/our ... phase 3", "we conducted a ... phase 3",
# "Design: ... phase 3".
_OWN_PHASE = re.compile(
    r"\b(?:(?:this|the present|the current|our)\s+|we\s+(?:conducted|performed|did|report"
    r"|present|undertook|carried out)\s+an?\s+|(?:study )?design\s*:\s*|methods?\s*:\s*)"
    r"(?:[\w-]+,?\s+){0,5}?(?=phase)",
    re.IGNORECASE,
)
_PAEDIATRIC = re.compile(
    r"\b(?:children|child|paediatric|pediatric|infants?|neonates?|neonatal|newborns?"
    r"|adolescents?|preterm|schoolchildren|toddlers?|under\s+(?:1[0-7]|[2-9])\s+years)\b",
    re.IGNORECASE,
)
_ADULT = re.compile(
    r"\b(?:adults?|adult patients|aged (?:1[89]|[2-9]\d)\b|men and women"
    r"|healthy (?:volunteers|subjects|participants))",
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


def own_phases(title: str, abstract: str) -> set[int]:
    """The phases a paper names as its own study's: in its title, or where the abstract
    describes this study (``_OWN_PHASE``)."""
    found = phases_named(_NEXT_PHASE_DOSE.sub(" ", title))
    for start in _OWN_PHASE.finditer(abstract):
        match = _PHASE.match(abstract, start.end())
        if match is not None:
            found |= phases_named(match.group(0))
    return found


def read_phase(text: str, title: str | None = None) -> PhaseEvidence:
    """How the paper's title and abstract (``text``; its ``title`` where known, which
    ``text`` starts with) read for an absence from EUCTR. A phase 2-4 reading needs the paper
    to name it as its own (the title, "this phase 3 trial"); a phase named elsewhere may be
    another trial's."""
    phases = phases_named(_NEXT_PHASE_DOSE.sub(" ", text))
    if title is not None:
        own = own_phases(title, text[len(title) :] if text.startswith(title) else text)
    else:
        own = phases
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
    if own - {1} and not early:
        named = "/".join(str(p) for p in sorted(own))
        return PhaseEvidence(PhaseReading.PUBLIC, f"it describes a phase {named} trial")
    if phases and not early:
        return PhaseEvidence(
            PhaseReading.UNCLEAR, "the paper names a phase, but not as its own trial's"
        )
    return PhaseEvidence(PhaseReading.UNCLEAR, "the paper does not make its phase clear")
