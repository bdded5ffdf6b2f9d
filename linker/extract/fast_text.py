"""Exact fast equivalents of the classifier's text mechanics: sentence placing and word n-grams.

:func:`linker.extract.trial_report.place_sentences` and
:func:`linker.extract.trial_ngrams.ngrams` spend most of their time in three regular
expressions that begin with a look-behind (section labels, sentence ends, labels removed from
the words), which Python's ``re`` must try at every position of the text. Here each is found
the way its own definition says, but from the few positions where it can start:

- a label, ``(?:^|(?<=[.!?:;]\\s)|(?<=\\n))BODY``, can only start at the text's start or after
  a line break or a stop and a space, and needs a colon (or dash) and a space in the text;
  ``BODY`` is matched there, in order, as ``finditer`` would;
- a sentence end, ``(?<=[.!?])\\s+(?=…)``, is the same spaces found after their stop.

Each is used only while the model's pattern is the one it was written for (its source is
compared at import); otherwise the plain pattern runs. The equivalence tests compare the results
on the real abstracts and on generated texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from linker.extract import trial_ngrams
from linker.extract import trial_report as report
from linker.extract import trial_terms as terms
from linker.extract.trial_ngrams import NgramModel

_AFTER_BREAK = r"(?:^|(?<=[.!?:;]\s)|(?<=\n))"
_BREAK = re.compile(r"[.!?:;]\s|\n")


class BreakAnchored:
    """``finditer`` of a label pattern written ``_AFTER_BREAK + BODY``, found from its possible
    starts. ``BODY`` is spaces, a label of at most ``LABEL_LENGTH`` characters that holds none
    of the characters ``stops``, spaces, then one of ``stops`` and a space (``needs``): so a
    match ends at the first stop after its start, and each stop is reached only from the starts
    since the stop before it, and only if the text between holds, spaces aside, that few."""

    LABEL_LENGTH = 49

    def __init__(self, pattern: re.Pattern[str], body: str, stops: str) -> None:
        self.pattern = pattern
        self._body: re.Pattern[str] | None = None
        if pattern.pattern == _AFTER_BREAK + body:
            self._body = re.compile(body, pattern.flags)
        self._needs = re.compile(f"[{stops}]\\s")
        self._stops = re.compile(f"[{stops}]")

    @property
    def fast(self) -> bool:
        return self._body is not None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        body = self._body
        if body is None:
            yield from self.pattern.finditer(text)
            return
        if self._needs.search(text) is None:
            return
        end, previous = 0, -1
        for stop in [match.start() for match in self._stops.finditer(text)]:
            for start in self._starts_before(text, max(previous + 1, end), stop):
                match = body.match(text, start)
                if match is not None:
                    yield match
                    end = match.end()
                    break
            previous = stop

    def _starts_before(self, text: str, low: int, stop: int) -> list[int]:
        """The possible starts (the text's start, a break's end) from ``low`` up to ``stop``
        that leave at most ``LABEL_LENGTH`` characters, spaces aside, before it."""
        earliest = len(text[:stop].rstrip()) - self.LABEL_LENGTH  # where the label may begin
        if earliest > low:
            low = len(text[:earliest].rstrip())  # only spaces may stand before the label
        starts = [m.end() for m in _BREAK.finditer(text, max(low - 2, 0), stop + 1)]
        if low == 0:
            return [0, *starts]
        return [start for start in starts if start >= low]


_SECTION_BODY = r"\s*(?P<label>[A-Z][A-Za-z/&,\- ]{1,48}?)\s*:\s+"
SECTION_LABELS = BreakAnchored(report._SECTION_LABEL, _SECTION_BODY, ":")
WORD_LABELS = BreakAnchored(
    trial_ngrams._LABEL, r"\s*[A-Z][A-Za-z/&,\- ]{1,48}?\s*[:\u2014]\s+", ":\u2014"
)
_SENTENCE_END_SOURCE = r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])"
_STOP_THEN_SPACES = re.compile(r"[.!?]\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    """``trial_report._SENTENCE_END.split(text)``."""
    if report._SENTENCE_END.pattern != _SENTENCE_END_SOURCE:
        return report._SENTENCE_END.split(text)
    pieces: list[str] = []
    start = 0
    for match in _STOP_THEN_SPACES.finditer(text):
        pieces.append(text[start : match.start() + 1])
        start = match.end()
    pieces.append(text[start:])
    return pieces


_LABEL_PLACES: dict[str, str | None] = {}


def _label_place(label: str) -> str | None:
    place = _LABEL_PLACES.get(label, "")
    if place == "":
        if len(_LABEL_PLACES) > 4096:
            _LABEL_PLACES.clear()
        place = _LABEL_PLACES[label] = report._label_place(label)
    return place


def section_labels(abstract: str) -> list[re.Match[str]]:
    """The matches of ``trial_report._SECTION_LABEL`` in ``abstract``."""
    return list(SECTION_LABELS.finditer(abstract))


def word_labels(abstract: str, sections: list[re.Match[str]]) -> list[re.Match[str]]:
    """The matches of ``trial_ngrams._LABEL`` in ``abstract``, given its section labels: the
    same ones where the text has no dash (the two patterns differ only there)."""
    if SECTION_LABELS.fast and WORD_LABELS.fast and "\u2014" not in abstract:
        return sections
    return list(WORD_LABELS.finditer(abstract))


def place_sentences(
    title: str, abstract: str, labels: list[re.Match[str]]
) -> list[tuple[str, str]]:
    """``trial_report.place_sentences``, given the abstract's :func:`section_labels`."""
    placed: list[tuple[str, str]] = []
    if title.strip():
        placed.append((terms.TITLE, title.strip()))
    sections = report._sections(abstract, labels, _label_place)
    labelled = any(place is not None for place, _ in sections)
    unlabelled = terms.BODY if not labelled else terms.CONTEXT
    for place, text in sections:
        where = place or unlabelled
        for sentence in split_sentences(text):
            sentence = sentence.strip()
            if sentence:
                placed.append((where, sentence))
    return placed


