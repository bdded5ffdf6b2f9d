"""Which publications and mentions the rules are about: trial reports, own registrations."""

from __future__ import annotations

import re
from collections.abc import Iterable

from linker.models import Classification, Mention, Publication, Role, TrialReport

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


# The classifier's score (logit units, a trial at >= 0) below which a text-decided trial report
# is too close to the line for "cites no registration" to be an error. On the 7,769 labelled
# real abstracts, 77 of the 4,083 records the text calls a trial report are not trials; 47 of
# them score under 1.5 (with 434 real trials), 30 at or above it (with 3,572 real trials).
ERROR_SCORE_MARGIN = 1.5
# A registration statement with a number that no registry's format matched: a registry word,
# then, within the sentence's next 80 characters, five digits in a row or letters then digits
# ("Trial registration ISRCTN: 2017-002402-13", "ANZCTRN12614001205628", "register TC = 5687").
_REGISTRATION_STATEMENT = re.compile(
    r"(?i:regist(?:ration|ered|ry|er)|ANZCTR|ISRCTN|EudraCT|clinicaltrials\.gov|trial number)"
    r"[^\n.;]{0,80}?(?:\d{5}|\b[A-Z]{2,}\W{0,3}\d{4})"
)


def registration_doubt(
    publication: Publication, report: TrialReport, mentions: Iterable[Mention]
) -> str | None:
    """Why "cites no registration" is not conclusive for a trial report that needs one, or
    None: a malformed identifier that may be its registration mistyped, a registration
    statement whose number no format matched, a PubMed type that says it is no trial (the
    text overruled it), or a classifier score close to the line."""
    from linker.extract.trial_report import evidence_score  # the classifier's own line
    from linker.extract.trial_terms import PT_NOT_TRIAL  # the classifier's own table

    malformed = [m.raw for m in mentions if not m.valid_format and m.role in OWN_ROLES]
    if malformed:
        return f"it cites {', '.join(map(repr, malformed))}, which may be it mistyped (TL102)"
    text = f"{publication.title}\n{publication.abstract}"
    statement = _REGISTRATION_STATEMENT.search(text)
    if statement is not None:
        quoted = " ".join(statement.group(0).split())
        return f"it has what reads as a registration no registry's format matches: {quoted!r}"
    against = [t for t in publication.publication_types if t.strip().lower() in PT_NOT_TRIAL]
    if against:
        return f"PubMed indexes it as {against[0]!r}: check that it reports a trial"
    score = evidence_score(report.evidence)
    if score is not None and score < ERROR_SCORE_MARGIN:
        return (
            f"it reads as a trial report by a narrow margin (score {score:+.1f}, an error from "
            f"{ERROR_SCORE_MARGIN:+.1f}): check that it reports a trial"
        )
    return None
