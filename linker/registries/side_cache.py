"""A best-effort SQLite file beside the outcome cache (search answers, PubMed records).

Any SQLite trouble turns such a cache off for the run: it only ever costs requests, so it is
never a reason to fail.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BestEffortSqlite:
    """Opens ``path`` on first use and creates its table with ``schema``; ``_db()`` is None
    once anything went wrong, and stays None for the run."""

    def __init__(self, path: Path, schema: str) -> None:
        self.path = path
        self._schema = schema
        self._connection: sqlite3.Connection | None = None
        self._broken = False

    def _db(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._connection is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(self.path, timeout=10.0)
                self._connection.execute(self._schema)
            except (OSError, sqlite3.Error):
                self._broken = True
                return None
        return self._connection
