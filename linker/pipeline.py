"""The pipeline as a library: readers -> extract -> registries -> link/rules -> results.

The CLI is a thin adapter over these functions; everything here works without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from linker import __version__
from linker.errors import ExitCode
from linker.extract.mentions import extract_mentions
from linker.extract.trial_report import classify_publication
from linker.models import Mention, Publication, Registry, TrialReport
from linker.readers import read_publications
from linker.registries.cache import OutcomeCache
from linker.registries.interface import Outcome, OutcomeKind
from linker.registries.settings import RegistrySettings
from linker.registries.snapshot import as_of_paper
from linker.registries.verifier import Progress, verify_identifiers
from linker.results import RunResult, Severity
from linker.rules.engine import PublicationEvidence, evaluate
from linker.rules.settings import RuleSettings
from linker.run_settings import describe_run

Warn = Callable[[str], None]


@dataclass
class Extracted:
    """One publication with what extraction found in it (``report`` is None when the
    publication was not classified)."""

    publication: Publication
    mentions: list[Mention]
    report: TrialReport | None


@dataclass
class ReadOptions:
    fmt: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)


def iter_publications(
    sources: Iterable[str], options: ReadOptions | None = None, on_warning: Warn | None = None
) -> Iterator[Publication]:
    """Every publication of every source, in order, one at a time."""
    options = options or ReadOptions()
    for source in sources:
        yield from read_publications(
            source, fmt=options.fmt, columns=options.columns or None, on_warning=on_warning
        )


def iter_extracted(
    sources: Iterable[str],
    options: ReadOptions | None = None,
    on_warning: Warn | None = None,
    *,
    classify: bool = True,
) -> Iterator[Extracted]:
    """Read every source in turn; extract identifiers and (unless ``classify`` is False, the
    costlier step) decide whether each publication reports a trial."""
    for publication in iter_publications(sources, options, on_warning):
        yield Extracted(
            publication=publication,
            mentions=extract_mentions(publication),
            report=classify_publication(publication) if classify else None,
        )


@dataclass
class CheckOptions:
    """What a ``check`` run needs besides its inputs."""

    read: ReadOptions = field(default_factory=ReadOptions)
    rules: RuleSettings = field(default_factory=RuleSettings)
    registries: RegistrySettings = field(default_factory=RegistrySettings)
    verify: bool = True
    offline: bool = False
    cache: OutcomeCache | None = None
    replay: Path | str | None = None  # a str is taken as a path: CheckOptions(replay="dir")
    record: Path | str | None = None
    today: date | None = None
    snapshot: Path | None = None


def _path(value: Path | str | None) -> Path | None:
    return Path(value) if value is not None else None


def identifiers_to_verify(mentions: Iterable[Mention]) -> list[tuple[Registry, str]]:
    """Every well-formed identifier once, in a stable order."""
    return sorted({(m.registry, m.id) for m in mentions if m.valid_format})


async def run_check_async(
    sources: Sequence[str],
    options: CheckOptions | None = None,
    *,
    on_warning: Warn | None = None,
    on_progress: Progress | None = None,
) -> RunResult:
    """Read, extract, verify, link and apply the rules: the whole ``check``."""
    options = options or CheckOptions()
    evidence = [
        PublicationEvidence(
            publication=publication,
            report=classify_publication(publication),
            mentions=extract_mentions(publication),
        )
        for publication in iter_publications(sources, options.read, on_warning)
    ]
    outcomes: dict[tuple[Registry, str], Outcome] = {}
    if options.verify:
        outcomes = await verify_identifiers(
            identifiers_to_verify(m for item in evidence for m in item.mentions),
            settings=options.registries,
            cache=options.cache,
            offline=options.offline,
            replay=_path(options.replay),
            record=_path(options.record),
            on_progress=on_progress,
            today=options.today,
            snapshot=options.snapshot,
        )
    today = options.today or datetime.now(UTC).date()
    publications = []
    for item in evidence:
        keys = {(m.registry, m.id) for m in item.mentions}
        item.outcomes = {
            key: as_of_paper(outcomes[key], item.publication) for key in keys if key in outcomes
        }
        publications.append(evaluate(item, options.rules, today))
    publications.sort(key=lambda p: (p.file, p.line, p.key))
    return RunResult(
        tool_version=__version__,
        generated_at=datetime.now(UTC).replace(microsecond=0),
        inputs=list(sources),
        publications=publications,
        settings=describe_run(options, today, publications),
    )


def run_check(
    sources: Sequence[str],
    options: CheckOptions | None = None,
    *,
    on_warning: Warn | None = None,
    on_progress: Progress | None = None,
) -> RunResult:
    """:func:`run_check_async` for code without an event loop."""
    return asyncio.run(
        run_check_async(sources, options, on_warning=on_warning, on_progress=on_progress)
    )


UNVERIFIED_RULE = "TL203"


def exit_code_for(
    result: RunResult,
    *,
    fail_on: Severity = Severity.ERROR,
    allow_unverified: bool = False,
) -> ExitCode:
    """The exit-code contract: 1 for findings at or above ``fail_on``; else 3 when some
    identifier could not be verified (unless allowed); else 0. An unverified identifier is
    never counted as a failure of the paper: it is the run that is incomplete."""
    failing = [
        f for f in result.findings if f.code != UNVERIFIED_RULE and f.severity.rank >= fail_on.rank
    ]
    if failing:
        return ExitCode.FINDINGS
    incomplete = any(i.outcome is OutcomeKind.UNVERIFIED for i in result.identifiers)
    if incomplete and not allow_unverified:
        return ExitCode.UNVERIFIED
    return ExitCode.OK
