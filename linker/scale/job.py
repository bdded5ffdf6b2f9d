"""The per-file function: check one input file with the library pipeline, and (optionally)
write its result as one shard. Everything it needs travels in a picklable :class:`FileJob`,
so the same function runs in process, in a process pool and on Dask workers."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from linker import __version__
from linker.errors import LinkerError
from linker.pipeline import CheckOptions
from linker.readers.part import FilePart
from linker.registries.cache import open_cache
from linker.scale.pubmed_updates import deleted_pmids, is_pubmed_xml
from linker.scale.shards import ShardHeader, content_hash, read_header, shard_path, write_shard
from linker.spool import PublicationSpool, encoded_lines
from linker.streaming import stream_check


@dataclass(frozen=True)
class CacheSpec:
    """How a worker opens the answer cache itself (an open cache cannot be sent to it)."""

    directory: str | None = None
    max_age: str | None = None


@dataclass(frozen=True)
class FileJob:
    """One run's settings for every file: the check options (without an open cache), the
    cache to open, and where shards go (None: results come back in memory)."""

    options: CheckOptions
    cache: CacheSpec | None = None
    shard_dir: str | None = None

    def settings_digest(self, source: str) -> str:
        """What a finished shard must have been made with to be reused: the options, the
        source as named (it is in every location), the date judged at and the tool version."""
        options = dataclasses.replace(self.options, cache=None)
        today = options.today or datetime.now(UTC).date()
        snapshot = Path(options.snapshot) if options.snapshot else None
        version = snapshot.stat().st_mtime_ns if snapshot and snapshot.exists() else None
        text = json.dumps(
            [__version__, source, today.isoformat(), repr(options), version],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class FileResult:
    """What came of one file: its publications (in memory, as the spool holds them: JSON
    lines, report order; bytes travel from a worker far cheaper than models) or its shard, or
    an error."""

    source: str
    encoded: bytes = b""
    deleted: list[str] | None = None  # PubMed XML: its DeleteCitation PMIDs; else None
    warnings: list[str] = field(default_factory=list)
    shard: str | None = None
    reused: bool = False
    error: str | None = None
    count: int = 0
    part: FilePart | None = None  # the part of ``source`` checked (None: all of it)


def check_file(task: str | FilePart, job: FileJob) -> FileResult:
    """Check a file or one part of it (:mod:`linker.scale.split`); never raises for a bad
    input (the error travels in the result). A part that does not give the records counted
    for it is an error too: its file is then checked whole (:mod:`linker.scale.merge`)."""
    part = task if isinstance(task, FilePart) else None
    source = part.source if part is not None else str(task)
    result = FileResult(source=source, part=part)
    try:
        target: Path | None = None
        if job.shard_dir is not None and part is None and Path(source).is_file():
            digest = job.settings_digest(source)
            target = shard_path(Path(job.shard_dir), content_hash(Path(source)))
            header = read_header(target)
            if header is not None and header.settings == digest:
                result.shard, result.reused, result.count = str(target), True, header.publications
                result.deleted = header.deleted
                return result
        cache = (
            open_cache(
                Path(job.cache.directory) if job.cache.directory else None,
                max_age=job.cache.max_age,
                on_warning=result.warnings.append,
            )
            if job.cache is not None
            else None
        )
        options = dataclasses.replace(job.options, cache=cache)
        if part is not None:
            options = dataclasses.replace(
                options, read=dataclasses.replace(options.read, part=part)
            )
        try:
            run = asyncio.run(stream_check([source], options, on_warning=result.warnings.append))
        finally:
            if cache is not None:
                cache.close()
        spool = run.publications  # on disk: a worker's memory does not grow with its file
        try:
            result.deleted = _deleted(source, part)
            result.count = len(spool)
            if part is not None and result.count != part.records:
                raise LinkerError(f"{part.label}: {result.count} records, {part.records} expected")
            if target is None:
                result.encoded = b"".join(encoded_lines(spool))
            else:
                header = ShardHeader(
                    input=source,
                    sha256=target.name.split(".")[0],
                    settings=job.settings_digest(source),
                    tool_version=__version__,
                    publications=len(spool),
                    deleted=result.deleted,
                    run=run.settings,
                )
                write_shard(target, header, spool)
                result.shard = str(target)
        finally:
            if isinstance(spool, PublicationSpool):
                spool.close()
    except LinkerError as error:
        result.error = str(error)
    except OSError as error:
        result.error = f"{source}: {error.strerror or error}"
    return result


def _deleted(source: str, part: FilePart | None) -> list[str] | None:
    """A PubMed XML file's DeleteCitation PMIDs (they come at its end: in its last part)."""
    if not is_pubmed_xml(source):
        return None
    return deleted_pmids(source) if part is None or part.index == part.total else []
