"""CSV and TSV with a header row.

Columns are matched by name, case-insensitively and ignoring punctuation, with common variants
(``Article Title``, ``AB``, ``PubMed ID`` ...; with no abstract-like column, a ``text`` or
``body`` column is read as the abstract); ``columns`` maps our field names to the file's
column names and wins over the guesses. A small RFC 4180 tokenizer (rather than :mod:`csv`)
keeps the line and column of each cell, so anchors are exact even in quoted multi-line cells
with doubled quotes. The delimiter is sniffed from the header line. The file is read line by
line: only the lines of the current row are held.

A quoted cell may hold line breaks, so a quote still open at the end of the file is the only
unclosed quote there can be: an input error naming the line where that quote opened, never the
rest of the file read as one cell.

A column name we read that the header repeats (``Title,Title``, or ``Abstract`` and
``abstract``; names compared as above) loses nothing: the title and abstract are the text of
every such cell in the row, joined by a space (each keeping its own positions), and the
declared identifiers those of every registration cell; of a repeated DOI, PMID, id, year or
publication-type column the first cell that is not empty is read. Either way one warning names
the file, the header's line, the column and its field numbers, as the JSON readers warn about
a repeated key. Columns we do not read may repeat freely.

Two different names of one field (``Title`` and ``Article Title``, ``Abstract`` and
``Summary``): the title or abstract is read from the first in :data:`COLUMN_NAMES`' order and
a warning names the column left unread, whose identifiers would otherwise be lost unseen
(``--column`` chooses); every registration column is read, whatever its name.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linker.readers.guard import record_too_large
from linker.readers.interface import (
    REGISTRATION_FIELDS,
    LineReader,
    NumberedLines,
    ReadOptions,
    RecordDraft,
    TextBuilder,
    clean_pmid,
    declared_from_field,
    normalise_name,
    number,
    parse_year,
)

if TYPE_CHECKING:
    from linker.models import Publication

#: Our field name -> accepted column names (normalised: lower-case letters and digits).
COLUMN_NAMES: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "articletitle", "ti", "documenttitle", "papertitle", "primarytitle"),
    # ``text`` and ``body`` only as a last resort: a column of that name holds the abstract in
    # corpus exports (``{"pmid": ..., "text": ...}``) but is not taken when any other matches.
    "abstract": ("abstract", "ab", "abstracttext", "abstractnote", "summary", "text", "body"),
    "doi": ("doi", "di"),
    "pmid": ("pmid", "pubmedid", "pm", "pubmed"),
    "id": ("id", "key", "recordid", "uid"),
    "year": ("year", "py", "publicationyear", "pubyear", "date", "publicationdate"),
    "publication_types": ("publicationtype", "publicationtypes", "pt", "documenttype"),
    "registration": tuple(sorted(REGISTRATION_FIELDS)),
}
#: The text fields, read from one column name each: a rival column of one is worth a warning
#: (every registration column is read).
TEXT_FIELDS = ("title", "abstract")


@dataclass
class Cell:
    """A cell's decoded text as runs that each stand verbatim on one line of the file:
    (start in ``text``, length, line, column)."""

    text: str
    runs: list[tuple[int, int, int, int]]
    line: int
    column: int

    def builder(self) -> TextBuilder:
        """The cell's text without surrounding whitespace or ``\\r``, verbatim otherwise."""
        builder = TextBuilder()
        self.add_to(builder)
        return builder

    def add_to(self, builder: TextBuilder) -> None:
        """Append what :meth:`builder` holds to ``builder``, with the cell's positions."""
        first = len(self.text) - len(self.text.lstrip())
        last = len(self.text.rstrip())
        for start, length, line, column in self.runs:
            low, high = max(start, first), min(start + length, last)
            if low < high:
                builder.add(self.text[low:high].replace("\r", ""), line, column + low - start)


class _CellBuilder:
    def __init__(self, line: int, column: int) -> None:
        self.parts: list[str] = []
        self.runs: list[tuple[int, int, int, int]] = []
        self.length = 0
        self.line = line
        self.column = column

    def add(self, chunk: str, line: int, column: int) -> None:
        """Add source text starting at line/column; it may contain newlines."""
        pieces = chunk.split("\n")
        for index, piece in enumerate(pieces):
            if index < len(pieces) - 1:
                piece += "\n"
            if piece:
                self.runs.append((self.length, len(piece), line, column))
                self.parts.append(piece)
                self.length += len(piece)
            line, column = line + 1, 1

    def cell(self) -> Cell:
        return Cell("".join(self.parts), self.runs, self.line, self.column)


def _pieces(lines: NumberedLines) -> Iterator[str]:
    """The text again, one physical line at a time, each with its ``\\n`` (the last has none)."""
    previous: str | None = None
    for _, line in lines:
        if previous is not None:
            yield previous + "\n"
        previous = line
    if previous is not None:
        yield previous


