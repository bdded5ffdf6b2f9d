"""``--shard K/N`` selection, errors from workers, shards that cannot be read."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli
from linker.errors import ConfigError, InputError
from linker.pipeline import CheckOptions
from linker.scale.executors import Execution, map_files, parse_shard, select_shard
from linker.scale.job import FileJob
from linker.scale.shards import read_shard


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))


def test_shards_cover_every_file_once() -> None:
    files = [f"f{i}" for i in range(7)]
    parts = [select_shard(files, parse_shard(f"{k}/3")) for k in (1, 2, 3)]
    assert sorted(f for part in parts for f in part) == files
    assert parts[1] == ["f1", "f4"]
    for bad in ("0/3", "4/3", "x", "1/0"):
        with pytest.raises(ConfigError, match="K/N"):
            parse_shard(bad)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stderr


def test_bad_input_in_a_worker_is_one_line_exit_2(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A randomised trial\nAbstract text.\n")
    (tmp_path / "empty.txt").write_text("")
    code, err = run("check", str(good), "empty.txt", "--no-verify", "-q", "--jobs", "2")
    assert code == 2
    assert err.strip().splitlines() == ["trial-linker: error: empty.txt: empty file"]


def test_standard_input_is_read_in_one_process_and_cannot_be_sharded(tmp_path: Path) -> None:
    """``--jobs`` with ``-`` reads it in this process, as ``extract --jobs`` does, with a
    warning; a shard or a Dask task cannot take it."""
    listed = "A randomised trial of X\nWe randomised 40 people (NCT01234567).\n"
    for command in (["check", "--no-verify", "--format", "json"], ["extract"]):
        plain = CliRunner().invoke(cli, [*command, "-"], input=listed)
        jobs = CliRunner().invoke(cli, [*command, "-", "--jobs", "2"], input=listed)
        assert (plain.exit_code, jobs.exit_code) == (0, 0), jobs.stderr
        assert jobs.stderr.splitlines()[0] == (
            "trial-linker: warning: --jobs 2: standard input is read in one process"
        )
        assert _without_time(jobs.stdout) == _without_time(plain.stdout)
    code, err = run("check", "-", "--no-verify", "--shard", "1/2")
    assert code == 2
    assert "standard input cannot be sent to Dask or split into shards" in err


def _without_time(output: str) -> str:
    return re.sub(r'"generated_at": ?"[^"]*"', "", output)


def test_incompatible_flags(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\nAbstract.\n")
    code, err = run("check", "a.txt", "--jobs", "2", "--record", str(tmp_path / "rec"))
    assert code == 2 and "--record" in err
    code, err = run("check", "a.txt", "--shard", "3/2")
    assert code == 2 and "K/N" in err


def test_dask_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if not installed
    with pytest.raises(ConfigError, match=r"trial-linker\[dask\]"):
        list(map_files(["a", "b"], FileJob(options=CheckOptions()), Execution(dask="local")))


def test_unreadable_shard(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl.gz").write_bytes(b"not gzip")
    with pytest.raises(InputError, match="not a trial-linker shard"):
        read_shard(tmp_path / "x.jsonl.gz")
    code, err = run("merge", str(tmp_path / "x.jsonl.gz"))
    assert code == 2 and "not a trial-linker shard" in err
    (tmp_path / "none").mkdir()
    code, err = run("merge", str(tmp_path / "none"))
    assert code == 2 and "no shards" in err
