"""Which publications and mentions the rules are about: trial reports, own registrations."""

from __future__ import annotations

from collections.abc import Iterable

from linker.models import Classification, Mention, Role, TrialReport

TRIAL_REPORTS = frozenset(
    {
        Classification.TRIAL_RESULTS,
        Classification.TRIAL_PROTOCOL,
        Classification.SECONDARY_ANALYSIS,
    }
)
OWN_ROLES = frozenset({Role.OWN, Role.UNKNOWN})


def needs_registration(report: TrialReport, mentions: Iterable[Mention]) -> bool:
    """missing-registration's scope: a trial report with no well-formed own identifier."""
    if report.classification not in TRIAL_REPORTS:
        return False
    return not any(m.valid_format and m.role in OWN_ROLES for m in mentions)
