"""Accuracy of the trial-report classifier on the labelled real abstracts.

Usage::

    python bench/accuracy_classify.py [--data PATH] [--split held-out|tune|all] [--fit]

Labels come from ``trial_label`` of ``unified_abstracts.jsonl.gz``: trial = ``rct`` or
``clinical_trial_non_rct``; not-trial = ``not_trial``; protocols and unlabelled records are left
out. Only records with a non-empty abstract count. Records are split by the SHA-256 of their
``uid``: even first 32 bits -> tuning half (weights and threshold were fitted there), odd ->
held-out half (reported). ``--fit`` refits the weights on the tuning half and prints them as
Python for ``linker/extract/trial_terms.py``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import random
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from linker.extract import trial_terms as terms
from linker.extract.trial_report import classify_text, find_cues, place_sentences
from linker.models import Classification

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data-real/abstracts/unified_abstracts.jsonl.gz"
)
TRIAL_LABELS = frozenset({"rct", "clinical_trial_non_rct"})
BASELINE = re.compile(r"randomi[sz]ed|randomly|trial", re.IGNORECASE)
REPORTS = frozenset({Classification.TRIAL_RESULTS, Classification.SECONDARY_ANALYSIS})


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


def uid_hash(uid: str) -> int:
    """The first 32 bits of the SHA-256 of a uid."""
    return int(hashlib.sha256(uid.encode()).hexdigest()[:8], 16)


def split_of(uid: str) -> str:
    """``tune`` or ``held-out``, fixed by the uid alone."""
    return "tune" if uid_hash(uid) % 2 == 0 else "held-out"


def load(path: Path) -> list[Record]:
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            label = row.get("trial_label")
            abstract = (row.get("abstract") or "").strip()
            if (label not in TRIAL_LABELS and label != "not_trial") or not abstract:
                continue
            pts = row.get("publication_types")
            records.append(
                Record(
                    uid=row["uid"],
                    source=row["source"],
                    title=row.get("title") or "",
                    abstract=abstract,
                    publication_types=tuple(pts) if pts is not None else None,
                    is_trial=label in TRIAL_LABELS,
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
    subset_pts = f"with PTs ({sum(bool(r.publication_types) for r in records)})"
    for record in records:
        text_only = classify_text(record.title, record.abstract).classification
        guesses = {
            (subset_all, "baseline regex"): baseline(record),
            (subset_all, "model, results+secondary"): text_only in REPORTS,
            (subset_all, "model, results only"): text_only in results_only,
        }
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


def fit(records: Sequence[Record], epochs: int = 40, rate: float = 0.05, l2: float = 1e-4) -> None:
    """Class-balanced L2 logistic regression (seeded SGD) on binary cue@place features, text
    only; printed as Python to paste into ``linker/extract/trial_terms.py``."""
    rows = [
        ({c.feature for c in find_cues(place_sentences(r.title, r.abstract))}, r.is_trial)
        for r in records
    ]
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
                w = weights.get(f, 0.0) * (1 - step * l2) - step * error
                weights[f] = _signed(f, w)
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
    scores = sorted(
        (bias + sum(weights.get(f, 0.0) for f in features), truth) for features, truth in rows
    )
    for threshold in (-1.0, -0.5, 0.0, 0.5, 1.0):
        t = Tally()
        for score, truth in scores:
            t.add(truth, score >= threshold)
        print(
            f"# tune, threshold {threshold:+.1f}: sens {t.sensitivity:.3f} spec {t.specificity:.3f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", choices=("held-out", "tune", "all"), default="held-out")
    parser.add_argument("--fit", action="store_true", help="refit weights on the tuning half")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"error: data not found: {args.data}", file=sys.stderr)
        return 2
    records = load(args.data)
    if args.fit:
        fit([r for r in records if r.split == "tune"])
        return 0
    chosen = [r for r in records if args.split == "all" or r.split == args.split]
    print(f"split: {args.split}, threshold {terms.THRESHOLD}, records {len(chosen)}")
    print_table(table(chosen), print)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
