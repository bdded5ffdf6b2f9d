"""JSON Lines (one object per line) and JSON documents (an array of objects, an object holding
such an array under ``records``, ``publications`` ..., an object whose every value is an object,
keyed by id, or a single object).

In an object keyed by id (``{"21645374": {...}, ...}``) each value is a record, and its key is
the record's key when it has no PMID, DOI or id of its own.

Keys are matched like CSV column names (case-insensitive, common variants; with no abstract-like
key, ``text`` or ``body`` is read as the abstract, see
:data:`linker.readers.tabular.COLUMN_NAMES`). An unpaired surrogate escape (``"\\ud800"``),
which no encoder could write out again, becomes U+FFFD, with one warning per file. The position of
every string value is kept: a small scanner walks each record and, for title and abstract,
maps each decoded character back to its column. JSON escapes (``\\n``, ``\\u00e9``) occupy
several source columns for one character, so an anchor is placed after each escape: columns
are exact for every character that is not itself an escape, and an escaped character points
at its backslash.

JSON Lines are read line by line (one record in memory at a time); a JSON document is read
whole, as it is one value.
"""

from __future__ import annotations

import itertools
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import itemgetter, or_
from typing import TYPE_CHECKING, cast

from linker.extract.identifiers import find_identifiers
from linker.readers.fastjson import loads
from linker.readers.guard import replace_surrogates
from linker.readers.interface import (
    LineIndex,
    LineReader,
    NumberedLines,
    Reader,
    ReadOptions,
    RecordDraft,
    TextBuilder,
    clean_pmid,
    declared_from_field,
    normalise_name,
    number,
    parse_year,
)
from linker.readers.tabular import COLUMN_NAMES

if TYPE_CHECKING:
    from linker.models import Publication

_scanstring = cast(Callable[[str, int], tuple[str, int]], json.decoder.scanstring)  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_LIST_KEYS = ("records", "publications", "articles", "items", "data", "results", "references")


class _Malformed(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass
class _String:
    """A decoded JSON string as runs: (start in ``text``, length, source offset of the run)."""

    text: str
    runs: list[tuple[int, int, int]]


@dataclass
class _Record:
    start: int
    end: int
    strings: dict[str, list[_String]] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    #: Every member value in order (``values`` keeps the first of each normalised name).
    members: list[object] = field(default_factory=list)
    #: The key this object stands under in its parent object, if any.
    name: str | None = None
    #: Keys repeated in this object, with the offset of each repetition.
    duplicates: list[tuple[str, int]] = field(default_factory=list)


def _scrub(record: _Record) -> int:
    """Replace unpaired surrogates in every string of ``record``; how many there were."""
    for strings in record.strings.values():
        for string in strings:
            string.text = replace_surrogates(string.text)[0]  # one for one: runs stay valid
    count = 0
    if record.name is not None:
        record.name, count = replace_surrogates(record.name)
    for name, value in record.values.items():
        record.values[name], found = _scrub_value(value)
        count += found
    return count


def _scrub_value(value: object) -> tuple[object, int]:
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, _Record):
        return value, _scrub(value)
    if isinstance(value, list):
        items = [_scrub_value(item) for item in value]
        return [item for item, _ in items], sum(found for _, found in items)
    if isinstance(value, dict):
        pairs = [(_scrub_value(k), _scrub_value(v)) for k, v in value.items()]
        return (
            {k: v for (k, _), (v, _) in pairs},
            sum(kf + vf for (_, kf), (_, vf) in pairs),
        )
    return value, 0


def warn_surrogates(count: int, options: ReadOptions) -> None:
    if count:
        plural = "" if count == 1 else "s"
        options.warn(f"replaced {count} unpaired surrogate escape{plural}")


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


_ESCAPE = re.compile(r"\\(?:u[0-9a-fA-F]{4}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?|.)")