class RowTooLarge(Exception):
    """A row (a quoted cell spanning lines) past the size limit; ``line`` is its first."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class UnterminatedQuote(Exception):
    """A quoted cell still open at the end of the file; ``line`` is where its quote opened."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def tokenize(
    pieces: Iterable[str], delimiter: str, max_row: int | None = None
) -> Iterator[tuple[int, int, list[Cell]]]:
    """Rows as (first line, last line, cells); quoted cells may span lines.

    ``pieces`` are the text in whole lines; only the unread part of the current row is held,
    and a row longer than ``max_row`` characters raises :class:`RowTooLarge` once that much of
    it is read. A quoted cell still open at the end of the file raises
    :class:`UnterminatedQuote` with the line of its opening quote.
    """
    stop = re.compile(f"[{re.escape(delimiter)}\n]")
    source = iter(pieces)
    text, index, length = "", 0, 0
    line, column = 1, 1
    row_line, row_size = 1, 0

    def advance(chunk: str) -> None:
        nonlocal line, column
        newlines = chunk.count("\n")
        if newlines:
            line += newlines
            column = len(chunk) - chunk.rindex("\n")
        else:
            column += len(chunk)

    def read_on(until_quote: bool) -> bool:
        """Append the next line (or, with ``until_quote``, the lines up to one holding a quote);
        False at the end of the file."""
        nonlocal text, length, index, row_size
        added: list[str] = []
        for piece in source:
            added.append(piece)
            row_size += len(piece)
            if max_row is not None and row_size > max_row:
                raise RowTooLarge(row_line)
            if not until_quote or '"' in piece:
                break
        # What is before ``index`` is in the cells already: dropped, so that a cell spanning
        # many lines is not copied again for each line.
        text = text[index:] + "".join(added)
        index, length = 0, len(text)
        return bool(added)

    while True:
        text = text[index:]  # drop the rows already yielded
        index, length = 0, len(text)
        row_line, row_size = line, length
        while index >= length:
            if not read_on(until_quote=False):
                return
        cells: list[Cell] = []
        while True:
            if index < length and text[index] == '"':
                index += 1
                column += 1
                cell = _CellBuilder(line, column)
                while True:
                    quote = text.find('"', index)
                    while quote < 0 and read_on(until_quote=True):
                        quote = text.find('"', index)
                    if quote < 0:  # the end of the file inside the quoted cell
                        raise UnterminatedQuote(cell.line)
                    chunk = text[index:quote]
                    cell.add(chunk, line, column)
                    advance(chunk)
                    index += len(chunk)
                    if text.startswith('""', quote):
                        cell.add('"', line, column)
                        index, column = quote + 2, column + 2
                        continue
                    index, column = quote + 1, column + 1
                    break
            else:
                cell = _CellBuilder(line, column)
            match = stop.search(text, index)
            end = match.start() if match else length
            cell.add(text[index:end], line, column)
            column += end - index
            index = end
            cells.append(cell.cell())
            if index < length and text[index] == delimiter:
                index += 1
                column += 1
                continue
            end_line = line
            index += 1  # the newline
            line, column = line + 1, 1
            break
        yield row_line, end_line, cells


def _sized(
    rows: Iterator[tuple[int, int, list[Cell]]], options: ReadOptions
) -> Iterator[tuple[int, int, list[Cell]]]:
    try:
        yield from rows
    except RowTooLarge as error:
        raise record_too_large(options, error.line) from None
    except UnterminatedQuote as error:
        raise options.error(
            "unterminated quoted field (the quote opened here is never closed)", error.line
        ) from None


def _strip_cr(cell: Cell) -> Cell:
    if not cell.text.endswith("\r"):
        return cell
    runs = [run for run in cell.runs if run[0] < len(cell.text) - 1]
    if runs and runs[-1][0] + runs[-1][1] == len(cell.text):
        start, run_length, line, column = runs[-1]
        runs[-1] = (start, run_length - 1, line, column)
    return Cell(cell.text[:-1], runs, cell.line, cell.column)


