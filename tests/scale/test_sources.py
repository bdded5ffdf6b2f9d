"""Folders and globs as inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from linker.errors import InputError
from linker.readers.sources import expand_sources


def test_folder_glob_and_plain(tmp_path: Path) -> None:
    for name in ("b.xml", "a.xml", ".hidden", "c.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.xml").write_text("x")
    assert expand_sources([str(tmp_path)]) == [
        str(tmp_path / n) for n in ("a.xml", "b.xml", "c.txt")
    ]
    assert expand_sources([str(tmp_path / "*.xml")]) == [
        str(tmp_path / "a.xml"),
        str(tmp_path / "b.xml"),
    ]
    assert expand_sources([str(tmp_path / "**" / "*.xml"), str(tmp_path / "a.xml")]) == [
        str(tmp_path / "a.xml"), str(tmp_path / "b.xml"), str(tmp_path / "sub" / "d.xml"),
    ]  # fmt: skip
    assert expand_sources(["-", "missing.txt"]) == ["-", "missing.txt"]


def test_empty_folder_or_pattern_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no file matches"):
        expand_sources([str(tmp_path / "*.xml")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="folder has no files"):
        expand_sources([str(tmp_path / "empty")])
