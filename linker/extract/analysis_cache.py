"""What a rerun already knows: each publication's analysis (mentions, classification), cached
beside the registry answers under a hash of the publication and of the code that analysed it.

The key is a digest of the publication as read (every field, positions included, so a moved or
edited record is analysed again) and of a fingerprint of the extraction code: the tool version
and the source of :mod:`linker.extract` with the classifier's weights (a development build of
the same version with other rules gets other keys). A file written by another fingerprint is
emptied on open. A cache that cannot be read or written never fails a run: it is switched off
with one warning, and every publication is analysed.

Beside the analyses, the file keeps publications' evaluated results (table ``results``, see
:mod:`linker.known_results`), under keys that cover the whole package's code: a build that
changes any rule, linker or reporter model finds none of them.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from linker import __version__
from linker.extract.mentions import extract_mentions
from linker.extract.trial_report import classify_publication
from linker.models import Mention, Publication, TrialReport

ANALYSES_FILE = "analyses.sqlite3"
KEEP_FOR = 30 * 86_400.0  # entries not stored again within this long are dropped on open

Analysis = tuple[list[Mention], TrialReport]
_ADAPTER: TypeAdapter[Analysis] = TypeAdapter(Analysis)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS analyses (
    digest BLOB PRIMARY KEY, stored_at REAL NOT NULL, analysis BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    digest BLOB PRIMARY KEY, stored_at REAL NOT NULL, result BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
    digest BLOB PRIMARY KEY, stored_at REAL NOT NULL, publication BLOB NOT NULL
);
"""
# Each table, the meta key of the code fingerprint its entries belong to, and its value column.
_TABLES = {
    "analyses": ("code", "analysis"),
    "results": ("package", "result"),
    "lines": ("package", "publication"),
}
_BATCH = 500  # SQLite's host-parameter limit is far above this


def analyse(publication: Publication) -> Analysis:
    """Mentions and classification of one publication, computed."""
    return extract_mentions(publication), classify_publication(publication)


@cache
def fingerprint() -> bytes:
    """The tool version and the extraction code, as one digest."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("*.json")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(Path(package.parent, "models.py").read_bytes())
    return digest.digest()


@cache
def package_fingerprint() -> bytes:
    """The tool version and every source and data file of the package, as one digest."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parents[1]
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.json")]):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.digest()


def _fingerprints() -> dict[str, bytes]:
    return {"code": fingerprint(), "package": package_fingerprint()}


def publication_digest(publication: Publication) -> bytes:
    return _digest(publication.model_dump_json().encode())


def _digest(encoded: bytes) -> bytes:
    """The digest of a publication from its JSON (``model_dump_json``)."""
    return hashlib.blake2b(encoded, key=fingerprint()[:32]).digest()


