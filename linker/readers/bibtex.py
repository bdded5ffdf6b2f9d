"""BibTeX: a small scanner that keeps the position of every field value.

``@comment``, ``@preamble`` and ``@string`` blocks are skipped (string macros are not expanded:
a bare macro name is kept as text). Values are ``{...}``, ``"..."`` or bare words, optionally
joined with ``#``. The outer delimiters are stripped, and a second brace pair that wraps the whole
value (``{{Title}}``) too; inner braces and LaTeX commands are kept verbatim. A value spanning
lines is joined with single spaces, each line with its own anchor. A title, abstract or
registration field that an entry repeats loses nothing: every value is read (texts joined by a
space), with a warning; of the other fields read, the first value. Text between entries is a
comment to BibTeX, but where it reads like a field (``abstract = {``), a stray ``}`` closed the
entry early: a warning names it.

The file streams: its lines are gathered into pieces that each start at a line beginning with
``@`` outside any brace (where entries start, in every exporter's output), and each piece is
scanned on its own, with the positions of the whole file. A piece the scanner cannot finish
(an entry that ran on past such a line) is joined to the next and scanned again, so the result
is that of scanning the whole text. A piece over ``--max-record-size`` is an error naming its
first line, raised as soon as that much of it is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from linker.errors import InputError
from linker.models import Publication
from linker.readers.guard import RecordMeter, record_too_large
from linker.readers.interface import (
    REGISTRATION_FIELDS,
    LineIndex,
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

_ENTRY_START = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_FIELD_NAME = re.compile(r"\s*([A-Za-z_][\w:.+-]*)\s*=\s*")
# A field where an entry has just closed: only commas and spaces between them.
_STRAY_FIELD = re.compile(r"[\s,]*([A-Za-z_][\w:.+-]*)\s*=\s*[{\"]")
_KEY = re.compile(r"\s*([^,\s{}()]*)\s*,")
_BARE = re.compile(r"[\w:.+/-]+")
_SKIPPED = frozenset({"comment", "preamble", "string"})


class _RanOut(Exception):
    """The scanner reached the end of its text inside an entry (``error`` says where)."""

    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Value:
    text: str
    start: int  # offset of text[0] in the file text


class _Scanner:
    def __init__(self, text: str, options: ReadOptions, first_line: int = 1) -> None:
        self.text = text
        self.index = LineIndex(text, first_line)
        self.options = options

    def fail(self, message: str, offset: int) -> Exception:
        return self.options.error(message, self.index.position(offset)[0])

    def ran_out(self, message: str, offset: int) -> Exception:
        """The text ended inside an entry: an error, unless more text follows."""
        return _RanOut(self.options.error(message, self.index.position(offset)[0]))

    def balanced(self, start: int, close: str) -> int:
        """Offset of the delimiter that closes the group opened just before ``start``."""
        depth = 0
        position = start
        text = self.text
        while position < len(text):
            char = text[position]
            if char == "{":
                depth += 1
            elif char == "}" and depth:
                depth -= 1
            elif char == close and depth == 0:
                return position
            elif char == "}":
                raise self.fail("unbalanced braces in BibTeX entry", start)
            position += 1
        raise self.ran_out("unbalanced braces in BibTeX entry", start)

    def value(self, position: int) -> tuple[list[_Value], int]:
        """Parts of a field value starting at ``position``; returns them and the end offset."""
        parts: list[_Value] = []
        text = self.text
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position >= len(text):
                raise self.ran_out("BibTeX entry ends inside a field value", position - 1)
            char = text[position]
            if char in '{"':
                end = self.balanced(position + 1, "}" if char == "{" else '"')
                parts.append(_Value(text[position + 1 : end], position + 1))
                position = end + 1
            else:
                match = _BARE.match(text, position)
                if match is None:
                    raise self.fail(f"unexpected {char!r} in BibTeX field value", position)
                parts.append(_Value(match.group(0), position))
                position = match.end()
            while position < len(text) and text[position].isspace():
                position += 1
            if position < len(text) and text[position] == "#":
                position += 1
                continue
            return parts, position


def _unwrap(value: _Value) -> _Value:
    """Strip a brace pair that wraps the whole value: ``{Title}`` -> ``Title``."""
    stripped = value.text.strip()
    lead = len(value.text) - len(value.text.lstrip())
    if len(stripped) >= 2 and stripped[0] == "{" and stripped[-1] == "}":
        depth = 0
        for index, char in enumerate(stripped):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0 and index < len(stripped) - 1:
                return value
        return _Value(stripped[1:-1], value.start + lead + 1)
    return value


class BibtexReader(LineReader):
    name = "bibtex"

    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        yield from number(self._all_drafts(lines, options), options)

    def _all_drafts(self, lines: NumberedLines, options: ReadOptions) -> Iterator[RecordDraft]:
        held: tuple[int, str] | None = None  # a piece that ran on: (first line, text)
        for first_line, text, last in _pieces(lines, options):
            if held is not None:
                first_line, text = held[0], held[1] + text
                held = None
            try:
                drafts = list(self._drafts(_Scanner(text, options, first_line)))
            except _RanOut as ran_out:
                if last:
                    raise ran_out.error from None
                if len(text) > options.max_record_size:
                    raise record_too_large(options, first_line) from None
                held = (first_line, text)
                continue
            yield from drafts

    def _drafts(self, scanner: _Scanner) -> Iterator[RecordDraft]:
        text = scanner.text
        position = 0
        previous_end: int | None = None  # where the last entry closed
        while True:
            match = _ENTRY_START.search(text, position)
            if previous_end is not None:
                self._warn_stray(scanner, previous_end, match.start() if match else len(text))
                previous_end = None
            if match is None:
                return
            kind = match.group(1).lower()
            close = "}" if match.group(2) == "{" else ")"
            if kind in _SKIPPED:
                position = scanner.balanced(match.end(), close) + 1
                continue
            fields, end = self._entry(scanner, match.end(), close)
            self._warn_repeated(scanner, fields)
            yield self._draft(scanner, kind, fields, match.start(), end)
            previous_end, position = end, end + 1

    @staticmethod
    def _entry(scanner: _Scanner, start: int, close: str) -> tuple[dict[str, list[_Value]], int]:
        """The entry's fields, each with every value it was given (a name may repeat), and
        where the entry closes."""
        text = scanner.text
        key = _KEY.match(text, start)
        position = key.end() if key else start
        fields: dict[str, list[_Value]] = {}
        while True:
            while position < len(text) and (text[position].isspace() or text[position] == ","):
                position += 1
            if position >= len(text):
                raise scanner.ran_out("BibTeX entry is not closed", start)
            if text[position] == close:
                return fields, position
            name = _FIELD_NAME.match(text, position)
            if name is None:
                raise scanner.fail("expected 'name = value' in BibTeX entry", position)
            parts, position = scanner.value(name.end())
            value = _unwrap(parts[0]) if len(parts) == 1 else parts[0]
            if len(parts) > 1:
                value = _Value("".join(part.text for part in parts), parts[0].start)
            fields.setdefault(name.group(1).lower(), []).append(value)

    @staticmethod
    def _warn_repeated(scanner: _Scanner, fields: dict[str, list[_Value]]) -> None:
        """One warning for each field we read that the entry gives more than once."""
        for name, values in fields.items():
            if len(values) < 2 or not _read(name):
                continue
            line = scanner.index.position(values[1].start)[0]
            kept = "every value is read" if _read(name) == "all" else "the first value is read"
            scanner.options.warn(f"line {line}: field {name!r} repeated in one entry; {kept}")

    @staticmethod
    def _warn_stray(scanner: _Scanner, end: int, following: int) -> None:
        """A field right after an entry's end (``title={...}},`` then ``abstract = {``): a
        stray closing brace ended the entry early, and the fields after it are not read."""
        field = _STRAY_FIELD.match(scanner.text, end + 1, following)
        if field is not None:
            closed = scanner.index.position(end)[0]
            scanner.options.warn(
                f"line {scanner.index.position(field.start(1))[0]}: field "
                f"{field.group(1)!r} after the entry closed on line {closed} is not read "
                "(a stray '}' may have closed the entry early)"
            )

    @staticmethod
    def _text(scanner: _Scanner, values: list[_Value]) -> TextBuilder:
        """The text of every value given (a repeated field's joined by a space)."""
        builder = TextBuilder()
        for value in values:  # add_multiline puts the space between two values' text
            line, column = scanner.index.position(value.start)
            builder.add_multiline(value.text, line, column, " ")
        return builder

    def _draft(
        self, scanner: _Scanner, kind: str, fields: dict[str, list[_Value]], start: int, end: int
    ) -> RecordDraft:
        draft = RecordDraft(
            line=scanner.index.position(start)[0], end_line=scanner.index.position(end)[0]
        )
        draft.title = self._text(scanner, fields.get("title", []))
        draft.abstract = self._text(scanner, fields.get("abstract", []))
        plain = {name: values[0].text.strip() for name, values in fields.items()}
        draft.doi = plain.get("doi")
        draft.year = parse_year(plain.get("year")) or parse_year(plain.get("date"))
        draft.pmid = clean_pmid(plain.get("pmid"))
        if draft.pmid is None and plain.get("eprinttype", "").lower() == "pubmed":
            draft.pmid = clean_pmid(plain.get("eprint"))
        draft.publication_types.append(kind)
        for name, values in fields.items():
            if normalise_name(name) not in REGISTRATION_FIELDS:
                continue
            for value in values:
                line, column = scanner.index.position(value.start)
                first_line = value.text.split("\n", 1)[0]
                draft.declared_ids.extend(declared_from_field(name, first_line, line, column))
        return draft


def _read(name: str) -> str | None:
    """How a field is read: ``all`` its values (texts and registrations), its ``first``
    value (the other fields we read), or None (a field we do not read)."""
    if name in ("title", "abstract") or normalise_name(name) in REGISTRATION_FIELDS:
        return "all"
    if name in ("doi", "year", "date", "pmid", "eprint", "eprinttype"):
        return "first"
    return None


def _pieces(lines: NumberedLines, options: ReadOptions) -> Iterator[tuple[int, str, bool]]:
    """(first line, text, is it the last) of each piece of the file (see the module doc)."""
    size = RecordMeter(options)
    held: list[str] = []
    first = 1
    depth = 0
    for line_number, line in lines:
        if held and depth == 0 and line.lstrip().startswith("@"):
            yield first, "\n".join(held) + "\n", False
            held = []
        if not held:
            first = line_number
            size.start(line_number)
        size.add(len(line))
        held.append(line)
        depth = max(0, depth + line.count("{") - line.count("}"))
    yield first, "\n".join(held), True
