"""The cache cannot lie: scoped by base URL, nothing from the future, info and clear say what
is really there, newer or foreign files set aside."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner
from test_cache import KEY, Clock, outcome

from linker import caches
from linker.cli.main import cli
from linker.errors import CacheError
from linker.models import Registry
from linker.registries.cache import CACHE_FILE, SCHEMA_VERSION, OutcomeCache, cache_info
from linker.registries.interface import OutcomeKind
from linker.registries.settings import RegistrySettings
from linker.registries.verifier import verify_identifiers


def test_entries_are_scoped_by_base_url(tmp_path: Path) -> None:
    cache = OutcomeCache(tmp_path)
    cache.bind({Registry.CTGOV: "https://mirror.test"})
    cache.put_many([outcome(OutcomeKind.NOT_FOUND)])
    assert KEY in cache.get_many([KEY])
    cache.bind({Registry.CTGOV: "https://clinicaltrials.gov"})
    assert cache.get_many([KEY]) == {}


async def test_a_not_found_from_one_server_is_not_served_for_another(tmp_path: Path) -> None:
    cache = OutcomeCache(tmp_path)
    cache.bind({Registry.CTGOV: "https://stand-in.test"})
    cache.put_many([outcome(OutcomeKind.NOT_FOUND)])
    settings = RegistrySettings().merged(
        {"ctgov": {"base_url": "https://real.test", "min_interval": 0}, "attempts": 1}
    )
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(url__startswith="https://real.test").mock(return_value=httpx.Response(503))
        answers = await verify_identifiers([KEY], settings=settings, cache=cache)
    assert route.called  # asked the real server instead of trusting the stand-in's answer
    assert answers[KEY].kind is OutcomeKind.UNVERIFIED


def test_future_dated_entries_are_expired(tmp_path: Path) -> None:
    clock = Clock()
    cache = OutcomeCache(tmp_path, clock=clock)
    cache.put_many([outcome(OutcomeKind.FOUND)])
    clock.now -= 3600  # the clock went back, or the file came from a machine ahead of ours
    assert cache.get_many([KEY]) == {}


def test_newer_schema_is_set_aside_not_dropped(tmp_path: Path) -> None:
    OutcomeCache(tmp_path).put_many([outcome(OutcomeKind.FOUND)])
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    warnings: list[str] = []
    cache = OutcomeCache(tmp_path, on_warning=warnings.append)
    assert cache.get_many([KEY]) == {}
    assert len(warnings) == 1 and "newer" in warnings[0]
    [aside] = tmp_path.glob(f"{CACHE_FILE}.set-aside-*[0-9]")
    with sqlite3.connect(aside) as connection:
        assert connection.execute("SELECT COUNT(*) FROM outcomes").fetchone() == (1,)


def test_cache_is_in_wal_mode_with_a_version(tmp_path: Path) -> None:
    OutcomeCache(tmp_path).put_many([outcome(OutcomeKind.FOUND)])
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        assert version.fetchone() == (str(SCHEMA_VERSION),)


def test_info_on_an_unreadable_file_is_an_error_not_zero(tmp_path: Path) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"garbage" * 100)
    with pytest.raises(CacheError, match="cannot read"):
        cache_info(tmp_path)
    assert (tmp_path / CACHE_FILE).read_bytes() == b"garbage" * 100  # info changed nothing
    result = CliRunner().invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_clear_on_a_read_only_cache_fails_and_info_tells_the_truth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caches, "scan_database_root", lambda: tmp_path / "user-cache")
    OutcomeCache(tmp_path).put_many([outcome(OutcomeKind.FOUND)])
    (tmp_path / CACHE_FILE).chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        runner = CliRunner()
        cleared = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(tmp_path)])
        info = runner.invoke(cli, ["cache", "info", "--cache-dir", str(tmp_path)])
    finally:
        tmp_path.chmod(0o755)
    assert cleared.exit_code == 2
    assert "cannot clear" in cleared.stderr
    assert info.exit_code == 0
    assert "entries: 1" in info.stdout


def test_clear_on_a_read_only_database_fails(tmp_path: Path) -> None:
    """As root file modes do not stop writes; a read-only SQLite connection does."""
    OutcomeCache(tmp_path).put_many([outcome(OutcomeKind.FOUND)])
    cache = OutcomeCache(tmp_path)
    original = sqlite3.connect

    def read_only(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        uri = Path(str(path)).resolve().as_uri() + "?mode=ro"
        return original(uri, uri=True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", read_only)
        with pytest.raises(CacheError, match="cannot clear"):
            cache.clear()
    assert cache_info(tmp_path).total == 1
