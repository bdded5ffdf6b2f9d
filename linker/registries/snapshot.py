"""Answer identifiers from a registry snapshot (``--snapshot FILE``, see :mod:`linker.snapshot`).

For each registry the snapshot holds, an id is answered with the stored outcome (``found``,
``alias``, or a recorded ``not_found``) or, when that registry's part is complete (a full
download), ``not_found`` *in the snapshot of its date*. Every answer carries
``snapshot_date``. Registries the snapshot lacks, and ids an incomplete part lacks, are left
for the cache and the live clients.

A snapshot is older than the papers that cite trials registered after it: :func:`as_of_paper`
turns a snapshot's ``not_found`` into ``unverified`` unless the snapshot is from a later year
than the paper (the paper's year is all a publication list reliably gives).
"""

from __future__ import annotations

import gc
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from linker.models import Publication, Registry
from linker.registries.interface import Outcome, OutcomeKind
from linker.registries.unsupported import lookup_url
from linker.snapshot.database import SnapshotSource, connect, read_sources
from linker.snapshot.outcomes import data_datetime

Key = tuple[Registry, str]
_CHUNK = 500  # ids per query: under SQLite's host-parameter limit


class Snapshot:
    """An open snapshot file (read-only; several processes may read it at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection = connect(path)
        self.sources: dict[Registry, SnapshotSource] = read_sources(self._connection)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def answer(self, keys: Iterable[Key]) -> dict[Key, Outcome]:
        """The snapshot's answers for those of ``keys`` it can answer."""
        with _collector_paused():
            return self._answer(keys)

    def _answer(self, keys: Iterable[Key]) -> dict[Key, Outcome]:
        wanted: dict[Registry, list[str]] = {}
        for registry, identifier in keys:
            if registry in self.sources:
                wanted.setdefault(registry, []).append(identifier)
        answers: dict[Key, Outcome] = {}
        for registry, ids in wanted.items():
            source = self.sources[registry]
            stored = self._stored(registry, sorted(set(ids)))
            for identifier in ids:
                outcome = stored.get(identifier)
                if outcome is not None:
                    answers[(registry, identifier)] = outcome
                elif source.complete:
                    answers[(registry, identifier)] = not_in_snapshot(registry, identifier, source)
        return answers

    def _stored(self, registry: Registry, ids: list[str]) -> dict[str, Outcome]:
        """The stored answers among ``ids``, dated. Each is validated once and then dated in
        place (it is new and not shared): copying would double the cost of an answer."""
        source = self.sources[registry]
        retrieved_at = data_datetime(source.data_date)
        retrieved_from = f"{source.source} (snapshot {self.path.name})"
        found: dict[str, Outcome] = {}
        validate = Outcome.model_validate_json
        decompress = zlib.decompress
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._connection.execute(
                f"SELECT id, outcome FROM answers WHERE registry = ? AND id IN ({marks})",
                (registry.value, *chunk),
            )
            for identifier, blob in rows:
                outcome = validate(decompress(blob))  # database.unpack, without a call
                outcome.snapshot_date = source.data_date
                if outcome.record is not None:
                    outcome.record.retrieved_at = retrieved_at
                    outcome.record.retrieved_from = retrieved_from
                found[identifier] = outcome
        return found


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while answers are built: each answer is a tree
    of a dozen new objects that are all kept, so the collector's passes over the growing heap
    find nothing to free and cost more than building the answers (3-4x at 100,000 answers).
    The answers hold no reference cycles, so nothing is left for it afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def snapshot_parts(path: Path | str | None) -> dict[Registry, SnapshotSource]:
    """The registries a snapshot holds, with their data dates (none without a snapshot)."""
    if path is None:
        return {}
    with Snapshot(Path(path)) as snapshot:
        return dict(snapshot.sources)


def answer_from_snapshot(path: Path | str | None, keys: Iterable[Key]) -> dict[Key, Outcome]:
    """What the snapshot at ``path`` answers of ``keys`` (nothing when ``path`` is None)."""
    if path is None:
        return {}
    with Snapshot(Path(path)) as snapshot:
        return snapshot.answer(keys)


def not_in_snapshot(registry: Registry, identifier: str, source: SnapshotSource) -> Outcome:
    return Outcome(
        kind=OutcomeKind.NOT_FOUND,
        registry=registry,
        requested_id=identifier,
        reason=f"not in the {registry.label} snapshot of {source.data_date.isoformat()}",
        url=page_url(registry, identifier),
        snapshot_date=source.data_date,
    )


def as_of_paper(outcome: Outcome, publication: Publication) -> Outcome:
    """A snapshot's ``not_found`` as it stands for this paper: ``unverified`` when the trial
    may have been registered after the snapshot was taken (the paper is not older than it)."""
    taken = outcome.snapshot_date
    if outcome.kind is not OutcomeKind.NOT_FOUND or taken is None:
        return outcome
    if publication.year is not None and publication.year < taken.year:
        return outcome
    when = f"from {publication.year}" if publication.year is not None else "of unknown date"
    return outcome.model_copy(
        update={
            "kind": OutcomeKind.UNVERIFIED,
            "reason": f"{outcome.reason}, and the paper is {when}: the trial may have been "
            "registered after the snapshot",
        }
    )


def page_url(registry: Registry, identifier: str) -> str | None:
    """Where a person reads the record (the clients' modules, with the HTTP layer they import,
    only loaded when a snapshot answers)."""
    if registry is Registry.CTGOV:
        from linker.registries.ctgov import study_page_url

        return study_page_url(identifier)
    if registry is Registry.ISRCTN:
        from linker.registries.isrctn import trial_page_url

        return trial_page_url(identifier)
    return lookup_url(registry, identifier)
