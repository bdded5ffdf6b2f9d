"""Screening of abstract-model variants on 5 seeds (the ideas tried in docs/accuracy.md).

Usage::

    pip install numpy scipy scikit-learn    # screening only: not a dependency of the project
    python bench/abstract_variants.py [--variants NAME,...] [--gbm]

Each variant changes what the word model of ``linker/extract/trial_ngrams.py`` reads (or how
it is fitted) and is fitted, for each seed, exactly as ``accuracy_classify.py --refit`` fits the
shipped one: the seed's tuning half only, the vocabulary of :func:`ngram_vocabulary` (the
source-corpus filter included), class-balanced L2 logistic regression (here scikit-learn's
L-BFGS on the same objective, ten times faster than ``bench/logreg.py``), the balanced
threshold of the 5-fold out-of-fold scores. The held-out half is then decided as
``classify_text`` would decide it with that score (the rules that read secondary analyses and
protocols included) and counted against the labels as given. No choice looks at a held-out
record. Compare rows with each other: the "shipped" row differs from ``--refit``'s figures by
up to 0.007 in sensitivity + specificity per seed (optimiser tolerance, weights rounded in the
JSON).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from linker.extract import trial_terms as terms
from linker.extract.trial_ngrams import _LABEL, _TOKEN, ngrams
from linker.extract.trial_report import PlainReading, _by_text

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accuracy_classify as ac  # bench/ is not a package: its directory is put on the path

Features = Callable[["Case"], set[str]]


@dataclass(frozen=True)
class Case:
    """One labelled record as the variants read it."""

    record: ac.Record
    sentences: list[tuple[str, str]]
    cues: list[str]
    phrase: float
    report_if_trial: bool  # what classify_text says at score >= 0 ...
    report_if_not: bool  # ... and below 0 (a secondary analysis in the text is still one)

    @classmethod
    def of(cls, record: ac.Record) -> Case:
        reading = PlainReading(record.title, record.abstract)
        return cls(
            record,
            reading.sentences,
            [cue.feature for cue in reading.cues],
            terms.BIAS + sum(cue.weight for cue in reading.cues),
            _by_text(reading, 1.0) in ac.REPORTS,
            _by_text(reading, -1.0) in ac.REPORTS,
        )


def _words(text: str) -> list[str]:
    return ["0" if w[0].isdigit() else w for w in _TOKEN.findall(text.lower())]


def _grams(words: Sequence[str], longest: int = 2) -> set[str]:
    grams = set(words) | {f"{a} {b}" for a, b in pairwise(words)}
    if longest >= 3:
        grams |= {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    return grams


def shipped(case: Case) -> set[str]:
    return ngrams(case.record.title, case.record.abstract)


def title_apart(case: Case) -> set[str]:
    """The title's n-grams also as features of their own (``t:``)."""
    return shipped(case) | {"t:" + g for g in _grams(_words(case.record.title))}


def context_apart(case: Case) -> set[str]:
    """The n-grams of background / conclusion sentences also as features of their own."""
    context = [s for place, s in case.sentences if place == terms.CONTEXT]
    return shipped(case) | {"c:" + g for s in context for g in _grams(_words(s))}


def trigrams(case: Case) -> set[str]:
    record = case.record
    parts = (record.title, _LABEL.sub(" . ", record.abstract))
    return {g for part in parts for g in _grams(_words(part), 3)}


def all_three(case: Case) -> set[str]:
    return trigrams(case) | title_apart(case) | context_apart(case)


@dataclass(frozen=True)
class Variant:
    features: Features
    vocabulary: int = ac.WORDS_VOCABULARY
    prune_below: float = 0.0  # drop tuning records whose label has out-of-fold p below this
    boosted: bool = False
    balanced: bool = True  # class-balanced loss (else plain: the threshold does the balancing)


VARIANTS = {
    "shipped": Variant(shipped),
    "title-apart": Variant(title_apart),
    "context-apart": Variant(context_apart),
    "trigrams": Variant(trigrams),
    "all-three": Variant(all_three),
    "vocabulary-4000": Variant(shipped, 4000),
    "vocabulary-16000": Variant(shipped, 16000),
    "all-three-16000": Variant(all_three, 16000),
    "unbalanced-classes": Variant(shipped, balanced=False),
    "prune-0.05": Variant(shipped, prune_below=0.05),
    "prune-0.1": Variant(shipped, prune_below=0.1),
}
BOOSTED = Variant(lambda case: shipped(case) | set(case.cues), 3000, boosted=True)


