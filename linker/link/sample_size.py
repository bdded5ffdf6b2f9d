"""The number of participants a paper's abstract reports, to compare with the record's
enrolment: "5352 were randomised", "The definitive trial randomised 330 patients", "3423
participants were recruited"."""

from __future__ import annotations

import re

_NUMBER = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
_ACTION = r"(?:randomi[sz]ed|enrolled|included|recruited|allocated|assigned)"
_PEOPLE = (
    r"(?:patients|participants|subjects|women|men|children|adults|infants|volunteers"
    r"|individuals|people|persons|neonates|adolescents|pregnancies|mothers|residents)"
)
_PATTERNS = (
    re.compile(rf"\b{_NUMBER}\s+(?:[A-Za-z-]+\s+){{0,4}}?(?:were|was)\s+{_ACTION}\b", re.I),
    re.compile(rf"\b{_ACTION}\s+{_NUMBER}\s+(?:[A-Za-z-]+\s+){{0,2}}?{_PEOPLE}\b", re.I),
    re.compile(rf"\b{_NUMBER}\s+(?:[A-Za-z-]+\s+){{0,3}}?{_PEOPLE}\s+{_ACTION}\b", re.I),
)
# Enrolment and sample size agree when they differ by at most this share of the larger.
TOLERANCE = 0.2


def sample_size(text: str) -> int | None:
    """The first participant count the text reports, or None."""
    found = [m for pattern in _PATTERNS if (m := pattern.search(text)) is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    value = int(first.group("n").replace(",", ""))
    return value if value > 0 else None


def agrees(enrolment: int, reported: int) -> bool:
    return abs(enrolment - reported) <= TOLERANCE * max(enrolment, reported)


__all__ = ["agrees", "sample_size"]
