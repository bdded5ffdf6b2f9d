"""Which texts can hold an identifier at all: one multi-pattern scan decides, before the exact
patterns of :mod:`linker.extract.identifiers` run.

The scan's patterns are derived from the reference's own :data:`~linker.extract.patterns.LOCATOR`
(every form starts at one of its hits) and :data:`~linker.extract.patterns.BARE_NAMES` (bare
numbers are read only where one of them occurs), rewritten without lookaround so every backend
of :mod:`linker.extract.scan` runs them:

- ``x(?<![S].)`` (the left boundary after a leading literal) becomes ``(?:^|[^S])x``, and
  ``x(?:(?<![S].)|(?<=T.)|(?<=U.))`` becomes ``(?:^|[^S]|T|U)x``: exact;
- a lookahead ``(?=R)`` becomes ``(?:R)`` and any other lookaround is dropped: a superset.

So the scan finds a hit in every text where the locator does (and in some more), and a text
without one gives no identifier: skipping it never changes a result. The tests run every
extraction test through each installed backend to hold that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from linker.extract.normalize import normalize
from linker.extract.patterns import BARE_NAMES, LOCATOR, locator_any_case
from linker.extract.scan import ScannerCache, current_backend, portable

# ``x(?<![S].)`` or ``x(?:(?<![S].)|(?<=word.)|...)`` at the start of an alternative.
_BOUNDARY = re.compile(
    r"^(?P<first>[a-z0-9])(?:\(\?<!\[(?P<set>[^\]]*)\]\.\)"
    r"|\(\?:\(\?<!\[(?P<group_set>[^\]]*)\]\.\)(?P<words>(?:\|\(\?<=[a-z]+\.\))*)\))"
)
_WORD_BEFORE = re.compile(r"\(\?<=([a-z]+)\.\)")


def _walk(pattern: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(index, depth) of every ``(``, ``)`` and ``|`` of ``pattern`` from ``start`` on, outside
    escapes and character classes (a ``]`` first in a class, ``[]`` or ``[^]``, is a member);
    the depth is the nesting before a ``(`` and after a ``)``."""
    depth = 0
    in_class = False
    index = start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith("]", index + 1) or pattern.startswith("^]", index + 1):
                index += 1 + pattern.startswith("^", index + 1)
        elif char == "(":
            yield index, depth
            depth += 1
        elif char == ")":
            depth -= 1
            yield index, depth
        elif char == "|":
            yield index, depth
        index += 1


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression."""
    parts: list[str] = []
    start = 0
    for index, depth in _walk(pattern):
        if pattern[index] == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group that opens at ``start``."""
    for index, depth in _walk(pattern, start):
        if pattern[index] == ")" and depth == 0:
            return index + 1
    raise ValueError(f"unbalanced group in {pattern!r}")


def without_lookaround(alternative: str) -> str:
    """``alternative`` rewritten so that it matches wherever it matched (see the module doc)."""
    if (match := _BOUNDARY.match(alternative)) is not None:
        before = [f"[^{match['set'] or match['group_set']}]"]
        before += _WORD_BEFORE.findall(match["words"] or "")
        head = f"(?:^|{'|'.join(before)}){match['first']}"
        alternative = head + alternative[match.end() :]
    out: list[str] = []
    index = 0
    while index < len(alternative):
        if alternative.startswith("\\", index):
            out.append(alternative[index : index + 2])
            index += 2
        elif alternative.startswith("(?=", index):
            out.append("(?:")
            index += 3
        elif alternative.startswith(("(?!", "(?<=", "(?<!"), index):
            index = _group_end(alternative, index)
        else:
            out.append(alternative[index])
            index += 1
    return "".join(out)


def locator_patterns() -> list[str]:
    """The locator's alternatives, rewritten without lookaround (see the module docstring)."""
    return [portable(without_lookaround(alt)) for alt in split_alternatives(LOCATOR.pattern)]


def bare_name_patterns() -> list[str]:
    """The registry names that let a bare number count (:data:`BARE_NAMES`), as patterns."""
    return [re.escape(name) for name in BARE_NAMES]


def gate_patterns() -> list[str]:
    """The scan's patterns: the locator's alternatives, then the bare-number registry names."""
    return locator_patterns() + bare_name_patterns()


_GATE = ScannerCache(gate_patterns)
_EIGHT_DIGITS = "[0-9]{8}"
_CANDIDATES = ScannerCache(lambda: [*gate_patterns(), _EIGHT_DIGITS])
# Where the gate's names start, and the eight digits after them.
_GROUPS = (len(locator_patterns()), len(gate_patterns()))