def _string(text: str, position: int) -> tuple[_String, int]:
    """The string whose opening quote is at ``position``."""
    try:
        value, end = _scanstring(text, position + 1)
    except json.JSONDecodeError as error:  # "Invalid control character at": where, we say
        reason = error.msg.removesuffix(" at").lower()
        raise _Malformed(f"bad JSON string: {reason}", error.pos) from None
    except ValueError as error:
        raise _Malformed(f"bad JSON string: {error.args[0].split(':')[0]}", position) from None
    runs: list[tuple[int, int, int]] = []
    decoded = 0
    source = position + 1
    for escape in _ESCAPE.finditer(text, position + 1, end - 1):
        verbatim = escape.start() - source
        if verbatim:
            runs.append((decoded, verbatim, source))
            decoded += verbatim
        width = 1  # every escape is one character, a surrogate pair included
        runs.append((decoded, width, escape.start()))
        decoded += width
        source = escape.end()
    if end - 1 > source:
        runs.append((decoded, end - 1 - source, source))
        decoded += end - 1 - source
    if decoded != len(value):  # cannot happen for valid JSON; keep positions coarse if it does
        runs = [(0, len(value), position + 1)]
    return _String(value, runs), end


def _value(text: str, position: int, depth: int = 0) -> tuple[object, list[_String], int]:
    """Any value; strings (and strings directly inside arrays) keep their positions, and so do
    objects inside a top-level array or object (as :class:`_Record`)."""
    if position >= len(text):
        raise _Malformed("JSON ends too early", len(text) - 1)
    if text[position] == '"':
        string, end = _string(text, position)
        return string.text, [string], end
    if text[position] == "{" and depth in (0, 1):
        return _object(text, position, depth=2)
    if text[position] == "[" and depth in (0, 2):
        items: list[object] = []
        strings: list[_String] = []
        position = _skip(text, position + 1)
        if position < len(text) and text[position] == "]":
            return items, strings, position + 1
        while True:
            item, found, position = _value(text, _skip(text, position), depth + 1)
            items.append(item)
            if isinstance(item, str):
                strings.extend(found)
            position = _skip(text, position)
            if position < len(text) and text[position] == ",":
                position += 1
                continue
            if position < len(text) and text[position] == "]":
                return items, strings, position + 1
            raise _Malformed("expected ',' or ']' in JSON array", position)
    try:
        plain, end = _DECODER.raw_decode(text, position)
    except ValueError as error:
        raise _Malformed(f"invalid JSON: {error.args[0].split(':')[0]}", position) from None
    except RecursionError:
        raise _Malformed("JSON nested too deeply", position) from None
    return plain, [], end


def _object(text: str, position: int, depth: int = 0) -> tuple[_Record, list[_String], int]:
    """The object whose ``{`` is at ``position``."""
    record = _Record(start=position, end=position)
    position = _skip(text, position + 1)
    if position < len(text) and text[position] == "}":
        record.end = position
        return record, [], position + 1
    while True:
        if position >= len(text) or text[position] != '"':
            raise _Malformed("expected a quoted key in JSON object", position)
        key_offset = position
        key, position = _string(text, position)
        position = _skip(text, position)
        if position >= len(text) or text[position] != ":":
            raise _Malformed("expected ':' in JSON object", position)
        value, strings, position = _value(text, _skip(text, position + 1), depth)
        name = normalise_name(key.text)
        if isinstance(value, _Record):
            value.name = key.text
        record.members.append(value)
        if name in record.values:
            record.duplicates.append((key.text, key_offset))
            _merge_duplicate(record, name, value, strings)
        else:
            record.values[name] = value
            record.strings[name] = strings
        position = _skip(text, position)
        if position < len(text) and text[position] == ",":
            position = _skip(text, position + 1)
            continue
        if position < len(text) and text[position] == "}":
            record.end = position
            return record, [], position + 1
        raise _Malformed("expected ',' or '}' in JSON object", position)


def _holds_text(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, list) and any(isinstance(v, str) and v.strip() for v in value)


def _merge_duplicate(record: _Record, name: str, value: object, strings: list[_String]) -> None:
    """A key seen twice in one object (RFC 8259 leaves the meaning open; decoders keep the
    last, silently): keep the value that holds text, or the text of both when both do."""
    previous = record.values[name]
    if not _holds_text(value) or value == previous:
        return
    if _holds_text(previous):
        record.strings[name] = record.strings[name] + strings
    else:
        record.values[name] = value
        record.strings[name] = strings


def _warn_duplicates(record: _Record, index: LineIndex, options: ReadOptions) -> None:
    for key, offset in record.duplicates:
        options.warn(
            f"line {index.position(offset)[0]}: key {key!r} appears more than once in one "
            "JSON object; kept the values that hold text"
        )


