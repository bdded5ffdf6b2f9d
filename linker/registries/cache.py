"""A persistent cache of registry outcomes, shared by runs: one SQLite file.

Only answers a registry actually gave are kept: ``found``, ``alias`` and ``not_public`` for a
week, ``not_found`` for a day (a record may be published meanwhile, and a stale "not found" would
be a false accusation). ``unverified`` is never stored (a timeout today says nothing about
tomorrow) and neither is ``unsupported`` (it needs no network). Freshness is decided when
reading, from the time an entry was stored, so a shorter ``max_age`` applies to old entries too.

Every entry is keyed by the registry *and its base URL*: an answer from one server (a mirror,
a test stand-in, a proxy) is never served for another. An entry stored "in the future" (a clock
set back, a file from another machine) counts as expired.

Two runs may share the file: WAL journal, a busy timeout, one short transaction per batch and
UPSERTs. The file carries a schema version: an older one of ours is rebuilt; a newer one, a
foreign database or an unreadable file is *set aside* (renamed, never deleted or trusted) and
reported once through ``on_warning``. During a run a cache failure never fails the run, it only
costs requests; ``cache info`` and ``cache clear`` instead raise :class:`CacheError`, so that
they never report a state the file is not in.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from pydantic import ValidationError

from linker.errors import CacheError
from linker.models import Registry
from linker.registries.interface import Outcome, OutcomeKind

# 2: records carry registry references and transitions; EUCTR "(0)" is not_public.
# 3: entries keyed by the registry's base URL too.
SCHEMA_VERSION = 3
CACHE_FILE = "outcomes.sqlite3"
DAY = 86_400.0
LONG_LIVED = frozenset({OutcomeKind.FOUND, OutcomeKind.ALIAS, OutcomeKind.NOT_PUBLIC})
CACHEABLE = LONG_LIVED | {OutcomeKind.NOT_FOUND}

Key = tuple[Registry, str]
Warn = Callable[[str], None]
Clock = Callable[[], float]

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": DAY, "w": 7 * DAY}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by trial-linker.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outcomes (
    registry TEXT NOT NULL,
    base_url TEXT NOT NULL,
    requested_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    stored_at REAL NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (registry, base_url, requested_id)
);
"""


