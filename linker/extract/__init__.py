"""Extract stage: trial registration identifiers (with their file positions and roles) and the
decision whether a publication reports a trial.

The classifier (:mod:`linker.extract.trial_report`) is imported when first asked for: finding
identifiers (``extract``) never loads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linker.extract.identifiers import Found, canonical_id, find_identifiers, parse_identifier
from linker.extract.mentions import extract_mentions
from linker.extract.roles import classify_role

if TYPE_CHECKING:
    from linker.extract.trial_report import classify_publication, classify_text

_CLASSIFIER = frozenset({"classify_publication", "classify_text"})

__all__ = [
    "Found",
    "canonical_id",
    "classify_publication",
    "classify_role",
    "classify_text",
    "extract_mentions",
    "find_identifiers",
    "parse_identifier",
]


def __getattr__(name: str) -> object:
    if name in _CLASSIFIER:
        from linker.extract import trial_report

        return getattr(trial_report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