def _first_record(fmt: str, head: bytes) -> tuple[dict[str, object], int] | None:
    """The first record of a JSON Lines file or JSON array and its line, when it is whole in
    ``head`` (the file's first bytes). An object at the top of a JSON document (one record, or
    records by id) is not looked into."""
    if fmt not in ("json", "jsonl"):
        return None
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    opening = len(text) - len(text.lstrip())
    if fmt == "json" and not text.startswith("[", opening):
        return None
    start = text.find("{", opening)
    try:
        first, _ = json.JSONDecoder().raw_decode(text, start) if start >= 0 else (None, 0)
    except ValueError:  # not whole in the head: not looked into
        return None
    if not isinstance(first, dict):
        return None
    return first, text.count("\n", 0, start) + 1


def first_record_warnings(fmt: str, head: bytes, columns: Mapping[str, str]) -> list[str]:
    """Warnings about the keys of the first record of a JSON Lines file or JSON array (see
    :func:`_first_record`), where a CSV header would have told at once:

    - each ``--column`` key it does not have (a misspelt key leaves its field empty in every
      record);
    - each key it has that names a text field (title, abstract, registration) we do not read
      because another name of that field is read (``title`` and ``article_title``): its text,
      and any identifier in it, would otherwise be lost unseen.
    """
    found = _first_record(fmt, head)
    if found is None:
        return []
    first, line = found
    keys = {normalise_name(str(key)): str(key) for key in reversed(list(first))}
    warnings = [
        f"--column {ours}={theirs}: the first record (line {line}) has no key {theirs!r}"
        for ours, theirs in columns.items()
        if normalise_name(theirs) not in keys
    ]
    for ours in ("title", "abstract", "registration"):
        read = _lookup(keys, ours)
        if ours in columns or read is None:
            continue
        warnings.extend(
            f"the first record (line {line}) has keys {keys[read]!r} and {keys[name]!r}, "
            f"which both name the {ours}; {keys[read]!r} is read, {keys[name]!r} is not "
            f"(--column {ours}=NAME chooses)"
            for name in COLUMN_NAMES[ours]
            if name in keys and name != read
        )
    return warnings


def _lookup(values: Mapping[str, object], ours: str) -> str | None:
    for name in COLUMN_NAMES[ours]:
        if name in values:
            return name
    return None


def _plain(value: object) -> str | None:
    if value is None or isinstance(value, dict | bool | _Record):
        return None
    if isinstance(value, list):
        return "; ".join(str(item) for item in value if isinstance(item, str | int))
    return str(value).strip() or None


def _field_names(values: Mapping[str, object], options: ReadOptions) -> dict[str, str | None]:
    """Which (normalised) member of a record holds each of our fields."""
    names = {ours: _lookup(values, ours) for ours in COLUMN_NAMES}
    for ours, theirs in options.columns.items():
        if ours not in COLUMN_NAMES:
            raise options.error(f"unknown field {ours!r} in column mapping")
        names[ours] = normalise_name(theirs)
    return names


def _fill_scalars(
    draft: RecordDraft,
    values: Mapping[str, object],
    names: Mapping[str, str | None],
    name: str | None,
) -> None:
    """DOI, PMID, year, fallback key and publication types of a record."""

    def plain(ours: str) -> str | None:
        member = names.get(ours)
        return _plain(values.get(member)) if member else None

    draft.doi = plain("doi")
    draft.pmid = clean_pmid(plain("pmid"))
    draft.year = parse_year(plain("year"))
    draft.fallback_key = plain("id") or name
    types = names.get("publication_types")
    listed = values.get(types) if types else None
    if isinstance(listed, list):
        draft.publication_types = [str(t) for t in listed]
    elif plain("publication_types"):
        draft.publication_types = [plain("publication_types") or ""]


def _draft(record: _Record, index: LineIndex, options: ReadOptions) -> RecordDraft:
    _warn_duplicates(record, index, options)
    names = _field_names(record.values, options)
    draft = RecordDraft(
        line=index.position(record.start)[0], end_line=index.position(record.end)[0]
    )
    for ours in ("title", "abstract"):
        name = names.get(ours)
        builder = TextBuilder()
        for string in record.strings.get(name, []) if name else []:
            if not builder.empty and string.text:
                builder.add_unplaced(" ")
            if string.runs:  # a JSON string stands on one line
                line, column = index.position(string.runs[0][2])
                builder.add_runs(string.text, string.runs, line, column - string.runs[0][2])
        setattr(draft, ours, builder)
    _fill_scalars(draft, record.values, names, record.name)
    registration = names.get("registration")
    for string in record.strings.get(registration, []) if registration else []:
        if string.runs:
            line, column = index.position(string.runs[0][2])
            first_line = string.text.split("\n", 1)[0]
            draft.declared_ids.extend(
                declared_from_field(registration or "", first_line, line, column)
            )
    return draft