def without_labels(abstract: str, labels: list[re.Match[str]]) -> str:
    """``trial_ngrams._LABEL.sub(" . ", abstract)``, given its :func:`word_labels`."""
    pieces: list[str] = []
    start = 0
    for match in labels:
        pieces.append(abstract[start : match.start()])
        start = match.end()
    if not pieces:
        return abstract
    pieces.append(abstract[start:])
    return " . ".join(pieces)


_TOKEN_SOURCE = r"[a-z][a-z'-]*[a-z]|[a-z]|\d+(?:\.\d+)?"
# The same tokens, a number captured as "" (the model writes it "0"): no pass to rename them.
_TOKEN_NUMBER_EMPTY = re.compile(r"([a-z][a-z'-]*[a-z]|[a-z])|\d+(?:\.\d+)?")


class FastWords:
    """``model.contributions(title, abstract)``, with the n-grams built and weighed by C
    loops: each weighted gram is known by its spelling with numbers as "" and ranked once."""

    def __init__(self, model: NgramModel) -> None:
        self.model = model
        self._exact = trial_ngrams._TOKEN.pattern == _TOKEN_SOURCE
        ranked = ranked_grams(model)
        self.ranked = ranked
        self._pairs = {self._spelled(gram): (gram, weight) for gram, weight in ranked}
        self._rank = {key: rank for rank, key in enumerate(self._pairs)}

    @staticmethod
    def _spelled(gram: str) -> str:
        return " ".join("" if word == "0" else word for word in gram.split(" "))

    def contributions(
        self, title: str, abstract: str, labels: list[re.Match[str]]
    ) -> list[tuple[str, float]]:
        """The weighted n-grams, given the abstract's :func:`word_labels`."""
        if not self._exact:
            return self.model.contributions(title, abstract)
        grams: set[str] = set()
        for part in (title, without_labels(abstract, labels)):
            words = _TOKEN_NUMBER_EMPTY.findall(part.lower())
            grams.update(words)
            grams.update(map(" ".join, zip(words, islice(words, 1, None), strict=False)))
        ordered = sorted(grams & self._pairs.keys(), key=self._rank.__getitem__)
        return list(map(self._pairs.__getitem__, ordered))


def ranked_grams(model: NgramModel) -> list[tuple[str, float]]:
    """The weighted grams of ``model``, in the order ``weigh`` gives them."""
    return sorted(((g, w) for g, w in model.weights.items() if w), key=_by_effect)


def _by_effect(item: tuple[str, float]) -> tuple[float, str]:
    return -abs(item[1]), item[0]
