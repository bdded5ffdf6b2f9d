"""Configuration files that used to end in a traceback: one line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "publications" / "publications.txt"


def check_in(folder: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(SEED), "--no-verify", "-q", *extra])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"tool = 5\n", "'tool' must be a table, not a number"),
        (b'tool = "x"\n', "'tool' must be a table, not a string"),
        (b"tool = [1]\n", "'tool' must be a table, not an array"),
        (b'[tool]\ntrial-linker = "on"\n', "[tool.trial-linker] must be a table"),
        (b"x = " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "nested too deeply"),
        (b'\xff\xfefail-on = "error"\n', "not UTF-8 text"),
    ],
)
def test_bad_pyproject_up_the_tree_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, message: str
) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    inner = tmp_path / "sub" / "dir"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    code, err = check_in(inner)
    assert code == 2
    [line] = err.strip().splitlines()
    assert line.startswith("trial-linker: error: ") and message in line


def test_config_file_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "trial-linker.toml").write_bytes(b'fail-on = "\xff"\n')
    monkeypatch.chdir(tmp_path)
    code, err = check_in(tmp_path)
    assert code == 2
    assert "not UTF-8 text" in err


def test_baseline_from_a_device_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("linker.rules.baseline.MAX_BASELINE_SIZE", 1024)
    code, err = check_in(tmp_path, "--baseline", "/dev/zero")
    assert code == 2
    assert "/dev/zero: the baseline is larger than 1024 bytes" in err