# A ``\\uD800``-``\\uDFFF`` escape: a surrogate, which the exact reader replaces and counts.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# The end of a string with an escape in it, followed by a colon: a key spelled with an escape
# (or string text that looks like one: then the record is merely read exactly). Each try stops
# at the next backslash or quote, so a line with many escapes is still scanned once.
_ESCAPED_KEY = re.compile(r'\\.[^"\\]*"[ \t\r\n]*:')
_ESCAPED_KEY_BYTES = re.compile(_ESCAPED_KEY.pattern.encode())


def _read_exactly(line: str) -> bool:
    """A surrogate escape, or a key spelled with an escape: only the exact reader follows."""
    return "\\" in line and (
        _SURROGATE_ESCAPE.search(line) is not None or _ESCAPED_KEY.search(line) is not None
    )


def _decoded_fast(line: str, options: ReadOptions) -> tuple[dict[str, object], _KeyPlan] | None:
    """The line's object by the fast decoder, and the plan for its keys, when reading it so
    cannot differ from the exact reader's: no surrogate escape, no key spelled with an escape,
    no key written twice (its quoted name occurs once, a cheap over-estimate), no two keys
    that differ only in spelling. None: read it exactly."""
    if _read_exactly(line):
        return None
    try:
        decoded = loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(decoded, dict):
        return None
    plan = _plan(decoded, options)
    if plan is None or any(line.count(quoted) > 1 for quoted in plan.quoted):
        return None
    return decoded, plan


def _lean_draft(line: str, line_number: int, options: ReadOptions) -> RecordDraft | None:
    """The record on ``line`` read by a fast JSON decoder, when that gives what the exact
    reader would and no position of it can be reported: its title and abstract hold no
    identifier (:func:`~linker.extract.identifiers.holds_identifier`), it declares none, it
    has no surrogate escape. Its text fields then carry no anchors. None: read it exactly.

    A fast decoder keeps the last of a repeated key silently, so a record in which a key of
    its may appear twice (its quoted name occurs twice on the line, a cheap over-estimate)
    is read exactly, which keeps the text of both and warns; so is a record with a key spelled
    with an escape (``"ti\\u0074le"``), which may repeat one spelled plainly."""
    read = _decoded_fast(line, options)
    if read is None:
        return None
    decoded, plan = read
    values = dict(zip(plan.normalised, decoded.values(), strict=True))
    names = plan.names
    registration = names.get("registration")
    if registration and _strings_of(values.get(registration)):
        return None
    types = names.get("publication_types")
    listed = values.get(types) if types else None
    if isinstance(listed, list) and any(isinstance(t, dict | list) for t in listed):
        return None  # the exact reader writes nested values its own way
    draft = RecordDraft(line=line_number, end_line=line_number)
    for ours in ("title", "abstract"):
        name = names.get(ours)
        text = " ".join(s for s in _strings_of(values.get(name)) if s) if name else ""
        if find_identifiers(text):  # remembered: the extractor asks again if it holds one
            return None
        getattr(draft, ours).add_unplaced(text)
    _fill_scalars(draft, values, names, None)
    return draft


@dataclass(frozen=True)
class _KeyPlan:
    """What lean reading needs to know about a record's keys, worked out once per key set."""

    normalised: tuple[str, ...]  # each key's normalised name, in order
    names: dict[str, str | None]  # our field -> the normalised member holding it
    keys: dict[str, str]  # our field -> the key holding it in records with these keys
    quoted: tuple[str, ...]  # each key as it is written when written without escapes
    quoted_bytes: tuple[bytes, ...]


_PLANS: dict[tuple[object, ...], _KeyPlan | None] = {}
_MAX_PLANS = 1024


def _plan(decoded: dict[str, object], options: ReadOptions) -> _KeyPlan | None:
    """The plan for records with ``decoded``'s keys; None when two keys differ only in
    spelling ("Title", "title": merged by the exact reader)."""
    cache_key = (*decoded, *options.columns.items())
    if cache_key in _PLANS:
        return _PLANS[cache_key]
    normalised = tuple(normalise_name(key) for key in decoded)
    plan = None
    if len(set(normalised)) == len(normalised):
        names = _field_names(dict.fromkeys(normalised), options)
        original = dict(zip(normalised, decoded, strict=True))
        keys = {ours: original[name] for ours, name in names.items() if name in original}
        quoted = tuple(f'"{key}"' for key in decoded)
        plan = _KeyPlan(normalised, names, keys, quoted, tuple(q.encode() for q in quoted))
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[cache_key] = plan
    return plan


