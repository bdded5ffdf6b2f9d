"""Text normalisation for identifier matching, with a map back to the original offsets.

Publications spell the same identifier with unicode dashes, odd spaces, zero-width characters
and line-break hyphenation. Matching runs on a normalised copy; every match is mapped back to
its span in the original text, so positions are never lost.

What changes (each rule keeps or drops characters, never inserts any):
- dashes U+2010..U+2015, U+2212, U+FE58, U+FE63, U+FF0D become ``-``;
- NBSP, U+2000..U+200A, U+202F, U+205F, U+3000 and U+FFFD (a lost character in badly
  decoded text) become a space;
- zero-width characters U+200B..U+200F, U+2060, U+FEFF and the soft hyphen U+00AD are dropped;
- a hyphen at a line end between two letters or digits is a line break, not a dash: the break
  is dropped. The hyphen goes too (``NCT0150-\\n6986`` -> ``NCT01506986``) unless it ends a
  year or an inner block of a dashed number (``2011-\\n003425-96`` keeps its dash).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = "\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000\ufffd"
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"

_CHANGED = _DASHES + _SPACES + _INVISIBLE
_LINE_END_HYPHEN = re.compile(f"[-\u00ad{_DASHES}][ \\t]*\\r?\\n[ \\t]*")
_EDIT = re.compile(
    f"(?P<hyphen>[-\u00ad{_DASHES}][ \\t]*\\r?\\n[ \\t]*)|(?P<invisible>[{_INVISIBLE}]+)"
)


# Each character normalisation maps to another, with what it becomes.
_ONE_FOR_ONE = (*((char, "-") for char in _DASHES), *((char, " ") for char in _SPACES))


def _translate(text: str, present: tuple[str, ...]) -> str:
    """Dashes to ``-`` and odd spaces to a space in ``text`` (a text, or part of one, that
    holds no changed character but those ``present``): one ``str.replace`` per character there
    (several times faster than a regex substitution or ``str.translate`` on non-ASCII text)."""
    for char, replacement in _ONE_FOR_ONE:
        if char in present:
            text = text.replace(char, replacement)
    return text


_HYPHENS = frozenset("-\u00ad" + _DASHES)


def _ends_a_line_with_a_hyphen(text: str) -> bool:
    """Whether :data:`_LINE_END_HYPHEN` matches in ``text``: a hyphen, then spaces or tabs, a
    CR maybe and a line feed (looked for back from each line feed: a few per text, where the
    regex tries every character)."""
    feed = text.find("\n")
    while feed >= 0:
        before = feed - 1
        if before >= 0 and text[before] == "\r":
            before -= 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before >= 0 and text[before] in _HYPHENS:
            return True
        feed = text.find("\n", feed + 1)
    return False


@dataclass(frozen=True)
class NormalizedText:
    """A normalised text and the way back to the original.

    ``segments`` holds (normalised offset, original offset) pairs: from each pair on, characters
    correspond one to one until the next pair. A text without changes has a single pair.
    """

    text: str
    original: str
    segments: list[tuple[int, int]] = field(default_factory=lambda: [(0, 0)])

    def original_offset(self, index: int) -> int:
        """Offset in the original text of the normalised character at ``index``."""
        position = bisect_right(self.segments, (index, len(self.original) + 1)) - 1
        norm_start, orig_start = self.segments[max(position, 0)]
        return orig_start + (index - norm_start)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end); end exclusive."""
        if end <= start:
            offset = self.original_offset(start)
            return (offset, offset)
        return (self.original_offset(start), self.original_offset(end - 1) + 1)

    @cached_property
    def lowered(self) -> str:
        """The normalised text lower-cased (made once: the scan and the locator both ask)."""
        return self.text.lower()

    @property
    def to_original(self) -> list[int]:
        """Original offset of every normalised character (for tests and debugging)."""
        return [self.original_offset(i) for i in range(len(self.text))]


@lru_cache(maxsize=256)  # a text is often normalised twice: to decide, then to extract
def normalize(text: str) -> NormalizedText:
    """Normalise ``text`` for matching (see the module docstring for the rules)."""
    if text.isascii():
        present: tuple[str, ...] = ()
        may_break = "-\n" in text or "-\r" in text or "- " in text or "-\t" in text
    else:  # a test per character: faster than one search for a class of them
        present = tuple(char for char in _CHANGED if char in text)
        may_break = True
    joins = may_break and "\n" in text and _ends_a_line_with_a_hyphen(text)
    if not present and not joins:
        return NormalizedText(text, text)
    if not joins and not any(char in _INVISIBLE for char in present):
        return NormalizedText(_translate(text, present), text)  # nothing dropped: same offsets

    pieces: list[str] = []
    segments: list[tuple[int, int]] = [(0, 0)]
    norm_length = 0
    consumed = 0
    for match in _EDIT.finditer(text):
        start, end = match.span()
        if match.lastgroup == "hyphen":
            if _is_alnum_at(text, start - 1) and _is_alnum_at(text, end):
                replacement = "-" if _dash_is_real(text, start) else ""
            elif text[start] == "\u00ad":
                replacement, end = "", start + 1
            else:
                continue
        else:
            replacement = ""
        kept = _translate(text[consumed:start], present)
        pieces.append(kept)
        pieces.append(replacement)
        norm_length += len(kept) + len(replacement)
        consumed = end
        segments.append((norm_length, end))
    pieces.append(_translate(text[consumed:], present))
    return NormalizedText("".join(pieces), text, segments)


def _is_alnum_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()


def _dash_is_real(text: str, hyphen: int) -> bool:
    """True when the hyphen before a line break belongs to a dashed number: after a year that
    starts a number (``2011-`` of EudraCT) or after an inner block (``-003425-``). False when it
    splits a prefixed number (``NCT0150-``, ``NCT 0150-``) or a word (``regis-tered``)."""
    if text[hyphen] == "\u00ad":
        return False
    index = hyphen - 1
    while index >= 0 and text[index].isdigit():
        index -= 1
    run = text[index + 1 : hyphen]
    before = text[index] if index >= 0 else " "
    if not run or (before.isascii() and before.isalpha()):
        return False
    if before == "-":
        return True
    return len(run) == 4 and run[:2] in ("19", "20")
