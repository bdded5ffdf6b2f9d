"""Text normalisation for comparing papers with registry records.

Both sides are folded the same way: unicode to ASCII, lower case, punctuation to spaces, British
to American ``-ise`` spellings, plural ``s`` dropped, and words that say nothing about *which*
trial this is (function words and trial boilerplate such as "randomised controlled trial")
removed, so that similarity measures the subject of the trial rather than its genre.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: Final = word_set(
    """a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing during each either few for from further
    had has have having he her here hers him his how i if in into is it its itself may me might
    more most my no nor not of off on once only or other our out over own per same she should so
    some such than that the their them then there these they this those through to too under
    until up upon very via vs versus was we were what when where whether which while who whom why
    will with within without would you your"""
)

# Words of every trial's title: they make unrelated trials look alike.
TRIAL_BOILERPLATE: Final = word_set(
    """trial study studie rct randomize randomized randomly controlled control placebo blind
    double single open label multicentre multicenter multicentric center centre phase pilot
    feasibility prospective parallel group arm evaluate evaluation evaluating assess assessment
    assessing investigate investigating compare compared comparing comparison comparative effect
    effectiveness efficacy safety tolerability result final report outcome patient participant
    subject people adult treatment treating therapy use using based term randomization"""
)

_WORD = re.compile(r"[a-z0-9]+")
# "anti-depressant", "long-term": joined, so that they equal "antidepressant", "longterm".
_PREFIX_HYPHEN = re.compile(
    r"\b(anti|non|pre|post|co|re|long|short|self|multi|sub|semi|de|over|under)[-\u2010\u2011 ]"
    r"(?=[a-z])"
)


def fold(text: str) -> str:
    """Unicode-folded, lower-case text (accents dropped, ``ß`` -> ``ss``)."""
    if text.isascii():  # nothing to decompose or drop: the same string, sooner
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _NOT_ASCII.sub(_without_combining, decomposed)


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _without_combining(character: re.Match[str]) -> str:
    return "" if unicodedata.combining(character.group()) else character.group()


_BRITISH_ISE = re.compile(r"is(ation|ing|ed|e)$")
_BRITISH_OUR = re.compile(r"our$")


@lru_cache(maxsize=65_536)
def _canonical_word(word: str) -> str:
    if len(word) > 5:
        word = _BRITISH_ISE.sub(r"iz\1", word)
        word = _BRITISH_OUR.sub("or", word)
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


@lru_cache(maxsize=4096)
def content_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` that can tell one trial from another, in order."""
    joined = _PREFIX_HYPHEN.sub(r"\1", fold(text).replace("\u2013", "-"))
    words = (_canonical_word(w) for w in _WORD.findall(joined))
    return tuple(w for w in words if w not in STOP_WORDS and w not in TRIAL_BOILERPLATE)


def normalise(text: str) -> str:
    """``text`` as a space-separated string of its content words."""
    return " ".join(content_words(text))