#: What :func:`lean_has_text` says of a blank line (no record on it).
BLANK = "blank"
#: What a line's ``decoded`` is before it is decoded (see :func:`plain_record`).
UNDECODED = object()
# The end of a key: a quote, then a colon. Every key of a valid object, at any depth, however
# spelled, ends so (and text only where an escaped quote stands before a colon): a line with as
# many of these as its decoded object has members repeats no key and nests no object.
_KEY_END = re.compile(rb'"[ \t\r]*:')
# Text's own: an escaped quote (an odd number of backslashes before it) before a colon.
_ESCAPED_QUOTE_COLON = re.compile(rb'(?<!\\)\\(?:\\\\)*"[ \t\r]*:')


def key_ends(line: bytes) -> int:
    """How many :data:`_KEY_END` the line has that no escaped quote makes (a quote in a text):
    every key of its object, at any depth, and any string that starts with a colon; so as
    many as the object's members only when no key repeats and nothing nests."""
    count = len(_KEY_END.findall(line))
    if b'\\"' in line:
        count -= len(_ESCAPED_QUOTE_COLON.findall(line))
    return count


# Eight digits in a row: the least a bare number (read after a registry name) needs.
_EIGHT_DIGITS = re.compile("[0-9]{8}")


def lean_has_text(
    line: bytes, options: ReadOptions, *, named: bool = False, decoded: object = UNDECODED
) -> bool | str | None:
    """For a line known to hold no identifier (:mod:`linker.extract.rawgate`), or only a bare
    registry name (``named``; a bare number then needs eight digits in a row in a text):
    whether its record has a title or abstract, when the exact reader would read it without a
    warning or a declared id; :data:`BLANK` for a blank line; None: read it exactly.
    ``decoded``: the line as the fast decoder decodes it, when that is known."""
    if not line.startswith(b"{") and not line.strip(b" \t\r"):
        return BLANK
    if decoded is UNDECODED:
        try:
            decoded = loads(line)
        except (ValueError, RecursionError):
            return None
    if not isinstance(decoded, dict):
        return None
    plan = _plan(decoded, options)
    if plan is None or (key_ends(line) != len(decoded) and _may_repeat(line, plan)):
        return None  # keys that differ only in spelling, or a key that may be repeated
    keys = plan.keys
    if "registration" in keys and _strings_of(decoded.get(keys["registration"])):
        return None
    title = decoded.get(keys["title"]) if "title" in keys else None
    abstract = decoded.get(keys["abstract"]) if "abstract" in keys else None
    if isinstance(title, list) or isinstance(abstract, list):
        return None  # joined from several strings: read exactly
    title_text = isinstance(title, str) and title
    abstract_text = isinstance(abstract, str) and abstract
    if named and any(t and _EIGHT_DIGITS.search(t) for t in (title_text, abstract_text)):
        return None
    return bool(title_text) or bool(abstract_text)


def bulk_has_text(decoded: list[object], key_ends: int, options: ReadOptions) -> list[bool] | None:
    """What :func:`lean_has_text` says of each of the lines ``decoded`` was decoded from (none
    of them blank or named), decided for all at once at C speed where they are alike: all
    objects with the same keys in the same order, no declared id, no text joined from several
    strings, and ``key_ends`` (the ``":`` of those lines: the JSON gate's trouble makes these
    every key end of a line it does not touch) as many as their members, so that no key
    repeats and nothing nests. None: ask :func:`lean_has_text` line by line."""
    if not decoded:
        return []
    if set(map(type, decoded)) != {dict}:
        return None
    records = cast(list[dict[str, object]], decoded)
    if sum(map(len, records)) != key_ends or len(set(map(tuple, records))) != 1:
        return None  # a key repeated, something nested, or different keys (other plans)
    plan = _plan(records[0], options)
    if plan is None or "registration" in plan.keys:
        return None
    columns = [
        list(map(itemgetter(plan.keys[ours]), records)) if ours in plan.keys else []
        for ours in ("title", "abstract")
    ]
    if any(list in set(map(type, column)) for column in columns):
        return None  # joined from several strings: read exactly
    titles, abstracts = (_non_empty_strings(column, len(records)) for column in columns)
    return list(map(or_, titles, abstracts))


