"""PubMed answers, cached beside the registry outcome cache (``papers.sqlite3``).

As for the registries: a found record stays fresh for the outcome cache's long lifetime, a
not-found answer for its shorter one (a record may appear; a stale "not found" would be a false
warning), an unverified outcome is never stored. Any SQLite trouble turns the cache off for the
run: it only costs requests.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import ValidationError

from linker.registries.cache import Lifetimes
from linker.registries.side_cache import BestEffortSqlite
from linker.sources.interface import PaperOutcome, PaperOutcomeKind

PAPERS_FILE = "papers.sqlite3"
_SCHEMA = """CREATE TABLE IF NOT EXISTS papers (
    source TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, stored_at REAL NOT NULL,
    outcome TEXT NOT NULL, PRIMARY KEY (source, id))"""
_CACHEABLE = frozenset({PaperOutcomeKind.FOUND, PaperOutcomeKind.NOT_FOUND})


class PaperCache(BestEffortSqlite):
    def __init__(
        self,
        directory: Path,
        *,
        lifetimes: Lifetimes | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(directory / PAPERS_FILE, _SCHEMA)
        self.lifetimes = lifetimes or Lifetimes()
        self._clock = clock

    def get_many(self, source: str, ids: Iterable[str]) -> dict[str, PaperOutcome]:
        db = self._db()
        found: dict[str, PaperOutcome] = {}
        if db is None:
            return found
        now = self._clock()
        try:
            for identifier in dict.fromkeys(ids):
                row = db.execute(
                    "SELECT kind, stored_at, outcome FROM papers WHERE source = ? AND id = ?",
                    (source, identifier),
                ).fetchone()
                if row is None:
                    continue
                lifetime = (
                    self.lifetimes.not_found
                    if row[0] == PaperOutcomeKind.NOT_FOUND
                    else self.lifetimes.long
                )
                if now - float(row[1]) > lifetime:
                    continue
                try:
                    outcome = PaperOutcome.model_validate_json(row[2])
                except ValidationError:
                    continue
                found[identifier] = outcome.model_copy(update={"from_cache": True})
        except sqlite3.Error:
            self._broken = True
        return found

    def put_many(self, outcomes: Iterable[PaperOutcome]) -> int:
        rows = [
            (o.source, o.requested_id, o.kind.value, self._clock(), o.model_dump_json())
            for o in outcomes
            if o.kind in _CACHEABLE and not o.from_cache
        ]
        db = self._db()
        if db is None or not rows:
            return 0
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO papers VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            self._broken = True
            return 0
        return len(rows)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
