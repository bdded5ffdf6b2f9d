"""The learned word component of the trial-report classifier.

A logistic regression over word uni- and bigrams of the title and abstract, with the phrase-cue
score of :mod:`linker.extract.trial_report` as one more input. Its weights live in
``trial_ngrams.json`` next to this module and load with the standard library only. They were
fitted on the tuning half of the labelled real abstracts by ``bench/accuracy_classify.py --fit``;
the vocabulary left out words concentrated in one source corpus (topics such as breast cancer
or hypertension that would tell the corpus, not the design).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("trial_ngrams.json")

# Section labels ("METHODS:", "RESEARCH DESIGN AND METHODS—") are layout, not words of the study.
_LABEL = re.compile(r"(?:^|(?<=[.!?:;]\s)|(?<=\n))\s*[A-Z][A-Za-z/&,\- ]{1,48}?\s*[:\u2014]\s+")
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
        weights = self.weights
        fired = [(gram, weights[gram]) for gram in ngrams(title, abstract) & weights.keys()]
        return sorted(((g, w) for g, w in fired if w), key=lambda item: (-abs(item[1]), item[0]))

    def score(self, phrase_score: float, contributions: list[tuple[str, float]]) -> float:
        return self.bias + self.phrase_weight * phrase_score + sum(w for _, w in contributions)


def ngrams(title: str, abstract: str) -> set[str]:
    """Lower-cased word uni- and bigrams of the title and of the abstract (numbers become 0)."""
    grams: set[str] = set()
    for part in (title, _LABEL.sub(" . ", abstract)):
        words = ["0" if w[0].isdigit() else w for w in _TOKEN.findall(part.lower())]
        grams.update(words)
        grams.update(f"{a} {b}" for a, b in pairwise(words))
    return grams


def model_from_json(data: dict[str, object]) -> NgramModel:
    weights = data["ngrams"]
    if not isinstance(weights, dict):
        raise ValueError("ngrams must be an object")
    return NgramModel(
        bias=float(str(data["bias"])),
        phrase_weight=float(str(data["phrase_weight"])),
        threshold=float(str(data["threshold"])),
        weights={str(k): float(v) for k, v in weights.items()},
    )


@lru_cache(maxsize=1)
def load_model() -> NgramModel:
    """The shipped weights (read once)."""
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{WEIGHTS_FILE}: expected a JSON object")
    return model_from_json(data)
