from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

import pytest

from linker.errors import InputError
from linker.readers import read_publications


def test_gzip_by_magic_bytes(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "publications" / "sample.nbib").read_bytes()
    path = tmp_path / "records.dat"  # no .gz: detected by magic bytes
    path.write_bytes(gzip.compress(data))
    publications = list(read_publications(path))
    assert [p.pmid for p in publications] == ["90000011", "90000012"]
    assert publications[0].file == str(path)


def test_stdin(fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (fixtures_dir / "publications" / "sample.ris").read_bytes()
    fake = io.TextIOWrapper(io.BytesIO(data))
    monkeypatch.setattr(sys, "stdin", fake)
    publications = list(read_publications("-"))
    assert [p.file for p in publications] == ["<stdin>", "<stdin>"]
    assert publications[1].key == "<stdin>#2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"  \n\n", "empty file"),
        (b"\x00\x01binary\x00", "binary"),
        (b"\x1f\x8b\x08\x00garbage", "cannot read"),
    ],
)
def test_bad_input(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        list(read_publications(path))
    assert caught.value.file == str(path)


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown format 'word'"):
        read_publications(path, fmt="word")
    with pytest.raises(InputError, match="no such file"):
        read_publications(tmp_path / "missing.csv")


def test_invalid_utf8_replaced_once(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"title,abstract\nCaf\xe9 trial,Text \xff\xfe here\n")
    warnings: list[str] = []
    (publication,) = read_publications(path, on_warning=warnings.append)
    assert publication.title == "Caf\ufffd trial"
    assert warnings == [f"{path}: replaced 3 invalid UTF-8 bytes, the first on line 2"]


def test_record_without_text_is_yielded_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"pmid": "5"}\n{"pmid": "6", "title": "T"}\n', encoding="utf-8")
    warnings: list[str] = []
    publication, _ = read_publications(path, on_warning=warnings.append)
    assert publication.key == "5" and publication.text == ""
    assert warnings == [f"{path}: record 1 (line 1) has neither title nor abstract"]
