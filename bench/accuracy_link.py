"""Accuracy of the paper <-> registry record linker on real pairs (IntoValue).

True pairs: each IntoValue trial's registry title with the title of its results publication
(found by hand by the IntoValue team). Swapped pairs: the same publication with another trial's
record - one chosen at random, and one "hard" record whose title shares a distinctive word
(typically the condition) with the publication title.

For each seed the trials are split at random into a tune half and a test half; the word and
word-piece frequency tables, the weights of the title evidence and the thresholds are fitted on
the tune half (logistic regression, Newton's method) and the figures are reported on the test
half. The figures are what ``check`` reports: a
``registry-mismatch`` finding for a ``mismatch`` verdict, at error only when it is conclusive.

Evidence: ``titles`` (the default and the issue's target: titles only, every other field
missing) or ``registry`` (titles plus what IntoValue also holds: the registry's reference list
and the trial's start date against the publication year).

    python bench/accuracy_link.py                      # 5 seeds, titles only
    python bench/accuracy_link.py --evidence registry  # with reference lists and dates
    python bench/accuracy_link.py --shipped            # the shipped weights and thresholds
    python bench/accuracy_link.py --print-weights      # the weights fitted on each tune half
    python bench/accuracy_link.py --write-frequencies  # rewrite the shipped tables (all titles)
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from linker.link.evidence import GENERIC_WORDS, cites_paper
from linker.link.features import Evidence, gather
from linker.link.score import (
    DEFAULT,
    FITTED_FEATURES,
    LOW_TITLE,
    SHIPPED,
    MatchThresholds,
    Weights,
    probability,
)
from linker.link.specificity import Vocabulary
from linker.link.text import content_words
from linker.models import Publication, Registry
from linker.registries.interface import PartialDate, RecordReference, RegistryRecord

SHARED = Path(__file__).resolve().parents[2] / "shared"
TRIALS_CSV = Path("data-real") / "intovalue_trials_publications.csv"
REFERENCES_CSV = Path("data-real") / "intovalue_registry_references.csv"
SEEDS = (1, 2, 3, 4, 5)
# The share of true pairs that may get any registry-mismatch finding (the limit).
MAX_TRUE_FINDINGS = 0.05
# The share of the tune half's random swapped pairs that must get a finding.
MIN_RANDOM_FINDINGS = 0.95
# The share of the tune half's random swapped pairs that must be errors.
MIN_RANDOM_ERRORS = 0.82
KINDS = ("true", "random", "hard")
EVIDENCE = ("titles", "registry")


@dataclass(frozen=True)
class Pair:
    trial: str  # the paper's trial
    kind: str  # "true", "random" or "hard"
    paper: int  # row index of the paper's trial
    record: int  # row index of the record's trial


@dataclass(frozen=True)
class Scored:
    pair: Pair
    cited: bool
    evidence: Evidence


def load_trials(shared: Path = SHARED) -> list[dict[str, str]]:
    with (shared / TRIALS_CSV).open(newline="", encoding="utf-8") as handle:
        return [
            row
            for row in csv.DictReader(handle)
            if row["pub_title"].strip() and row["title"].strip()
        ]


def registry_titles(shared: Path = SHARED) -> list[str]:
    """Every IntoValue registry title, with or without a publication: the shipped tables."""
    with (shared / TRIALS_CSV).open(newline="", encoding="utf-8") as handle:
        return [row["title"] for row in csv.DictReader(handle) if row["title"].strip()]


def load_references(shared: Path = SHARED) -> dict[str, list[RecordReference]]:
    references: dict[str, list[RecordReference]] = {}
    with (shared / REFERENCES_CSV).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            pmid = row["pmid"].split(".")[0] or None
            references.setdefault(row["id"], []).append(
                RecordReference(pmid=pmid, doi=row["doi"] or None, kind=row["reference_type"])
            )
    return references


def _distinctive(title: str) -> frozenset[str]:
    return frozenset(w for w in content_words(title) if len(w) >= 4 and w not in GENERIC_WORDS)


def build_pairs(rows: Sequence[dict[str, str]], seed: int) -> list[Pair]:
    """One true, one random swapped and (where one exists) one hard swapped pair per trial."""
    rng = random.Random(seed)
    titles = [_distinctive(row["title"]) for row in rows]
    pairs: list[Pair] = []
    for i, row in enumerate(rows):
        pairs.append(Pair(row["id"], "true", i, i))
        others = [j for j in rng.sample(range(len(rows)), 400) if rows[j]["title"] != row["title"]]
        pairs.append(Pair(row["id"], "random", i, others[0]))
        paper_words = _distinctive(row["pub_title"])
        hard = next((j for j in others if paper_words & titles[j]), None)
        if hard is not None:
            pairs.append(Pair(row["id"], "hard", i, hard))
    return pairs


def split(rows: Sequence[dict[str, str]], seed: int) -> set[str]:
    """The trial ids of the tune half for ``seed``."""
    ids = sorted(row["id"] for row in rows)
    random.Random(seed).shuffle(ids)
    return set(ids[: len(ids) // 2])


def _year(value: str) -> int | None:
    return int(value[:4]) if value[:4].isdigit() else None


def publication(row: dict[str, str], evidence: str) -> Publication:
    extra: dict[str, object] = {}
    if evidence == "registry":
        extra = {"pmid": row["pmid"].split(".")[0] or None, "year": _year(row["publication_date"])}
    return Publication(
        key=row["id"], title=row["pub_title"], file="-", line=1, end_line=1, ordinal=1, **extra
    )  # type: ignore[arg-type]


def record(
    row: dict[str, str], evidence: str, references: dict[str, list[RecordReference]]
) -> RegistryRecord:
    extra: dict[str, object] = {}
    if evidence == "registry":
        start = row["start_date"][:10]
        extra = {
            "references": references.get(row["id"], []),
            "start_date": PartialDate(value=start) if len(start) == 10 else None,
        }
    return RegistryRecord(
        registry=Registry.CTGOV, id=row["id"], url="-", public_title=row["title"], **extra
    )  # type: ignore[arg-type]


def gather_pairs(
    rows: Sequence[dict[str, str]],
    pairs: Sequence[Pair],
    evidence: str,
    references: dict[str, list[RecordReference]],
    vocabulary: Vocabulary | None = None,
) -> list[Scored]:
    scored = []
    for pair in pairs:
        paper = publication(rows[pair.paper], evidence)
        rec = record(rows[pair.record], evidence, references)
        cited = cites_paper(rec, paper) is not None
        scored.append(Scored(pair, cited, gather(paper, rec, vocabulary)))
    return scored


def score_of(s: Scored, weights: Weights) -> float:
    return 1.0 if s.cited else probability(s.evidence.features, weights)


# --- fitting ----------------------------------------------------------------------------------


def _vector(s: Scored) -> list[float]:
    values = asdict(s.evidence.features)
    return [1.0] + [float(values[name] or 0.0) for name in FITTED_FEATURES]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a few unknowns)."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[col][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] if a[i][i] else 0.0 for i in range(n)]


def fit_weights(tune: Sequence[Scored], ridge: float = 1.0, rounds: int = 12) -> Weights:
    """Logistic regression of "same trial" on the fitted features (Newton's method, a small
    ridge penalty); pairs the registry already links (cited) are left out."""
    rows = [(_vector(s), 1.0 if s.pair.kind == "true" else 0.0) for s in tune if not s.cited]
    n = len(rows[0][0])
    beta = [0.0] * n
    for _ in range(rounds):
        gradient = [-ridge * b for b in beta]
        hessian = [[ridge if i == j else 0.0 for j in range(n)] for i in range(n)]
        gradient[0] += ridge * beta[0]
        hessian[0][0] -= ridge
        for x, y in rows:
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(n):
                gradient[i] += (y - p) * x[i]
                for j in range(n):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve(hessian, gradient)
        beta = [b + d for b, d in zip(beta, step, strict=True)]
    fitted = {"intercept": round(beta[0], 2)}
    fitted.update({name: round(b, 2) for name, b in zip(FITTED_FEATURES, beta[1:], strict=True)})
    return replace(SHIPPED, **fitted)


def fit_thresholds(tune: Sequence[Scored], weights: Weights) -> MatchThresholds:
    """``weak`` (below it: a finding): the threshold that keeps the tune half's share of true
    pairs with a finding and its share of random swapped pairs without one furthest under
    their limits (MAX_TRUE_FINDINGS, 1 - MIN_RANDOM_FINDINGS). ``match``: the threshold with the
    best match-vs-not accuracy of true against random and hard swapped pairs."""
    grid = [round(0.002 * i, 3) for i in range(1, 500)]
    true = [score_of(s, weights) for s in tune if s.pair.kind == "true"]
    swapped = [score_of(s, weights) for s in tune if s.pair.kind != "true"]
    random_ = [score_of(s, weights) for s in tune if s.pair.kind == "random"]

    def margin(t: float) -> float:
        true_share = sum(x < t for x in true) / len(true)
        missed_share = sum(x >= t for x in random_) / len(random_)
        return min(MAX_TRUE_FINDINGS - true_share, (1 - MIN_RANDOM_FINDINGS) - missed_share)

    weak = max(grid, key=lambda t: (margin(t), -t))

    def accuracy(t: float) -> float:
        return sum(x >= t for x in true) + sum(x < t for x in swapped)

    match = max((t for t in grid if t >= weak), key=lambda t: (accuracy(t), -t))
    # low_pieces: the lowest piece similarity under which MIN_RANDOM_ERRORS of the tune half's
    # random swapped pairs are errors; every lower one would give up caught mismatches, every
    # higher one accuses more true pairs.
    n_random = sum(1 for s in tune if s.pair.kind == "random")
    open_random = sorted(
        s.evidence.features.pieces
        for s, x in zip(tune, _scores(tune, weights), strict=True)
        if _open(s, "random") and x < weak
    )
    needed = math.ceil(MIN_RANDOM_ERRORS * n_random)
    low_pieces = 1.0 if needed > len(open_random) else _just_above(open_random[needed - 1])
    return MatchThresholds(match=match, weak=weak, low_pieces=low_pieces)


def _just_above(value: float) -> float:
    """The 3-decimal threshold under which ``value`` (and everything below it) falls."""
    return math.floor(value * 1000 + 1) / 1000


def _scores(scored: Sequence[Scored], weights: Weights) -> list[float]:
    return [score_of(s, weights) for s in scored]


def _open(s: Scored, kind: str) -> bool:
    """A pair of ``kind`` whose mismatch would be conclusive by the evidence alone."""
    return s.pair.kind == kind and not s.cited and _conclusive(s)


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    pairs: int
    any_finding: float
    error: float
    false_match: float


def _conclusive(s: Scored) -> bool:
    return not s.evidence.specific_terms and s.evidence.title_score < LOW_TITLE


def rates(
    scored: Sequence[Scored], weights: Weights, thresholds: MatchThresholds
) -> dict[str, Rates]:
    out = {}
    for kind in KINDS:
        scores = [(score_of(s, weights), s) for s in scored if s.pair.kind == kind]
        findings = [x < thresholds.weak for x, _ in scores]
        errors = [
            x < thresholds.weak
            and _conclusive(s)
            and s.evidence.features.pieces < thresholds.low_pieces
            for x, s in scores
        ]
        n = len(scores) or 1
        out[kind] = Rates(
            pairs=len(scores),
            any_finding=sum(findings) / n,
            error=sum(errors) / n,
            false_match=sum(x >= thresholds.match for x, _ in scores) / n,
        )
    return out


def report_seed(
    rows: Sequence[dict[str, str]],
    seed: int,
    *,
    evidence: str = "titles",
    shipped: bool = False,
    references: dict[str, list[RecordReference]] | None = None,
) -> tuple[Weights, MatchThresholds, dict[str, Rates]]:
    tune_ids = split(rows, seed)
    # Word specificity from the tune half's registry titles only (the shipped table counts all
    # IntoValue titles, so --shipped figures are not held out for it).
    vocabulary = (
        None
        if shipped
        else Vocabulary.of_titles(row["title"] for row in rows if row["id"] in tune_ids)
    )
    scored = gather_pairs(rows, build_pairs(rows, seed), evidence, references or {}, vocabulary)
    tune = [s for s in scored if s.pair.trial in tune_ids]
    test = [s for s in scored if s.pair.trial not in tune_ids]
    if shipped:
        weights, thresholds = SHIPPED, DEFAULT
    else:
        weights = fit_weights(tune)
        thresholds = fit_thresholds(tune, weights)
    return weights, thresholds, rates(test, weights, thresholds)


HEADER = (
    "| seed | low pieces / weak / match | true pairs | true: error (n) | true: any finding | "
    "random swapped: any finding | random swapped: error | hard pairs | hard: any finding | "
    "hard: error | hard: called match |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def render(seed: int, thresholds: MatchThresholds, r: dict[str, Rates]) -> str:
    true, rnd, hard = r["true"], r["random"], r["hard"]
    return (
        f"| {seed} | {thresholds.low_pieces:.3f} / {thresholds.weak:.3f} / "
        f"{thresholds.match:.3f} | {true.pairs} | "
        f"{true.error:.3f} ({round(true.error * true.pairs)}) | {true.any_finding:.3f} | "
        f"{rnd.any_finding:.3f} | {rnd.error:.3f} | "
        f"{hard.pairs} | {hard.any_finding:.3f} | {hard.error:.3f} | {hard.false_match:.3f} |"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--evidence", choices=EVIDENCE, default="titles")
    parser.add_argument("--shipped", action="store_true", help="shipped weights and thresholds")
    parser.add_argument("--print-weights", action="store_true")
    parser.add_argument("--write-frequencies", action="store_true", help=Vocabulary.write.__doc__)
    args = parser.parse_args(argv)
    if args.write_frequencies:
        Vocabulary.of_titles(registry_titles(args.shared)).write()
        return
    rows = load_trials(args.shared)
    references = load_references(args.shared) if args.evidence == "registry" else {}
    how = "shipped weights and thresholds" if args.shipped else "fitted on each tune half"
    print(f"IntoValue: {len(rows)} trials; evidence: {args.evidence}; {how}; test halves")
    print(HEADER)
    for seed in args.seeds:
        weights, thresholds, r = report_seed(
            rows, seed, evidence=args.evidence, shipped=args.shipped, references=references
        )
        print(render(seed, thresholds, r))
        if args.print_weights:
            print(f"  weights: {weights}")
    print(
        "targets (titles): true error <= 0.010, true any <= 0.050, random any >= 0.950, "
        "random error >= 0.800"
    )


if __name__ == "__main__":
    main()
