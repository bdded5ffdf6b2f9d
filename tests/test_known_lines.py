"""A rerun reads an unchanged JSON Lines list from the stored lines, and gives what the reader
gives: the same publications, the same warnings, the same reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import FIXTURES

from linker import known_lines
from linker.extract.analysis_cache import AnalysisCache
from linker.known_lines import KnownLines
from linker.models import Publication
from linker.readers import read_publications

SAMPLE = FIXTURES / "publications" / "sample.jsonl"


def reading(directory: Path, warnings: list[str] | None = None) -> KnownLines:
    return KnownLines(
        AnalysisCache(directory),
        fmt=None,
        columns={},
        max_record_size=1 << 20,
        on_warning=warnings.append if warnings is not None else None,
    )


def counting_reader(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return read_publications(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(known_lines, "read_publications", counted)
    return calls


def test_second_read_parses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_reader(monkeypatch)
    first = list(reading(tmp_path).read(str(SAMPLE)))
    assert calls[0] == 1
    second = list(reading(tmp_path).read(str(SAMPLE)))
    assert calls[0] == 1
    expected = list(read_publications(SAMPLE))
    assert [p for p, _ in second] == [p for p, _ in first] == expected
    assert all(encoded == p.model_dump_json().encode() for p, encoded in second)


def test_an_edited_line_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listing = tmp_path / "list.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    list(reading(tmp_path).read(str(listing)))
    record = json.loads(lines[0])
    record["title"] = "Another title, NCT01234567"
    listing.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n", encoding="utf-8")
    calls = counting_reader(monkeypatch)
    again = [p for p, _ in reading(tmp_path).read(str(listing))]
    assert calls[0] == 1
    assert again == list(read_publications(listing))


def test_a_file_with_warnings_is_not_stored(tmp_path: Path) -> None:
    listing = tmp_path / "list.jsonl"
    listing.write_text('{"title": "A trial"}\n{"pmid": "1"}\n', encoding="utf-8")
    for _ in range(2):
        warnings: list[str] = []
        list(reading(tmp_path, warnings).read(str(listing)))
        assert warnings  # the record without text, every time


@pytest.mark.parametrize(
    "content", [b'{"title": "A"}\r\n{"title": "B"}\r\n', b'{"title": "A\\r"}\r']
)
def test_carriage_returns_are_always_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    listing = tmp_path / "list.jsonl"
    listing.write_bytes(content)
    list(reading(tmp_path).read(str(listing)))
    calls = counting_reader(monkeypatch)
    again = [p for p, _ in reading(tmp_path).read(str(listing))]
    assert calls[0] == 1
    assert again == list(read_publications(listing))


def test_moved_lines_are_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listing = tmp_path / "list.jsonl"
    text = SAMPLE.read_text(encoding="utf-8")
    listing.write_text(text, encoding="utf-8")
    list(reading(tmp_path).read(str(listing)))
    listing.write_text("\n" + text, encoding="utf-8")  # every record one line down
    calls = counting_reader(monkeypatch)
    again = [p for p, _ in reading(tmp_path).read(str(listing))]
    assert calls[0] == 1
    assert again == list(read_publications(listing))


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "publications").iterdir()))
def test_stored_json_gives_the_publication_back(name: str) -> None:
    for publication in read_publications(FIXTURES / "publications" / name):
        assert Publication.model_validate_json(publication.model_dump_json()) == publication
