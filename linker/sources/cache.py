"""PubMed answers and DOI lookups, cached beside the registry outcome cache (``papers.sqlite3``).

As for the registries: a found answer stays fresh for the outcome cache's long lifetime, a
not-found answer for its shorter one (a record may appear; a stale "not found" would be a false
warning), an unverified outcome is never stored. Any SQLite trouble turns the cache off for the
run: it only costs requests.
"""

from __future__ import annotations

import sqlite3
import time
from abc import abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from linker.registries.cache import Lifetimes
from linker.registries.side_cache import BestEffortSqlite
from linker.sources.doi import DoiLink
from linker.sources.interface import PaperOutcome, PaperOutcomeKind

PAPERS_FILE = "papers.sqlite3"
_CACHEABLE = frozenset({PaperOutcomeKind.FOUND, PaperOutcomeKind.NOT_FOUND})


Answer = TypeVar("Answer", PaperOutcome, DoiLink)


def _schema(table: str) -> str:
    return f"""CREATE TABLE IF NOT EXISTS {table} (
    source TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, stored_at REAL NOT NULL,
    outcome TEXT NOT NULL, PRIMARY KEY (source, id))"""


class _AnswerTable(BestEffortSqlite, Generic[Answer]):
    """One table of ``papers.sqlite3``: answers of one model, keyed by (source, id)."""

    table: str
    model: type[Answer]

    def __init__(
        self,
        directory: Path,
        *,
        lifetimes: Lifetimes | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(directory / PAPERS_FILE, _schema(self.table))
        self.lifetimes = lifetimes or Lifetimes()
        self._clock = clock

    def get_many(self, source: str, ids: Iterable[str]) -> dict[str, Answer]:
        db = self._db()
        found: dict[str, Answer] = {}
        if db is None:
            return found
        now = self._clock()
        query = f"SELECT kind, stored_at, outcome FROM {self.table} WHERE source = ? AND id = ?"
        try:
            for identifier in dict.fromkeys(ids):
                row = db.execute(query, (source, identifier)).fetchone()
                if row is None:
                    continue
                lifetime = (
                    self.lifetimes.not_found
                    if row[0] == PaperOutcomeKind.NOT_FOUND
                    else self.lifetimes.long
                )
                if not 0 <= now - float(row[1]) <= lifetime:
                    continue  # stale, or stored "in the future"
                try:
                    answer = self.model.model_validate_json(row[2])
                except ValidationError:
                    continue
                found[identifier] = answer.model_copy(update={"from_cache": True})
        except sqlite3.Error:
            self._broken = True
        return found

    @abstractmethod
    def key(self, answer: Answer) -> tuple[str, str]:
        """The (source, id) ``answer`` is stored under."""

    def put_many(self, answers: Iterable[Answer]) -> int:
        """Store the found and not-found answers (never an unverified one, never one that
        came from the cache); how many were stored."""
        now = self._clock()
        rows: list[tuple[str, str, str, float, str]] = []
        for answer in answers:
            if answer.kind in _CACHEABLE and not answer.from_cache:
                source, identifier = self.key(answer)
                rows.append((source, identifier, answer.kind.value, now, answer.model_dump_json()))
        return self._put(rows)

    def _put(self, rows: list[tuple[str, str, str, float, str]]) -> int:
        db = self._db()
        if db is None or not rows:
            return 0
        try:
            with db:
                db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error:
            self._broken = True
            return 0
        return len(rows)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class PaperCache(_AnswerTable[PaperOutcome]):
    """PubMed records by PMID."""

    table = "papers"
    model = PaperOutcome

    def key(self, answer: PaperOutcome) -> tuple[str, str]:
        return answer.source, answer.requested_id


class DoiCache(_AnswerTable[DoiLink]):
    """DOI -> PMID lookups, by normalised DOI."""

    table = "doi_links"
    model = DoiLink
    source = "pubmed"

    def key(self, answer: DoiLink) -> tuple[str, str]:
        return self.source, answer.doi
