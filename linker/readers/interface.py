"""What every publication-list reader is, and the helpers they share.

A reader turns one decoded file (or, for XML, a byte stream) into :class:`Publication` records.
A :class:`LineReader` gets the file one physical line at a time as it is decoded, so it holds
one record (and a little look-ahead) in memory, never the whole file. Positions are 1-based lines
and 1-based columns counted in characters of the decoded text.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from linker.errors import InputError
from linker.limits import DEFAULT_MAX_RECORD_SIZE
from linker.vocabulary import TextAnchor, locate_at

if TYPE_CHECKING:  # the models are imported where a record is built: lean reading skips them
    from linker.models import DeclaredIdentifier, Publication, TextField


def _ignore_warning(message: str) -> None:
    del message


@dataclass(frozen=True)
class ReadOptions:
    """How one file is to be read: its name as the user gave it, column overrides, warnings."""

    file_name: str
    columns: Mapping[str, str] = field(default_factory=dict)
    on_warning: Callable[[str], None] = _ignore_warning
    max_record_size: int = DEFAULT_MAX_RECORD_SIZE
    first_ordinal: int = 1  # a part of a file (linker.readers.part): its first record's ordinal

    def warn(self, message: str) -> None:
        self.on_warning(f"{self.file_name}: {message}")

    def error(self, message: str, line: int | None = None) -> InputError:
        return InputError(self.file_name, message, line)


class Reader(ABC):
    """One publication-list format."""

    name: str
    #: ``True`` when :meth:`read_stream` wants the raw byte stream (streaming XML).
    wants_bytes: bool = False

    @abstractmethod
    def read(self, text: str, options: ReadOptions) -> Iterator[Publication]:
        """Yield the publications of a decoded file."""

    def read_stream(self, stream: BinaryIO, options: ReadOptions) -> Iterator[Publication]:
        raise NotImplementedError


#: Physical lines of a file with their 1-based numbers: split on ``\\n`` only, the ``\\n``
#: removed, anything else (a trailing ``\\r``) kept. A file ending in ``\\n`` has a last,
#: empty line, as ``str.split`` gives.
NumberedLines = Iterator[tuple[int, str]]


class LineReader(Reader):
    """A format read line by line: it streams (see :func:`linker.readers.decode.decode_lines`)."""

    @abstractmethod
    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        """Yield the publications of a file given as its physical lines."""

    def read(self, text: str, options: ReadOptions) -> Iterator[Publication]:
        yield from self.read_lines(numbered_lines(text), options)


def numbered_lines(text: str) -> NumberedLines:
    return enumerate(text.split("\n"), start=1)


class LineIndex:
    """Maps offsets of a text to 1-based (line, column); ``first_line`` numbers its first line."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._starts = [0]
        self._starts.extend(m.end() for m in re.finditer("\n", text))
        self._first_line = first_line

    def position(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        line = bisect_right(self._starts, offset)
        return line + self._first_line - 1, offset - self._starts[line - 1] + 1


class TextBuilder:
    """Accumulates a text and the anchors that map each character back to the file.

    An anchor is added only where the position stops following on from the previous character,
    so a verbatim run of one line costs one anchor.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._anchors: list[TextAnchor] = []
        self._next: tuple[int, int] | None = None

    @property
    def empty(self) -> bool:
        return self._length == 0

    def add(self, text: str, line: int, column: int) -> None:
        """Append ``text`` that stands verbatim at ``line``/``column`` (on one line)."""
        if not text:
            return
        if self._next != (line, column):
            self._anchors.append(TextAnchor(offset=self._length, line=line, column=column))
        self._parts.append(text)
        self._length += len(text)
        self._next = (line, column + len(text))

    def add_runs(
        self, text: str, runs: Iterable[tuple[int, int, int]], line: int, shift: int
    ) -> None:
        """Append ``text``, made of ``runs`` (start in ``text``, length, source offset) that
        stand on ``line``, a source offset ``o`` at column ``o + shift``: what :meth:`add`
        gives run by run, in one piece (a JSON string with an escape every few characters)."""
        if not text:
            return
        base = self._length
        anchors = self._anchors
        follows = self._next[1] if self._next is not None and self._next[0] == line else -1
        for start, length, source in runs:
            column = source + shift
            if column != follows:
                anchors.append(TextAnchor(base + start, line, column))
            follows = column + length
        self._parts.append(text)
        self._length += len(text)
        self._next = (line, follows)

    def add_unplaced(self, text: str) -> None:
        """Append text with no position of its own (a joining space, a section label)."""
        self._parts.append(text)
        self._length += len(text)

    def add_line_break(self, joiner: str = " ") -> None:
        """Join a wrapped line: with ``joiner``, but after a line-final hyphen with the line
        break itself, so that a word or identifier hyphenated across lines ("NCT0150-" then
        "6986") can be joined again by the extractor, which keeps hyphens followed by spaces."""
        self.add_unplaced("\n" if self._parts and self._parts[-1].endswith("-") else joiner)

    def add_lines(self, pieces: Iterable[tuple[str, int, int]]) -> None:
        """Append ``pieces`` (text, line, column: each verbatim on one line), a line break
        (:meth:`add_line_break`) before each but the first: what calling :meth:`add_line_break`
        and :meth:`add` piece by piece gives, in one loop (a MEDLINE value's lines)."""
        parts, anchors, anchor = self._parts, self._anchors, TextAnchor._make
        length, follows = self._length, self._next
        for index, (text, line, column) in enumerate(pieces):
            if index:
                parts.append("\n" if parts and parts[-1].endswith("-") else " ")
                length += 1
            if text:
                if follows != (line, column):
                    anchors.append(anchor((length, line, column)))
                parts.append(text)
                length += len(text)
                follows = (line, column + len(text))
        self._length, self._next = length, follows

    def add_multiline(self, raw: str, line: int, column: int, joiner: str) -> None:
        """Append ``raw`` that starts at ``line``/``column`` and may span physical lines.

        Each physical line is stripped of surrounding whitespace, blank lines are dropped, the
        rest are joined with ``joiner`` (which has no position) and each gets its own anchor.
        """
        for index, piece in enumerate(raw.split("\n")):
            piece = piece.removesuffix("\r").rstrip()
            stripped = piece.lstrip()
            start = (column if index == 0 else 1) + len(piece) - len(stripped)
            piece = stripped
            if not piece:
                continue
            if not self.empty:
                self.add_line_break(joiner)
            self.add(piece, line + index, start)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def locate(self, offset: int) -> tuple[int, int]:
        """File (line, column) of the character at ``offset`` of :attr:`text`: what its
        field's ``locate`` gives, without building the field (a pydantic model)."""
        return locate_at(self._anchors, offset)

    def field(self, name: str) -> TextField:
        from linker.models import TextField

        # Built as they are validated: a long text may have millions of anchors.
        return TextField.model_construct(name=name, text=self.text, anchors=list(self._anchors))


_DOI = re.compile(r"10\.\d{4,9}/\S+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2[0-9]\d\d)(?!\d)")
_PMID = re.compile(r"\d{1,9}")


def clean_doi(value: str | None) -> str | None:
    """The DOI in a field (``10.x/y``, ``doi:10.x/y``, ``https://doi.org/10.x/y``), or None."""
    if not value:
        return None
    match = _DOI.search(value)
    return match.group(0).rstrip(".,;") if match else None


def clean_pmid(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value.lstrip("0") or None if _PMID.fullmatch(value) else None


def parse_year(value: str | None) -> int | None:
    """The first plausible year (1500-2999) in a date string."""
    if not value:
        return None
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


#: Field / column names (lower-case, letters and digits only) that carry trial registrations.
REGISTRATION_FIELDS = frozenset(
    {
        "trialregistration",
        "trialregistrations",
        "registration",
        "registrationnumber",
        "registrationid",
        "trialregistrationnumber",
        "trialregistrationid",
        "clinicaltrialnumber",
        "clinicaltrialid",
        "clinicaltrial",
        "clinicaltrials",
        "clinicaltrialregistration",
        "trialid",
        "trn",
        "nctid",
        "nctnumber",
        "registryid",
        "secondaryid",
        "secondaryids",
        "databank",
        "databanks",
    }
)

_REGISTRY_BY_PREFIX = (
    (re.compile(r"NCT\d", re.I), "ClinicalTrials.gov"),
    (re.compile(r"ISRCTN", re.I), "ISRCTN"),
    (re.compile(r"(EUDRACT)?\s*\d{4}-\d{6}-\d{2}", re.I), "EudraCT"),
    (re.compile(r"\d{4}-\d{6}-\d{2}-\d{2}$"), "CTIS"),
    (re.compile(r"ACTRN", re.I), "ANZCTR"),
    (re.compile(r"DRKS", re.I), "DRKS"),
    (re.compile(r"ChiCTR", re.I), "ChiCTR"),
    (re.compile(r"CTRI", re.I), "CTRI"),
    (re.compile(r"UMIN", re.I), "UMIN"),
    (re.compile(r"PACTR", re.I), "PACTR"),
    (re.compile(r"IRCT", re.I), "IRCT"),
    (re.compile(r"(NTR|NL)\d", re.I), "NTR"),
    (re.compile(r"jRCT", re.I), "jRCT"),
    (re.compile(r"KCT", re.I), "CRiS"),
)


def guess_databank(accession: str, default: str) -> str:
    for pattern, name in _REGISTRY_BY_PREFIX:
        if pattern.match(accession):
            return name
    return default


def split_accessions(value: str) -> list[tuple[str, int]]:
    """Accessions in a registration field (separated by ``;``, ``,``, ``|`` or whitespace
    runs around separators), each with its offset in ``value``."""
    return [(m.group(0), m.start()) for m in re.finditer(r"[^;,|\s]+(?: [^;,|\s]+)*", value)]


def declared_from_field(
    field_name: str, value: str, line: int, column: int
) -> list[DeclaredIdentifier]:
    """Declared identifiers in a one-line registration field whose value starts at ``column``.

    ``ClinicalTrials.gov/NCT...`` (MEDLINE SI style) is split at the first ``/``.
    """
    from linker.models import DeclaredIdentifier

    found: list[DeclaredIdentifier] = []
    for token, offset in split_accessions(value):
        databank, slash, accession = token.partition("/")
        if slash and accession and not re.fullmatch(r"\d+", databank):
            found.append(
                DeclaredIdentifier(
                    databank=databank,
                    accession=accession,
                    line=line,
                    column=column + offset + len(databank) + 1,
                )
            )
        else:
            found.append(
                DeclaredIdentifier(
                    databank=guess_databank(token, field_name),
                    accession=token,
                    line=line,
                    column=column + offset,
                )
            )
    return found


def normalise_name(name: str) -> str:
    """A field or column name reduced to lower-case letters and digits."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


@dataclass
class RecordDraft:
    """The parts of one record, collected by a reader before it becomes a Publication."""

    line: int
    end_line: int
    title: TextBuilder = field(default_factory=TextBuilder)
    abstract: TextBuilder = field(default_factory=TextBuilder)
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    fallback_key: str | None = None
    publication_types: list[str] = field(default_factory=list)
    declared_ids: list[DeclaredIdentifier] = field(default_factory=list)

    def key(self, ordinal: int, options: ReadOptions) -> str:
        """The record's key: its PMID, else its DOI, else its own id, else FILE#N."""
        doi = clean_doi(self.doi)
        key = self.pmid or (doi.lower() if doi else None) or self.fallback_key
        return key or f"{options.file_name}#{ordinal}"

    def build(self, ordinal: int, options: ReadOptions) -> Publication:
        from linker.models import Publication

        title = self.title.field("title")
        abstract = self.abstract.field("abstract")
        doi = clean_doi(self.doi)
        return Publication(
            key=self.key(ordinal, options),
            title=title.text,
            abstract=abstract.text,
            year=self.year,
            doi=doi,
            pmid=self.pmid,
            file=options.file_name,
            line=self.line,
            end_line=max(self.end_line, self.line),
            ordinal=ordinal,
            publication_types=self.publication_types,
            declared_ids=self.declared_ids,
            fields=[title, abstract],
        )


def number(drafts: Iterable[RecordDraft], options: ReadOptions) -> Iterator[Publication]:
    """Build publications from drafts, numbering them from 1 (or the part's first ordinal)."""
    for ordinal, draft in enumerate(drafts, start=options.first_ordinal):
        yield draft.build(ordinal, options)
