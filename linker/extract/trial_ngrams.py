"""The learned word component of the trial-report classifier.

A logistic regression over word uni- and bigrams of the title and abstract, with the phrase-cue
score of :mod:`linker.extract.trial_report` as one more input. Its weights live in
``trial_ngrams.json`` next to this module and load with the standard library only. They were
fitted on the tuning half of the labelled real abstracts by ``bench/accuracy_classify.py --fit``;
the vocabulary left out words concentrated in one source corpus (topics such as breast cancer
or hypertension that would tell the corpus, not the design).

A record with no abstract is scored by a second model of the same form, fitted on titles alone
(``trial_title_ngrams.json``, ``bench/accuracy_classify.py --fit-titles``): its features are the
title's word uni- and bigrams and the 3- to 5-character pieces of its words (see
:func:`title_features`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("trial_ngrams.json")
TITLE_WEIGHTS_FILE = Path(__file__).with_name("trial_title_ngrams.json")
LETTER_GRAM_SIZES = (3, 4, 5)
LETTER_GRAM_MARK = "#"

# Section labels ("METHODS:", "RESEARCH DESIGN AND METHODS—") are layout, not words of the study.
_LABEL = re.compile(r"(?:^|(?<=[.!?:;]\s)|(?<=\n))\s*[A-Z][A-Za-z/&,\- ]{1,48}?\s*[:\u2014]\s+")
_WEIGHT = itemgetter(1)  # of a (gram, weight) pair
_TOKEN = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class NgramModel:
    """Weights of the word component; ``score`` is in logit units, a trial at ``threshold``."""

    bias: float
    phrase_weight: float
    threshold: float
    weights: dict[str, float]

    def contributions(self, title: str, abstract: str) -> list[tuple[str, float]]:
        """The n-grams of the text that carry a weight, largest effect first."""
        return self.weigh(ngrams(title, abstract))

    def weigh(self, grams: set[str]) -> list[tuple[str, float]]:
        """The features among ``grams`` that carry a weight, largest effect first."""
        weights = self.weights
        fired = [(gram, weights[gram]) for gram in grams & weights.keys()]
        return sorted(((g, w) for g, w in fired if w), key=lambda item: (-abs(item[1]), item[0]))

    def score(self, phrase_score: float, contributions: list[tuple[str, float]]) -> float:
        return self.score_of_sum(phrase_score, sum(map(_WEIGHT, contributions)))

    def score_of_sum(self, phrase_score: float, words: float) -> float:
        """:meth:`score` given the sum of the contributions' weights (in their order)."""
        return self.bias + self.phrase_weight * phrase_score + words


def ngrams(title: str, abstract: str) -> set[str]:
    """Lower-cased word uni- and bigrams of the title and of the abstract (numbers become 0)."""
    grams: set[str] = set()
    for part in (title, _LABEL.sub(" . ", abstract)):
        words = ["0" if w[0].isdigit() else w for w in _TOKEN.findall(part.lower())]
        grams.update(words)
        grams.update(f"{a} {b}" for a, b in pairwise(words))
    return grams


def title_features(title: str) -> set[str]:
    """The title model's features: word uni- and bigrams as :func:`ngrams`, and the 3- to
    5-character pieces of each space-separated word with its punctuation, a space marking its
    edges, marked ``#`` (``"# pla"``, ``"#ial:"``): a title has few words, and drug names,
    hyphenated designs and the colon before "a randomized trial" share such pieces.

    A full stop closing the title is dropped first: whether a list writes one is a matter of
    its export format (IntoValue's titles have none, PubMed's have one), not of the study."""
    title = title.strip().removesuffix(".").rstrip()
    grams = ngrams(title, "")
    for word in title.lower().split():
        padded = f" {word} "
        for size in LETTER_GRAM_SIZES:
            grams.update(
                LETTER_GRAM_MARK + padded[i : i + size] for i in range(len(padded) - size + 1)
            )
    return grams


def model_from_json(data: dict[str, object]) -> NgramModel:
    weights = data["ngrams"]
    if not isinstance(weights, dict):
        raise ValueError("ngrams must be an object")
    if set(map(type, weights)) == {str} and set(map(type, weights.values())) == {float}:
        weights = dict(weights)  # as decoded already (a copy: 5x faster than converting)
    else:
        weights = {str(k): float(v) for k, v in weights.items()}
    return NgramModel(
        bias=float(str(data["bias"])),
        phrase_weight=float(str(data["phrase_weight"])),
        threshold=float(str(data["threshold"])),
        weights=weights,
    )


def _load(path: Path) -> NgramModel:
    from linker.readers.fastjson import loads  # orjson where installed: the same floats

    data = loads(path.read_bytes())
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return model_from_json(data)


# Weights that replace the shipped ones inside :func:`models_replaced` (for the fitting scripts,
# which score each seed's refitted model through the classifier itself).
_REPLACED: dict[str, NgramModel] = {}


@contextmanager
def models_replaced(
    words: NgramModel | None = None, titles: NgramModel | None = None
) -> Iterator[None]:
    """Classify with ``words`` (the abstract model) and ``titles`` (the title-only model) in
    place of the shipped weights until the block ends."""
    before = dict(_REPLACED)
    for name, model in (("words", words), ("titles", titles)):
        if model is not None:
            _REPLACED[name] = model
    try:
        yield
    finally:
        _REPLACED.clear()
        _REPLACED.update(before)


def load_model() -> NgramModel:
    """The shipped weights (read once)."""
    return _REPLACED.get("words") or _shipped(WEIGHTS_FILE)


def load_title_model() -> NgramModel:
    """The shipped weights of the title-only model (read once)."""
    return _REPLACED.get("titles") or _shipped(TITLE_WEIGHTS_FILE)


@lru_cache(maxsize=2)
def _shipped(path: Path) -> NgramModel:
    return _load(path)
