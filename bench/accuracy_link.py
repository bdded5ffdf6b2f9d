"""Accuracy of the paper <-> registry record match score on real pairs (IntoValue).

True pairs: each IntoValue trial's registry title with the title of its results publication
(found by hand by the IntoValue team). False pairs: the same publication with another trial's
record - one chosen at random, one "hard" record whose title shares a content word (typically the
condition) with the publication title. Only titles are available offline, so this measures the
title evidence alone; abstracts, acronyms, conditions and interventions only add evidence.

Trials are split in two by a hash of their identifier: thresholds are chosen on the ``tune``
half, figures are reported on the ``test`` half.

    python bench/accuracy_link.py            # figures with the shipped thresholds
    python bench/accuracy_link.py --fit      # choose thresholds on the tune half, then report
"""

from __future__ import annotations

import argparse
import csv
import random
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from linker.link.score import DEFAULT, MatchThresholds, score_match
from linker.link.text import content_words
from linker.models import Publication, Registry
from linker.registries.interface import RegistryRecord
from linker.results import Verdict

SHARED = Path(__file__).resolve().parents[2] / "shared"
TRIALS_CSV = Path("data-real") / "intovalue_trials_publications.csv"
CROSSREG_CSV = Path("data-real") / "intovalue_crossreg_manual_validation.csv"
SEED = 20240601
# Largest share of true pairs the "mismatch" verdict may wrongly accuse on the tune half.
MAX_FALSE_ACCUSATION = 0.12


@dataclass(frozen=True)
class Pair:
    trial: str
    kind: str  # "true", "random" or "hard"
    paper_title: str
    record_title: str

    @property
    def same_trial(self) -> bool:
        return self.kind == "true"


@dataclass(frozen=True)
class Scored:
    pair: Pair
    score: float


def load_trials(shared: Path = SHARED) -> list[dict[str, str]]:
    with (shared / TRIALS_CSV).open(newline="", encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["pub_title"].strip() and row["title"].strip()
        ]


def split_of(trial_id: str) -> str:
    return "tune" if zlib.crc32(trial_id.encode()) % 2 == 0 else "test"


def build_pairs(rows: Sequence[dict[str, str]], seed: int = SEED) -> list[Pair]:
    """One true, one random false and (where one exists) one hard false pair per trial."""
    rng = random.Random(seed)
    titles = [frozenset(content_words(row["title"])) for row in rows]
    pairs: list[Pair] = []
    for row in rows:
        paper, own = row["pub_title"], row["title"]
        pairs.append(Pair(row["id"], "true", paper, own))
        others = [j for j in rng.sample(range(len(rows)), 400) if rows[j]["title"] != own]
        pairs.append(Pair(row["id"], "random", paper, rows[others[0]]["title"]))
        paper_words = frozenset(content_words(paper))
        hard = next((j for j in others if paper_words & titles[j]), None)
        if hard is not None:
            pairs.append(Pair(row["id"], "hard", paper, rows[hard]["title"]))
    return pairs


def score_pairs(pairs: Iterable[Pair]) -> list[Scored]:
    scored = []
    for pair in pairs:
        publication = Publication(
            key=pair.trial, title=pair.paper_title, file="-", line=1, end_line=1, ordinal=1
        )
        record = RegistryRecord(
            registry=Registry.CTGOV, id=pair.trial, url="-", public_title=pair.record_title
        )
        scored.append(Scored(pair, score_match(publication, record).score))
    return scored


@dataclass(frozen=True)
class Figures:
    pairs: int
    true_pairs: int
    accuracy: float
    precision: float
    recall: float
    false_match_random: float
    false_match_hard: float
    false_accusation: float
    mismatch_caught_random: float
    mismatch_caught_hard: float


