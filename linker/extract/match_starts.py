"""A regular expression tried only where one of its matches can start.

:func:`leading_literals` reads off a pattern's parsed form the literal words its matches begin
with (``registered (?:as|with)`` begins with "registered ", ``\\b(?:this|our) study`` with
"this " or "our "). :class:`StartGated` finds them all in a text with one multi-pattern scan
(Hyperscan; the other backends search as the pattern does) and tries the pattern with
``match`` at each, in order, from the end of the previous match on: exactly the matches
``finditer`` gives, since a match can start nowhere else. A pattern with no such words, or a
text holding a character Python's case-insensitive matching pairs with an ASCII letter
(:data:`~linker.extract.literal_gate.CASE_FOLD_EXCEPTIONS`), is searched the plain way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from linker.extract.literal_gate import CASE_FOLD_EXCEPTIONS
from linker.extract.prefilter import character_counts
from linker.extract.scan import ScannerCache, current_backend

_MAX_PREFIXES = 256
_Prefixes = frozenset[str]


def leading_literals(pattern: re.Pattern[str]) -> _Prefixes | None:
    """Lower-cased ASCII strings, none empty, one of which every match of ``pattern`` starts
    with; None when no such set is known."""
    found = _lead(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if found is None or "" in found[0]:
        return None
    return found[0]


def _lead(nodes: Sequence[tuple[Any, Any]]) -> tuple[_Prefixes, bool] | None:
    """The strings every match of the concatenation ``nodes`` starts with, and whether they
    are the whole of every match (a pure literal: what follows may extend them)."""
    prefixes: _Prefixes = frozenset([""])
    for op, value in nodes:
        if op is sre.LITERAL and value < 128:
            prefixes = frozenset(p + chr(value).lower() for p in prefixes)
            continue
        if op is sre.AT and prefixes == {""}:
            continue  # a zero-width boundary before the first character
        part = _group(op, value)
        if part is None:
            return prefixes, False
        heads, whole = part
        prefixes = frozenset(p + h for p in prefixes for h in heads)
        if len(prefixes) > _MAX_PREFIXES:
            return None
        if not whole:
            return prefixes, False
    return prefixes, True


def _group(op: Any, value: Any) -> tuple[_Prefixes, bool] | None:
    if op is sre.SUBPATTERN:
        return _lead(list(value[-1]))
    if op is sre.BRANCH:
        branches = [_lead(list(branch)) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        known = [branch for branch in branches if branch is not None]
        heads = frozenset().union(*(heads for heads, _ in known))
        return heads, all(whole for _, whole in known)
    return None  # a class, a repeat, an assertion inside: its start is not known


class StartGated:
    """``pattern`` tried only where one of its leading literals stands."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        literals = leading_literals(pattern)
        self._literals = sorted(literals) if literals is not None else None
        self._scanner = ScannerCache(lambda: [re.escape(x) for x in self._literals or ()])

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``pattern.finditer(text)`` gives."""
        starts = self._starts(text)
        if starts is None:
            yield from self.pattern.finditer(text)
            return
        position = 0
        for start in starts:
            if start >= position and (match := self.pattern.match(text, start)) is not None:
                position = max(match.end(), start + 1)
                yield match

    def _starts(self, text: str) -> list[int] | None:
        """Every offset of ``text`` where a leading literal starts, sorted; None: unknown."""
        if self._literals is None or current_backend() != "hyperscan":
            return None  # the regex engines search for the pattern as fast as for its words
        if text.isascii():
            data = text.encode("ascii")
            return sorted({start for start, _ in self._scanner.get().spans(data)})
        if not CASE_FOLD_EXCEPTIONS.isdisjoint(text):
            return None
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
        spans = [(start, start) for start, _ in self._scanner.get().spans(data)]
        counts = character_counts(data, spans)  # a literal starts at an ASCII byte
        return sorted({counts[start] for start, _ in spans})
