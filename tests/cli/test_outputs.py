"""Writing outputs: regular files atomically with their mode kept, everything else in place,
every failure a one-line error with exit 2."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli
from linker.cli.outputs import open_output, write_text
from linker.errors import OutputError

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "publications" / "publications.txt"


def check_to(path: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["check", str(SEED), "--no-verify", "-q", "--format", "csv", "-o", path]
    )
    return result.exit_code, result.stderr


def test_new_file_gets_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "new" / "report.csv"
    write_text(target, "a\n")
    assert target.read_text() == "a\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_existing_file_keeps_its_mode_and_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old content that is longer\n")
    target.chmod(0o640)
    write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_symlink_is_written_through_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("x\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real.name)
    code, _ = check_to(str(link))
    assert code == 0
    assert link.is_symlink()
    assert real.read_text().startswith("publication,")


def test_hard_linked_file_is_written_in_place(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("x\n")
    second = tmp_path / "b.csv"
    os.link(first, second)
    write_text(first, "shared\n")
    assert second.read_text() == "shared\n"


def test_fifo_is_opened_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_text(fifo, "through the pipe\n")
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_dev_null_stays_a_device() -> None:
    code, _ = check_to(os.devnull)
    assert code == 0
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_device_is_an_error_with_the_reason() -> None:
    code, err = check_to("/dev/full")
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "trial-linker: error: /dev/full: cannot write: No space left on device"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, err = check_to(str(folder / "report.csv"))
    finally:
        folder.chmod(0o700)
    assert code == 2
    assert "report.csv: cannot write: Permission denied" in err


def test_failed_render_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("previous\n")
    with pytest.raises(RuntimeError), open_output(target) as stream:
        stream.write("half")
        raise RuntimeError("render failed")
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_a_directory_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write"):
        write_text(tmp_path, "x")


def test_file_name_that_is_not_utf8_is_written(tmp_path: Path) -> None:
    name = os.fsdecode(b"list-\xff.txt")
    source = tmp_path / name
    source.write_bytes(SEED.read_bytes())
    for fmt in ("json", "html", "text"):
        out = tmp_path / f"out.{fmt}"
        result = CliRunner().invoke(
            cli, ["check", str(source), "--no-verify", "-q", "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "list-" in out.read_text(encoding="utf-8")
