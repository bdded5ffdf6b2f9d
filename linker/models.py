"""The data that flows through the pipeline: publications, identifier mentions, trial reports.

Every stage (readers -> extract -> registries -> link/rules -> report) speaks these types, so
they are deliberately plain pydantic models with no behaviour beyond locating text.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from linker.vocabulary import Classification, Registry, Role, TextAnchor, locate_at

__all__ = [
    "Classification",
    "DeclaredIdentifier",
    "Location",
    "Mention",
    "Publication",
    "Registry",
    "Role",
    "TextAnchor",
    "TextField",
    "TrialReport",
]


class TextField(BaseModel):
    """A piece of publication text (title, abstract, ...) and where it came from in the file."""

    name: str
    text: str
    anchors: list[TextAnchor] = Field(default_factory=list)
    file: str | None = Field(default=None, description="Where it stands, if not in the input.")

    def locate(self, offset: int) -> tuple[int, int]:
        """File (line, column) of the character at ``offset`` in :attr:`text`."""
        return locate_at(self.anchors, offset)


class DeclaredIdentifier(BaseModel):
    """An identifier the source itself declares (PubMed DataBankList, MEDLINE SI, RIS/BibTeX
    fields), as opposed to one found in free text."""

    databank: str
    accession: str
    line: int = 0
    column: int = 0
    field: str = Field(default="declared", description='"pubmed-si" when fetched from PubMed.')
    file: str | None = Field(default=None, description="Where it stands, if not in the input.")


class Publication(BaseModel):
    """One record of a publication list."""

    key: str = Field(description="PMID, else DOI, else FILE#N (the N-th record of FILE).")
    title: str = ""
    abstract: str = ""
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    file: str
    line: int = Field(description="First line of the record in the file (1-based).")
    end_line: int = Field(description="Last line of the record in the file (1-based).")
    ordinal: int = Field(description="Position of the record in its file, from 1.")
    publication_types: list[str] = Field(default_factory=list)
    declared_ids: list[DeclaredIdentifier] = Field(default_factory=list)
    fields: list[TextField] = Field(
        default_factory=list,
        description="Title, abstract and other free text with their file positions.",
    )

    @property
    def text(self) -> str:
        """Title and abstract as one text, for classifiers and similarity."""
        return "\n".join(part for part in (self.title, self.abstract) if part)


class Location(BaseModel):
    """Where something stands in an input file (1-based lines and columns, end inclusive)."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


class Mention(BaseModel):
    """One trial-registration identifier found in a publication."""

    publication: str = Field(description="The publication's key.")
    registry: Registry
    id: str = Field(description="Canonical identifier, e.g. NCT01506986.")
    raw: str = Field(description="The text as it stands in the source.")
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    field: str = Field(description="title, abstract, or declared (a databank field).")
    sentence: str = ""
    role: Role = Role.UNKNOWN
    valid_format: bool = True
    format_problem: str | None = None

    @property
    def location(self) -> Location:
        return Location(
            file=self.file,
            line=self.line,
            column=self.column,
            end_line=self.end_line,
            end_column=self.end_column,
        )


class TrialReport(BaseModel):
    """The decision whether a publication reports a trial, with what decided it."""

    classification: Classification
    evidence: list[str] = Field(default_factory=list)
    trial_names: list[str] = Field(default_factory=list)
