"""Put per-file results back together: PubMed updates applied, one :class:`RunResult` whose
publications stay on disk (a :class:`~linker.spool.PublicationSpool`), so merging many files
holds only the PMIDs seen in memory, never the publications."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from itertools import islice, repeat
from pathlib import Path

from linker.errors import LinkerError
from linker.results import PublicationResult, RunResult, RunSettings
from linker.scale.job import FileResult
from linker.scale.pmid_set import PmidSet
from linker.scale.pubmed_updates import (
    BATCH,
    apply_updates,
    deleted_pmids,
    is_pubmed_xml,
    read_once_warnings,
)
from linker.scale.shards import SUFFIX, ShardHeader, read_shard
from linker.spool import PublicationSpool, encoded_lines, placed
from linker.streaming import spooled_result

Warn = Callable[[str], None]
Rerun = Callable[[str], FileResult]
"""Checks a file whole (when its parts did not come out exact)."""

PerFile = tuple[Iterable[bytes], Sequence[str] | None]
"""A file's publications (JSON lines, as :meth:`PublicationSpool.encoded` gives them) and, for a
PubMed XML file, its deleted PMIDs (None: not PubMed)."""
Pair = tuple[str | None, bytes]
"""A publication's PMID (None: not a citation version) and its JSON line."""


def _pmid(line: bytes) -> str | None:
    _, _, key = placed(line)
    return key if key.isdigit() else None


def with_updates(files: Sequence[PerFile], on_warning: Warn | None = None) -> PublicationSpool:
    """Publications of files in run order, PubMed deletions and later versions applied (only
    among PubMed XML files: a PMID in another list is not a citation version); ``on_warning``
    is told how many records that dropped, if any."""
    spool = PublicationSpool()
    read = [0]

    def counted(lines: Iterable[bytes], deleted: Sequence[str] | None) -> Iterator[Pair]:
        for line in lines:
            read[0] += 1
            yield (_pmid(line) if deleted is not None else None), line

    pairs = [(counted(lines, deleted), deleted or []) for lines, deleted in files]
    for line in apply_updates(pairs):
        spool.append_line(line)
    dropped = read[0] - len(spool)
    if dropped and on_warning is not None:
        plural = "" if dropped == 1 else "s"
        on_warning(
            f"PubMed updates applied across the inputs: {dropped} record{plural} of earlier "
            "files dropped (deleted by a later <DeleteCitation>, or replaced by a later "
            "version of the same PMID)"
        )
    return spool


def result_of(
    inputs: Sequence[str], spool: PublicationSpool, settings: RunSettings | None
) -> RunResult:
    return spooled_result(inputs, spool).model_copy(update={"settings": settings})


def _spill(result: FileResult, path: Path) -> Path:
    """A result's shard, or its in-memory publications written to ``path`` as they came (JSON
    lines: no model is built, no compression)."""
    if result.shard is not None:
        return Path(result.shard)
    path.write_bytes(result.encoded)
    result.encoded = b""
    return path


def _lines(path: Path) -> Iterator[bytes]:
    """The publications of a spilled result, or of a shard (validated: it may be an older
    run's, on disk since)."""
    if path.name.endswith(SUFFIX):
        yield from encoded_lines(read_shard(path)[1])
        return
    with path.open("rb") as handle:
        yield from handle


def _per_file(
    results: Iterable[FileResult], spill: Path, on_warning: Warn | None, rerun: Rerun | None
) -> Iterator[tuple[list[Path], Sequence[str] | None]]:
    """Each file's shards (one, or one per part, in order) and deletions. Results that came
    back in memory are spilled to ``spill``, so only one is in memory at a time. A file whose
    parts did not all come out exact, or gave warnings, is checked again whole with ``rerun``
    (its parts' warnings dropped, the whole run's given). The first error ends it, every one
    named."""
    errors: list[str] = []
    parts: list[Path] = []
    held: list[str] = []  # the warnings of the current file's parts
    failure: str | None = None  # the first error among them
    for index, result in enumerate(results):
        part = result.part
        if part is not None:
            held.extend(result.warnings)
            if result.error is None:
                parts.append(_spill(result, spill / f"{index:08d}.jsonl"))
            failure = failure or result.error
            if part.index < part.total:
                continue
            # Parts that warned are read again whole: a file's warnings count what it holds
            # (the first five records without text, then how many more), not what each part does.
            if failure is None and (not held or rerun is None):
                for message in held:
                    if on_warning is not None:
                        on_warning(message)
                yield parts, result.deleted
                parts, held = [], []
                continue
            for path in parts:
                path.unlink(missing_ok=True)
            if rerun is not None:
                result = rerun(part.source)
            else:
                result = FileResult(source=part.source, warnings=held, error=failure)
            parts, held, failure = [], [], None
        for message in result.warnings:
            if on_warning is not None:
                on_warning(message)
        if result.error is not None:
            errors.append(result.error)
            continue
        yield [_spill(result, spill / f"{index:08d}.jsonl")], result.deleted
    if errors:
        for message in errors[1:]:
            if on_warning is not None:
                on_warning(f"also failed: {message}")
        raise LinkerError(errors[0])


