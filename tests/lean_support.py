"""Lean extraction against the reference path (:mod:`linker.lean`): the mentions, warnings and
error of a file read each way (import as ``from lean_support import ...``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from linker.errors import InputError
from linker.extract.mention_rows import MentionRow
from linker.lean import ListOptions, read_lean, read_reference
from linker.models import Mention

#: Mentions, warnings, the error (or None) and whether the lean reader read the file.
Outcome = tuple[list[Mention], list[str], str | None, bool]


class ListSink:
    """A :class:`~linker.lean.MentionSink` into a list (plain rows made models, so that lean
    and reference mentions compare field by field)."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self._start = 0

    def add(self, mentions: Sequence[Mention | MentionRow]) -> None:
        self.mentions.extend(
            Mention.model_construct(**m._asdict()) if isinstance(m, MentionRow) else m
            for m in mentions
        )

    def start_file(self) -> None:
        self._start = len(self.mentions)

    def forget_file(self) -> None:
        del self.mentions[self._start :]


def outcome(path: Path, lean: bool, options: ListOptions | None = None) -> Outcome:
    """``path`` extracted the lean way (falling back as :func:`linker.lean.extract_into`
    does) or the reference way."""
    sink, warnings = ListSink(), []
    options = options or ListOptions()
    used = False
    try:
        if lean:
            used = read_lean(str(path), options, warnings.append, sink) is not None
        if not used:
            sink.forget_file()
            read_reference(str(path), options, warnings.append, sink)
    except InputError as error:
        return sink.mentions, warnings, str(error), used
    return sink.mentions, warnings, None, used


def assert_same(path: Path, options: ListOptions | None = None) -> bool:
    """Lean and reference give the same mentions, warnings and error; whether lean read it."""
    lean, reference = outcome(path, True, options), outcome(path, False, options)
    assert lean[:3] == reference[:3]
    return lean[3]
