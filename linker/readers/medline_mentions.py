"""A plain MEDLINE record read straight to its identifier mentions, with no publication built.

:mod:`linker.readers.lean_medline` hands over the records with a gate hit that are plainly one
record (see :func:`plain_record`). Their title and abstract are assembled here exactly as
:meth:`~linker.readers.medline.MedlineReader.drafts` assembles them (the first ``TI`` and
``AB`` values with text, each line stripped, joined with a space or, after a line-end hyphen,
a line break; every line's piece placed where it stands) and their key as the reference's
(PMID, else DOI, else FILE#N); the mentions, plain rows
(:func:`~linker.extract.mention_rows.text_row`), are what
:func:`~linker.extract.mentions.extract_mentions` makes of the publication the reference
builds (a plain record declares nothing: it has no ``SI`` line).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from linker.extract.identifiers import find_identifiers
from linker.extract.mention_rows import MentionRow, text_row
from linker.readers.interface import ReadOptions, RecordDraft

# A tag line's start, up to its value (what :data:`~linker.readers.medline.TAG_LINE` matches
# before the value): the first line's, and any other's with the line break before it.
_TAG = r"([A-Z][A-Z0-9]{1,3}) {0,3}- ?"
_FIRST_TAG = re.compile(_TAG)
_NEXT_TAG = re.compile(rf"\n{_TAG}")
_SEARCHED = ("TI", "AB")
_KEYED = ("PMID", "AID", "LID")


class Value:
    """One value: its lines as they stand (from just after its tag's dash and space), the
    number of its tag line and the column where it starts there; its lines stripped."""

    __slots__ = ("column", "line", "lines", "pieces", "raw")

    def __init__(self, raw: str, line: int, column: int) -> None:
        self.raw = raw
        self.line = line
        self.column = column
        self.lines = raw.split("\n")
        pieces = list(map(str.strip, self.lines))
        # Without an empty first one (the tag line's).
        self.pieces = pieces if pieces[0] else pieces[1:]

    @property
    def has_text(self) -> bool:
        # A value's later lines are never blank (no record holds a blank line).
        return "\n" in self.raw or bool(self.raw.strip())

    def text(self) -> str:
        """Its pieces joined as the reference joins them: a line break after a piece that
        ends with a hyphen, a space after any other."""
        joined = "\n".join(self.pieces)
        if "-\n" not in joined:
            return joined.replace("\n", " ")
        return "-\n".join(part.replace("\n", " ") for part in joined.split("-\n"))

    def locator(self) -> Callable[[int], tuple[int, int]]:
        """Where each offset of :meth:`text` stands in the file (line, column)."""
        skipped = len(self.lines) - len(self.pieces)  # the tag line's, when empty
        offsets = [0, *accumulate(len(piece) + 1 for piece in self.pieces)]

        def locate(offset: int) -> tuple[int, int]:
            index = max(bisect_right(offsets, offset) - 1, 0)
            number = index + skipped
            line = self.lines[number]
            column = (self.column if number == 0 else 1) + len(line) - len(line.lstrip())
            return self.line + number, column + max(offset - offsets[index], 0)

        return locate


@dataclass(frozen=True)
class PlainRecord:
    """What the reference reads of a plain record for ``extract``: its first line, its title
    and abstract values (None: none with text), its PMID and DOI."""

    line: int
    title: Value | None
    abstract: Value | None
    pmid: str | None
    doi: str | None

    @property
    def has_text(self) -> bool:
        return self.title is not None or self.abstract is not None

    def mentions(self, ordinal: int, options: ReadOptions) -> list[MentionRow]:
        """The mentions of the record (the ``ordinal``-th of its file), in the reference's
        order: the title's, then the abstract's."""
        mentions: list[MentionRow] = []
        key: str | None = None
        for name, value in (("title", self.title), ("abstract", self.abstract)):
            if value is None:
                continue
            text = value.text()
            found = find_identifiers(text)
            if not found:
                continue
            if key is None:
                draft = RecordDraft(line=self.line, end_line=self.line, pmid=self.pmid)
                draft.doi = self.doi
                key = draft.key(ordinal, options)
            locate, file = value.locator(), options.file_name
            mentions.extend(text_row(key, file, name, text, each, locate) for each in found)
        return mentions


def plain_record(text: str, first_line: int) -> PlainRecord | None:
    """The record ``text`` (one stretch of lines, the first numbered ``first_line``, with no
    line that is blank once stripped: the caller finds those), or None where it is not
    plainly one record without declared identifiers (no tag on the first line, a second
    ``PMID`` line, an ``SI`` line): the reference reader must read it."""
    first = _FIRST_TAG.match(text)
    if first is None:
        return None
    tags = [(first.group(1), 0, first.end())]
    tags.extend((m.group(1), m.start() + 1, m.end()) for m in _NEXT_TAG.finditer(text))
    searched: dict[str, Value] = {}  # the first TI and AB values with text
    keyed: list[tuple[str, str]] = []  # the PMID, AID and LID values, joined
    line, counted, pmid_seen = first_line, 0, False
    for index, (tag, start, value_start) in enumerate(tags):
        if tag == "SI" or (tag == "PMID" and pmid_seen):
            return None
        if (tag not in _SEARCHED and tag not in _KEYED) or tag in searched:
            continue
        pmid_seen = pmid_seen or tag == "PMID"
        line += text.count("\n", counted, start)
        counted = start
        end = tags[index + 1][1] - 1 if index + 1 < len(tags) else len(text)
        value = Value(text[value_start:end], line, value_start - start + 1)
        if tag in _KEYED:
            keyed.append((tag, " ".join(value.pieces)))
        elif value.has_text:
            searched[tag] = value
    pmids = [value.strip() for tag, value in keyed if tag == "PMID"]
    dois = [value for tag, value in keyed if tag != "PMID" and value.endswith("[doi]")]
    return PlainRecord(
        line=first_line,
        title=searched.get("TI"),
        abstract=searched.get("AB"),
        pmid=(pmids[0] or None) if pmids else None,
        doi=dois[0].removesuffix("[doi]").strip() if dois else None,
    )
