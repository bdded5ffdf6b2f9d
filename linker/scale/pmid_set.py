"""A set of PMIDs on disk: what PubMed updates are applied with, in bounded memory.

The backward pass over the files of a whole-PubMed audit (:func:`linker.scale.pubmed_updates.
apply_updates`) has to remember every PMID of the later files: 36 M of them, several GB as a
Python set. Here they are rows of a temporary SQLite table (``WITHOUT ROWID``, keyed by the
PMID) with a page cache of :data:`CACHE_KIB`, asked and added in batches: memory stays flat,
at about 40 bytes of disk per PMID.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

CACHE_KIB = 32_768
_BATCH = 500  # ids per query: under SQLite's host-parameter limit


class PmidSet:
    """Two sets of PMIDs: ``seen`` (later files, or deleted by them) and ``here`` (the file
    being read, added to ``seen`` when it is done with :meth:`end_file`). Use it with
    ``contextlib.closing``."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="trial-linker-pmids-")
        self._db = sqlite3.connect(Path(self._folder.name) / "pmids.sqlite", isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        for table in ("seen", "here"):
            self._db.execute(f"CREATE TABLE {table}(pmid TEXT PRIMARY KEY) WITHOUT ROWID")

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def seen_among(self, pmids: Iterable[str]) -> set[str]:
        """Those of ``pmids`` in ``seen``."""
        wanted = sorted(set(pmids))
        found: set[str] = set()
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT pmid FROM seen WHERE pmid IN ({marks})", chunk)
            found.update(pmid for (pmid,) in rows)
        return found

    def add_seen(self, pmids: Iterable[str]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?)", ((p,) for p in pmids))

    def add_here(self, pmids: Iterable[str]) -> int:
        """Add to ``here``; how many of them were not there yet."""
        before = self._db.total_changes
        self._db.executemany("INSERT OR IGNORE INTO here VALUES (?)", ((p,) for p in pmids))
        return self._db.total_changes - before

    def end_file(self) -> None:
        """The file is done: its PMIDs are now those of a later file."""
        self._db.execute("BEGIN")
        self._db.execute("INSERT OR IGNORE INTO seen SELECT pmid FROM here")
        self._db.execute("DELETE FROM here")
        self._db.execute("COMMIT")
