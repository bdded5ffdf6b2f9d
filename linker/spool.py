"""Publication results kept on disk, so that a ``check`` holds no per-publication state.

``check`` evaluates each publication as soon as its identifiers are verified, appends the
result here and lets it go; reporters then read the results back, one at a time, in report
order (file, line, key), as often as they need. In memory there is only an 8-byte offset per
publication, plus, for a file whose publications were not read in line order, its keys while
they are sorted.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, overload

from pydantic import BaseModel

from linker.results import PublicationResult

Transform = Callable[[PublicationResult], PublicationResult]


class _Place(BaseModel):
    """Where a publication goes in report order: the fields of its JSON that say so."""

    file: str
    line: int
    key: str


def placed(line: bytes) -> tuple[str, int, str]:
    """The file, line and key of a publication's JSON line, read without the rest."""
    place = _Place.model_validate_json(line)
    return place.file, place.line, place.key


def _key(publication: PublicationResult) -> tuple[int, str]:
    return (publication.line, publication.key)


class PublicationSpool(Sequence[PublicationResult]):
    """An append-then-read sequence of :class:`PublicationResult` in a temporary file."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="trial-linker-")  # noqa: SIM115
        self._offsets = array("q")
        self._by_file: dict[str, array[int]] = {}
        self._last: dict[str, tuple[int, str]] = {}
        self._in_order: dict[str, bool] = {}
        self._order: array[int] | None = None
        self._transforms: tuple[Transform, ...] = ()

    def append(self, publication: PublicationResult) -> None:
        self.append_encoded(
            publication.model_dump_json().encode("utf-8"),
            publication.file,
            _key(publication),
        )

    def append_encoded(self, encoded: bytes, file: str, key: tuple[int, str]) -> None:
        """A publication already in JSON (``model_dump_json``), with its file and (line, key)."""
        if self._order is not None:
            raise RuntimeError("the spool was read: it takes no more publications")
        self._file.seek(0, 2)
        index = len(self._offsets)
        self._offsets.append(self._file.tell())
        self._file.write(encoded + b"\n")
        last = self._last.get(file)
        self._in_order[file] = self._in_order.get(file, True) and (last is None or last <= key)
        self._last[file] = key
        self._by_file.setdefault(file, array("q")).append(index)

    def append_line(self, line: bytes) -> None:
        """A publication's JSON line as :meth:`encoded` gives it, placed by its own fields."""
        file, line_number, key = placed(line)
        self.append_encoded(line.removesuffix(b"\n"), file, (line_number, key))

    def extend(self, publications: Sequence[PublicationResult]) -> None:
        for publication in publications:
            self.append(publication)

    def mapped(self, transform: Transform) -> PublicationSpool:
        """A view of this spool with ``transform`` applied to every publication read."""
        view = PublicationSpool.__new__(PublicationSpool)
        view.__dict__.update(self.__dict__)
        view._order = self._report_order()
        view._transforms = (*self._transforms, transform)
        return view

    def close(self) -> None:
        self._file.close()

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> PublicationResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[PublicationResult]: ...

    def __getitem__(self, index: int | slice) -> PublicationResult | list[PublicationResult]:
        order = self._report_order()
        if isinstance(index, slice):
            return [self._read(order[i]) for i in range(*index.indices(len(order)))]
        return self._read(order[index])

    def __iter__(self) -> Iterator[PublicationResult]:
        for record in self._report_order():
            yield self._read(record)

    def encoded(self) -> Iterator[bytes]:
        """Each publication's JSON line as appended (``model_dump_json`` and a newline), in
        report order, not validated: for copying into another spool."""
        if self._transforms:
            raise RuntimeError("a mapped view has no encoded publications")
        for record in self._report_order():
            self._file.seek(self._offsets[record])
            yield self._file.readline()

    def _read(self, record: int) -> PublicationResult:
        self._file.seek(self._offsets[record])
        publication = PublicationResult.model_validate_json(self._file.readline())
        for transform in self._transforms:
            publication = transform(publication)
        return publication

    def _report_order(self) -> array[int]:
        if self._order is None:
            order = array("q")
            for file in sorted(self._by_file):
                records = self._by_file[file]
                if not self._in_order[file]:
                    keys = {i: _key(self._read(i)) for i in records}
                    records = array("q", sorted(records, key=keys.__getitem__))
                order.extend(records)
            self._order = order
            self._by_file.clear()
        return self._order


def encoded_lines(publications: Iterable[PublicationResult]) -> Iterator[bytes]:
    """Publications as JSON lines (``model_dump_json`` and a newline); a spool's own lines,
    not validated and dumped again."""
    if isinstance(publications, PublicationSpool):
        yield from publications.encoded()
        return
    for publication in publications:
        yield publication.model_dump_json().encode("utf-8") + b"\n"
