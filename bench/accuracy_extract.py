"""Precision and recall of identifier extraction on the real annotated data in ../shared.

Run:  python bench/accuracy_extract.py [--shared PATH] [--show-misses]

Prints one Markdown table (pasted into docs/accuracy.md). tests/extract/test_real_data.py uses
the same functions and asserts the targets. Skips with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from linker.extract.identifiers import find_identifiers
from linker.extract.roles import classify_role
from linker.models import Registry

DEFAULT_SHARED = Path(
    os.environ.get("TRIAL_LINKER_SHARED", Path(__file__).resolve().parents[2] / "shared")
)


@dataclass
class Score:
    """Counts for one data set; ``misses`` and ``false_positives`` keep examples to look at."""

    name: str
    true_positives: int = 0
    false_negatives: int = 0
    false_positives: int = 0
    unit: str = "identifiers"
    note: str = ""
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        total = self.true_positives + self.false_negatives
        return self.true_positives / total if total else None

    @property
    def precision(self) -> float | None:
        total = self.true_positives + self.false_positives
        return self.true_positives / total if total else None


def _valid_ids(text: str) -> list[tuple[Registry, str]]:
    return [(f.registry, f.id) for f in find_identifiers(text) if f.valid_format]


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


# Where we deliberately disagree with ctregistries' expectations (docs/accuracy.md explains).
CTREGISTRIES_DEVIATIONS = {
    "ISCRTN06180958": "a real misspelling of ISRCTN: reported as isrctn with a problem note",
    "NL9229": "a bare NL number needs the Dutch register named nearby (NL63, NL 111 are not ids)",
}


_CTREGISTRIES_NAMES = {
    "ClinicalTrials.gov": {Registry.CTGOV},
    "DRKS": {Registry.DRKS},
    "EudraCT": {Registry.EUCTR, Registry.CTIS},
    "IRCT": {Registry.IRCT},
    "ISRCTN": {Registry.ISRCTN},
    "NTR": {Registry.NL},
    "PACTR": {Registry.PACTR},
    "REPEC": {Registry.REPEC},
    "UMIN-CTR": {Registry.UMIN},
}


def score_ctregistries(shared: Path) -> Score:
    score = Score("ctregistries test strings", unit="strings")
    for row in _csv(shared / "data-real" / "ctregistries_test_cases.csv"):
        text = row["text"]
        expected = row["expected_match"] == "TRUE"
        if text in CTREGISTRIES_DEVIATIONS:
            expected = not expected
        registries = _CTREGISTRIES_NAMES[row["registry"]]
        got = any(registry in registries for registry, _ in _valid_ids(text))
        if expected and got:
            score.true_positives += 1
        elif expected:
            score.false_negatives += 1
            score.misses.append(text)
        elif got:
            score.false_positives += 1
            score.wrong.append(text)
    score.note = f"{len(CTREGISTRIES_DEVIATIONS)} deliberate deviations; known-issue rows included"
    return score


def score_screenit_regset(shared: Path) -> Score:
    score = Score("ScreenIT regset (identifier strings)", unit="strings")
    for row in _csv(shared / "data-real" / "screenit_regset_manual_check.csv"):
        text = row["Identifier"]
        got = _valid_ids(text)
        if row["id_type_group"] == "trn":
            if got:
                score.true_positives += 1
            else:
                score.false_negatives += 1
                score.misses.append(text)
        elif got:
            score.false_positives += 1
            score.wrong.append(text)
    score.note = "false-positive kinds: funding ids, ZINC ids, NL table numbers, NL63, VNL11"
    return score


def score_screenit_negative(shared: Path) -> Score:
    score = Score("ScreenIT negative controls", unit="papers")
    for row in _csv(shared / "data-real" / "screenit_negative_control_manual_check.csv"):
        text = f"{row['reg_id']} {row['comments']}"
        got = _valid_ids(text)
        if got:
            score.false_positives += 1
            score.wrong.append(text)
    score.note = "reg_id + reviewer comments (quoted ethics/funding/PROSPERO numbers)"
    return score


def _squash(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text).upper()


def score_starrr(shared: Path) -> Score:
    score = Score("STARRR registration statements", unit="statements with own id")
    extra = 0
    for row in _csv(shared / "data-real" / "starrr_registration_statements.csv"):
        statement = row["reg_wording"].strip()
        if not statement:
            continue
        own = row["id"].strip().upper()
        ids = {identifier.upper() for _, identifier in _valid_ids(statement)}
        if own not in _squash(statement):
            extra += own in ids
            continue
        if own in ids:
            score.true_positives += 1
        else:
            score.false_negatives += 1
            score.misses.append(f"{own}: {statement}")
    score.note = f"own id = column `id`; {extra} more found in statements that garble it"
    return score


def score_eudract_numbers(shared: Path) -> Score:
    score = Score("Real EudraCT / EU CT numbers", unit="numbers")
    path = shared / "fixtures-real" / "eudract_and_euct_numbers_real.tsv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        number = row["number"].strip()
        is_euct = row["kind"].startswith("EU CT")
        expected = Registry.CTIS if is_euct else Registry.EUCTR
        checks = [(number, number)]
        if is_euct:
            checks.append((number + "-00", number + "-00"))
        for text, identifier in checks:
            if _valid_ids(text) == [(expected, identifier)]:
                score.true_positives += 1
            else:
                score.false_negatives += 1
                score.misses.append(text)
    score.note = "EU CT stems tested bare and with -00; right registry and id required"
    return score


@dataclass
class RoleScore:
    own: int = 0
    other: int = 0
    unknown: int = 0


def score_consort(shared: Path) -> tuple[Score, Score, RoleScore, RoleScore]:
    item23 = Score("CONSORT-TM item-23 sentences", unit="sentences")
    others = Score("CONSORT-TM other sentences", unit="identifiers")
    roles23, roles_other = RoleScore(), RoleScore()
    for row in _csv(shared / "data-real" / "consort_tm_sentences.csv"):
        text = row["text"]
        found = [f for f in find_identifiers(text) if f.valid_format]
        if row["is_item23_registration"] == "True":
            if found:
                item23.true_positives += 1
            else:
                item23.false_negatives += 1
                item23.misses.append(text)
            bucket = roles23
        else:
            for f in found:
                others.wrong.append(f"{f.id} ({classify_role(text, f.start, f.end)}): {text}")
            others.false_positives += len(found)
            bucket = roles_other
        for f in found:
            role = classify_role(text, f.start, f.end)
            setattr(bucket, role.value, getattr(bucket, role.value) + 1)
    item23.note = "recall = item-23 sentences where at least one valid id is found"
    others.note = "found ids outside item 23: mostly other trials' ids (see docs), not errors"
    return item23, others, roles23, roles_other


def score_abstracts(shared: Path) -> tuple[Score, RoleScore]:
    score = Score("Evidence Inference TRIAL REGISTRATION sections", unit="sections")
    roles = RoleScore()
    path = shared / "data-real" / "abstracts" / "unified_abstracts.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["source"] != "evidence_inference":
                continue
            abstract = record.get("abstract") or ""
            for section in re.finditer(r"^TRIAL REGISTRATION[^:\n]*:(.*)$", abstract, re.M):
                found = [f for f in find_identifiers(abstract) if f.valid_format]
                inside = [f for f in found if section.start(1) <= f.start < section.end(1)]
                if not re.search(r"\d{4}", section.group(1)):
                    continue  # "not registered", "registered at ..." without a number
                if inside:
                    score.true_positives += 1
                else:
                    score.false_negatives += 1
                    score.misses.append(section.group(0)[:160])
                for f in inside:
                    role = classify_role(abstract, f.start, f.end)
                    setattr(roles, role.value, getattr(roles, role.value) + 1)
    score.note = "sections with a 4+ digit number; recall = a valid id found in the section"
    return score, roles


# CONSORT-TM per article: own-trial ids are the valid ids of its item-23 sentences plus these
# two, the article's own EudraCT numbers cited next to its NCT number outside item 23; the
# other-trial ids are those of other trials cited in the text (extension studies, earlier and
# pending trials). Read by hand from the sentences; 2008-008210-38 of PMC3623038 is a grant and
# ethics protocol number and counts as neither.
CONSORT_OWN_OUTSIDE_23 = frozenset(
    {("PMC4469977", "2008-008291-14"), ("PMC5264229", "2012-005733-37")}
)
CONSORT_OTHER_TRIALS = frozenset(
    {
        ("PMC4066691", "NCT01172808"),
        ("PMC4066691", "NCT01172821"),
        ("PMC4145439", "NCT01296711"),
        ("PMC4215282", "NCT01093326"),
        ("PMC5009486", "NCT00871182"),
        ("PMC5009486", "NCT01085045"),
        ("PMC5009486", "NCT01349868"),
        ("PMC5009486", "NCT01350128"),
        ("PMC5009486", "NCT01587079"),
        ("PMC5418559", "NCT01340053"),
    }
)


@dataclass
class ArticleRoles:
    """How the ids of the CONSORT-TM articles are tagged, the sentences of each article joined
    one per line. An id is tagged ``own`` when one of its mentions is, else ``other`` when one
    is, else ``unknown``."""

    own_ids: RoleScore = field(default_factory=RoleScore)
    other_ids: RoleScore = field(default_factory=RoleScore)
    wrong: list[str] = field(default_factory=list)


def score_consort_articles(shared: Path) -> ArticleRoles:
    articles: dict[str, list[dict[str, str]]] = {}
    for row in _csv(shared / "data-real" / "consort_tm_sentences.csv"):
        articles.setdefault(row["pmcid"], []).append(row)
    own = set(CONSORT_OWN_OUTSIDE_23)
    for pmcid, rows in articles.items():
        for row in rows:
            if row["is_item23_registration"] == "True":
                own |= {(pmcid, f.id) for f in find_identifiers(row["text"]) if f.valid_format}
    result = ArticleRoles()
    for pmcid, rows in articles.items():
        text = "\n".join(row["text"] for row in rows)
        tags: dict[str, set[str]] = {}
        for f in find_identifiers(text):
            tags.setdefault(f.id, set()).add(classify_role(text, f.start, f.end).value)
        for key in sorted(own | CONSORT_OTHER_TRIALS):
            if key[0] != pmcid:
                continue
            seen = tags.get(key[1], set())
            tag = next((t for t in ("own", "other") if t in seen), "unknown")
            bucket = result.own_ids if key in own else result.other_ids
            setattr(bucket, tag, getattr(bucket, tag) + 1)
            if tag != ("own" if key in own else "other"):
                result.wrong.append(f"{pmcid} {key[1]} tagged {tag}")
    return result


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def all_scores(shared: Path) -> tuple[list[Score], dict[str, RoleScore]]:
    item23, consort_others, roles23, roles_other = score_consort(shared)
    abstracts, abstract_roles = score_abstracts(shared)
    scores = [
        score_ctregistries(shared),
        score_screenit_regset(shared),
        score_screenit_negative(shared),
        score_starrr(shared),
        score_eudract_numbers(shared),
        item23,
        consort_others,
        abstracts,
    ]
    articles = score_consort_articles(shared)
    roles = {
        "CONSORT-TM articles: own-trial ids": articles.own_ids,
        "CONSORT-TM articles: other-trial ids": articles.other_ids,
        "CONSORT-TM item 23": roles23,
        "CONSORT-TM other sentences": roles_other,
        "TRIAL REGISTRATION sections": abstract_roles,
    }
    return scores, roles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if not (args.shared / "data-real").exists():
        print(f"skipped: real data not available at {args.shared}")
        return 0
    scores, roles = all_scores(args.shared)
    print("| data set | unit | TP | FN | FP | recall | precision | note |")
    print("|---|---|---|---|---|---|---|---|")
    for s in scores:
        print(
            f"| {s.name} | {s.unit} | {s.true_positives} | {s.false_negatives} | "
            f"{s.false_positives} | {_fmt(s.recall)} | {_fmt(s.precision)} | {s.note} |"
        )
    print()
    print("| role of found ids | own | other | unknown |")
    print("|---|---|---|---|")
    for name, r in roles.items():
        print(f"| {name} | {r.own} | {r.other} | {r.unknown} |")
    if args.show_misses:
        for s in scores:
            for miss in s.misses:
                print(f"MISS {s.name}: {miss}")
            for wrong in s.wrong:
                print(f"FP   {s.name}: {wrong}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