class AnalysisCache:
    """The analyses in ``directory`` (the registry cache's directory)."""

    def __init__(
        self,
        directory: Path,
        *,
        on_warning: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = directory / ANALYSES_FILE
        self._on_warning = on_warning
        self._clock = clock
        self._connection: sqlite3.Connection | None = None
        self._broken = False

    def analyse_all(self, publications: Sequence[Publication]) -> list[Analysis]:
        """Every publication's analysis: from the cache where known, else computed (and
        stored)."""
        return self.analyse_keyed(publications)[1]

    def analyse_keyed(
        self, publications: Sequence[Publication], encoded: Sequence[bytes | None] = ()
    ) -> tuple[list[bytes], list[Analysis]]:
        """:meth:`analyse_all`, with each publication's digest (the key of its analysis);
        ``encoded``: the publications' JSON where known, so as not to make it again."""
        known_json = list(encoded) or [None] * len(publications)
        digests = [
            _digest(json) if json is not None else publication_digest(p)
            for p, json in zip(publications, known_json, strict=True)
        ]
        known = self._get("analyses", digests)
        analyses: list[Analysis] = []
        new: list[tuple[bytes, bytes]] = []
        for publication, digest in zip(publications, digests, strict=True):
            stored = known.get(digest)
            if stored is not None:
                try:
                    analyses.append(_ADAPTER.validate_json(stored))
                    continue
                except ValidationError:  # written by hand or damaged: analyse again
                    pass
            analysis = analyse(publication)
            analyses.append(analysis)
            new.append((digest, _ADAPTER.dump_json(analysis)))
        self._put("analyses", new)
        return digests, analyses

    def known_results(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored results (JSON) among ``keys``."""
        return self._get("results", keys)

    def store_results(self, entries: Sequence[tuple[bytes, bytes]]) -> None:
        self._put("results", entries)

    def lines(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored publications (JSON) among ``keys`` (see :mod:`linker.known_lines`)."""
        return self._get("lines", keys)

    def has_lines(self, keys: Sequence[bytes]) -> bool:
        """Whether every one of ``keys`` is stored."""
        connection = self._connect()
        if connection is None:
            return False
        marks = ",".join("?" * len(keys))
        query = f"SELECT COUNT(*) FROM lines WHERE digest IN ({marks})"
        try:
            (count,) = connection.execute(query, list(keys)).fetchone()
        except sqlite3.Error as error:
            self._fail(error)
            return False
        return bool(count == len(set(keys)))

    def store_lines(self, entries: Sequence[tuple[bytes, bytes]]) -> None:
        for start in range(0, len(entries), _BATCH):
            self._put("lines", entries[start : start + _BATCH])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- storage -------------------------------------------------------------------------------

    def _get(self, table: str, digests: Sequence[bytes]) -> dict[bytes, bytes]:
        connection = self._connect() if digests else None
        if connection is None:
            return {}
        found: dict[bytes, bytes] = {}
        column = _TABLES[table][1]
        try:
            for start in range(0, len(digests), _BATCH):
                batch = digests[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                query = f"SELECT digest, {column} FROM {table} WHERE digest IN ({marks})"
                found.update(connection.execute(query, batch).fetchall())
        except sqlite3.Error as error:
            self._fail(error)
            return {}
        return found

    def _put(self, table: str, entries: Sequence[tuple[bytes, bytes]]) -> None:
        connection = self._connect() if entries else None
        if connection is None:
            return
        now = self._clock()
        try:
            with connection:
                connection.executemany(
                    f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
                    [(digest, now, analysis) for digest, analysis in entries],
                )
        except sqlite3.Error as error:
            self._fail(error)

    def _connect(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._connection is not None:
            return self._connection
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(_SCHEMA)
            with connection:
                self._expire(connection)
            _reclaim_space(connection)
        except (sqlite3.Error, OSError) as error:
            self._fail(error)
            return None
        self._connection = connection
        return connection

    def _expire(self, connection: sqlite3.Connection) -> None:
        """Empty the tables written by other code; drop the entries not stored lately."""
        stored = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        codes = {key: value.hex() for key, value in _fingerprints().items()}
        now = self._clock()
        for table, (meta_key, _) in _TABLES.items():
            if stored.get(meta_key) != codes[meta_key]:  # tables sharing a key: all emptied
                connection.execute(f"DELETE FROM {table}")
            connection.execute(
                f"DELETE FROM {table} WHERE stored_at < ? OR stored_at > ?",
                (now - KEEP_FOR, now + 86_400.0),
            )
        connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", codes.items())

    def _fail(self, error: Exception) -> None:
        self._broken = True
        self.close()
        if self._on_warning is not None:
            self._on_warning(f"analysis cache {self.path} is off for this run: {error}")


def _reclaim_space(connection: sqlite3.Connection) -> None:
    """Give the file's free pages back when they are most of it: entries of another version of
    the code are deleted at once, and without this the file would keep its largest size."""
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    if free > 256 and free * 2 > pages:
        connection.execute("VACUUM")


def analyse_all(publications: Sequence[Publication], store: AnalysisCache | None) -> list[Analysis]:
    """Every publication's analysis, through ``store`` when there is one."""
    return analyse_keyed(publications, store)[1]


def analyse_keyed(
    publications: Sequence[Publication],
    store: AnalysisCache | None,
    encoded: Sequence[bytes | None] = (),
) -> tuple[list[bytes] | None, list[Analysis]]:
    """:func:`analyse_all` with the publications' digests (None without a ``store``)."""
    if store is None:
        return None, [analyse(publication) for publication in publications]
    return store.analyse_keyed(publications, encoded)