class Fitter:
    """One seed's fitting: features, vocabulary, model, out-of-fold threshold."""

    def __init__(self, cases: Sequence[Case], grams: Sequence[set[str]], variant: Variant):
        self.cases, self.grams, self.variant = cases, grams, variant

    def matrix(self, rows: Sequence[int], vocabulary: Sequence[str]) -> sparse.csr_matrix:
        index = {g: j for j, g in enumerate(vocabulary)}
        cells = [(k, index[g]) for k, i in enumerate(rows) for g in self.grams[i] if g in index]
        ones = np.ones(len(cells))
        at = ([k for k, _ in cells], [j for _, j in cells])
        words = sparse.csr_matrix((ones, at), shape=(len(rows), len(vocabulary)))
        phrase = [[self.cases[i].phrase / ac.PHRASE_SCALE] for i in rows]
        return sparse.hstack([words, sparse.csr_matrix(phrase)]).tocsr()

    def model(self, x: sparse.csr_matrix, y: np.ndarray) -> LogisticRegression:
        if self.variant.boosted:
            boosted = HistGradientBoostingClassifier(
                max_iter=300, learning_rate=0.05, class_weight="balanced", random_state=0
            )
            return boosted.fit(x.toarray(), y)
        c = 1 / (len(y) * ac.WORDS_L2)
        weights = "balanced" if self.variant.balanced else None
        linear = LogisticRegression(C=c, class_weight=weights, max_iter=3000, tol=1e-6)
        return linear.fit(x, y)

    def scores(self, model: LogisticRegression, x: sparse.csr_matrix) -> np.ndarray:
        return model.decision_function(x.toarray() if self.variant.boosted else x)

    def out_of_fold(self, rows: list[int], vocabulary: list[str], seed: int) -> np.ndarray:
        x = self.matrix(rows, vocabulary)
        y = np.array([self.cases[i].record.is_trial for i in rows])
        folds = np.array([ac._fold(self.cases[i].record, seed) for i in rows])
        scores = np.zeros(len(rows))
        for k in range(5):
            fold = self.model(x[folds != k], y[folds != k])
            scores[folds == k] = self.scores(fold, x[folds == k])
        return scores

    def vocabulary(self, rows: Sequence[int]) -> list[str]:
        records = [self.cases[i].record for i in rows]
        grams = [self.grams[i] for i in rows]
        return ac.ngram_vocabulary(records, grams, self.variant.vocabulary, ac.WORDS_MIN_DF)

    def held_out_scores(self, tune: list[int], held: list[int], seed: int) -> np.ndarray:
        """Scores minus the threshold (a trial at >= 0) of the held-out rows."""
        train = tune
        if self.variant.prune_below:
            vocabulary = self.vocabulary(tune)
            p = 1 / (1 + np.exp(-self.out_of_fold(tune, vocabulary, seed)))
            labels = np.array([self.cases[i].record.is_trial for i in tune])
            agree = np.where(labels, p, 1 - p)
            train = [i for i, a in zip(tune, agree, strict=True) if a >= self.variant.prune_below]
        vocabulary = self.vocabulary(train)
        y = np.array([self.cases[i].record.is_trial for i in train])
        model = self.model(self.matrix(train, vocabulary), y)
        oof = self.out_of_fold(train, vocabulary, seed)
        threshold = ac.balanced_threshold(list(zip(oof.tolist(), y.tolist(), strict=True)))
        return self.scores(model, self.matrix(held, vocabulary)) - threshold


def tally(cases: Sequence[Case], held: Sequence[int], scores: np.ndarray) -> ac.Tally:
    counted = ac.Tally()
    for i, score in zip(held, scores, strict=True):
        case = cases[i]
        predicted = case.report_if_trial if score >= 0 else case.report_if_not
        counted.add(case.record.is_trial, predicted)
    return counted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ac.DEFAULT_DATA)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--gbm", action="store_true", help="also a gradient-boosted model")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"error: data not found: {args.data}", file=sys.stderr)
        return 2
    cases = [Case.of(record) for record in ac.load(args.data)]
    chosen = {name: VARIANTS[name] for name in args.variants.split(",") if name}
    if args.gbm:
        chosen["gradient-boosting"] = BOOSTED
    print("| variant | " + " | ".join(f"seed {s}" for s in ac.SEEDS) + " | mean sum |")
    print("|---|" + "---|" * (len(ac.SEEDS) + 1))
    for name, variant in chosen.items():
        grams = [variant.features(case) for case in cases]
        fitter = Fitter(cases, grams, variant)
        cells, sums = [], []
        for seed in ac.SEEDS:
            tune = [i for i, c in enumerate(cases) if ac.split_of(c.record.uid, seed) == "tune"]
            held = [i for i, c in enumerate(cases) if ac.split_of(c.record.uid, seed) != "tune"]
            t = tally(cases, held, fitter.held_out_scores(tune, held, seed))
            cells.append(f"{t.sensitivity:.3f} / {t.specificity:.3f}")
            sums.append(t.sensitivity + t.specificity)
        print(f"| {name} | " + " | ".join(cells) + f" | {np.mean(sums):.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
