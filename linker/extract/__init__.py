"""Extract stage: trial registration identifiers (with their file positions and roles) and the
decision whether a publication reports a trial.

Every name is imported when first asked for: finding identifiers (``extract``) never loads the
classifier, and importing :mod:`linker.extract.identifiers` does not load pydantic (the models
come with :func:`extract_mentions`)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linker.extract.identifiers import Found, canonical_id, find_identifiers, parse_identifier
    from linker.extract.mentions import extract_mentions
    from linker.extract.roles import classify_role
    from linker.extract.trial_report import classify_publication, classify_text

_MODULES = {
    "Found": "identifiers",
    "canonical_id": "identifiers",
    "find_identifiers": "identifiers",
    "parse_identifier": "identifiers",
    "extract_mentions": "mentions",
    "classify_role": "roles",
    "classify_publication": "trial_report",
    "classify_text": "trial_report",
}

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
    if name in _MODULES:
        return getattr(importlib.import_module(f"linker.extract.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
