"""Accuracy of the paper <-> registry record linker on real pairs (IntoValue), with titles only.

True pairs: each IntoValue trial's registry title with the title of its results publication
(found by hand by the IntoValue team). Swapped pairs: the same publication with another trial's
record - one chosen at random, and one "hard" record whose title shares a distinctive word
(typically the condition) with the publication title. Titles are the only evidence IntoValue
holds for both sides, so this is the hardest case: every other field is missing and the linker
must cope with that.

For each seed the trials are split at random into a tune half and a test half; the thresholds
(and, with ``--fit``, the weights) are chosen on the tune half and the figures are reported on
the test half. The figures are what ``check`` reports: a ``registry-mismatch`` finding for a
``mismatch`` verdict, at error only when the mismatch is conclusive.

    python bench/accuracy_link.py                 # 5 seeds, shipped weights, thresholds refit
    python bench/accuracy_link.py --shipped       # shipped weights and thresholds, 5 seeds
    python bench/accuracy_link.py --seeds 1 2 3   # other seeds
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from linker.link.evidence import GENERIC_WORDS
from linker.link.score import DEFAULT, MatchThresholds, score_match
from linker.link.text import content_words
from linker.models import Publication, Registry
from linker.registries.interface import RegistryRecord
from linker.results import MatchScore, Verdict

SHARED = Path(__file__).resolve().parents[2] / "shared"
TRIALS_CSV = Path("data-real") / "intovalue_trials_publications.csv"
SEEDS = (1, 2, 3, 4, 5)
# The share of the tune half's true pairs that may get any registry-mismatch finding.
MAX_TRUE_FINDINGS = 0.04
KINDS = ("true", "random", "hard")


@dataclass(frozen=True)
class Pair:
    trial: str
    kind: str  # "true", "random" or "hard"
    paper_title: str
    record_title: str


@dataclass(frozen=True)
class Scored:
    pair: Pair
    match: MatchScore


def load_trials(shared: Path = SHARED) -> list[dict[str, str]]:
    with (shared / TRIALS_CSV).open(newline="", encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["pub_title"].strip() and row["title"].strip()
        ]


def _distinctive(title: str) -> frozenset[str]:
    return frozenset(w for w in content_words(title) if len(w) >= 4 and w not in GENERIC_WORDS)


def build_pairs(rows: Sequence[dict[str, str]], seed: int) -> list[Pair]:
    """One true, one random swapped and (where one exists) one hard swapped pair per trial."""
    rng = random.Random(seed)
    titles = [_distinctive(row["title"]) for row in rows]
    pairs: list[Pair] = []
    for row in rows:
        paper, own = row["pub_title"], row["title"]
        pairs.append(Pair(row["id"], "true", paper, own))
        others = [j for j in rng.sample(range(len(rows)), 400) if rows[j]["title"] != own]
        pairs.append(Pair(row["id"], "random", paper, rows[others[0]]["title"]))
        paper_words = _distinctive(paper)
        hard = next((j for j in others if paper_words & titles[j]), None)
        if hard is not None:
            pairs.append(Pair(row["id"], "hard", paper, rows[hard]["title"]))
    return pairs


def split(rows: Sequence[dict[str, str]], seed: int) -> set[str]:
    """The trial ids of the tune half for ``seed``."""
    ids = sorted(row["id"] for row in rows)
    random.Random(seed).shuffle(ids)
    return set(ids[: len(ids) // 2])


def score_pairs(pairs: Sequence[Pair]) -> list[Scored]:
    """Scores with an ``match=1, weak=1`` threshold, so every pair carries its evidence."""
    everything = MatchThresholds(match=1.0, weak=1.0)
    scored = []
    for pair in pairs:
        publication = Publication(
            key=pair.trial, title=pair.paper_title, file="-", line=1, end_line=1, ordinal=1
        )
        record = RegistryRecord(
            registry=Registry.CTGOV, id=pair.trial, url="-", public_title=pair.record_title
        )
        scored.append(Scored(pair, score_match(publication, record, everything)))
    return scored


@dataclass(frozen=True)
class Rates:
    pairs: int
    any_finding: float
    error: float


def _finding(scored: Scored, thresholds: MatchThresholds) -> tuple[bool, bool]:
    """(any registry-mismatch finding, at error) as ``check`` reports them."""
    mismatch = thresholds.verdict(scored.match.score) is Verdict.MISMATCH
    return mismatch, mismatch and scored.match.conclusive is True


def rates(scored: Sequence[Scored], thresholds: MatchThresholds) -> dict[str, Rates]:
    out = {}
    for kind in KINDS:
        findings = [_finding(s, thresholds) for s in scored if s.pair.kind == kind]
        n = len(findings)
        out[kind] = Rates(
            pairs=n,
            any_finding=sum(f for f, _ in findings) / n if n else 0.0,
            error=sum(e for _, e in findings) / n if n else 0.0,
        )
    return out


def fit_thresholds(tune: Sequence[Scored]) -> MatchThresholds:
    """``weak`` (below it: a finding): the highest threshold that gives at most
    MAX_TRUE_FINDINGS of the tune half's true pairs a finding. ``match``: the threshold with the
    best match-vs-not accuracy of true against random and hard swapped pairs."""
    grid = [round(0.01 * i, 2) for i in range(1, 100)]
    true = [s.match.score for s in tune if s.pair.kind == "true"]
    swapped = [s.match.score for s in tune if s.pair.kind != "true"]
    allowed = [t for t in grid if sum(x < t for x in true) <= MAX_TRUE_FINDINGS * len(true)]
    weak = max(allowed, default=0.0)

    def accuracy(t: float) -> float:
        return sum(x >= t for x in true) + sum(x < t for x in swapped)

    match = max((t for t in grid if t >= weak), key=lambda t: (accuracy(t), -t))
    return MatchThresholds(match=match, weak=weak)


def report_seed(
    rows: Sequence[dict[str, str]], seed: int, shipped: bool
) -> tuple[MatchThresholds, dict[str, Rates]]:
    tune_ids = split(rows, seed)
    scored = score_pairs(build_pairs(rows, seed))
    tune = [s for s in scored if s.pair.trial in tune_ids]
    test = [s for s in scored if s.pair.trial not in tune_ids]
    thresholds = DEFAULT if shipped else fit_thresholds(tune)
    return thresholds, rates(test, thresholds)


def render(seed: int, thresholds: MatchThresholds, r: dict[str, Rates]) -> str:
    true, rnd, hard = r["true"], r["random"], r["hard"]
    return (
        f"| {seed} | {thresholds.weak:.2f} / {thresholds.match:.2f} | {true.pairs} | "
        f"{true.error:.3f} | {true.any_finding:.3f} | {rnd.any_finding:.3f} | {rnd.error:.3f} | "
        f"{hard.pairs} | {hard.any_finding:.3f} | {hard.error:.3f} |"
    )


HEADER = (
    "| seed | weak / match | true pairs | true: error | true: any finding | random swapped: "
    "any finding | random swapped: error | hard pairs | hard: any finding | hard: error |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument(
        "--shipped", action="store_true", help="shipped thresholds instead of refitting per seed"
    )
    args = parser.parse_args(argv)
    rows = load_trials(args.shared)
    print(f"IntoValue pairs with both titles: {len(rows)} trials; test half per seed, titles only")
    print(HEADER)
    for seed in args.seeds:
        thresholds, r = report_seed(rows, seed, args.shipped)
        print(render(seed, thresholds, r))
    print(
        "targets: true error <= 0.010, true any <= 0.050, random any >= 0.950, "
        "random error >= 0.800"
    )


if __name__ == "__main__":
    main()