def _non_empty_strings(column: list[object], count: int) -> list[bool]:
    """Whether each value of ``column`` (``count`` of them; none when it is empty: the key is
    absent) is a string and not empty (at C speed where all are strings)."""
    if not column:
        return [False] * count
    if set(map(type, column)) == {str}:
        return list(map(bool, column))
    return [type(value) is str and value != "" for value in column]


def decode_lines(lines: list[bytes]) -> list[object] | None:
    """Each line decoded by the fast decoder, at C speed; None when one is not JSON."""
    try:
        return list(map(loads, lines))
    except (ValueError, RecursionError):
        return None


#: What :func:`bulk_has_text` counts as key ends (a literal: found at C speed). Counted with
#: ``findall``, not ``bytes.count``: on a 4 MB block of real records 1.5 ms against 3.8 ms.
KEY_END_PLAIN = re.compile(rb'":')


def _may_repeat(line: bytes, plan: _KeyPlan) -> bool:
    """A key of the line's object may be written twice: with an escape (``"ti\\u0074le"``,
    which may repeat one spelled plainly), or plainly twice (its quoted name occurs twice on
    the line, a cheap over-estimate)."""
    if b"\\" in line and _ESCAPED_KEY_BYTES.search(line) is not None:
        return True
    return any(line.count(quoted) > 1 for quoted in plan.quoted_bytes)


@dataclass(frozen=True)
class PlainRecord:
    """A JSON Lines record whose title and abstract are each one plain string (or absent), with
    no key repeated, no nested object, no surrogate escape and no declared id: what lean
    extraction reads without building a publication (see :func:`plain_record`)."""

    line: bytes
    number: int
    decoded: dict[str, object]
    plan: _KeyPlan
    title: str
    abstract: str

    def key(self, ordinal: int, options: ReadOptions) -> str:
        """The publication key the reader would give this record."""
        return self.scalars().key(ordinal, options)

    def scalars(self) -> RecordDraft:
        """The record's draft with its scalars (DOI, PMID, year, fallback key, publication
        types) as the reader fills them in, and no text."""
        draft = RecordDraft(line=self.number, end_line=self.number)
        values = dict(zip(self.plan.normalised, self.decoded.values(), strict=True))
        _fill_scalars(draft, values, self.plan.names, None)
        return draft

    def locator(self, ours: str) -> Callable[[int], tuple[int, int]] | None:
        """For ``ours`` (title or abstract): the (line, column) of each character of its text,
        as the reader's anchors place it; None when its string cannot be found in the line."""
        key = self.plan.keys.get(ours)
        if key is None:
            return None
        text = self.line.decode("utf-8")  # columns count characters
        value = getattr(self, ours)
        string = _plain_key_string(text, key, value) or _top_level_string(text, f'"{key}"', value)
        if string is None or not string.runs:
            return None
        runs = string.runs
        starts = [start for start, _, _ in runs]
        number = self.number

        def locate(offset: int) -> tuple[int, int]:
            start, _, source = runs[max(bisect_right(starts, offset) - 1, 0)]
            return (number, source + 1 + max(offset - start, 0))

        return locate


def plain_record(
    raw: bytes,
    line_number: int,
    options: ReadOptions,
    *,
    nested: bool = False,
    decoded: object = UNDECODED,
) -> PlainRecord | None:
    """The record on ``raw`` as a :class:`PlainRecord`, or None: read it the reader's way.
    ``nested``: other members may hold objects (as :func:`lean_has_text` allows; for callers
    that need no position, ``extract --publications``); ``decoded``: ``raw`` as the fast
    decoder decodes it, when that is known."""
    if decoded is UNDECODED:
        try:
            decoded = loads(raw)
        except (ValueError, RecursionError):
            return None
    if not isinstance(decoded, dict):
        return None
    plan = _plan(decoded, options)
    if plan is None or (key_ends(raw) != len(decoded) and (not nested or _may_repeat(raw, plan))):
        return None  # keys that differ only in spelling, a repeated key, a nested object
    if b"\\u" in raw and _SURROGATE_ESCAPE_BYTES.search(raw) is not None:
        return None
    keys = plan.keys
    if "registration" in keys and _strings_of(decoded.get(keys["registration"])):
        return None
    types = keys.get("publication_types")
    listed = decoded.get(types) if types else None
    if isinstance(listed, list) and any(isinstance(t, dict | list) for t in listed):
        return None  # the exact reader writes nested values its own way
    texts = []
    for ours in ("title", "abstract"):
        value = decoded.get(keys[ours]) if ours in keys else None
        if isinstance(value, list | dict):
            return None
        texts.append(value if isinstance(value, str) else "")
    return PlainRecord(raw, line_number, decoded, plan, texts[0], texts[1])


