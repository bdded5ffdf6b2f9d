"""Accuracy of the trial-report classifier on the labelled real abstracts.

Usage::

    python bench/accuracy_classify.py [--data PATH] [--split held-out|tune|all]
    python bench/accuracy_classify.py --refit          # + both models refitted on 5 seeds
    python bench/accuracy_classify.py --fit            # word n-grams -> trial_ngrams.json
    python bench/accuracy_classify.py --fit-phrases    # phrase-cue weights, printed
    python bench/accuracy_classify.py --fit-titles     # title-only model -> trial_title_ngrams.json

Labels come from ``trial_label`` of ``unified_abstracts.jsonl.gz``: trial = ``rct`` or
``clinical_trial_non_rct``; not-trial = ``not_trial``; protocols and unlabelled records are left
out. Only records with a non-empty abstract count. Records are split by the SHA-256 of their
``uid`` (seed 0) or of ``"<seed>:<uid>"``: even first 32 bits -> tuning half (all weights and
thresholds are fitted there), odd -> held-out half (reported). ``--fit`` refits the word model
on seed 0's tuning half (pure Python L-BFGS, ``bench/logreg.py``; the threshold maximises
sensitivity + specificity of 5-fold out-of-fold scores) and writes
``linker/extract/trial_ngrams.json``; ``--refit`` does the same for each of 5 seeds and scores
each held-out half through the classifier; ``--fit-phrases`` prints phrase weights as Python for
``linker/extract/trial_terms.py``.

Titles only: the trial reports are the IntoValue results publications' titles
(``intovalue_pubmed_main.csv``, all reports of registered trials), the non-trials the labelled
non-trial records' titles. Both are split as above (seed 0) or by the SHA-256 of
``"<seed>:<uid>"``; for each of 5 seeds the title model is fitted on that seed's training titles
(its tuning half, the labelled titles that have no abstract, the registry titles of IntoValue
trials whose publication is not held out, the silver non-trials of ``bench/title_data.py``;
never a title equal to a held-out one, nor a record sharing a held-out record's PMID or DOI)
and scored on its held-out half. Fitting is pure Python (``bench/logreg.py``); the shipped model
needs nothing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import math
import random
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linker.extract import trial_terms as terms
from linker.extract.trial_ngrams import (
    TITLE_WEIGHTS_FILE,
    WEIGHTS_FILE,
    NgramModel,
    load_model,
    model_from_json,
    models_replaced,
    ngrams,
    title_features,
)
from linker.extract.trial_report import (
    classify_text,
    find_cues,
    is_trial_score,
    place_sentences,
)
from linker.models import Classification

sys.path.insert(0, str(Path(__file__).resolve().parent))
import logreg  # bench/ is not a package: its directory is put on the path above
import title_data

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data-real/abstracts/unified_abstracts.jsonl.gz"
)
INTOVALUE = Path(__file__).resolve().parents[2] / "shared/data-real/intovalue_pubmed_main.csv"
REGISTRY_TITLES = INTOVALUE.with_name("intovalue_trials_publications.csv")
SEEDS = (0, 1, 2, 3, 4)
TITLE_C = 0.1
TITLE_MIN_DF = 2
TITLE_INTOVALUE_WEIGHT = 3.0
TITLE_SPECIFICITY = 0.985
TITLE_BASELINE = re.compile(r"randomi[sz]ed", re.IGNORECASE)
TRIAL_LABELS = frozenset({"rct", "clinical_trial_non_rct"})
BASELINE = re.compile(r"randomi[sz]ed|randomly|trial", re.IGNORECASE)
# What missing-registration stands on: every kind of trial report needs a registration.
REPORTS = frozenset(
    {
        Classification.TRIAL_RESULTS,
        Classification.TRIAL_PROTOCOL,
        Classification.SECONDARY_ANALYSIS,
    }
)


@dataclass(frozen=True)
class Record:
    uid: str
    source: str
    title: str
    abstract: str
    publication_types: tuple[str, ...] | None
    is_trial: bool

    @property
    def split(self) -> str:
        return split_of(self.uid)


def uid_hash(uid: str, seed: int = 0) -> int:
    """The first 32 bits of the SHA-256 of a uid (seed 0) or of ``"<seed>:<uid>"``."""
    key = uid if seed == 0 else f"{seed}:{uid}"
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)


def split_of(uid: str, seed: int = 0) -> str:
    """``tune`` or ``held-out``, fixed by the uid (and the seed) alone."""
    return "tune" if uid_hash(uid, seed) % 2 == 0 else "held-out"


def _labelled_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The records of the abstracts file labelled trial or not-trial."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            label = row.get("trial_label")
            if label in TRIAL_LABELS or label == "not_trial":
                yield row


def load(path: Path) -> list[Record]:
    """The labelled records that have an abstract."""
    records = []
    for row in _labelled_rows(path):
        abstract = (row.get("abstract") or "").strip()
        if abstract:
            pts = row.get("publication_types")
            records.append(
                Record(
                    uid=row["uid"],
                    source=row["source"],
                    title=row.get("title") or "",
                    abstract=abstract,
                    publication_types=tuple(pts) if pts is not None else None,
                    is_trial=row["trial_label"] in TRIAL_LABELS,
                )
            )
    return records


@dataclass
class Tally:
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        if truth:
            self.tp += predicted
            self.fn += not predicted
        else:
            self.fp += predicted
            self.tn += not predicted

    @property
    def sensitivity(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else math.nan

    @property
    def specificity(self) -> float:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else math.nan


def baseline(record: Record) -> bool:
    return bool(BASELINE.search(record.title + "\n" + record.abstract))


def table(records: Sequence[Record]) -> list[tuple[str, str, Tally]]:
    """(subset, method, tally) rows: all records text-only, and the PT subset three ways."""
    rows: dict[tuple[str, str], Tally] = {}
    results_only = frozenset({Classification.TRIAL_RESULTS})
    subset_all = f"all ({len(records)})"
    subset_robot = f"RobotSearch ({sum(r.source.startswith('robotsearch') for r in records)})"
    subset_pts = f"with PTs ({sum(bool(r.publication_types) for r in records)})"
    for record in records:
        text_only = classify_text(record.title, record.abstract).classification
        guesses = {
            (subset_all, "baseline regex"): baseline(record),
            (subset_all, "model, any trial report"): text_only in REPORTS,
            (subset_all, "model, results only"): text_only in results_only,
        }
        if record.source.startswith("robotsearch"):
            # Both classes from one source: no corpus or topic difference to lean on.
            guesses[(subset_robot, "baseline regex")] = baseline(record)
            guesses[(subset_robot, "model, any trial report")] = text_only in REPORTS
        if record.publication_types:
            typed = classify_text(record.title, record.abstract, record.publication_types)
            guesses[(subset_pts, "baseline regex")] = baseline(record)
            guesses[(subset_pts, "model ignoring PTs")] = text_only in REPORTS
            guesses[(subset_pts, "model using PTs")] = typed.classification in REPORTS
        for key, guess in guesses.items():
            rows.setdefault(key, Tally()).add(record.is_trial, guess)
    return [(subset, name, tally) for (subset, name), tally in rows.items()]


def print_table(rows: Sequence[tuple[str, str, Tally]], out: Callable[[str], object]) -> None:
    out("| records | method | sensitivity | specificity | TP | FN | TN | FP |")
    out("|---|---|---|---|---|---|---|---|")
    for subset, name, t in rows:
        out(
            f"| {subset} | {name} | {t.sensitivity:.3f} | {t.specificity:.3f} "
            f"| {t.tp} | {t.fn} | {t.tn} | {t.fp} |"
        )


# --- fitting ----------------------------------------------------------------------------------


def _signed(feature: str, weight: float) -> float:
    """Keep every cue on its side: a trial-design cue never counts against a trial, a
    non-trial cue never for it (otherwise corpus quirks leak in as odd weights)."""
    name = feature.split("@")[0]
    if name in terms.POSITIVE or name.startswith("design_cues"):
        return max(weight, 0.0)
    if name in terms.NEGATIVE or name in terms.MASKS or name == "protocol_title":
        return min(weight, 0.0)
    return weight


def fit_phrases(
    records: Sequence[Record], epochs: int = 40, rate: float = 0.05, l2: float = 1e-4
) -> None:
    """Class-balanced L2 logistic regression (seeded SGD) on binary cue@place features, text
    only; printed as Python to paste into ``linker/extract/trial_terms.py``."""
    rows = [
        (
            {c.feature for c in find_cues(place_sentences(r.title, r.abstract))},
            r.is_trial,
        )
        for r in records
    ]
    weights, bias = _sgd(rows, epochs, rate, l2, _signed)
    nested: dict[str, dict[str, float]] = {}
    for feature, w in sorted(weights.items()):
        if abs(w) >= 0.05:
            name, place = feature.split("@")
            nested.setdefault(name, {})[place] = round(w, 1)
    print("WEIGHTS: Final[dict[str, dict[str, float]]] = {")
    for name, places in nested.items():
        print(f"    {name!r}: {places!r},")
    print("}")
    print(f"BIAS: Final = {round(bias, 1)}")


def _sgd(
    rows: Sequence[tuple[set[str], bool]],
    epochs: int,
    rate: float,
    l2: float,
    clip: Callable[[str, float], float] = lambda _, w: w,
) -> tuple[dict[str, float], float]:
    """Class-balanced L2 logistic regression by seeded SGD over binary features, each weight
    passed through ``clip`` after every step (the phrase weights keep their sign)."""
    positives = sum(truth for _, truth in rows)
    class_weight = {
        True: len(rows) / (2 * positives),
        False: len(rows) / (2 * (len(rows) - positives)),
    }
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(rows)))
    shuffler = random.Random(0)
    for epoch in range(epochs):
        shuffler.shuffle(order)
        step = rate / (1 + epoch * 0.1)
        for i in order:
            features, truth = rows[i]
            z = bias + sum(weights.get(f, 0.0) for f in features)
            error = (1 / (1 + math.exp(-max(min(z, 30), -30))) - truth) * class_weight[truth]
            bias -= step * error
            for f in features:
                w = weights.get(f, 0.0) * (1 - min(step * l2, 0.5)) - step * error
                weights[f] = clip(f, w)
    return weights, bias


PHRASE_SCALE = 3.0  # phrase scores span about -10..+15; scaled to the n-grams' 0/1
WORDS_VOCABULARY = 8000
WORDS_MIN_DF = 5
WORDS_L2 = 0.01


def ngram_vocabulary(
    records: Sequence[Record],
    grams: Sequence[set[str]],
    size: int = 3000,
    min_df: int = 8,
) -> list[str]:
    """The ``size`` n-grams that best tell trials apart, leaving out those that mostly come
    from one source corpus (their topic tells the corpus, not the study design)."""
    df: dict[str, int] = {}
    positive: dict[str, int] = {}
    by_source: dict[str, dict[str, int]] = {}
    for record, record_grams in zip(records, grams, strict=True):
        for gram in record_grams:
            df[gram] = df.get(gram, 0) + 1
            positive[gram] = positive.get(gram, 0) + record.is_trial
            sources = by_source.setdefault(gram, {})
            sources[record.source] = sources.get(record.source, 0) + 1
    trials = sum(r.is_trial for r in records)
    others = len(records) - trials
    ranked = []
    for gram, n in df.items():
        if n < min_df or max(by_source[gram].values()) > 0.6 * n:
            continue
        p, q = positive[gram], n - positive[gram]
        log_odds = math.log((p + 0.5) / (trials + 1)) - math.log((q + 0.5) / (others + 1))
        ranked.append((-abs(log_odds) * math.sqrt(n), gram))
    ranked.sort()
    return [gram for _, gram in ranked[:size]]


@dataclass(frozen=True)
class WordRecord:
    """What the word model reads of one record: its n-grams and its phrase score."""

    record: Record
    grams: frozenset[str]
    phrase: float

    @classmethod
    def of(cls, record: Record) -> WordRecord:
        return cls(
            record,
            frozenset(ngrams(record.title, record.abstract)),
            is_trial_score(record.title, record.abstract),
        )


def _fit_words(
    rows: Sequence[WordRecord], vocabulary: Sequence[str], start: logreg.Fitted | None = None
) -> logreg.Fitted:
    """Class-balanced L2 logistic regression (:mod:`logreg`) on the n-grams of ``vocabulary``
    and the phrase score (the last feature)."""
    index = {g: i for i, g in enumerate(vocabulary)}
    phrase = len(index)
    return logreg.fit(
        [[index[g] for g in row.grams if g in index] for row in rows],
        [row.record.is_trial for row in rows],
        phrase + 1,
        WORDS_L2,
        reals=[[(phrase, row.phrase / PHRASE_SCALE)] for row in rows],
        start=start,
    )


def _words_score(fitted: logreg.Fitted, vocabulary: Sequence[str], row: WordRecord) -> float:
    index = {g: i for i, g in enumerate(vocabulary)}
    present = [index[g] for g in row.grams if g in index]
    return fitted.score(present, [(len(index), row.phrase / PHRASE_SCALE)])


def balanced_threshold(scored: Sequence[tuple[float, bool]]) -> float:
    """The cut (score > cut is a trial) with the highest sensitivity + specificity: missing a
    trial (no missing-registration finding) and flagging a non-trial cost alike."""
    positives = sum(truth for _, truth in scored)
    negatives = len(scored) - positives
    best, best_j, tp, fp = math.inf, -1.0, 0, 0
    for score, truth in sorted(scored, reverse=True):
        tp, fp = tp + truth, fp + (not truth)
        j = tp / positives + (negatives - fp) / negatives
        if j > best_j:
            best, best_j = score, j
    return best - 1e-6


def fit_words(rows: Sequence[WordRecord], seed: int) -> dict[str, object]:
    """The word model for one seed's tuning half: the vocabulary (:func:`ngram_vocabulary`),
    weights by L-BFGS, and the threshold with the highest sensitivity + specificity of the
    5-fold out-of-fold scores."""
    records = [row.record for row in rows]
    vocabulary = ngram_vocabulary(
        records, [set(row.grams) for row in rows], WORDS_VOCABULARY, WORDS_MIN_DF
    )
    fitted = _fit_words(rows, vocabulary)
    folds = [_fold(record, seed) for record in records]
    held_scores: list[tuple[float, bool]] = []
    for k in range(5):
        # Warm-started from the full fit: the same (unique) optimum, found in fewer steps.
        train = [row for row, f in zip(rows, folds, strict=True) if f != k]
        fold = _fit_words(train, vocabulary, fitted)
        held_scores += [
            (_words_score(fold, vocabulary, r), r.record.is_trial)
            for r, f in zip(rows, folds, strict=True)
            if f == k
        ]
    threshold = balanced_threshold(held_scores)
    return {
        "about": "Word n-gram weights of linker/extract/trial_ngrams.py; written by "
        f"bench/accuracy_classify.py --fit on the tuning half of seed {seed}.",
        "bias": round(fitted.bias, 3),
        "phrase_weight": round(fitted.weights[-1] / PHRASE_SCALE, 3),
        "threshold": round(threshold, 3),
        "ngrams": {
            g: round(w, 3)
            for g, w in sorted(zip(vocabulary, fitted.weights, strict=False))
            if round(w, 3)
        },
    }


def word_rows(records: Sequence[Record], seeds: Sequence[int]) -> list[tuple[str, str, Tally]]:
    """Abstracts, text only: each seed's held-out half, by the shipped model and by the word
    model refitted on that seed's tuning half (the classifier's own decisions either way)."""
    rows: list[tuple[str, str, Tally]] = []
    words = {record.uid: WordRecord.of(record) for record in records}
    for seed in seeds:
        tune = [words[r.uid] for r in records if split_of(r.uid, seed) == "tune"]
        held = [r for r in records if split_of(r.uid, seed) == "held-out"]
        refitted = model_from_json(fit_words(tune, seed))
        subset = f"abstracts, seed {seed} ({sum(r.is_trial for r in held)} trials + "
        subset += f"{sum(not r.is_trial for r in held)} not)"
        shipped, fitted = Tally(), Tally()
        for record in held:
            shipped.add(record.is_trial, _is_report(record))
        with models_replaced(words=refitted):
            for record in held:
                fitted.add(record.is_trial, _is_report(record))
        rows += [(subset, "shipped model", shipped), (subset, "model fitted on this seed", fitted)]
    return rows


def _is_report(record: Record) -> bool:
    return classify_text(record.title, record.abstract).classification in REPORTS


# --- titles only ------------------------------------------------------------------------------


def load_intovalue_titles(path: Path) -> list[Record]:
    """The IntoValue results publications' titles: every one reports a registered trial."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Record(f"intovalue:{row['pmid']}", "intovalue", row["title"], "", None, True)
        for row in rows
        if row["title"].strip()
    ]


