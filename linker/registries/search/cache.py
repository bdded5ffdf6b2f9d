"""Registry search answers, cached beside the outcome cache (``searches.sqlite3``).

Only answers a registry gave are stored (a failed search is asked again next run); an answer
is fresh for the outcome cache's ``found`` lifetime. Any SQLite trouble turns the cache off
for the run: a search cache is a convenience, never a reason to fail.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from linker.models import Registry
from linker.registries.interface import RegistryRecord
from linker.registries.search.interface import TrialQuery
from linker.registries.side_cache import BestEffortSqlite

SEARCH_FILE = "searches.sqlite3"
_RECORDS = TypeAdapter(list[RegistryRecord])
_SCHEMA = """CREATE TABLE IF NOT EXISTS searches (
    registry TEXT NOT NULL, query TEXT NOT NULL, stored_at REAL NOT NULL, records TEXT NOT NULL,
    PRIMARY KEY (registry, query))"""


def query_key(query: TrialQuery, base_url: str) -> str:
    """Keyed by the registry's base URL too: a mirror's answers are not the registry's."""
    return json.dumps([base_url, query.by, list(query.terms)], ensure_ascii=False)


class SearchCache(BestEffortSqlite):
    def __init__(
        self, directory: Path, *, max_age: float, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(directory / SEARCH_FILE, _SCHEMA)
        self.max_age = max_age
        self._clock = clock

    def get(
        self, registry: Registry, query: TrialQuery, base_url: str = ""
    ) -> list[RegistryRecord] | None:
        db = self._db()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT stored_at, records FROM searches WHERE registry = ? AND query = ?",
                (registry.value, query_key(query, base_url)),
            ).fetchone()
        except sqlite3.Error:
            self._broken = True
            return None
        if row is None or self._clock() - float(row[0]) > self.max_age:
            return None
        try:
            return _RECORDS.validate_json(row[1])
        except ValidationError:
            return None

    def put(
        self,
        registry: Registry,
        query: TrialQuery,
        records: Sequence[RegistryRecord],
        base_url: str = "",
    ) -> None:
        db = self._db()
        if db is None:
            return
        try:
            with db:
                db.execute(
                    "INSERT OR REPLACE INTO searches VALUES (?, ?, ?, ?)",
                    (
                        registry.value,
                        query_key(query, base_url),
                        self._clock(),
                        _RECORDS.dump_json(list(records)).decode("utf-8"),
                    ),
                )
        except sqlite3.Error:
            self._broken = True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
