"""The literal words a regular expression cannot match without: a cheap gate where no
multi-pattern engine is installed.

:func:`required_literals` reads them off the pattern's parsed form: every match contains one of
them (ASCII case-insensitively), so a text that holds none cannot match and the search is
skipped. :class:`LiteralGates` applies them to a text lower-cased once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# Characters Python's case-insensitive matching pairs with an ASCII letter although their lower
# case is not that letter: ı (i), ſ (s), K (Kelvin sign, k), İ (i). A text holding one is never
# gated (tests/extract/test_pattern_set.py checks the list against every code point).
CASE_FOLD_EXCEPTIONS = frozenset("\u0131\u017f\u212a\u0130")
_Literals = frozenset[str]

_EXCEPTIONAL = re.compile(f"[{''.join(sorted(CASE_FOLD_EXCEPTIONS))}]")


def required_literals(pattern: re.Pattern[str]) -> _Literals | None:
    """Lower-cased ASCII strings at least one of which every match of ``pattern`` contains,
    or None when no such set is known (the pattern then always runs)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - the pattern compiled, so it parses
        return None
    return _sequence(list(parsed))


def _sequence(nodes: Sequence[tuple[Any, Any]]) -> _Literals | None:
    """Required literals of a concatenation: its most selective required part."""
    options: list[_Literals] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            options.append(frozenset(["".join(run)]))
            run.clear()

    for op, value in nodes:
        if op is sre.LITERAL and value < 128 and chr(value) != "\n":
            run.append(chr(value).lower())
            continue
        flush()
        part = _node(op, value)
        if part is not None:
            options.append(part)
    flush()
    if not options:
        return None
    return max(options, key=lambda s: (min(len(x) for x in s), -len(s)))


def _node(op: Any, value: Any) -> _Literals | None:
    if op is sre.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(value))
    if op is sre.BRANCH:
        branches = [_sequence(list(branch)) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        return frozenset().union(*(b for b in branches if b is not None))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, item = value
        return _sequence(list(item)) if low >= 1 else None
    return None  # a class, any character, an assertion, a back-reference: no literal known


class LiteralGates:
    """Which of ``patterns`` match a text: the searches whose literals the text lacks skipped."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self._literals = [required_literals(pattern) for pattern in self.patterns]

    def present(self, text: str) -> set[int]:
        if not text.isascii() and _EXCEPTIONAL.search(text) is not None:
            return {i for i, pattern in enumerate(self.patterns) if pattern.search(text)}
        lowered = text.lower()
        return {
            i
            for i, (pattern, literals) in enumerate(zip(self.patterns, self._literals, strict=True))
            if (literals is None or any(literal in lowered for literal in literals))
            and pattern.search(text)
        }