def parse_duration(value: str | float | int | object) -> float:
    """Seconds from ``3600``, ``"3600"``, ``"90s"``, ``"500ms"``, ``"12h"``, ``"7d"``, ``"1d12h"``.

    Raises :class:`ValueError` with a readable message otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip().lower()
        try:
            seconds = float(text)
        except ValueError:
            parts = _DURATION.findall(text)
            if not parts or "".join(_DURATION.sub("", text).split()):
                raise ValueError(
                    f'not a duration: {value!r} (use seconds or e.g. "500ms", "12h", "7d")'
                ) from None
            seconds = sum(float(amount) * _UNITS[unit] for amount, unit in parts)
    if seconds < 0:
        raise ValueError(f"duration must not be negative: {value!r}")
    return seconds


def default_cache_dir() -> Path:
    return platformdirs.user_cache_path("trial-linker")


@dataclass(frozen=True)
class Lifetimes:
    """How long an outcome of each kind stays fresh, in seconds."""

    long: float = 7 * DAY
    not_found: float = DAY

    @classmethod
    def with_max_age(cls, max_age: float | None) -> Lifetimes:
        """``--max-cache-age`` sets the lifetime of every kind, but never lengthens
        ``not_found`` beyond its default (a stale "not found" accuses falsely)."""
        if max_age is None:
            return cls()
        return cls(long=max_age, not_found=min(cls.not_found, max_age))

    def of(self, kind: OutcomeKind) -> float:
        return self.not_found if kind is OutcomeKind.NOT_FOUND else self.long


@dataclass(frozen=True)
class CacheInfo:
    """What ``trial-linker cache info`` shows."""

    path: Path
    exists: bool
    size_bytes: int
    schema_version: int
    entries: dict[tuple[str, str], int] = field(default_factory=dict)  # (registry, kind) -> n

    @property
    def total(self) -> int:
        return sum(self.entries.values())


class _Corrupt(Exception):
    pass


class OutcomeCache:
    """The outcome cache in ``directory`` (default: the user cache directory)."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        lifetimes: Lifetimes | None = None,
        clock: Clock = time.time,
        on_warning: Warn | None = None,
        busy_timeout: float = 10.0,
    ) -> None:
        self.directory = directory if directory is not None else default_cache_dir()
        self.path = self.directory / CACHE_FILE
        self.lifetimes = lifetimes or Lifetimes()
        self._clock = clock
        self._on_warning = on_warning
        self._busy_timeout = busy_timeout
        self._warned = False
        self._broken = False  # after a runtime failure the cache is off for the rest of the run
        self._connection: sqlite3.Connection | None = None
        self.base_urls: dict[Registry, str] = {}

    def bind(self, base_urls: Mapping[Registry, str]) -> None:
        """The base URL each registry is asked at in this run (the verifier binds them; a
        cache never bound keeps its entries under an empty URL, apart from all others)."""
        self.base_urls = dict(base_urls)

    def base_url(self, registry: Registry) -> str:
        return self.base_urls.get(registry, "")

    # -- public API --------------------------------------------------------------------------

    def get_many(self, keys: Iterable[Key]) -> dict[Key, Outcome]:
        """The fresh cached outcomes among ``keys``, marked ``from_cache``."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        found: dict[Key, Outcome] = {}
        now = self._clock()
        with self._guard("read"):
            connection = self._connect()
            for registry, requested_id in wanted:
                row = connection.execute(
                    "SELECT kind, stored_at, outcome FROM outcomes"
                    " WHERE registry = ? AND base_url = ? AND requested_id = ?",
                    (registry.value, self.base_url(registry), requested_id),
                ).fetchone()
                if row is None:
                    continue
                outcome = self._fresh(row, now)
                if outcome is not None:
                    found[(registry, requested_id)] = outcome
        return found

    def put_many(self, outcomes: Iterable[Outcome]) -> int:
        """Store the cacheable outcomes (one transaction); returns how many were stored."""
        rows = [
            (
                outcome.registry.value,
                self.base_url(outcome.registry),
                outcome.requested_id,
                outcome.kind.value,
                self._clock(),
                # Stored as it will be read back: from the cache.
                outcome.model_copy(update={"from_cache": True}).model_dump_json(),
            )
            for outcome in outcomes
            if outcome.kind in CACHEABLE and not outcome.from_cache
        ]
        if not rows:
            return 0
        with self._guard("write"):
            connection = self._connect()
            with transaction(connection):
                connection.executemany(
                    "INSERT INTO outcomes"
                    " (registry, base_url, requested_id, kind, stored_at, outcome)"
                    " VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (registry, base_url, requested_id) DO UPDATE SET"
                    " kind = excluded.kind, stored_at = excluded.stored_at,"
                    " outcome = excluded.outcome",
                    rows,
                )
            return len(rows)
        return 0

    def info(self) -> CacheInfo:
        """What the file holds, read without changing it; :class:`CacheError` when it cannot
        be read (the entries would be unknown, not zero)."""
        if not self.path.exists():
            return CacheInfo(self.path, False, 0, SCHEMA_VERSION)
        try:
            connection = read_only_connection(self.path, self._busy_timeout)
            try:
                version = _schema_version(connection)
                if version != SCHEMA_VERSION:
                    raise _Corrupt(
                        f"schema version {version}, this trial-linker reads only {SCHEMA_VERSION}"
                    )
                rows = connection.execute(
                    "SELECT registry, kind, COUNT(*) FROM outcomes GROUP BY registry, kind"
                ).fetchall()
            finally:
                connection.close()
        except (sqlite3.Error, _Corrupt) as error:
            raise CacheError(f"cache {self.path}: cannot read it: {error}") from error
        size = sum(
            sibling.stat().st_size
            for sibling in (self.path, *sidecars(self.path))
            if sibling.exists()
        )
        entries = {(registry, kind): count for registry, kind, count in rows}
        return CacheInfo(self.path, True, size, SCHEMA_VERSION, entries)

    def clear(self) -> int:
        """Remove every entry; returns how many there were. :class:`CacheError` when they
        cannot be removed (read-only file, locked, not a trial-linker cache)."""
        if not self.path.exists():
            return 0
        try:
            connection = sqlite3.connect(
                self.path, timeout=self._busy_timeout, isolation_level=None
            )
            try:
                if _schema_version(connection) is None:
                    return 0
                with transaction(connection):
                    removed = connection.execute("DELETE FROM outcomes").rowcount
                (left,) = connection.execute("SELECT COUNT(*) FROM outcomes").fetchone()
                if left:
                    raise _Corrupt(f"{left} entries are still there")
                with contextlib.suppress(sqlite3.OperationalError):
                    connection.execute("VACUUM")  # only space: the entries are gone
            finally:
                connection.close()
        except (sqlite3.Error, _Corrupt) as error:
            raise CacheError(f"cache {self.path}: cannot clear it: {error}") from error
        return max(removed, 0)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> OutcomeCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------------

    def _fresh(self, row: tuple[str, float, str], now: float) -> Outcome | None:
        kind_text, stored_at, payload = row
        try:
            kind = OutcomeKind(kind_text)
            outcome = Outcome.model_validate_json(payload)
        except (ValueError, ValidationError):
            return None  # an entry from elsewhere: ignored, and overwritten by the next answer
        if kind not in CACHEABLE or not 0 <= now - stored_at <= self.lifetimes.of(kind):
            return None  # stale, or stored "in the future": not to be trusted either way
        return outcome if outcome.from_cache else outcome.model_copy(update={"from_cache": True})

    def _connect(self) -> sqlite3.Connection:
        if self._broken:
            raise _Corrupt("cache disabled")
        if self._connection is None:
            try:
                self._connection = self._open()
            except sqlite3.OperationalError:
                # Locked or busy (another run holds it), or cannot be opened: not corruption.
                # Never delete a file another run may be using; the caller turns this into
                # one warning and a run without the cache.
                raise
            except (sqlite3.DatabaseError, _Corrupt) as error:
                aside = self._set_aside()
                self._warn(
                    f"cache file {self.path} cannot be used ({error}); "
                    f"moved it to {aside.name} and started a new one"
                )
                self._connection = self._open()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            with contextlib.suppress(OSError):
                tag.write_text(_CACHEDIR_TAG, encoding="ascii")
        connection = sqlite3.connect(
            self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() != "wal":
                # WAL lets runs read while another writes. Switching needs a moment alone with
                # the file; if another run holds it, carry on: it will be WAL next time.
                with contextlib.suppress(sqlite3.OperationalError):
                    connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            version = _schema_version(connection)
            if version is not None and version > SCHEMA_VERSION:
                raise _Corrupt(f"schema version {version} is newer than this trial-linker's")
            if version != SCHEMA_VERSION:
                self._build_schema(connection)
            (check,) = connection.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise _Corrupt(f"integrity check: {check}")
            columns = {row[1] for row in connection.execute("PRAGMA table_info(outcomes)")}
            if not {"registry", "requested_id", "kind", "stored_at", "outcome"} <= columns:
                raise _Corrupt("unexpected table layout")
        except BaseException:
            connection.close()
            raise
        return connection

    @staticmethod
    def _build_schema(connection: sqlite3.Connection) -> None:
        """Create the tables (a new file) or start afresh (a file from another trial-linker
        version, which is not an error)."""
        with transaction(connection):
            # Asked again under the write lock: another run may have built it meanwhile.
            version = _schema_version(connection)
            if version == SCHEMA_VERSION:
                return
            if version is not None and version > SCHEMA_VERSION:
                raise _Corrupt(f"schema version {version} is newer than this trial-linker's")
            connection.execute("DROP TABLE IF EXISTS outcomes")
            for statement in filter(str.strip, _SCHEMA.split(";")):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )

    def _set_aside(self) -> Path:
        """Rename the file (and its WAL sidecars) out of the way: never delete what may be
        another version's cache or someone else's database."""
        self.close()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(self._clock()))
        aside = self.path.with_name(f"{self.path.name}.set-aside-{stamp}")
        serial = 1
        while aside.exists():
            serial += 1
            aside = self.path.with_name(f"{self.path.name}.set-aside-{stamp}-{serial}")
        for file in (self.path, *sidecars(self.path)):
            with contextlib.suppress(FileNotFoundError):
                file.replace(aside.with_name(aside.name + file.name[len(self.path.name) :]))
        return aside

    def _warn(self, message: str) -> None:
        if not self._warned and self._on_warning is not None:
            self._on_warning(message)
        self._warned = True

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn any cache failure into one warning and a disabled cache, never an error."""
        try:
            yield
        except (sqlite3.Error, OSError, _Corrupt) as error:
            if not self._broken:
                self._warn(f"cache {action} failed ({error}); continuing without the cache")
                self._broken = True
                self.close()


