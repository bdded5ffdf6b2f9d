"""A large, deterministic :class:`RunResult` for the 50,000-publication test and benchmark.

Realistic in shape: titles of 10-20 words, one in three publications a trial report, most with
one or two identifiers (found, some not found, unverified or malformed), findings of every
rule at the severities the rules give, so filters and sorting have real work to do.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

from linker.models import Classification, Registry, Role
from linker.registries.interface import OutcomeKind, PartialDate
from linker.results import (
    Finding,
    IdentifierResult,
    MatchScore,
    PublicationResult,
    RecordSummary,
    RunResult,
    Severity,
    Verdict,
)

WORDS = re.findall(
    r"\S+",
    "randomised controlled trial of early mobilisation after hip fracture in older adults "
    "versus usual care pragmatic multicentre effect exercise therapy blood pressure dementia "
    "heart failure nurse-led follow-up secondary analysis cohort outcomes children asthma "
    "vaccine efficacy cluster primary care depression cognitive behavioural intervention "
    "feasibility pilot surgery anaesthesia pain opioid stroke rehabilitation diabetes insulin",
)

FILES = ("lists/centre-2019.txt", "lists/centre-2020.ris", "exports/pubmed-2021.xml")


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 20))).capitalize()


def _identifier(rng: random.Random, n: int, file: str, line: int) -> IdentifierResult:
    outcome = rng.choices(
        [OutcomeKind.FOUND, OutcomeKind.NOT_FOUND, OutcomeKind.UNVERIFIED, None],
        weights=[80, 5, 10, 5],
    )[0]
    nct = f"NCT{n:08d}"
    url = f"https://clinicaltrials.gov/study/{nct}"
    record = None
    if outcome is OutcomeKind.FOUND:
        year = rng.randint(2005, 2020)
        record = RecordSummary(
            registry=Registry.CTGOV,
            id=nct,
            url=url,
            title=_title(rng),
            sponsor="University Hospital",
            overall_status="COMPLETED",
            registration_date=PartialDate(value=f"{year}-{rng.randint(1, 12):02d}-15"),
            start_date=PartialDate(value=f"{year}-{rng.randint(1, 12):02d}"),
            completion_date=PartialDate(value=f"{year + 3}-06"),
        )
    return IdentifierResult(
        registry=Registry.CTGOV,
        id=nct if outcome is not None else nct[:-1],
        raw=nct,
        file=file,
        line=line + 1,
        column=rng.randint(1, 2000),
        role=Role.OWN,
        valid_format=outcome is not None,
        outcome=outcome,
        reason="timeout" if outcome is OutcomeKind.UNVERIFIED else None,
        url=url,
        record=record,
        match=MatchScore(score=0.9, verdict=Verdict.MATCH) if record else None,
    )


_RULES = {
    OutcomeKind.NOT_FOUND: ("TL201", "id-not-found", Severity.ERROR),
    OutcomeKind.UNVERIFIED: ("TL203", "unverified-id", Severity.WARNING),
    None: ("TL102", "malformed-id", Severity.ERROR),
}


def _findings(rng: random.Random, key: str, p: PublicationResult) -> list[Finding]:
    found: list[Finding] = []
    for identifier in p.identifiers:
        code, name, severity = _RULES.get(
            identifier.outcome, ("TL304", "results-not-posted", Severity.INFO)
        )
        if code == "TL304" and rng.random() < 0.6:
            continue
        found.append(
            Finding(
                code=code,
                name=name,
                severity=severity,
                message=f"{identifier.id}: synthetic finding {code} for the benchmark.",
                publication=key,
                file=p.file,
                line=identifier.line,
                column=identifier.column,
                identifier=identifier.id,
                paper_title=p.title,
                fingerprint=f"{key}-{code}",
            )
        )
    if p.classification is Classification.TRIAL_RESULTS and not p.identifiers:
        found.append(
            Finding(
                code="TL101",
                name="missing-registration",
                severity=Severity.ERROR,
                message="A trial report cites no registration.",
                publication=key,
                file=p.file,
                line=p.line,
                paper_title=p.title,
                fingerprint=f"{key}-TL101",
            )
        )
    return found


def large_result(count: int = 50_000, seed: int = 12) -> RunResult:
    rng = random.Random(seed)
    publications = []
    for n in range(1, count + 1):
        file = FILES[n % len(FILES)]
        line = 1 + 4 * (n // len(FILES))
        trial = rng.random() < 0.35
        key = str(20_000_000 + n) if n % 4 else f"{file}#{n}"
        publication = PublicationResult(
            key=key,
            title=_title(rng),
            file=file,
            line=line,
            end_line=line + 3,
            year=rng.choice([None, *range(2010, 2026)]),
            classification=Classification.TRIAL_RESULTS if trial else Classification.NOT_TRIAL,
            evidence=["score +1.2 (trial at >= 0)"] if trial else [],
        )
        if trial and rng.random() < 0.85:
            publication.identifiers = [
                _identifier(rng, n * 2 + k, file, line) for k in range(rng.choice([1, 1, 2]))
            ]
        publication.findings = _findings(rng, key, publication)
        publications.append(publication)
    return RunResult(
        tool_version="0.0.0-bench",
        generated_at=datetime(2026, 11, 26, 12, tzinfo=UTC),
        inputs=list(FILES),
        publications=publications,
    )