_SURROGATE_ESCAPE_BYTES = re.compile(_SURROGATE_ESCAPE.pattern.encode())


def _plain_key_string(line: str, key: str, value: str) -> _String | None:
    """The string value of ``key`` in ``line``, found fast where every key end of the line is
    one of its object's own keys (a flat object, no key repeated: see :data:`_KEY_END`): the
    key written plainly, after a quote no backslash escapes, then its colon and a string that
    decodes to ``value``. None: not found so (:func:`_top_level_string` looks)."""
    match = re.search(f'"{re.escape(key)}"[ \t\r]*:[ \t\r]*"', line)
    if match is None or line[match.start() - 1 : match.start()] == "\\":
        return None
    try:
        string, _ = _string(line, match.end() - 1)
    except _Malformed:
        return None
    return string if string.text == value else None


# A string or a bracket outside strings, in JSON text.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]')


def _positioned_draft(line: str, line_number: int, options: ReadOptions) -> RecordDraft | None:
    """The record on ``line`` with positions, read by a fast JSON decoder: what the exact
    reader gives when each of title, abstract and registration is one string (or absent), no
    key repeats, no surrogate escape. Each of those strings is found in the line (its key's
    one occurrence, at the top level, checked against the decoded value) and its runs taken
    as the exact reader takes them. None: read it exactly."""
    read = _decoded_fast(line, options)
    if read is None:
        return None
    decoded, plan = read
    types = plan.keys.get("publication_types")
    listed = decoded.get(types) if types else None
    if isinstance(listed, list) and any(isinstance(t, dict | list) for t in listed):
        return None  # the exact reader writes nested values its own way
    located: dict[str, _String] = {}
    for ours in ("title", "abstract", "registration"):
        key = plan.keys.get(ours)
        value = decoded.get(key) if key is not None else None
        if isinstance(value, list | dict):
            return None
        if key is not None and isinstance(value, str):
            string = _top_level_string(line, f'"{key}"', value)
            if string is None:
                return None
            located[ours] = string
    draft = RecordDraft(line=line_number, end_line=line_number)
    for ours in ("title", "abstract"):
        builder = TextBuilder()
        if ours in located:
            string = located[ours]
            for start, length, offset in string.runs:
                builder.add(string.text[start : start + length], line_number, offset + 1)
        setattr(draft, ours, builder)
    values = dict(zip(plan.normalised, decoded.values(), strict=True))
    _fill_scalars(draft, values, plan.names, None)
    if "registration" in located and located["registration"].runs:
        string = located["registration"]
        first_line = string.text.split("\n", 1)[0]
        column = string.runs[0][2] + 1
        name = plan.names.get("registration") or ""
        draft.declared_ids.extend(declared_from_field(name, first_line, line_number, column))
    return draft


def _top_level_string(line: str, quoted_key: str, value: str) -> _String | None:
    """The string value of the top-level member written ``quoted_key`` (which occurs once in
    ``line``), when it is the decoded ``value``; else None."""
    position = line.find(quoted_key)
    if position < 0:
        return None
    depth = 0
    for token in _TOKEN.finditer(line):
        if token.start() >= position:
            if token.start() != position or depth != 1:
                return None
            break
        char = line[token.start()]
        depth += 1 if char in "{[" else -1 if char in "}]" else 0
    else:
        return None
    after = _skip(line, position + len(quoted_key))
    if not line.startswith(":", after):
        return None
    start = _skip(line, after + 1)
    if not line.startswith('"', start):
        return None
    try:
        string, _ = _string(line, start)
    except _Malformed:
        return None
    return string if string.text == value else None


