"""The line-based readers stream: they read a little ahead of the records they yield, hold a
bounded amount of memory, and give the same records whatever the size of the chunks read."""

from __future__ import annotations

import importlib
import io
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from linker.errors import InputError
from linker.models import Publication
from linker.readers import read_publications
from linker.readers.decode import decode, decode_lines
from linker.readers.interface import ReadOptions

# (``import linker.readers.decode as ...`` would give the function the package re-exports)
decode_module = importlib.import_module("linker.readers.decode")
textlist_module = importlib.import_module("linker.readers.textlist")

#: Bytes a reader may have read beyond the end of the record it just yielded: the 64 KiB head
#: used to detect the format, one 64 KiB chunk being decoded and a record of look-ahead.
READ_AHEAD = 3 * 65536


class LazyStream(io.RawIOBase):
    """A byte stream whose records are made only when read; it counts what has been read."""

    def __init__(self, header: bytes, record: Callable[[int], bytes], count: int) -> None:
        self._pending = header
        self._record = record
        self._next = 1
        self._count = count
        self.produced = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        wanted = 1 << 62 if size is None or size < 0 else size
        parts, length = [self._pending], len(self._pending)
        while length < wanted and self._next <= self._count:
            parts.append(self._record(self._next))
            length += len(parts[-1])
            self._next += 1
        pending = b"".join(parts)
        data, self._pending = pending[:wanted], pending[wanted:]
        self.produced += len(data)
        return data


def _stdin(monkeypatch: pytest.MonkeyPatch, stream: LazyStream) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=stream))


def _title(ordinal: int) -> str:
    return f"Trial {ordinal:07d} of walking for back pain"


def _abstract(ordinal: int) -> str:
    return f"BACKGROUND: Walking helps. Trial registration: NCT{ordinal:08d}. " + "Text. " * 8


RECORD_MAKERS: dict[str, tuple[bytes, Callable[[int], str]]] = {
    "textlist": (
        b"Search results\nFound 5991 matches for\n",
        lambda n: f"{_title(n)}\n{_abstract(n)}\n",
    ),
    "blank-separated textlist": (b"", lambda n: f"{_title(n)}\n{_abstract(n)}\n\n"),
    "medline": (b"", lambda n: f"PMID- {n}\nTI  - {_title(n)}\nAB  - {_abstract(n)}\n\n"),
    "ris": (b"", lambda n: f"TY  - JOUR\nTI  - {_title(n)}\nAB  - {_abstract(n)}\nER  - \n"),
    "jsonl": (b"", lambda n: f'{{"pmid": "{n}", "title": "{_title(n)}"}}\n'),
    "csv": (
        b"PMID,Title,Abstract\n",
        lambda n: f'{n},{_title(n)},"{_abstract(n)}\nSecond line, ""quoted"""\n',
    ),
    "tsv": (b"PMID\tTitle\tAbstract\n", lambda n: f"{n}\t{_title(n)}\t{_abstract(n)}\n"),
}


@pytest.mark.parametrize("layout", sorted(RECORD_MAKERS))
def test_readers_stay_close_behind_the_stream(monkeypatch: pytest.MonkeyPatch, layout: str) -> None:
    header, make = RECORD_MAKERS[layout]
    count = 4000
    record_size = len(make(count).encode())
    stream = LazyStream(header, lambda n: make(n).encode(), count)
    _stdin(monkeypatch, stream)
    seen = 0
    for publication in read_publications("-"):
        seen += 1
        assert publication.ordinal == seen
        assert publication.title == _title(seen)
        assert stream.produced <= len(header) + (seen + 1) * record_size + READ_AHEAD, (
            f"{layout}: {stream.produced} bytes read for {seen} records"
        )
        if seen == 1:
            assert stream.produced < len(header) + count * record_size / 4
    assert seen == count


def test_seed_style_list_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    header, make = RECORD_MAKERS["textlist"]
    count = 40_000
    stream = LazyStream(header, lambda n: make(n).encode(), count)
    _stdin(monkeypatch, stream)
    warnings: list[str] = []
    tracemalloc.start()
    try:
        seen = sum(1 for _ in read_publications("-", on_warning=warnings.append))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert stream.produced > 5_500_000
    assert peak < 1_500_000, f"peak {peak} bytes for {stream.produced} bytes of input"
    assert warnings == ["<stdin>: skipped header lines 1-2"]


