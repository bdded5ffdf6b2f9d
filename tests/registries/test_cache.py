"""The persistent outcome cache: lifetimes, what is never stored, corruption, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from linker.models import Registry
from linker.registries.cache import (
    CACHE_FILE,
    DAY,
    SCHEMA_VERSION,
    Lifetimes,
    OutcomeCache,
    cache_info,
    clear_cache,
    open_cache,
    parse_duration,
)
from linker.registries.interface import Outcome, OutcomeKind, RegistryRecord


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def outcome(kind: OutcomeKind, identifier: str = "NCT01506986") -> Outcome:
    record = None
    if kind in (OutcomeKind.FOUND, OutcomeKind.ALIAS):
        record = RegistryRecord(
            registry=Registry.CTGOV, id=identifier, url="https://x.test", public_title="T"
        )
    return Outcome(
        kind=kind,
        registry=Registry.CTGOV,
        requested_id=identifier,
        record=record,
        reason="why" if kind is OutcomeKind.UNVERIFIED else None,
    )


KEY = (Registry.CTGOV, "NCT01506986")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def warnings() -> list[str]:
    return []


@pytest.fixture
def cache(tmp_path: Path, clock: Clock, warnings: list[str]) -> OutcomeCache:
    return OutcomeCache(tmp_path, clock=clock, on_warning=warnings.append)


def test_round_trip_marks_from_cache(cache: OutcomeCache) -> None:
    stored = outcome(OutcomeKind.FOUND)
    assert cache.put_many([stored]) == 1
    got = cache.get_many([KEY])[KEY]
    assert got.from_cache is True
    assert got.model_copy(update={"from_cache": False}) == stored


@pytest.mark.parametrize("kind", [OutcomeKind.FOUND, OutcomeKind.ALIAS, OutcomeKind.NOT_PUBLIC])
def test_long_lived_kinds_last_a_week(cache: OutcomeCache, clock: Clock, kind: OutcomeKind) -> None:
    cache.put_many([outcome(kind)])
    clock.now += 6.9 * DAY
    assert KEY in cache.get_many([KEY])
    clock.now += 0.2 * DAY
    assert cache.get_many([KEY]) == {}


def test_not_found_lives_a_day(cache: OutcomeCache, clock: Clock) -> None:
    cache.put_many([outcome(OutcomeKind.NOT_FOUND)])
    clock.now += 0.9 * DAY
    assert cache.get_many([KEY])[KEY].kind is OutcomeKind.NOT_FOUND
    clock.now += 0.2 * DAY
    assert cache.get_many([KEY]) == {}


@pytest.mark.parametrize("kind", [OutcomeKind.UNVERIFIED, OutcomeKind.UNSUPPORTED])
def test_never_stores_unverified_or_unsupported(cache: OutcomeCache, kind: OutcomeKind) -> None:
    assert cache.put_many([outcome(kind)]) == 0
    assert cache.get_many([KEY]) == {}


def test_outcomes_read_from_cache_are_not_stored_again(cache: OutcomeCache, clock: Clock) -> None:
    cache.put_many([outcome(OutcomeKind.FOUND)])
    clock.now += 5 * DAY
    assert cache.put_many(cache.get_many([KEY]).values()) == 0  # the age is not reset
    clock.now += 3 * DAY
    assert cache.get_many([KEY]) == {}


def test_newer_answer_replaces_older(cache: OutcomeCache) -> None:
    cache.put_many([outcome(OutcomeKind.NOT_FOUND)])
    cache.put_many([outcome(OutcomeKind.FOUND)])
    assert cache.get_many([KEY])[KEY].kind is OutcomeKind.FOUND
    assert cache.info().total == 1


def test_max_age_applies_to_old_entries(tmp_path: Path, clock: Clock) -> None:
    OutcomeCache(tmp_path, clock=clock).put_many(
        [outcome(OutcomeKind.FOUND), outcome(OutcomeKind.NOT_FOUND, "NCT00000002")]
    )
    clock.now += 13 * 3600
    short = OutcomeCache(tmp_path, clock=clock, lifetimes=Lifetimes.with_max_age(12 * 3600))
    assert short.get_many([KEY]) == {}
    long = Lifetimes.with_max_age(30 * DAY)
    assert long.long == 30 * DAY
    assert long.not_found == DAY  # never lengthened: a stale "not found" accuses falsely


def test_open_cache_modes(tmp_path: Path) -> None:
    assert open_cache(tmp_path, no_cache=True) is None
    assert not (tmp_path / CACHE_FILE).exists()
    cache = open_cache(tmp_path, max_age="12h")
    assert cache is not None
    assert cache.lifetimes.long == 12 * 3600


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3600", 3600.0),
        (90, 90.0),
        ("90s", 90.0),
        ("500ms", 0.5),
        ("12h", 43200.0),
        ("7d", 7 * DAY),
        ("1d12h", 1.5 * DAY),
        ("2w", 14 * DAY),
        (" 15 m ", 900.0),
    ],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "7x", "-1", "1d soon", "d"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database at all" * 100,
        b"SQLite format 3\x00" + b"\x00" * 50,  # truncated header
    ],
)
def test_corrupt_file_is_rebuilt_with_one_warning(
    tmp_path: Path, clock: Clock, content: bytes
) -> None:
    (tmp_path / CACHE_FILE).write_bytes(content)
    warnings: list[str] = []
    cache = OutcomeCache(tmp_path, clock=clock, on_warning=warnings.append)
    assert cache.get_many([KEY]) == {}
    assert cache.put_many([outcome(OutcomeKind.FOUND)]) == 1
    assert KEY in cache.get_many([KEY])
    assert len(warnings) == 1
    assert "started a new one" in warnings[0]
    [aside] = tmp_path.glob(f"{CACHE_FILE}.set-aside-*")
    assert aside.read_bytes() == content  # set aside, not deleted


def test_truncated_real_cache_is_rebuilt(tmp_path: Path, clock: Clock) -> None:
    with OutcomeCache(tmp_path, clock=clock) as first:
        first.put_many([outcome(OutcomeKind.FOUND, f"NCT{n:08d}") for n in range(1, 2000)])
        first._connect().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = (tmp_path / CACHE_FILE).read_bytes()
    (tmp_path / CACHE_FILE).write_bytes(data[: len(data) // 2])
    warnings: list[str] = []
    cache = OutcomeCache(tmp_path, clock=clock, on_warning=warnings.append)
    cache.get_many([(Registry.CTGOV, "NCT00000001")])  # must not raise
    cache.put_many([outcome(OutcomeKind.FOUND)])
    assert len(warnings) == 1
    assert KEY in cache.get_many([KEY])


def test_foreign_schema_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / CACHE_FILE)
    connection.execute("CREATE TABLE something (x)")
    connection.commit()
    connection.close()
    warnings: list[str] = []
    cache = OutcomeCache(tmp_path, on_warning=warnings.append)
    cache.put_many([outcome(OutcomeKind.FOUND)])
    assert KEY in cache.get_many([KEY])
    assert len(warnings) == 1


def test_other_schema_version_is_rebuilt_silently(tmp_path: Path) -> None:
    OutcomeCache(tmp_path).put_many([outcome(OutcomeKind.FOUND)])
    connection = sqlite3.connect(tmp_path / CACHE_FILE)
    connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    warnings: list[str] = []
    cache = OutcomeCache(tmp_path, on_warning=warnings.append)
    assert cache.get_many([KEY]) == {}
    assert warnings == []
    assert cache.info().schema_version == SCHEMA_VERSION


def test_unwritable_directory_disables_cache_with_one_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    warnings: list[str] = []
    cache = OutcomeCache(blocker / "sub", on_warning=warnings.append)  # a file as parent
    assert cache.put_many([outcome(OutcomeKind.FOUND)]) == 0
    assert cache.get_many([KEY]) == {}
    assert len(warnings) == 1


def test_two_connections_writing_at_once(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            with OutcomeCache(tmp_path, on_warning=lambda m: errors.append(RuntimeError(m))) as c:
                for n in range(50):
                    c.put_many([outcome(OutcomeKind.FOUND, f"NCT{offset + n:08d}")])
                    c.get_many([(Registry.CTGOV, f"NCT{offset:08d}")])
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(k * 1000,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert cache_info(tmp_path).total == 100


def test_info_and_clear(tmp_path: Path) -> None:
    assert cache_info(tmp_path).exists is False
    with OutcomeCache(tmp_path) as cache:
        cache.put_many(
            [
                outcome(OutcomeKind.FOUND, "NCT00000001"),
                outcome(OutcomeKind.FOUND, "NCT00000002"),
                outcome(OutcomeKind.NOT_FOUND, "NCT00000003"),
            ]
        )
    info = cache_info(tmp_path)
    assert info.path == tmp_path / CACHE_FILE
    assert info.size_bytes > 0
    assert info.schema_version == SCHEMA_VERSION
    assert info.entries == {("ctgov", "found"): 2, ("ctgov", "not_found"): 1}
    assert (tmp_path / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d1727")
    assert clear_cache(tmp_path) == 3
    assert cache_info(tmp_path).total == 0
