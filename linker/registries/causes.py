"""Why an identifier is unverified, as a closed set the verifier decides on (the reason, in
words, is what users read; no decision reads it)."""

from __future__ import annotations

from enum import StrEnum


class FailureCause(StrEnum):
    """Why an identifier got no answer, as the verifier decides on it; the reason, in words, is
    what users read. Carried by :class:`~linker.registries.http.Unreachable`, by
    :class:`~linker.registries._parsing.MalformedResponse` and by the unverified
    :class:`~linker.registries.interface.Outcome` made from either."""

    #: The registry answered, but not with the document asked for (an HTML page, an empty or
    #: truncated body): retried like a 5xx, a batch split, asked again in a later round.
    UNUSABLE_ANSWER = "unusable-answer"
    #: Every attempt ended in a 5xx, a 429 or a timeout: asked again in a later round.
    RETRIES_EXHAUSTED = "retries-exhausted"
    #: The registry was given up on for this run (it could not be connected to).
    GIVEN_UP = "given-up"
    #: Anything else (an unexpected status, a page not understood, a replay miss): final.
    FAILED = "failed"


#: The causes that a later round of requests may cure.
PASSING_CAUSES = frozenset({FailureCause.UNUSABLE_ANSWER, FailureCause.RETRIES_EXHAUSTED})