def _schema_version(connection: sqlite3.Connection) -> int | None:
    """None for an empty database; raises :class:`_Corrupt` for a foreign one."""
    tables = {
        name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if not tables:
        return None
    if "meta" not in tables:
        raise _Corrupt("no meta table")
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise _Corrupt("no schema version")
    try:
        return int(row[0])
    except ValueError:
        raise _Corrupt(f"schema version {row[0]!r}") from None


def read_only_connection(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that cannot change the file. In a read-only directory a WAL database
    cannot even be opened for reading (SQLite needs its -shm file), so then it is read as
    immutable: nothing else can be writing there either."""
    uri = path.resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
        connection.execute("SELECT name FROM sqlite_master").fetchall()
        return connection
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout)


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def sidecars(path: Path) -> tuple[Path, Path]:
    return (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


def open_cache(
    directory: Path | None = None,
    *,
    no_cache: bool = False,
    max_age: float | str | None = None,
    on_warning: Warn | None = None,
) -> OutcomeCache | None:
    """The cache for a run per the CLI flags (``--no-cache``, ``--cache-dir``,
    ``--max-cache-age``); None when caching is off, so nothing is read or written."""
    if no_cache:
        return None
    seconds = None if max_age is None else parse_duration(max_age)
    return OutcomeCache(directory, lifetimes=Lifetimes.with_max_age(seconds), on_warning=on_warning)


def cache_info(directory: Path | None = None, on_warning: Warn | None = None) -> CacheInfo:
    with OutcomeCache(directory, on_warning=on_warning) as cache:
        return cache.info()


def clear_cache(directory: Path | None = None, on_warning: Warn | None = None) -> int:
    with OutcomeCache(directory, on_warning=on_warning) as cache:
        return cache.clear()
