"""The pipeline as a library: readers -> extract -> registries -> link/rules -> results.

The CLI is a thin adapter over these functions; everything here works without it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from linker.errors import ExitCode
from linker.extract.mentions import extract_mentions
from linker.extract.trial_report import classify_publication
from linker.limits import DEFAULT_MAX_RECORD_SIZE
from linker.models import Mention, Publication, Registry, TrialReport
from linker.readers import read_publications
from linker.readers.part import FilePart
from linker.registries.cache import OutcomeCache
from linker.registries.interface import OutcomeKind
from linker.registries.settings import RegistrySettings
from linker.results import RunResult, Severity
from linker.rules.settings import RuleSettings
from linker.spool import PublicationSpool
from linker.streaming import stream_check

if TYPE_CHECKING:
    from linker.registries.verifier import Progress

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
    max_record_size: int = DEFAULT_MAX_RECORD_SIZE
    part: FilePart | None = None  # read only this part of the one source (check --jobs)


def iter_publications(
    sources: Iterable[str], options: ReadOptions | None = None, on_warning: Warn | None = None
) -> Iterator[Publication]:
    """Every publication of every source, in order, one at a time."""
    options = options or ReadOptions()
    for source in sources:
        yield from read_publications(
            source,
            fmt=options.fmt,
            columns=options.columns or None,
            on_warning=on_warning,
            max_record_size=options.max_record_size,
            part=options.part,
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
    enrich: tuple[str, ...] = ()  # bibliographic sources to complete records from ("pubmed")


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
    """Read, extract, verify, link and apply the rules: the whole ``check``, its publications
    in a list. (The CLI uses :func:`linker.streaming.stream_check`, which keeps them on disk.)"""
    streamed = await stream_check(
        sources, options or CheckOptions(), on_warning=on_warning, on_progress=on_progress
    )
    spool = streamed.publications
    try:
        publications = list(spool)
    finally:
        if isinstance(spool, PublicationSpool):
            spool.close()
    return RunResult(
        tool_version=streamed.tool_version,
        generated_at=streamed.generated_at,
        inputs=list(sources),
        publications=publications,
        settings=streamed.settings,
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
    incomplete = False
    for publication in result.publications:  # one pass: publications may be read from disk
        if any(
            f.code != UNVERIFIED_RULE and f.severity.rank >= fail_on.rank
            for f in publication.findings
        ):
            return ExitCode.FINDINGS
        incomplete = incomplete or any(
            i.outcome is OutcomeKind.UNVERIFIED for i in publication.identifiers
        )
    if incomplete and not allow_unverified:
        return ExitCode.UNVERIFIED
    return ExitCode.OK
