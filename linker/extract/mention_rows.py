"""Identifier mentions as plain rows: what ``extract`` writes, made without pydantic.

A :class:`MentionRow` has the fields of :class:`linker.models.Mention`, in the order of
``extract``'s output columns; the lean readers make rows, the library's
:func:`~linker.extract.mentions.extract_mentions` makes models from the same function, so both
carry the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from linker.extract.identifiers import Found
from linker.extract.roles import classify_role, sentence_around
from linker.vocabulary import Registry, Role


class MentionRow(NamedTuple):
    """One identifier mention (the fields of :class:`linker.models.Mention`)."""

    publication: str
    registry: Registry
    id: str
    raw: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    field: str
    role: Role
    valid_format: bool
    format_problem: str | None
    sentence: str


def text_row(
    key: str,
    file: str,
    field: str,
    text: str,
    found: Found,
    locate: Callable[[int], tuple[int, int]],
) -> MentionRow:
    """The mention of ``found`` in ``text`` (the ``field`` of publication ``key``), placed in
    ``file`` by ``locate`` (an offset in ``text`` to its line and column)."""
    line, column = locate(found.start)
    end_line, end_column = locate(max(found.end - 1, found.start))
    return MentionRow(
        key,
        found.registry,
        found.id,
        found.raw,
        file,
        line,
        column,
        end_line,
        end_column,
        field,
        classify_role(text, found.start, found.end),
        found.valid_format,
        found.problem,
        sentence_around(text, found.start, found.end),
    )
