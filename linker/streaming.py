"""``check`` as a stream: bounded memory whatever the length of the publication list.

Publications are read, extracted and classified in chunks of :data:`CHUNK`; each chunk's
identifiers are verified in one round (one HTTP client and one set of registry clients for
the whole run, so pacing and batching work across chunks); each publication is evaluated as
soon as its outcomes are known, and only its :class:`PublicationResult` is kept, on disk
(:class:`~linker.spool.PublicationSpool`). Outcomes already known are reused across chunks,
up to :data:`KNOWN_OUTCOMES` of them (the least recently used are forgotten; the cache, when
there is one, still answers for them).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from linker import __version__
from linker.extract.analysis_cache import AnalysisCache, analyse_keyed
from linker.known_lines import KnownLines
from linker.known_results import KnownResults
from linker.models import Publication, Registry
from linker.readers import read_publications
from linker.registries.interface import Outcome
from linker.registries.local_answers import answer_locally, bind_cache, check_transports
from linker.registries.snapshot import answer_from_snapshot, as_of_paper
from linker.report.summary import sorted_publication
from linker.results import RunResult
from linker.rules.engine import PublicationEvidence, evaluate
from linker.rules.settings import RuleSettings
from linker.rules.suggestions import search_candidates
from linker.run_settings import describe_run
from linker.spool import PublicationSpool

if TYPE_CHECKING:  # linker.pipeline imports this module; the verifier is imported when used
    from linker.pipeline import CheckOptions, Warn
    from linker.registries.http import RegistryHttp
    from linker.registries.verifier import Progress, Verifier
    from linker.sources.enrich import Completed

CHUNK = 1000
KNOWN_OUTCOMES = 20_000

Key = tuple[Registry, str]
Verify = Callable[[Sequence[Key]], Awaitable[dict[Key, Outcome]]]
T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class KnownOutcomes:
    """The outcomes of this run, least recently used forgotten beyond ``limit``."""

    def __init__(self, limit: int = KNOWN_OUTCOMES) -> None:
        self.limit = limit
        self._outcomes: OrderedDict[Key, Outcome] = OrderedDict()

    def get(self, keys: Iterable[Key]) -> dict[Key, Outcome]:
        found = {}
        for key in keys:
            outcome = self._outcomes.get(key)
            if outcome is not None:
                self._outcomes.move_to_end(key)
                found[key] = outcome
        return found

    def add(self, outcomes: dict[Key, Outcome]) -> None:
        self._outcomes.update(outcomes)
        while len(self._outcomes) > self.limit:
            self._outcomes.popitem(last=False)


class _RunProgress:
    """Progress over every chunk: the verifier counts one round at a time."""

    def __init__(self, report: Progress | None) -> None:
        self.report = report
        self.done = 0
        self.total = 0
        self._round_total = 0

    def start_round(self, total: int) -> None:
        self.done += self._round_total
        self._round_total = total
        self.total = self.done + total

    def __call__(self, done: int, total: int) -> None:
        if self.report is not None:
            self.report(self.done + done, self.total)


@asynccontextmanager
async def _verifier(
    options: CheckOptions,
    progress: _RunProgress,
    asked: set[Registry] | None = None,
    dated: dict[Registry, str] | None = None,
) -> AsyncIterator[Verify]:
    """Verification for one run; at its end the data dates of the registries in ``asked``
    (filled in by the caller) go into ``dated``. The HTTP layer and the clients are set up
    when an identifier needs them: a run answered from the cache never loads them."""
    known = KnownOutcomes()
    asked = asked if asked is not None else set()
    dated = dated if dated is not None else {}
    replay = Path(options.replay) if options.replay is not None else None
    record = Path(options.record) if options.record is not None else None
    check_transports(replay, record)
    bind_cache(options.cache, options.registries)
    async with AsyncExitStack() as stack:
        opened: list[tuple[RegistryHttp, Verifier]] = []

        async def connected() -> tuple[RegistryHttp, Verifier]:
            if not opened:
                from linker.registries.clients import build_clients
                from linker.registries.verifier import Verifier, open_http

                http = await stack.enter_async_context(
                    open_http(options.registries, replay=replay, record=record)
                )
                clients = build_clients(http, options.registries, options.today)
                opened.append((http, Verifier(clients, options.cache, options.offline, progress)))
            return opened[0]

        async def verify_with(keys: Sequence[Key]) -> dict[Key, Outcome]:
            outcomes = known.get(keys)
            missing = [key for key in keys if key not in outcomes]
            fresh = answer_from_snapshot(options.snapshot, missing)
            missing = [key for key in missing if key not in fresh]
            local = await answer_locally(missing, options.cache)
            if local:
                progress.start_round(len(local))
                progress(len(local), len(local))
            fresh.update(local)
            missing = [key for key in missing if key not in local]
            if missing:
                progress.start_round(len(missing))
                _, verifier = await connected()
                fresh.update(await verifier.verify(missing))
            known.add(fresh)
            outcomes.update(fresh)
            return outcomes

        yield verify_with
        if asked and not options.offline:  # the registries' data dates, for the run settings
            from linker.registries.data_dates import data_dates

            http, _ = await connected()
            dated.update(await data_dates(http, options.registries, asked))


async def stream_check(
    sources: Sequence[str],
    options: CheckOptions,
    *,
    on_warning: Warn | None = None,
    on_progress: Progress | None = None,
) -> RunResult:
    """The whole ``check``, its publications in a :class:`PublicationSpool` (report order)."""
    today = options.today or datetime.now(UTC).date()
    spool = PublicationSpool()
    progress = _RunProgress(on_progress)
    analyses = open_analyses(options, on_warning)
    publications = _read(sources, options, analyses, on_warning)
    known = KnownResults.usable(analyses, options.rules, today, enriched=bool(options.enrich))
    asked: set[Registry] = set()
    dated: dict[Registry, str] = {}
    async with _verifier(options, progress, asked, dated) as verify:
        for reads in chunked(publications, CHUNK):
            chunk = [publication for publication, _ in reads]
            encoded = [json for _, json in reads]
            completed = await _enriched(chunk, options) if options.enrich else None
            if completed is not None:
                chunk, encoded = completed.publications, []
            digests, analysed = analyse_keyed(chunk, analyses, encoded)
            evidence = [
                PublicationEvidence(publication=publication, report=report, mentions=mentions)
                for publication, (mentions, report) in zip(chunk, analysed, strict=True)
            ]
            if completed is not None:
                completed.attach(evidence)
            del chunk, reads, encoded
            keys = sorted(
                {(m.registry, m.id) for item in evidence for m in item.mentions if m.valid_format}
            )
            outcomes = await verify(keys) if options.verify and keys else {}
            asked.update(registry for registry, _ in keys if options.verify)
            if options.verify:  # suggested registrations for trial reports citing none
                await search_candidates(
                    evidence,
                    settings=options.registries,
                    cache=options.cache,
                    offline=options.offline,
                    replay=Path(options.replay) if options.replay is not None else None,
                    record=Path(options.record) if options.record is not None else None,
                    today=options.today,
                )
            _evaluate_into(spool, evidence, outcomes, options.rules, today, known, digests)
    if analyses is not None:
        analyses.close()
    result = spooled_result(sources, spool)
    settings = describe_run(options, today, spool, dated)
    return result.model_copy(update={"settings": settings})


def _read(
    sources: Sequence[str],
    options: CheckOptions,
    analyses: AnalysisCache | None,
    on_warning: Warn | None,
) -> Iterator[tuple[Publication, bytes | None]]:
    """Every publication of every source, with its JSON when that is known already."""
    read = options.read
    if analyses is None or read.part is not None:  # a part of a file is read as it comes
        for source in sources:
            for publication in read_publications(
                source,
                fmt=read.fmt,
                columns=read.columns or None,
                on_warning=on_warning,
                max_record_size=read.max_record_size,
                part=read.part,
            ):
                yield publication, None
        return
    lines = KnownLines(
        analyses,
        fmt=read.fmt,
        columns=read.columns,
        max_record_size=read.max_record_size,
        on_warning=on_warning,
    )
    for source in sources:
        yield from lines.read(source)


async def _enriched(chunk: list[Publication], options: CheckOptions) -> Completed:
    from linker.sources.enrich import complete, enrich_options

    return await complete(chunk, enrich_options(options))


def open_analyses(options: CheckOptions, on_warning: Warn | None) -> AnalysisCache | None:
    """The analysis cache beside the registry cache (none when the registry cache is off)."""
    if options.cache is None:
        return None
    return AnalysisCache(options.cache.directory, on_warning=on_warning)


def _evaluate_into(
    spool: PublicationSpool,
    evidence: list[PublicationEvidence],
    outcomes: dict[Key, Outcome],
    rules: RuleSettings,
    today: date,
    known: KnownResults | None = None,
    digests: Sequence[bytes] | None = None,
) -> None:
    """Each publication's result into ``spool``: from ``known`` when it holds the result of
    the same evidence (``digests``: the publications' analysis digests), else evaluated."""
    for item in evidence:
        keys = {(m.registry, m.id) for m in item.mentions}
        item.outcomes = {
            key: as_of_paper(outcomes[key], item.publication) for key in keys if key in outcomes
        }
    result_keys: list[bytes | None] = [None] * len(evidence)
    if known is not None and digests is not None:
        result_keys = [known.key(d, item) for d, item in zip(digests, evidence, strict=True)]
    stored = known.get(result_keys) if known is not None else {}
    new: list[tuple[bytes, bytes]] = []
    for item, key in zip(evidence, result_keys, strict=True):
        encoded = stored.get(key) if key is not None else None
        if encoded is None:
            result = sorted_publication(evaluate(item, rules, today))
            encoded = result.model_dump_json().encode()
            if key is not None:
                new.append((key, encoded))
        publication = item.publication
        spool.append_encoded(encoded, publication.file, (publication.line, publication.key))
    if known is not None and new:
        known.put(new)


def spooled_result(sources: Sequence[str], spool: PublicationSpool) -> RunResult:
    """A :class:`RunResult` whose publications stay in ``spool`` (not validated into a list:
    reporters read them one at a time)."""
    fields: dict[str, Any] = {
        "tool_version": __version__,
        "generated_at": datetime.now(UTC).replace(microsecond=0),
        "inputs": list(sources),
        "publications": spool,
    }
    return RunResult.model_construct(**fields)