class TrickleStream(io.RawIOBase):
    """Returns at most a few bytes per read, to cut every multi-byte character and line."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = data
        self._position = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        size = self._step if size is None or size < 0 else min(size, self._step)
        data = self._data[self._position : self._position + size]
        self._position += len(data)
        return data


@pytest.mark.parametrize("step", [1, 2, 3, 5])
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"one\r\ntwo\n",
        "caf\u00e9 \ufffd na\u00efve\n\u4e2d\u6587".encode(),
        b"bad \xff\xfe byte\nliteral \xef\xbf\xbd and \xe2\x82\n",
        b"\xef\xbb\xbfbom\nx",
        b"\xff\xfe" + "utf-16 caf\u00e9\nline".encode("utf-16-le"),
        b"\xfe\xff" + "big \u4e2d\n".encode("utf-16-be"),
    ],
)
def test_decode_lines_matches_whole_file_decoding(
    monkeypatch: pytest.MonkeyPatch, data: bytes, step: int
) -> None:
    monkeypatch.setattr(decode_module, "_CHUNK_SIZE", step)
    whole: list[str] = []
    text = decode(data, ReadOptions(file_name="f", on_warning=whole.append))
    streamed: list[str] = []
    options = ReadOptions(file_name="f", on_warning=streamed.append)
    lines = list(decode_lines(TrickleStream(data, step), options))  # type: ignore[arg-type]
    assert lines == list(enumerate(text.split("\n"), start=1))
    assert streamed == whole


def test_invalid_utf16_is_an_input_error() -> None:
    data = b"\xff\xfe" + "ok\n".encode("utf-16-le") + b"\x00\xdc"  # a lone low surrogate
    with pytest.raises(InputError, match="invalid UTF-16-LE text"):
        list(decode_lines(io.BytesIO(data), ReadOptions(file_name="f")))


def _dump(publications: Iterator[Publication]) -> list[dict[str, object]]:
    return [publication.model_dump() for publication in publications]


@pytest.mark.parametrize(
    "name",
    [
        "publications.txt",
        "blank_separated.txt",
        "sample.nbib",
        "sample.ris",
        "sample.csv",
        "sample.tsv",
        "sample.jsonl",
    ],
)
def test_tiny_chunks_give_the_same_records(
    monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path, name: str
) -> None:
    path = fixtures_dir / "publications" / name
    expected = _dump(read_publications(path))
    monkeypatch.setattr(decode_module, "_CHUNK_SIZE", 3)
    monkeypatch.setattr(decode_module, "_HEAD_SIZE", 5)
    assert _dump(read_publications(path)) == expected


def test_titles_only_list_held_in_a_temporary_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(textlist_module, "_BACKLOG_IN_MEMORY", 200)
    titles = [f"Title number {n}\r" for n in range(1, 301)]
    path = tmp_path / "titles.txt"
    path.write_text("Search results\n" + "\n".join(titles) + "\n", encoding="utf-8")
    publications = list(read_publications(path))
    assert [(p.title, p.line) for p in publications] == [
        (title.strip(), number + 1) for number, title in enumerate(titles, start=1)
    ]
    # One more block after a blank line makes it a blank-line separated list: the first
    # block is then one record, titled by its first line.
    path.write_text("\n".join(titles) + "\n\nLast title\n", encoding="utf-8")
    first, last = read_publications(path)
    assert first.title == "Title number 1" and first.end_line == 300
    assert first.fields[1].locate(first.abstract.index("Title number 300")) == (300, 1)
    assert (last.title, last.line) == ("Last title", 302)


def test_packed_list_decided_after_a_blank_separated_start(tmp_path: Path) -> None:
    abstract = "BACKGROUND: " + "words " * 60
    path = tmp_path / "list.txt"
    text = f"First\n{abstract}\n\nSecond\nThird\n{abstract}\nFourth\n{abstract}\n"
    path.write_text(text, encoding="utf-8")
    publications = list(read_publications(path))
    assert [(p.title, p.line, p.end_line) for p in publications] == [
        ("First", 1, 2),
        ("Second", 4, 4),
        ("Third", 5, 6),
        ("Fourth", 7, 8),
    ]


def test_a_short_line_closing_each_abstract_keeps_a_blank_separated_list(tmp_path: Path) -> None:
    """A trial registration line after each abstract is the abstract's last line, not a
    title: the list stays one record per block (it was read as packed, the registrations
    turned into publications of their own and the trials reported unregistered)."""
    abstract = "We randomly assigned 240 adults " + "to walking or usual care " * 12
    path = tmp_path / "list.txt"
    blocks = [
        f"Walking: a randomised trial.\n{abstract}\nTrial registration: ISRCTN12345678.",
        f"Yoga: a randomised trial.\n{abstract}\nTrial registration: NCT01234567.",
        "An editorial on registration.",
    ]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    publications = list(read_publications(path))
    assert [(p.title, p.line, p.end_line) for p in publications] == [
        ("Walking: a randomised trial.", 1, 3),
        ("Yoga: a randomised trial.", 5, 7),
        ("An editorial on registration.", 9, 9),
    ]
    assert publications[1].abstract.endswith("Trial registration: NCT01234567.")


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ('{"title": "a"}\n{"title":\n "x"}\n{"title": "b"}\n', "one JSON object per line", 2),
        ('{"title": "a"}\n{"x": {"y":\n1}, "title": oops}\n', "invalid JSON: Expecting value", 3),
        ('{"title": "a"}\n{"title": "open}\n', "bad JSON string: invalid control character$", 2),
        ('{"title": "a"}\n{"title": "a\\qb"}\n', r"bad JSON string: invalid \\escape$", 2),
    ],
)
def test_jsonl_object_running_past_its_line(
    tmp_path: Path, content: str, message: str, line: int
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        list(read_publications(path))
    assert caught.value.line == line


def test_csv_cell_spanning_lines_keeps_positions(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b'title,abstract\r\nA,"one\r\n  two ""q""\r\nNCT01234567"\r\nB,x\r\n')
    first, second = read_publications(path)
    assert first.abstract == 'one\n  two "q"\nNCT01234567'
    assert first.fields[1].locate(first.abstract.index("two")) == (3, 3)
    assert first.fields[1].locate(first.abstract.index("NCT")) == (4, 1)
    assert (first.line, first.end_line, second.line) == (2, 4, 5)