def sniff_delimiter(header: str, default: str) -> str:
    counts = {delimiter: header.count(delimiter) for delimiter in (default, ",", "\t", ";", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else default


class TabularReader(LineReader):
    def __init__(self, name: str, default_delimiter: str) -> None:
        self.name = name
        self.default_delimiter = default_delimiter

    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        first_line = next(lines, (1, ""))
        delimiter = sniff_delimiter(first_line[1], self.default_delimiter)
        pieces = _pieces(itertools.chain([first_line], lines))
        rows = _sized(tokenize(pieces, delimiter, options.max_record_size), options)
        first = next(rows, None)
        if first is None:
            raise options.error("empty file", 1)
        header = [normalise_name(_strip_cr(cell).text) for cell in first[2]]
        mapping = self._map_columns(header, options)
        header_cells = [_strip_cr(cell) for cell in first[2]]
        self._warn_repeated(header_cells, mapping, options)
        self._warn_rivals(header_cells, header, mapping, options)
        ragged: list[int] = []  # lines of rows whose field count differs from the header's

        def checked_rows() -> Iterator[tuple[int, int, list[Cell]]]:
            for row_line, end_line, cells in rows:
                if any(cell.text.strip() for cell in cells):
                    if len(cells) != len(header):
                        ragged.append(row_line)
                    yield row_line, end_line, cells

        drafts = (
            self._draft(row_line, end_line, [_strip_cr(cell) for cell in cells], mapping)
            for row_line, end_line, cells in checked_rows()
        )
        yield from number(drafts, options)
        if ragged:
            options.warn(
                f"{len(ragged)} row(s) have a different number of fields than the header "
                f"({len(header)}), first at line {ragged[0]}: check the delimiter and quoting"
            )

    @staticmethod
    def _map_columns(header: list[str], options: ReadOptions) -> dict[str, tuple[int, ...]]:
        """Our field -> the positions of its column: several when the name is repeated."""

        def positions(name: str) -> tuple[int, ...]:
            return tuple(index for index, found in enumerate(header) if found == name)

        mapping: dict[str, tuple[int, ...]] = {}
        for ours, names in COLUMN_NAMES.items():
            if ours == "registration":  # declared identifiers: every such column is read
                found = tuple(index for index, name in enumerate(header) if name in names)
                if found:
                    mapping[ours] = found
                continue
            for name in names:
                if name in header:
                    mapping[ours] = positions(name)
                    break
        for ours, theirs in options.columns.items():
            if ours not in COLUMN_NAMES:
                known = ", ".join(COLUMN_NAMES)
                raise options.error(f"unknown field {ours!r} in column mapping (known: {known})")
            wanted = normalise_name(theirs)
            if wanted not in header:
                raise options.error(f"no column named {theirs!r}", 1)
            mapping[ours] = positions(wanted)
        if "title" not in mapping and "abstract" not in mapping:
            raise options.error(
                "no title or abstract column (use --column title=NAME to name one)", 1
            )
        return mapping

    @staticmethod
    def _warn_repeated(
        header: list[Cell], mapping: Mapping[str, tuple[int, ...]], options: ReadOptions
    ) -> None:
        """One warning for each column we read whose name the header repeats."""
        uses: dict[tuple[int, ...], list[str]] = {}
        for ours, indices in mapping.items():
            names = [normalise_name(header[index].text) for index in indices]
            for name in dict.fromkeys(names):
                repeated = tuple(i for i, n in zip(indices, names, strict=True) if n == name)
                if len(repeated) > 1:
                    uses.setdefault(repeated, []).append(ours)
        for indices, fields in uses.items():
            first, repeat = header[indices[0]], header[indices[1]]
            numbers = [str(index + 1) for index in indices]
            listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
            if {"title", "abstract"} & set(fields):
                kept = "all of them are read, their text joined by a space"
            elif "registration" in fields:
                kept = "all of them are read"
            else:
                kept = "the first cell that is not empty is read"
            options.warn(
                f"line {repeat.line}: column {first.text.strip()!r} appears more than once "
                f"in the header (fields {listed}); {kept}"
            )

    @staticmethod
    def _warn_rivals(
        cells: list[Cell],
        header: list[str],
        mapping: Mapping[str, tuple[int, ...]],
        options: ReadOptions,
    ) -> None:
        """One warning for each column left unread that another name of a text field we read
        would have matched (``Title`` and ``Article Title``): its text, and any identifier in
        it, is not read, and the user should know which column was."""
        taken = {index for indices in mapping.values() for index in indices}
        for ours in TEXT_FIELDS:
            if ours in options.columns or ours not in mapping:
                continue
            chosen = cells[mapping[ours][0]].text.strip()
            rivals = [
                cells[index].text.strip()
                for index, name in enumerate(header)
                if name in COLUMN_NAMES[ours] and index not in taken
            ]
            for rival in rivals:
                options.warn(
                    f"line {cells[0].line}: columns {chosen!r} and {rival!r} both name the "
                    f"{ours}; {chosen!r} is read, {rival!r} is not "
                    f"(--column {ours}=NAME chooses)"
                )

    @staticmethod
    def _draft(
        row_line: int, end_line: int, cells: list[Cell], mapping: Mapping[str, tuple[int, ...]]
    ) -> RecordDraft:
        def found(field: str) -> list[Cell]:
            return [cells[index] for index in mapping.get(field, ()) if index < len(cells)]

        def value(field: str) -> str | None:
            texts = (cell.text.strip() for cell in found(field))
            return next((text for text in texts if text), None)

        draft = RecordDraft(line=row_line, end_line=end_line)
        for field in ("title", "abstract"):
            builder = TextBuilder()
            for cell in found(field):
                if not builder.empty and cell.text.strip():
                    builder.add_unplaced(" ")
                cell.add_to(builder)
            setattr(draft, field, builder)
        draft.doi = value("doi")
        draft.pmid = clean_pmid(value("pmid"))
        draft.year = parse_year(value("year"))
        draft.fallback_key = value("id")
        types = value("publication_types")
        if types:
            draft.publication_types = [t.strip() for t in types.split(";") if t.strip()]
        for registration in found("registration"):
            if registration.text.strip():
                first_line = registration.text.split("\n", 1)[0]
                draft.declared_ids.extend(
                    declared_from_field(
                        "registration", first_line, registration.line, registration.column
                    )
                )
        return draft
