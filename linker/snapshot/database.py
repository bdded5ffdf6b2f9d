"""The snapshot file: one SQLite database, one table of answers keyed by (registry, id).

SQLite, not DuckDB: answering is indexed point look-ups (the look-ups of 100,000 ids take a
fraction of a second; building the answers' objects is what costs),
several worker processes read the file at once (``--jobs``, Dask workers on one host) and the
standard library has it, so ``--snapshot`` needs no extra. DuckDB would win at scans and joins,
which answering never does (docs/scale.md).

Layout (``FORMAT`` is bumped on any incompatible change)::

    meta(key, value)                      format version
    sources(registry, data_date, complete, source, imported_at, records)
    answers(registry, id, kind, outcome)  outcome: zlib-compressed Outcome JSON

``complete`` says whether the source holds the whole registry (a full download): only then is
an id absent from the file *not found* in a snapshot of that date. A recorded store holds the
answers to what was asked, so an id it lacks is not answered from the snapshot at all.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from linker.errors import InputError
from linker.models import Registry
from linker.registries.interface import Outcome

FORMAT = "1"
BATCH = 5000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources(
    registry TEXT PRIMARY KEY, data_date TEXT NOT NULL, complete INTEGER NOT NULL,
    source TEXT NOT NULL, imported_at TEXT NOT NULL, records INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS answers(
    registry TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, outcome BLOB NOT NULL,
    PRIMARY KEY (registry, id)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class SnapshotSource:
    """What one registry's part of a snapshot is."""

    registry: Registry
    data_date: date
    complete: bool
    source: str
    imported_at: datetime
    records: int


def pack(outcome: Outcome) -> bytes:
    return zlib.compress(outcome.model_dump_json(exclude_defaults=True).encode("utf-8"), 1)


def unpack(blob: bytes) -> Outcome:
    return Outcome.model_validate_json(zlib.decompress(blob))


def connect(path: Path, *, write: bool = False) -> sqlite3.Connection:
    """An open snapshot; :class:`InputError` when ``path`` is not one (or cannot be made)."""
    try:
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, isolation_level=None)
            connection.execute("PRAGMA synchronous = OFF")  # an import is redone, not repaired
            connection.executescript(_SCHEMA)
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
            return connection
        if not path.is_file():
            raise InputError(str(path), "no such snapshot (make one with `snapshot import`)")
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        row = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.DatabaseError as error:
        raise InputError(str(path), f"not a trial-linker snapshot ({error})") from None
    except OSError as error:
        raise InputError(str(path), f"cannot open: {error.strerror or error}") from None
    if row is None or row[0] != FORMAT:
        connection.close()
        found = row[0] if row else "none"
        raise InputError(str(path), f"snapshot format {found}, this version reads {FORMAT}")
    return connection


def read_sources(connection: sqlite3.Connection) -> dict[Registry, SnapshotSource]:
    rows = connection.execute(
        "SELECT registry, data_date, complete, source, imported_at, records FROM sources"
    )
    return {
        Registry(registry): SnapshotSource(
            registry=Registry(registry),
            data_date=date.fromisoformat(data_date),
            complete=bool(complete),
            source=source,
            imported_at=datetime.fromisoformat(imported_at),
            records=records,
        )
        for registry, data_date, complete, source, imported_at, records in rows
    }


@contextmanager
def replacing(path: Path, registry: Registry, *, source: str, complete: bool) -> Iterator[Writer]:
    """A writer that replaces ``registry``'s part of the snapshot at ``path`` in one
    transaction: a failed import leaves the previous snapshot as it was."""
    connection = connect(path, write=True)
    writer = Writer(connection, registry, complete=complete)
    try:
        connection.execute("BEGIN")
        connection.execute("DELETE FROM answers WHERE registry = ?", (registry.value,))
        yield writer
        writer.flush()
        if writer.data_date is None:
            raise InputError(source, "no record carries a date: give --date YYYY-MM-DD")
        connection.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
            (
                registry.value,
                writer.data_date.isoformat(),
                int(writer.complete),
                source,
                datetime.now(UTC).replace(microsecond=0).isoformat(),
                writer.records,
            ),
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


class Writer:
    """Collects answers in batches; ``data_date`` is what the import found or was told."""

    def __init__(
        self, connection: sqlite3.Connection, registry: Registry, *, complete: bool
    ) -> None:
        self.connection = connection
        self.registry = registry
        self.complete = complete
        self.records = 0
        self.data_date: date | None = None
        self.fixed_date = False
        self._pending: list[tuple[str, str, str, bytes]] = []

    def fix_date(self, value: date) -> None:
        """The data date the user gave: later dates seen in the records no longer move it."""
        self.data_date, self.fixed_date = value, True

    def saw_date(self, value: date | None) -> None:
        """A date found in the data: the snapshot is at least this recent."""
        if value is not None and not self.fixed_date:
            self.data_date = value if self.data_date is None else max(self.data_date, value)

    def add(self, key: str, outcome: Outcome, *, record: bool = True) -> None:
        """Store ``outcome`` as the answer for ``key``; ``record`` counts it as a record
        (aliases are answers, not records)."""
        self._pending.append((self.registry.value, key, outcome.kind.value, pack(outcome)))
        self.records += record
        if len(self._pending) >= BATCH:
            self.flush()

    def add_all(self, items: Iterable[tuple[str, Outcome]]) -> None:
        for key, outcome in items:
            self.add(key, outcome)

    def flush(self) -> None:
        self.connection.executemany(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", self._pending
        )
        self._pending.clear()
