"""A record spanning lines (a list entry, a RIS, MEDLINE or BibTeX record, a CSV cell spanning
lines) is refused once it passes ``--max-record-size``, while it is read: a generated 1 GiB
record of each format fails with the error naming its first line after little more than the
limit has been read, so memory never holds the record."""

from __future__ import annotations

import io
import types

import pytest

from linker.errors import InputError
from linker.readers import read_publications

LIMIT = 1024 * 1024
GIB = 1024 * 1024 * 1024


class EndlessRecord(io.RawIOBase):
    """``head`` then ``line`` over and over, 1 GiB in all, generated as it is read."""

    def __init__(self, head: bytes, line: bytes) -> None:
        self._head = head
        self._line = line
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.served >= GIB:
            return 0
        size = len(buffer)
        if self.served < len(self._head):
            data = self._head[self.served : self.served + size]
        else:
            repeats = size // len(self._line) + 1
            data = (self._line * repeats)[:size]
        buffer[: len(data)] = data
        self.served += len(data)
        return len(data)


_LONG = b"Results were similar in both arms of the study and across all sites. " * 5
CASES = {
    # format: (head, repeated line, line the error names)
    "textlist": (b"A short title\n", _LONG + b"\n", 1),
    "textlist-blocks": (b"Title one\nAbstract one.\n\nTitle two\n", _LONG + b"\n", 4),
    "ris": (b"TY  - JOUR\nTI  - A title\nER  - \nTY  - JOUR\nAB  - Start\n", _LONG + b"\n", 4),
    "medline": (b"PMID- 1\nTI  - A title\nAB  - Start\n", b"      " + _LONG + b"\n", 1),
    "bibtex": (
        b"@article{a,\n  title = {One}\n}\n@article{b,\n  title = {Two},\n  abstract = {",
        _LONG + b"\n",
        4,
    ),
    "csv": (b'title,abstract\n"One","short"\n"Two","', _LONG + b"\n", 3),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_one_gib_record_fails_fast_naming_its_line(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, line, first_line = CASES[case]
    stream = EndlessRecord(head, line)
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BufferedReader(stream)))
    fmt = case.split("-")[0]
    with pytest.raises(InputError, match=r"record larger than 1 MB \(--max-record-size\)") as error:
        list(read_publications("-", fmt=fmt, max_record_size=LIMIT))
    assert error.value.line == first_line
    assert stream.served < 3 * LIMIT  # read a little past the limit, never the whole record


@pytest.mark.parametrize("case", sorted(CASES))
def test_records_under_the_limit_still_read(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    head, line, _ = CASES[case]
    fmt = case.split("-")[0]
    closing = {"bibtex": b"}\n}\n", "csv": b'"\n', "ris": b"ER  - \n"}.get(fmt, b"")
    data = head + line * 20 + closing
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(data)))
    found = list(read_publications("-", fmt=fmt, max_record_size=LIMIT))
    assert len(found[-1].abstract) > 20 * len(_LONG) - 100
