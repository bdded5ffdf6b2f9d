"""Every file trial-linker writes in its cache directory, for ``cache info`` and ``cache clear``.

The registry answers (``outcomes.sqlite3``, :mod:`linker.registries.cache`) have their own
schema checks; beside them live three best-effort side caches: PubMed answers and DOI lookups
(``papers.sqlite3``), registry search answers (``searches.sqlite3``) and what a rerun already
knows (``analyses.sqlite3``: publication analyses, evaluated results and read lines). The
compiled Hyperscan databases of the scans (``scan-databases/`` and ``hyperscan/``) are kept in
the user's cache directory whatever the configured one (:func:`scan_database_root`).

The contract is the outcome cache's: ``info`` reads without changing anything and raises
:class:`~linker.errors.CacheError` when it cannot read a file (its entries would be unknown,
not zero); ``clear`` empties every file and raises when entries are left. Files set aside by a
newer or foreign schema are listed and never deleted.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from linker.errors import CacheError
from linker.registries.cache import (
    CACHE_FILE,
    default_cache_dir,
    read_only_connection,
    sidecars,
    transaction,
)

_TIMEOUT = 10.0


@dataclass(frozen=True)
class Table:
    name: str
    breakdown: tuple[str, ...] = ()  # columns the entry count is broken down by


@dataclass(frozen=True)
class SideFile:
    name: str
    holds: str
    tables: tuple[Table, ...]


# The names are those of linker.sources.cache, linker.registries.search.cache and
# linker.extract.analysis_cache (tests/test_caches.py keeps them in step); not imported so that
# `cache info` does not load the classifier.
SIDE_FILES = (
    SideFile(
        "papers.sqlite3",
        "PubMed answers",
        (Table("papers", ("source", "kind")), Table("doi_links", ("'doi-to-pmid'", "kind"))),
    ),
    SideFile("searches.sqlite3", "registry search answers", (Table("searches", ("registry",)),)),
    SideFile(
        "analyses.sqlite3",
        "publication analyses, results and read lines",
        (Table("analyses"), Table("results"), Table("lines")),
    ),
)
# The folders of linker.extract.pattern_set and linker.extract.scan (tests/test_caches.py keeps
# them in step), below scan_database_root().
SCAN_DATABASES = ("scan-databases", "hyperscan")


@dataclass(frozen=True)
class SideInfo:
    path: Path
    holds: str
    exists: bool
    size_bytes: int = 0
    entries: dict[str, int] = field(default_factory=dict)  # "pubmed found" -> n

    @property
    def total(self) -> int:
        return sum(self.entries.values())


def file_size(path: Path) -> int:
    """The database and its WAL sidecars, in bytes."""
    return sum(p.stat().st_size for p in (path, *sidecars(path)) if p.exists())


def _tables(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def side_info(directory: Path, side: SideFile) -> SideInfo:
    path = directory / side.name
    if not path.exists():
        return SideInfo(path, side.holds, False)
    entries: dict[str, int] = {}
    try:
        connection = read_only_connection(path, _TIMEOUT)
        try:
            present = _tables(connection)
            for table in side.tables:
                if table.name not in present:
                    continue
                columns = ", ".join(table.breakdown) or "''"
                query = f"SELECT {columns}, COUNT(*) FROM {table.name} GROUP BY {columns}"
                for *labels, count in connection.execute(query).fetchall():
                    label = " ".join(str(part) for part in labels) or table.name
                    entries[label] = entries.get(label, 0) + int(count)
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise CacheError(f"cache {path}: cannot read it: {error}") from error
    return SideInfo(path, side.holds, True, file_size(path), entries)


def side_clear(directory: Path, side: SideFile) -> int:
    """Empty ``side``'s tables; how many entries there were."""
    path = directory / side.name
    if not path.exists():
        return 0
    removed = 0
    try:
        connection = sqlite3.connect(path, timeout=_TIMEOUT, isolation_level=None)
        try:
            present = _tables(connection)
            names = [t.name for t in side.tables if t.name in present]
            with transaction(connection):
                for name in names:
                    removed += max(connection.execute(f"DELETE FROM {name}").rowcount, 0)
            left = sum(
                connection.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in names
            )
            if left:
                raise CacheError(f"cache {path}: cannot clear it: {left} entries are still there")
            with contextlib.suppress(sqlite3.OperationalError):
                connection.execute("VACUUM")  # only space: the entries are gone
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise CacheError(f"cache {path}: cannot clear it: {error}") from error
    return removed


@dataclass(frozen=True)
class FolderInfo:
    path: Path
    files: int = 0
    size_bytes: int = 0


def scan_database_root() -> Path:
    """Where the compiled scan databases are: the user's cache directory (platformdirs), not
    the configured cache directory."""
    return default_cache_dir()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def scan_databases_info(root: Path) -> list[FolderInfo]:
    """Each folder of compiled scan databases: its files and their size."""
    try:
        return [
            FolderInfo(root / name, len(files), sum(p.stat().st_size for p in files))
            for name in SCAN_DATABASES
            for files in [_files(root / name)]
        ]
    except OSError as error:
        raise CacheError(f"compiled scan databases in {root}: cannot read them: {error}") from error


def scan_databases_clear(root: Path) -> int:
    """Delete every compiled scan database (a run compiles what it needs again, in about a
    second); how many files there were."""
    removed = 0
    for name in SCAN_DATABASES:
        folder = root / name
        try:
            for path in _files(folder):
                path.unlink(missing_ok=True)
                removed += 1
        except OSError as error:
            raise CacheError(f"cache {folder}: cannot clear it: {error}") from error
    return removed


def set_aside(directory: Path) -> list[Path]:
    """Files the caches moved out of the way (newer or foreign schema): kept, never read."""
    if not directory.is_dir():
        return []
    names = (CACHE_FILE, *(side.name for side in SIDE_FILES))
    return sorted(p for name in names for p in directory.glob(f"{name}.set-aside-*"))
