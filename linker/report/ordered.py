"""Rows sorted on disk: a report that must list many items in an order of its own (the
accepted findings, by file, line and rule) writes them to a temporary SQLite file and reads
them back sorted, so memory does not grow with their number."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType


class DiskOrder:
    """Add (key, text) rows, then iterate the texts by key (ties in the order added)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="trial-linker-")
        self._rows = sqlite3.connect(Path(self._folder.name) / "order.sqlite3")
        self._rows.execute("CREATE TABLE row (a TEXT, b INTEGER, c TEXT, body TEXT)")
        self.count = 0

    def add(self, key: tuple[str, int, str], body: str) -> None:
        self._rows.execute("INSERT INTO row VALUES (?, ?, ?, ?)", (*key, body))
        self.count += 1

    def __iter__(self) -> Iterator[str]:
        for (body,) in self._rows.execute("SELECT body FROM row ORDER BY a, b, c, rowid"):
            yield body

    def close(self) -> None:
        self._rows.close()
        self._folder.cleanup()

    def __enter__(self) -> DiskOrder:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
