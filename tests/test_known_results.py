"""A rerun takes each publication's result from what the run before stored: every report the
same, byte for byte, cold, warm and without a cache."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES

from linker.cli.main import cli
from linker.extract.analysis_cache import ANALYSES_FILE
from linker.pipeline import iter_extracted
from linker.registries.cache import OutcomeCache
from linker.registries.verifier import verify_sync
from linker.report.interface import OutputFormat

SEED = FIXTURES / "publications" / "publications.txt"
TODAY = "2026-06-01"
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")


def filled_cache(directory: Path) -> Path:
    """The seed's identifiers answered (from the recorded registry answers) in a cache."""
    ids = {
        (m.registry, m.id)
        for item in iter_extracted([str(SEED)], classify=False)
        for m in item.mentions
        if m.valid_format
    }
    with OutcomeCache(directory) as cache:
        verify_sync(ids, cache=cache, replay=FIXTURES / "registries")
    return directory


def reports(tmp_path: Path, name: str, *args: str, source: Path = SEED) -> dict[str, str]:
    """Every format of one ``check`` of ``source``, run timestamps blanked."""
    out = tmp_path / name
    out.mkdir()
    pairs = [part for fmt in OutputFormat for part in ("--format", fmt.value, "-o", str(out / fmt))]
    command = ["check", str(source), "-q", "--today", TODAY, *pairs, *args]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code in (0, 1), result.output
    return {fmt.value: _TIMESTAMP.sub("T", (out / fmt).read_text()) for fmt in OutputFormat}


def stored_results(directory: Path) -> int:
    with sqlite3.connect(directory / ANALYSES_FILE) as connection:
        count: int = connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    return count


def test_warm_reports_equal_cold_in_every_format(tmp_path: Path) -> None:
    cache = filled_cache(tmp_path / "cache")
    args = ("--cache-dir", str(cache), "--offline")
    cold = reports(tmp_path, "cold", *args)
    assert stored_results(cache) > 0
    warm = reports(tmp_path, "warm", *args)
    assert warm == cold
    assert "found" in cold["json"]  # the identifiers were verified from the cache


def test_results_equal_those_without_a_cache(tmp_path: Path) -> None:
    cold = reports(tmp_path, "cold", "--cache-dir", str(tmp_path / "cache"), "--no-verify")
    warm = reports(tmp_path, "warm", "--cache-dir", str(tmp_path / "cache"), "--no-verify")
    uncached = reports(tmp_path, "uncached", "--no-cache", "--no-verify")
    assert warm == cold
    for fmt in ("json", "csv", "sarif", "junit", "github", "gitlab"):
        assert _without_settings(uncached[fmt]) == _without_settings(cold[fmt]), fmt


def _without_settings(text: str) -> str:
    """The report with the cache directory (a run setting) left out."""
    return re.sub(r"[^\n]*cache[^\n]*", "", text, flags=re.IGNORECASE)


def test_another_day_or_other_rules_are_evaluated_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reports(tmp_path, "first", "--cache-dir", str(cache), "--no-verify")
    stored = stored_results(cache)
    reports(tmp_path, "again", "--cache-dir", str(cache), "--no-verify")
    assert stored_results(cache) == stored
    reports(tmp_path, "ignoring", "--cache-dir", str(cache), "--no-verify", "--ignore", "TL101")
    assert stored_results(cache) == 2 * stored


@pytest.mark.parametrize("damage", [b"", b"garbage"])
def test_a_damaged_result_is_evaluated_again(tmp_path: Path, damage: bytes) -> None:
    cache = tmp_path / "cache"
    cold = reports(tmp_path, "cold", "--cache-dir", str(cache), "--no-verify")
    with sqlite3.connect(cache / ANALYSES_FILE) as connection:
        connection.execute("UPDATE results SET result = ?", (damage,))
    assert reports(tmp_path, "warm", "--cache-dir", str(cache), "--no-verify") == cold


def test_a_json_lines_list_read_from_its_stored_lines_reports_the_same(tmp_path: Path) -> None:
    sample = FIXTURES / "publications" / "sample.jsonl"
    args = ("--cache-dir", str(tmp_path / "cache"), "--no-verify")
    cold = reports(tmp_path, "cold", *args, source=sample)
    with sqlite3.connect(tmp_path / "cache" / ANALYSES_FILE) as connection:
        assert connection.execute("SELECT COUNT(*) FROM lines").fetchone()[0] > 0
    assert reports(tmp_path, "warm", *args, source=sample) == cold
