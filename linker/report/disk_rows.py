"""Rows kept on disk while a command writes them, so that memory does not grow with their
number: in the order written (:class:`RowSpool`, ``extract``'s output rows: memory up to a
few megabytes, then a temporary file, copied out once the run has succeeded), or sorted by a
key (:class:`DiskOrder`: a report that lists many items in an order of its own, such as the
accepted findings by file, line and rule, reads them back from a temporary SQLite file)."""

from __future__ import annotations

import io
import shutil
import sqlite3
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TextIO

from linker.readers.fastjson import dumps_line_bytes
from linker.report.escape import Cell, csv_line

if TYPE_CHECKING:
    from linker.extract.mention_rows import MentionRow
    from linker.models import Mention

_IN_MEMORY = 8 * 1024 * 1024


class _TemporaryRows(ABC):
    """A store of rows that lives as long as its ``with`` block (or until :meth:`close`)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class RowSpool(_TemporaryRows):
    """JSON Lines or CSV rows of ``fields``; mentions by file, so that a file's rows can be
    taken back (see :class:`linker.lean.MentionSink`)."""

    def __init__(self, fmt: str, fields: Sequence[str]) -> None:
        self._fields = tuple(fields)
        self._jsonl = fmt == "jsonl"
        self._file = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY, mode="w+b")  # noqa: SIM115 (closed by close())
        self._file_start = 0
        if not self._jsonl:
            self._file.write(csv_line(self._fields).encode("utf-8"))

    def close(self) -> None:
        self._file.close()

    def write_row(self, row: dict[str, Any]) -> None:
        fields = self._fields
        if self._jsonl:
            self._file.write(dumps_line_bytes({name: row.get(name) for name in fields}))
        else:
            self._file.write(csv_line(cell(row.get(name)) for name in fields).encode("utf-8"))

    def add(self, mentions: Sequence[Mention | MentionRow]) -> None:
        for mention in mentions:
            self.write_row({name: getattr(mention, name) for name in self._fields})

    def start_file(self) -> None:
        self._file_start = self._file.tell()

    def forget_file(self) -> None:
        self._file.seek(self._file_start)
        self._file.truncate()

    def copy_to(self, stream: TextIO) -> None:
        """Everything written, to ``stream``."""
        self._file.seek(0)
        text = io.TextIOWrapper(self._file, encoding="utf-8", newline="")
        try:
            shutil.copyfileobj(text, stream)
        finally:
            text.detach()


class DiskOrder(_TemporaryRows):
    """Add (key, text) rows, then iterate the texts by key (ties in the order added)."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="trial-linker-")
        self._rows = sqlite3.connect(Path(self._folder.name) / "order.sqlite3")
        self._rows.execute("CREATE TABLE row (a TEXT, b INTEGER, c TEXT, body TEXT)")
        self.count = 0

    def add(self, key: tuple[str, int, str], body: str) -> None:
        self._rows.execute("INSERT INTO row VALUES (?, ?, ?, ?)", (*key, body))
        self.count += 1

    def __iter__(self) -> Iterator[str]:
        for (body,) in self._rows.execute("SELECT body FROM row ORDER BY a, b, c, rowid"):
            yield body

    def close(self) -> None:
        self._rows.close()
        self._folder.cleanup()


def cell(value: Any) -> Cell:
    """A row's value as a CSV or table cell: lists joined with "; "."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)
