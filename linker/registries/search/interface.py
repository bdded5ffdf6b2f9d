"""Searching a registry for a trial by name or title words (suggested registrations).

One module per registry implements :class:`TrialSearch`; every request goes through the run's
:class:`~linker.registries.http.RegistryHttp`, so it is paced, retried, recorded and replayed
like verification. A failed search is a :class:`SearchAnswer` with a ``failure``, never an
exception and never "no such trial".
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from pydantic import BaseModel, Field

from linker.models import Registry
from linker.registries.interface import RegistryRecord

# Trial names often end in a condition's abbreviation written with or without a space
# ("HOME BP" is written "HOMEBP"): a search asks for both spellings.
_CONDITION_SUFFIXES = ("BP", "HF", "AF", "MI", "CKD", "COPD", "HIV", "TB", "DM", "CVD", "IBD")


@dataclass(frozen=True)
class TrialQuery:
    """What to look for: a trial's name (``acronym``) or the words of a paper's title."""

    label: str
    terms: tuple[str, ...]
    by: str = "acronym"  # or "title"

    @classmethod
    def for_name(cls, name: str) -> TrialQuery:
        return cls(label=name, terms=spellings(name), by="acronym")

    @classmethod
    def for_title(cls, label: str, words: str) -> TrialQuery:
        return cls(label=label, terms=(words,), by="title")


def spellings(name: str) -> tuple[str, ...]:
    """The name as written, and with or without the space before a condition abbreviation."""
    name = re.sub(r"\s+", " ", name.strip())
    found = [name]
    compact = re.sub(r"[\s-]+", "", name)
    if compact != name:
        found.append(compact)
    for suffix in _CONDITION_SUFFIXES:
        head = compact[: -len(suffix)]
        if compact.upper().endswith(suffix) and len(head) >= 3 and head.isalpha():
            found.append(f"{head} {compact[-len(suffix) :]}")
    return tuple(dict.fromkeys(found))


class SearchAnswer(BaseModel):
    registry: Registry
    records: list[RegistryRecord] = Field(default_factory=list)
    failure: str | None = Field(default=None, description="Why the registry could not answer.")


class TrialSearch(ABC):
    registry: Registry

    @abstractmethod
    async def search(self, query: TrialQuery) -> SearchAnswer:
        """The registry's candidate records for ``query`` (at most a page)."""