def _strings_of(value: object) -> list[str]:
    """The strings a member contributes to a text field: itself, or an array's strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


class JsonLinesReader(LineReader):
    name = "jsonl"

    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        surrogates = [0]
        yield from number(self._drafts(lines, options, surrogates), options)
        warn_surrogates(surrogates[0], options)

    @staticmethod
    def _drafts(
        lines: NumberedLines, options: ReadOptions, surrogates: list[int]
    ) -> Iterator[RecordDraft]:
        for line_number, line in lines:
            try:
                draft = line_draft(line, line_number, options, surrogates)
            except MalformedJson:
                # The object may run on past its line (an error either way): parse from here
                # as a whole, as a document reader would, so the message and line are exact.
                rest = "\n".join(itertools.chain([line], (later for _, later in lines)))
                yield from _drafts_in_text(rest, line_number, options, surrogates)
                return
            if draft is not None:
                yield draft


MalformedJson = _Malformed


def line_draft(
    line: str, line_number: int, options: ReadOptions, surrogates: list[int]
) -> RecordDraft | None:
    """The record on one line of JSON Lines (None for a blank line); the unpaired surrogates
    replaced in it are added to ``surrogates[0]``. :class:`MalformedJson` when its object is
    malformed (it may run on past the line: the caller decides)."""
    text = line + "\n"
    content = _skip(text, 0)
    if content >= len(line):
        return None
    if text[content] != "{":
        raise options.error("expected a JSON object on this line", line_number)
    lean = _lean_draft(line, line_number, options)
    if lean is None:
        lean = _positioned_draft(line, line_number, options)
    if lean is not None:
        return lean
    record, _, end = _object(text, content)
    if end > len(line) or text[end : len(line)].strip():
        raise options.error("expected one JSON object per line", line_number)
    surrogates[0] += _scrub(record)
    return _draft(record, LineIndex(text, line_number), options)


def _drafts_in_text(
    text: str, first_line: int, options: ReadOptions, surrogates: list[int]
) -> Iterator[RecordDraft]:
    """JSON Lines records in ``text``, whose first line is line ``first_line`` of the file."""
    index = LineIndex(text, first_line)
    position = 0
    for line_number, line in enumerate(text.split("\n"), start=first_line):
        start = position
        position += len(line) + 1
        content = _skip(text, start)
        if content >= start + len(line):
            continue
        if text[content] != "{":
            raise options.error("expected a JSON object on this line", line_number)
        try:
            record, _, end = _object(text, content)
        except _Malformed as error:
            raise options.error(str(error), index.position(error.offset)[0]) from None
        if end > start + len(line) or text[end : start + len(line)].strip():
            raise options.error("expected one JSON object per line", line_number)
        surrogates[0] += _scrub(record)
        yield _draft(record, index, options)


class JsonReader(Reader):
    name = "json"

    def read(self, text: str, options: ReadOptions) -> Iterator[Publication]:
        index = LineIndex(text)
        try:
            records = self._records(text)
        except _Malformed as error:
            raise options.error(str(error), index.position(error.offset)[0]) from None
        surrogates = sum(_scrub(record) for record in records)
        yield from number((_draft(record, index, options) for record in records), options)
        warn_surrogates(surrogates, options)

    @staticmethod
    def _records(text: str) -> list[_Record]:
        position = _skip(text, 0)
        if position >= len(text):
            raise _Malformed("empty JSON document", 0)
        if text[position] == "{":
            outer, _, end = _object(text, position)
            records = [outer]
            for key in _LIST_KEYS:
                listed = outer.values.get(key)
                if isinstance(listed, list) and all(isinstance(r, _Record) for r in listed):
                    records = [r for r in listed if isinstance(r, _Record)]
                    break
            else:
                if outer.members and all(isinstance(m, _Record) for m in outer.members):
                    records = [m for m in outer.members if isinstance(m, _Record)]
        elif text[position] == "[":
            records = []
            position = _skip(text, position + 1)
            end = position
            while position < len(text) and text[position] != "]":
                if text[position] != "{":
                    raise _Malformed("expected a JSON object in the array", position)
                record, _, position = _object(text, position, depth=2)
                records.append(record)
                position = _skip(text, position)
                if position < len(text) and text[position] == ",":
                    position = _skip(text, position + 1)
                elif position >= len(text) or text[position] != "]":
                    raise _Malformed("expected ',' or ']' in JSON array", position)
            if position >= len(text):
                raise _Malformed("JSON array is not closed", len(text) - 1)
            end = position + 1
        else:
            raise _Malformed("expected a JSON array or object", position)
        if text[end:].strip():
            raise _Malformed("unexpected data after the JSON document", _skip(text, end))
        return records
