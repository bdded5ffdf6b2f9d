"""A plain MEDLINE record read straight to its identifier mentions, with no publication built.

:mod:`linker.readers.lean_medline` hands over the records with a gate hit that are plainly one
record (see :func:`plain_record`). Their title and abstract are assembled here exactly as
:meth:`~linker.readers.medline.MedlineReader.drafts` assembles them (the first ``TI`` and
``AB`` values with text, each line stripped, joined with a space or, after a line-end hyphen,
a line break; every line's piece placed where it stands) and their key as the reference's
(PMID, else DOI, else FILE#N); the mentions are what
:func:`~linker.extract.mentions.extract_mentions` makes of the publication the reference
builds (a plain record declares nothing: no ``SI`` line).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from linker.extract.identifiers import find_identifiers
from linker.extract.mentions import text_mention
from linker.models import Mention
from linker.readers.interface import ReadOptions, RecordDraft
from linker.readers.medline import TAG_LINE

#: A value's pieces: its lines' stripped text, each with its line and column.
Pieces = list[tuple[str, int, int]]
_SEARCHED = ("TI", "AB")
_KEYED = ("PMID", "AID", "LID")


@dataclass(frozen=True)
class PlainRecord:
    """What the reference reads of a plain record for ``extract``: its first line, the pieces
    of its title and abstract (empty: none), its PMID and DOI values."""

    line: int
    title: Pieces
    abstract: Pieces
    pmid: str | None
    doi: str | None

    @property
    def has_text(self) -> bool:
        return bool(self.title or self.abstract)

    def mentions(self, ordinal: int, options: ReadOptions) -> list[Mention]:
        """The mentions of the record (the ``ordinal``-th of its file), in the reference's
        order: the title's, then the abstract's."""
        mentions: list[Mention] = []
        key: str | None = None
        for name, pieces in (("title", self.title), ("abstract", self.abstract)):
            if not pieces:
                continue
            text, locate = _joined(pieces)
            found = find_identifiers(text)
            if not found:
                continue
            if key is None:
                draft = RecordDraft(line=self.line, end_line=self.line, pmid=self.pmid)
                draft.doi = self.doi
                key = draft.key(ordinal, options)
            file = options.file_name
            mentions.extend(text_mention(key, file, name, text, each, locate) for each in found)
        return mentions


def plain_record(text: str, first_line: int) -> PlainRecord | None:
    """The record ``text`` (one stretch of lines, the first numbered ``first_line``, holding
    one record), or None where it is not plainly one record without declared identifiers (a
    blank line, no tag on the first line, a second ``PMID`` line, an ``SI`` line): the
    reference reader must read it."""
    searched: dict[str, Pieces] = {}  # the first TI and AB values with text
    keyed: list[tuple[str, Pieces]] = []  # the PMID, AID and LID values
    pieces: Pieces | None = None  # the value being read, or None: a tag not kept
    for number, raw in enumerate(text.split("\n"), start=first_line):
        line = raw[:-1] if raw.endswith("\r") else raw
        left = line.lstrip()
        if not left:
            return None
        match = TAG_LINE.match(line) if len(left) == len(line) else None
        if match is None:
            if number == first_line:
                return None
            if pieces is not None:
                pieces.append((left.rstrip(), number, 1 + len(line) - len(left)))
            continue
        tag = match.group(1)
        if tag == "SI" or (tag == "PMID" and any(t == "PMID" for t, _ in keyed)):
            return None
        if tag in _SEARCHED:
            if searched.get(tag):
                pieces = None
                continue
            pieces = searched[tag] = []
        elif tag in _KEYED:
            pieces = []
            keyed.append((tag, pieces))
        else:
            pieces = None
            continue
        value = match.group(2)
        stripped = value.strip()
        if stripped:
            pieces.append((stripped, number, match.start(2) + 1 + len(value) - len(value.lstrip())))
    pmids = [_joined_value(p).strip() for tag, p in keyed if tag == "PMID"]
    dois = [_doi(p) for tag, p in keyed if tag != "PMID"]
    return PlainRecord(
        line=first_line,
        title=searched.get("TI", []),
        abstract=searched.get("AB", []),
        pmid=(pmids[0] or None) if pmids else None,
        doi=next((doi for doi in dois if doi is not None), None),
    )


def _joined_value(pieces: Pieces) -> str:
    return " ".join(piece for piece, _, _ in pieces)


def _doi(pieces: Pieces) -> str | None:
    value = _joined_value(pieces)
    return value.removesuffix("[doi]").strip() if value.endswith("[doi]") else None


def _joined(pieces: Pieces) -> tuple[str, Callable[[int], tuple[int, int]]]:
    """The text of a value's pieces as the reference joins them, and where each of its
    offsets stands in the file (line, column)."""
    parts: list[str] = []
    offsets: list[int] = []
    places: list[tuple[int, int]] = []
    length = 0
    for piece, line, column in pieces:
        if parts:
            parts.append("\n" if parts[-1].endswith("-") else " ")
            length += 1
        offsets.append(length)
        places.append((line, column))
        parts.append(piece)
        length += len(piece)

    def locate(offset: int) -> tuple[int, int]:
        index = max(bisect_right(offsets, offset) - 1, 0)
        line, column = places[index]
        return line, column + max(offset - offsets[index], 0)

    return "".join(parts), locate
