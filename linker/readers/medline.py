"""MEDLINE / PubMed ``.nbib`` text: ``TAG - value`` lines, 6-space continuations, blank lines
between records.

Continuation lines are joined to the value with one space (a line break after a hyphen), which
has no file position; each physical line gets its own anchor, so columns are exact. Read line
by line: one record is held at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linker.readers.guard import RecordMeter
from linker.readers.interface import (
    LineReader,
    NumberedLines,
    ReadOptions,
    RecordDraft,
    TextBuilder,
    declared_from_field,
    number,
    parse_year,
)

if TYPE_CHECKING:
    from linker.models import Publication

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}- ?(.*)$")


@dataclass
class _Value:
    tag: str
    line: int
    column: int
    pieces: list[tuple[str, int, int]] = field(default_factory=list)

    def text(self) -> str:
        return " ".join(piece for piece, _, _ in self.pieces)


class MedlineReader(LineReader):
    name = "medline"

    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        yield from number(self.drafts(lines, options), options)

    def drafts(self, lines: NumberedLines, options: ReadOptions) -> Iterator[RecordDraft]:
        """The records of ``lines``, in order (also run by :mod:`linker.readers.lean_medline`
        on a stretch of a file that starts after a blank line, with its lines' own numbers)."""
        record: list[_Value] = []
        size = RecordMeter(options)
        for number_, raw in lines:
            line = raw[:-1] if raw.endswith("\r") else raw
            left = line.lstrip()
            if not left:  # a blank line ends the record
                if record:
                    yield self._draft(record)
                    record = []
                continue
            # A tag line starts with a letter; a line with leading whitespace never matches.
            match = _TAG_LINE.match(line) if len(left) == len(line) else None
            if match:
                tag, value = match.group(1), match.group(2)
                if tag == "PMID" and any(v.tag == "PMID" for v in record):
                    yield self._draft(record)
                    record = []
                if not record:
                    size.start(number_)
                size.add(len(line))
                item = _Value(tag=tag, line=number_, column=match.start(2) + 1)
                self._add_piece(item, value, number_, match.start(2) + 1)
                record.append(item)
            elif record:
                size.add(len(line))
                record[-1].pieces.append((left.rstrip(), number_, 1 + len(line) - len(left)))
            else:
                raise options.error("expected a MEDLINE tag such as 'PMID- ' or 'TI  - '", number_)
        if record:
            yield self._draft(record)

    @staticmethod
    def _add_piece(item: _Value, raw: str, line: int, column: int) -> None:
        stripped = raw.strip()
        if stripped:
            column += len(raw) - len(raw.lstrip())
            item.pieces.append((stripped, line, column))

    @staticmethod
    def _builder(item: _Value) -> TextBuilder:
        builder = TextBuilder()
        builder.add_lines(item.pieces)
        return builder

    def _draft(self, record: list[_Value]) -> RecordDraft:
        # Lines only grow: the record's last is its last value's last piece (or tag line).
        final = record[-1]
        last = final.pieces[-1][1] if final.pieces else final.line
        draft = RecordDraft(line=record[0].line, end_line=last)
        for item in record:
            tag = item.tag
            if tag == "TI":
                if draft.title.empty:
                    draft.title = self._builder(item)
                continue
            if tag == "AB":
                if draft.abstract.empty:
                    draft.abstract = self._builder(item)
                continue
            if tag == "SI":
                if item.pieces:
                    piece, line, column = item.pieces[0]
                    draft.declared_ids.extend(declared_from_field("SI", piece, line, column))
                continue
            value = item.text()
            if tag == "PMID" and draft.pmid is None:
                draft.pmid = value.strip() or None
            elif tag == "PT" and value:
                draft.publication_types.append(value)
            elif tag == "DP" and draft.year is None:
                draft.year = parse_year(value)
            elif tag in ("AID", "LID") and value.endswith("[doi]") and draft.doi is None:
                draft.doi = value.removesuffix("[doi]").strip()
        return draft