def _rate(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def figures(scored: Sequence[Scored], thresholds: MatchThresholds) -> Figures:
    """The verdict `match` vs not, as a binary decision; and how often `mismatch` is wrong."""
    verdicts = [(s.pair, thresholds.verdict(s.score)) for s in scored]
    tp = sum(1 for p, v in verdicts if p.same_trial and v is Verdict.MATCH)
    fp = sum(1 for p, v in verdicts if not p.same_trial and v is Verdict.MATCH)
    fn = sum(1 for p, v in verdicts if p.same_trial and v is not Verdict.MATCH)
    tn = len(verdicts) - tp - fp - fn

    def of(kind: str, verdict: Verdict) -> float:
        return _rate([v is verdict for p, v in verdicts if p.kind == kind])

    return Figures(
        pairs=len(verdicts),
        true_pairs=tp + fn,
        accuracy=(tp + tn) / len(verdicts),
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=tp / (tp + fn) if tp + fn else 0.0,
        false_match_random=of("random", Verdict.MATCH),
        false_match_hard=of("hard", Verdict.MATCH),
        false_accusation=of("true", Verdict.MISMATCH),
        mismatch_caught_random=of("random", Verdict.MISMATCH),
        mismatch_caught_hard=of("hard", Verdict.MISMATCH),
    )


def fit(scored: Sequence[Scored]) -> MatchThresholds:
    """``match``: the threshold with the best match-vs-not accuracy. ``weak``: the highest
    threshold that wrongly calls at most MAX_FALSE_ACCUSATION of true pairs a mismatch."""
    grid = [round(0.01 * i, 2) for i in range(1, 100)]
    match = max(grid, key=lambda t: (figures(scored, MatchThresholds(t, 0.0)).accuracy, -t))
    true_scores = [s.score for s in scored if s.pair.same_trial]
    allowed = [
        t
        for t in grid
        if t <= match and _rate([x < t for x in true_scores]) <= MAX_FALSE_ACCUSATION
    ]
    return MatchThresholds(match=match, weak=max(allowed, default=0.0))


def crossreg_coverage(shared: Path, trial_ids: set[str]) -> tuple[int, int, int]:
    """Rows of the cross-registration validation, and how many have one side's title here."""
    with (shared / CROSSREG_CSV).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    joined = [r for r in rows if r["trn2"] in trial_ids]
    false_rows = [r for r in rows if r["is_true_crossreg"].upper() == "FALSE"]
    return len(rows), len(joined), len(false_rows)


def render(name: str, f: Figures) -> str:
    return (
        f"| {name} | {f.pairs} ({f.true_pairs} true) | {f.accuracy:.3f} | {f.precision:.3f} | "
        f"{f.recall:.3f} | {f.false_match_random:.3f} / {f.false_match_hard:.3f} | "
        f"{f.false_accusation:.3f} | {f.mismatch_caught_random:.3f} / "
        f"{f.mismatch_caught_hard:.3f} |"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--fit", action="store_true", help="choose thresholds on the tune half")
    args = parser.parse_args(argv)
    rows = load_trials(args.shared)
    scored = score_pairs(build_pairs(rows))
    tune = [s for s in scored if split_of(s.pair.trial) == "tune"]
    test = [s for s in scored if split_of(s.pair.trial) == "test"]
    thresholds = fit(tune) if args.fit else DEFAULT
    print(f"thresholds: match={thresholds.match} weak={thresholds.weak}")
    print(
        "| split | pairs | accuracy | precision | recall | false match (random / hard) | "
        "true pair called mismatch | false pair called mismatch (random / hard) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(render("tune", figures(tune, thresholds)))
    print(render("test (held out)", figures(test, thresholds)))
    total, joined, false_rows = crossreg_coverage(args.shared, {r["id"] for r in rows})
    print(
        f"cross-registration validation: {total} rows ({false_rows} false); {joined} have the "
        "CT.gov/DRKS side in IntoValue with a publication; EUCTR titles are not in the data."
    )


if __name__ == "__main__":
    main()
