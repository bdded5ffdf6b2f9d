"""One hint per run for identifiers that could not be verified: what happened, what to do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from linker.report.summary import plural

_NO_NETWORK = (
    "name resolution failed",
    "connection refused",
    "no connection within",
    "network unreachable",
    "could not connect",
)


def unverified_hint(reasons: Iterable[str | None]) -> str | None:
    """The hint line for these unverified reasons; None when there are none."""
    counts = Counter(reason or "no reason given" for reason in reasons)
    if not counts:
        return None
    common = "; ".join(f"{reason} ({n})" for reason, n in counts.most_common(3))
    text = " ".join(counts).lower()
    if "replay store" in text:
        advice = "record the missing answers with --record DIR (it adds to an existing store)"
    elif "offline" in text:
        advice = (
            "--offline answers from the cache only: run once with the network to fill it, "
            "or use --replay DIR with recorded answers"
        )
    elif any(marker in text for marker in _NO_NETWORK):
        advice = (
            "with no network, use --offline with a warm cache or --replay DIR with recorded "
            "answers; otherwise retry later"
        )
    else:
        advice = "the registries may be busy or down: retry later"
    return (
        f"hint: {plural(sum(counts.values()), 'identifier')} could not be verified ({common}). "
        "They are not "
        f"reported as missing; {advice}, or pass --allow-unverified to accept an incomplete run."
    )
