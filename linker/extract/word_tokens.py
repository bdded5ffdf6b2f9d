"""The word model's tokens written out by a few whole-string C operations, no regex.

:func:`linker.extract.trial_ngrams.ngrams` takes the tokens of ``part.lower()`` by
``_TOKEN.findall`` (``[a-z][a-z'-]*[a-z]|[a-z]|\\d+(?:\\.\\d+)?``, numbers renamed ``0``) and
pairs neighbours into bigrams. :func:`spaced_tokens` writes the same tokens as one ASCII string,
each between single spaces, built from ``lower``, ``encode``, ``translate``, ``replace`` and
``split`` only:

- every character becomes its kind: a letter ``a``-``z``, ``'`` and ``-`` stay themselves, a
  (Unicode) decimal digit becomes ``0``, anything else a space;
- each digit is a number, written apart from its neighbours (``12`` is ``0 0``);
- an apostrophe or hyphen that does not stand between letters of one run (at its start or its
  end, next to a space or a number) is not part of a token: it becomes a space;
- runs of spaces become one.

A word token is a run of ``[a-z'-]`` from its first letter to its last, so the words come out
exactly. Numbers come out more often than ``findall`` finds them: ``12`` and ``1.2`` are one
number to the pattern and two here. Only the bigram ``0 0`` can tell (a unigram is a set
member, and a number beside a word is a number however many digits stand there), so
:func:`numbers_adjacent` answers it exactly. Used only while ``trial_ngrams._TOKEN`` is the
pattern written for (:data:`TOKEN_SOURCE`).
"""

from __future__ import annotations

import codecs
import re

TOKEN_SOURCE = r"[a-z][a-z'-]*[a-z]|[a-z]|\d+(?:\.\d+)?"
NUMBER_PAIR = "0 0"

_KEPT = frozenset(b"abcdefghijklmnopqrstuvwxyz'-")
_KINDS = bytes(
    code if code in _KEPT else (0x30 if 0x30 <= code <= 0x39 else 0x20) for code in range(256)
)
_KINDS_JOINED = b"|" + _KINDS[1:]  # NUL, the joint of two parts, is neither token nor space
_ERRORS = "trial-linker-token-kind"
# An apostrophe or hyphen run that ends (starts) at a space: the space stands for anything that
# is not a letter of its run, so the run is not inside a token. (The definition: _spaced
# blanks these runs by ``replace``, 2x faster; the tests compare the two.)
_EDGE_END = re.compile(rb"['-]['-]* ")
_EDGE_START = re.compile(rb" ['-]+")


def _non_ascii_kind(error: UnicodeError) -> tuple[str, int]:
    """Each character ``encode`` cannot write as its kind: ``0`` for a decimal digit (``\\d``
    matches those), a space for anything else (never part of a token)."""
    assert isinstance(error, UnicodeEncodeError)
    chars = error.object[error.start : error.end]
    return "".join("0" if char.isdecimal() else " " for char in chars), error.end


codecs.register_error(_ERRORS, _non_ascii_kind)


def spaced_tokens(part: str) -> bytes:
    """The tokens of ``part`` (lower-cased here), ``b" tok tok 0 0 tok "``: see the module."""
    return spaced_lowered(part.lower())


def spaced_lowered(lowered: str) -> bytes:
    """:func:`spaced_tokens` of a part already lower-cased."""
    return _spaced(lowered, _KINDS)


def spaced_pair(first: str, second: str) -> bytes | None:
    """The spaced tokens of two parts already lower-cased, in one string: ``b" a b | c d "``,
    where ``|`` (a NUL joining them) stands where no token does, so nothing found in the
    string spans the two; None when a part holds a NUL itself."""
    if "\x00" in first or "\x00" in second:
        return None
    return _spaced(f"{first} \x00 {second}", _KINDS_JOINED)


def _spaced(lowered: str, table: bytes) -> bytes:
    kinds = lowered.encode("ascii", _ERRORS).translate(table)
    kinds = b" " + kinds.replace(b"0", b" 0 ") + b" "
    # The runs that end (then those that start) at a space become spaces, a character a pass
    # (runs are short): what _EDGE_END.sub then _EDGE_START.sub give, spaces aside.
    while b"- " in kinds or b"' " in kinds:
        kinds = kinds.replace(b"- ", b"  ").replace(b"' ", b"  ")
    while b" -" in kinds or b" '" in kinds:
        kinds = kinds.replace(b" -", b"  ").replace(b" '", b"  ")
    return b" " + b" ".join(kinds.split()) + b" "


# Two numbers in a row: a digit, then a gap without letters or digits that is not the one dot
# of a decimal (``1.2``), then a digit; or three digit runs joined by dots (``1.2.3`` is
# ``1.2`` and ``3``).
# (The leading digit is written once, outside the alternatives: ``re`` then skips to digits.)
_NUMBERS_ADJACENT = re.compile(r"\d(?:(?:[^a-z\d.]|\.[^a-z\d])[^a-z\d]*\d|\.\d+\.\d)")


def numbers_adjacent(part: str) -> bool:
    """Whether two number tokens follow each other in ``part`` (the bigram ``0 0``)."""
    return numbers_adjacent_lowered(part.lower())


def numbers_adjacent_lowered(lowered: str) -> bool:
    """:func:`numbers_adjacent` of a part already lower-cased."""
    return _NUMBERS_ADJACENT.search(lowered) is not None
