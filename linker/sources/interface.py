"""What a bibliographic source promises: many PMIDs in, exactly one outcome for each out.

As with the registries, outcomes are a closed set: a source that could not be asked gives
``unverified`` with a reason, never an exception and never ``not_found``; ``not_found`` is
only a well-formed answer that lacks the record.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from linker.models import DeclaredIdentifier


class PaperOutcomeKind(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    UNVERIFIED = "unverified"


class PaperRecord(BaseModel):
    """What a source knows about one publication."""

    pmid: str
    url: str = Field(description="Where a person can read the record.")
    title: str = ""
    abstract: str = ""
    publication_types: list[str] = Field(default_factory=list)
    databank_ids: list[DeclaredIdentifier] = Field(
        default_factory=list, description="DataBankList accessions (PubMed's SI field)."
    )
    year: int | None = None
    doi: str | None = None


class PaperOutcome(BaseModel):
    kind: PaperOutcomeKind
    source: str
    requested_id: str
    record: PaperRecord | None = None
    reason: str | None = None
    from_cache: bool = False


class PaperSource(ABC):
    """One module per source implements this."""

    name: str

    @abstractmethod
    async def fetch_many(self, pmids: Sequence[str]) -> dict[str, PaperOutcome]:
        """Exactly one :class:`PaperOutcome` per PMID in ``pmids``, keyed by it."""