def load_labelled_titles(path: Path) -> list[Record]:
    """Labelled records of the abstracts file that have a title but no abstract: never in a
    held-out half (those need an abstract), so every one may train the title model."""
    return [
        Record(
            row["uid"],
            row["source"],
            (row.get("title") or "").strip(),
            "",
            None,
            row["trial_label"] in TRIAL_LABELS,
        )
        for row in _labelled_rows(path)
        if (row.get("title") or "").strip() and not (row.get("abstract") or "").strip()
    ]


def load_registry_titles(path: Path) -> list[tuple[str, Record]]:
    """IntoValue trials' registry titles (trial descriptions, all trials), each with the uid of
    its results publication ("" when it has none), so that a seed can leave out the trials whose
    publication is held out."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (
            f"intovalue:{row['pmid']}" if row["pmid"].strip() else "",
            Record(f"registry:{row['id']}", "registry", row["title"], "", None, True),
        )
        for row in rows
        if row["title"].strip()
    ]


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


@dataclass(frozen=True)
class TitleData:
    """Everything the title model may learn from, beside the split halves: ``ids`` holds the
    PMID / DOI keys of every record (:func:`title_data.publication_ids`)."""

    labelled_titles: Sequence[Record] = ()
    registry_titles: Sequence[tuple[str, Record]] = ()
    silver_negatives: Sequence[Record] = ()
    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)


def load_silver_negatives(path: Path) -> list[Record]:
    """The unlabelled public-health titles taken as non-trials (:mod:`title_data`)."""
    return [
        Record(uid, title_data.SILVER_SOURCE, title, "", None, False)
        for uid, title in title_data.silver_negatives(path)
    ]


def title_training(
    tune: Sequence[Record], held: Sequence[Record], extra: TitleData, seed: int
) -> list[Record]:
    """The title model's training records for one seed: the tuning half, the labelled titles
    without abstract, the registry titles of trials whose publication is not held out, the
    silver non-trials; never a title that is also a held-out title, nor a record that shares a
    PMID or DOI with a held-out one."""
    held_keys = {_title_key(r.title) for r in held}
    registry = [
        record
        for publication, record in extra.registry_titles
        if not publication or split_of(publication, seed) == "tune"
    ]
    candidates = [
        r
        for r in [*tune, *extra.labelled_titles, *registry, *extra.silver_negatives]
        if r.title.strip() and _title_key(r.title) not in held_keys
    ]
    keep = title_data.unseen([r.uid for r in candidates], [r.uid for r in held], extra.ids)
    return [r for r, kept in zip(candidates, keep, strict=True) if kept]


@dataclass(frozen=True)
class TitleMatrix:
    """The training titles as rows of feature indices (features in at least ``TITLE_MIN_DF``
    titles), their labels and how much each counts beyond class balance."""

    names: list[str]
    rows: list[list[int]]
    labels: list[bool]
    emphasis: list[float]

    @classmethod
    def of(cls, records: Sequence[Record]) -> TitleMatrix:
        counts: dict[str, int] = {}
        features = [title_features(r.title) for r in records]
        for grams in features:
            for gram in grams:
                counts[gram] = counts.get(gram, 0) + 1
        names = sorted(g for g, n in counts.items() if n >= TITLE_MIN_DF)
        index = {g: i for i, g in enumerate(names)}
        return cls(
            names=names,
            rows=[[index[g] for g in grams if g in index] for grams in features],
            labels=[r.is_trial for r in records],
            emphasis=[TITLE_INTOVALUE_WEIGHT if r.source == "intovalue" else 1.0 for r in records],
        )

    def fit(
        self, keep: Sequence[int], c: float, start: logreg.Fitted | None = None
    ) -> logreg.Fitted:
        """Class-balanced L2 logistic regression (:mod:`logreg`, pure Python) on the rows
        ``keep``. IntoValue's own titles count ``TITLE_INTOVALUE_WEIGHT`` times: they are the
        kind of title the model is for (results publications of registered trials, many of
        which do not name their design)."""
        labels = [self.labels[i] for i in keep]
        balance = logreg.balanced_weights(labels)
        weights = [w * self.emphasis[i] for w, i in zip(balance, keep, strict=True)]
        return logreg.fit(
            [self.rows[i] for i in keep],
            labels,
            len(self.names),
            1 / (c * len(keep)),
            row_weights=weights,
            start=start,
        )


def _fold(record: Record, seed: int) -> int:
    return (uid_hash(record.uid, seed) >> 8) % 5


# A title model that never calls a trial: what the classifier still calls a trial report under
# it is called so by its rules, whatever the title model's score.
_NEVER_A_TRIAL = NgramModel(bias=-1e9, phrase_weight=0.0, threshold=0.0, weights={})


def _called_by_rules(title: str) -> bool:
    """Whether the classifier calls a title-only record a trial report whatever the title
    model scores: the design rule, or a protocol or secondary-analysis title that names a
    trial."""
    with models_replaced(titles=_NEVER_A_TRIAL):
        return classify_text(title, "").classification in REPORTS


def title_threshold(negatives: Sequence[tuple[float, bool]], specificity: float) -> float:
    """The lowest score cut (score >= cut is a trial) at which at most ``1 - specificity`` of
    the negatives are called trials, counting those the classifier's rules call trials whatever
    the score (each negative is ``(score, called by the rules)``, :func:`_called_by_rules`)."""
    allowed = int(len(negatives) * (1 - specificity)) - sum(named for _, named in negatives)
    scores = sorted((score for score, named in negatives if not named), reverse=True)
    if allowed < 0 or not scores:
        return math.inf
    return scores[allowed] + 1e-6 if allowed < len(scores) else scores[-1]


def fit_titles(training: Sequence[Record], seed: int, c: float = TITLE_C) -> dict[str, object]:
    """The title model for one seed's training records (:func:`title_training`): the threshold
    keeps the 5-fold out-of-fold specificity (the rules' calls included) at
    ``TITLE_SPECIFICITY`` on the negatives of the kind that is held out (titles of labelled
    records with an abstract; the titles without one are mostly letters and editorials, easier
    to tell): a false missing-registration finding is what a title-only list must avoid; the
    sensitivity is what the titles allow."""
    matrix = TitleMatrix.of(training)
    fitted = matrix.fit(range(len(training)), c)
    negatives: list[tuple[float, bool]] = []
    folds = [_fold(r, seed) for r in training]
    for k in range(5):
        # Warm-started from the full fit: the same (unique) optimum, found in fewer steps.
        fold = matrix.fit([i for i, f in enumerate(folds) if f != k], c, start=fitted)
        negatives += [
            (fold.score(matrix.rows[i]), _called_by_rules(training[i].title))
            for i, f in enumerate(folds)
            if f == k and not training[i].is_trial and training[i].abstract
        ]
    threshold = title_threshold(negatives, TITLE_SPECIFICITY)
    return {
        "about": "Title-only model of linker/extract/trial_ngrams.py (title_features); written "
        f"by bench/accuracy_classify.py --fit-titles on the training titles of seed {seed}.",
        "bias": round(fitted.bias, 3),
        "phrase_weight": 0.0,
        "threshold": round(threshold, 3),
        "ngrams": {
            g: round(w, 3) for g, w in zip(matrix.names, fitted.weights, strict=True) if round(w, 3)
        },
    }


def title_halves(
    records: Sequence[Record], intovalue: Sequence[Record], seed: int
) -> tuple[list[Record], list[Record]]:
    """(tuning half: IntoValue and every labelled title; held-out half: IntoValue titles and
    the labelled non-trial titles) of one seed."""
    tune = [r for r in [*intovalue, *records] if split_of(r.uid, seed) == "tune"]
    negatives = [r for r in records if not r.is_trial and r.title.strip()]
    held = [r for r in [*intovalue, *negatives] if split_of(r.uid, seed) == "held-out"]
    return tune, held


def title_rows(
    records: Sequence[Record],
    intovalue: Sequence[Record],
    refit: bool,
    extra: TitleData = TitleData(),
) -> list[tuple[str, str, Tally]]:
    """Titles only: held-out IntoValue titles against held-out non-trial titles, per seed."""
    rows: list[tuple[str, str, Tally]] = []
    for seed in SEEDS if refit else (0,):
        tune, held = title_halves(records, intovalue, seed)
        trials = sum(r.is_trial for r in held)
        subset = f"titles, seed {seed} ({trials} trials + {len(held) - trials} not)"
        guesses: dict[str, list[bool]] = {
            "baseline randomi[sz]ed": [bool(TITLE_BASELINE.search(r.title)) for r in held],
            "shipped model": [classify_text(r.title, "").classification in REPORTS for r in held],
        }
        if refit:
            model = model_from_json(fit_titles(title_training(tune, held, extra, seed), seed))
            guesses["title model fitted on this seed"] = [
                model.score(0.0, model.weigh(title_features(r.title))) >= model.threshold
                or _called_by_rules(r.title)
                for r in held
            ]
        for name, guess in guesses.items():
            tally = Tally()
            for record, predicted in zip(held, guess, strict=True):
                tally.add(record.is_trial, predicted)
            rows.append((subset, name, tally))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("held-out", "tune", "all"), default="held-out")
    parser.add_argument(
        "--fit",
        action="store_true",
        help="refit the word n-gram weights on the tuning half",
    )
    parser.add_argument(
        "--fit-phrases",
        action="store_true",
        help="refit the phrase-cue weights (printed)",
    )
    parser.add_argument(
        "--fit-titles", action="store_true", help="refit the title-only model (seed 0)"
    )
    parser.add_argument("--intovalue", type=Path, default=INTOVALUE)
    parser.add_argument("--registry", type=Path, default=REGISTRY_TITLES)
    parser.add_argument(
        "--titles-refit",
        action="store_true",
        help="also refit the title model on each seed's training titles",
    )
    parser.add_argument(
        "--refit",
        action="store_true",
        help="refit both models on each of 5 seeds and score each seed's held-out half",
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"error: data not found: {args.data}", file=sys.stderr)
        return 2
    records = load(args.data)
    tune = [r for r in records if r.split == "tune"]
    if args.fit:
        data = fit_words([WordRecord.of(r) for r in tune], 0)
        WEIGHTS_FILE.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", "utf-8")
        print(f"# wrote {WEIGHTS_FILE}: {len(data['ngrams'])} n-grams")  # type: ignore[arg-type]
        return 0
    if args.fit_phrases:
        fit_phrases(tune)
        return 0
    intovalue = load_intovalue_titles(args.intovalue) if args.intovalue.exists() else []
    extra = TitleData(
        load_labelled_titles(args.data),
        load_registry_titles(args.registry) if args.registry.exists() else (),
        load_silver_negatives(args.data),
        title_data.publication_ids(args.data, args.intovalue),
    )
    if args.fit_titles:
        tune_titles, held_titles = title_halves(records, intovalue, 0)
        data = fit_titles(title_training(tune_titles, held_titles, extra, 0), 0)
        text = json.dumps(data, indent=0, ensure_ascii=False) + "\n"
        TITLE_WEIGHTS_FILE.write_text(text, encoding="utf-8")
        print(f"# wrote {TITLE_WEIGHTS_FILE}: {len(data['ngrams'])} features")  # type: ignore[arg-type]
        return 0
    chosen = [r for r in records if args.split == "all" or r.split == args.split]
    model = load_model()
    print(f"split: {args.split}, word-model threshold {model.threshold}, records {len(chosen)}")
    print_table(table(chosen), print)
    if args.refit:
        print("\nabstracts, text only, per seed (word model refitted on each tuning half):")
        print_table(word_rows(records, SEEDS), print)
    if intovalue:
        print("\ntitles only (IntoValue results titles + non-trial titles, held-out halves):")
        print_table(title_rows(records, intovalue, args.titles_refit or args.refit, extra), print)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
