"""``extract --jobs auto`` (the default): one process per usable CPU for a large input, one
for a small one, for standard input and on a one-CPU machine; the same output either way."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_split import jsonl_from_fixture

import linker.scale.auto_jobs as auto
import linker.scale.split as split
from linker.cli.main import cli
from linker.scale.auto_jobs import auto_jobs


def sized(path: Path, size: int) -> str:
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: only its size counts
    return str(path)


def test_processes_follow_the_size_the_mode_and_the_cpus(tmp_path: Path) -> None:
    small = sized(tmp_path / "small.jsonl", auto.MIN_BYTES_PUBLICATIONS)
    large = sized(tmp_path / "large.jsonl", auto.MIN_BYTES_IDENTIFIERS)
    assert auto_jobs([small], publications=False, cpus=4) == 1
    assert auto_jobs([small], publications=True, cpus=4) == 4  # twenty times the work a byte
    assert auto_jobs([large], publications=False, cpus=4) == 4
    assert auto_jobs([small] * 20, publications=False, cpus=2) == 2  # the whole input counts
    assert auto_jobs([large], publications=False, cpus=1) == 1
    assert auto_jobs([large, "-"], publications=False, cpus=4) == 1  # read once, here
    assert auto_jobs([str(tmp_path / "missing.jsonl")], publications=True, cpus=4) == 1
    assert auto.usable_cpus() >= 1


def test_one_process_where_a_large_file_cannot_be_cut_into_bounded_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pool holds a task's rows until it ends: a large CSV (read whole) or gzip file (not
    cut to bounded parts) stays in one process, whose rows stream out."""
    monkeypatch.setattr(auto, "MIN_BYTES_IDENTIFIERS", 1)
    jsonl = jsonl_from_fixture(tmp_path / "list.jsonl", copies=5)
    csv = tmp_path / "list.csv"
    csv.write_text("Title,Abstract\n" + "A,see NCT01234567\n" * 200, encoding="utf-8")
    packed = tmp_path / "list.jsonl.gz"
    packed.write_bytes(gzip.compress(jsonl.read_bytes()))
    smallest = min(path.stat().st_size for path in (jsonl, csv, packed))
    monkeypatch.setattr(split, "MAX_PART_BYTES", smallest - 1)  # every file is over it
    assert auto_jobs([str(jsonl)], publications=False, cpus=2) == 2
    assert auto_jobs([str(jsonl), str(csv)], publications=False, cpus=2) == 1
    assert auto_jobs([str(packed)], publications=False, cpus=2) == 1
    assert auto_jobs([str(csv)], publications=False, fmt="jsonl", cpus=2) == 2  # as told
    monkeypatch.setattr(split, "MAX_PART_BYTES", 1 << 30)
    assert auto_jobs([str(csv), str(packed)], publications=False, cpus=2) == 2  # small enough
    monkeypatch.setattr(split, "PUBLICATION_PART_BYTES", smallest - 1)
    assert auto_jobs([str(csv), str(packed)], publications=True, cpus=2) == 1  # a row a record


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"cpu.max": "150000 100000\n"}, 2),  # cgroup v2: 1.5 CPUs, rounded up
        ({"cpu.max": "max 100000\n"}, None),  # no quota
        ({"cpu.max": "garbled"}, None),
        ({"quota": "100000\n", "period": "100000\n"}, 1),  # cgroup v1
        ({"quota": "-1\n", "period": "100000\n"}, None),
        ({}, None),
    ],
)
def test_a_containers_cpu_quota_caps_the_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], expected: int | None
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    places = ((tmp_path / "cpu.max", None), (tmp_path / "quota", tmp_path / "period"))
    monkeypatch.setattr(auto, "CPU_QUOTA_FILES", places)
    assert auto.cpu_quota() == expected
    if expected is not None:
        assert auto.usable_cpus() <= expected


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_pipe_counts_for_nothing(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    assert auto_jobs([str(fifo)], publications=True, cpus=4) == 1  # not opened, not split


def test_the_default_splits_a_large_file_and_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(split, "MIN_PART_BYTES", 1)  # the fixture's list is split too
    path = jsonl_from_fixture(tmp_path / "list", copies=20)
    chosen: list[int] = []

    def two_cpus(sources: list[str], *, publications: bool, fmt: str | None) -> int:
        chosen.append(auto_jobs(sources, publications=publications, fmt=fmt, cpus=2))
        return chosen[-1]

    monkeypatch.setattr(auto, "MIN_BYTES_IDENTIFIERS", 1)
    monkeypatch.setattr("linker.cli.extract_cmd.auto_jobs", two_cpus)
    outputs = []
    for extra in ([], ["--jobs", "1"], ["--jobs", "auto"]):
        out = tmp_path / f"out{len(outputs)}.jsonl"
        result = CliRunner().invoke(cli, ["extract", str(path), "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        assert result.stderr == ""  # no word about the processes: they change nothing
        outputs.append(out.read_bytes())
    assert chosen == [2, 2]  # the default is auto
    assert outputs[0] == outputs[1] == outputs[2] and outputs[0].count(b"\n") > 20


@pytest.mark.parametrize("value", ["0", "-1", "two", ""])
def test_a_bad_number_of_jobs_is_a_usage_error(value: str) -> None:
    result = CliRunner().invoke(cli, ["extract", "-", "--jobs", value], input="")
    assert result.exit_code == 2
    assert "is not an integer of 1 or more or 'auto'" in result.stderr
    checked = CliRunner().invoke(cli, ["check", "-", "--jobs", "auto"], input="")
    assert checked.exit_code == 2 and "'auto' is not an integer of 1 or more" in checked.stderr