def _chained(paths: Sequence[Path]) -> Iterator[bytes]:
    for path in paths:
        yield from _lines(path)


def merge_file_results(
    inputs: Sequence[str],
    results: Iterable[FileResult],
    settings: RunSettings | None = None,
    on_warning: Warn | None = None,
    rerun: Rerun | None = None,
) -> RunResult:
    """The run's result from its files' (or their parts') results, in ``inputs`` order.
    Every file's warnings are passed on and every failed file named; then the first failure
    ends the run. ``rerun`` checks a file whole when its parts did not come out exact. An
    input that is not a regular file counts as not PubMed XML, with a warning where that
    could matter (:func:`~linker.scale.pubmed_updates.read_once_warnings`)."""
    with tempfile.TemporaryDirectory(prefix="trial-linker-merge-") as spill:
        shards = list(_per_file(results, Path(spill), on_warning, rerun))
        _warn_read_once(inputs, is_pubmed_xml, on_warning)
        files: list[PerFile] = [(_chained(paths), deleted) for paths, deleted in shards]
        return result_of(inputs, with_updates(files, on_warning), settings)


def merge_shards(paths: Sequence[Path], on_warning: Warn | None = None) -> RunResult:
    """One result from shard files, taken in the order of the inputs they came from (for an
    input with several shards, edited between runs, the newest)."""
    newest: dict[str, tuple[int, Path, ShardHeader]] = {}
    for path in paths:
        header, _ = read_shard(path)
        made = path.stat().st_mtime_ns
        if header.input not in newest or made > newest[header.input][0]:
            newest[header.input] = (made, path, header)
    inputs = sorted(newest)
    files: list[PerFile] = [
        (encoded_lines(read_shard(newest[s][1])[1]), newest[s][2].deleted) for s in inputs
    ]
    settings = next((newest[s][2].run for s in inputs if newest[s][2].run), None)
    return result_of(inputs, with_updates(files, on_warning), settings)


def _of_file(publications: Iterable[PublicationResult], source: str) -> Iterator[PublicationResult]:
    return (p for p in publications if p.file == source)


def _warn_read_once(
    inputs: Sequence[str], pubmed: Callable[[str], bool], warn: Warn | None
) -> None:
    if warn is not None:
        for message in read_once_warnings(inputs, pubmed):
            warn(message)


def apply_pubmed_updates(result: RunResult, on_warning: Warn | None = None) -> RunResult:
    """A plain run's result with PubMed update files applied across its inputs, as the
    per-file executors apply them (so ``check`` gives the same result with or without them).
    The result comes back unchanged when no input deletes or repeats a PubMed citation.

    Only regular files are looked at again for their delete lists: a FIFO, a pipe
    (``<(zcat a.xml.gz)``) or standard input is read once, by the run (opening a FIFO again
    blocked for ever); it counts as not PubMed XML, and ``on_warning`` is told where its
    updates could have applied (:func:`~linker.scale.pubmed_updates.read_once_warnings`)."""
    if len(result.inputs) < 2:
        return result
    pubmed = {source for source in result.inputs if is_pubmed_xml(source)}
    _warn_read_once(result.inputs, pubmed.__contains__, on_warning)
    deletions = {source: deleted_pmids(source) for source in pubmed}
    if not any(deletions.values()) and not _repeats(result.publications, pubmed):
        return result
    files: list[PerFile] = [
        (
            encoded_lines(_of_file(result.publications, source)),
            deletions.get(source) if source in pubmed else None,
        )
        for source in result.inputs
    ]
    merged = with_updates(files, on_warning)
    if isinstance(result.publications, PublicationSpool):
        result.publications.close()
    return result_of(result.inputs, merged, result.settings)


def _repeats(publications: Iterable[PublicationResult], pubmed: set[str]) -> bool:
    """Whether a PMID comes twice among the publications of PubMed XML files (on disk)."""
    pmids = (p for p in map(_pmid_in_pubmed, publications, repeat(pubmed)) if p is not None)
    with closing(PmidSet()) as seen:
        while batch := list(islice(pmids, BATCH)):
            if seen.add_here(batch) < len(batch):
                return True
    return False


def _pmid_in_pubmed(publication: PublicationResult, pubmed: set[str]) -> str | None:
    key = publication.key
    return key if key.isdigit() and publication.file in pubmed else None
