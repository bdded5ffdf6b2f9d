"""RIS (``TY  - JOUR`` ... ``ER  -``): a line-based parser, so every value keeps its position.

Tags used: TY (type, kept as a publication type), TI/T1 (title), AB/N2 (abstract), DO (DOI),
PY/Y1/DA (year), AN (accession number: a PMID when it is all digits), ID (ditto). Values that
continue on following untagged lines are joined with a space. A record missing its ``ER`` is
still yielded (with a warning) when the next ``TY`` or the end of the file arrives. Read line by
line: one record is held at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from linker.models import Publication
from linker.readers.guard import RecordMeter
from linker.readers.interface import (
    REGISTRATION_FIELDS,
    LineReader,
    NumberedLines,
    ReadOptions,
    RecordDraft,
    TextBuilder,
    clean_pmid,
    declared_from_field,
    number,
    parse_year,
)

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_TITLE_TAGS = ("TI", "T1")
_ABSTRACT_TAGS = ("AB", "N2")
_YEAR_TAGS = ("PY", "Y1", "DA")

_Value = tuple[str, list[tuple[str, int, int]]]


class RisReader(LineReader):
    name = "ris"

    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        yield from number(self._drafts(lines, options), options)

    def _drafts(self, lines: NumberedLines, options: ReadOptions) -> Iterator[RecordDraft]:
        record: list[_Value] = []
        start = 0
        last = 0
        size = RecordMeter(options)
        for line_number, raw in lines:
            line = raw.removesuffix("\r")
            match = _TAG_LINE.match(line.rstrip())
            if match is None:
                if line.strip() and record:
                    size.add(len(line))
                    raw = line.rstrip()
                    record[-1][1].append(
                        (raw.lstrip(), line_number, len(raw) - len(raw.lstrip()) + 1)
                    )
                    last = line_number
                elif line.strip():
                    raise options.error("expected a RIS tag such as 'TY  - '", line_number)
                continue
            tag, value = match.group(1), match.group(2) or ""
            column = match.start(2) + 1 if match.group(2) is not None else len(line) + 1
            if tag == "TY" and record:
                options.warn(f"record at line {start} has no 'ER  -' line")
                yield self._draft(record, start, last)
                record = []
            if tag == "ER":
                if record:
                    yield self._draft(record, start, line_number)
                record = []
                continue
            if not record:
                start = line_number
                size.start(line_number)
                if tag != "TY":
                    options.warn(f"record at line {line_number} does not start with 'TY  -'")
            size.add(len(line))
            stripped = value.strip()
            column += len(value) - len(value.lstrip())
            record.append((tag, [(stripped, line_number, column)] if stripped else []))
            last = line_number
        if record:
            options.warn(f"record at line {start} has no 'ER  -' line")
            yield self._draft(record, start, last)

    @staticmethod
    def _builder(pieces: list[tuple[str, int, int]]) -> TextBuilder:
        builder = TextBuilder()
        for piece, line, column in pieces:
            if not builder.empty:
                builder.add_line_break()
            builder.add(piece, line, column)
        return builder

    def _draft(self, record: list[_Value], start: int, end: int) -> RecordDraft:
        draft = RecordDraft(line=start, end_line=end)
        values = dict(reversed(record))
        text = {tag: " ".join(p for p, _, _ in pieces) for tag, pieces in values.items()}
        for tag in _TITLE_TAGS:
            if text.get(tag):
                draft.title = self._builder(values[tag])
                break
        for tag in _ABSTRACT_TAGS:
            if text.get(tag):
                draft.abstract = self._builder(values[tag])
                break
        draft.doi = text.get("DO")
        for tag in _YEAR_TAGS:
            draft.year = draft.year or parse_year(text.get(tag))
        draft.pmid = clean_pmid(text.get("AN")) or clean_pmid(text.get("ID"))
        if text.get("TY"):
            draft.publication_types.append(text["TY"])
        for tag, pieces in record:
            # RIS has no registration tag: a note ("N1") starting with a registration label
            # ("Trial registration: NCT01234567") is taken as a declaration.
            if tag != "N1" or not pieces:
                continue
            first, line, column = pieces[0]
            label, colon, rest = first.partition(":")
            if colon and re.sub(r"\W", "", label.lower()) in REGISTRATION_FIELDS:
                offset = len(label) + 1 + len(rest) - len(rest.lstrip())
                draft.declared_ids.extend(
                    declared_from_field(label.strip(), rest.strip(), line, column + offset)
                )
        return draft