def reads_lowered(norm: str) -> bool:
    """Whether the locator searches the normalised text ``norm`` lower-cased, with
    :data:`LOCATOR`, or as it is, with :func:`locator_any_case`: the same hits, as lower-casing
    turns no non-ASCII character into an ASCII one but the Kelvin sign (into ``k``), and
    lower-casing a non-ASCII text costs about 5 µs a kilobyte. Lower-cased: an ASCII text, and
    one with a Kelvin sign unless an İ, which lowers to two characters, shifts the offsets."""
    return norm.isascii() or ("\u212a" in norm and "\u0130" not in norm)


def may_hold_identifier(text: str) -> bool:
    """False only when ``text`` certainly holds no identifier in running text."""
    if not text:
        return False
    prepared = _prepared(text)
    if prepared is not None:
        return _GATE.get().any(prepared[0])
    norm = normalize(text).text  # as the reference searches: its locator, its names
    lowered = norm.lower()
    if len(lowered) != len(norm):
        return locator_any_case().search(norm) is not None or any(n in lowered for n in BARE_NAMES)
    return LOCATOR.search(lowered) is not None or any(n in lowered for n in BARE_NAMES)


def candidate_starts(text: str) -> list[int] | None:
    """Offsets (in the normalised, lower-cased text the locator searches) where a locator hit
    may start, sorted; ``[]`` when the locator certainly hits nowhere in ``text``; None when
    the scan cannot tell (search everywhere, as the reference does)."""
    scanned = scan_candidates(text)
    return None if scanned is None else scanned[0]


class Candidates(NamedTuple):
    """What one scan of a text says (offsets in its normalised, lower-cased text)."""

    starts: list[int]
    """Where a locator hit may start (see :func:`candidate_starts`)."""
    named: bool
    """Whether a bare-number registry name (:data:`BARE_NAMES`) occurs (as the reference
    looks for one)."""
    eight_digits: list[int]
    """Where eight digits in a row start (every such offset, sorted)."""


def scan_candidates(text: str) -> Candidates | None:
    """One scan of ``text`` for the locator's hits, the bare-number registry names and runs of
    eight digits; None when the scan cannot tell."""
    prepared = _prepared(text)
    return None if prepared is None else candidates_in(*prepared)


def candidates_in(data: bytes, ascii_only: bool) -> Candidates:
    """What one scan of ``data`` (a text's bytes as the scan runs on them, and whether they
    are ASCII) says, in characters of the text."""
    located, names, digits = _CANDIDATES.get().grouped_spans(data, _GROUPS)
    if ascii_only:
        starts = _starts(located, None)
        return Candidates(starts, bool(names), sorted({start for start, _ in digits}))
    # One walk over the bytes counts the characters before every edge (digits are ASCII).
    counts = character_counts(data, [*located, *((start, start) for start, _ in digits)])
    starts = _starts(located, counts)
    return Candidates(starts, bool(names), sorted({counts[start] for start, _ in digits}))


def _prepared(text: str) -> tuple[bytes, bool] | None:
    """The bytes the scan runs on (the text as the locator sees it) and whether they are
    ASCII; None when the scan cannot stand in for the locator."""
    if current_backend() == "re":  # Python's re runs the locator itself fastest
        return None
    if text.isascii():
        if "-" in text and "\n" in text:
            text = normalize(text).text  # a hyphen at a line end may join an identifier
        return text.encode("ascii"), True
    normalized = normalize(text)
    norm = normalized.text
    if "\u0130" in norm:  # an İ lowers to two characters: the reference searches everywhere
        return None
    # The scan ignores ASCII case, so it finds in the text what it would find lower-cased.
    searched = normalized.lowered if reads_lowered(norm) else norm
    try:
        return searched.encode("utf-8"), False
    except UnicodeEncodeError:  # a lone surrogate (readers replace them; a library caller may not)
        return None


def _starts(spans: list[tuple[int, int]], characters: dict[int, int] | None) -> list[int]:
    """Every offset inside a span; in characters when ``characters`` (what
    :func:`character_counts` says of UTF-8 bytes, for every edge of the spans) is given."""
    offsets: set[int] = set()
    for start, end in spans:
        if characters is not None:  # characters before a byte offset: bytes that start one
            start = max(0, characters[start] - 1)
            end = characters[end] + 1
        offsets.update(range(start, end))
    return sorted(offsets)


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def character_counts(data: bytes, spans: list[tuple[int, int]]) -> dict[int, int]:
    """For each byte offset a span starts or ends at: how many characters start before it (a
    cut character counts, as its lead byte is before the offset). One walk over ``data``."""
    counts: dict[int, int] = {}
    characters = previous = 0
    for offset in sorted({edge for span in spans for edge in span}):
        characters += len(data[previous:offset].translate(None, _CONTINUATION_BYTES))
        counts[offset] = characters
        previous = offset
    return counts
